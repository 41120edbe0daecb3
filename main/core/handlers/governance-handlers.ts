import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { GovernanceQueries } from '../governance/governance-queries';
import { contributionsCsv, minutesMarkdown, voteResultsMarkdown } from '../governance/governance-exports';
import { PlenaryError } from '../../../shared/errors';
import { newId } from '../../../shared/governance/ids';
import { MinutesDrafts } from '../governance/minutes-drafts';
import { CircleAuthorities } from '../sync/circle-authority';
import { parseWebAddress } from '../../../shared/meetings/room-link';

type GovernanceCall =
  | 'governance.apply'
  | 'governance.createCircle'
  | 'governance.circles'
  | 'governance.circle'
  | 'governance.assemblies'
  | 'governance.assembly'
  | 'governance.votes'
  | 'governance.vote'
  | 'governance.contributions'
  | 'governance.contributionSummary'
  | 'governance.exportContributions'
  | 'governance.exportMinutes'
  | 'governance.exportVoteResults'
  | 'governance.alignRoomPower'
  | 'governance.saveMinutesDraft'
  | 'governance.linkMember'
  | 'governance.myActions'
  | 'governance.voteAgenda'
  | 'governance.postMinutes'
  | 'governance.proposals'
  | 'governance.adoptProposal'
  | 'governance.publishCount';

/** Entries per read while exporting, so a large log is never loaded in one statement result. */
const exportPage = 5000;

