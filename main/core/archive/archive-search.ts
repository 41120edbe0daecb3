// Searching the decision archive: the index kept by triggers on the folded governance tables
// (migrations/20261210T0200-decision-archive.ts). What a member types is never spliced into
// SQL or into FTS5 syntax: terms become FTS5 string literals and escaped LIKE patterns
// (shared/governance/archive-query.ts), passed as parameters.
import type { Db } from '../store/database';
import type { VoteMethod } from '../../../shared/governance/operation-types';
import { findSnippet, ftsMatchExpression, highlightClose, highlightOpen, likePattern, parseArchiveQuery, snippetSegments } from '../../../shared/governance/archive-query';
import { ArchiveIndex, docBucket } from './archive-index';
import type { ArchiveHit, ArchivePage, ArchiveSearchInput } from '../../../shared/contract/archive';

const defaultLimit = 50;
const maxAt = 100_000_000_000_000;

interface HitRow {
  kind: 'vote' | 'minutes';
  circle: string;
  ref_id: string;
  item_id: string;
  at: number;
  method: VoteMethod | null;
  closes_at: number | null;
  closed: number;
  has_outcome: number;
  title: string;
  body: string;
  outcome: string;
  marked: string | null;
  circle_name: string | null;
  vote_assembly: string | null;
  item_title: string | null;
}

export class ArchiveSearch {
  private readonly index: ArchiveIndex;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.index = new ArchiveIndex(db);
  }

  search(input: ArchiveSearchInput): ArchivePage {
    // What the fold changed since the last search is indexed first (archive-index.ts).
    this.index.refresh();
    const limit = input.limit ?? defaultLimit;
    const terms = parseArchiveQuery(input.text);
    const match = ftsMatchExpression(terms);
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: limit + 1, now: this.now() };

    if (match !== null) {
      where.push('archive_fts MATCH @match');
      args.match = match;
    }
    // Short terms: LIKE over the entry's text. The unary + keeps the constraint from being
    // handed to FTS5 (which would scan its whole table for a pattern without a trigram):
    // SQLite tests it on each candidate instead.
    terms.short.forEach((term, i) => {
      where.push(`(+f.title LIKE @short${i} ESCAPE '\\' OR +f.body LIKE @short${i} ESCAPE '\\' OR +f.outcome LIKE @short${i} ESCAPE '\\')`);
      args[`short${i}`] = likePattern(term);
    });
    if (input.circleId) {
      where.push('d.circle = @circle');
      args.circle = input.circleId;
    }
    // Filters on the entries are tested entry by entry (the unary + keeps SQLite from reading
    // them through the (kind, …) index, which would lose the newest-first order and its early stop).
    if (input.kind) {
      where.push('+d.kind = @kind');
      args.kind = input.kind;
    }
    // Method, status and outcome are a vote's: minutes are left out when one is asked for.
    if (input.method) {
      where.push("+d.kind = 'vote' AND d.method = @method");
      args.method = input.method;
    }
    if (input.status === 'open') where.push("+d.kind = 'vote' AND d.closed = 0 AND (d.closes_at IS NULL OR d.closes_at > @now)");
    if (input.status === 'closed') where.push("+d.kind = 'vote' AND (d.closed = 1 OR d.closes_at <= @now)");
    if (input.outcome) where.push(`+d.kind = 'vote' AND d.has_outcome = ${input.outcome === 'recorded' ? 1 : 0}`);
    if (input.from !== undefined) {
      where.push('d.at >= @from');
      args.from = input.from;
    }
    if (input.to !== undefined) {
      where.push('d.at <= @to');
      args.to = input.to;
    }

    if (input.from !== undefined || input.to !== undefined) {
      // Entries' rowids follow their dates (see the migration): only that range is read.
      const lead = match !== null ? 'f.rowid' : 'd.doc';
      where.push(`${lead} >= @fromDoc AND ${lead} < @toDoc`);
      args.fromDoc = docBucket(input.from ?? 0);
      args.toDoc = docBucket(input.to ?? maxAt) + 65_536;
    }
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // Newest first, in rowid order: FTS5 (or, with no indexed term, the entries' table: the
    // CROSS JOINs fix which one leads) hands entries over in that order and the query stops
    // at the end of the page, so a word found in half the archive costs no
    // more than a rare one, and only the page's entries get a snippet and names. (Relevance
    // ranking would have to score every match first: 60 ms and more for a common word over
    // 100,000 entries, where substring matches rank poorly anyway.)
    const rows = this.db
      .prepare(
        `SELECT d.*, f.title, f.body, f.outcome, ${match !== null ? `snippet(archive_fts, -1, '${highlightOpen}', '${highlightClose}', '…', 40)` : 'NULL'} AS marked,
           c.name AS circle_name, v.assembly_id AS vote_assembly, i.title AS item_title
         FROM ${match !== null ? 'archive_fts f CROSS JOIN archive_docs d ON d.doc = f.rowid' : 'archive_docs d CROSS JOIN archive_fts f ON f.rowid = d.doc'}
         LEFT JOIN gov_circles c ON c.circle = d.circle
         LEFT JOIN gov_votes v ON d.kind = 'vote' AND v.circle = d.circle AND v.vote_id = d.ref_id
         LEFT JOIN gov_agenda_items i ON d.kind = 'minutes' AND i.circle = d.circle AND i.assembly_id = d.ref_id AND i.item_id = d.item_id
         ${whereSql}
         ORDER BY ${match !== null ? 'f.rowid' : 'd.doc'} DESC LIMIT @limit`,
      )
      .all(args) as HitRow[];
    const now = this.now();
    const hits = rows.slice(0, limit).map((row): ArchiveHit => {
      const vote = row.kind === 'vote';
      return {
        kind: row.kind,
        circle: row.circle,
        circleName: row.circle_name ?? '',
        voteId: vote ? row.ref_id : null,
        assemblyId: vote ? row.vote_assembly : row.ref_id,
        itemId: vote ? null : row.item_id,
        title: row.title,
        itemTitle: vote ? null : row.item_title,
        snippet: this.snippet(row, terms.short),
        at: row.at,
        method: vote ? row.method : null,
        status: vote ? (row.closed === 1 || (row.closes_at !== null && row.closes_at <= now) ? 'closed' : 'open') : null,
        hasOutcome: row.has_outcome === 1,
      };
    });
    return { hits, more: rows.length > limit };
  }

  /** FTS5's snippet when the index matched; otherwise one made here around the short terms. */
  private snippet(row: HitRow, short: readonly string[]) {
    const texts = row.kind === 'vote' ? [row.body, row.outcome, row.title] : [row.body, row.title];
    if (row.marked !== null) {
      const segments = snippetSegments(row.marked);
      // A match only in a short term (or in the title, already shown) still gets its words marked.
      if (segments.some((s) => s.match)) return segments;
      if (short.length > 0) return findSnippet(texts, short);
      return segments;
    }
    return findSnippet(texts, short);
  }
}
