// Reads a circle's forum and file links from the tables link-fold.ts writes.
import type { Db } from '../store/database';
import type { CircleLinksView } from '../../../shared/forum/types';
import type { AttachmentSubject, PostPurpose, ThreadSubject } from '../../../shared/governance/link-operation-types';

export function threadSubjectOf(kind: string, id: string): ThreadSubject {
  return kind === 'vote' ? { kind: 'vote', voteId: id } : { kind: 'assembly', assemblyId: id };
}

export function attachmentSubjectOf(kind: string, id: string, itemId: string): AttachmentSubject {
  return kind === 'vote' ? { kind: 'vote', voteId: id } : { kind: 'agenda', assemblyId: id, itemId };
}

export function circleLinks(db: Db, circle: string): CircleLinksView {
  const category = db.prepare('SELECT category_id, slug, name FROM gov_forum_categories WHERE circle = ? AND category_id IS NOT NULL').get(circle) as
    | { category_id: number; slug: string; name: string }
    | undefined;
  const threads = db
    .prepare('SELECT subject_kind, subject_id, topic_id, url, title FROM gov_forum_threads WHERE circle = ? AND topic_id IS NOT NULL ORDER BY subject_kind, subject_id')
    .all(circle) as { subject_kind: string; subject_id: string; topic_id: number; url: string; title: string }[];
  const posts = db
    .prepare('SELECT subject_kind, subject_id, post_id, topic_id, url, purpose, posted_by FROM gov_forum_posts WHERE circle = ? ORDER BY set_v')
    .all(circle) as { subject_kind: string; subject_id: string; post_id: number; topic_id: number; url: string; purpose: PostPurpose; posted_by: string }[];
  const attachments = db
    .prepare(
      "SELECT attachment_id, subject_kind, subject_id, item_id, name, url, size_bytes, added_by FROM gov_attachments WHERE circle = ? AND set_v > removed_v AND subject_kind != '' ORDER BY set_v",
    )
    .all(circle) as { attachment_id: string; subject_kind: string; subject_id: string; item_id: string; name: string; url: string; size_bytes: number; added_by: string }[];
  return {
    category: category ? { id: category.category_id, slug: category.slug, name: category.name } : null,
    threads: threads.map((t) => ({ subject: threadSubjectOf(t.subject_kind, t.subject_id), thread: { topicId: t.topic_id, url: t.url, title: t.title } })),
    posts: posts.map((p) => ({ subject: threadSubjectOf(p.subject_kind, p.subject_id), postId: p.post_id, topicId: p.topic_id, url: p.url, purpose: p.purpose, postedBy: p.posted_by })),
    attachments: attachments.map((a) => ({
      attachmentId: a.attachment_id,
      subject: attachmentSubjectOf(a.subject_kind, a.subject_id, a.item_id),
      name: a.name,
      url: a.url,
      sizeBytes: a.size_bytes,
      addedBy: a.added_by,
    })),
  };
}
