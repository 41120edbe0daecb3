// Governance calls: reads (circles, assemblies, votes with results, contributions and their
// summaries), exports, and `governance.apply`, which makes one change. Its input is exactly
// an operation's type, circle and payload, checked against the same strict schema the store
// uses, so the renderer can do nothing the operation model cannot express.
import type { VoteAgenda } from '../governance/vote-reminders';
import { z } from 'zod';
import { call, event, returns } from './define';
import { actorIdSchema, entityIdSchema } from '../governance/operation';
import { dateSchema, localMemberIdSchema, matrixUserIdSchema, maxMarkdownLength, operationTypeNames, operationTypes, timeZoneSchema, valueStreams, type GovernanceOperation, type OperationType } from '../governance/operation-types';
import { summaryDimensions } from '../governance/views';
import type {
  ActionItemView,
  AssemblyDetail,
  AssemblySummary,
  CircleDetail,
  CircleSummary,
  ContributionPage,
  ContributionSummaryRow,
  ExportFile,
  MemberProposal,
  VoteDetail,
  VoteSummary,
} from '../governance/views';
import { supportedLocales } from '../locales';

type ApplyInput = { [T in OperationType]: { type: T; circle: string; payload: z.input<(typeof operationTypes)[T]['schema']> } }[OperationType];

export const applySchema = z.discriminatedUnion(
  'type',
  operationTypeNames.map((type) => z.object({ type: z.literal(type), circle: entityIdSchema, payload: operationTypes[type].schema }).strict()) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<OperationType> }>,
  ],
) as unknown as z.ZodType<ApplyInput, ApplyInput>;

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2026-11');

export const contributionFilterSchema = z
  .object({
    circleId: entityIdSchema.optional(),
    member: actorIdSchema.optional(),
    stream: z.enum(valueStreams).optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    tag: z.string().min(1).max(40).optional(),
    text: z.string().min(1).max(100).optional(),
  })
  .strict();

const summaryFilterSchema = z
  .object({
    circleId: entityIdSchema.optional(),
    member: actorIdSchema.optional(),
    stream: z.enum(valueStreams).optional(),
    fromMonth: monthSchema.optional(),
    toMonth: monthSchema.optional(),
  })
  .strict();

const localeSchema = z.enum(supportedLocales);

export const governanceCalls = {
  governance: {
    apply: call(applySchema, returns<GovernanceOperation>()),
    /** Creates a circle with the local user as its first facilitator, atomically. */
    createCircle: call(
      z
        .object({
          name: operationTypes['circle.create'].schema.shape.name,
          purpose: operationTypes['circle.create'].schema.shape.purpose,
          timezone: timeZoneSchema,
          displayName: operationTypes['circle.member.set'].schema.shape.displayName,
          memberTimezone: timeZoneSchema,
        })
        .strict(),
      returns<CircleDetail>(),
    ),
    /**
     * Links a member added without a Matrix account (a local member id) to their account, in
     * one change: the circle.member.link operation, and the account as a member with the same
     * name, role and time zone (so sync invites it to the circle's room). Their ballots,
     * attendance and contributions follow the account.
     */
    linkMember: call(
      z.object({ circleId: entityIdSchema, member: localMemberIdSchema, account: matrixUserIdSchema }).strict(),
      returns<CircleDetail>(),
    ),
    circles: call(z.object({}).strict(), returns<CircleSummary[]>()),
    circle: call(z.object({ circleId: entityIdSchema }).strict(), returns<CircleDetail>()),
    assemblies: call(z.object({ circleId: entityIdSchema.optional() }).strict(), returns<AssemblySummary[]>()),
    assembly: call(z.object({ circleId: entityIdSchema, assemblyId: entityIdSchema }).strict(), returns<AssemblyDetail>()),
    votes: call(z.object({ circleId: entityIdSchema.optional(), status: z.enum(['open', 'closed']).optional() }).strict(), returns<VoteSummary[]>()),
    vote: call(z.object({ circleId: entityIdSchema, voteId: entityIdSchema }).strict(), returns<VoteDetail>()),
    contributions: call(
      z.object({ filter: contributionFilterSchema, limit: z.int().min(1).max(500), offset: z.int().min(0).max(10_000_000) }).strict(),
      returns<ContributionPage>(),
    ),
    contributionSummary: call(
      z.object({ groupBy: z.array(z.enum(summaryDimensions)).max(summaryDimensions.length), filter: summaryFilterSchema }).strict(),
      returns<ContributionSummaryRow[]>(),
    ),
    exportContributions: call(z.object({ filter: contributionFilterSchema, locale: localeSchema }).strict(), returns<ExportFile>()),
    /** Times in exported minutes and results are in the circle's time zone: they are the circle's record. */
    exportMinutes: call(z.object({ circleId: entityIdSchema, assemblyId: entityIdSchema, locale: localeSchema }).strict(), returns<ExportFile>()),
    exportVoteResults: call(z.object({ circleId: entityIdSchema, voteId: entityIdSchema, locale: localeSchema }).strict(), returns<ExportFile>()),
    /**
     * Keeps minutes as they are typed, on this computer only (never synced): they survive a
     * change of view, a reload and a restart, and are published with assembly.minutes.set
     * (which removes the draft) or when the assembly closes.
     */
    saveMinutesDraft: call(
      z.object({ circleId: entityIdSchema, assemblyId: entityIdSchema, itemId: entityIdSchema, markdown: z.string().max(maxMarkdownLength) }).strict(),
      returns<{ savedAt: number }>(),
    ),
    /** The member's open action items, in every circle, soonest due first (for Today). */
    myActions: call(z.object({}).strict(), returns<ActionItemView[]>()),
    /** Votes closing within the reminder lead time and outcomes due for review, in the member's circles (for Today). */
    voteAgenda: call(z.object({}).strict(), returns<VoteAgenda>()),
    /**
     * Posts an assembly's minutes, with its decisions, results and action items, to the
     * circle's chat room as one formatted message (queued like any message while offline).
     * Needs a coop server signed in and the circle's room known on this computer.
     */
    postMinutes: call(z.object({ circleId: entityIdSchema, assemblyId: entityIdSchema, locale: localeSchema }).strict(), returns<{ txnId: string }>()),
    /** Gives the circle's facilitators facilitator power in its Matrix room (and takes it from former ones); needs the right to change power levels there. */
    alignRoomPower: call(z.object({ circleId: entityIdSchema }).strict(), returns<CircleDetail>()),
    /** Polls members without the right to create votes started in Element in the circle's room, not adopted yet. */
    proposals: call(z.object({ circleId: entityIdSchema }).strict(), returns<MemberProposal[]>()),
    /** A facilitator makes a member's proposal a vote of the circle, counting the answers already given. */
    adoptProposal: call(z.object({ circleId: entityIdSchema, voteId: entityIdSchema }).strict(), returns<VoteDetail>()),
    /**
     * Publishes this replica's count of a closed vote (a vote.digest operation, made by the
     * core from its own store), for every replica to recount. Closing a vote in Plenary does
     * this by itself; this is for a vote closed by its closing time, or to publish again.
     */
    publishCount: call(z.object({ circleId: entityIdSchema, voteId: entityIdSchema }).strict(), returns<VoteDetail>()),
  },
};

export interface GovernanceChanged {
  /** Circles whose state changed, locally or through sync. */
  circles: string[];
}

export const governanceEvents = {
  'governance.changed': event<GovernanceChanged>(),
};
