// Folds validated operations into the materialized governance tables. Every rule here is
// commutative and idempotent, so the same set of operations gives the same tables in any
// arrival order:
//   - fields: last writer wins per field, by stamp (hlc + op id), kept next to each value;
//   - member, room and agenda sets: LWW element sets (present when the newest set is newer
//     than the newest removal);
//   - deletions (contributions), archiving, assembly open/close and vote close: the earliest
//     stamp wins and never goes away, so status only moves forward;
//   - ballots (rows of the log itself), counts and late acceptances: kept as sets;
//     tallying decides what counts.
// An operation that refers to something not yet seen (an update before its create) writes
// a "ghost" row with only its own fields; the create fills in the rest when it arrives.
// Queries ignore rows whose created_v is still NULL.
//
// Contributions are most of the log, so their path is tuned: a new contribution is one
// insert, and running totals are summed in memory and written once per transaction.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { GovernanceOperation, PayloadOf } from '../../../shared/governance/operation-types';
import { operationStamp, stampWall } from '../../../shared/governance/stamp';
import type { Schedule } from '../../../shared/governance/operation-types';
import { normaliseSchedule } from '../../../shared/schedule/legacy';
import { closureState, type ClosureEvent } from '../../../shared/governance/tally';
import { LinkFold } from './link-fold';

type Row = Record<string, unknown>;

/**
 * A schedule as the tables keep it: in the one format, whichever form the operation carried
 * (older releases wrote others; see shared/schedule/legacy.ts). A governance-form rule's first
 * meeting is the first on or after the operation's own clock, so every replica stores the
 * same text. One that cannot be read is kept as sent: readers name the problem, and nothing
 * the operation said is lost.
 */
export function storedSchedule(schedule: Schedule, stamp: string): Schedule {
  // Reading an earlier form costs about a millisecond; a rebuild or a sync replay folds the
  // same operation again, so recent answers are kept (bounded; the key is everything read).
  const key = `${schedule.rrule}\u0000${schedule.timezone}\u0000${schedule.durationMinutes}\u0000${stampWall(stamp)}`;
  let stored = storedSchedules.get(key);
  if (!stored) {
    const normal = normaliseSchedule(schedule, stampWall(stamp));
    stored = normal.ok ? normal.schedule : schedule;
    if (storedSchedules.size >= 500) storedSchedules.clear();
    storedSchedules.set(key, stored);
  }
  return stored === schedule || stored.rrule !== schedule.rrule ? stored : schedule;
}
const storedSchedules = new Map<string, Schedule>();

const minOf = (current: unknown, stamp: string) => (typeof current === 'string' && current !== '' && current < stamp ? current : stamp);

const contributionFields = ['member', 'date', 'minutes', 'stream', 'description', 'tags'] as const;
type ContributionField = (typeof contributionFields)[number];
type Versions = Record<ContributionField, string>;

interface ContributionRow {
  circle: string;
  contribution_id: string;
  created_v: string | null;
  created_by: string | null;
  member: string | null;
  date: string | null;
  minutes: number | null;
  stream: string | null;
  description: string | null;
  tags: string | null;
  base_v: string | null;
  fields_v: string | null;
  deleted_v: string | null;
}

/** Per-field versions of a contribution row (see the migration for the encoding). */
function decodeVersions(row: ContributionRow): Versions {
  const listed = row.fields_v ? (JSON.parse(row.fields_v) as Partial<Versions>) : {};
  const versions = {} as Versions;
  const base = row.base_v ?? row.created_v ?? '';
  for (const field of contributionFields) versions[field] = listed[field] ?? base;
  return versions;
}

/** The one encoding of a set of versions: member's is the base, others listed when different. */
function encodeVersions(versions: Versions, createdV: string | null): { base_v: string | null; fields_v: string | null } {
  const listed: Partial<Versions> = {};
  let any = false;
  for (const field of contributionFields) {
    if (field !== 'member' && versions[field] !== versions.member) {
      listed[field] = versions[field];
      any = true;
    }
  }
  return { base_v: versions.member === (createdV ?? '') ? null : versions.member, fields_v: any ? JSON.stringify(listed) : null };
}

interface TotalsPart {
  member: string;
  stream: string;
  month: string;
  minutes: number;
}

