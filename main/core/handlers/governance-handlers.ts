import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { GovernanceQueries } from '../governance/governance-queries';
import { contributionsCsv, minutesMarkdown, voteResultsMarkdown } from '../governance/governance-exports';
import { newId } from '../../../shared/governance/ids';
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
  | 'governance.exportVoteResults';

/** Entries per read while exporting, so a large log is never loaded in one statement result. */
const exportPage = 5000;

export function governanceHandlers(core: CoreServices): Pick<Handlers, GovernanceCall> {
  const queries = new GovernanceQueries(core.db, core.localActor, () => core.clock.now());
  return {
    'governance.apply': ({ type, circle, payload }) => {
      // A room linked to a circle must be on a meeting host (a malformed link is left to the operation's own validation).
      const url = type === 'circle.room.add' ? (payload as { url?: unknown }).url : undefined;
      if (typeof url === 'string' && parseWebAddress(url).ok) core.meetings.requireAllowedHost(url);
      return core.governance.applyLocal(type, circle, payload);
    },
    'governance.createCircle': (input) => {
      const circle = newId(core.clock.now());
      core.governance.applyLocalBatch([
        { type: 'circle.create', circle, payload: { name: input.name, purpose: input.purpose, timezone: input.timezone } },
        { type: 'circle.member.set', circle, payload: { member: core.localActor, displayName: input.displayName, role: 'facilitator', timezone: input.memberTimezone } },
      ]);
      return queries.circle(circle);
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
    'governance.exportVoteResults': ({ circleId, voteId, locale }) => voteResultsMarkdown(queries.vote(circleId, voteId), locale, queries.circle(circleId).timezone),
  };
}
