// What a member reads about their changes the other members did not accept and about rooms
// Plenary did not join, with the real translations: in English exactly, and in every locale
// real words (never a key) for every reason the core can give.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources, namespaces } from '../../shared/i18n/resources';
import { supportedLocales } from '../../shared/locales';
import type { NotAcceptedChange, RoomNotice, SyncStatusView } from '../../shared/contract/sync';
import type { AuthorizationReason } from '../../shared/governance/authorization';
import { notAcceptedCountText, notAcceptedReasonText, notAcceptedWhatText, notAcceptedWhenText, roomNoticeReasonText, roomNoticesCountText, roomNoticeWhatText, roomNoticeWhoText } from '../../renderer/src/sync/trust-text';

let t: TFunction;
beforeAll(async () => {
  await i18next.init({ resources, lng: 'en', fallbackLng: 'en', ns: [...namespaces], defaultNS: 'common', interpolation: { escapeValue: false } });
  t = i18next.t.bind(i18next);
});

const now = new Date(2026, 11, 9, 14, 0, 0).getTime();
const view = (partial: Partial<SyncStatusView>): SyncStatusView => ({
  state: 'idle',
  pending: 0,
  progress: null,
  lastSyncedAt: null,
  problem: null,
  retryAt: null,
  quarantined: 0,
  refused: 0,
  notAccepted: 0,
  roomNotices: 0,
  withdrawn: 0,
  clock: { skewMs: null, heldHere: null, heldByOthers: null },
  ...partial,
});
const change = (partial: Partial<NotAcceptedChange>): NotAcceptedChange => ({
  opId: '01JOP',
  circleId: '01JCIRCLE',
  circleName: 'Tech ops',
  type: 'circle.update',
  madeAt: new Date(2026, 11, 9, 9, 15).getTime(),
  reason: 'not_facilitator',
  detail: 'circle.update needs facilitator rights in the circle',
  withdrawnAt: new Date(2026, 11, 9, 13, 40).getTime(),
  acknowledged: false,
  ...partial,
});
const notice = (partial: Partial<RoomNotice>): RoomNotice => ({
  roomId: '!fake:meet.coop',
  circleId: '01JCIRCLE',
  circleName: 'Tech ops',
  roomName: 'Tech ops',
  roomCreator: '@mallory:meet.coop',
  inviter: '@mallory:meet.coop',
  reason: 'not_declared',
  noticedAt: now,
  ...partial,
});
const reasons: AuthorizationReason[] = ['not_sender', 'not_facilitator', 'not_owner', 'not_vote_creator', 'contribution_missing', 'vote_missing'];

describe('changes the other members did not accept', () => {
  it('are counted in the status line, and say what, where, why and when', () => {
    expect(notAcceptedCountText(t, view({ notAccepted: 1 }))).toBe('1 of your changes was not accepted by the other members.');
    expect(notAcceptedCountText(t, view({}))).toBeNull();
    const renamed = change({});
    expect(notAcceptedWhatText(t, renamed)).toBe('A change to the circle Tech ops');
    expect(notAcceptedReasonText(t, renamed)).toBe("Not accepted: when it reached the coop server, you did not have facilitator rights in the circle's room.");
    expect(notAcceptedWhenText(t, renamed, 'en-GB', now)).toBe('Made 09:15, taken back 13:40.');
    expect(notAcceptedWhatText(t, change({ type: 'contribution.delete', reason: 'not_owner' }))).toBe('A change to the contribution log of Tech ops');
    expect(notAcceptedWhatText(t, change({ type: 'vote.ballot', circleName: null }))).toBe('A ballot in a circle this device no longer knows');
  });
});

describe('rooms Plenary did not join', () => {
  it('say which room, who invited and made it, and why', () => {
    expect(roomNoticesCountText(t, view({ roomNotices: 2 }))).toBe('2 rooms claiming to be circles were not joined.');
    expect(roomNoticeWhatText(t, notice({}))).toBe('“Tech ops”, claiming to be the circle Tech ops');
    expect(roomNoticeWhatText(t, notice({ roomName: null, circleName: null }))).toBe('A room without a name, claiming to be a circle this device does not know');
    expect(roomNoticeWhatText(t, notice({ circleName: null }))).toBe('“Tech ops”, claiming to be a circle this device does not know');
    expect(roomNoticeWhoText(t, notice({}))).toBe('@mallory:meet.coop invited you; @mallory:meet.coop made the room.');
    expect(roomNoticeWhoText(t, notice({ inviter: null }))).toBe('@mallory:meet.coop made the room.');
    expect(roomNoticeReasonText(t, notice({}))).toMatch(/^Neither the circle's creator nor one of its facilitators made it/);
  });
});

describe.each(supportedLocales)('in %s', (locale) => {
  it('every reason reads as words', async () => {
    await i18next.changeLanguage(locale);
    const texts = [
      ...reasons.map((reason) => notAcceptedReasonText(t, change({ reason }))),
      ...(['circle.update', 'assembly.open', 'vote.close', 'vote.ballot', 'contribution.update'] as const).map((type) => notAcceptedWhatText(t, change({ type }))),
      roomNoticeReasonText(t, notice({ reason: 'not_declared' })),
      roomNoticeWhatText(t, notice({})),
      roomNoticeWhatText(t, notice({ circleName: null })),
      roomNoticeWhatText(t, notice({ roomName: null })),
      roomNoticeWhatText(t, notice({ roomName: null, circleName: null })),
      roomNoticeReasonText(t, notice({ reason: 'circle_has_room' })),
      notAcceptedCountText(t, view({ notAccepted: 2 }))!,
      roomNoticesCountText(t, view({ roomNotices: 1 }))!,
    ];
    for (const text of texts) expect(text).not.toMatch(/(^|[\s:])(sync|governance):|notAccepted\.|roomNotices\.|\{\{/);
    expect(new Set(texts).size).toBe(texts.length);
    await i18next.changeLanguage('en');
  });
});
