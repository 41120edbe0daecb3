// Whether a sync consumer's failure says something about the batch it was given, or only
// about the moment: the network, the server (429, 5xx), an expired sign-in or the disk. A
// passing failure is retried for as long as it lasts and never gets an event skipped: that
// would lose what the event carried for nothing. Anything else (a bug met by one event's
// shape, a refusal no retry changes) is retried a bounded number of times, then the events
// the consumer fails on are skipped and listed (sync-loop.ts).
import { MatrixHttpError, MatrixNetworkError } from './matrix-connection';
import { isStorageError } from '../store/store-problem';

export function isPassingFailure(error: unknown): boolean {
  if (error instanceof MatrixNetworkError) return true;
  if (error instanceof MatrixHttpError) return error.status === 429 || error.status >= 500 || error.status === 401;
  if (error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR')) return true;
  return isStorageError(error);
}
