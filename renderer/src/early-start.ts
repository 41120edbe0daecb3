// What the renderer starts before the rest of its code is evaluated: main.tsx imports this
// first, so the bridge's socket handshake and the first view's download run while React and
// the app's modules are still being evaluated (about 30 ms of the first paint on our machines).
// Nothing here touches the store or React: the connection state is kept until main.tsx
// follows it.
import type { BridgeState } from './api/bridge-transport';
import { chooseTransport } from './api/transport';
import { parseRoute } from './store/nav-slice';
import { preloadView } from './views';

let latestState: BridgeState = 'connecting';
let followState: ((state: BridgeState) => void) | null = null;

/** The transport to the core, or why there is none (a browser tab opened without its token). */
export const earlyTransport = chooseTransport((state) => {
  latestState = state;
  followState?.(state);
});

// The first view's code, fetched now so it is usually here when the shell has painted.
preloadView(parseRoute(window.location.hash).section);

/** Hands the bridge's connection state, the current one first, to the shell. */
export function followConnectionState(listener: (state: BridgeState) => void): void {
  followState = listener;
  listener(latestState);
}
