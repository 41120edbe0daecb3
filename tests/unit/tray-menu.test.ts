// The tray: its icon state from app state, and its menu model (live and upcoming meetings
// with Join, Sync now with the pending count, Open Plenary, Quit), in a real translation.
import { describe, expect, it } from 'vitest';
import { buildTrayMenu, trayIconState, trayMeetings, trayTooltip, type TrayMeeting, type TrayMenuInput, type TrayMenuItem } from '../../main/core/policy/tray-menu';
import type { MeetingsOverview, RoomView } from '../../shared/meetings/types';
import { createTranslator } from '../../main/core/i18n/translator';

const t = createTranslator('en', 'meetings');
const now = Date.parse('2026-01-26T17:50:00Z');
const meeting = (circleName: string, start: string, extra: Partial<{ roomId: string; roomLabel: string }> = {}): TrayMeeting => ({
  circleId: circleName.toLowerCase(),
  circleName,
  roomLabel: extra.roomLabel ?? 'Main room',
  start: Date.parse(start),
  end: Date.parse(start) + 3_600_000,
  target: { kind: 'room', circleId: circleName.toLowerCase(), roomId: extra.roomId ?? `${circleName.toLowerCase()}-room` },
});
const base: TrayMenuInput = { inCall: false, sync: { online: true, pendingChanges: 0 }, live: [], upcoming: [], locale: 'en-GB', timeZone: 'UTC', now };
const labels = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '---' : i.kind === 'header' ? `# ${i.label}` : `${i.label}${i.enabled ? '' : ' (disabled)'}`));

describe('tray icon state', () => {
  it('shows a call first, then offline, then unsynced changes, else idle', () => {
    expect(trayIconState({ inCall: true, sync: { online: false, pendingChanges: 3 } })).toBe('in-call');
    expect(trayIconState({ inCall: false, sync: { online: false, pendingChanges: 3 } })).toBe('offline');
    expect(trayIconState({ inCall: false, sync: { online: true, pendingChanges: 3 } })).toBe('unsynced');
    expect(trayIconState({ inCall: false, sync: { online: true, pendingChanges: 0 } })).toBe('idle');
    expect(trayIconState({ inCall: false, sync: null })).toBe('idle');
  });

  it('explains the state in its tooltip', () => {
    expect(trayTooltip('unsynced', { inCall: false, sync: { online: true, pendingChanges: 2 } }, t)).toBe('Plenary: 2 changes not synced yet');
    expect(trayTooltip('in-call', { inCall: true, sync: null }, t)).toBe('Plenary: in a call');
  });

  it('adds the unread chat count to the state, never replacing it', () => {
    expect(trayTooltip('idle', { inCall: false, sync: null, unread: 0 }, t)).toBe('Plenary');
    expect(trayTooltip('idle', { inCall: false, sync: null, unread: 1 }, t)).toBe('Plenary: 1 unread message');
    expect(trayTooltip('in-call', { inCall: true, sync: null, unread: 4 }, t)).toBe('Plenary: in a call\n4 unread messages');
    expect(trayTooltip('unsynced', { inCall: false, sync: { online: true, pendingChanges: 2 }, unread: 3 }, t)).toBe('Plenary: 2 changes not synced yet\n3 unread messages');
  });

  it('adds invitations waiting for an answer after the unread count', () => {
    expect(trayTooltip('idle', { inCall: false, sync: null, unread: 0, invites: 1 }, t)).toBe('Plenary: 1 invitation');
    expect(trayTooltip('idle', { inCall: false, sync: null, unread: 2, invites: 3 }, t)).toBe('Plenary: 2 unread messages\n3 invitations');
    expect(trayTooltip('in-call', { inCall: true, sync: null, unread: 0, invites: 2 }, t)).toBe('Plenary: in a call\n2 invitations');
  });
});

