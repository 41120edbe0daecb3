// Checks for forum and file operations made on this computer, against the current state
// (governance-rules.ts calls these): what they point at must exist. Who may make them is the
// type's facilitatorOnly flag, checked before.
import type { Db } from './database';
import type { LinkOperation } from './link-fold';
import type { AttachmentSubject, ThreadSubject } from '../../../shared/governance/link-operation-types';
import { ruleError } from './governance-rules';

export interface SubjectLookups {
  /** Each throws the governance rule error naming the field when the thing is missing. */
  vote(voteId: string): void;
  assembly(assemblyId: string): void;
  agendaItem(assemblyId: string, itemId: string): void;
  /** Throws unless the member belongs to the circle (when it has members). */
  requireMember(field: string, member: string): void;
}

function threadSubject(subject: ThreadSubject, look: SubjectLookups): void {
  if (subject.kind === 'vote') look.vote(subject.voteId);
  else look.assembly(subject.assemblyId);
}

function attachmentSubject(subject: AttachmentSubject, look: SubjectLookups): void {
  if (subject.kind === 'vote') look.vote(subject.voteId);
  else {
    look.assembly(subject.assemblyId);
    look.agendaItem(subject.assemblyId, subject.itemId);
  }
}

export function checkLinkOperation(db: Db, op: LinkOperation, look: SubjectLookups): void {
  switch (op.type) {
    case 'circle.forum.set':
      return;
    case 'forum.thread.set':
    case 'forum.post.add':
      return threadSubject(op.payload.subject, look);
    case 'attachment.add':
      look.requireMember('actor', op.actor);
      return attachmentSubject(op.payload.subject, look);
    case 'attachment.remove': {
      const row = db
        .prepare("SELECT 1 FROM gov_attachments WHERE circle = ? AND attachment_id = ? AND set_v > removed_v")
        .get(op.circle, op.payload.attachmentId);
      if (!row) throw ruleError('invalid_input', 'payload.attachmentId', 'attachment_missing', 'no file with this id is attached here');
      return;
    }
  }
}
