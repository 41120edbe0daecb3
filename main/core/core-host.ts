// Holds the core's store open, or closed for recovery, and can close and open it again.
//
// createCore never throws on a bad store. When the store opens, the services are composed
// on it (app-core.ts) and every call reaches them. When it cannot be opened (damaged,
// unreadable, locked, a full disk, written by a later Plenary), the core starts in a
// recovery state instead: data.* calls answer (the recovery screen uses them), app.info and
// settings.get answer without the store, and every other call answers store_unavailable.
//
// Restoring a backup or recovering means closing the store and opening it again. The change
// to the file is staged first (store-files.ts) and applied by the next opening, so it
// happens with the file closed and survives a crash half-way. Who opens it again:
//   - the browser bridge and tests: this host, in the same process. It waits for a running
//     backup or export, closes every service, opens the store (applying the swap) and
//     composes the services again, all behind the same dispatch and event bus, then emits
//     data.reopened so the page reloads and reads the restored data;
//   - the desktop app: it relaunches (CoreOptions.restartProcess). Its shell wires windows,
//     tray and notifications to the services once at start; a fresh process rewires them
//     all, where reopening in place would leave them holding closed services.
import { keptName, storePaths } from './store/store-files';
import { openStore, type StoreProblem } from './store/open-store';
import { BackupService } from './store/backup-service';
import { Transfers } from './store/transfers';
import { DataService } from './store/data-service';
import { dataHandlers } from './handlers/data-handlers';
import { storageCallError } from './store/store-problem';
import { recoveryChoicesFor } from './policy/store-recovery';
import { EventBus } from './events';
import { createDispatcher, type Dispatch, type Handler, type Handlers } from './dispatch';
import { createLogger, type Logger } from './log';
import { withLimitedWarnings } from './rate-limited-log';
import { systemClock, type Clock } from './clock';
import type { Db } from './store/database';
import type { CoreServices } from './core-services';
import type { Runtime } from './settings/settings-service';
import { supportedSettings } from './settings/settings-service';
import type { StoreRecoveryView } from '../../shared/contract/data';
import { callNames, type CallName } from '../../shared/contract';
import { PlenaryError } from '../../shared/errors';
import { settingDefaults } from '../../shared/settings';
import { join } from 'node:path';

/** The data.* calls, which the host answers itself in every state. */
export type DataCallName = Extract<CallName, `data.${string}`>;
/** Every other call: answered by the services of the open store. */
export type StoreHandlers = Omit<Handlers, DataCallName>;

/** What composing the services on an open store gives (app-core.ts). */
export interface ComposedCore {
  services: CoreServices;
  handlers: StoreHandlers;
  close(): void;
}

export interface HostOptions {
  dataDir: string;
  runtime: Runtime;
  version?: string;
  platform?: string;
  clock?: Clock;
  log?: Logger;
  /** Restarts the whole process to open the store again (the desktop app); without it the host reopens in place. */
  restartProcess?: () => void;
  /** Ends Plenary when the member chooses Quit on the recovery screen. */
  quit?: () => void;
  /** Tests: extra schema steps, the quick_check budget, how long a lock is waited for. */
  store?: { migrations?: Parameters<typeof openStore>[0]['migrations']; integrityBudgetMs?: number; lockWaitMs?: number };
  /** Tests and the bench: when the first daily-backup check runs, pages per backup step. */
  backups?: { firstCheckMs?: number; pagesPerStep?: number };
}

export interface HostedCore {
  readonly services: CoreServices;
  readonly handlers: Handlers;
  dispatch: Dispatch;
  events: EventBus;
  /** 'ready' with the store open, or 'recovery' with it closed (only data.*, app.info and settings.get answer). */
  readonly state: 'ready' | 'recovery';
  /** Backups, export and import (what the data.* calls use). */
  readonly data: DataService;
  close(): void;
}

interface Session {
  composed: ComposedCore;
  db: Db;
  stopForwarding: () => void;
}

