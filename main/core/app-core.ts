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
import { SyncService, type SyncServiceOptions } from './sync/sync-service';
import { claimLocalIdentity, currentActor } from './sync/claim-identity';
import { syncHandlers } from './handlers/sync-handlers';
import { MatrixConnectionService, type MatrixServiceOptions } from './matrix/matrix-connection-service';
import { matrixHandlers } from './handlers/matrix-handlers';
import { mainTranslator } from './i18n/translator';
import { ChatService } from './chat/chat-service';
import { eventNotifier, type Notifier } from './chat/notifier';
import { chatHandlers } from './handlers/chat-handlers';
import { meetingsHandlers } from './handlers/meetings-handlers';
import { createMeetingsService, type MeetingsWiring } from './meetings/create-meetings-service';
import { loadCoopConfig, type CoopConfigSource } from './config/coop-config';
import { coopHandlers } from './handlers/coop-handlers';
import { coopMeetingHosts } from './policy/meeting-hosts';
import { governanceHandlers } from './handlers/governance-handlers';

export interface CoreOptions {
  dataDir: string;
  runtime: Runtime;
  secrets: SecretStore;
  version?: string;
  platform?: string;
  clock?: Clock;
  log?: Logger;
  /** Opens a URL in the system browser (Electron shell.openExternal); the browser bridge's page opens URLs itself. */
  openSystemBrowser?: (url: string) => Promise<void>;
  /** Governance sync tuning for tests (smaller events). */
  sync?: Pick<SyncServiceOptions, 'maxEventBytes' | 'debounceMs'>;
  /** Sync tuning for tests (shorter long-polls, smaller timelines). */
  matrix?: Pick<MatrixServiceOptions, 'pollTimeoutMs' | 'timelineLimit' | 'ssoTimeoutMs'>;
  /** Shows mention notifications (Electron Notification); by default they go to the page as chat.notification events. */
  notifier?: Notifier;
  /** Governance, identity and fetch for meetings (see main/core/meetings/meeting-directory.ts). */
  meetings?: MeetingsWiring;
  /** Where to look for the coop's coop.json (see config/coop-config.ts); none: no pre-configuration. */
  coopConfigSources?: readonly CoopConfigSource[];
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
  const settings = new SettingsService(db, options.runtime, (view) => events.emit('settings.changed', view));
  const clock = options.clock ?? systemClock;
  const matrix = new MatrixConnectionService({ db, secrets: options.secrets, log, clock, translate: mainTranslator(settings), openSystemBrowser: options.openSystemBrowser, ...options.matrix });
  matrix.onViewChange((view) => events.emit('matrix.status', view));
  const localActor = readOrCreateActor(db);
  // Local operations are signed by the local identity until this device first signs in,
  // then by the member's Matrix id (see sync/claim-identity.ts).
  let actor = currentActor(db, localActor);
  const governance = new GovernanceStore(db, {
    get actor() {
      return actor;
    },
    now: () => clock.now(),
    log,
    onChange: (circles) => {
      events.emit('governance.changed', { circles });
      sync.changed();
    },
  });
  const sync = new SyncService({ db, governance, matrix, clock, log, translate: mainTranslator(settings), ...options.sync });
  sync.onChange((view) => events.emit('sync.status', view));
  matrix.onSessionChange(({ next }) => {
    if (!next || !actor.startsWith('local:')) return;
    const rewritten = claimLocalIdentity(db, governance, actor, next.userId);
    actor = next.userId;
    log.info('local identity now signs as the Matrix user', { userId: next.userId, operations: rewritten });
    if (rewritten > 0) events.emit('governance.changed', { circles: [] });
  });
  const chat = new ChatService({ db, matrix, events, settings, notifier: options.notifier ?? eventNotifier(events), clock, log });
  // Chat shows a circle's name for its room (sync knows which room carries which circle).
  chat.setCircleNameProvider((roomId) => sync.circleNameOfRoom(roomId));
  const coop = loadCoopConfig(options.coopConfigSources ?? []);
  for (const problem of coop.problems) log.warn('ignored an invalid coop.json', { path: problem.source.path, problems: problem.messages });
  const services: CoreServices = {
    version: options.version ?? '0.0.0',
    runtime: options.runtime,
    platform: options.platform ?? process.platform,
    dataDir: options.dataDir,
    get localActor() {
      return actor;
    },
    db,
    settings,
    events,
    secrets: options.secrets,
    clock,
    log,
    matrix,
    governance,
    sync,
    chat,
    meetings: createMeetingsService({ db, secrets: options.secrets, settings, events, clock: options.clock ?? systemClock, log, wiring: options.meetings, coopMeetingHosts: coopMeetingHosts(coop.config) }),
    coop,
  };
  services.meetings.startBackgroundWork();
  const handlers: Handlers = {
    ...appHandlers(services),
    ...matrixHandlers(services),
    ...syncHandlers(services),
    ...chatHandlers(services),
    ...meetingsHandlers(services),
    ...coopHandlers(services),
    ...governanceHandlers(services),
  };
  matrix.start();
  return {
    services,
    handlers,
    dispatch: createDispatcher(handlers, log),
    events,
    close: () => {
      sync.close();
      void matrix.close();
      services.meetings.close();
      db.close();
    },
  };
}
