// What every handler can reach. Built once by createCore; the Electron shell and the
// browser bridge each get one.
import type { VoteReminderService } from './governance/vote-reminder-service';
import type { Clock } from './clock';
import type { EventBus } from './events';
import type { Logger } from './log';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsService, Runtime } from './settings/settings-service';
import type { Db } from './store/database';
import type { MatrixConnectionService } from './matrix/matrix-connection-service';
import type { GovernanceStore } from './store/governance-store';
import type { SyncService } from './sync/sync-service';
import type { ChatService } from './chat/chat-service';
import type { MeetingsService } from './meetings/meetings-service';
import type { CryptoService } from './crypto/crypto-service';
import type { CoopConfigState } from './config/coop-config';
import type { MemberIdentity } from './identity/member-identity';
import type { ForumService } from './forum/forum-service';
import type { CloudService } from './cloud/cloud-service';
import type { ChatMediaService } from './chat/media-service';

export interface CoreServices {
  version: string;
  runtime: Runtime;
  platform: string;
  dataDir: string;
  /** Who this member is now; read it at each use (it changes on sign-in). */
  identity: MemberIdentity;
  /** Who local operations are made by now: identity.current(). */
  readonly localActor: string;
  db: Db;
  settings: SettingsService;
  events: EventBus;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  /** The one Matrix connection: session, requests and the /sync loop its consumers share. */
  matrix: MatrixConnectionService;
  /** End-to-end encryption: verification of this device and cross-signing (Settings › Security). */
  crypto: CryptoService;
  governance: GovernanceStore;
  /** Governance sync through the coop's Matrix homeserver. */
  sync: SyncService;
  /** Chat in the circles' rooms; governance sync gives it circle names with setCircleNameProvider. */
  chat: ChatService;
  meetings: MeetingsService;
  /** Vote reminders (closing soon, due for review) and Today's list of them. */
  voteReminders: VoteReminderService;
  /** The coop's pre-configuration (servers, update feed) and any coop.json that was refused. */
  coop: CoopConfigState;
  /** The coop's Discourse forum: the member's key, a circle's topics, posting results and minutes. */
  forum: ForumService;
  /** The member's NextCloud: files to attach, uploads, saved minutes. */
  cloud: CloudService;
  /** Files and images in chat: uploads, authenticated media, downloads. */
  chatMedia: ChatMediaService;
}
