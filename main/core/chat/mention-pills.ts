// Mentions as Element sends them: the body keeps the member's display name (or the room's
// alias), and formatted_body links it to matrix.to (a "pill"); the user ids go in
// m.mentions. Here the picks become Markdown links before the message's Markdown is turned
// into HTML, so a pill sits inside bold, lists or quotes like any other link.
import type { PickedMention } from '../../../shared/chat/mention-autocomplete';

export type Pill = PickedMention;

const userId = /^@[a-z0-9._=\-/+]+:[a-z0-9.-]+(?::\d+)?$/i;
/** An alias (#name:server) or a room id (!id:server, or !id alone since room version 12). */
const roomRef = /^(?:#[^\s:]+:[a-z0-9.-]+(?::\d+)?|![^\s]+)$/i;

/** The matrix.to link Element writes for a user id, room alias or room id. */
export function matrixToLink(id: string): string {
  return `https://matrix.to/#/${id.replace(/[^\w@#!:.\-=/+]/g, (c) => encodeURIComponent(c))}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&');
}

/**
 * The text with the first occurrence of each pick's text written as a Markdown link, and the
 * users mentioned. A pick whose text is gone, whose id is malformed, or a member not in the
 * room (isMember false), stays as plain text.
 */
export function withPills(text: string, pills: readonly Pill[], isMember: (userId: string) => boolean): { markdown: string; userIds: string[] } {
  const spans: { start: number; end: number; pill: Pill }[] = [];
  for (const pill of pills) {
    if (pill.text.trim() === '') continue;
    if (pill.kind === 'user' ? !userId.test(pill.id) || !isMember(pill.id) : !roomRef.test(pill.id)) continue;
    let from = 0;
    for (;;) {
      const start = text.indexOf(pill.text, from);
      if (start < 0) break;
      const end = start + pill.text.length;
      if (!spans.some((s) => start < s.end && end > s.start)) {
        spans.push({ start, end, pill });
        break;
      }
      from = start + 1;
    }
  }
  spans.sort((a, b) => a.start - b.start);
  let markdown = '';
  let at = 0;
  for (const span of spans) {
    markdown += text.slice(at, span.start) + `[${escapeMarkdown(span.pill.text)}](<${matrixToLink(span.pill.id)}>)`;
    at = span.end;
  }
  markdown += text.slice(at);
  const userIds = [...new Set(spans.filter((s) => s.pill.kind === 'user').map((s) => s.pill.id))];
  return { markdown, userIds };
}
