// Builds the core: the local store, services and call handlers. Imports nothing from
// electron, so it runs the same under the desktop shell, the browser bridge and tests.
// core-host.ts opens the store (or starts in recovery when it cannot) and composes the
// services below on it, again after a restore.
import { systemClock, type Clock } from './clock';
import type { EventBus } from './events';
import { createLogger, type Logger } from './log';
import type { Dispatch, Handlers } from './dispatch';
import { startCore, type ComposedCore, type HostOptions, type StoreHandlers } from './core-host';
import type { DataService } from './store/data-service';
import type { Db } from './store/database';
import type { SecretStore } from './secrets/secret-store';
import { SettingsService, type Runtime } from './settings/settings-service';
import type { CoreServices } from './core-services';
import { appHandlers } from './handlers/app-handlers';
import { GovernanceStore } from './store/governance-store';
import { SyncService, type SyncServiceOptions } from './sync/sync-service';
import { claimLocalIdentity } from './sync/claim-identity';
import { MemberIdentity } from './identity/member-identity';
import { circlesWithPowerChanges } from './sync/room-power-changes';
import { syncHandlers } from './handlers/sync-handlers';
import { MatrixConnectionService, type MatrixServiceOptions } from './matrix/matrix-connection-service';
import { matrixHandlers } from './handlers/matrix-handlers';
import { createTranslator, mainLocale, mainTranslator } from './i18n/translator';
import { logAnswerContent } from './sync/log-answer';
import { ChatService } from './chat/chat-service';
import { VoteReminderService } from './governance/vote-reminder-service';
import { eventNotifier, type Notifier } from './chat/notifier';
import { chatHandlers } from './handlers/chat-handlers';
import { meetingsHandlers } from './handlers/meetings-handlers';
import { createMeetingsService } from './meetings/create-meetings-service';
import { GovernanceMeetingDirectory } from './meetings/governance-directory';
import { loadCoopConfig, type CoopConfigSource } from './config/coop-config';
import { encryptsCircleRooms } from '../../shared/coop-config';
import { coopHandlers } from './handlers/coop-handlers';
import { standingHandlers } from './handlers/standing-handlers';
import { coopMeetingHosts } from './policy/meeting-hosts';
import { governanceHandlers } from './handlers/governance-handlers';
import { createForumService, type ForumOptions } from './forum/create-forum-service';
import { forumHandlers } from './handlers/forum-handlers';
import { CloudService } from './cloud/cloud-service';
import { cloudHandlers } from './handlers/cloud-handlers';
import { archiveHandlers } from './handlers/archive-handlers';
import { chatSearchHandlers } from './handlers/chat-search-handlers';
import { verificationHandlers } from './handlers/verification-handlers';
import { trustHandlers } from './handlers/trust-handlers';
import { ChatMediaService, type ChatMediaOptions } from './chat/media-service';
import { chatMediaHandlers } from './handlers/chat-media-handlers';
import { pollVoteLookup } from './governance/poll-vote-lookup';
import { GovernanceQueries } from './governance/governance-queries';
import { join } from 'node:path';
import { CryptoService } from './crypto/crypto-service';
import { SealedChat } from './chat/sealed-chat';

/**
 * What an entry point (the Electron main process, `npm run start:web`, tests) hands the
 * core: platform parts only. Every domain service is built here, from its real
 * dependencies, the same way for every entry.
 */
export interface CoreOptions extends HostOptions {
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
  /** HTTP for the BBB API (global fetch by default). */
  fetch?: typeof fetch;
  /** The system's preferred languages, for text main shows itself (Electron: app.getPreferredSystemLanguages). */
  systemLanguages?: () => readonly string[];
  /** Where to look for the coop's coop.json (see config/coop-config.ts); none: no pre-configuration. */
  coopConfigSources?: readonly CoopConfigSource[];
  /** The forum's sign-in redirect port in the browser bridge, and its timeout (forum/create-forum-service.ts). */
  forum?: ForumOptions;
  /** How often NextCloud's Login Flow v2 is polled (tests poll faster). */
  cloud?: { pollIntervalMs?: number };
  /** Chat files: the Downloads folder, and opening a saved file or its folder (Electron's shell; absent in the browser bridge). */
  media?: Pick<ChatMediaOptions, 'downloadsDir' | 'openPath' | 'showItemInFolder'>;
}

export interface Core {
  /** The services of the open store; throws while the store is closed for recovery (check `state`). */
  readonly services: CoreServices;
  readonly handlers: Handlers;
  dispatch: Dispatch;
  events: EventBus;
  /** 'ready', or 'recovery' when the store could not be opened: the page shows the recovery screen. */
  readonly state: 'ready' | 'recovery';
  /** Backups, export and import of the store. */
  readonly data: DataService;
  close(): void;
}

/** Never throws on a bad store: the core then starts in recovery (see core-host.ts). */
export function createCore(options: CoreOptions): Core {
  return startCore(options, composeCore);
}

