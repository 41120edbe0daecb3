// Builds the core: the local store, services and call handlers. Imports nothing from
// electron, so it runs the same under the desktop shell, the browser bridge and tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './clock';
import { EventBus } from './events';
import { createLogger, type Logger } from './log';
import { createDispatcher, type Dispatch, type Handlers } from './dispatch';
import type { SecretStore } from './secrets/secret-store';
import { SettingsService, type Runtime } from './settings/settings-service';
import { openDatabase, type Db } from './store/database';
import type { CoreServices } from './core-services';
import { appHandlers } from './handlers/app-handlers';
import { GovernanceStore } from './store/governance-store';
import { governanceHandlers } from './handlers/governance-handlers';

export interface CoreOptions {
  dataDir: string;
  runtime: Runtime;
  secrets: SecretStore;
  version?: string;
  platform?: string;
  clock?: Clock;
  log?: Logger;
}

export interface Core {
  services: CoreServices;
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventBus;
  close(): void;
}

function readOrCreateActor(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'local_actor'").get() as { value: string } | undefined;
  if (row) return row.value;
  const actor = `local:${randomUUID()}`;
  db.prepare("INSERT INTO meta (key, value) VALUES ('local_actor', ?)").run(actor);
  return actor;
}

export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? createLogger('core');
  const db = openDatabase(join(options.dataDir, 'plenary.sqlite'));
  const events = new EventBus();
  const clock = options.clock ?? systemClock;
  const localActor = readOrCreateActor(db);
  const settings = new SettingsService(db, options.runtime, (view) => events.emit('settings.changed', view));
  const services: CoreServices = {
    version: options.version ?? '0.0.0',
    runtime: options.runtime,
    platform: options.platform ?? process.platform,
    dataDir: options.dataDir,
    localActor,
    db,
    settings,
    events,
    secrets: options.secrets,
    clock,
    log,
    governance: new GovernanceStore(db, { actor: localActor, now: () => clock.now(), log, onChange: (circles) => events.emit('governance.changed', { circles }) }),
  };
  const handlers: Handlers = {
    ...appHandlers(services),
    ...governanceHandlers(services),
  };
  return {
    services,
    handlers,
    dispatch: createDispatcher(handlers, log),
    events,
    close: () => db.close(),
  };
}
