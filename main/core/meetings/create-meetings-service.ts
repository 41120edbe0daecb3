// Builds the meetings service for createCore from its real dependencies: circles, rooms,
// schedules and assemblies come from the governance store (governance-directory.ts), and
// the member is whoever the identity service says at the moment of asking.
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import { nodeSystemLanguages } from '../i18n/translator';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store/database';
import { BbbConfigStore } from './bbb-config';
import type { GovernanceWriter, MeetingDirectory, MemberIdentity } from './meeting-directory';
import { MeetingsService } from './meetings-service';

export function createMeetingsService(deps: {
  db: Db;
  secrets: SecretStore;
  settings: SettingsService;
  events: EventBus;
  clock: Clock;
  log: Logger;
  directory: MeetingDirectory & GovernanceWriter;
  identity: { current(): string; displayName(): string | null };
  fetch?: typeof fetch;
  systemLanguages?: () => readonly string[];
  /** coop.json's meeting hosts (policy/meeting-hosts.ts coopMeetingHosts): the allow-list when not empty. */
  coopMeetingHosts: readonly string[];
}): MeetingsService {
  const identity: MemberIdentity = { memberId: () => deps.identity.current(), displayName: () => deps.identity.displayName() };
  return new MeetingsService({
    directory: deps.directory,
    governance: deps.directory,
    identity,
    config: new BbbConfigStore(deps.db, deps.secrets),
    settings: deps.settings,
    coopMeetingHosts: deps.coopMeetingHosts,
    events: deps.events,
    clock: deps.clock,
    log: deps.log,
    systemLanguages: deps.systemLanguages ?? nodeSystemLanguages,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}
