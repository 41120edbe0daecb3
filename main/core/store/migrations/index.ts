// Every migration, in order. Bundlers need static imports, so a new step is one file
// plus one line here; tests/unit/migrations.test.ts checks the list is sorted and complete.
import type { Migration } from './types';
import { migration as settings } from './20261122T0200-settings';
import { migration as governance } from './20261122T0300-governance';
import { migration as matrixSession } from './20261122T0300-matrix-session';
import { migration as chatCache } from './20261122T0310-chat-cache';
import { migration as sync } from './20261122T0500-sync';
import { migration as opsMembers } from './20261123T0100-ops-members';
import { migration as chatRoomType } from './20261205T2100-chat-room-type';
import { migration as chatInvites } from './20261207T0100-chat-invites';
import { migration as oneScheduleFormat } from './20261207T1500-one-schedule-format';
import { migration as syncRefusals } from './20261208T1400-sync-refusals';
import { migration as trustRules } from './20261209T1000-trust-rules';
import { migration as opEvents } from './20261209T1100-op-events';
import { migration as voteDefinition } from './20261209T1110-vote-definition';
import { migration as syncPollMirrors } from './20261209T1120-sync-poll-mirrors';
import { migration as quarantinePerEvent } from './20261209T1200-quarantine-per-event';
import { migration as syncResultsAndJoins } from './20261209T1210-sync-results-and-joins';
import { migration as forumAndFiles } from './20261209T1400-forum-and-files';
import { migration as minutesDrafts } from './20261209T1500-minutes-drafts';
import { migration as memberLinks } from './20261209T1510-member-links';
import { migration as voteClosures } from './20261209T1520-vote-closures';
import { migration as quorumBasis } from './20261209T1530-quorum-basis';
import { migration as runningTheMeeting } from './20261209T1540-running-the-meeting';
import { migration as voteReminders } from './20261210T0100-vote-reminders';
import { migration as decisionArchive } from './20261210T0200-decision-archive';
import { migration as ballotSettingsAndDelegation } from './20261210T0300-ballot-settings-and-delegation';
import { migration as voteDigests } from './20261210T0400-vote-digests';
import { migration as logReplies } from './20261210T0410-log-replies';
import { migration as chatMarkedUnread } from './20261210T0600-chat-marked-unread';
import { migration as chatReceipts } from './20261210T0610-chat-receipts';
import { migration as timePolls } from './20261211T0100-time-polls';
import { migration as chatAccountData } from './20261211T0200-chat-account-data';
import { migration as chatSearch } from './20261211T0300-chat-search';
import { migration as chatPollCards } from './20261211T0310-chat-poll-cards';
import { migration as chatThreadReads } from './20261211T0700-chat-thread-reads';
import { migration as megolmReplayGuard } from './20261212T0100-megolm-replay-guard';

export type { Migration } from './types';

export const migrations: readonly Migration[] = [
  settings,
  governance,
  matrixSession,
  chatCache,
  sync,
  opsMembers,
  chatRoomType,
  chatInvites,
  oneScheduleFormat,
  syncRefusals,
  trustRules,
  opEvents,
  voteDefinition,
  syncPollMirrors,
  quarantinePerEvent,
  syncResultsAndJoins,
  forumAndFiles,
  minutesDrafts,
  memberLinks,
  voteClosures,
  quorumBasis,
  runningTheMeeting,
  voteReminders,
  decisionArchive,
  ballotSettingsAndDelegation,
  voteDigests,
  logReplies,
  chatMarkedUnread,
  chatReceipts,
  timePolls,
  chatAccountData,
  chatSearch,
  chatPollCards,
  chatThreadReads,
  megolmReplayGuard,
];
