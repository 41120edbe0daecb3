// What a member reads about sync, with the real translations: waiting out a rate limit reads
// as waiting with the time sending resumes; refusals are counted, never "synced · nothing
// waiting"; each refusal says what was refused, whom or which circle it concerns, and why;
// a kept-aside event says how many of its operations were refused, for which reasons, and
// how much of a sender's older records the size limit deleted.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources, namespaces } from '../../shared/i18n/resources';
import { supportedLocales } from '../../shared/locales';
import type { QuarantinedItem, SyncRefusal, SyncStatusView, WithdrawnItem } from '../../shared/contract/sync';
import {
  clockHeldTexts,
  clockSkewText,
  formatSkew,
  quarantineCountText,
  quarantineDroppedText,
  quarantineReasonText,
  refusalReasonText,
  refusalRetryText,
  refusalWhatText,
  syncPendingText,
  syncRefusedText,
  syncRetryText,
  syncStateText,
  withdrawnDetailText,
  withdrawnWhatText,
} from '../../renderer/src/sync/sync-text';

let t: TFunction;
beforeAll(async () => {
  await i18next.init({ resources, lng: 'en', fallbackLng: 'en', ns: [...namespaces], defaultNS: 'common', interpolation: { escapeValue: false } });
  t = i18next.t.bind(i18next);
});

// 14:03:12 local time, today.
const now = new Date(2026, 11, 8, 14, 2, 0).getTime();
const at = new Date(2026, 11, 8, 14, 3, 12).getTime();

function view(partial: Partial<SyncStatusView>): SyncStatusView {
  return {
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
  };
}

function refusal(partial: Partial<SyncRefusal>): SyncRefusal {
  return {
    id: 1,
    kind: 'invite',
    reason: 'other_server',
    circleId: '01JCIRCLE',
    circleName: 'Stewards',
    member: { id: '@dana:elsewhere.example', name: 'Dana' },
    poll: null,
    operations: null,
    serverMessage: 'M_FORBIDDEN: Federation denied with elsewhere.example.',
    firstAt: now,
    lastAt: now,
    attempts: 1,
    retryAt: null,
    canDismiss: true,
    ...partial,
  };
}

describe('sync status text', () => {
  it('reads a rate limit as waiting, to the second it ends', () => {
    const waiting = view({ state: 'waiting', pending: 31, retryAt: at });
    expect(syncStateText(t, waiting)).toBe('Waiting for the server');
    expect(syncRetryText(t, waiting, 'en-GB', now)).toBe('The coop server asked Plenary to slow down; sending goes on at 14:03:12.');
  });

  it('says when an offline device tries again, and nothing about retrying otherwise', () => {
    expect(syncRetryText(t, view({ state: 'offline', retryAt: at }), 'en-GB', now)).toBe('Trying again at 14:03');
    expect(syncRetryText(t, view({ state: 'uploading', retryAt: at }), 'en-GB', now)).toBeNull();
    expect(syncRetryText(t, view({ state: 'waiting', retryAt: null }), 'en-GB', now)).toBeNull();
  });

  it('never reads as synced with nothing waiting while a refusal stands', () => {
    const refused = view({ state: 'refused', refused: 1 });
    expect(`${syncStateText(t, refused)} · ${syncPendingText(t, refused)}`).toBe('Not everything got through · nothing waiting');
    expect(syncRefusedText(t, refused)).toBe('1 thing was not accepted by the server.');
    expect(syncRefusedText(t, view({ state: 'refused', refused: 3 }))).toBe('3 things were not accepted by the server.');
    expect(syncRefusedText(t, view({}))).toBeNull();
  });
});

