// Mention detection, the notification decision and the unread badge.
import { describe, expect, it } from 'vitest';
import { maxNotifyAgeMs, mentionsMe, shouldNotify, type NotifyInput } from '../../main/core/chat/mentions';
import { unreadBadge } from '../../main/core/chat/unread-badge';
import { trayTooltip } from '../../main/core/policy/tray-menu';
import { createTranslator } from '../../main/core/i18n/translator';

const me = { userId: '@ana:meet.coop', displayName: 'Ana María' };

describe('mentionsMe', () => {
  it('uses m.mentions when present, and only it', () => {
    expect(mentionsMe({ body: 'x', 'm.mentions': { user_ids: ['@ana:meet.coop'] } }, me)).toBe(true);
    expect(mentionsMe({ body: 'x', 'm.mentions': { room: true } }, me)).toBe(true);
    expect(mentionsMe({ body: 'Ana María @ana:meet.coop', 'm.mentions': {} }, me)).toBe(false);
  });

  it('falls back to the body: user id, display name as a whole word, @room', () => {
    expect(mentionsMe({ body: 'ask @ana:meet.coop' }, me)).toBe(true);
    expect(mentionsMe({ body: 'ana maría, can you?' }, me)).toBe(true);
    expect(mentionsMe({ body: 'Ana Maríana is someone else' }, me)).toBe(false);
    expect(mentionsMe({ body: '@room vote' }, me)).toBe(true);
    expect(mentionsMe({ body: 'chatroom' }, me)).toBe(false);
    expect(mentionsMe({ body: '「ふみ」さんへ' }, { userId: '@f:x', displayName: 'ふみ' })).toBe(true);
    expect(mentionsMe({ body: 'a' }, { userId: '@a:x', displayName: 'a' })).toBe(false);
  });
});

describe('shouldNotify', () => {
  const base: NotifyInput = { live: true, fromMe: false, isRelation: false, isMessage: true, mentioned: true, doNotDisturb: false, ageMs: 1000 };
  it('notifies a fresh mention from someone else', () => {
    expect(shouldNotify(base)).toBe(true);
  });
  it('stays quiet with do-not-disturb, for own messages, edits, non-messages, history and old news', () => {
    expect(shouldNotify({ ...base, doNotDisturb: true })).toBe(false);
    expect(shouldNotify({ ...base, fromMe: true })).toBe(false);
    expect(shouldNotify({ ...base, isRelation: true })).toBe(false);
    expect(shouldNotify({ ...base, isMessage: false })).toBe(false);
    expect(shouldNotify({ ...base, live: false })).toBe(false);
    expect(shouldNotify({ ...base, mentioned: false })).toBe(false);
    expect(shouldNotify({ ...base, ageMs: maxNotifyAgeMs + 1 })).toBe(false);
  });
});

describe('unreadBadge', () => {
  it('sums unread messages and caps the text', () => {
    expect(unreadBadge([])).toEqual({ count: 0, invites: 0, highlights: 0, text: '' });
    expect(unreadBadge([{ unread: 3, highlights: 1 }, { unread: 4, highlights: 0 }])).toEqual({ count: 7, invites: 0, highlights: 1, text: '7' });
    // Invitations count on the badge, as in Element.
    expect(unreadBadge([{ unread: 3, highlights: 0 }], 2)).toEqual({ count: 5, invites: 2, highlights: 0, text: '5' });
    expect(unreadBadge([{ unread: 150, highlights: 0 }]).text).toBe('99+');
    expect(unreadBadge([{ unread: -2, highlights: -1 }]).count).toBe(0);
  });

  it('says it in the tray tooltip, in the member\'s language', () => {
    const t = createTranslator('de', 'meetings');
    expect(trayTooltip('idle', { inCall: false, sync: null, unread: unreadBadge([]).count }, t)).toBe('Plenary');
    expect(trayTooltip('idle', { inCall: false, sync: null, unread: unreadBadge([{ unread: 2, highlights: 0 }]).count }, t)).toBe('Plenary: 2 ungelesene Nachrichten');
  });
});
