// Decisions for the meeting windows (main/shell/meeting-window.ts applies them through the
// shell's one navigation guard per webContents). A meeting window shows one call: the
// room's page (Greenlight or a BBB join URL), the BBB server it leads to, and any host a
// load balancer such as Scalelite redirects the join to, each admitted only when it is on
// the meeting hosts allow-list (meeting-hosts.ts). Those origins, and only those, may
// navigate in the window and receive camera, microphone and screen access
// (permission-policy.ts). Anything else opens in the system browser. A breakout room BBB
// opens from the call gets a meeting window of its own.
import { originOf } from '../../../shared/meetings/room-link';
import { hardenedWebPreferences, isSafeExternalUrl } from './app-window-policy';
import { isAllowedMeetingUrl, type MeetingHostsView } from './meeting-hosts';

/** A persistent partition of its own, so BBB's and Greenlight's cookies never mix with the app's. */
export const meetingPartition = 'persist:meeting';

export const meetingWebPreferences = {
  ...hardenedWebPreferences,
  partition: meetingPartition,
  // A call keeps its audio and video going while the window is hidden or minimised.
  backgroundThrottling: false,
  spellcheck: false,
} as const;

export interface MeetingSession {
  /** The URL the window opened: a Greenlight room or a BBB join URL. */
  startUrl: string;
  /** Origins the call may use: the room's, then the BBB and media hosts it led to. */
  origins: readonly string[];
  /** The logout URL of a meeting Plenary created, if any. */
  logoutUrl?: string;
  /** Whether the window has reached the BBB client (/html5client/), i.e. is in the call. */
  inCall: boolean;
}

export type MeetingNavigationDecision =
  | { action: 'allow'; session: MeetingSession }
  | { action: 'open-external'; url: string }
  | { action: 'leave' }
  | { action: 'deny'; reason: string };

function pathOf(url: string): string {
  const match = /^[a-z]+:\/\/[^/?#]*(\/[^?#]*)?/i.exec(url);
  return match?.[1] ?? '/';
}

/** BBB's join entry point (on BBB itself or on a load balancer), carrying its checksum. */
export function isBbbJoinUrl(url: string): boolean {
  return /\/bigbluebutton\/api\/join$/.test(pathOf(url)) && /[?&]checksum=[0-9a-f]{40,128}(&|$)/i.test(url);
}

/** The BBB HTML5 client, where the call happens. */
export function isBbbClientUrl(url: string): boolean {
  return pathOf(url).startsWith('/html5client/');
}

/** Opens a session for a URL the window may start on; null for anything else. */
export function startMeetingSession(startUrl: string, options: { logoutUrl?: string } = {}): MeetingSession | null {
  const origin = originOf(startUrl);
  if (!origin) return null;
  const session: MeetingSession = { startUrl, origins: [origin], inCall: isBbbClientUrl(startUrl) };
  if (options.logoutUrl !== undefined) session.logoutUrl = options.logoutUrl;
  return session;
}

function isSecureOrLoopback(origin: string): boolean {
  return origin.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin);
}

/**
 * Where the meeting window may go. `redirect` is true for server redirects (will-redirect),
 * false for navigations the page starts (will-navigate); `mainFrame` is false for frames
 * inside the page (BBB's shared notes, an embedded video), which do not move the call.
 *  - Pages on the session's origins are allowed; reaching /html5client/ marks the call as on.
 *  - A new host is admitted only when it is on the meeting hosts allow-list, and only for
 *    a signed BBB join URL, or for the BBB client when a server redirected there
 *    (Greenlight -> BBB, Scalelite -> a BBB server).
 *  - Once in the call, leaving the client (BBB sends people to the logout URL when the
 *    meeting ends or they leave) ends the call: the window closes.
 *  - Other web links open in the system browser; other schemes are refused.
 */
export function decideMeetingNavigation(
  session: MeetingSession,
  url: string,
  options: { redirect: boolean; mainFrame?: boolean },
  hosts: MeetingHostsView,
): MeetingNavigationDecision {
  if (options.mainFrame === false) return { action: 'allow', session };
  const origin = originOf(url);
  if (session.inCall && (url === session.logoutUrl || (origin !== null && !isBbbClientUrl(url)))) return { action: 'leave' };
  if (origin && session.origins.includes(origin)) {
    return { action: 'allow', session: { ...session, inCall: session.inCall || isBbbClientUrl(url) } };
  }
  const entersCall = isBbbJoinUrl(url) || (options.redirect && isBbbClientUrl(url));
  if (origin && isSecureOrLoopback(origin) && entersCall && isAllowedMeetingUrl(hosts, url)) {
    return { action: 'allow', session: { ...session, origins: [...session.origins, origin], inCall: session.inCall || isBbbClientUrl(url) } };
  }
  if (isSafeExternalUrl(url)) return { action: 'open-external', url };
  return { action: 'deny', reason: `navigation to ${url.slice(0, 80)} is not part of the meeting` };
}

export type MeetingWindowOpenDecision = { action: 'breakout'; url: string } | { action: 'open-external'; url: string } | { action: 'deny' };

/**
 * window.open from a call. BBB opens a breakout room as a signed join URL: on an allowed
 * host, during the call, that becomes a meeting window of its own (the main call stays).
 * Anything else (shared links, the learning dashboard) goes to the system browser.
 */
export function decideMeetingWindowOpen(session: MeetingSession, url: string, hosts: MeetingHostsView): MeetingWindowOpenDecision {
  const origin = originOf(url);
  if (session.inCall && origin && isSecureOrLoopback(origin) && isBbbJoinUrl(url) && isAllowedMeetingUrl(hosts, url)) return { action: 'breakout', url };
  return isSafeExternalUrl(url) ? { action: 'open-external', url } : { action: 'deny' };
}

/** Keep the display awake while the call is on, so a presentation or video does not go dark. */
export function shouldBlockDisplaySleep(session: MeetingSession | null): boolean {
  return session?.inCall === true;
}
