// Forum failures in words the interface translates (params.reason, in the "forum" namespace)
// with the forum's own sentences as detail, so nothing refused is ever silent.
import { PlenaryError } from '../../../shared/errors';
import { ForumHttpError, ForumNetworkError } from './discourse-http';

export type ForumReason =
  | 'forum_not_configured'
  | 'forum_address_invalid'
  | 'forum_unreachable'
  | 'not_discourse'
  | 'forum_signed_out'
  | 'forum_key_expired'
  | 'forum_rate_limited'
  | 'forum_refused'
  | 'forum_not_found'
  | 'forum_error'
  | 'forum_payload_invalid'
  | 'forum_no_sign_in'
  | 'forum_redirect_port'
  | 'forum_browser'
  | 'forum_no_category'
  | 'forum_no_thread'
  | 'forum_already_posted'
  | 'forum_not_a_topic_link';

export function forumProblem(code: ConstructorParameters<typeof PlenaryError>[0], reason: ForumReason, message: string, params: Record<string, string | number> = {}, field?: string): PlenaryError {
  return new PlenaryError(code, message, { params: { reason, ...params }, ...(field ? { field } : {}) });
}

/** A failed forum request as an error the member can act on. */
export function forumError(error: unknown, site: string): PlenaryError {
  if (error instanceof PlenaryError) return error;
  if (error instanceof ForumNetworkError) return forumProblem('offline', 'forum_unreachable', `The forum at ${site} could not be reached: ${error.message}`, { address: site });
  if (error instanceof ForumHttpError) {
    const detail = error.errors.join(' ') || error.message;
    if (error.status === 429) {
      const seconds = error.retryAfterSeconds ?? 60;
      return forumProblem('rate_limited', 'forum_rate_limited', `The forum asks to wait ${seconds} seconds before the next request`, { seconds, detail });
    }
    if (error.status === 403 && error.errorType === 'invalid_access') {
      return forumProblem('forbidden', 'forum_key_expired', 'The forum no longer accepts Plenary\'s key (it was revoked or expired); sign in to the forum again in Settings › Forum', { detail });
    }
    if (error.status === 422) return forumProblem('invalid_input', 'forum_refused', `The forum refused the post: ${detail}`, { detail });
    if (error.status === 404) return forumProblem('not_found', 'forum_not_found', `The forum has no such page: ${detail}`, { detail });
    if (error.errorType === 'not_json' || (error.status >= 300 && error.status < 400)) {
      return forumProblem('remote_error', 'not_discourse', `${site} does not answer like a Discourse forum; check the forum address in Settings › Forum`, { address: site });
    }
    return forumProblem('remote_error', 'forum_error', `The forum answered ${error.status}: ${detail}`, { status: error.status, detail });
  }
  return forumProblem('internal', 'forum_error', error instanceof Error ? error.message : String(error), { detail: error instanceof Error ? error.message : String(error) });
}

/** Whether a failure means the forum did not take the request (safe to send again as it is). */
export function notReceived(error: unknown): boolean {
  return error instanceof ForumHttpError && (error.status === 429 || error.status === 403 || error.status === 422 || error.status === 404);
}
