import { z } from 'zod';
import { call, event, returns } from './define';
import { settingWriteSchema, type SettingsView } from '../settings';

export interface AppInfo {
  version: string;
  /** 'electron' for the desktop app, 'web' for the loopback browser bridge. */
  runtime: 'electron' | 'web';
  platform: string;
  /** The local member identity used to sign operations when no coop server is connected. */
  localActor: string;
}

export const appCalls = {
  app: {
    info: call(z.object({}).strict(), returns<AppInfo>()),
  },
  settings: {
    get: call(z.object({}).strict(), returns<SettingsView>()),
    set: call(settingWriteSchema, returns<SettingsView>()),
  },
};

export const appEvents = {
  'settings.changed': event<SettingsView>(),
  /** Who local operations are made by changed (a sign-in claimed the local identity, or another member signed in). */
  'app.identity': event<{ localActor: string }>(),
};
