// App-wide state: who we are, how we reach the core, settings and the last error shown.
import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../../shared/contract/app';
import type { SettingsView, SettingWrite } from '../../../shared/settings';
import type { PlenaryErrorData } from '../../../shared/errors';
import { api, ApiError } from '../api/client';
import type { BridgeState } from '../api/bridge-transport';
import type { PlenaryState } from './index';

export interface AppSlice {
  info: AppInfo | null;
  settings: SettingsView | null;
  connection: BridgeState;
  error: PlenaryErrorData | null;
  loadApp(): Promise<void>;
  writeSetting(change: SettingWrite): Promise<void>;
  setConnection(state: BridgeState): void;
  setSettings(view: SettingsView): void;
  /** A sign-in changed who local work is recorded under. */
  setLocalActor(localActor: string): void;
  showError(error: unknown): void;
  dismissError(): void;
}

export function toErrorData(error: unknown): PlenaryErrorData {
  if (error instanceof ApiError) {
    const data: PlenaryErrorData = { code: error.code, message: error.message };
    if (error.field !== undefined) data.field = error.field;
    if (error.params !== undefined) data.params = error.params;
    return data;
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export const createAppSlice: StateCreator<PlenaryState, [], [], AppSlice> = (set, get) => ({
  info: null,
  settings: null,
  connection: 'connecting',
  error: null,
  async loadApp() {
    const [info, settings] = await Promise.all([api().app.info({}), api().settings.get({})]);
    set({ info, settings });
  },
  async writeSetting(change) {
    try {
      set({ settings: await api().settings.set(change) });
    } catch (error) {
      get().showError(error);
    }
  },
  setConnection: (connection) => set({ connection }),
  setSettings: (settings) => set({ settings }),
  setLocalActor: (localActor) => set((s) => (s.info ? { info: { ...s.info, localActor } } : {})),
  showError: (error) => set({ error: toErrorData(error) }),
  dismissError: () => set({ error: null }),
});
