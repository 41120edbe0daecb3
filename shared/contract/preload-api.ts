// What the preload script exposes on `window.plenary`: one function to make a call and one
// to listen to events, both restricted to the names in the contract. The browser bridge
// transport offers the same two functions over a WebSocket.
import type { CallOutcome } from '../errors';

export interface PlenaryTransport {
  invoke(channel: string, input: unknown): Promise<CallOutcome<unknown>>;
  /** Returns a function that stops listening. */
  on(listener: (event: string, payload: unknown) => void): () => void;
}

export const preloadGlobalName = 'plenary';
/** The single IPC channel pair between preload and main; the call name travels inside. */
export const ipcCallChannel = 'plenary:call';
export const ipcEventChannel = 'plenary:event';
