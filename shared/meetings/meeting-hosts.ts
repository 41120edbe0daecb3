// The servers meetings may use: the allow-list behind room links, joining, the meeting
// window's navigation and its camera, microphone and screen permissions. A coop that lists
// Greenlight or BigBlueButton hosts in coop.json decides it alone; otherwise each member
// keeps their own list of trusted hosts (Settings › Meetings › Trusted hosts), and the
// BigBlueButton server an operator configured counts too. Decisions on these lists are in
// main/core/policy/meeting-hosts.ts; this file holds what main and the renderer share:
// the view's shape and how a host the member types becomes a pattern.
import { formatServerAddress, isLoopbackHost, parseServerAddress } from '../coop-config';

/** Where an allowed host comes from: coop.json, the member's own list, or the operator's BigBlueButton API address. */
export type MeetingHostSource = 'coop' | 'member' | 'api';

export interface MeetingHostEntry {
  /** "https://host[:port]" or "https://*.parent" (one level of sub-domains). */
  pattern: string;
  source: MeetingHostSource;
}

export interface MeetingHostsView {
  /** 'coop' when coop.json lists meeting hosts (the member's list is then not used). */
  decidedBy: 'coop' | 'member';
  entries: MeetingHostEntry[];
}

export const maxTrustedMeetingHosts = 50;

export type MeetingHostInputProblem = 'empty' | 'invalid' | 'insecure';

export type MeetingHostInputResult = { ok: true; pattern: string } | { ok: false; problem: MeetingHostInputProblem };

/**
 * Turns what a member types or pastes into a host pattern: "meet.example.coop", a full
 * room link (its path is dropped) or "https://*.example.coop". https only, except plain
 * http on this computer (local test servers); default ports are dropped.
 */
export function normalizeMeetingHostInput(raw: string): MeetingHostInputResult {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(withScheme);
  const address = match ? parseServerAddress(`${match[1]}://${match[2]}`) : null;
  if (!address) return { ok: false, problem: 'invalid' };
  if (address.scheme === 'http' && !isLoopbackHost(address.host)) return { ok: false, problem: 'insecure' };
  const defaultPort = address.scheme === 'https' ? 443 : 80;
  return { ok: true, pattern: formatServerAddress({ ...address, port: address.port === defaultPort ? null : address.port, path: '' }) };
}
