// What every handler can reach. Built once by createCore; the Electron shell and the
// browser bridge each get one.
import type { Clock } from './clock';
import type { EventBus } from './events';
import type { Logger } from './log';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsService, Runtime } from './settings/settings-service';
import type { Db } from './store/database';
import type { GovernanceStore } from './store/governance-store';

export interface CoreServices {
  version: string;
  runtime: Runtime;
  platform: string;
  dataDir: string;
  /** Identity used to sign local operations until a coop server is connected. */
  localActor: string;
  db: Db;
  settings: SettingsService;
  events: EventBus;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  /** Circles, assemblies, votes and contributions: the operation log and its fold. */
  governance: GovernanceStore;
}
