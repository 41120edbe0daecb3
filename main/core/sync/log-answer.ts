// The answer Plenary posts in a circle's room to a !log message (log-command.ts): a notice,
// as a reply to the message, in the sender's language when the message shows it (a stream
// named in that language), else in the answering member's own language.
import type { Translate } from '../i18n/translator';
import type { LogVerdict } from './log-command';
import { answerKey } from './log-command';
import { valueStreams } from '../../../shared/governance/operation-types';
import { maxMinutesPerDay } from '../../../shared/governance/log-command';

/** "1 h 30 min", "2 h", "45 min", in the answer's language. */
export function durationText(t: Translate, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t('governance:logCommand.minutes', { minutes: rest });
  if (rest === 0) return t('governance:logCommand.hours', { hours });
  return t('governance:logCommand.hoursMinutes', { hours, minutes: rest });
}

/** What the answer says. */
export function logAnswerText(t: Translate, verdict: LogVerdict): string {
  const streams = valueStreams.map((s) => `${s} (${t(`governance:streams.${s}`)})`).join(', ');
  if (verdict.ok) {
    const params = { name: verdict.name, duration: durationText(t, verdict.minutes), stream: t(`governance:streams.${verdict.stream}`), date: verdict.date, description: verdict.description };
    return t(verdict.description === '' ? 'governance:logCommand.loggedBare' : 'governance:logCommand.logged', params);
  }
  const reason = t(`governance:logCommand.refused.${verdict.refusal}`, {
    token: verdict.token,
    streams,
    already: durationText(t, verdict.dayMinutes),
    max: durationText(t, maxMinutesPerDay),
  });
  return t('governance:logCommand.notLogged', { name: verdict.name, reason });
}

/** The notice's content: a reply to the message, mentioning its sender, marked as Plenary's answer. */
export function logAnswerContent(t: Translate, answer: { eventId: string; sender: string; verdict: LogVerdict }): Record<string, unknown> {
  return {
    msgtype: 'm.notice',
    body: logAnswerText(t, answer.verdict),
    'm.relates_to': { 'm.in_reply_to': { event_id: answer.eventId } },
    'm.mentions': { user_ids: [answer.sender] },
    [answerKey]: { event_id: answer.eventId },
  };
}
