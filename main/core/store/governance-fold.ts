// Folds validated operations into the materialized governance tables. Every rule here is
// commutative and idempotent, so the same set of operations gives the same tables in any
// arrival order:
//   - fields: last writer wins per field, by stamp (hlc + op id), kept next to each value;
//   - member, room and agenda sets: LWW element sets (present when the newest set is newer
//     than the newest removal);
//   - deletions (contributions), archiving, assembly open/close and vote close: the earliest
//     stamp wins and never goes away, so status only moves forward;
//   - ballots, counts and late acceptances: kept as sets; tallying decides what counts.
// An operation that refers to something not yet seen (an update before its create) writes
// a "ghost" row with only its own fields; the create fills in the rest when it arrives.
// Queries ignore rows whose created_v is still NULL.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { GovernanceOperation, PayloadOf } from '../../../shared/governance/operation-types';
import { operationStamp } from '../../../shared/governance/stamp';

type Row = Record<string, unknown>;

const minOf = (current: unknown, stamp: string) => (typeof current === 'string' && current !== '' && current < stamp ? current : stamp);

interface ContributionRow {
  circle: string;
  contribution_id: string;
  created_v: string | null;
  created_by: string | null;
  member: string | null;
  member_v: string;
  date: string | null;
  date_v: string;
  minutes: number | null;
  minutes_v: string;
  stream: string | null;
  stream_v: string;
  description: string | null;
  description_v: string;
  tags: string | null;
  tags_v: string;
  deleted_v: string | null;
}

/** What a contribution adds to the running totals: nothing unless created, complete and not deleted. */
function countedPart(row: ContributionRow | undefined): { member: string; stream: string; month: string; minutes: number } | null {
  if (!row || row.created_v === null || row.deleted_v !== null) return null;
  if (row.member === null || row.stream === null || row.date === null || row.minutes === null) return null;
  return { member: row.member, stream: row.stream, month: row.date.slice(0, 7), minutes: row.minutes };
}

export class GovernanceFold {
  private readonly cache = new Map<string, Statement>();
  private readonly insertContribution: Statement;
  private readonly insertBallot: Statement;
  private readonly addTotals: Statement;
  private readonly dropEmptyTotals: Statement;

  constructor(private readonly db: Db) {
    this.insertContribution = db.prepare(`
      INSERT OR IGNORE INTO gov_contributions (circle, contribution_id, created_v, created_by, member, member_v, date, date_v,
        minutes, minutes_v, stream, stream_v, description, description_v, tags, tags_v)
      VALUES (@circle, @id, @stamp, @actor, @member, @stamp, @date, @stamp, @minutes, @stamp, @stream, @stamp, @description, @stamp, @tags, @stamp)`);
    this.insertBallot = db.prepare(
      'INSERT OR IGNORE INTO gov_ballots (op_id, circle, vote_id, stamp, voter, actor, choice, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.addTotals = db.prepare(`
      INSERT INTO gov_contribution_totals (member, stream, month, circle, minutes, entries) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (member, stream, month, circle) DO UPDATE SET minutes = minutes + excluded.minutes, entries = entries + excluded.entries`);
    this.dropEmptyTotals = db.prepare('DELETE FROM gov_contribution_totals WHERE member = ? AND stream = ? AND month = ? AND circle = ? AND entries = 0');
  }

  private statement(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  private read(table: string, keys: Row): Row | undefined {
    const names = Object.keys(keys);
    return this.statement(`SELECT * FROM ${table} WHERE ${names.map((n) => `${n} = ?`).join(' AND ')}`).get(...Object.values(keys)) as Row | undefined;
  }

  /** Writes a whole row (the fold computed it from the previous one). */
  private write(table: string, row: Row): void {
    const names = Object.keys(row);
    this.statement(`INSERT OR REPLACE INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...Object.values(row));
  }

