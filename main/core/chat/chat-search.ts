// Searching the cached messages of every room: the index kept by triggers on the chat cache
// (migrations/20261211T0300-chat-search.ts, brought up to date by chat-search-index.ts), and
// for encrypted rooms the same index in the sealed database (sealed-chat.ts); the hits of
// both are merged newest first.
// What a member types is parsed and escaped exactly as for the decision archive
// (shared/governance/archive-query.ts): terms become FTS5 string literals and escaped LIKE
// patterns passed as parameters, so no character is ever read as syntax.
import type { Db } from '../store/database';
import { findSnippet, ftsMatchExpression, highlightClose, highlightOpen, likePattern, parseArchiveQuery, snippetSegments } from '../../../shared/governance/archive-query';
import type { ChatSearchHit, ChatSearchInput } from '../../../shared/contract/chat-search';
import { ChatSearchIndex } from './chat-search-index';

const defaultLimit = 50;
/** Shown messages above a hit that the jump loads with it. */
export const contextAbove = 20;

interface HitRow {
  doc: number;
  event_id: string;
  room_id: string;
  ts: number;
  body: string;
  marked: string | null;
  pos: number;
  sender: string;
  display_name: string | null;
}

export class ChatSearch {
  readonly index: ChatSearchIndex;
  private sealedIndex: { db: Db; index: ChatSearchIndex } | null = null;

  /**
   * `sealed`: the sealed database of encrypted rooms (sealed-chat.ts), read at each search
   * (signing out replaces it); its hits are merged with the main store's.
   */
  constructor(
    private readonly db: Db,
    private readonly sealed: (() => Db | null) | null = null,
  ) {
    this.index = new ChatSearchIndex(db);
  }

  /** Hits newest first (at most `limit`), and whether more matched. An empty query finds nothing. */
  search(input: ChatSearchInput): { hits: ChatSearchHit[]; more: boolean } {
    this.index.refresh();
    const limit = input.limit ?? defaultLimit;
    const terms = parseArchiveQuery(input.text);
    if (terms.indexed.length === 0 && terms.short.length === 0) return { hits: [], more: false };
    let rows = matches(this.db, terms, input, limit, true);
    const sealedDb = this.sealed?.() ?? null;
    if (sealedDb) {
      if (this.sealedIndex?.db !== sealedDb) this.sealedIndex = { db: sealedDb, index: new ChatSearchIndex(sealedDb) };
      this.sealedIndex.index.refresh();
      const sealedRows = matches(sealedDb, terms, input, limit, false);
      // Both indexes number documents by time (chat-search-index.ts): newest first across the two.
      if (sealedRows.length > 0) rows = [...rows, ...sealedRows].sort((a, b) => b.doc - a.doc);
      const unnamed = sealedRows.filter((row) => row.display_name === null);
      const name = this.db.prepare('SELECT display_name FROM chat_members WHERE room_id = ? AND user_id = ?').pluck();
      for (const row of unnamed) row.display_name = (name.get(row.room_id, row.sender) as string | null | undefined) ?? null;
    }
    // Where a jump starts: the main store holds every event's row, sealed or not.
    const fromPos = this.db.prepare('SELECT min(pos) FROM (SELECT pos FROM chat_events WHERE room_id = ? AND shown = 1 AND pos < ? ORDER BY pos DESC LIMIT ?)').pluck();
    const hits = rows.slice(0, limit).map(
      (row): ChatSearchHit => ({
        roomId: row.room_id,
        eventId: row.event_id,
        pos: row.pos,
        fromPos: (fromPos.get(row.room_id, row.pos, contextAbove) as number | null) ?? row.pos,
        sender: row.sender,
        senderName: row.display_name ?? row.sender,
        ts: row.ts,
        snippet: snippetOf(row, terms.short),
      }),
    );
    return { hits, more: rows.length > limit };
  }
}

/** One store's matches, newest first: at most limit + 1. `members`: the store has chat_members (the main one). */
function matches(db: Db, terms: ReturnType<typeof parseArchiveQuery>, input: ChatSearchInput, limit: number, members: boolean): HitRow[] {
  const match = ftsMatchExpression(terms);
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: limit + 1 };
  if (match !== null) {
    where.push('chat_search_fts MATCH @match');
    args.match = match;
  }
  // Short terms: LIKE on each candidate (the unary + keeps FTS5 from scanning for them).
  terms.short.forEach((term, i) => {
    where.push(`+f.body LIKE @short${i} ESCAPE '\\'`);
    args[`short${i}`] = likePattern(term);
  });
  if (input.roomId) {
    where.push('+d.room_id = @room');
    args.room = input.roomId;
  }
  // Newest first in rowid order (rowids follow time): FTS5, or the documents' table when no
  // term has a trigram, leads and the query stops at the end of the page.
  return db
    .prepare(
      `SELECT d.doc, d.event_id, d.room_id, d.ts, f.body,
         ${match !== null ? `snippet(chat_search_fts, 0, '${highlightOpen}', '${highlightClose}', '…', 64)` : 'NULL'} AS marked,
         e.pos, e.sender, ${members ? 'm.display_name' : 'NULL AS display_name'}
       FROM ${match !== null ? 'chat_search_fts f CROSS JOIN chat_search_docs d ON d.doc = f.rowid' : 'chat_search_docs d CROSS JOIN chat_search_fts f ON f.rowid = d.doc'}
       JOIN chat_events e ON e.event_id = d.event_id
       ${members ? 'LEFT JOIN chat_members m ON m.room_id = d.room_id AND m.user_id = e.sender' : ''}
       WHERE ${where.join(' AND ')}
       ORDER BY ${match !== null ? 'f.rowid' : 'd.doc'} DESC LIMIT @limit`,
    )
    .all(args) as HitRow[];
}

function snippetOf(row: HitRow, short: readonly string[]) {
  if (row.marked !== null) {
    const segments = snippetSegments(row.marked);
    if (segments.some((s) => s.match) || short.length === 0) return segments;
  }
  return findSnippet([row.body], short);
}
