// The sync status in words, kept apart from the components so a unit test can check what a
// member reads for every state, problem and refusal without a DOM.
import type { TFunction } from 'i18next';
import type { QuarantineDropped, QuarantinedItem, QuarantineReason, SyncRefusal, SyncStatusView, WithdrawnItem } from '../../../shared/contract/sync';
import { dateFormatter } from '../app/date-formatter';

/** Problem codes the core's sync service emits (main/core/sync); others read as "unknown". */
export const knownProblems = ['offline', 'paused', 'signed_out', 'internal'] as const;

/** A time of day today, or a date and time otherwise, in the member's language. */
export function formatSyncTime(ms: number, locale: string, now: number = Date.now(), withSeconds = false): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  const timeStyle = withSeconds ? 'medium' : 'short';
  return dateFormatter(locale, sameDay ? { timeStyle } : { dateStyle: 'medium', timeStyle }).format(ms);
}

export function syncStateText(t: TFunction, view: SyncStatusView): string {
  return t(`sync:state.${view.state}`);
}

/** The problem in words; the core's detail is added unless it only repeats the code. */
export function syncProblemText(t: TFunction, problem: SyncStatusView['problem']): string | null {
  if (!problem) return null;
  const code = (knownProblems as readonly string[]).includes(problem.code) ? problem.code : 'unknown';
  const text = t(`sync:problems.${code}`);
  const detail = problem.detail.trim();
  return detail && detail !== problem.code ? t('sync:problemWithDetail', { problem: text, detail }) : text;
}

export function syncPendingText(t: TFunction, view: SyncStatusView): string {
  return view.pending === 0 ? t('sync:nothingPending') : t('sync:pending', { count: view.pending });
}

export function syncLastText(t: TFunction, view: SyncStatusView, locale: string, now?: number): string {
  return view.lastSyncedAt === null ? t('sync:neverSynced') : t('sync:lastSynced', { time: formatSyncTime(view.lastSyncedAt, locale, now) });
}

/**
 * When the next attempt happens: while waiting out a rate limit, to the second (the
 * server names the moment); while offline, to the minute. Null otherwise.
 */
export function syncRetryText(t: TFunction, view: SyncStatusView, locale: string, now?: number): string | null {
  if (view.retryAt === null) return null;
  if (view.state === 'waiting') return t('sync:waitingUntil', { time: formatSyncTime(view.retryAt, locale, now, true) });
  if (view.state === 'offline') return t('sync:retryAt', { time: formatSyncTime(view.retryAt, locale, now) });
  return null;
}

/** "2 things were not accepted by the server", or null when nothing stands refused. */
export function syncRefusedText(t: TFunction, view: SyncStatusView): string | null {
  return view.refused > 0 ? t('sync:refusedCount', { count: view.refused }) : null;
}

/** What was refused, naming the member, the circle or the poll it concerns. */
export function refusalWhatText(t: TFunction, refusal: SyncRefusal): string {
  const circle = refusal.circleName ?? t('sync:refusals.unknownCircle');
  switch (refusal.kind) {
    case 'upload':
      return t('sync:refusals.what.upload', { circle, count: refusal.operations ?? 0 });
    case 'room':
      return t('sync:refusals.what.room', { circle });
    case 'invite': {
      const member = refusal.member;
      const who = member?.name ? t('sync:refusals.memberNamed', { name: member.name, id: member.id }) : (member?.id ?? '');
      return t('sync:refusals.what.invite', { member: who, circle });
    }
    case 'power_levels':
      return t('sync:refusals.what.power_levels', { circle });
    case 'poll': {
      const question = refusal.poll?.question ?? t('sync:refusals.unknownVote');
      return t(`sync:refusals.what.poll_${refusal.poll?.event ?? 'start'}`, { question, circle });
    }
  }
}

/** Why, in words: the server's own errcode and message are the hover detail (serverMessage). */
export function refusalReasonText(t: TFunction, refusal: SyncRefusal): string {
  if (refusal.reason === 'not_found') return t(refusal.kind === 'invite' ? 'sync:refusals.reason.not_found_member' : 'sync:refusals.reason.not_found');
  if (refusal.reason === 'other_server') {
    const id = refusal.member?.id ?? '';
    return t('sync:refusals.reason.other_server', { server: id.slice(id.indexOf(':') + 1) });
  }
  return t(`sync:refusals.reason.${refusal.reason}`);
}

