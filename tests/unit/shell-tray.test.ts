// The tray glue with Electron mocked, over a real core: the menu Electron gets is the
// core's model in the member's language, a click on Join opens the meeting window in one
// action, and the icon follows the call.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../main/core/app-core';
import { FakeClock } from '../../main/core/clock';
import { createLogger } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { trayIconDir } from '../../scripts/generate-tray-icons';

interface MenuTemplateItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}
const trays: { image: string; tooltip: string; menu: MenuTemplateItem[]; destroyed: boolean }[] = [];
vi.mock('electron', () => ({
  Tray: class {
    state = { image: '', tooltip: '', menu: [] as MenuTemplateItem[], destroyed: false };
    constructor(image: string) {
      this.state.image = image;
      trays.push(this.state);
    }
    setImage(image: string) {
      this.state.image = image;
    }
    setToolTip(text: string) {
      this.state.tooltip = text;
    }
    setContextMenu(menu: MenuTemplateItem[]) {
      this.state.menu = menu;
    }
    on() {}
    destroy() {
      this.state.destroyed = true;
    }
  },
  Menu: { buildFromTemplate: (template: MenuTemplateItem[]) => template },
  nativeImage: { createFromPath: (path: string) => path },
}));

const { createTray } = await import('../../main/shell/tray');

const dataDir = mkdtempSync(join(tmpdir(), 'plenary-tray-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('tray glue', () => {
  it('shows the core\'s menu, joins in one click and follows the call', async () => {
    const core = createCore({
      dataDir,
      runtime: 'electron',
      secrets: new MemorySecretStore(),
      clock: new FakeClock(Date.parse('2026-01-26T17:10:00Z')),
      log: createLogger('test', () => {}),
      systemLanguages: () => ['fr-FR'],
    });
    // A circle made in the app, as a member makes it: through the same calls the renderer uses.
    const call = async (name: string, input: unknown) => {
      const outcome = await core.dispatch(name, input, { transport: 'test' });
      if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
      return outcome.value as { id: string };
    };
    const { id: circleId } = await call('governance.createCircle', { name: 'Stewards', purpose: '', timezone: 'Europe/Madrid', displayName: 'Ana', memberTimezone: 'Europe/Madrid' });
    await call('meetings.setSchedule', { circleId, schedule: { rrule: 'DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', timezone: 'Europe/Madrid', durationMinutes: 60 } });
    // The member trusts the coop's Greenlight (Settings › Meetings › Trusted hosts) before linking its room.
    await call('meetings.trustHost', { host: 'meet.example.coop' });
    await call('meetings.addRoom', { circleId, url: 'https://meet.example.coop/b/ste-abc-def', label: 'Main' });
    let inCall = false;
    const opened: string[] = [];
    const windows = { open: (r: { url: string }) => ((inCall = true), opened.push(r.url)), isInCall: () => inCall, leave: () => (inCall = false) };
    core.services.meetings.attachLauncher(windows);
    const tray = createTray({ core, log: createLogger('test', () => {}), meetings: windows, assetsDir: trayIconDir, sync: null, showMainWindow: () => {}, quit: () => {} });
    const state = trays.at(-1)!;
    const labels = state.menu.map((i) => i.label ?? '---');
    expect(labels.slice(0, 3)).toEqual(['En cours', 'Rejoindre Stewards', 'À venir']);
    expect(labels[3]).toMatch(/^Stewards · lun\. \d{2}:00$/); // next Monday, in the system's time zone
    expect(labels.slice(4)).toEqual(['---', 'Ouvrir Plenary', '---', 'Quitter Plenary']);
    expect(state.image).toBe(join(trayIconDir, 'tray-idle.png'));
    expect(existsSync(state.image)).toBe(true);
    expect(state.tooltip).toBe('Plenary');

    state.menu[1]!.click!();
    await vi.waitFor(() => expect(opened).toEqual(['https://meet.example.coop/b/ste-abc-def']));
    tray.refresh();
    expect(state.image).toBe(join(trayIconDir, 'tray-in-call.png'));
    expect(state.menu[0]!.label).toBe("Quitter l'appel");
    expect(state.menu.find((i) => i.label === 'Rejoindre Stewards')?.enabled).toBe(false);
    state.menu[0]!.click!();
    tray.refresh();
    expect(state.image).toBe(join(trayIconDir, 'tray-idle.png'));
    tray.destroy();
    expect(state.destroyed).toBe(true);
    core.close();
  });
});
