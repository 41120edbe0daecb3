// What the core answers about the coop's forum (Discourse): the member's account, a circle's
// category and its topics, a topic to read, and posts waiting to go out. Plain data shared by
// the contract and the renderer. Keys and passwords never appear here.
import type { TokenStorage } from '../contract/matrix';
import type { PlenaryErrorData } from '../errors';
import type { AttachmentSubject, ForumCategoryRef, ForumThreadRef, PostPurpose, ThreadSubject } from '../governance/link-operation-types';

export interface ForumStatusView {
  /** The forum in use: the member's own address, else coop.json's; null when neither is set. */
  address: string | null;
  /** What the member typed in Settings ('' to use coop.json's). */
  memberAddress: string;
  coopAddress: string | null;
  account: { username: string; name: string; site: string; since: number } | null;
  /** The forum stopped accepting the key (revoked there, or expired unused): sign in again. */
  expired: boolean;
  /** Waiting for the member to approve Plenary in the browser. */
  pending: { url: string; startedAt: number } | null;
  /** How the key is kept on this computer. */
  keyStorage: TokenStorage;
}

export interface ForumCategoryView {
  id: number;
  slug: string;
  name: string;
  description: string;
  topicCount: number;
}

export interface ForumTopicSummary {
  id: number;
  title: string;
  url: string;
  postsCount: number;
  lastPostedAt: number | null;
  lastPoster: string;
  /** Never opened by the member. */
  unseen: boolean;
  /** Posts the member has not read yet (0 when unseen: the whole topic is new). */
  unreadPosts: number;
}

/** Something read from the forum, or what was read last when it cannot be reached now. */
export interface ForumRead {
  /** When this was read from the forum; null when never. */
  fetchedAt: number | null;
  /** True when the forum could not answer now and this is what was read before. */
  fromCache: boolean;
  /** Why the forum did not answer now (offline, rate limited, key expired), or null. */
  problem: PlenaryErrorData | null;
}

export interface ForumCategoryList extends ForumRead {
  categories: ForumCategoryView[];
}

export interface ForumTopicList extends ForumRead {
  category: ForumCategoryRef | null;
  topics: ForumTopicSummary[];
}

export interface ForumPostView {
  id: number;
  postNumber: number;
  username: string;
  name: string;
  createdAt: number;
  /** Discourse's cooked HTML, sanitised as chat messages are; null when nothing displayable is left. */
  html: string | null;
}

export interface ForumTopicView extends ForumRead {
  id: number;
  title: string;
  url: string;
  posts: ForumPostView[];
  /** Posts in the topic beyond those shown (read them on the forum). */
  morePosts: number;
}

export type ForumPostTarget = { kind: 'reply'; topicId: number } | { kind: 'topic'; categoryId: number; title: string };

export type QueueState = 'queued' | 'sending' | 'posted' | 'refused';

export interface ForumQueueEntry {
  id: string;
  circle: string;
  subject: ThreadSubject;
  purpose: PostPurpose;
  target: ForumPostTarget;
  state: QueueState;
  attempts: number;
  /** When it is tried again by itself (offline, rate limited), or null. */
  nextAt: number | null;
  /** Why the last try did not post: a reason the interface translates and the forum's own words. */
  problem: PlenaryErrorData | null;
  url: string | null;
  createdAt: number;
}

export interface AttachmentView {
  attachmentId: string;
  subject: AttachmentSubject;
  name: string;
  url: string;
  sizeBytes: number;
  addedBy: string;
}

/** A circle's forum and file links, as every member sees them after sync. */
export interface CircleLinksView {
  category: ForumCategoryRef | null;
  threads: { subject: ThreadSubject; thread: ForumThreadRef }[];
  posts: { subject: ThreadSubject; postId: number; topicId: number; url: string; purpose: PostPurpose; postedBy: string }[];
  attachments: AttachmentView[];
}
