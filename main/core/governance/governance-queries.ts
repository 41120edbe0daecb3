// Reads of the materialized governance tables for the UI and exports. Rows still waiting
// for their create operation ("ghosts", see governance-fold.ts) are never shown.
import type { Db } from '../store/database';
import { PlenaryError } from '../../../shared/errors';
import type { AttendanceStatus, QuorumBasis, ReasonMode, Schedule, ValueStream, VoteMethod, VoteOption } from '../../../shared/governance/operation-types';
import { delegationsInForce, currentDelegations } from '../store/delegation-rules';
import { detailAsShown, summaryAsShown } from '../../../shared/governance/hidden-results';
import { stampWall } from '../../../shared/governance/stamp';
import { selectBallots, tallyVote, ballotProblem, type ClosureEvent, type CountRecord, type VoteDefinition } from '../../../shared/governance/tally';
import { VoteTimings } from '../store/vote-timing';
import { MinutesDrafts, type MinutesDraft } from './minutes-drafts';
import { MemberDirectory } from '../store/member-directory';
import { canonicalCount, compareCounts, countingBallots, type PublishedCount } from '../../../shared/governance/recount';
import { latestDigest, sha256Hex } from './vote-digest';
import type {
  ActionItemView,
  AgendaItemView,
  AssemblyDetail,
  AssemblyStatus,
  AssemblySummary,
  BallotView,
  CircleDetail,
  CircleAuthority,
  CircleSummary,
  ContributionPage,
  ContributionSummaryRow,
  ContributionView,
  MemberView,
  SummaryDimension,
  VoteDetail,
  VoteSummary,
} from '../../../shared/governance/views';

export interface ContributionFilter {
  circleId?: string | undefined;
  member?: string | undefined;
  stream?: ValueStream | undefined;
  /** Inclusive dates, YYYY-MM-DD. */
  from?: string | undefined;
  to?: string | undefined;
  tag?: string | undefined;
  text?: string | undefined;
}

export interface SummaryFilter {
  circleId?: string | undefined;
  member?: string | undefined;
  stream?: ValueStream | undefined;
  /** Inclusive months, YYYY-MM. */
  fromMonth?: string | undefined;
  toMonth?: string | undefined;
}

interface CircleRow {
  circle: string;
  name: string;
  purpose: string;
  timezone: string;
  schedule: string | null;
  archived_v: string | null;
  created_v: string;
  created_by: string;
}

interface AssemblyRow {
  circle: string;
  assembly_id: string;
  title: string;
  scheduled_at: number | null;
  opened_v: string | null;
  closed_v: string | null;
  circle_name: string;
  agenda_count: number;
}

interface VoteRow {
  circle: string;
  vote_id: string;
  circle_name: string;
  created_v: string;
  assembly_id: string | null;
  item_id: string | null;
  method: VoteMethod;
  options: string;
  max_choices: number | null;
  quorum_percent: number;
  quorum_basis: QuorumBasis | null;
  question: string;
  details: string;
  closes_at: number | null;
  outcome: string | null;
  review_on: string | null;
  chosen_option?: string | null;
  closed_v: string | null;
  hide_results: number;
  reasons: ReasonMode | null;
}

interface ContributionRow {
  circle: string;
  contribution_id: string;
  circle_name: string;
  member: string;
  member_name: string | null;
  date: string;
  minutes: number;
  stream: ValueStream;
  description: string;
  tags: string;
  created_by: string;
}

const liveMember = 'set_v > removed_v';
/** Contributions logged under a local member id count as their account's once linked. */
const linkJoin = 'LEFT JOIN gov_member_links l ON l.circle = t.circle AND l.member = t.member';

function notFound(field: string, what: string): PlenaryError {
  return new PlenaryError('not_found', `No ${what} with this id`, { field, params: { field } });
}

function draftView(draft: MinutesDraft | undefined, publishedV: string): AgendaItemView['draft'] {
  return draft ? { markdown: draft.markdown, savedAt: draft.savedAt, changedElsewhere: draft.baseV !== publishedV } : null;
}

export class GovernanceQueries {
  private readonly drafts: MinutesDrafts;
  private readonly directory: MemberDirectory;
  private readonly timings: VoteTimings;

