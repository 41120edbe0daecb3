// The operation envelope. Every change to governance data (circles, assemblies, votes,
// contributions) is one operation: created locally from the UI or received through sync,
// validated, appended to the operation log and folded into the materialized tables in the
// same transaction. Payload schemas per type live in ./operation-types.ts.
import { z } from 'zod';
import { idPattern } from './ids';

/** The schema version this build writes. Operations with another version are refused. */
export const operationSchemaVersion = 1;

/** A member or actor id: a Matrix user id (@name:server) or a local identity (local:<uuid>). */
export const actorIdSchema = z
  .string()
  .min(3)
  .max(255)
  .regex(/^(@[^\s:]+:[^\s]+|local:[0-9a-f-]{36})$/, 'must be a Matrix user id like @name:server or a local identity');

export const entityIdSchema = z.string().regex(idPattern, 'must be a 26-character id');
export const hlcSchema = z.string().regex(/^\d{13}-\d{6}-[A-Za-z0-9_]{1,32}$/, 'must be a hybrid logical clock timestamp');

export const operationEnvelopeSchema = z
  .object({
    id: entityIdSchema,
    hlc: hlcSchema,
    actor: actorIdSchema,
    circle: entityIdSchema,
    type: z.string().min(1).max(64),
    // Checked in full by the type's schema; here only its shape. (z.record would walk every
    // key at several microseconds an operation, on the sync hot path.)
    payload: z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'must be an object'),
    v: z.number().int(),
  })
  .strict();

export interface Operation<T extends string = string, P = Record<string, unknown>> {
  /** Unique, time-sortable id (ids.ts). */
  id: string;
  /** Hybrid logical clock timestamp (hlc.ts); decides last-writer-wins. */
  hlc: string;
  /** Who made the change: a Matrix user id, or the local identity before any server is connected. */
  actor: string;
  /** The circle the change belongs to; circles are the unit of sync (one Matrix room each). */
  circle: string;
  type: T;
  payload: P;
  /** Payload schema version. */
  v: number;
}
