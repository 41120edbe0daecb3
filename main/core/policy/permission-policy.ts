// Which browser permissions a meeting window grants (main/shell/meeting-window.ts wires
// these into setPermissionRequestHandler and setPermissionCheckHandler). A call needs the
// camera and microphone, screen sharing, notifications and fullscreen, and only from the
// meeting's own origins; everything else (geolocation, MIDI, USB, clipboard reads, …) and
// every other origin is refused, as is any origin not on the meeting hosts allow-list
// (meeting-hosts.ts), whatever the call went through. The app's main window grants nothing.
import { originOf } from '../../../shared/meetings/room-link';
import { isAllowedMeetingUrl, type MeetingHostsView } from './meeting-hosts';

export const meetingPermissions = ['media', 'display-capture', 'notifications', 'fullscreen'] as const;

export interface PermissionQuery {
  /** Electron's permission name, e.g. "media", "geolocation". */
  permission: string;
  /** The URL (or origin) of the frame asking. */
  requestingUrl: string;
  /** For "media": the kinds asked for ("audio", "video"). */
  mediaTypes?: readonly string[];
  /** False for permission checks (queries), true for requests (prompts). */
  isRequest: boolean;
}

/** `callOrigins`: the origins the call went through (MeetingSession.origins). */
export function decideMeetingPermission(query: PermissionQuery, callOrigins: readonly string[], hosts: MeetingHostsView): boolean {
  if (!(meetingPermissions as readonly string[]).includes(query.permission)) return false;
  const origin = originOf(query.requestingUrl);
  if (!origin || !callOrigins.includes(origin) || !isAllowedMeetingUrl(hosts, origin)) return false;
  if (query.permission === 'media' && query.isRequest) {
    const types = query.mediaTypes ?? [];
    return types.length > 0 && types.every((t) => t === 'audio' || t === 'video');
  }
  return true;
}

export interface DisplaySource {
  id: string;
  name: string;
}

export interface DisplayPickerModel {
  /** Button labels, in order: one per source, then Cancel. */
  buttons: string[];
  /** The source id for each button; null for Cancel. */
  sourceIds: (string | null)[];
  cancelId: number;
}

/** At most this many sources are offered; more would not fit a dialog. */
export const maxDisplaySources = 12;

/**
 * The screen and window picker shown when a call asks to share the screen: screens first,
 * then windows, each named, then Cancel.
 */
export function displayPickerModel(
  sources: readonly DisplaySource[],
  t: (key: string, params?: Record<string, string | number>) => string,
): DisplayPickerModel {
  const screens = sources.filter((s) => s.id.startsWith('screen:'));
  const windows = sources.filter((s) => !s.id.startsWith('screen:'));
  const shown = [...screens, ...windows].slice(0, maxDisplaySources);
  const buttons = shown.map((s, i) =>
    s.id.startsWith('screen:') ? t('meetings:share.screen', { number: screens.indexOf(s) + 1, name: s.name || String(i + 1) }) : t('meetings:share.window', { name: s.name.slice(0, 60) || '?' }),
  );
  return { buttons: [...buttons, t('meetings:share.cancel')], sourceIds: [...shown.map((s) => s.id), null], cancelId: shown.length };
}