  constructor(
    private readonly db: Db,
    /** Who "you" are, asked at each read (a sign-in changes it). */
    private readonly actor: () => string,
    private readonly now: () => number,
    /** What the coop server says about the member's rights in a circle (sync/circle-authority.ts); none without sync. */
    private readonly authority: (circle: string, members: MemberView[]) => CircleAuthority | null = () => null,
  ) {
    // Tags match case-insensitively, with JavaScript's lower-casing (as the renderer's), not
    // SQLite's lower(), which folds ASCII only.
    this.drafts = new MinutesDrafts(db, now);
    this.directory = new MemberDirectory(db);
    db.function('plenary_casefold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
    this.timings = new VoteTimings(db);
  }

  /** The circle's members by the id each goes by (a linked local id goes by its account; see store/member-directory.ts). */
  members(circle: string): MemberView[] {
    // Ordered as SQLite's NOCASE orders (ASCII letters folded), then by id.
    const key = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    return [...this.directory.live(circle).values()]
      .map((m) => ({ member: m.member, displayName: m.displayName, role: m.role, timezone: m.timezone }))
      .sort((a, b) => {
        const [x, y] = [key(a.displayName), key(b.displayName)];
        return x < y ? -1 : x > y ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
      });
  }

  private circleSummary(row: CircleRow): CircleSummary {
    const members = this.members(row.circle);
    const myRole = members.find((m) => m.member === this.actor())?.role ?? null;
    const now = this.now();
    const openVotes = (
      this.db
        .prepare('SELECT count(*) AS n FROM gov_votes WHERE circle = ? AND created_v IS NOT NULL AND closed_v IS NULL AND (closes_at IS NULL OR closes_at > ?)')
        .get(row.circle, now) as { n: number }
    ).n;
    const openAssemblies = (
      this.db.prepare('SELECT count(*) AS n FROM gov_assemblies WHERE circle = ? AND created_v IS NOT NULL AND opened_v IS NOT NULL AND closed_v IS NULL').get(row.circle) as {
        n: number;
      }
    ).n;
    const authority = this.authority(row.circle, members);
    return {
      id: row.circle,
      name: row.name,
      purpose: row.purpose,
      timezone: row.timezone,
      schedule: row.schedule ? (JSON.parse(row.schedule) as Schedule) : null,
      archived: row.archived_v !== null,
      memberCount: members.length,
      myRole,
      // As the store decides (local-authority.ts): the circle's role, and the room's power once sync knows the room.
      canFacilitate: row.archived_v === null && (members.length === 0 || myRole === 'facilitator') && authority?.agreement !== 'role-without-power',
      openVotes,
      openAssemblies,
      authority,
    };
  }

  circles(): CircleSummary[] {
    const rows = this.db.prepare('SELECT * FROM gov_circles WHERE created_v IS NOT NULL ORDER BY archived_v IS NOT NULL, name COLLATE NOCASE').all() as CircleRow[];
    return rows.map((row) => this.circleSummary(row));
  }

  circle(circleId: string): CircleDetail {
    const row = this.db.prepare('SELECT * FROM gov_circles WHERE circle = ? AND created_v IS NOT NULL').get(circleId) as CircleRow | undefined;
    if (!row) throw notFound('circleId', 'circle');
    const rooms = this.db
      .prepare(`SELECT room_id AS roomId, url, label FROM gov_rooms WHERE circle = ? AND ${liveMember} ORDER BY label COLLATE NOCASE`)
      .all(circleId) as CircleDetail['rooms'];
    const members = this.members(circleId);
    const names = new Map(members.map((m) => [m.member, m.displayName]));
    const delegations = [...currentDelegations(this.db, circleId, this.directory.links(circleId))]
      .map(([member, delegate]) => ({ member, name: names.get(member) ?? member, delegate, delegateName: names.get(delegate) ?? delegate }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { ...this.circleSummary(row), members, rooms, createdBy: row.created_by, createdAt: stampWall(row.created_v), me: this.actor(), delegations };
  }

  private assemblySummary(row: AssemblyRow): AssemblySummary {
    const status: AssemblyStatus = row.closed_v ? 'closed' : row.opened_v ? 'open' : 'planned';
    return {
      circle: row.circle,
      circleName: row.circle_name,
      id: row.assembly_id,
      title: row.title,
      scheduledAt: row.scheduled_at,
      status,
      openedAt: row.opened_v ? stampWall(row.opened_v) : null,
      closedAt: row.closed_v ? stampWall(row.closed_v) : null,
      agendaCount: row.agenda_count,
    };
  }

  private assemblyRows(where: string, ...args: unknown[]): AssemblyRow[] {
    return this.db
      .prepare(
        `SELECT a.circle, a.assembly_id, a.title, a.scheduled_at, a.opened_v, a.closed_v, c.name AS circle_name,
           (SELECT count(*) FROM gov_agenda_items i WHERE i.circle = a.circle AND i.assembly_id = a.assembly_id AND i.set_v > i.removed_v) AS agenda_count
         FROM gov_assemblies a JOIN gov_circles c ON c.circle = a.circle AND c.created_v IS NOT NULL
         WHERE a.created_v IS NOT NULL ${where}
         ORDER BY a.closed_v IS NOT NULL, coalesce(a.scheduled_at, 0) DESC, a.created_v DESC`,
      )
      .all(...args) as AssemblyRow[];
  }

  assemblies(circleId?: string): AssemblySummary[] {
    const rows = circleId ? this.assemblyRows('AND a.circle = ?', circleId) : this.assemblyRows('');
    return rows.map((row) => this.assemblySummary(row));
  }

  assembly(circleId: string, assemblyId: string): AssemblyDetail {
    const row = this.assemblyRows('AND a.circle = ? AND a.assembly_id = ?', circleId, assemblyId)[0];
    if (!row) throw notFound('assemblyId', 'assembly');
    const items = this.db
      .prepare(
        `SELECT i.item_id, i.title, i.position, i.timebox_minutes, coalesce(m.markdown, '') AS minutes, coalesce(m.set_v, '') AS minutes_v
         FROM gov_agenda_items i LEFT JOIN gov_minutes m ON m.circle = i.circle AND m.assembly_id = i.assembly_id AND m.item_id = i.item_id
         WHERE i.circle = ? AND i.assembly_id = ? AND i.set_v > i.removed_v ORDER BY i.position, i.set_v`,
      )
      .all(circleId, assemblyId) as { item_id: string; title: string; position: number; timebox_minutes: number | null; minutes: string; minutes_v: string }[];
    const drafts = this.drafts.forAssembly(circleId, assemblyId);
    const decisions = this.db.prepare('SELECT item_id, vote_id FROM gov_decisions WHERE circle = ? AND assembly_id = ? ORDER BY vote_id').all(circleId, assemblyId) as {
      item_id: string;
      vote_id: string;
    }[];
    const members = this.members(circleId);
    const statuses = this.attendance(circleId, assemblyId);
    const recordings = this.db
      .prepare('SELECT recording_id AS recordingId, url, label FROM gov_recordings WHERE circle = ? AND assembly_id = ? ORDER BY set_v')
      .all(circleId, assemblyId) as AssemblyDetail['recordings'];
    const circle = this.circle(circleId);
    // Votes put during the assembly and votes linked to its agenda as decisions.
    const votes = this.voteRows(
      'AND v.circle = ? AND (v.assembly_id = ? OR v.vote_id IN (SELECT d.vote_id FROM gov_decisions d WHERE d.circle = v.circle AND d.assembly_id = ?))',
      circleId,
      assemblyId,
      assemblyId,
    ).map((v) => this.voteSummary(v));
    const current = this.db.prepare('SELECT current_item, current_item_v FROM gov_assemblies WHERE circle = ? AND assembly_id = ?').get(circleId, assemblyId) as {
      current_item: string | null;
      current_item_v: string;
    };
    const currentLive = current.current_item !== null && items.some((i) => i.item_id === current.current_item);
    return {
      ...this.assemblySummary(row),
      canFacilitate: circle.canFacilitate,
      // The timer runs from the moment it became current, by the operation's own clock.
      currentItem: currentLive && row.closed_v === null ? { itemId: current.current_item!, since: stampWall(current.current_item_v) } : null,
      actions: this.actions('a.circle = ? AND a.assembly_id = ?', circleId, assemblyId),
      agenda: items.map((i) => ({
        itemId: i.item_id,
        title: i.title,
        position: i.position,
        minutes: i.minutes,
        draft: draftView(drafts.get(i.item_id), i.minutes_v),
        timeboxMinutes: i.timebox_minutes,
        decisions: decisions.filter((d) => d.item_id === i.item_id).map((d) => d.vote_id),
      })),
      attendance: members.map((m) => ({ member: m.member, displayName: m.displayName, status: statuses.get(m.member) ?? null })),
      recordings,
      votes,
      members,
    };
  }

  private actions(where: string, ...args: unknown[]): ActionItemView[] {
    const rows = this.db
      .prepare(
        `SELECT a.circle, c.name AS circle_name, a.assembly_id, s.title AS assembly_title, a.action_id, a.item_id, a.text, a.owner, a.due, a.done,
           coalesce(l.account, a.owner) AS resolved
         FROM gov_actions a
         JOIN gov_assemblies s ON s.circle = a.circle AND s.assembly_id = a.assembly_id AND s.created_v IS NOT NULL
         JOIN gov_circles c ON c.circle = a.circle AND c.created_v IS NOT NULL
         LEFT JOIN gov_member_links l ON l.circle = a.circle AND l.member = a.owner
         WHERE a.set_v > a.removed_v AND ${where}
         ORDER BY a.done, a.due IS NULL, a.due, a.set_v`,
      )
      .all(...args) as {
      circle: string;
      circle_name: string;
      assembly_id: string;
      assembly_title: string;
      action_id: string;
      item_id: string | null;
      text: string;
      owner: string;
      due: string | null;
      done: number;
      resolved: string;
    }[];
    const names = new Map<string, Map<string, string>>();
    const nameIn = (circle: string, member: string) => {
      if (!names.has(circle)) names.set(circle, new Map(this.members(circle).map((m) => [m.member, m.displayName])));
      return names.get(circle)!.get(member) ?? member;
    };
    return rows.map((r) => ({
      circle: r.circle,
      circleName: r.circle_name,
      assemblyId: r.assembly_id,
      assemblyTitle: r.assembly_title,
      actionId: r.action_id,
      itemId: r.item_id,
      text: r.text,
      owner: r.resolved,
      ownerName: nameIn(r.circle, r.resolved),
      due: r.due,
      done: r.done === 1,
    }));
  }

  /** The member's open action items, in every circle, soonest due first. */
  myActions(): ActionItemView[] {
    const me = this.actor();
    return this.actions('a.done = 0 AND coalesce(l.account, a.owner) = ?', me);
  }

  /** Attendance by the id each member goes by; for a linked member, the newest of their ids' entries. */
  attendance(circle: string, assemblyId: string): Map<string, AttendanceStatus> {
    const links = this.directory.links(circle);
    const newest = new Map<string, { status: AttendanceStatus; setV: string }>();
    const rows = this.db.prepare('SELECT member, status, set_v FROM gov_attendance WHERE circle = ? AND assembly_id = ?').all(circle, assemblyId) as {
      member: string;
      status: AttendanceStatus;
      set_v: string;
    }[];
    for (const r of rows) {
      const id = links.get(r.member) ?? r.member;
      const current = newest.get(id);
      if (!current || r.set_v > current.setV) newest.set(id, { status: r.status, setV: r.set_v });
    }
    return new Map([...newest].map(([id, entry]) => [id, entry.status]));
  }

  private voteRows(where: string, ...args: unknown[]): VoteRow[] {
    return this.db
      .prepare(
        `SELECT v.*, c.name AS circle_name FROM gov_votes v JOIN gov_circles c ON c.circle = v.circle AND c.created_v IS NOT NULL
         WHERE v.created_v IS NOT NULL ${where} ORDER BY v.created_v DESC`,
      )
      .all(...args) as VoteRow[];
  }

  private definition(row: VoteRow): VoteDefinition {
    return { method: row.method, options: JSON.parse(row.options) as VoteOption[], maxChoices: row.max_choices, quorumPercent: row.quorum_percent, quorumBasis: row.quorum_basis };
  }

  /** Every ballot of a vote and what is needed to decide which count. */
  private ballotsOf(row: VoteRow) {
    // Ballots under a local member id count as their account's once linked.
    const links = this.directory.links(row.circle);
    const { ballots, close: judged } = this.timings.load(row, links);
    const accepted = new Set(
      (this.db.prepare('SELECT ballot_op_id FROM gov_late_accepts WHERE circle = ? AND vote_id = ?').all(row.circle, row.vote_id) as { ballot_op_id: string }[]).map(
        (r) => r.ballot_op_id,
      ),
    );
    const close = judged.claimed;
    const closures = (
      this.db.prepare('SELECT stamp, kind, actor FROM gov_vote_closures WHERE circle = ? AND vote_id = ? ORDER BY stamp').all(row.circle, row.vote_id) as ClosureEvent[]
    ).map((c) => ({ ...c, actor: links.get(c.actor) ?? c.actor }));
    const countRow = this.db
      .prepare(`SELECT stamp, totals, abstain FROM gov_vote_counts WHERE circle = ? AND vote_id = ? ${close ? 'AND stamp < ?' : ''} ORDER BY stamp DESC LIMIT 1`)
      .get(...(close ? [row.circle, row.vote_id, close] : [row.circle, row.vote_id])) as { stamp: string; totals: string; abstain: number } | undefined;
    const count: CountRecord | null = countRow ? { stamp: countRow.stamp, totals: JSON.parse(countRow.totals) as Record<string, number>, abstain: countRow.abstain } : null;
    // Standing delegations in force at the close (now, while open): see shared/governance/delegation.ts.
    const delegations = delegationsInForce(this.db, row.circle, links, close);
    return { ballots, accepted, close, count, closures, delegations, selection: selectBallots(ballots, judged, accepted), electorate: this.electorateAt(row.circle, close, links) };
  }

  /**
   * Who may vote on a vote closing at `close` (a stamp; null while it is open): the members
   * of the circle as of then. Membership is a last-writer-wins set, so it is read from the
   * membership operations in the log with stamps before the close: the newest set must be
   * newer than the newest removal, exactly as the fold decides it for gov_members. Every
   * replica with the same operations gets the same electorate in any arrival order, and
   * adding or removing a member after the close leaves a closed vote's result alone.
   */
  electorateAt(circle: string, close: string | null, links = this.directory.links(circle)): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT type, hlc || ' ' || id AS stamp, json_extract(payload, '$.member') AS member FROM ops
         WHERE circle = ? AND type IN ('circle.member.set', 'circle.member.remove') AND withdrawn = 0 AND held_until IS NULL ORDER BY hlc, id`,
      )
      .all(circle) as { type: string; stamp: string; member: string }[];
    const latest = new Map<string, { set: string; removed: string }>();
    for (const r of rows) {
      if (close !== null && r.stamp >= close) break;
      // A local id and the account it was linked to are one member (links are timeless).
      const member = links.get(r.member) ?? r.member;
      const entry = latest.get(member) ?? { set: '', removed: '' };
      if (r.type === 'circle.member.set') entry.set = r.stamp > entry.set ? r.stamp : entry.set;
      else entry.removed = r.stamp > entry.removed ? r.stamp : entry.removed;
      latest.set(member, entry);
    }
    return new Set([...latest].filter(([, e]) => e.set > e.removed).map(([member]) => member));
  }

  /** A vote as the interface may see it now (results hidden until the close where the vote says so). */
  private voteSummary(row: VoteRow, loaded = this.ballotsOf(row)): VoteSummary {
    return summaryAsShown(this.countedSummary(row, loaded));
  }

  private countedSummary(row: VoteRow, loaded: ReturnType<GovernanceQueries['ballotsOf']>): VoteSummary {
    const definition = this.definition(row);
    const { selection, count, electorate, delegations } = loaded;
    // A quorum of those present counts the electorate's members marked present in the vote's assembly.
    const present =
      row.quorum_basis === 'present' && row.assembly_id !== null
        ? [...this.attendance(row.circle, row.assembly_id)].filter(([member, status]) => status === 'present' && electorate.has(member)).length
        : undefined;
    const results = tallyVote(definition, selection.counted, electorate, count, {
      superseded: selection.superseded,
      late: selection.late.length,
      delegations,
      ...(present !== undefined ? { present } : {}),
    });
    const closedByTime = row.closes_at !== null && row.closes_at <= this.now();
    const closedAt = row.closed_v ? Math.min(stampWall(row.closed_v), row.closes_at ?? Infinity) : closedByTime ? row.closes_at : null;
    return {
      circle: row.circle,
      circleName: row.circle_name,
      id: row.vote_id,
      question: row.question,
      details: row.details,
      method: row.method,
      options: definition.options,
      maxChoices: row.max_choices,
      quorumPercent: row.quorum_percent,
      quorumBasis: row.quorum_basis ?? 'members',
      closesAt: row.closes_at,
      status: row.closed_v || closedByTime ? 'closed' : 'open',
      closedAt,
      outcome: row.outcome ?? '',
      reviewOn: row.review_on ?? null,
      chosenOption: row.chosen_option ?? null,
      assemblyId: row.assembly_id,
      itemId: row.item_id,
      createdAt: stampWall(row.created_v),
      results,
      final: (row.outcome ?? '').trim() !== '' || (row.assembly_id !== null && this.assemblyClosed(row.circle, row.assembly_id)),
      closedByFacilitator: row.closed_v !== null,
      hideResults: row.hide_results === 1,
      resultsHidden: false,
      reasons: row.reasons,
    };
  }

  /** This replica's count of a vote, as published with its close (shared/governance/recount.ts). */
  private countOf(row: VoteRow, loaded: ReturnType<GovernanceQueries['ballotsOf']>, results: VoteSummary['results']): PublishedCount {
    const definition = this.definition(row);
    const ballots = countingBallots(definition, loaded.selection.counted, loaded.electorate);
    const { text, summary } = canonicalCount(row.vote_id, definition, ballots, results);
    return { sha256: sha256Hex(text), ...summary };
  }

  /** The count to publish for a closed vote (vote.digest); refused while it is open. */
  publishableCount(circleId: string, voteId: string): PublishedCount {
    const row = this.voteRows('AND v.circle = ? AND v.vote_id = ?', circleId, voteId)[0];
    if (!row) throw notFound('voteId', 'vote');
    const loaded = this.ballotsOf(row);
    const summary = this.voteSummary(row, loaded);
    if (summary.status !== 'closed') throw new PlenaryError('invalid_input', 'The count is published once the vote has closed', { field: 'voteId', params: { reason: 'vote_open' } });
    return this.countOf(row, loaded, summary.results);
  }

  private recount(row: VoteRow, loaded: ReturnType<GovernanceQueries['ballotsOf']>, summary: VoteSummary, names: ReadonlyMap<string, string>, canFacilitate: boolean): VoteDetail['recount'] {
    if (summary.status !== 'closed') return null;
    const here = this.countOf(row, loaded, summary.results);
    const digest = latestDigest(this.db, row.circle, row.vote_id);
    const me = this.actor();
    const creator = (this.db.prepare('SELECT created_by FROM gov_votes WHERE circle = ? AND vote_id = ?').get(row.circle, row.vote_id) as { created_by: string | null } | undefined)?.created_by;
    const canPublish = canFacilitate || creator === me;
    if (!digest) return { published: null, sha256: here.sha256, verified: null, differences: [], canPublish };
    const check = compareCounts(digest.count, here);
    return {
      published: { by: digest.actor, byName: names.get(digest.actor) ?? digest.actor, at: stampWall(digest.stamp), sha256: digest.count.sha256 },
      sha256: here.sha256,
      verified: check.verified,
      differences: check.verified ? [] : check.differences,
      canPublish,
    };
  }

  private assemblyClosed(circle: string, assemblyId: string): boolean {
    const row = this.db.prepare('SELECT closed_v FROM gov_assemblies WHERE circle = ? AND assembly_id = ?').get(circle, assemblyId) as { closed_v: string | null } | undefined;
    return row !== undefined && row.closed_v !== null;
  }

  votes(filter: { circleId?: string | undefined; status?: 'open' | 'closed' | undefined } = {}): VoteSummary[] {
    const rows = filter.circleId ? this.voteRows('AND v.circle = ?', filter.circleId) : this.voteRows('');
    const votes = rows.map((row) => this.voteSummary(row));
    return filter.status ? votes.filter((v) => v.status === filter.status) : votes;
  }

  vote(circleId: string, voteId: string): VoteDetail {
    const row = this.voteRows('AND v.circle = ? AND v.vote_id = ?', circleId, voteId)[0];
    if (!row) throw notFound('voteId', 'vote');
    const loaded = this.ballotsOf(row);
    const summary = this.countedSummary(row, loaded);
    const members = this.members(circleId);
    const me = this.actor();
    const names = new Map(members.map((m) => [m.member, m.displayName]));
    const definition = this.definition(row);
    const counted = new Set(loaded.selection.counted.map((b) => b.opId));
    const late = new Set(loaded.selection.late.map((b) => b.opId));
    const attendance = row.assembly_id !== null ? this.attendance(circleId, row.assembly_id) : null;
    // Whom each counted ballot also counts for, by delegation.
    const delegatedFrom = new Map<string, { member: string; name: string }[]>();
    for (const d of summary.results.delegated) {
      const list = delegatedFrom.get(d.via) ?? [];
      list.push({ member: d.voter, name: names.get(d.voter) ?? d.voter });
      delegatedFrom.set(d.via, list);
    }
    const ballots: BallotView[] = loaded.ballots.map((b) => {
      const problem = counted.has(b.opId) && loaded.electorate.has(b.voter) ? ballotProblem(definition, b.choice) : null;
      return {
        opId: b.opId,
        voter: b.voter,
        voterName: names.get(b.voter) ?? b.voter,
        actor: b.actor,
        actorName: names.get(b.actor) ?? b.actor,
        proxy: b.proxy ?? null,
        proxyName: b.proxy ? (names.get(b.proxy) ?? b.proxy) : null,
        voterAttendance: attendance?.get(b.voter) ?? null,
        choice: b.choice,
        reason: b.reason,
        at: stampWall(b.stamp),
        receivedAt: b.serverTs ?? null,
        state: late.has(b.opId) ? 'late' : !counted.has(b.opId) ? 'superseded' : !loaded.electorate.has(b.voter) ? 'not_member' : problem ? 'spoiled' : 'counted',
        problem,
        delegatedFrom: counted.has(b.opId) ? (delegatedFrom.get(b.voter) ?? []) : [],
        hidden: false,
      };
    });
    // Members counted through a delegation have their vote cast, so they are not undecided.
    const voted = new Set([...loaded.selection.counted.map((b) => b.voter), ...summary.results.delegated.map((d) => d.voter)]);
    // Your ballot: the newest of yours that is not superseded (counted, late, spoiled...), else your newest.
    const mine = ballots.filter((b) => b.voter === me);
    const myBallot = mine.find((b) => b.state !== 'superseded') ?? mine[mine.length - 1] ?? null;
    const myDelegate = currentDelegations(this.db, circleId, this.directory.links(circleId)).get(me);
    // Undecided: members who may vote (the electorate at the close, once closed) and have not.
    const circle = this.circle(circleId);
    return detailAsShown({
      ...summary,
      canFacilitate: circle.canFacilitate,
      ballots,
      // A show of hands has no ballots: nobody is listed as not having voted.
      undecided: row.method === 'counted' ? [] : members.filter((m) => loaded.electorate.has(m.member) && !voted.has(m.member)),
      members,
      count: loaded.count ? { totals: loaded.count.totals, abstain: loaded.count.abstain } : null,
      closures: loaded.closures.map((c) => ({ kind: c.kind, at: stampWall(c.stamp), by: c.actor, byName: names.get(c.actor) ?? c.actor })),
      attendance: attendance ? Object.fromEntries(attendance) : null,
      me,
      myBallot,
      myDelegation: myDelegate !== undefined ? { delegate: myDelegate, name: names.get(myDelegate) ?? myDelegate } : null,
      delegated: summary.results.delegated.map((d) => ({ member: d.voter, name: names.get(d.voter) ?? d.voter, via: d.via, viaName: names.get(d.via) ?? d.via })),
      recount: this.recount(row, loaded, summary, names, circle.canFacilitate),
    });
  }

  private contributionWhere(filter: ContributionFilter): { sql: string; args: unknown[] } {
    const clauses = ['t.created_v IS NOT NULL', 't.deleted_v IS NULL'];
    const args: unknown[] = [];
    const add = (clause: string, value: unknown) => (clauses.push(clause), args.push(value));
    if (filter.circleId) add('t.circle = ?', filter.circleId);
    if (filter.member) add('coalesce(l.account, t.member) = ?', filter.member);
    if (filter.stream) add('t.stream = ?', filter.stream);
    if (filter.from) add('t.date >= ?', filter.from);
    if (filter.to) add('t.date <= ?', filter.to);
    if (filter.tag) add('EXISTS (SELECT 1 FROM json_each(t.tags) WHERE plenary_casefold(value) = ?)', filter.tag.toLowerCase());
    if (filter.text) add("t.description LIKE ? ESCAPE '\\'", `%${filter.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    return { sql: clauses.join(' AND '), args };
  }

  contributions(filter: ContributionFilter, limit: number, offset: number): ContributionPage {
    const where = this.contributionWhere(filter);
    const rows = this.db
      .prepare(
        `SELECT t.circle, t.contribution_id, c.name AS circle_name, coalesce(l.account, t.member) AS member, coalesce(ma.display_name, m.display_name) AS member_name,
           t.date, t.minutes, t.stream, t.description, t.tags, t.created_by
         FROM gov_contributions t
         JOIN gov_circles c ON c.circle = t.circle AND c.created_v IS NOT NULL
         ${linkJoin}
         LEFT JOIN gov_members m ON m.circle = t.circle AND m.member = t.member
         LEFT JOIN gov_members ma ON ma.circle = t.circle AND ma.member = l.account
         WHERE ${where.sql} ORDER BY t.date DESC, t.created_v DESC LIMIT ? OFFSET ?`,
      )
      .all(...where.args, limit, offset) as ContributionRow[];
    const totals = this.contributionCount(filter, where);
    return {
      items: rows.map(
        (r): ContributionView => ({
          circle: r.circle,
          circleName: r.circle_name,
          id: r.contribution_id,
          member: r.member,
          memberName: r.member_name ?? r.member,
          date: r.date,
          minutes: r.minutes,
          stream: r.stream,
          description: r.description,
          tags: JSON.parse(r.tags) as string[],
          createdBy: r.created_by,
        }),
      ),
      total: totals.n,
      totalMinutes: totals.minutes,
    };
  }

  /**
   * How many contributions match and their minutes. Filters the running totals can answer
   * (circle, member, stream) read those, so the log's header stays instant with a million
   * entries; date ranges, tags and text need the entries themselves.
   */
  private contributionCount(filter: ContributionFilter, where: { sql: string; args: unknown[] }): { n: number; minutes: number } {
    if (!filter.from && !filter.to && !filter.tag && !filter.text) {
      const clauses = ['circle IN (SELECT circle FROM gov_circles WHERE created_v IS NOT NULL)'];
      const args: unknown[] = [];
      const add = (clause: string, value: unknown) => (clauses.push(clause), args.push(value));
      if (filter.circleId) add('circle = ?', filter.circleId);
      if (filter.member) add('member = ?', filter.member);
      if (filter.stream) add('stream = ?', filter.stream);
      return this.db
        .prepare(`SELECT coalesce(sum(entries), 0) AS n, coalesce(sum(minutes), 0) AS minutes FROM ${this.totals()} WHERE ${clauses.join(' AND ')}`)
        .get(...args) as { n: number; minutes: number };
    }
    return this.db
      .prepare(`SELECT count(*) AS n, coalesce(sum(t.minutes), 0) AS minutes FROM gov_contributions t JOIN gov_circles c ON c.circle = t.circle AND c.created_v IS NOT NULL ${linkJoin} WHERE ${where.sql}`)
      .get(...where.args) as { n: number; minutes: number };
  }

  /**
   * The running totals as readers see them: by the id each member goes by. Totals are kept
   * under the ids contributions were logged with; only when some local id was linked to an
   * account are they read through the links (most coops never pay for the join).
   */
  private totals(): string {
    if (!this.db.prepare('SELECT 1 FROM gov_member_links LIMIT 1').get()) return 'gov_contribution_totals';
    return `(SELECT coalesce(l.account, t.member) AS member, t.stream, t.month, t.circle, t.minutes, t.entries
             FROM gov_contribution_totals t LEFT JOIN gov_member_links l ON l.circle = t.circle AND l.member = t.member)`;
  }

  /** Minutes and entries grouped by the chosen dimensions, from the running totals (never the log). */
  contributionSummary(groupBy: readonly SummaryDimension[], filter: SummaryFilter): ContributionSummaryRow[] {
    const dims = [...new Set(groupBy)];
    const clauses: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, value: unknown) => (clauses.push(clause), args.push(value));
    if (filter.circleId) add('circle = ?', filter.circleId);
    if (filter.member) add('member = ?', filter.member);
    if (filter.stream) add('stream = ?', filter.stream);
    if (filter.fromMonth) add('month >= ?', filter.fromMonth);
    if (filter.toMonth) add('month <= ?', filter.toMonth);
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const group = dims.length > 0 ? `GROUP BY ${dims.join(', ')} ORDER BY ${dims.join(', ')}` : '';
    const rows = this.db
      .prepare(`SELECT ${[...dims, 'sum(minutes) AS minutes', 'sum(entries) AS entries'].join(', ')} FROM ${this.totals()} ${where} ${group}`)
      .all(...args) as ContributionSummaryRow[];
    if (dims.length === 0 && rows[0]?.entries === null) return [];
    if (!dims.includes('member') && !dims.includes('circle')) return rows;
    // Names come from the small circle and member tables, not from a join over the totals.
    const circleNames = new Map((this.db.prepare('SELECT circle, name FROM gov_circles WHERE created_v IS NOT NULL').all() as { circle: string; name: string }[]).map((r) => [r.circle, r.name]));
    const memberNames = new Map<string, string>();
    for (const r of this.db.prepare('SELECT member, display_name FROM gov_members WHERE display_name != \'\' ORDER BY set_v').all() as { member: string; display_name: string }[]) {
      memberNames.set(r.member, r.display_name);
    }
    // An account known only through a link goes by the name its local id was added with.
    for (const r of this.db.prepare('SELECT member, account FROM gov_member_links').all() as { member: string; account: string }[]) {
      const name = memberNames.get(r.member);
      if (name !== undefined && !memberNames.has(r.account)) memberNames.set(r.account, name);
    }
    return rows.map((r) => ({
      ...r,
      ...(r.member !== undefined ? { memberName: memberNames.get(r.member) ?? r.member } : {}),
      ...(r.circle !== undefined ? { circleName: circleNames.get(r.circle) ?? r.circle } : {}),
    }));
  }
}
