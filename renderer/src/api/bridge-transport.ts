// The browser bridge transport: the contract's calls and events over a WebSocket to the
// loopback bridge (main/bridge). It reconnects when the socket drops and reports its state
// so the shell can show that contact was lost.
import type { PlenaryTransport } from '../../../shared/contract/preload-api';
import type { CallOutcome } from '../../../shared/errors';

export type BridgeState = 'connecting' | 'open' | 'lost';

const tokenKey = 'plenary.bridgeToken';

/** Takes the token from the URL fragment once, then keeps it for reloads of this tab only. */
export function takeBridgeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(tokenKey, match[1]);
    history.replaceState(null, '', location.pathname + location.search + '#/today');
    return match[1];
  }
  return storage.getItem(tokenKey);
}

export function createBridgeTransport(url: string, onState: (state: BridgeState) => void): PlenaryTransport {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, { resolve: (outcome: CallOutcome<unknown>) => void; message: string; sent: boolean }>();
  const listeners = new Set<(event: string, payload: unknown) => void>();

  const connect = () => {
    onState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      onState('open');
      // Calls made while the socket was down go out now.
      for (const entry of pending.values()) {
        if (!entry.sent) {
          ws.send(entry.message);
          entry.sent = true;
        }
      }
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      const data = JSON.parse(event.data) as { id?: number | null; event?: string; payload?: unknown } & CallOutcome<unknown>;
      if (typeof data.event === 'string') {
        for (const listener of listeners) listener(data.event, data.payload);
        return;
      }
      if (typeof data.id === 'number') {
        const entry = pending.get(data.id);
        pending.delete(data.id);
        entry?.resolve(data.ok ? { ok: true, value: data.value } : { ok: false, error: data.error });
      }
    };
    ws.onclose = () => {
      onState('lost');
      // A call in flight when contact was lost may or may not have run; it fails with a
      // clear error instead of being sent twice.
      for (const [id, entry] of pending) {
        if (!entry.sent) continue;
        pending.delete(id);
        entry.resolve({ ok: false, error: { code: 'offline', message: 'Lost contact with the Plenary core before it answered' } });
      }
      socket = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    invoke(channel, input) {
      const id = nextId++;
      const message = JSON.stringify({ id, channel, input });
      return new Promise((resolve) => {
        const sent = socket?.readyState === WebSocket.OPEN;
        pending.set(id, { resolve, message, sent });
        if (sent) socket!.send(message);
      });
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
