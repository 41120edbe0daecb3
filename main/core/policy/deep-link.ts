// Links handed to the app from outside: `plenary://join?…` (registered as the app's
// protocol) and https room links, arriving as command-line arguments (first launch and
// second-instance on Windows and Linux) or through open-url (macOS). Anything malformed is
// ignored with a reason for the log; nothing here throws. Because any web page can fire a
// plenary:// link, a link is only joined when its host is on the meeting hosts allow-list
// (meeting-hosts.ts); any other is refused in words and can open in the system browser, and
// no dialog lets a link add a host (decideDeepLinkJoin).
//
//   plenary://join?url=<room link, URL-encoded>   a Greenlight or BBB link (room-link.ts)
//   plenary://join?room=<room id>                  a room attached to one of the member's circles
//   https://host/b/abc-def-ghi …                   a room link given directly
//   plenary://discourse-auth?payload=<…>           the forum's answer to Plenary's User API key
//                                                  request (forum/forum-service.ts); it only
//                                                  completes a sign-in this computer started,
//                                                  with the key pair only it holds
import { parseQuery, parseRoomLink, type RoomLink } from '../../../shared/meetings/room-link';
import { decideMeetingHost, type MeetingHostsView } from './meeting-hosts';

export const deepLinkScheme = 'plenary';

export type DeepLinkAction = { kind: 'join-link'; link: RoomLink } | { kind: 'join-room'; roomId: string } | { kind: 'discourse-auth'; payload: string };

export type DeepLinkResult = { ok: true; action: DeepLinkAction } | { ok: false; reason: string };

const maxArgLength = 4096;
const maxArgs = 64;
const roomIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Shortens untrusted text for a log line. */
export function forLog(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

export function parseDeepLink(raw: string): DeepLinkResult {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'empty link' };
  if (raw.length > maxArgLength) return { ok: false, reason: `link longer than ${maxArgLength} characters` };
  const plenary = /^plenary:(?:\/\/)?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i.exec(raw);
  if (plenary) {
    const target = plenary[1]!.replace(/\/+$/, '').toLowerCase();
    if (target === 'discourse-auth') return parseDiscourseAuth(plenary[2] ?? '');
    if (target !== 'join') return { ok: false, reason: `unknown plenary:// action "${forLog(target)}"; only plenary://join and plenary://discourse-auth are supported` };
    const params = parseQuery(plenary[2] ?? '');
    if (!params) return { ok: false, reason: 'plenary://join has a badly encoded parameter' };
    const keys = [...params.keys()];
    if (keys.some((k) => k !== 'url' && k !== 'room')) return { ok: false, reason: `plenary://join has unknown parameters (${forLog(keys.join(', '))})` };
    const url = params.get('url');
    const room = params.get('room');
    if ((url === undefined) === (room === undefined)) return { ok: false, reason: 'plenary://join needs exactly one of url= or room=' };
    if (room !== undefined) {
      return roomIdPattern.test(room) ? { ok: true, action: { kind: 'join-room', roomId: room } } : { ok: false, reason: `"${forLog(room)}" is not a room id` };
    }
    const parsed = parseRoomLink(url!);
    return parsed.ok ? { ok: true, action: { kind: 'join-link', link: parsed.link } } : { ok: false, reason: parsed.message };
  }
  if (/^https?:\/\//i.test(raw)) {
    const parsed = parseRoomLink(raw);
    return parsed.ok ? { ok: true, action: { kind: 'join-link', link: parsed.link } } : { ok: false, reason: parsed.message };
  }
  return { ok: false, reason: 'not a plenary:// or https:// link' };
}

/** Base64 with the line breaks Ruby's Base64.encode64 puts in; an RSA-2048 payload is about 350 characters. */
const payloadPattern = /^[A-Za-z0-9+/=\r\n]{16,2048}$/;

function parseDiscourseAuth(query: string): DeepLinkResult {
  const params = parseQuery(query);
  if (!params) return { ok: false, reason: 'plenary://discourse-auth has a badly encoded parameter' };
  const keys = [...params.keys()];
  if (keys.length !== 1 || keys[0] !== 'payload') return { ok: false, reason: `plenary://discourse-auth needs exactly payload= (got ${forLog(keys.join(', ') || 'nothing')})` };
  const payload = params.get('payload')!;
  return payloadPattern.test(payload) ? { ok: true, action: { kind: 'discourse-auth', payload } } : { ok: false, reason: 'plenary://discourse-auth has a payload that is not base64' };
}

/**
 * The link among command-line arguments, if any. Arguments that are not links at all
 * (the executable, ".", Chromium switches, file paths) are skipped silently; link-like
 * arguments that do not parse are returned as rejected so the shell can log them.
 */
export function deepLinkFromArgv(argv: readonly unknown[]): { action: DeepLinkAction | null; rejected: { arg: string; reason: string }[] } {
  const rejected: { arg: string; reason: string }[] = [];
  if (!Array.isArray(argv)) return { action: null, rejected };
  for (const arg of argv.slice(0, maxArgs)) {
    if (typeof arg !== 'string' || arg.startsWith('-')) continue;
    if (!/^[a-z][a-z0-9+.-]*:/i.test(arg) || /^[a-z]:[\\/]/i.test(arg)) continue; // not a URL, or a Windows path (C:\…)
    const result = parseDeepLink(arg);
    if (result.ok) return { action: result.action, rejected };
    rejected.push({ arg: forLog(arg), reason: result.reason });
  }
  return { action: null, rejected };
}

export type DeepLinkJoinDecision = { kind: 'join' } | { kind: 'refuse'; url: string; host: string; decidedBy: 'coop' | 'member' };

/**
 * Whether a link's room (for plenary://join?room=, the stored room's link) may be joined:
 * only on an allowed meeting host. A refusal names the host and who decides, so the shell
 * can say which setting to change, and offers the system browser instead.
 */
export function decideDeepLinkJoin(roomUrl: string, hosts: MeetingHostsView): DeepLinkJoinDecision {
  const decision = decideMeetingHost(hosts, roomUrl);
  return decision.allowed ? { kind: 'join' } : { kind: 'refuse', url: roomUrl, host: decision.host, decidedBy: decision.decidedBy };
}
