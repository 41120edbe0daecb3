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
import { migration as minutesDrafts } from './20261208T0100-minutes-drafts';
import { migration as memberLinks } from './20261208T0200-member-links';
import { migration as voteClosures } from './20261208T0300-vote-closures';
import { migration as quorumBasis } from './20261208T0400-quorum-basis';
import { migration as runningTheMeeting } from './20261208T0500-running-the-meeting';

export type { Migration } from './types';

export const migrations: readonly Migration[] = [settings, governance, matrixSession, chatCache, sync, opsMembers, chatRoomType, chatInvites, oneScheduleFormat, minutesDrafts, memberLinks, voteClosures, quorumBasis, runningTheMeeting];
