// Settings as a registry (after Element Desktop): each key has a schema and default in
// shared/settings.ts; this service reads, writes and says which keys the running platform
// supports. Values live in the local store so they survive restarts.
import {
  settingDefaults,
  settingKeys,
  settingSchemas,
  type SettingKey,
  type Settings,
  type SettingsView,
  type SettingWrite,
} from '../../../shared/settings';
import { PlenaryError } from '../../../shared/errors';
import type { Db } from '../store/database';

export type Runtime = 'electron' | 'web';

/** Which settings a runtime can honour. The browser bridge cannot start at login. */
export function supportedSettings(runtime: Runtime): Record<SettingKey, boolean> {
  const desktopOnly: SettingKey[] = ['startAtLogin', 'startHidden'];
  return Object.fromEntries(settingKeys.map((k) => [k, runtime === 'electron' || !desktopOnly.includes(k)])) as Record<
    SettingKey,
    boolean
  >;
}

export class SettingsService {
  private readonly supported: Record<SettingKey, boolean>;

  constructor(
    private readonly db: Db,
    runtime: Runtime,
    private readonly onChange: (view: SettingsView) => void = () => {},
  ) {
    this.supported = supportedSettings(runtime);
  }

  read<K extends SettingKey>(key: K): Settings[K] {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return settingDefaults[key];
    // A value written by an older or newer release that no longer parses falls back to the default.
    const parsed = settingSchemas[key].safeParse(JSON.parse(row.value));
    return parsed.success ? (parsed.data as Settings[K]) : settingDefaults[key];
  }

  view(): SettingsView {
    const values = Object.fromEntries(settingKeys.map((k) => [k, this.read(k)])) as Settings;
    return { values, supported: { ...this.supported } };
  }

  write(change: SettingWrite): SettingsView {
    if (!this.supported[change.key]) {
      throw new PlenaryError('not_supported', `The setting "${change.key}" is not available here`, {
        field: 'key',
        params: { key: change.key },
      });
    }
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(change.key, JSON.stringify(change.value));
    const view = this.view();
    this.onChange(view);
    return view;
  }
}