/** What a contribution adds to the running totals: nothing unless created, complete and not deleted. */
function countedPart(row: ContributionRow | undefined): TotalsPart | null {
  if (!row || row.created_v === null || row.deleted_v !== null) return null;
  if (row.member === null || row.stream === null || row.date === null || row.minutes === null) return null;
  return { member: row.member, stream: row.stream, month: row.date.slice(0, 7), minutes: row.minutes };
}

export class GovernanceFold {
  private readonly cache = new Map<string, Statement>();
  private readonly insertContribution: Statement;
  private readonly readContribution: Statement;
  private readonly writeContribution: Statement;
  private readonly updateContribution: Statement;
  private readonly addTotals: Statement;
  private readonly dropEmptyTotals: Statement;
  /** Running-total changes of the current transaction, by circle, then member, stream and month. */
  private readonly pendingTotals = new Map<string, Map<string, TotalsPart & { circle: string; entries: number }>>();
  /** Forum and file links (link-fold.ts). */
  private readonly links: LinkFold;

  constructor(private readonly db: Db) {
    this.links = new LinkFold(db);
    this.insertContribution = db.prepare(
      `INSERT OR IGNORE INTO gov_contributions (circle, contribution_id, created_v, created_by, member, date, minutes, stream, description, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.readContribution = db.prepare('SELECT * FROM gov_contributions WHERE circle = ? AND contribution_id = ?');
    this.writeContribution = db.prepare(
      `INSERT INTO gov_contributions (circle, contribution_id, created_v, created_by, member, date, minutes, stream, description, tags, base_v, fields_v, deleted_v)
       VALUES (@circle, @contribution_id, @created_v, @created_by, @member, @date, @minutes, @stream, @description, @tags, @base_v, @fields_v, @deleted_v)`,
    );
    this.updateContribution = db.prepare(
      `UPDATE gov_contributions SET created_v = @created_v, created_by = @created_by, member = @member, date = @date, minutes = @minutes, stream = @stream,
         description = @description, tags = @tags, base_v = @base_v, fields_v = @fields_v, deleted_v = @deleted_v
       WHERE circle = @circle AND contribution_id = @contribution_id`,
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
        const schedule = f.schedule === undefined ? undefined : f.schedule === null ? null : JSON.stringify(storedSchedule(f.schedule, stamp));
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
      case 'circle.member.link':
        // The earliest link of a local id wins, so concurrent links settle the same everywhere.
        this.statement(
          `INSERT INTO gov_member_links (circle, member, account, link_v) VALUES (?, ?, ?, ?)
           ON CONFLICT (circle, member) DO UPDATE SET account = excluded.account, link_v = excluded.link_v WHERE excluded.link_v < gov_member_links.link_v`,
        ).run(circle, op.payload.member, op.payload.account, stamp);
        return;
      case 'circle.delegation.set':
        return this.setElement('gov_delegations', { circle, member: op.payload.member }, { delegate: op.payload.delegate }, stamp);
      case 'circle.delegation.revoke':
        return this.removeElement('gov_delegations', { circle, member: op.payload.member }, stamp);
      case 'circle.room.add': {
        const p = op.payload;
        return this.setElement('gov_rooms', { circle, room_id: p.roomId }, { url: p.url, label: p.label }, stamp);
      }
      case 'circle.room.remove':
        return this.removeElement('gov_rooms', { circle, room_id: op.payload.roomId }, stamp);
      case 'assembly.create': {
        const p = op.payload;
        // Fast path: an assembly seen for the first time is one insert.
        const sql =
          'INSERT OR IGNORE INTO gov_assemblies (circle, assembly_id, created_v, created_by, title, title_v, scheduled_at, scheduled_at_v) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
        if (this.statement(sql).run(circle, p.assemblyId, stamp, op.actor, p.title, stamp, p.scheduledAt ?? null, stamp).changes === 1) return;
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
        return this.setElement(
          'gov_agenda_items',
          { circle, assembly_id: p.assemblyId, item_id: p.itemId },
          { title: p.title, position: p.position, timebox_minutes: p.timeboxMinutes ?? null },
          stamp,
        );
      }
      case 'assembly.agenda.current':
        return this.merge('gov_assemblies', { circle, assembly_id: op.payload.assemblyId }, {}, { current_item: op.payload.itemId }, stamp);
      case 'assembly.action.set': {
        const p = op.payload;
        return this.setElement(
          'gov_actions',
          { circle, assembly_id: p.assemblyId, action_id: p.actionId },
          { item_id: p.itemId ?? null, text: p.text, owner: p.owner, due: p.due ?? null },
          stamp,
        );
      }
      case 'assembly.action.remove':
        return this.removeElement('gov_actions', { circle, assembly_id: op.payload.assemblyId, action_id: op.payload.actionId }, stamp);
      case 'assembly.action.done': {
        // A register of its own on the action's row (written first if the action is not seen yet).
        const p = op.payload;
        this.statement(
          `INSERT INTO gov_actions (circle, assembly_id, action_id, item_id, text, owner, due, set_v, done, done_v) VALUES (?, ?, ?, NULL, '', '', NULL, '', ?, ?)
           ON CONFLICT (circle, assembly_id, action_id) DO UPDATE SET done = excluded.done, done_v = excluded.done_v WHERE excluded.done_v > gov_actions.done_v`,
        ).run(circle, p.assemblyId, p.actionId, p.done ? 1 : 0, stamp);
        return;
      }
      case 'assembly.agenda.remove':
        return this.removeElement('gov_agenda_items', { circle, assembly_id: op.payload.assemblyId, item_id: op.payload.itemId }, stamp);
      case 'assembly.attendance.set': {
        const p = op.payload;
        return this.setElement('gov_attendance', { circle, assembly_id: p.assemblyId, member: p.member }, { status: p.status }, stamp);
      }
      case 'assembly.minutes.set': {
        const p = op.payload;
        return this.setElement('gov_minutes', { circle, assembly_id: p.assemblyId, item_id: p.itemId }, { markdown: p.markdown, author: op.actor }, stamp);
      }
      case 'assembly.decision.link': {
        const p = op.payload;
        this.statement('INSERT OR IGNORE INTO gov_decisions (circle, assembly_id, item_id, vote_id) VALUES (?, ?, ?, ?)').run(circle, p.assemblyId, p.itemId, p.voteId);
        return;
      }
      case 'assembly.recording.add': {
        const p = op.payload;
        return this.setElement('gov_recordings', { circle, assembly_id: p.assemblyId, recording_id: p.recordingId }, { url: p.url, label: p.label }, stamp);
      }
      case 'vote.create':
        return this.createVote(circle, op.payload, stamp, op.actor);
      case 'vote.update': {
        const f = op.payload.fields;
        return this.merge('gov_votes', { circle, vote_id: op.payload.voteId }, {}, { question: f.question, details: f.details, closes_at: f.closesAt, outcome: f.outcome, review_on: f.reviewOn, chosen_option: f.chosenOption }, stamp);
      }
      case 'vote.redefine':
        return this.redefineVote(circle, op.payload, stamp);
      case 'vote.close':
      case 'vote.reopen': {
        // Every close and reopen is kept; the vote's state is read from all of them, so it
        // does not depend on the order they arrive in (closureState in shared/governance/tally.ts).
        const voteId = op.payload.voteId;
        this.statement('INSERT OR IGNORE INTO gov_vote_closures (circle, vote_id, stamp, kind, actor) VALUES (?, ?, ?, ?, ?)').run(
          circle,
          voteId,
          stamp,
          op.type === 'vote.close' ? 'close' : 'reopen',
          op.actor,
        );
        const state = closureState(this.statement('SELECT stamp, kind, actor FROM gov_vote_closures WHERE circle = ? AND vote_id = ?').all(circle, voteId) as ClosureEvent[]);
        return this.merge('gov_votes', { circle, vote_id: voteId }, {}, {}, stamp, (row) => {
          row.closed_v = state.closedV;
          row.closed_by = state.closedBy;
        });
      }
      case 'vote.ballot':
        // The ballot is its row in the log (see the ops_ballots index): nothing to fold.
        return;
      case 'vote.count': {
        const p = op.payload;
        this.statement('INSERT OR IGNORE INTO gov_vote_counts (circle, vote_id, stamp, actor, totals, abstain) VALUES (?, ?, ?, ?, ?, ?)').run(
          circle,
          p.voteId,
          stamp,
          op.actor,
          JSON.stringify(p.totals),
          p.abstain ?? 0,
        );
        return;
      }
      case 'vote.digest':
        // A published count is its row in the log (read by main/core/governance/vote-digest.ts): nothing to fold.
        return;
      case 'vote.acceptLate':
        this.statement('INSERT OR IGNORE INTO gov_late_accepts (circle, vote_id, ballot_op_id) VALUES (?, ?, ?)').run(circle, op.payload.voteId, op.payload.ballotOpId);
        return;
      case 'contribution.create':
        return this.createContribution(circle, op.payload, stamp, op.actor);
      case 'contribution.update': {
        const { contributionId, fields } = op.payload;
        return this.changeContribution(circle, contributionId, (row, versions) =>
          applyContributionFields(row, versions, { ...fields, tags: fields.tags === undefined ? undefined : JSON.stringify(fields.tags) }, stamp),
        );
      }
      case 'contribution.delete':
        return this.changeContribution(circle, op.payload.contributionId, (row) => (row.deleted_v = minOf(row.deleted_v, stamp)));
      case 'circle.forum.set':
      case 'forum.thread.set':
      case 'forum.post.add':
      case 'attachment.add':
      case 'attachment.remove':
        return this.links.apply(op);
    }
  }

  private markCreated(row: Row, stamp: string, actor: string): void {
    // The earliest create wins, so "created by" does not depend on arrival order.
    if (!row.created_v || stamp < String(row.created_v)) {
      row.created_v = stamp;
      row.created_by = actor;
    }
  }

  /**
   * Adds or updates an element of an LWW element set (or a plain LWW register): one upsert
   * that only lands when newer than the element's last set. Removal stamps are untouched.
   */
  private setElement(table: string, keys: Row, values: Row, stamp: string): void {
    const keyNames = Object.keys(keys);
    const valueNames = Object.keys(values);
    const sql =
      `INSERT INTO ${table} (${[...keyNames, ...valueNames, 'set_v'].join(', ')}) VALUES (${[...keyNames, ...valueNames, 'set_v'].map(() => '?').join(', ')}) ` +
      `ON CONFLICT (${keyNames.join(', ')}) DO UPDATE SET ${[...valueNames, 'set_v'].map((n) => `${n} = excluded.${n}`).join(', ')} WHERE excluded.set_v > ${table}.set_v`;
    this.statement(sql).run(...Object.values(keys), ...Object.values(values), stamp);
  }

  private removeElement(table: string, keys: Row, stamp: string): void {
    // Removal before the element was seen keeps the removal, so an older add stays removed.
    const blanks: Record<string, Row> = {
      gov_members: { display_name: '', role: 'member', timezone: 'UTC' },
      gov_rooms: { url: '', label: '' },
      gov_agenda_items: { title: '', position: 0 },
      gov_actions: { item_id: null, text: '', owner: '', due: null },
      gov_delegations: { delegate: '' },
    };
    const keyNames = Object.keys(keys);
    const blank = blanks[table]!;
    const names = [...keyNames, ...Object.keys(blank), 'set_v', 'removed_v'];
    const sql =
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ` +
      `ON CONFLICT (${keyNames.join(', ')}) DO UPDATE SET removed_v = excluded.removed_v WHERE excluded.removed_v > ${table}.removed_v`;
    this.statement(sql).run(...Object.values(keys), ...Object.values(blank), '', stamp);
  }

  private createVote(circle: string, p: PayloadOf<'vote.create'>, stamp: string, actor: string): void {
    // Fast path: a vote seen for the first time is one insert.
    const inserted = this.statement(
      `INSERT OR IGNORE INTO gov_votes (circle, vote_id, created_v, created_by, assembly_id, item_id, method, options, max_choices, quorum_percent, quorum_basis,
         question, question_v, details, details_v, closes_at, closes_at_v, hide_results, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      circle,
      p.voteId,
      stamp,
      actor,
      p.assemblyId ?? null,
      p.itemId ?? null,
      p.method,
      JSON.stringify(p.options),
      p.maxChoices ?? null,
      p.quorumPercent,
      p.quorumBasis ?? null,
      p.question,
      stamp,
      p.details,
      stamp,
      p.closesAt ?? null,
      stamp,
      p.hideResults === true ? 1 : 0,
      p.reasons ?? null,
    );
    if (inserted.changes === 1) return;
    this.merge('gov_votes', { circle, vote_id: p.voteId }, {}, { question: p.question, details: p.details, closes_at: p.closesAt ?? null }, stamp, (row) => {
      if (!row.created_v || stamp < String(row.created_v)) {
        this.markCreated(row, stamp, actor);
        row.assembly_id = p.assemblyId ?? null;
        row.item_id = p.itemId ?? null;
        row.quorum_percent = p.quorumPercent;
        row.quorum_basis = p.quorumBasis ?? null;
        row.hide_results = p.hideResults === true ? 1 : 0;
        row.reasons = p.reasons ?? null;
        // A poll edit (definition_v set) outranks every create, whichever arrived first.
        if (!row.definition_v) {
          row.method = p.method;
          row.options = JSON.stringify(p.options);
          row.max_choices = p.maxChoices ?? null;
        }
      }
    });
  }

  /** The latest edit of an Element poll defines its vote (last writer wins over edits; any edit over the create). */
  private redefineVote(circle: string, p: PayloadOf<'vote.redefine'>, stamp: string): void {
    this.merge('gov_votes', { circle, vote_id: p.voteId }, {}, { question: p.question }, stamp, (row) => {
      if (stamp <= String(row.definition_v ?? '')) return;
      row.definition_v = stamp;
      row.method = p.method;
      row.options = JSON.stringify(p.options);
      row.max_choices = p.maxChoices ?? null;
    });
  }

  private createContribution(circle: string, p: PayloadOf<'contribution.create'>, stamp: string, actor: string): void {
    const tags = JSON.stringify(p.tags);
    // Fast path: a contribution seen for the first time is one insert; its totals wait in memory.
    const inserted = this.insertContribution.run(circle, p.contributionId, stamp, actor, p.member, p.date, p.minutes, p.stream, p.description, tags);
    if (inserted.changes === 1) {
      this.adjustTotals(circle, { member: p.member, stream: p.stream, month: p.date.slice(0, 7), minutes: p.minutes }, 1);
      return;
    }
    this.changeContribution(circle, p.contributionId, (row, versions) => {
      this.markCreated(row, stamp, actor);
      applyContributionFields(row, versions, { member: p.member, date: p.date, minutes: p.minutes, stream: p.stream, description: p.description, tags }, stamp);
    });
  }

  /** Changes a contribution row and moves its minutes between running totals accordingly. */
  private changeContribution(circle: string, contributionId: string, change: (row: Row, versions: Versions) => void): void {
    const before = this.readContribution.get(circle, contributionId) as ContributionRow | undefined;
    const row: ContributionRow = before
      ? { ...before }
      : {
          circle,
          contribution_id: contributionId,
          created_v: null,
          created_by: null,
          member: null,
          date: null,
          minutes: null,
          stream: null,
          description: null,
          tags: null,
          base_v: null,
          fields_v: null,
          deleted_v: null,
        };
    const versions = decodeVersions(row);
    change(row as unknown as Row, versions);
    Object.assign(row, encodeVersions(versions, row.created_v));
    (before ? this.updateContribution : this.writeContribution).run(row);
    const old = countedPart(before);
    const next = countedPart(row);
    if (old) this.adjustTotals(circle, old, -1);
    if (next) this.adjustTotals(circle, next, 1);
  }

  private adjustTotals(circle: string, part: TotalsPart, sign: 1 | -1): void {
    let byKey = this.pendingTotals.get(circle);
    if (!byKey) this.pendingTotals.set(circle, (byKey = new Map()));
    // Months have a fixed length and streams come from a fixed set, so this key is unambiguous.
    const key = part.month + part.stream + part.member;
    const pending = byKey.get(key);
    if (pending) {
      pending.minutes += sign * part.minutes;
      pending.entries += sign;
    } else {
      byKey.set(key, { member: part.member, stream: part.stream, month: part.month, circle, minutes: sign * part.minutes, entries: sign });
    }
  }

  /** Forgets running-total changes of a transaction that did not commit. */
  begin(): void {
    this.pendingTotals.clear();
  }

  /** Writes the transaction's running-total changes; call inside the transaction, before commit. */
  flush(): void {
    for (const byKey of this.pendingTotals.values()) {
      for (const t of byKey.values()) {
        if (t.minutes === 0 && t.entries === 0) continue;
        this.addTotals.run(t.member, t.stream, t.month, t.circle, t.minutes, t.entries);
        if (t.entries < 0) this.dropEmptyTotals.run(t.member, t.stream, t.month, t.circle);
      }
    }
    this.pendingTotals.clear();
  }
}

/** Last writer wins per field: each field is written when `stamp` is newer than its version. */
function applyContributionFields(row: Row, versions: Versions, fields: Partial<Record<ContributionField, unknown>>, stamp: string): void {
  for (const field of contributionFields) {
    const value = fields[field];
    if (value === undefined || stamp <= versions[field]) continue;
    row[field] = value;
    versions[field] = stamp;
  }
}
