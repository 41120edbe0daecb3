// "!log 1h30 care onboarding": work logged from any Matrix client (Element on a phone) by a
// plain message in a circle's room (README, "Logging work from Element"). This is the pure
// part: reading the message. The core turns a message that reads well into the sender's
// contribution and answers in the room (main/core/sync/log-command.ts).
import { resources } from '../i18n/resources';
import { supportedLocales, type Locale } from '../locales';
import { maxContributionMinutes, valueStreams, type ValueStream } from './operation-types';

/** No day has more than 24 hours of anyone's work. */
export const maxMinutesPerDay = 24 * 60;
export const maxLogDescription = 1000;

export type LogCommandProblem =
  | 'no_duration'
  | 'bad_duration'
  | 'zero_duration'
  | 'over_a_day'
  | 'no_stream'
  | 'unknown_stream'
  | 'description_too_long';

export type LogCommand =
  | { ok: true; minutes: number; stream: ValueStream; description: string; locale: Locale | null }
  | { ok: false; problem: LogCommandProblem; token: string; locale: Locale | null };

/** Whether a message body is a !log command at all (anything else in the room is chat). */
export function isLogCommand(body: unknown): body is string {
  return typeof body === 'string' && /^\s*!log(\s|$)/i.test(body);
}

const fold = (word: string) => word.normalize('NFC').toLocaleLowerCase('en');

interface StreamWord {
  stream: ValueStream;
  /** The language the word belongs to only; null for the stream ids every language shares. */
  locale: Locale | null;
}

/** Stream words: the ids (livelihood, care, commons), DisCO's "love" work (the commons stream), and each locale's name of each stream. */
function streamWords(): Map<string, StreamWord> {
  const words = new Map<string, StreamWord>();
  for (const stream of valueStreams) words.set(stream, { stream, locale: null });
  words.set('love', { stream: 'commons', locale: 'en' });
  for (const locale of supportedLocales) {
    const names = (resources[locale].governance as { streams?: Record<string, string> }).streams ?? {};
    for (const stream of valueStreams) {
      const name = names[stream];
      if (typeof name !== 'string') continue;
      const word = fold(name);
      const known = words.get(word);
      // A word two languages share (or a stream id) says nothing about the language.
      if (!known) words.set(word, { stream, locale });
      else if (known.locale !== locale && known.stream === stream) words.set(word, { stream, locale: null });
    }
  }
  return words;
}

let words: Map<string, StreamWord> | null = null;

/**
 * A duration in whole minutes: "1h30", "1h30m", "2h", "90m", "90min", "1.5h", "1,5h", "1:30".
 * Null when it does not read as one.
 */
export function parseDuration(token: string): number | null {
  const t = token.toLowerCase();
  let m = /^(\d{1,4})h(?:(\d{1,2})(?:m|min)?)?$/.exec(t);
  if (m) {
    const minutes = m[2] === undefined ? 0 : Number(m[2]);
    return minutes < 60 ? Number(m[1]) * 60 + minutes : null;
  }
  m = /^(\d{1,5})(?:m|min|mins)$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(\d{1,4})[.,](\d{1,2})h$/.exec(t);
  if (m) {
    // Integer arithmetic: 1.5h is 15 tenths of an hour; only whole minutes are kept.
    const scale = m[2]!.length === 1 ? 10 : 100;
    const units = Number(m[1]) * scale + Number(m[2]);
    return (units * 60) % scale === 0 ? (units * 60) / scale : null;
  }
  m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (m) return Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : null;
  return null;
}

/** Reads "!log <duration> <stream> <description>". */
export function parseLogCommand(body: string): LogCommand {
  words ??= streamWords();
  const rest = body.trim().replace(/^!log/i, '').trim();
  const [durationToken = '', streamToken = ''] = rest.length === 0 ? [] : rest.split(/\s+/);
  const streamWord = words.get(fold(streamToken));
  const locale = streamWord?.locale ?? null;
  const fail = (problem: LogCommandProblem, token: string): LogCommand => ({ ok: false, problem, token: token.slice(0, 40), locale });
  if (durationToken === '') return fail('no_duration', '');
  const minutes = parseDuration(durationToken);
  if (minutes === null) return fail('bad_duration', durationToken);
  if (minutes === 0) return fail('zero_duration', durationToken);
  if (minutes > maxMinutesPerDay || minutes > maxContributionMinutes) return fail('over_a_day', durationToken);
  if (streamToken === '') return fail('no_stream', '');
  if (!streamWord) return fail('unknown_stream', streamToken);
  // The description as written (its own spacing), after the duration and stream words.
  const description = rest.slice(rest.indexOf(streamToken, durationToken.length) + streamToken.length).trim();
  if (description.length > maxLogDescription) return fail('description_too_long', '');
  return { ok: true, minutes, stream: streamWord.stream, description, locale };
}