/** Whether Plenary tries again by itself, and when; or that it waits for the member. */
export function refusalRetryText(t: TFunction, refusal: SyncRefusal, locale: string, now?: number): string {
  return refusal.retryAt === null ? t('sync:refusals.waitsForYou') : t('sync:refusals.retriesAt', { time: formatSyncTime(refusal.retryAt, locale, now) });
}

/** A duration in the largest unit that reads well: "3 h", "12 min", "2 days". */
export function formatSkew(ms: number, locale: string): string {
  const abs = Math.abs(ms);
  const [unit, size] = abs >= 48 * 3600_000 ? (['day', 86_400_000] as const) : abs >= 3600_000 ? (['hour', 3600_000] as const) : (['minute', 60_000] as const);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: unit === 'day' ? 'long' : 'short', maximumFractionDigits: 0 }).format(Math.round(abs / size));
}

/** "Your computer's clock is 3 h ahead of the coop server…", or null when it is right. */
export function clockSkewText(t: TFunction, view: SyncStatusView, locale: string): string | null {
  const skew = view.clock.skewMs;
  if (skew === null) return null;
  return t(skew > 0 ? 'sync:clock.ahead' : 'sync:clock.behind', { amount: formatSkew(skew, locale) });
}

/** What is held because of clocks ahead: this member's changes held by others, and others' held here. */
export function clockHeldTexts(t: TFunction, view: SyncStatusView, locale: string, now?: number): string[] {
  const texts: string[] = [];
  const { heldByOthers, heldHere } = view.clock;
  if (heldByOthers) texts.push(t('sync:clock.heldByOthers', { count: heldByOthers.count, time: formatSyncTime(heldByOthers.until, locale, now) }));
  if (heldHere) texts.push(t('sync:clock.heldHere', { count: heldHere.count, time: formatSyncTime(heldHere.until, locale, now) }));
  return texts;
}

/** What a withdrawn event was, in words: its changes, a poll, an answer or an end. */
export function withdrawnWhatText(t: TFunction, item: WithdrawnItem): string {
  const circle = item.circleName ?? t('sync:refusals.unknownCircle');
  const kind = withdrawnKinds[item.eventType] ?? 'other';
  return t(`sync:withdrawals.what.${kind}`, { circle });
}

const withdrawnKinds: Record<string, string> = {
  'coop.meet.plenary.ops': 'ops',
  'org.matrix.msc3381.poll.start': 'poll_start',
  'org.matrix.msc3381.poll.response': 'poll_response',
  'org.matrix.msc3381.poll.end': 'poll_end',
};

/** Who withdrew it and when, and what that took away here. */
export function withdrawnDetailText(t: TFunction, item: WithdrawnItem, locale: string, now?: number): string {
  const by = t('sync:withdrawals.by', { who: item.redactedBy, time: formatSyncTime(item.redactedAt, locale, now) });
  const effect = item.withPoll ? t('sync:withdrawals.withPoll') : t('sync:withdrawals.operations', { count: item.operations });
  return `${by} ${effect}`;
}

/** "3 operations refused out of 20,000", for a record of an operations event; null for an event refused as a whole. */
export function quarantineCountText(t: TFunction, item: QuarantinedItem): string | null {
  return item.operations > 0 ? t('sync:quarantine.refusedOf', { count: item.refused, operations: item.operations }) : null;
}

/** One reason of a record with how many operations it concerns and the first of them. */
export function quarantineReasonText(t: TFunction, reason: QuarantineReason): string {
  const text = reason.reason === '' ? t('sync:quarantine.otherReasons') : reason.reason;
  if (reason.first < 0) return text;
  return t('sync:quarantine.reasonCount', { reason: text, count: reason.count, index: reason.first + 1 });
}

/** "12 older items from @mallory:example.org were deleted to save space." */
export function quarantineDroppedText(t: TFunction, dropped: QuarantineDropped): string {
  return t('sync:quarantine.droppedFrom', { count: dropped.events, sender: dropped.sender || t('sync:quarantine.noSender') });
}
