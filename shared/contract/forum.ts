// The coop's forum (Discourse): sign-in with a User API key, a circle's category and topics,
// reading a topic, linking threads, and posting results and minutes through a queue that
// never posts twice. See README "The coop's forum".
import { z } from 'zod';
import { call, event, returns } from './define';
import { entityIdSchema } from '../governance/operation';
import { threadSubjectSchema, type ForumThreadRef } from '../governance/link-operation-types';
import { supportedLocales } from '../locales';
import type { CircleLinksView, ForumCategoryList, ForumQueueEntry, ForumStatusView, ForumTopicList, ForumTopicView } from '../forum/types';

const topicId = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const purpose = z.enum(['result', 'minutes']);

export const forumCalls = {
  forum: {
    status: call(z.object({}).strict(), returns<ForumStatusView>()),
    /** The member's own forum address; '' to use the coop's (coop.json). */
    setAddress: call(z.object({ address: z.string().trim().max(2048) }).strict(), returns<ForumStatusView>()),
    /** Opens the forum's authorisation page (the page opens it itself in the browser bridge). */
    signIn: call(z.object({}).strict(), returns<{ url: string; openedExternally: boolean }>()),
    cancelSignIn: call(z.object({}).strict(), returns<ForumStatusView>()),
    /** Revokes the key on the forum (when it answers) and forgets it here. */
    revoke: call(z.object({}).strict(), returns<{ status: ForumStatusView; revokedOnForum: boolean }>()),
    categories: call(z.object({}).strict(), returns<ForumCategoryList>()),
    /** The latest topics of the circle's category, with the member's unread state. */
    topics: call(z.object({ circleId: entityIdSchema }).strict(), returns<ForumTopicList>()),
    /** A topic to read in Plenary (marked read on the forum when it answers). */
    topic: call(z.object({ topicId }).strict(), returns<ForumTopicView>()),
    /** Reads a pasted topic address (…/t/slug/123) from the forum: what forum.thread.set stores. */
    resolveThread: call(z.object({ url: z.string().trim().min(1).max(2000) }).strict(), returns<ForumThreadRef>()),
    /** The circle's category, threads, posted results and attachments. */
    links: call(z.object({ circleId: entityIdSchema }).strict(), returns<CircleLinksView>()),
    /** What would be posted (Markdown the forum renders), for the member to see first. */
    preview: call(z.object({ circleId: entityIdSchema, subject: threadSubjectSchema, purpose, locale: z.enum(supportedLocales) }).strict(), returns<{ title: string; raw: string }>()),
    /** Queues the result or minutes as a reply to the subject's thread or a new topic in the circle's category. */
    post: call(
      z.object({ circleId: entityIdSchema, subject: threadSubjectSchema, purpose, target: z.enum(['reply', 'topic']), locale: z.enum(supportedLocales) }).strict(),
      returns<ForumQueueEntry>(),
    ),
    queue: call(z.object({ circleId: entityIdSchema.optional() }).strict(), returns<ForumQueueEntry[]>()),
    /** Tries a waiting or refused post again now. */
    retry: call(z.object({ id: entityIdSchema }).strict(), returns<ForumQueueEntry>()),
    /** Drops a refused post from the queue. */
    dismiss: call(z.object({ id: entityIdSchema }).strict(), returns<{ dismissed: true }>()),
  },
};

export const forumEvents = {
  'forum.status': event<ForumStatusView>(),
  /** A queued post changed state: refetch forum.queue. */
  'forum.queue': event<{ circle: string }>(),
};
