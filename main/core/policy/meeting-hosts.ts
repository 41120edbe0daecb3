// Which servers meetings may use (the allow-list; shared/meetings/meeting-hosts.ts has the
// shapes). coop.json's greenlight.hosts and bbb.hosts, when it lists any, are the whole
// list; otherwise the member's trusted hosts from Settings › Meetings and the BigBlueButton
// server an operator configured. Room links added to circles, joins, deep links, the
// meeting window's navigation and its camera, microphone and screen permissions all ask
// these functions.
import { addressMatchesPattern, type CoopConfig } from '../../../shared/coop-config';
import type { MeetingHostEntry, MeetingHostsView } from '../../../shared/meetings/meeting-hosts';
import { originOf } from '../../../shared/meetings/room-link';

export type { MeetingHostsView };

/** coop.json's meeting hosts: Greenlight's and BigBlueButton's together. */
export function coopMeetingHosts(config: CoopConfig | null): string[] {
  return [...(config?.greenlight?.hosts ?? []), ...(config?.bbb?.hosts ?? [])];
}

export function allowedMeetingHosts(input: { coop: readonly string[]; trusted: readonly string[]; apiUrl: string | null }): MeetingHostsView {
  if (input.coop.length > 0) return { decidedBy: 'coop', entries: input.coop.map((pattern) => ({ pattern, source: 'coop' })) };
  const entries: MeetingHostEntry[] = input.trusted.map((pattern) => ({ pattern, source: 'member' }));
  const api = input.apiUrl === null ? null : originOf(input.apiUrl);
  if (api && !entries.some((e) => addressMatchesPattern(e.pattern, api))) entries.push({ pattern: api, source: 'api' });
  return { decidedBy: 'member', entries };
}

/** True when the URL's server is on the list. */
export function isAllowedMeetingUrl(hosts: MeetingHostsView, url: string): boolean {
  const origin = originOf(url);
  return origin !== null && hosts.entries.some((entry) => addressMatchesPattern(entry.pattern, origin));
}

export type MeetingHostDecision =
  | { allowed: true }
  /** host: the server's name for messages; origin: what "trust this host" would add. */
  | { allowed: false; host: string; origin: string; decidedBy: 'coop' | 'member' };

export function decideMeetingHost(hosts: MeetingHostsView, url: string): MeetingHostDecision {
  if (isAllowedMeetingUrl(hosts, url)) return { allowed: true };
  const origin = originOf(url) ?? '';
  const host = origin.replace(/^[a-z]+:\/\//, '');
  return { allowed: false, host, origin, decidedBy: hosts.decidedBy };
}

/** The English sentence for logs and the error's message; the renderer translates from params. */
export function meetingHostRefusal(decision: Extract<MeetingHostDecision, { allowed: false }>): string {
  return decision.decidedBy === 'coop'
    ? `${decision.host} is not one of your coop's meeting hosts: the coop's configuration (coop.json) does not list it.`
    : `${decision.host} is not one of your meeting hosts: add it in Settings › Meetings › Trusted hosts.`;
}