export function startCore<O extends HostOptions>(options: O, compose: (options: O, db: Db, events: EventBus) => ComposedCore): HostedCore {
  const log = options.log ?? createLogger('core');
  const clock = options.clock ?? systemClock;
  const version = options.version ?? '0.0.0';
  const paths = storePaths(options.dataDir);
  const events = new EventBus();
  const backups = new BackupService({
    paths,
    clock,
    log,
    onChange: () => events.emit('data.changed', { reason: 'backup' }),
    ...(options.backups?.firstCheckMs !== undefined ? { firstCheckMs: options.backups.firstCheckMs } : {}),
    ...(options.backups?.pagesPerStep !== undefined ? { pagesPerStep: options.backups.pagesPerStep } : {}),
  });
  const transfers = new Transfers(paths.transfersDir);
  let session: Session | null = null;
  let recovery: StoreRecoveryView | null = null;
  let closed = false;

  const recoveryView = (found: StoreProblem): StoreRecoveryView => {
    const damaged = found.kind === 'corrupt' || found.kind === 'not_a_database';
    const latestBackup = damaged ? backups.newestSound() : null;
    return {
      problem: found.kind,
      file: paths.file,
      dataDir: paths.dataDir,
      detail: found.detail,
      appVersion: version,
      writtenBy: found.writtenBy,
      choices: recoveryChoicesFor(found.kind, latestBackup !== null),
      latestBackup,
      keptAs: join(paths.dataDir, keptName('damaged', clock.now())),
    };
  };

  const open = (): void => {
    try {
      transfers.clear();
    } catch (error) {
      log.warn('could not empty the transfers folder', { reason: error instanceof Error ? error.message : String(error) });
    }
    const opened = openStore({ paths, appVersion: version, now: () => clock.now(), log, ...options.store });
    if (!opened.ok) {
      recovery = recoveryView(opened.problem);
      log.error('the store could not be opened; starting in recovery', { problem: opened.problem.kind, detail: opened.problem.detail, file: paths.file, writtenBy: opened.problem.writtenBy });
      return;
    }
    const inner = new EventBus();
    const stopForwarding = inner.subscribe((name, payload) => events.emit(name, payload));
    try {
      const composed = compose(options, opened.db, inner);
      session = { composed, db: opened.db, stopForwarding };
    } catch (error) {
      stopForwarding();
      opened.db.close();
      throw error;
    }
    recovery = null;
    backups.attach(opened.db);
    backups.start();
  };

  const closeSession = (): void => {
    backups.stop();
    backups.attach(null);
    if (!session) return;
    session.stopForwarding();
    session.composed.close();
    session = null;
  };

  let reopening: Promise<void> | null = null;
  const reopenInPlace = async (): Promise<void> => {
    await backups.settle();
    await data.settle();
    if (closed) return;
    closeSession();
    open();
    log.info('opened the store again', { state: session ? 'ready' : 'recovery' });
    events.emit('data.reopened', { state: session ? 'ready' : 'recovery' });
  };

  const data: DataService = new DataService(
    {
      session: () => {
        if (!session) return null;
        const { services } = session.composed;
        return {
          db: session.db,
          governance: services.governance,
          identity: services.identity,
          settingsChanged: () => services.events.emit('settings.changed', services.settings.view()),
        };
      },
      recovery: () => recovery,
      restart: () => {
        if (options.restartProcess) {
          log.info('restarting Plenary to open the store again');
          options.restartProcess();
          return;
        }
        // After the answer to the call that asked for it has gone out.
        reopening ??= new Promise<void>((resolve) => setImmediate(resolve))
          .then(reopenInPlace)
          .catch((error: unknown) => log.error('could not open the store again', { reason: error instanceof Error ? error.message : String(error) }))
          .finally(() => (reopening = null));
      },
      quit: options.quit ?? null,
    },
    { paths, backups, transfers, clock, log, appVersion: version, changed: (reason) => events.emit('data.changed', { reason }) },
  );

  const always = dataHandlers(data);
  const withoutStore: Partial<Handlers> = {
    'app.info': () => ({ version, runtime: options.runtime, platform: options.platform ?? process.platform, localActor: '' }),
    'settings.get': () => ({ values: { ...settingDefaults }, supported: supportedSettings(options.runtime) }),
  };
  // Every call is routed at the time it is made, to the services of the store open then.
  const routed = Object.fromEntries(
    callNames.map((name) => {
      const handler: Handler<CallName> = (input, context) => {
        const fixed = (always as Partial<Handlers>)[name as CallName];
        if (fixed) return (fixed as Handler<CallName>)(input, context);
        if (session) return (session.composed.handlers[name as keyof StoreHandlers] as Handler<CallName>)(input, context);
        const fallback = withoutStore[name as CallName];
        if (fallback) return (fallback as Handler<CallName>)(input, context);
        throw new PlenaryError('store_unavailable', `${name} needs the store, which is closed for recovery`);
      };
      return [name, handler];
    }),
  ) as Handlers;

  const knownChannels = new Set<string>(callNames);
  open();

  return {
    get services() {
      if (!session) throw new Error('The store is closed for recovery: no services are running');
      return session.composed.services;
    },
    handlers: routed,
    // Refused calls are logged once a minute per channel (unknown channels together), so a
    // page sending thousands of bad calls cannot flood the log.
    dispatch: createDispatcher(
      routed,
      withLimitedWarnings(log, (message, fields) => `${message}|${knownChannels.has(fields?.channel as string) ? String(fields?.channel) : ''}`),
      { describeFailure: (cause, channel) => storageCallError(cause, channel, paths.dataDir) },
    ),
    events,
    get state() {
      return session ? 'ready' : 'recovery';
    },
    data,
    close: () => {
      closed = true;
      closeSession();
    },
  };
}
