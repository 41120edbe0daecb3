import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { PlenaryError } from '../../../shared/errors';
import { StandingFiguresReader } from '../governance/standing-figures';
import type { MemberStanding } from '../../../shared/contract/standing';

export function standingHandlers(core: CoreServices): Pick<Handlers, 'standing.mine' | 'standing.circle'> {
  const reader = new StandingFiguresReader(core.db);
  const rules = () => core.coop.config?.standing;
  const today = () => new Date(core.clock.now()).toISOString().slice(0, 10);
  const nameOf = (member: string): string => {
    const row = core.db.prepare("SELECT display_name AS name FROM gov_members WHERE member = ? AND display_name != '' ORDER BY set_v DESC LIMIT 1").get(member) as
      | { name: string }
      | undefined;
    return row?.name ?? member;
  };
  return {
    'standing.mine': () => {
      const r = rules();
      if (!r) return null;
      const me = core.identity.current();
      return { member: me, displayName: nameOf(me), standing: reader.assess(r, me, today())! };
    },
    'standing.circle': ({ circleId }) => {
      const r = rules();
      if (!r) return null;
      const me = core.identity.current();
      const members = core.db
        .prepare('SELECT member, display_name AS name, role FROM gov_members WHERE circle = ? AND set_v > removed_v ORDER BY display_name COLLATE NOCASE')
        .all(circleId) as { member: string; name: string; role: string }[];
      if (!members.some((m) => m.member === me && m.role === 'facilitator')) {
        throw new PlenaryError('forbidden', "Only the circle's facilitators see each member's standing", { field: 'circleId', params: { reason: 'not_facilitator' } });
      }
      return members.map((m): MemberStanding => ({ member: m.member, displayName: m.name || m.member, standing: reader.assess(r, m.member, today())! }));
    },
  };
}
