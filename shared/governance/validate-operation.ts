// Structural validation of an operation: the envelope, then the payload against its type's
// schema for the operation's schema version. Pure (no database, no clock), so sync, the
// store and tests share one definition of "well formed". Errors name the offending field
// with its full path (payload.minutes, payload.options.2.label).
import type { z } from 'zod';
import { PlenaryError, schemaIssueReason } from '../errors';
import { operationEnvelopeSchema, operationSchemaVersion } from './operation';
import { isOperationType, operationTypes, type GovernanceOperation } from './operation-types';
import { fastValidate } from './fast-validate';

export type ValidationResult = { ok: true; op: GovernanceOperation } | { ok: false; error: PlenaryError };

function issueError(error: z.ZodError, prefix: string[]): PlenaryError {
  const issue = error.issues[0];
  const path = [...prefix, ...(issue?.path ?? []).map(String)];
  const field = path.length > 0 ? path.join('.') : undefined;
  const detail = issue?.message ?? 'invalid';
  const message = field ? `Operation field "${field}": ${detail}` : `Operation: ${detail}`;
  const reason = schemaIssueReason(issue);
  const params = { ...(field === undefined ? {} : { field }), detail, ...(reason ? { reason } : {}) };
  return new PlenaryError('invalid_input', message, field === undefined ? { params } : { field, params });
}

export function validateOperation(raw: unknown): ValidationResult {
  // Contributions and ballots, the bulk of what sync delivers, take a cheap exact path.
  const fast = fastValidate(raw);
  return fast ? { ok: true, op: fast } : validateOperationWithZod(raw);
}

/** The full check with zod, which also says exactly what is wrong and where. */
export function validateOperationWithZod(raw: unknown): ValidationResult {
  const envelope = operationEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, error: issueError(envelope.error, []) };
  const { type, v, payload } = envelope.data;
  if (!isOperationType(type)) {
    const shown = type.slice(0, 64);
    return {
      ok: false,
      error: new PlenaryError('invalid_input', `Operation field "type": unknown operation type "${shown}"`, {
        field: 'type',
        params: { field: 'type', detail: `unknown operation type "${shown}"` },
      }),
    };
  }
  if (v !== operationSchemaVersion) {
    const detail =
      v > operationSchemaVersion
        ? `schema version ${v} is newer than this Plenary understands (${operationSchemaVersion}); update Plenary`
        : `schema version ${v} is not supported (expected ${operationSchemaVersion})`;
    return { ok: false, error: new PlenaryError('invalid_input', `Operation field "v": ${detail}`, { field: 'v', params: { field: 'v', detail } }) };
  }
  const parsed = operationTypes[type].schema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: issueError(parsed.error, ['payload']) };
  return { ok: true, op: { ...envelope.data, type, payload: parsed.data } as GovernanceOperation };
}
