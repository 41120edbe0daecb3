import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { GovernanceQueries } from '../governance/governance-queries';
import { composeForumPost } from '../forum/forum-post-text';
import { circleLinks } from '../forum/circle-links';
import { PlenaryError } from '../../../shared/errors';
import type { ThreadSubject } from '../../../shared/governance/link-operation-types';

type ForumCall = Extract<keyof Handlers, `forum.${string}`>;

function checkPurpose(subject: ThreadSubject, purpose: 'result' | 'minutes'): void {
  if ((subject.kind === 'vote') !== (purpose === 'result')) {
    throw new PlenaryError('invalid_input', 'purpose: a vote posts its result, an assembly its minutes', { field: 'purpose' });
  }
}

export function forumHandlers(core: CoreServices): Pick<Handlers, ForumCall> {
  const { forum } = core;
  const queries = new GovernanceQueries(core.db, () => core.identity.current(), () => core.clock.now());
  return {
    'forum.status': () => forum.view(),
    'forum.setAddress': ({ address }) => forum.setAddress(address),
    'forum.signIn': () => forum.signIn(),
    'forum.cancelSignIn': () => forum.cancelSignIn(),
    'forum.revoke': () => forum.revoke(),
    'forum.categories': () => forum.categories(),
    'forum.topics': ({ circleId }) => {
      queries.circle(circleId);
      return forum.topics(circleId);
    },
    'forum.topic': ({ topicId }) => forum.topic(topicId),
    'forum.resolveThread': ({ url }) => forum.resolveThread(url),
    'forum.links': ({ circleId }) => {
      queries.circle(circleId);
      return circleLinks(core.db, circleId);
    },
    'forum.preview': ({ circleId, subject, purpose, locale }) => {
      checkPurpose(subject, purpose);
      const { title, raw } = composeForumPost(queries, circleId, subject, locale);
      return { title, raw };
    },
    'forum.post': (input) => {
      checkPurpose(input.subject, input.purpose);
      return forum.post(input);
    },
    'forum.queue': ({ circleId }) => forum.queue.list(circleId),
    'forum.retry': ({ id }) => forum.queue.retry(id),
    'forum.dismiss': ({ id }) => {
      forum.queue.dismiss(id);
      return { dismissed: true };
    },
  };
}
