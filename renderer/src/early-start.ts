// What the renderer starts before React and the app are evaluated: main.tsx, the entry,
// imports this and only then loads start-app.tsx. So the bridge's socket handshake, the
// shell's first data and the first view's download all run while React is still arriving.
// Nothing here touches the store or React: start-app.tsx takes over the connection state,
// the answers and the events that arrived meanwhile.
import type { PlenaryTransport } from '../../shared/contract/preload-api';
import type { BridgeState } from './api/bridge-transport';
import { installApi } from './api/client';
import { chooseTransport } from './api/transport';
import { parseRoute } from './store/nav-slice';
import { preloadView } from './views/view-loaders';

let latestState: BridgeState = 'connecting';
let followState: ((state: BridgeState) => void) | null = null;

/** The transport to the core, or why there is none (a browser tab opened without its token). */
export const earlyTransport = chooseTransport((state) => {
  latestState = state;
  followState?.(state);
});

// Events the core sends before start-app.tsx subscribes (a change between these first
// answers and the subscription would otherwise be missed).
const earlyEvents: [string, unknown][] = [];
const stopKeepingEvents = 'error' in earlyTransport ? () => undefined : earlyTransport.on((event, payload) => earlyEvents.push([event, payload]));

function askFirst(transport: PlenaryTransport) {
  const api = installApi(transport);
  const answers = { status: api.data.status({}), info: api.app.info({}), settings: api.settings.get({}) };
  // Whoever awaits them sees a failure; these only keep it from being reported as unhandled.
  for (const answer of Object.values(answers)) answer.catch(() => undefined);
  return answers;
}

/** The core's first answers, asked for now: whether the data opened, and what the shell shows. */
export const earlyAnswers = 'error' in earlyTransport ? null : askFirst(earlyTransport);

// The first view's code, fetched now so it is usually here when the shell has painted.
preloadView(parseRoute(window.location.hash).section);

/** Hands the bridge's connection state, the current one first, to the shell. */
export function followConnectionState(listener: (state: BridgeState) => void): void {
  followState = listener;
  listener(latestState);
}

/** The events that arrived before the shell subscribed, once; later ones go to the subscriber. */
export function takeEarlyEvents(): [string, unknown][] {
  stopKeepingEvents();
  return earlyEvents.splice(0);
}
