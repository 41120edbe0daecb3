// Brings the chat search index up to date with the chat cache: the triggers of
// migrations/20261211T0300-chat-search.ts mark which messages changed (chat_search_pending),
// and this re-reads exactly those, in one transaction, before a search. A message is indexed
// with the body a member sees: the latest edit by its sender replaces the original, a reply's
// fallback quote is left out; a redacted message, or one no longer cached, leaves the index.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';
import { docBucket } from '../archive/archive-index';
import { stripReplyFallback } from './message-content';

const perSecond = 65_536;

interface MessageRow {
  event_id: string;
  room_id: string;
  sender: string;
  ts: number;
  content: string;
  rel_type: string | null;
  redacted: number;
}

type Content = Record<string, unknown>;

function parse(json: string): Content {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null ? (value as Content) : {};
  } catch {
    return {};
  }
}

const isReply = (content: Content) => typeof (content['m.relates_to'] as { 'm.in_reply_to'?: { event_id?: unknown } } | undefined)?.['m.in_reply_to']?.event_id === 'string';

/**
 * The text a member sees of a message, or null when it has none to search: the latest
 * edit's new content when there is one, otherwise the body without its reply fallback.
 */
export function searchableBody(original: Content, latestEdit: Content | null): string | null {
  const newContent = latestEdit?.['m.new_content'];
  if (newContent && typeof newContent === 'object') {
    const body = (newContent as Content).body;
    return typeof body === 'string' && body.trim() !== '' ? body : null;
  }
  const body = original.body;
  if (typeof body !== 'string') return null;
  const text = isReply(original) ? stripReplyFallback(body) : body;
  return text.trim() === '' ? null : text;
}

export class ChatSearchIndex {
  private readonly hasPending: Statement;
  private readonly pending: Statement;
  private readonly clearPending: Statement;
  private readonly readMessage: Statement;
  private readonly latestEdit: Statement;
  private readonly existing: Statement;
  private readonly deleteDoc: Statement;
  private readonly deleteText: Statement;
  private readonly maxInBucket: Statement;
  private readonly maxDoc: Statement;
  private readonly insertDoc: Statement;
  private readonly insertText: Statement;

  constructor(private readonly db: Db) {
    this.hasPending = db.prepare('SELECT 1 FROM chat_search_pending LIMIT 1').pluck();
    this.pending = db.prepare('SELECT event_id FROM chat_search_pending').pluck();
    this.clearPending = db.prepare('DELETE FROM chat_search_pending');
    this.readMessage = db.prepare("SELECT event_id, room_id, sender, ts, content, rel_type, redacted FROM chat_events WHERE event_id = ? AND type = 'm.room.message'");
    this.latestEdit = db
      .prepare("SELECT content FROM chat_events WHERE relates_to = ? AND rel_type = 'm.replace' AND type = 'm.room.message' AND sender = ? AND redacted = 0 ORDER BY pos DESC LIMIT 1")
      .pluck();
    this.existing = db.prepare('SELECT doc FROM chat_search_docs WHERE event_id = ?').pluck();
    this.deleteDoc = db.prepare('DELETE FROM chat_search_docs WHERE doc = ?');
    this.deleteText = db.prepare('DELETE FROM chat_search_fts WHERE rowid = ?');
    this.maxInBucket = db.prepare('SELECT max(doc) FROM chat_search_docs WHERE doc >= ? AND doc < ?').pluck();
    this.maxDoc = db.prepare('SELECT max(doc) FROM chat_search_docs').pluck();
    this.insertDoc = db.prepare('INSERT INTO chat_search_docs (doc, event_id, room_id, ts) VALUES (?, ?, ?, ?)');
    this.insertText = db.prepare('INSERT INTO chat_search_fts (rowid, body) VALUES (?, ?)');
  }

  /** Re-indexes what changed since the last call. Returns how many messages were looked at. */
  refresh(): number {
    if (this.hasPending.get() === undefined) return 0;
    return this.db.transaction(() => {
      const ids = this.pending.all() as string[];
      const old: number[] = [];
      const fresh: { row: MessageRow; body: string }[] = [];
      for (const id of ids) {
        const doc = this.existing.get(id) as number | undefined;
        if (doc !== undefined) old.push(doc);
        const row = this.readMessage.get(id) as MessageRow | undefined;
        // An edit is never a result of its own: its target carries its text.
        if (!row || row.redacted === 1 || row.rel_type === 'm.replace') continue;
        const edit = this.latestEdit.get(row.event_id, row.sender) as string | undefined;
        const body = searchableBody(parse(row.content), edit === undefined ? null : parse(edit));
        if (body !== null) fresh.push({ row, body });
      }
      // Out with the old, then in with the new in time order (FTS5 flushes whenever rowids stop rising).
      for (const doc of old.sort((a, b) => a - b)) {
        this.deleteText.run(doc);
        this.deleteDoc.run(doc);
      }
      for (const { row, body } of fresh.sort((a, b) => a.row.ts - b.row.ts)) {
        const doc = this.nextDoc(row.ts);
        this.insertDoc.run(doc, row.event_id, row.room_id, row.ts);
        this.insertText.run(doc, body);
      }
      this.clearPending.run();
      return ids.length;
    })();
  }

  private nextDoc(at: number): number {
    const bucket = docBucket(at);
    const max = this.maxInBucket.get(bucket, bucket + perSecond) as number | null;
    if (max === null) return bucket;
    if (max + 1 < bucket + perSecond) return max + 1;
    return (this.maxDoc.get() as number) + 1;
  }
}
