// Member standing under the coop's own rules (coop.json "standing", shared/governance/standing.ts):
// the member's own, and for a circle's facilitators each member's. Null when the coop set no rules.
import { z } from 'zod';
import { call, returns } from './define';
import { entityIdSchema } from '../governance/operation';
import type { StandingResult } from '../governance/standing';

export interface MemberStanding {
  member: string;
  displayName: string;
  standing: StandingResult;
}

export const standingCalls = {
  standing: {
    mine: call(z.object({}).strict(), returns<MemberStanding | null>()),
    /** Each member of the circle; for the circle's facilitators only. */
    circle: call(z.object({ circleId: entityIdSchema }).strict(), returns<MemberStanding[] | null>()),
  },
};
