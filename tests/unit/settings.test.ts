import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { SettingsService, supportedSettings } from '../../main/core/settings/settings-service';
import { PlenaryError } from '../../shared/errors';

describe('settings registry', () => {
  it('reads defaults, writes, and reports changes', () => {
    const db = openDatabase(':memory:');
    const seen: unknown[] = [];
    const settings = new SettingsService(db, 'electron', (view) => seen.push(view.values.theme));
    expect(settings.read('theme')).toBe('system');
    settings.write({ key: 'theme', value: 'dark' });
    expect(settings.read('theme')).toBe('dark');
    expect(seen).toEqual(['dark']);
  });

  it('marks desktop-only settings unsupported in the browser bridge and refuses writes to them', () => {
    expect(supportedSettings('web').startAtLogin).toBe(false);
    expect(supportedSettings('electron').startAtLogin).toBe(true);
    const settings = new SettingsService(openDatabase(':memory:'), 'web');
    expect(() => settings.write({ key: 'startAtLogin', value: true })).toThrow(PlenaryError);
  });

  it('falls back to the default when a stored value no longer parses', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"sepia\"')").run();
    expect(new SettingsService(db, 'web').read('theme')).toBe('system');
  });
});
