// The decision archive: full-text search over votes (question, details, outcome statement)
// and assembly minutes, filtered by circle, kind, method, status, outcome and date. See
// shared/governance/archive-query.ts for what a query means.
import { z } from 'zod';
import { call, returns } from './define';
import { searchTextSchema } from './search-text';
import { entityIdSchema } from '../governance/operation';
import { voteMethods, type VoteMethod } from '../governance/operation-types';
import { archivePageMax, type SnippetSegment } from '../governance/archive-query';

const time = z.int().min(0).max(8_640_000_000_000_000);

export const archiveSearchSchema = z
  .object({
    text: searchTextSchema,
    circleId: entityIdSchema.optional(),
    kind: z.enum(['vote', 'minutes']).optional(),
    /** Votes only: their method. */
    method: z.enum(voteMethods).optional(),
    /** Votes only: open, or closed (by a facilitator or by their closing time). */
    status: z.enum(['open', 'closed']).optional(),
    /** Votes only: with an outcome statement, or without one. */
    outcome: z.enum(['recorded', 'none']).optional(),
    /** Inclusive bounds (ms) on when: a vote's creation, the assembly's date for minutes. */
    from: time.optional(),
    to: time.optional(),
    limit: z.int().min(1).max(archivePageMax).optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, { message: 'the start date must be on or before the end date', path: ['to'] });

export type ArchiveSearchInput = z.output<typeof archiveSearchSchema>;

export interface ArchiveHit {
  kind: 'vote' | 'minutes';
  circle: string;
  circleName: string;
  /** The vote's id; null for minutes. */
  voteId: string | null;
  /** The assembly the minutes belong to, or the vote was put in (null for a vote outside one). */
  assemblyId: string | null;
  /** The agenda item of the minutes; null for a vote. */
  itemId: string | null;
  /** The vote's question, or the assembly's title. */
  title: string;
  /** The agenda item's title, for minutes. */
  itemTitle: string | null;
  /** Where the text matched, with the matching parts marked; plain text. */
  snippet: SnippetSegment[];
  at: number;
  method: VoteMethod | null;
  status: 'open' | 'closed' | null;
  hasOutcome: boolean;
}

export interface ArchivePage {
  hits: ArchiveHit[];
  /** More entries match than were returned. */
  more: boolean;
}

export const archiveCalls = {
  archive: {
    search: call(archiveSearchSchema, returns<ArchivePage>()),
  },
};
