// What Plenary sends and how it reads what others sent: m.room.message content with
// Markdown as formatted_body (org.matrix.custom.html), replies with the rich-reply fallback,
// edits (m.replace with m.new_content), reactions (m.annotation), intentional mentions
// (m.mentions). Rules from the Matrix client-server spec, "Rich replies", "Event
// replacements", "Event annotations" and "User and room mentions".
import { Marked } from 'marked';
import { PlenaryError } from '../../../shared/errors';
import { sanitizeMatrixHtml } from './html-sanitizer';
import { withPills, type Pill } from './mention-pills';

export type Content = Record<string, unknown>;

/** Synapse refuses events over 65,536 bytes of canonical JSON; keep room for the envelope. */
export const maxContentBytes = 64_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Raw HTML typed into the composer is shown as text, not interpreted: what members see is
// what they typed, and nothing unexpected reaches other clients.
const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

/** Markdown to sanitized HTML, or null when the text has no formatting worth sending. */
export function markdownToHtml(text: string): string | null {
  const html = (markdown.parse(text) as string).trim();
  const tags = [...html.matchAll(/<\/?([a-z0-9]+)[^>]*>/gi)].map((m) => m[1]!.toLowerCase());
  if (tags.every((tag) => tag === 'p' || tag === 'br')) return null;
  return sanitizeMatrixHtml(html);
}

/** Full Matrix user ids typed in the text (the composer has no pills yet). */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(/(?:^|[\s(])(@[a-z0-9._=\-/+]+:[a-z0-9.-]+(?::\d+)?)/gi)].map((m) => m[1]!.replace(/[.,]+$/, '')))];
}

function mentionsFor(text: string, extraUserIds: string[] = [], isMember: (userId: string) => boolean = () => true): Content {
  const userIds = [...new Set([...mentionedUserIds(text).filter(isMember), ...extraUserIds])];
  const mentions: Content = {};
  if (userIds.length > 0) mentions.user_ids = userIds;
  if (/(^|\s)@room\b/.test(text)) mentions.room = true;
  return mentions;
}

export interface ReplyTarget {
  roomId: string;
  eventId: string;
  sender: string;
  /** The target's plain body, its own reply fallback already removed. */
  body: string;
  /** The target's sanitized HTML, if it had any. */
  html: string | null;
}

function withinSize(content: Content, plain: Content): Content {
  if (byteLength(content) <= maxContentBytes) return content;
  // Formatting doubles a message's size; a very long message goes out as plain text.
  if (byteLength(plain) <= maxContentBytes) return plain;
  throw new PlenaryError('invalid_input', `The message is longer than a Matrix event may be (${maxContentBytes} bytes); split it into several messages`, {
    field: 'text',
    params: { reason: 'too_long' },
  });
}

function byteLength(content: Content): number {
  return new TextEncoder().encode(JSON.stringify(content)).length;
}

export interface ComposeOptions {
  replyTo?: ReplyTarget | undefined;
  ownUserId?: string;
  /** Members and rooms picked in the composer: each becomes a matrix.to pill where its text stands. */
  pills?: readonly Pill[] | undefined;
  /** Who is in the room: a typed or picked user id of anyone else stays plain text, without a mention. */
  isMember?: (userId: string) => boolean;
  /** A reply in a thread: its root, and the thread's latest event (for clients without threads). */
  thread?: { rootId: string; latestEventId: string } | undefined;
}

export function composeMessage(text: string, options: ComposeOptions = {}): Content {
  const isMember = options.isMember ?? (() => true);
  const pilled = withPills(text, options.pills ?? [], isMember);
  const html = markdownToHtml(pilled.markdown);
  const reply = options.replyTo;
  const mentions = mentionsFor(text, [...pilled.userIds, ...(reply && reply.sender !== options.ownUserId ? [reply.sender] : [])], isMember);
  const plain: Content = { msgtype: 'm.text', body: text, 'm.mentions': mentions };
  const thread = options.thread;
  if (!reply) {
    if (thread) {
      // As Element: the thread relation, with a fallback reply to the thread's latest event.
      const relatesTo = { rel_type: 'm.thread', event_id: thread.rootId, is_falling_back: true, 'm.in_reply_to': { event_id: thread.latestEventId } };
      const threaded = { ...plain, 'm.relates_to': relatesTo };
      return withinSize(html ? { ...threaded, format: 'org.matrix.custom.html', formatted_body: html } : threaded, threaded);
    }
    return withinSize(html ? { ...plain, format: 'org.matrix.custom.html', formatted_body: html } : plain, plain);
  }
  const relatesTo: Content = thread
    ? { rel_type: 'm.thread', event_id: thread.rootId, is_falling_back: false, 'm.in_reply_to': { event_id: reply.eventId } }
    : { 'm.in_reply_to': { event_id: reply.eventId } };
  // Fallback for clients without rich replies: the quoted original before the answer.
  const quoted = reply.body.split('\n').map((line, i) => (i === 0 ? `> <${reply.sender}> ${line}` : `> ${line}`));
  const fallbackHtml =
    `<mx-reply><blockquote><a href="https://matrix.to/#/${encodeURIComponent(reply.roomId)}/${encodeURIComponent(reply.eventId)}">In reply to</a> ` +
    `<a href="https://matrix.to/#/${encodeURIComponent(reply.sender)}">${escapeHtml(reply.sender)}</a><br />` +
    `${reply.html ?? escapeHtml(reply.body).replace(/\n/g, '<br />')}</blockquote></mx-reply>`;
  const full: Content = {
    msgtype: 'm.text',
    body: `${quoted.join('\n')}\n\n${text}`,
    format: 'org.matrix.custom.html',
    formatted_body: fallbackHtml + (html ?? escapeHtml(text).replace(/\n/g, '<br />')),
    'm.mentions': mentions,
    'm.relates_to': relatesTo,
  };
  return withinSize(full, { ...plain, 'm.relates_to': relatesTo });
}

export function composeEdit(targetEventId: string, text: string, originalText: string): Content {
  const html = markdownToHtml(text);
  const newMentions = mentionsFor(text);
  const before = new Set(mentionedUserIds(originalText));
  // Only people newly mentioned by the edit are pinged again.
  const added = ((newMentions.user_ids as string[] | undefined) ?? []).filter((id) => !before.has(id));
  const newContent: Content = { msgtype: 'm.text', body: text, 'm.mentions': newMentions };
  if (html) Object.assign(newContent, { format: 'org.matrix.custom.html', formatted_body: html });
  const content: Content = {
    msgtype: 'm.text',
    body: `* ${text}`,
    'm.new_content': newContent,
    'm.mentions': added.length > 0 ? { user_ids: added } : {},
    'm.relates_to': { rel_type: 'm.replace', event_id: targetEventId },
  };
  if (html) Object.assign(content, { format: 'org.matrix.custom.html', formatted_body: `* ${html}` });
  const plain: Content = {
    msgtype: 'm.text',
    body: `* ${text}`,
    'm.new_content': { msgtype: 'm.text', body: text, 'm.mentions': newMentions },
    'm.mentions': content['m.mentions'],
    'm.relates_to': content['m.relates_to'],
  };
  return withinSize(content, plain);
}

export function composeReaction(targetEventId: string, key: string): Content {
  return { 'm.relates_to': { rel_type: 'm.annotation', event_id: targetEventId, key } };
}

/** Removes the "> <@user> quoted" lines a reply carries for older clients. */
export function stripReplyFallback(body: string): string {
  if (!body.startsWith('>')) return body;
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('>')) i++;
  if (i < lines.length && lines[i] === '') i++;
  return lines.slice(i).join('\n');
}
