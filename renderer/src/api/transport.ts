// Picks the transport: the preload's IPC bridge inside Electron, the loopback WebSocket
// bridge in a browser.
import { preloadGlobalName, type PlenaryTransport } from '../../../shared/contract/preload-api';
import { createBridgeTransport, takeBridgeToken, type BridgeState } from './bridge-transport';

declare global {
  interface Window {
    [preloadGlobalName]?: PlenaryTransport;
  }
}

export function chooseTransport(onBridgeState: (state: BridgeState) => void): PlenaryTransport | { error: 'no-token' } {
  const preload = window[preloadGlobalName];
  if (preload) return preload;
  const token = takeBridgeToken(window.location, window.sessionStorage, window.history);
  if (!token) return { error: 'no-token' };
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/bridge?token=${encodeURIComponent(token)}`;
  return createBridgeTransport(url, onBridgeState);
}
