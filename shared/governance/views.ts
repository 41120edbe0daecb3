// What the core answers about governance: circles, assemblies, votes with their results,
// contributions and their summaries. Plain data, shared by the contract and the renderer.
import type { AttendanceStatus, QuorumBasis, ReasonMode, Role, Schedule, ValueStream, VoteMethod, VoteOption } from './operation-types';
import type { BallotProblem, VoteResults } from './tally';
import type { RecountDifference } from './recount';

export interface MemberView {
  member: string;
  displayName: string;
  role: Role;
  timezone: string;
}

export interface RoomView {
  roomId: string;
  url: string;
  label: string;
}

export interface CircleSummary {
  id: string;
  name: string;
  purpose: string;
  timezone: string;
  schedule: Schedule | null;
  archived: boolean;
  memberCount: number;
  /** The local user's role here, or null when not a member. */
  myRole: Role | null;
  /** Whether the local user may run assemblies and votes (a facilitator, or nobody is a member yet). */
  canFacilitate: boolean;
  openVotes: number;
  openAssemblies: number;
  /** What the coop server says about the member's rights here; null before sign-in or before the circle's room is known. */
  authority: CircleAuthority | null;
}

/**
 * The member's power in the circle's Matrix room, next to their role in the circle. Other
 * members' apps accept facilitator changes only from someone with power level 50 there, so
 * when the two disagree the member is told, and told who can put it right.
 */
export interface CircleAuthority {
  /** The member's power level in the circle's room (a v12 room creator's is above every level). */
  level: number;
  /** A creator of a room version 12+ room. */
  isCreator: boolean;
  /** The level facilitator changes need. */
  facilitatorLevel: number;
  agreement: 'agrees' | 'role-without-power' | 'power-without-role';
  /** Whether the member may change power levels in the room (and so fix other members' rights). */
  canGrant: boolean;
  /** Members the room lets grant facilitator rights, besides the member. */
  granters: { member: string; displayName: string | null }[];
  /** Other circle facilitators without facilitator power in the room, and room facilitators the circle lists as members. */
  mismatched: { member: string; displayName: string; role: Role; level: number }[];
}

export interface CircleDetail extends CircleSummary {
  members: MemberView[];
  rooms: RoomView[];
  createdBy: string;
  createdAt: number;
  /** Who "you" are here (the signed-in account or this computer's local identity). */
  me: string;
  /** Standing delegations in force now (shared/governance/delegation.ts): who gives their vote to whom. */
  delegations: { member: string; name: string; delegate: string; delegateName: string }[];
}

export type AssemblyStatus = 'planned' | 'open' | 'closed';

export interface AssemblySummary {
  circle: string;
  circleName: string;
  id: string;
  title: string;
  scheduledAt: number | null;
  status: AssemblyStatus;
  openedAt: number | null;
  closedAt: number | null;
  agendaCount: number;
}

export interface AgendaItemView {
  itemId: string;
  title: string;
  position: number;
  minutes: string;
  /**
   * What this computer's facilitator typed and has not published yet (kept across views,
   * reloads and restarts; never synced). changedElsewhere: the published minutes changed
   * after the draft was started, so publishing it replaces someone else's words.
   */
  draft: { markdown: string; savedAt: number; changedElsewhere: boolean } | null;
  /** How long the item may take, in minutes, or null for no timebox. */
  timeboxMinutes: number | null;
  /** Votes linked to this item as its decisions. */
  decisions: string[];
}

export interface AttendanceView {
  member: string;
  displayName: string;
  status: AttendanceStatus | null;
}

export interface RecordingView {
  recordingId: string;
  url: string;
  label: string;
}

/** An action item agreed in an assembly: what, who, by when, and whether it is done. */
export interface ActionItemView {
  circle: string;
  circleName: string;
  assemblyId: string;
  assemblyTitle: string;
  actionId: string;
  /** The agenda item it came from, if any. */
  itemId: string | null;
  text: string;
  owner: string;
  ownerName: string;
  /** YYYY-MM-DD, or null for no due date. */
  due: string | null;
  done: boolean;
}

export interface AssemblyDetail extends AssemblySummary {
  canFacilitate: boolean;
  /** The item the assembly is on now, and since when (its timer runs from then). */
  currentItem: { itemId: string; since: number } | null;
  actions: ActionItemView[];
  agenda: AgendaItemView[];
  attendance: AttendanceView[];
  recordings: RecordingView[];
  /** Votes put during this assembly, with their results. */
  votes: VoteSummary[];
  members: MemberView[];
}

export type VoteStatus = 'open' | 'closed';

