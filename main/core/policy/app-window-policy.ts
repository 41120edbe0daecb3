// Decisions for Plenary's main window, made here so they are unit-tested; the Electron
// shell (main/shell) only applies them.

/** The scheme and host the packaged renderer is served from inside Electron. */
export const appScheme = 'plenary-app';
export const appOrigin = `${appScheme}://app`;

/** IPC is answered only for frames showing Plenary's own pages. */
export function isTrustedSender(frameUrl: string | undefined | null): boolean {
  if (!frameUrl) return false;
  try {
    const url = new URL(frameUrl);
    return `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}

export type NavigationDecision = { action: 'allow' } | { action: 'deny' } | { action: 'open-external'; url: string };

/** Links users may open in their system browser: web pages and mail, nothing that runs code. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/**
 * The main window never leaves Plenary's own pages: in-app navigation is allowed, web
 * links go to the system browser, anything else (file:, javascript:, custom schemes) is
 * refused.
 */
export function decideMainWindowNavigation(target: string): NavigationDecision {
  if (isTrustedSender(target)) return { action: 'allow' };
  if (isSafeExternalUrl(target)) return { action: 'open-external', url: target };
  return { action: 'deny' };
}

/** window.open from the main window never creates an Electron window. */
export function decideMainWindowOpen(target: string): NavigationDecision {
  if (isSafeExternalUrl(target)) return { action: 'open-external', url: target };
  return { action: 'deny' };
}

/**
 * Web preferences every Plenary window uses. Shell code spells them out literally in each
 * `new BrowserWindow({ webPreferences: { ... } })`, using the constructor from
 * main/shell/hardened-window.ts, whose type refuses any value that differs from these;
 * the literal lets electronegativity (tests/integration/electronegativity.test.ts) see them.
 */
export const hardenedWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: true,
  // Middle-click on a link would otherwise bypass will-navigate and ask for a new window.
  disableBlinkFeatures: 'Auxclick',
} as const;

/**
 * What a window may set beyond the hardened set: its preload, and for the meeting window
 * its own session partition, no throttling in the background (a call keeps going when
 * hidden) and no spell checker. Nothing here can weaken isolation.
 */
export type HardenedWebPreferences = Omit<typeof hardenedWebPreferences, 'spellcheck'> & {
  spellcheck: boolean;
  preload?: string;
  partition?: string;
  backgroundThrottling?: boolean;
};

/**
 * Permissions Plenary's own pages may use: writing text to the clipboard ("copy link").
 * Everything else (camera, microphone, notifications, geolocation, USB, HID, MIDI…) is
 * refused: meetings run in their own window with their own session and prompts.
 */
const appPagePermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function decideAppPagePermission(permission: string, requestingUrl: string | undefined | null): boolean {
  return appPagePermissions.has(permission) && isTrustedSender(requestingUrl);
}

/**
 * Whether the built-in spell checker may run. On Linux Chromium downloads its dictionaries
 * from Google's servers, and Plenary talks only to the coop's own servers; macOS and
 * Windows use the operating system's checker, which downloads nothing.
 */
export function spellCheckerAllowed(platform: string): boolean {
  return platform === 'darwin' || platform === 'win32';
}