function composeCore(options: CoreOptions, db: Db, events: EventBus): ComposedCore {
  const log = options.log ?? createLogger('core');
  const settings = new SettingsService(db, options.runtime, (view) => events.emit('settings.changed', view));
  const clock = options.clock ?? systemClock;
  const matrix = new MatrixConnectionService({ db, secrets: options.secrets, log, clock, translate: mainTranslator(settings), openSystemBrowser: options.openSystemBrowser, ...options.matrix });
  matrix.onViewChange((view) => events.emit('matrix.status', view));
  // End-to-end encryption: decrypts each /sync before chat and governance read it, encrypts what goes to encrypted rooms.
  const crypto = new CryptoService({
    dataDir: options.dataDir,
    db,
    secrets: options.secrets,
    log,
    session: () => matrix.session(),
    request: (method, path, requestOptions) => matrix.request(method, path, requestOptions),
    replay: (response) => matrix.replay(response),
    fetchRaw: (method, path, init) => matrix.fetchRaw(method, path, init),
    // A late room-key bundle: the circle room's history is read again (bound once sync exists).
    onHistoryKeys: (roomId) => void historyKeys(roomId),
    now: () => clock.now(),
    onVerificationRequest: (view) => events.emit('verification.incoming', { flowId: view.flowId, otherDeviceId: view.otherDeviceId }),
    onVerificationsChanged: (verifications) => events.emit('verification.changed', { verifications }),
    onDevicesChanged: (userIds) => events.emit('trust.devicesChanged', { userIds }),
  });
  matrix.setCrypto(crypto);
  let historyKeys: (roomId: string) => Promise<unknown> = () => Promise.resolve();
  // Signing out (or in as another device) deletes this device's keys with it.
  matrix.onSessionChange(({ previous, next }) => {
    if (previous && (!next || next.userId !== previous.userId || next.deviceId !== previous.deviceId)) void crypto.forget();
  });
  // Local operations are signed by the local identity until this device first signs in,
  // then by the member's Matrix id (see sync/claim-identity.ts). Read at each use.
  const identity = new MemberIdentity(db);
  const governance = new GovernanceStore(db, {
    get actor() {
      return identity.current();
    },
    now: () => clock.now(),
    log,
    onChange: (circles) => {
      events.emit('governance.changed', { circles });
      sync.changed();
    },
    // Local changes need the facilitator rights every other replica will judge them by.
    roomGrantsFacilitator: (circle: string, member: string): boolean | null => sync.roomGrantsFacilitator(circle, member),
  });
  const sync: SyncService = new SyncService({ db, governance, matrix, clock, log, translate: mainTranslator(settings),
    voteReminderHours: () => settings.read('voteReminderHours'),
    formatLocale: () => mainLocale(settings),
    ...options.sync,
  });
  sync.onChange((view) => events.emit('sync.status', view));
  historyKeys = (roomId) => sync.rereadRoom(roomId);
  // A poll a member started in Element is listed with the circle's votes as a proposal.
  sync.onProposals = (circle) => events.emit('governance.changed', { circles: [circle] });
  matrix.onSessionChange(({ next }) => {
    if (next && next.userId !== identity.current()) {
      if (identity.isLocal()) {
        const rewritten = claimLocalIdentity(db, governance, identity.current(), next.userId);
        log.info('local identity now signs as the Matrix user', { userId: next.userId, operations: rewritten });
      } else {
        log.info('another member signed in on this device; new work is theirs', { userId: next.userId });
      }
      identity.become(next.userId);
    }
    // Every view that shows "you" or the server's word on your rights (roles, facilitator
    // controls, your ballot, room power) reads again, on sign-in and on sign-out.
    events.emit('governance.changed', { circles: [] });
  });
  identity.onChange((actor) => events.emit('app.identity', { localActor: actor }));
  // After sync has recorded the room state (its consumer was added first), a change of power
  // in a circle's room refreshes that circle's views: the member's rights may have changed.
  matrix.addConsumer({
    name: 'room power',
    onSync: (response) => {
      const circles = circlesWithPowerChanges(response, (roomId) => sync.rooms.circleOf(roomId));
      if (circles.length > 0) events.emit('governance.changed', { circles });
    },
  });
  // The decrypted text of encrypted rooms, and its search index, sealed outside the main store (chat/sealed-chat.ts).
  const sealedChat = new SealedChat({ dataDir: options.dataDir, secrets: options.secrets, log });
  const chat = new ChatService({ db, matrix, events, settings, notifier: options.notifier ?? eventNotifier(events), clock, log, sealed: sealedChat });
  // Signing out (or in as another device) deletes it with the device's keys.
  matrix.onSessionChange(({ previous, next }) => {
    if (previous && (!next || next.userId !== previous.userId || next.deviceId !== previous.deviceId)) chat.forgetSealed();
  });
  // Chat shows a circle's name for its room (sync knows which room carries which circle).
  chat.setCircleNameProvider((roomId) => sync.circleNameOfRoom(roomId));
  // Votes in the conversation: a poll start's card reads its vote's live state from governance.
  chat.setPollVoteProvider(
    pollVoteLookup(
      db,
      new GovernanceQueries(db, () => identity.current(), () => clock.now()),
      (roomId) => sync.rooms.circleOf(roomId),
      (error) => log.warn('a vote card could not read its vote', { reason: error instanceof Error ? error.message : String(error) }),
    ),
  );
  events.subscribe((name, payload) => {
    if (name !== 'governance.changed') return;
    const { circles } = payload as { circles: string[] };
    const rooms = circles.length > 0 ? circles.map((circle) => sync.rooms.roomOf(circle)) : chat.store.rooms().map((room) => room.room_id);
    chat.votesChanged(rooms.filter((roomId): roomId is string => roomId !== null));
  });
  // A !log message this replica answers: in the sender's language when the message shows it, else this member's.
  sync.onLogAnswer = (answer) => chat.notice(answer.roomId, logAnswerContent(createTranslator(answer.verdict.locale ?? mainLocale(settings), 'governance'), answer));
  const meetingDirectory = new GovernanceMeetingDirectory(db, governance, events, () => clock.now());
  const coop = loadCoopConfig(options.coopConfigSources ?? []);
  for (const problem of coop.problems) log.warn('ignored an invalid coop.json', { path: problem.source.path, problems: problem.messages });
  matrix.setEncryptNewRooms(encryptsCircleRooms(coop.config));
  // Shown the way meeting reminders are (services is read when a reminder is due, after start-up).
  const voteReminders = new VoteReminderService({
    db,
    actor: () => identity.current(),
    clock,
    leadHours: () => settings.read('voteReminderHours'),
    doNotDisturb: () => settings.read('doNotDisturb'),
    show: (reminder) => services.meetings.showReminder(reminder),
    translate: mainTranslator(settings),
    formatLocale: () => services.meetings.formatLocale(),
    log,
  });
  const services: CoreServices = {
    version: options.version ?? '0.0.0',
    runtime: options.runtime,
    platform: options.platform ?? process.platform,
    dataDir: options.dataDir,
    identity,
    get localActor() {
      return identity.current();
    },
    db,
    settings,
    events,
    secrets: options.secrets,
    clock,
    log,
    matrix,
    crypto,
    governance,
    sync,
    chat,
    meetings: createMeetingsService({
      db,
      secrets: options.secrets,
      settings,
      events,
      clock,
      log,
      directory: meetingDirectory,
      identity,
      coopMeetingHosts: coopMeetingHosts(coop.config),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.systemLanguages ? { systemLanguages: options.systemLanguages } : {}),
    }),
    voteReminders,
    coop,
    forum: createForumService({ db, governance, identity, settings, events, clock, log, options, coopAddress: coop.config?.discourse?.url ?? null }),
    cloud: new CloudService({
      db,
      secrets: options.secrets,
      clock,
      log,
      coopAddress: coop.config?.nextcloud?.url ?? null,
      openSystemBrowser: options.openSystemBrowser,
      transfersDir: join(options.dataDir, 'cloud-uploads'),
      ...(options.cloud?.pollIntervalMs !== undefined ? { pollIntervalMs: options.cloud.pollIntervalMs } : {}),
      onStatus: (view) => events.emit('cloud.status', view),
      onProgress: (progress) => events.emit('cloud.upload', progress),
    }),
    chatMedia: new ChatMediaService({ matrix, chat, log, clock, ...options.media, onProgress: (progress) => events.emit('chatMedia.upload', progress) }),
  };
  services.meetings.startBackgroundWork();
  services.voteReminders.start();
  // A vote created, extended or voted in may make a reminder due (or not) at once.
  let reminderSoon: ReturnType<typeof setTimeout> | null = null;
  const stopReminderWatch = events.subscribe((name) => {
    if (name !== 'governance.changed' || reminderSoon) return;
    reminderSoon = setTimeout(() => {
      reminderSoon = null;
      services.voteReminders.tick();
    }, 500);
    reminderSoon.unref?.();
  });
  services.forum.start();
  const handlers: StoreHandlers = {
    ...appHandlers(services),
    ...matrixHandlers(services),
    ...syncHandlers(services),
    ...chatHandlers(services),
    ...meetingsHandlers(services),
    ...coopHandlers(services),
    ...governanceHandlers(services),
    ...forumHandlers(services),
    ...cloudHandlers(services),
    ...archiveHandlers(services),
    ...chatSearchHandlers(services),
    ...verificationHandlers(services),
    ...trustHandlers(services),
    ...standingHandlers(services),
    ...chatMediaHandlers(services),
  };
  matrix.start();
  return {
    services,
    handlers,
    close: () => {
      sync.close();
      void matrix.close();
      void crypto.close();
      services.meetings.close();
      services.voteReminders.stop();
      stopReminderWatch();
      if (reminderSoon) clearTimeout(reminderSoon);
      services.forum.close();
      services.cloud.close();
      services.chatMedia.close();
      sealedChat.close();
      db.close();
    },
  };
}