  /** Applies last-writer-wins updates to a row's fields: `field` is written when `stamp` is newer than `field_v`. */
  private merge(table: string, keys: Row, defaults: Row, fields: Row, stamp: string, extra?: (row: Row) => void): void {
    const row: Row = this.read(table, keys) ?? { ...keys, ...defaults };
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const version = `${field}_v`;
      if (stamp > String(row[version] ?? '')) {
        row[field] = value;
        row[version] = stamp;
      }
    }
    extra?.(row);
    this.write(table, row);
  }

  apply(op: GovernanceOperation): void {
    const stamp = operationStamp(op);
    const circle = op.circle;
    switch (op.type) {
      case 'circle.create': {
        const p = op.payload;
        return this.merge('gov_circles', { circle }, {}, { name: p.name, purpose: p.purpose, timezone: p.timezone }, stamp, (row) => this.markCreated(row, stamp, op.actor));
      }
      case 'circle.update': {
        const f = op.payload.fields;
        const schedule = f.schedule === undefined ? undefined : f.schedule === null ? null : JSON.stringify(f.schedule);
        return this.merge('gov_circles', { circle }, {}, { name: f.name, purpose: f.purpose, timezone: f.timezone, schedule }, stamp);
      }
      case 'circle.archive':
        return this.merge('gov_circles', { circle }, {}, {}, stamp, (row) => (row.archived_v = minOf(row.archived_v, stamp)));
      case 'circle.member.set': {
        const p = op.payload;
        return this.setElement('gov_members', { circle, member: p.member }, { display_name: p.displayName, role: p.role, timezone: p.timezone }, stamp);
      }
      case 'circle.member.remove':
        return this.removeElement('gov_members', { circle, member: op.payload.member }, stamp);
      case 'circle.room.add': {
        const p = op.payload;
        return this.setElement('gov_rooms', { circle, room_id: p.roomId }, { url: p.url, label: p.label }, stamp);
      }
      case 'circle.room.remove':
        return this.removeElement('gov_rooms', { circle, room_id: op.payload.roomId }, stamp);
      case 'assembly.create': {
        const p = op.payload;
        return this.merge('gov_assemblies', { circle, assembly_id: p.assemblyId }, {}, { title: p.title, scheduled_at: p.scheduledAt ?? null }, stamp, (row) =>
          this.markCreated(row, stamp, op.actor),
        );
      }
      case 'assembly.update': {
        const f = op.payload.fields;
        return this.merge('gov_assemblies', { circle, assembly_id: op.payload.assemblyId }, {}, { title: f.title, scheduled_at: f.scheduledAt }, stamp);
      }
      case 'assembly.open':
        return this.merge('gov_assemblies', { circle, assembly_id: op.payload.assemblyId }, {}, {}, stamp, (row) => (row.opened_v = minOf(row.opened_v, stamp)));
      case 'assembly.close':
        return this.merge('gov_assemblies', { circle, assembly_id: op.payload.assemblyId }, {}, {}, stamp, (row) => (row.closed_v = minOf(row.closed_v, stamp)));
      case 'assembly.agenda.set': {
        const p = op.payload;
        return this.setElement('gov_agenda_items', { circle, assembly_id: p.assemblyId, item_id: p.itemId }, { title: p.title, position: p.position }, stamp);
      }
      case 'assembly.agenda.remove':
        return this.removeElement('gov_agenda_items', { circle, assembly_id: op.payload.assemblyId, item_id: op.payload.itemId }, stamp);
      case 'assembly.attendance.set': {
        const p = op.payload;
        return this.setRegister('gov_attendance', { circle, assembly_id: p.assemblyId, member: p.member }, { status: p.status }, stamp);
      }
      case 'assembly.minutes.set': {
        const p = op.payload;
        return this.setRegister('gov_minutes', { circle, assembly_id: p.assemblyId, item_id: p.itemId }, { markdown: p.markdown, author: op.actor }, stamp);
      }
      case 'assembly.decision.link': {
        const p = op.payload;
        this.statement('INSERT OR IGNORE INTO gov_decisions (circle, assembly_id, item_id, vote_id) VALUES (?, ?, ?, ?)').run(circle, p.assemblyId, p.itemId, p.voteId);
        return;
      }
      case 'assembly.recording.add': {
        const p = op.payload;
        return this.setRegister('gov_recordings', { circle, assembly_id: p.assemblyId, recording_id: p.recordingId }, { url: p.url, label: p.label }, stamp);
      }
      case 'vote.create':
        return this.createVote(circle, op.payload, stamp, op.actor);
      case 'vote.update': {
        const f = op.payload.fields;
        return this.merge('gov_votes', { circle, vote_id: op.payload.voteId }, {}, { question: f.question, details: f.details, closes_at: f.closesAt, outcome: f.outcome }, stamp);
      }
      case 'vote.close':
        return this.merge('gov_votes', { circle, vote_id: op.payload.voteId }, {}, {}, stamp, (row) => {
          if (!row.closed_v || stamp < String(row.closed_v)) {
            row.closed_v = stamp;
            row.closed_by = op.actor;
          }
        });
      case 'vote.ballot': {
        const p = op.payload;
        this.insertBallot.run(op.id, circle, p.voteId, stamp, p.voter, op.actor, JSON.stringify(p.choice), p.reason ?? null);
        return;
      }
      case 'vote.count': {
        const p = op.payload;
        this.statement('INSERT OR IGNORE INTO gov_vote_counts (op_id, circle, vote_id, stamp, actor, totals, abstain) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          op.id,
          circle,
          p.voteId,
          stamp,
          op.actor,
          JSON.stringify(p.totals),
          p.abstain ?? 0,
        );
        return;
      }
      case 'vote.acceptLate':
        this.statement('INSERT OR IGNORE INTO gov_late_accepts (circle, vote_id, ballot_op_id) VALUES (?, ?, ?)').run(circle, op.payload.voteId, op.payload.ballotOpId);
        return;
      case 'contribution.create':
        return this.createContribution(circle, op.payload, stamp, op.actor);
      case 'contribution.update': {
        const { contributionId, fields } = op.payload;
        return this.changeContribution(circle, contributionId, (row) =>
          this.applyFields(row, { ...fields, tags: fields.tags === undefined ? undefined : JSON.stringify(fields.tags) }, stamp),
        );
      }
      case 'contribution.delete':
        return this.changeContribution(circle, op.payload.contributionId, (row) => (row.deleted_v = minOf(row.deleted_v, stamp)));
    }
  }

  private markCreated(row: Row, stamp: string, actor: string): void {
    // The earliest create wins, so "created by" does not depend on arrival order.
    if (!row.created_v || stamp < String(row.created_v)) {
      row.created_v = stamp;
      row.created_by = actor;
    }
  }

  private setElement(table: string, keys: Row, values: Row, stamp: string): void {
    const row = this.read(table, keys);
    if (row && String(row.set_v) >= stamp) return;
    this.write(table, { ...keys, ...values, set_v: stamp, removed_v: row?.removed_v ?? '' });
  }

  private removeElement(table: string, keys: Row, stamp: string): void {
    const row = this.read(table, keys);
    if (row) {
      if (String(row.removed_v) < stamp) this.write(table, { ...row, removed_v: stamp });
      return;
    }
    // Removal before the element was seen: keep the removal so an older add stays removed.
    const blanks: Record<string, Row> = {
      gov_members: { display_name: '', role: 'member', timezone: 'UTC' },
      gov_rooms: { url: '', label: '' },
      gov_agenda_items: { title: '', position: 0 },
    };
    this.write(table, { ...keys, ...blanks[table], set_v: '', removed_v: stamp });
  }

  private setRegister(table: string, keys: Row, values: Row, stamp: string): void {
    const row = this.read(table, keys);
    if (row && String(row.set_v) >= stamp) return;
    this.write(table, { ...keys, ...values, set_v: stamp });
  }

  private createVote(circle: string, p: PayloadOf<'vote.create'>, stamp: string, actor: string): void {
    this.merge('gov_votes', { circle, vote_id: p.voteId }, {}, { question: p.question, details: p.details, closes_at: p.closesAt ?? null }, stamp, (row) => {
      if (!row.created_v || stamp < String(row.created_v)) {
        this.markCreated(row, stamp, actor);
        row.assembly_id = p.assemblyId ?? null;
        row.item_id = p.itemId ?? null;
        row.method = p.method;
        row.options = JSON.stringify(p.options);
        row.max_choices = p.maxChoices ?? null;
        row.quorum_percent = p.quorumPercent;
      }
    });
  }

  private applyFields(row: Row, fields: Row, stamp: string): void {
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const version = `${field}_v`;
      if (stamp > String(row[version] ?? '')) {
        row[field] = value;
        row[version] = stamp;
      }
    }
  }

  private createContribution(circle: string, p: PayloadOf<'contribution.create'>, stamp: string, actor: string): void {
    const tags = JSON.stringify(p.tags);
    // Fast path: a new contribution is one insert plus one running-total update.
    const inserted = this.insertContribution.run({
      circle,
      id: p.contributionId,
      stamp,
      actor,
      member: p.member,
      date: p.date,
      minutes: p.minutes,
      stream: p.stream,
      description: p.description,
      tags,
    });
    if (inserted.changes === 1) {
      this.adjustTotals(circle, { member: p.member, stream: p.stream, month: p.date.slice(0, 7), minutes: p.minutes }, 1);
      return;
    }
    this.changeContribution(circle, p.contributionId, (row) => {
      this.markCreated(row, stamp, actor);
      this.applyFields(row, { member: p.member, date: p.date, minutes: p.minutes, stream: p.stream, description: p.description, tags }, stamp);
    });
  }

  /** Changes a contribution row and moves its minutes between running totals accordingly. */
  private changeContribution(circle: string, contributionId: string, change: (row: Row) => void): void {
    const before = this.read('gov_contributions', { circle, contribution_id: contributionId }) as ContributionRow | undefined;
    const row: Row = before
      ? { ...before }
      : {
          circle,
          contribution_id: contributionId,
          created_v: null,
          created_by: null,
          member: null,
          member_v: '',
          date: null,
          date_v: '',
          minutes: null,
          minutes_v: '',
          stream: null,
          stream_v: '',
          description: null,
          description_v: '',
          tags: null,
          tags_v: '',
          deleted_v: null,
        };
    change(row);
    this.write('gov_contributions', row);
    const old = countedPart(before);
    const next = countedPart(row as unknown as ContributionRow);
    if (old) this.adjustTotals(circle, old, -1);
    if (next) this.adjustTotals(circle, next, 1);
  }

  private adjustTotals(circle: string, part: { member: string; stream: string; month: string; minutes: number }, sign: 1 | -1): void {
    this.addTotals.run(part.member, part.stream, part.month, circle, sign * part.minutes, sign);
    if (sign < 0) this.dropEmptyTotals.run(part.member, part.stream, part.month, circle);
  }
}