export interface VoteSummary {
  circle: string;
  circleName: string;
  id: string;
  question: string;
  details: string;
  method: VoteMethod;
  options: VoteOption[];
  maxChoices: number | null;
  quorumPercent: number;
  quorumBasis: QuorumBasis;
  closesAt: number | null;
  status: VoteStatus;
  closedAt: number | null;
  outcome: string;
  /** When the outcome is to be reviewed (YYYY-MM-DD), or null. */
  reviewOn: string | null;
  /** A closed time poll's chosen slot (an option id), which became a meeting of the circle; null otherwise. */
  chosenOption?: string | null;
  assemblyId: string | null;
  itemId: string | null;
  createdAt: number;
  results: VoteResults;
  /**
   * Final: an outcome is recorded or its assembly has closed; until then a facilitator may
   * reopen a vote they closed, or give a vote that closed at its closing time a later one.
   */
  final: boolean;
  /** Closed by a facilitator (not by its closing time). */
  closedByFacilitator: boolean;
  /** Results hidden until the close (a setting of the vote). */
  hideResults: boolean;
  /** True while results are hidden now: `results` then holds turnout only (hidden-results.ts). */
  resultsHidden: boolean;
  /** Reasons off, optional or required; null for a vote made before the setting (optional, 1,000 characters). */
  reasons: ReasonMode | null;
}

/** This replica's recount of a closed vote against the count published with it (shared/governance/recount.ts). */
export interface RecountView {
  /** The newest count published for the vote, or null when none was (yet). */
  published: { by: string; byName: string; at: number; sha256: string } | null;
  /** This replica's digest of its own count. */
  sha256: string;
  /** Null when nothing was published to compare with. */
  verified: boolean | null;
  differences: RecountDifference[];
  /** Whether the member may publish this replica's count (the vote's creator or a facilitator). */
  canPublish: boolean;
}

/** A close or reopen in a vote's history. */
export interface VoteClosureView {
  kind: 'close' | 'reopen';
  at: number;
  by: string;
  byName: string;
}

/**
 * A poll a member started in Element in a circle's room without the right to create votes: a
 * proposal a facilitator can adopt as a vote (with the answers already given) or leave to
 * Element. `answers`: members who answered so far.
 */
export interface MemberProposal {
  circle: string;
  /** The vote it becomes when adopted (derived from the poll, the same everywhere). */
  voteId: string;
  pollEventId: string;
  proposer: string;
  proposerName: string | null;
  question: string;
  method: VoteMethod;
  options: VoteOption[];
  proposedAt: number;
  /** When the proposer (or a facilitator) ended the poll in Element; an ended proposal cannot be adopted. */
  endedAt: number | null;
  answers: number;
}

/** not_member: the voter was not a member of the circle (as of the close): not counted. */
export type BallotState = 'counted' | 'superseded' | 'late' | 'spoiled' | 'not_member';

export interface BallotView {
  opId: string;
  voter: string;
  voterName: string;
  /** Who recorded it; differs from the voter for a proxy ballot. */
  actor: string;
  actorName: string;
  /** A proxy ballot: the member who held the voter's proxy, when recorded. */
  proxy: string | null;
  proxyName: string | null;
  /** In an assembly: whether the voter is marked present, sent apologies or absent (null: not recorded). */
  voterAttendance: AttendanceStatus | null;
  choice: unknown;
  reason: string | null;
  /** When it was cast, by its maker's clock. */
  at: number;
  /** When the coop server received it (what lateness is judged by), or null while not known. */
  receivedAt: number | null;
  state: BallotState;
  problem: BallotProblem | null;
  /** Members this ballot also counts for through their standing delegation (counted ballots only). */
  delegatedFrom: { member: string; name: string }[];
  /** The choice and reason are hidden until the close (someone else's ballot on a vote with hidden results). */
  hidden: boolean;
}

export interface VoteDetail extends VoteSummary {
  canFacilitate: boolean;
  ballots: BallotView[];
  /** Members whose ballot has not been counted (yet). */
  undecided: MemberView[];
  members: MemberView[];
  /** The show-of-hands count in use (counted votes). */
  count: { totals: Record<string, number>; abstain: number } | null;
  /** Every close and reopen, oldest first. */
  closures: VoteClosureView[];
  /** For a vote put during an assembly: its attendance by member (members not recorded are left out). */
  attendance: Record<string, AttendanceStatus> | null;
  /** Who "you" are here (the signed-in account or this computer's local identity). */
  me: string;
  /** Your own ballot in force (cast by you, or recorded for you by a facilitator), newest first of yours. */
  myBallot: BallotView | null;
  /** Whom you delegate your vote to in this circle now, if anyone. */
  myDelegation: { delegate: string; name: string } | null;
  /** Members counted through a delegation (delegation.ts), and whose ballot counted for them. */
  delegated: { member: string; name: string; via: string; viaName: string }[];
  /** Once closed: this replica's recount against the published count; null while open. */
  recount: RecountView | null;
}

export interface ContributionView {
  circle: string;
  circleName: string;
  id: string;
  member: string;
  memberName: string;
  date: string;
  minutes: number;
  stream: ValueStream;
  description: string;
  tags: string[];
  createdBy: string;
}

export interface ContributionPage {
  items: ContributionView[];
  /** Entries matching the filters (all pages). */
  total: number;
  totalMinutes: number;
}

export const summaryDimensions = ['member', 'circle', 'stream', 'month'] as const;
export type SummaryDimension = (typeof summaryDimensions)[number];

export interface ContributionSummaryRow {
  member?: string;
  memberName?: string;
  circle?: string;
  circleName?: string;
  stream?: ValueStream;
  month?: string;
  minutes: number;
  entries: number;
}

export interface ExportFile {
  filename: string;
  mimeType: string;
  text: string;
}
