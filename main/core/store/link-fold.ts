// Folds the forum and file operations (shared/governance/link-operation-types.ts) into their
// tables, with the same guarantees as governance-fold.ts: commutative and idempotent, so any
// arrival order gives the same rows.
//   - a circle's category and a subject's thread: last-writer-wins registers (set_v);
//   - posts: a last-writer-wins element set keyed by the forum's post id;
//   - attachments: a last-writer-wins element set (a removal newer than the add hides it).
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { GovernanceOperation } from '../../../shared/governance/operation-types';
import type { AttachmentSubject, ThreadSubject } from '../../../shared/governance/link-operation-types';
import { operationStamp } from '../../../shared/governance/stamp';

export const linkOperationTypes = ['circle.forum.set', 'forum.thread.set', 'forum.post.add', 'attachment.add', 'attachment.remove'] as const;
export type LinkOperation = Extract<GovernanceOperation, { type: (typeof linkOperationTypes)[number] }>;

export function isLinkOperation(op: GovernanceOperation): op is LinkOperation {
  return (linkOperationTypes as readonly string[]).includes(op.type);
}

/** The tables this fold writes, for the store's digest and rebuild (governance-store.ts). */
export const linkTables: readonly (readonly [table: string, orderBy: string])[] = [
  ['gov_forum_categories', 'circle'],
  ['gov_forum_threads', 'circle, subject_kind, subject_id'],
  ['gov_forum_posts', 'circle, subject_kind, subject_id, post_id'],
  ['gov_attachments', 'circle, attachment_id'],
];

export function threadSubjectKey(subject: ThreadSubject): { subject_kind: string; subject_id: string } {
  return subject.kind === 'vote' ? { subject_kind: 'vote', subject_id: subject.voteId } : { subject_kind: 'assembly', subject_id: subject.assemblyId };
}

export function attachmentSubjectKey(subject: AttachmentSubject): { subject_kind: string; subject_id: string; item_id: string } {
  return subject.kind === 'vote'
    ? { subject_kind: 'vote', subject_id: subject.voteId, item_id: '' }
    : { subject_kind: 'agenda', subject_id: subject.assemblyId, item_id: subject.itemId };
}

export class LinkFold {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private run(sql: string, ...args: unknown[]): void {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    statement.run(...args);
  }

  apply(op: LinkOperation): void {
    const stamp = operationStamp(op);
    const circle = op.circle;
    switch (op.type) {
      case 'circle.forum.set': {
        const c = op.payload.category;
        this.run(
          `INSERT INTO gov_forum_categories (circle, category_id, slug, name, set_v) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (circle) DO UPDATE SET category_id = excluded.category_id, slug = excluded.slug, name = excluded.name, set_v = excluded.set_v
           WHERE excluded.set_v > gov_forum_categories.set_v`,
          circle,
          c?.id ?? null,
          c?.slug ?? '',
          c?.name ?? '',
          stamp,
        );
        return;
      }
      case 'forum.thread.set': {
        const key = threadSubjectKey(op.payload.subject);
        const t = op.payload.thread;
        this.run(
          `INSERT INTO gov_forum_threads (circle, subject_kind, subject_id, topic_id, url, title, set_v) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (circle, subject_kind, subject_id) DO UPDATE SET topic_id = excluded.topic_id, url = excluded.url, title = excluded.title, set_v = excluded.set_v
           WHERE excluded.set_v > gov_forum_threads.set_v`,
          circle,
          key.subject_kind,
          key.subject_id,
          t?.topicId ?? null,
          t?.url ?? '',
          t?.title ?? '',
          stamp,
        );
        return;
      }
      case 'forum.post.add': {
        const p = op.payload;
        const key = threadSubjectKey(p.subject);
        this.run(
          `INSERT INTO gov_forum_posts (circle, subject_kind, subject_id, post_id, topic_id, url, purpose, posted_by, set_v) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (circle, subject_kind, subject_id, post_id) DO UPDATE SET topic_id = excluded.topic_id, url = excluded.url, purpose = excluded.purpose,
             posted_by = excluded.posted_by, set_v = excluded.set_v
           WHERE excluded.set_v > gov_forum_posts.set_v`,
          circle,
          key.subject_kind,
          key.subject_id,
          p.postId,
          p.topicId,
          p.url,
          p.purpose,
          op.actor,
          stamp,
        );
        return;
      }
      case 'attachment.add': {
        const p = op.payload;
        const key = attachmentSubjectKey(p.subject);
        this.run(
          `INSERT INTO gov_attachments (circle, attachment_id, subject_kind, subject_id, item_id, name, url, size_bytes, added_by, set_v) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (circle, attachment_id) DO UPDATE SET subject_kind = excluded.subject_kind, subject_id = excluded.subject_id, item_id = excluded.item_id,
             name = excluded.name, url = excluded.url, size_bytes = excluded.size_bytes, added_by = excluded.added_by, set_v = excluded.set_v
           WHERE excluded.set_v > gov_attachments.set_v`,
          circle,
          p.attachmentId,
          key.subject_kind,
          key.subject_id,
          key.item_id,
          p.name,
          p.url,
          p.sizeBytes,
          op.actor,
          stamp,
        );
        return;
      }
      case 'attachment.remove':
        // A removal seen before its add keeps an empty row carrying the removal, so the older add stays removed.
        this.run(
          `INSERT INTO gov_attachments (circle, attachment_id, subject_kind, subject_id, item_id, name, url, size_bytes, added_by, set_v, removed_v)
           VALUES (?, ?, '', '', '', '', '', 0, '', '', ?)
           ON CONFLICT (circle, attachment_id) DO UPDATE SET removed_v = excluded.removed_v WHERE excluded.removed_v > gov_attachments.removed_v`,
          circle,
          op.payload.attachmentId,
          stamp,
        );
        return;
    }
  }
}
