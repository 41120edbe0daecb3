// Reasons on ballots, per vote: off, optional or required, each at most 500 characters
// (Loomio's cap). A vote made before this setting has none: its reasons stay optional, up to
// the 1,000 characters the ballot schema has always allowed, so old ballots still count.
// Pure: the one check for ballots made here and ballots received (authorization.ts), and the
// form's hint.
import { maxReasonLength, type ReasonMode } from './operation-types';

/** Why a ballot's reason does not suit its vote; translated as governance:errors.<problem>. */
export type ReasonProblem = 'reason_required' | 'reason_too_long' | 'reasons_off';

/** The problem with `reason` on a vote whose reasons setting is `mode` (null: a vote without the setting), or null. */
export function reasonProblem(mode: ReasonMode | null | undefined, reason: unknown): ReasonProblem | null {
  if (mode === null || mode === undefined) return null;
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (mode === 'off') return text === '' ? null : 'reasons_off';
  if (mode === 'required' && text === '') return 'reason_required';
  // Counted in UTF-16 code units, as the schemas count every other length.
  return typeof reason === 'string' && reason.length > maxReasonLength ? 'reason_too_long' : null;
}

/** Precise English for logs and the refusals list. */
export function reasonProblemDetail(problem: ReasonProblem): string {
  switch (problem) {
    case 'reason_required':
      return 'this vote requires a reason with each ballot';
    case 'reason_too_long':
      return `a reason on this vote is at most ${maxReasonLength} characters`;
    case 'reasons_off':
      return 'this vote takes no reasons';
  }
}

/** The longest reason a vote's form accepts. */
export function reasonLimit(mode: ReasonMode | null | undefined): number {
  return mode === null || mode === undefined ? 1000 : maxReasonLength;
}