describe('tray menu', () => {
  it('lists live and upcoming meetings with Join, then sync, open and quit', () => {
    const menu = buildTrayMenu(
      {
        ...base,
        sync: { online: true, pendingChanges: 3 },
        live: [meeting('Stewards', '2026-01-26T17:30:00Z')],
        upcoming: [meeting('commons.hour', '2026-01-26T18:00:00Z'), meeting('Product', '2026-01-28T09:30:00Z')],
      },
      t,
    );
    expect(labels(menu)).toEqual([
      '# Live now',
      'Join Stewards',
      '# Coming up',
      'commons.hour · 18:00',
      'Product · Wed 09:30',
      '---',
      'Sync now (3 changes waiting)',
      'Open Plenary',
      '---',
      'Quit Plenary',
    ]);
    expect(menu[1]).toMatchObject({ kind: 'item', action: { type: 'join', target: { kind: 'room', circleId: 'stewards', roomId: 'stewards-room' } } });
    expect(menu[4]).toMatchObject({ kind: 'item', action: { type: 'join', target: { circleId: 'product' } } });
    expect(menu.find((i) => i.kind === 'item' && i.id === 'quit')).toMatchObject({ action: { type: 'quit' } });
  });

  it('names the room when a circle meets in several at once', () => {
    const menu = buildTrayMenu(
      { ...base, live: [meeting('Stewards', '2026-01-26T17:30:00Z', { roomId: 'a', roomLabel: 'Plenary room' }), meeting('Stewards', '2026-01-26T17:30:00Z', { roomId: 'b', roomLabel: 'Breakout' })] },
      t,
    );
    expect(labels(menu).slice(0, 3)).toEqual(['# Live now', 'Join Stewards · Plenary room', 'Join Stewards · Breakout']);
  });

  it('says when nothing is coming up, and drops meetings already started from the upcoming list', () => {
    const menu = buildTrayMenu({ ...base, upcoming: [meeting('Past', '2026-01-26T10:00:00Z')] }, t);
    expect(labels(menu)).toEqual(['No meetings coming up (disabled)', '---', 'Sync now', 'Open Plenary', '---', 'Quit Plenary']);
  });

  it('keeps the upcoming list short', () => {
    const upcoming = Array.from({ length: 12 }, (_, i) => meeting(`Circle ${i}`, `2026-01-27T${String(8 + i).padStart(2, '0')}:00:00Z`));
    const joins = buildTrayMenu({ ...base, upcoming }, t).filter((i) => i.kind === 'item' && i.action.type === 'join');
    expect(joins).toHaveLength(5);
  });

  it('offers Leave during a call and disables other joins', () => {
    const menu = buildTrayMenu({ ...base, inCall: true, live: [meeting('Stewards', '2026-01-26T17:30:00Z')] }, t);
    expect(labels(menu).slice(0, 4)).toEqual(['Leave the call', '---', '# Live now', 'Join Stewards (disabled)']);
    expect(menu[0]).toMatchObject({ action: { type: 'leave' } });
  });

  it('disables Sync now while offline', () => {
    const sync = buildTrayMenu({ ...base, sync: { online: false, pendingChanges: 1 } }, t).find((i) => i.kind === 'item' && i.id === 'sync');
    expect(sync).toMatchObject({ label: 'Sync now (1 change waiting)', enabled: false });
  });

  it('has no Sync item when no coop server is connected', () => {
    expect(labels(buildTrayMenu({ ...base, sync: null }, t))).toEqual(['No meetings coming up (disabled)', '---', 'Open Plenary', '---', 'Quit Plenary']);
  });

  it('speaks the member\'s language, with local date formats', () => {
    const ja = buildTrayMenu({ ...base, locale: 'ja', upcoming: [meeting('Product', '2026-01-28T09:30:00Z')] }, createTranslator('ja', 'meetings'));
    expect(labels(ja)).toContain('Plenary を終了');
    const jaProduct = labels(ja).find((l) => l.startsWith('Product'));
    expect(jaProduct).toContain('09:30');
    expect(jaProduct).toContain('水');
    const fr = buildTrayMenu({ ...base, locale: 'fr', live: [meeting('Stewards', '2026-01-26T17:30:00Z')] }, createTranslator('fr', 'meetings'));
    expect(labels(fr)).toContain('Rejoindre Stewards');
  });
});

describe('tray meetings from the overview', () => {
  const room = (roomId: string, label: string): RoomView => ({ roomId, label, url: `https://meet.example.coop/b/${roomId}`, kind: 'greenlight-v2', host: 'meet.example.coop', hostAllowed: true });
  it('offers API meetings and each room of live and upcoming meetings, skipping those without a room or on a host that is not allowed', () => {
    const overview: MeetingsOverview = {
      now,
      live: [{ circleId: 'st', circleName: 'Stewards', start: now - 600_000, end: now + 600_000, live: true, rooms: [room('aaa-bbb-ccc', 'Main'), room('ddd-eee-fff', 'Breakout')] }],
      next: [
        { circleId: 'pr', circleName: 'Product', start: now + 3_600_000, end: now + 7_200_000, live: false, rooms: [room('ggg-hhh-iii', 'Main')] },
        { circleId: 'nr', circleName: 'No room', start: now + 3_600_000, end: now + 7_200_000, live: false, rooms: [] },
        // A room another member linked on a server that is not a meeting host: not offered.
        { circleId: 'el', circleName: 'Elsewhere', start: now + 3_600_000, end: now + 7_200_000, live: false, rooms: [{ ...room('jjj-kkk-lll', 'Theirs'), host: 'meet.elsewhere.org', hostAllowed: false }] },
      ],
      running: [{ meetingID: 'plenary-x', circleId: 'tec', circleName: 'Tech', assemblyId: 'a', assemblyTitle: 'All-hands', createTime: now - 60_000, participantCount: 2, recording: false, attendees: [] }],
      circles: [],
      api: { configured: true, host: 'bbb.example.coop', checkedAt: now, error: null },
    };
    const { live, upcoming } = trayMeetings(overview);
    expect(live.map((m) => [m.circleName, m.target])).toEqual([
      ['Tech: All-hands', { kind: 'running', meetingID: 'plenary-x' }],
      ['Stewards', { kind: 'room', circleId: 'st', roomId: 'aaa-bbb-ccc' }],
      ['Stewards', { kind: 'room', circleId: 'st', roomId: 'ddd-eee-fff' }],
    ]);
    expect(upcoming.map((m) => m.circleName)).toEqual(['Product']);
    expect(labels(buildTrayMenu({ ...base, live, upcoming }, t)).slice(0, 6)).toEqual([
      '# Live now',
      'Join Tech: All-hands',
      'Join Stewards · Main',
      'Join Stewards · Breakout',
      '# Coming up',
      'Product · 18:50',
    ]);
  });
});
