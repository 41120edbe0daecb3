// Builds the meetings service for createCore. Governance and the member's identity are
// injected (CoreOptions.meetings); until the governance store is wired in, there are no
// circles, and the member is the local identity.
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import { nodeSystemLanguages } from '../i18n/translator';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store/database';
import { BbbConfigStore } from './bbb-config';
import { noCircles, type GovernanceWriter, type MeetingDirectory, type MemberIdentity } from './meeting-directory';
import { MeetingsService } from './meetings-service';

export interface MeetingsWiring {
  directory?: MeetingDirectory;
  governance?: GovernanceWriter;
  identity?: MemberIdentity;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  systemLanguages?: () => readonly string[];
}

/** The local identity createCore keeps in the meta table, until a Matrix account is connected. */
function localIdentity(db: Db): MemberIdentity {
  return {
    memberId: () => (db.prepare("SELECT value FROM meta WHERE key = 'local_actor'").get() as { value: string }).value,
    displayName: () => null,
  };
}

export function createMeetingsService(deps: {
  db: Db;
  secrets: SecretStore;
  settings: SettingsService;
  events: EventBus;
  clock: Clock;
  log: Logger;
  wiring: MeetingsWiring | undefined;
  /** coop.json's meeting hosts (policy/meeting-hosts.ts coopMeetingHosts): the allow-list when not empty. */
  coopMeetingHosts: readonly string[];
}): MeetingsService {
  const wiring = deps.wiring ?? {};
  return new MeetingsService({
    directory: wiring.directory ?? noCircles,
    governance: wiring.governance ?? noCircles,
    identity: wiring.identity ?? localIdentity(deps.db),
    config: new BbbConfigStore(deps.db, deps.secrets),
    settings: deps.settings,
    coopMeetingHosts: deps.coopMeetingHosts,
    events: deps.events,
    clock: deps.clock,
    log: deps.log,
    systemLanguages: wiring.systemLanguages ?? nodeSystemLanguages,
    ...(wiring.fetch ? { fetch: wiring.fetch } : {}),
  });
}
