// The coop's pre-configuration (coop.json, see shared/coop-config.ts) as the renderer sees
// it: which servers to offer (homeserver, Greenlight and BigBlueButton hosts) and which
// files were refused, for a settings or onboarding screen. It never holds secrets.
import { z } from 'zod';
import { call, returns } from './define';
import type { CoopConfig } from '../coop-config';

export type CoopConfigSourceKind = 'environment' | 'user' | 'system' | 'installer';

export interface CoopConfigView {
  /** Null when no valid coop.json was found; Plenary then asks the member for servers. */
  config: CoopConfig | null;
  source: { kind: CoopConfigSourceKind; path: string } | null;
  /** Files that were skipped, with one English line per problem (for the coop's sysadmin). */
  problems: { source: { kind: CoopConfigSourceKind; path: string }; messages: string[] }[];
}

export const coopCalls = {
  coop: {
    config: call(z.object({}).strict(), returns<CoopConfigView>()),
  },
};
