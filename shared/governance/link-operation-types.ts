// Governance operations that tie circles, votes, assemblies and agenda items to the coop's
// forum (Discourse) and files (NextCloud). They are operations, not local state, because every
// member must see them after sync: the circle's forum category, the thread a vote or an
// assembly is discussed in, the posts its result or minutes went out as, and the files
// attached to an agenda item or a vote (as public share links, which open for everyone).
//
// Folding (main/core/store/link-fold.ts): the category and a subject's thread are last-writer-
// wins registers (null unlinks), posts and attachments are last-writer-wins element sets.
// Registered in operation-types.ts.
import { z } from 'zod';
import { entityIdSchema } from './operation';

/** Discourse ids are positive integers (topics, posts, categories). */
const forumId = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/** An https address (http only on this computer, for a test server); shown to members as a link. */
export const linkUrlSchema = z
  .string()
  .max(2000)
  .regex(/^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?)(\/[^\s]*)?$/, 'must be an https:// address');

const label = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be empty');

export const forumCategorySchema = z.object({ id: forumId, slug: z.string().min(1).max(200), name: label(200) }).strict();
export type ForumCategoryRef = z.infer<typeof forumCategorySchema>;

/** What a thread or a post belongs to: a vote or an assembly. */
export const threadSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vote'), voteId: entityIdSchema }).strict(),
  z.object({ kind: z.literal('assembly'), assemblyId: entityIdSchema }).strict(),
]);
export type ThreadSubject = z.infer<typeof threadSubjectSchema>;

/** What a file is attached to: a vote or an agenda item of an assembly. */
export const attachmentSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vote'), voteId: entityIdSchema }).strict(),
  z.object({ kind: z.literal('agenda'), assemblyId: entityIdSchema, itemId: entityIdSchema }).strict(),
]);
export type AttachmentSubject = z.infer<typeof attachmentSubjectSchema>;

export const forumThreadSchema = z.object({ topicId: forumId, url: linkUrlSchema, title: label(300) }).strict();
export type ForumThreadRef = z.infer<typeof forumThreadSchema>;

export const postPurposes = ['result', 'minutes'] as const;
export type PostPurpose = (typeof postPurposes)[number];

/** 5 GiB: more than NextCloud's default upload limit; sizes are shown, never trusted for anything. */
export const maxAttachmentBytes = 5 * 1024 ** 3;

export const linkOperationSchemas = {
  'circle.forum.set': z.object({ category: forumCategorySchema.nullable() }).strict(),
  'forum.thread.set': z.object({ subject: threadSubjectSchema, thread: forumThreadSchema.nullable() }).strict(),
  'forum.post.add': z.object({ subject: threadSubjectSchema, postId: forumId, topicId: forumId, url: linkUrlSchema, purpose: z.enum(postPurposes) }).strict(),
  'attachment.add': z
    .object({ attachmentId: entityIdSchema, subject: attachmentSubjectSchema, name: label(255), url: linkUrlSchema, sizeBytes: z.int().min(0).max(maxAttachmentBytes) })
    .strict(),
  'attachment.remove': z.object({ attachmentId: entityIdSchema }).strict(),
};