export function governanceHandlers(core: CoreServices): Pick<Handlers, GovernanceCall> {
  // The member is read at each query: a sign-in changes who "you" are without a restart.
  const authorities = new CircleAuthorities(core.db, () => core.matrix.session()?.userId ?? null);
  const queries = new GovernanceQueries(
    core.db,
    () => core.identity.current(),
    () => core.clock.now(),
    (circle, members) => authorities.of(circle, members),
  );
  const drafts = new MinutesDrafts(core.db, () => core.clock.now());
  const publishCount = (circle: string, voteId: string) => {
    const { sha256, ballots, totals, winners } = queries.publishableCount(circle, voteId);
    return core.governance.applyLocal('vote.digest', circle, { voteId, sha256, ballots, totals, winners });
  };
  return {
    'governance.publishCount': ({ circleId, voteId }) => {
      publishCount(circleId, voteId);
      return queries.vote(circleId, voteId);
    },
    'governance.apply': (input) => {
      const { type, circle, payload } = input;
      // A room linked to a circle must be on a meeting host (a malformed link is left to the operation's own validation).
      const url = type === 'circle.room.add' ? (payload as { url?: unknown }).url : undefined;
      if (typeof url === 'string' && parseWebAddress(url).ok) core.meetings.requireAllowedHost(url);
      if (input.type === 'assembly.close') {
        // Minutes still only typed on this computer become the minutes before they are final.
        const { assemblyId } = input.payload;
        const pending = drafts.unpublished(circle, assemblyId).map((draft) => ({
          type: 'assembly.minutes.set' as const,
          circle,
          payload: { assemblyId, itemId: draft.itemId, markdown: draft.markdown },
        }));
        const ops = core.governance.applyLocalBatch([...pending, { type, circle, payload }]);
        drafts.clearAssembly(circle, assemblyId);
        return ops[ops.length - 1]!;
      }
      const op = core.governance.applyLocal(type, circle, payload);
      // Closing a vote publishes this replica's count with it, for every replica to recount.
      if (input.type === 'vote.close') {
        try {
          publishCount(circle, input.payload.voteId);
        } catch (error) {
          // The close stands; the vote page offers to publish the count again.
          core.log.warn('could not publish the count of a closed vote', { voteId: input.payload.voteId, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      if (input.type === 'assembly.minutes.set') drafts.forgetPublished(circle, input.payload.assemblyId, input.payload.itemId, input.payload.markdown);
      return op;
    },
    'governance.saveMinutesDraft': ({ circleId, assemblyId, itemId, markdown }) => drafts.save(circleId, assemblyId, itemId, markdown),
    'governance.createCircle': (input) => {
      const circle = newId(core.clock.now());
      core.governance.applyLocalBatch([
        { type: 'circle.create', circle, payload: { name: input.name, purpose: input.purpose, timezone: input.timezone } },
        { type: 'circle.member.set', circle, payload: { member: core.identity.current(), displayName: input.displayName, role: 'facilitator', timezone: input.memberTimezone } },
      ]);
      return queries.circle(circle);
    },
    'governance.linkMember': ({ circleId, member, account }) => {
      const local = queries.members(circleId).find((m) => m.member === member);
      const already = queries.members(circleId).some((m) => m.member === account);
      core.governance.applyLocalBatch([
        { type: 'circle.member.link', circle: circleId, payload: { member, account } },
        // Listed under the account too, unless it already is a member (then the two become one).
        ...(local && !already
          ? [{ type: 'circle.member.set' as const, circle: circleId, payload: { member: account, displayName: local.displayName, role: local.role, timezone: local.timezone } }]
          : []),
      ]);
      return queries.circle(circleId);
    },
    'governance.myActions': () => queries.myActions(),
    'governance.voteAgenda': () => core.voteReminders.agenda(),
    'governance.postMinutes': ({ circleId, assemblyId, locale }) => {
      if (!core.matrix.session()) {
        throw new PlenaryError('forbidden', "Sign in to the coop server to post to the circle's chat", { params: { reason: 'signed_out' } });
      }
      const roomId = core.sync.rooms.roomOf(circleId);
      if (!roomId) {
        throw new PlenaryError('not_found', "The circle's chat room is not known on this computer yet; it appears after the next sync", {
          field: 'circleId',
          params: { reason: 'no_circle_room' },
        });
      }
      const minutes = minutesMarkdown(queries.assembly(circleId, assemblyId), locale, queries.circle(circleId).timezone);
      return core.chat.send({ roomId, text: minutes.text });
    },
    'governance.circles': () => queries.circles(),
    'governance.circle': ({ circleId }) => queries.circle(circleId),
    'governance.assemblies': ({ circleId }) => queries.assemblies(circleId),
    'governance.assembly': ({ circleId, assemblyId }) => queries.assembly(circleId, assemblyId),
    'governance.votes': (filter) => queries.votes(filter),
    'governance.vote': ({ circleId, voteId }) => queries.vote(circleId, voteId),
    'governance.contributions': ({ filter, limit, offset }) => queries.contributions(filter, limit, offset),
    'governance.contributionSummary': ({ groupBy, filter }) => queries.contributionSummary(groupBy, filter),
    'governance.exportContributions': ({ filter, locale }) => {
      const items = [];
      for (let offset = 0; ; offset += exportPage) {
        const page = queries.contributions(filter, exportPage, offset);
        items.push(...page.items);
        if (page.items.length < exportPage) break;
      }
      return contributionsCsv(items, locale);
    },
    'governance.exportMinutes': ({ circleId, assemblyId, locale }) =>
      minutesMarkdown(queries.assembly(circleId, assemblyId), locale, queries.circle(circleId).timezone),
    'governance.alignRoomPower': async ({ circleId }) => {
      const outcome = await core.sync.rooms.alignPowerLevels(circleId);
      if (outcome === 'not-allowed') {
        throw new PlenaryError('forbidden', 'Only a member who may change power levels in the circle\'s room can give facilitator rights there', { field: 'circleId' });
      }
      if (outcome === 'refused') {
        throw new PlenaryError('forbidden', 'The coop server refused to change the room\'s power levels; Settings › Sync says why', { field: 'circleId', params: { reason: 'power_levels_refused' } });
      }
      return queries.circle(circleId);
    },
    'governance.proposals': ({ circleId }) => {
      queries.circle(circleId); // an unknown circle is refused with its reason
      return core.sync.proposals.list(circleId);
    },
    'governance.adoptProposal': ({ circleId, voteId }) => {
      const proposal = core.sync.proposals.get(circleId, voteId);
      if (!proposal) throw new PlenaryError('not_found', 'No proposal of this circle has this vote id: it may have been adopted already', { field: 'voteId' });
      if (proposal.endedAt !== null) {
        throw new PlenaryError('invalid_input', 'The proposal\'s poll has ended in Element, so it cannot become a vote', { field: 'voteId', params: { reason: 'proposal_ended' } });
      }
      // Exactly the vote the poll maps to (same id, same options), so every replica binds the poll to it.
      core.governance.applyLocal('vote.create', circleId, core.sync.proposals.payloadOf(voteId));
      return queries.vote(circleId, voteId);
    },
    'governance.exportVoteResults': ({ circleId, voteId, locale }) => {
      const vote = queries.vote(circleId, voteId);
      // Hidden until the close: there are no results to export yet (shared/governance/hidden-results.ts).
      if (vote.resultsHidden) throw new PlenaryError('invalid_input', 'The results of this vote are hidden until it closes', { field: 'voteId', params: { reason: 'results_hidden' } });
      return voteResultsMarkdown(vote, locale, queries.circle(circleId).timezone);
    },
  };
}
