// The tray: its icon state from app state, and its menu model (live and upcoming meetings
// with Join, Sync now with the pending count, Open Plenary, Quit), in a real translation.
import { describe, expect, it } from 'vitest';
import { buildTrayMenu, trayIconState, trayTooltip, type TrayMenuInput, type TrayMenuItem } from '../../main/core/policy/tray-menu';
import { createTranslator } from '../../main/core/i18n/translator';

const t = createTranslator('en', 'meetings');
const now = Date.parse('2026-01-26T17:50:00Z');
const meeting = (circleName: string, start: string, extra: Partial<{ roomId: string; roomLabel: string; circleId: string }> = {}) => ({
  circleId: extra.circleId ?? circleName.toLowerCase(),
  circleName,
  roomId: extra.roomId ?? `${circleName.toLowerCase()}-room`,
  roomLabel: extra.roomLabel ?? 'Main room',
  start: Date.parse(start),
  end: Date.parse(start) + 3_600_000,
});
const base: TrayMenuInput = { inCall: false, online: true, pendingChanges: 0, live: [], upcoming: [], locale: 'en-GB', timeZone: 'UTC', now };
const labels = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '---' : i.kind === 'header' ? `# ${i.label}` : `${i.label}${i.enabled ? '' : ' (disabled)'}`));

describe('tray icon state', () => {
  it('shows a call first, then offline, then unsynced changes, else idle', () => {
    expect(trayIconState({ inCall: true, online: false, pendingChanges: 3 })).toBe('in-call');
    expect(trayIconState({ inCall: false, online: false, pendingChanges: 3 })).toBe('offline');
    expect(trayIconState({ inCall: false, online: true, pendingChanges: 3 })).toBe('unsynced');
    expect(trayIconState({ inCall: false, online: true, pendingChanges: 0 })).toBe('idle');
  });

  it('explains the state in its tooltip', () => {
    expect(trayTooltip('unsynced', { inCall: false, online: true, pendingChanges: 2 }, t)).toBe('Plenary: 2 changes not synced yet');
    expect(trayTooltip('in-call', { inCall: true, online: true, pendingChanges: 0 }, t)).toBe('Plenary: in a call');
  });
});

describe('tray menu', () => {
  it('lists live and upcoming meetings with Join, then sync, open and quit', () => {
    const menu = buildTrayMenu(
      {
        ...base,
        pendingChanges: 3,
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
    expect(menu[1]).toMatchObject({ kind: 'item', action: { type: 'join', circleId: 'stewards', roomId: 'stewards-room' } });
    expect(menu[4]).toMatchObject({ kind: 'item', action: { type: 'join', circleId: 'product' } });
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
    const sync = buildTrayMenu({ ...base, online: false, pendingChanges: 1 }, t).find((i) => i.kind === 'item' && i.id === 'sync');
    expect(sync).toMatchObject({ label: 'Sync now (1 change waiting)', enabled: false });
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
