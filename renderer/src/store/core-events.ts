// Routes core events into the store. Each feature adds its events here.
import { usePlenary } from './index';
import type { SettingsView } from '../../../shared/settings';
import type { EventName } from '../../../shared/contract';
import type { GovernanceChanged } from '../../../shared/contract/governance';

type Subscribe = (listener: (event: string, payload: unknown) => void) => () => void;

const routes: Partial<Record<EventName, (payload: unknown) => void>> = {
  'settings.changed': (payload) => usePlenary.getState().setSettings(payload as SettingsView),
  'governance.changed': (payload) => usePlenary.getState().governanceChanged((payload as GovernanceChanged).circles),
};

export function subscribeToCoreEvents(subscribe: Subscribe): () => void {
  return subscribe((event, payload) => routes[event as EventName]?.(payload));
}