describe('refusal text', () => {
  it('names the member and the circle of a refused invitation, and blames their server', () => {
    const invite = refusal({});
    expect(refusalWhatText(t, invite)).toBe('Inviting Dana (@dana:elsewhere.example) to the room of Stewards');
    expect(refusalReasonText(t, invite)).toBe('the coop server cannot reach elsewhere.example, this member’s server, or may not talk to it.');
    expect(refusalRetryText(t, invite, 'en-GB', now)).toBe('Not tried again until you ask.');
    expect(refusalRetryText(t, refusal({ retryAt: at }), 'en-GB', now)).toBe('Plenary tries again at 14:03.');
  });

  it('falls back to the Matrix id when the member has no name', () => {
    expect(refusalWhatText(t, refusal({ member: { id: '@erin:far.example', name: null } }))).toBe('Inviting @erin:far.example to the room of Stewards');
  });

  it('says what each kind of refusal held back', () => {
    expect(refusalWhatText(t, refusal({ kind: 'upload', member: null, operations: 12, reason: 'forbidden' }))).toBe('12 changes to Stewards');
    expect(refusalWhatText(t, refusal({ kind: 'room', member: null, reason: 'forbidden' }))).toBe('The room of the circle Stewards');
    expect(refusalWhatText(t, refusal({ kind: 'power_levels', member: null, reason: 'forbidden' }))).toBe('Facilitators’ rights in the room of Stewards');
    expect(refusalWhatText(t, refusal({ kind: 'poll', member: null, poll: { event: 'start', question: 'Adopt the budget?' } }))).toBe(
      'The poll “Adopt the budget?” for Element users in Stewards',
    );
    expect(refusalWhatText(t, refusal({ kind: 'poll', member: null, poll: { event: 'end', question: null }, circleName: null }))).toBe(
      'Closing the poll “a vote this device no longer knows” in a circle this device no longer knows',
    );
    expect(refusalWhatText(t, refusal({ kind: 'poll', member: null, poll: { event: 'results', question: 'Adopt the budget?' } }))).toBe(
      'The results message listing “Adopt the budget?” for Element users in Stewards',
    );
  });

  it('says how much of a kept-aside event was refused and why, and what the size limit deleted', () => {
    const item: QuarantinedItem = {
      id: 1,
      eventId: '$e',
      opIndex: -1,
      roomId: '!r',
      sender: '@mallory:meet.coop',
      eventType: 'coop.meet.plenary.ops',
      reason: 'forged actor',
      reasons: [
        { reason: 'forged actor', count: 19_990, first: 0 },
        { reason: 'unknown operation type', count: 1, first: 4 },
        { reason: '', count: 9, first: 12 },
      ],
      refused: 20_000,
      operations: 20_000,
      excerpt: '{}',
      receivedAt: now,
    };
    expect(quarantineCountText(t, item)).toBe('20000 operations refused out of 20000');
    expect(item.reasons.map((r) => quarantineReasonText(t, r))).toEqual([
      'forged actor (19990 operations, the first is operation 1)',
      'unknown operation type (operation 5)',
      'Other reasons (9 operations, the first is operation 13)',
    ]);
    expect(quarantineCountText(t, { ...item, operations: 0, refused: 1 })).toBeNull();
    expect(quarantineReasonText(t, { reason: 'content is not an object', count: 1, first: -1 })).toBe('content is not an object');
    expect(quarantineDroppedText(t, { sender: '@mallory:meet.coop', events: 12, refused: 240_000, firstAt: now, lastAt: now })).toBe(
      '12 older items from @mallory:meet.coop were deleted to save space.',
    );
  });

  it('puts each reason in words, with not found telling a member from a room', () => {
    expect(refusalReasonText(t, refusal({ kind: 'upload', reason: 'forbidden' }))).toBe('the coop server does not allow it.');
    expect(refusalReasonText(t, refusal({ kind: 'upload', reason: 'not_found' }))).toBe('the coop server no longer knows this room.');
    expect(refusalReasonText(t, refusal({ kind: 'invite', reason: 'not_found' }))).toBe('the coop server knows no such member.');
    expect(refusalReasonText(t, refusal({ kind: 'poll', reason: 'too_large' }))).toBe('it is too large for the coop server.');
    expect(refusalReasonText(t, refusal({ kind: 'poll', reason: 'invalid' }))).toBe('the coop server does not accept its content.');
    expect(refusalReasonText(t, refusal({ kind: 'poll', reason: 'other' }))).toBe('the coop server refused it.');
  });

  it('has every sentence in every language', async () => {
    for (const locale of supportedLocales) {
      await i18next.changeLanguage(locale);
      const lt = i18next.getFixedT(locale);
      const texts = [
        syncStateText(lt, view({ state: 'waiting' })),
        syncStateText(lt, view({ state: 'refused' })),
        syncRetryText(lt, view({ state: 'waiting', retryAt: at }), locale, now),
        syncRefusedText(lt, view({ refused: 2 })),
        refusalWhatText(lt, refusal({})),
        refusalReasonText(lt, refusal({})),
        refusalWhatText(lt, refusal({ kind: 'poll', member: null, poll: { event: 'results', question: 'Q' } })),
        quarantineReasonText(lt, { reason: '', count: 3, first: 2 }),
        quarantineDroppedText(lt, { sender: '@m:x', events: 2, refused: 2, firstAt: now, lastAt: now }),
      ];
      for (const text of texts) expect(text, locale).not.toMatch(/sync:|refusals\.|state\.|quarantine\./);
      if (locale !== 'en') expect(refusalWhatText(lt, refusal({})), locale).not.toBe('Inviting Dana (@dana:elsewhere.example) to the room of Stewards');
    }
    await i18next.changeLanguage('en');
  });

  it("says when this computer's clock is off, and what waits because of a clock ahead", () => {
    const clock = (partial: Partial<SyncStatusView['clock']>) => view({ clock: { skewMs: null, heldHere: null, heldByOthers: null, ...partial } });
    expect(clockSkewText(t, clock({}), 'en')).toBeNull();
    expect(clockSkewText(t, clock({ skewMs: 3 * 3600_000 + 120_000 }), 'en')).toMatch(/^Your computer's clock is 3 hr ahead of the coop server\./);
    expect(clockSkewText(t, clock({ skewMs: -12 * 60_000 }), 'en')).toMatch(/^Your computer's clock is 12 min behind the coop server\./);
    expect(formatSkew(3 * 86_400_000, 'en')).toBe('3 days');
    expect(clockHeldTexts(t, clock({ heldByOthers: { count: 2, until: at }, heldHere: { count: 1, until: at } }), 'en', now)).toEqual([
      "2 of your changes reached the coop server stamped ahead of its clock: other members' apps hold them until 2:03 PM.",
      "1 change is stamped ahead of this computer's clock; it applies here at 2:03 PM.",
    ]);
  });

  it('says what was withdrawn on the server, by whom and when, and what it took away here', () => {
    const item: WithdrawnItem = {
      eventId: '$batch',
      roomId: '!r:meet.coop',
      circleId: '01JCIRCLE',
      circleName: 'Stewards',
      sender: '@ana:meet.coop',
      eventType: 'coop.meet.plenary.ops',
      redactedBy: '@ana:meet.coop',
      redactedAt: at,
      reason: 'wrong circle',
      operations: 3,
      withPoll: false,
    };
    expect(withdrawnWhatText(t, item)).toBe('Changes to Stewards');
    expect(withdrawnDetailText(t, item, 'en', now)).toBe('Withdrawn by @ana:meet.coop at 2:03 PM. 3 changes withdrawn on this device.');
    expect(withdrawnWhatText(t, { ...item, eventType: 'org.matrix.msc3381.poll.response', withPoll: true })).toBe('An answer to a poll in Stewards');
    expect(withdrawnDetailText(t, { ...item, withPoll: true }, 'en', now)).toBe('Withdrawn by @ana:meet.coop at 2:03 PM. It went with its withdrawn poll.');
    for (const locale of supportedLocales) {
      const lt = i18next.getFixedT(locale);
      for (const text of [withdrawnWhatText(lt, item), withdrawnDetailText(lt, item, locale, now), clockSkewText(lt, view({ clock: { skewMs: 3600_000, heldHere: null, heldByOthers: null } }), locale)]) {
        expect(text, locale).not.toMatch(/sync:|withdrawals\.|clock\./);
      }
    }
  });
});
