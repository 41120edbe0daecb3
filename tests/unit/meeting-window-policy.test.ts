// The meeting window's decisions: which origins a call may use (the room's, and the hosts
// Greenlight and a load balancer lead to, only when on the meeting hosts allow-list), which
// permissions they get, where navigation and window.open go (a breakout room gets its own
// window), when the call is on (display sleep) and when leaving ends it.
import { describe, expect, it } from 'vitest';
import {
  decideMeetingNavigation,
  decideMeetingWindowOpen,
  meetingPartition,
  meetingWebPreferences,
  shouldBlockDisplaySleep,
  startMeetingSession,
  type MeetingSession,
} from '../../main/core/policy/meeting-window-policy';
import { decideMeetingPermission, displayPickerModel } from '../../main/core/policy/permission-policy';
import type { MeetingHostsView } from '../../main/core/policy/meeting-hosts';

/** The coop lists its Greenlight and every BBB server one level below example.coop. */
const hosts: MeetingHostsView = { decidedBy: 'coop', entries: [{ pattern: 'https://meet.example.coop', source: 'coop' }, { pattern: 'https://*.example.coop', source: 'coop' }] };
const onlyGreenlight: MeetingHostsView = { decidedBy: 'member', entries: [{ pattern: 'https://meet.example.coop', source: 'member' }] };

const checksum = 'c'.repeat(64);
const greenlight = 'https://meet.example.coop/b/abc-def-ghi';
const bbbJoin = `https://bbb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m&checksum=${checksum}`;
const scaleliteJoin = `https://lb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m&checksum=${checksum}`;
const client = 'https://bbb3.example.coop/html5client/join?sessionToken=abc';

function session(url = greenlight): MeetingSession {
  const s = startMeetingSession(url);
  if (!s) throw new Error('no session');
  return s;
}

function follow(s: MeetingSession, url: string, redirect: boolean): MeetingSession {
  const decision = decideMeetingNavigation(s, url, { redirect }, hosts);
  if (decision.action !== 'allow') throw new Error(`expected allow for ${url}, got ${JSON.stringify(decision)}`);
  return decision.session;
}

describe('meeting window: origins and navigation', () => {
  it('starts only on http(s) URLs, with the room origin allowed', () => {
    expect(session().origins).toEqual(['https://meet.example.coop']);
    expect(startMeetingSession('javascript:alert(1)')).toBeNull();
    expect(startMeetingSession('file:///etc/passwd')).toBeNull();
    expect(startMeetingSession('plenary://join')).toBeNull();
  });

  it('follows Greenlight -> BBB join -> load balancer -> BBB client, admitting each host', () => {
    let s = session();
    s = follow(s, 'https://meet.example.coop/b/abc-def-ghi/join', false);
    s = follow(s, scaleliteJoin, true); // Greenlight redirects to the load balancer's join
    s = follow(s, client, true); // Scalelite redirects the join to a BBB server's client
    expect(s.origins).toEqual(['https://meet.example.coop', 'https://lb.example.coop', 'https://bbb3.example.coop']);
    expect(s.inCall).toBe(true);
    expect(shouldBlockDisplaySleep(s)).toBe(true);
  });

  it('admits a BBB join URL the Greenlight 3 page navigates to itself', () => {
    const s = follow(session('https://gl.example.coop/rooms/abc-def-ghi-jkl/join'), bbbJoin, false);
    expect(s.origins).toContain('https://bbb.example.coop');
    expect(s.inCall).toBe(false);
    expect(shouldBlockDisplaySleep(s)).toBe(false);
  });

  it('does not admit a BBB client page on a new host unless a server redirected there', () => {
    expect(decideMeetingNavigation(session(), client, { redirect: false }, hosts)).toEqual({ action: 'open-external', url: client });
  });

  it('does not admit join URLs without a checksum, or on plain http', () => {
    expect(decideMeetingNavigation(session(), 'https://evil.example/bigbluebutton/api/join?meetingID=x', { redirect: true }, hosts).action).toBe('open-external');
    expect(decideMeetingNavigation(session(), `http://evil.example/bigbluebutton/api/join?checksum=${checksum}`, { redirect: true }, hosts).action).toBe('open-external');
  });

  it('sends other web links to the system browser and refuses other schemes', () => {
    expect(decideMeetingNavigation(session(), 'https://www.meet.coop/handbook', { redirect: false }, hosts)).toEqual({ action: 'open-external', url: 'https://www.meet.coop/handbook' });
    expect(decideMeetingNavigation(session(), 'javascript:alert(1)', { redirect: false }, hosts).action).toBe('deny');
    expect(decideMeetingNavigation(session(), 'file:///etc/passwd', { redirect: true }, hosts).action).toBe('deny');
    expect(decideMeetingNavigation(session(), 'https://user@meet.example.coop/', { redirect: false }, hosts).action).not.toBe('allow');
  });

  it('ends the call when BBB sends the member to the logout URL, or anywhere off the client', () => {
    const inCall = follow(follow(session(), bbbJoin, false), 'https://bbb.example.coop/html5client/join?sessionToken=x', true);
    expect(decideMeetingNavigation(inCall, 'https://bbb.example.coop/html5client/feedback', { redirect: false }, hosts).action).toBe('allow');
    expect(decideMeetingNavigation(inCall, greenlight, { redirect: false }, hosts)).toEqual({ action: 'leave' });
    expect(decideMeetingNavigation(inCall, 'https://www.meet.coop/', { redirect: false }, hosts)).toEqual({ action: 'leave' });
    const withLogout = { ...inCall, logoutUrl: 'https://bbb.example.coop/' };
    expect(decideMeetingNavigation(withLogout, 'https://bbb.example.coop/', { redirect: true }, hosts)).toEqual({ action: 'leave' });
  });

  it('admits a new host only when it is on the allow-list, however the call gets there', () => {
    expect(decideMeetingNavigation(session(), bbbJoin, { redirect: true }, onlyGreenlight)).toEqual({ action: 'open-external', url: bbbJoin });
    const joined = follow(session(), scaleliteJoin, true);
    expect(decideMeetingNavigation(joined, client, { redirect: true }, onlyGreenlight).action).toBe('open-external');
    const unlisted = 'https://bbb.elsewhere.example/html5client/join?sessionToken=abc';
    expect(decideMeetingNavigation(joined, unlisted, { redirect: true }, hosts)).toEqual({ action: 'open-external', url: unlisted });
    // Pages on origins the call already went through stay allowed.
    expect(decideMeetingNavigation(session(), 'https://meet.example.coop/b/abc-def-ghi/join', { redirect: false }, onlyGreenlight).action).toBe('allow');
  });

  it('leaves frames inside the page alone: they do not move the call', () => {
    const s = session();
    expect(decideMeetingNavigation(s, 'https://www.youtube-nocookie.com/embed/x', { redirect: true, mainFrame: false }, hosts)).toEqual({ action: 'allow', session: s });
  });

  it('opens a breakout room (a signed join on an allowed host, from the call) as a window of its own', () => {
    const inCall = follow(follow(session(), bbbJoin, false), 'https://bbb.example.coop/html5client/join?sessionToken=x', true);
    const breakout = `https://bbb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m-1&checksum=${checksum}`;
    expect(decideMeetingWindowOpen(inCall, breakout, hosts)).toEqual({ action: 'breakout', url: breakout });
    expect(decideMeetingWindowOpen(inCall, breakout.replace('bbb.example.coop', 'bbb.elsewhere.example'), hosts).action).toBe('open-external');
    expect(decideMeetingWindowOpen(session(), breakout, hosts).action).toBe('open-external'); // not in a call yet
    expect(decideMeetingWindowOpen(inCall, 'https://bbb.example.coop/learning-dashboard/', hosts)).toEqual({ action: 'open-external', url: 'https://bbb.example.coop/learning-dashboard/' });
    expect(decideMeetingWindowOpen(inCall, 'javascript:alert(1)', hosts)).toEqual({ action: 'deny' });
    expect(decideMeetingWindowOpen(inCall, 'data:text/html,x', hosts)).toEqual({ action: 'deny' });
  });

  it('uses a hardened, persistent partition of its own that keeps running in the background', () => {
    expect(meetingPartition).toBe('persist:meeting');
    expect(meetingWebPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, partition: 'persist:meeting', backgroundThrottling: false });
    expect(shouldBlockDisplaySleep(null)).toBe(false);
  });
});

describe('meeting window: permissions', () => {
  const origins = ['https://meet.example.coop', 'https://bbb.example.coop'];
  const ask = (permission: string, requestingUrl: string, extra: { mediaTypes?: string[]; isRequest?: boolean } = {}) =>
    decideMeetingPermission({ permission, requestingUrl, isRequest: extra.isRequest ?? true, ...(extra.mediaTypes ? { mediaTypes: extra.mediaTypes } : {}) }, origins, hosts);

  it('grants camera, microphone, screen, notifications and fullscreen to the meeting origins', () => {
    expect(ask('media', 'https://bbb.example.coop/html5client/join', { mediaTypes: ['audio', 'video'] })).toBe(true);
    expect(ask('media', 'https://bbb.example.coop/html5client/join', { mediaTypes: ['audio'] })).toBe(true);
    expect(ask('display-capture', 'https://bbb.example.coop/')).toBe(true);
    expect(ask('notifications', 'https://bbb.example.coop')).toBe(true);
    expect(ask('fullscreen', 'https://meet.example.coop/b/abc-def-ghi')).toBe(true);
    expect(ask('media', 'https://bbb.example.coop/', { isRequest: false })).toBe(true);
  });

  it('refuses them to any other origin, even a look-alike or a sibling subdomain', () => {
    expect(ask('media', 'https://evil.example/', { mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', 'https://bbb.example.coop.evil.example/', { mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', 'http://bbb.example.coop/', { mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', 'https://bbb.example.coop:8443/', { mediaTypes: ['video'] })).toBe(false);
    expect(ask('display-capture', 'https://other.example.coop/')).toBe(false);
    expect(ask('fullscreen', 'not a url')).toBe(false);
  });

  it('refuses them to a call origin that is not (or no longer) on the allow-list', () => {
    const request = { permission: 'media', requestingUrl: 'https://bbb.example.coop/html5client/join', isRequest: true, mediaTypes: ['audio'] };
    expect(decideMeetingPermission(request, origins, onlyGreenlight)).toBe(false);
    expect(decideMeetingPermission({ ...request, requestingUrl: 'https://meet.example.coop/b/abc-def-ghi' }, origins, onlyGreenlight)).toBe(true);
  });

  it('refuses every other permission, even to the meeting origins', () => {
    for (const permission of ['geolocation', 'midi', 'midiSysex', 'clipboard-read', 'openExternal', 'pointerLock', 'hid', 'serial', 'usb', 'idle-detection', 'unknown']) {
      expect(ask(permission, 'https://bbb.example.coop/'), permission).toBe(false);
    }
  });

  it('refuses media requests that name no kind, or another kind', () => {
    expect(ask('media', 'https://bbb.example.coop/', { mediaTypes: [] })).toBe(false);
    expect(ask('media', 'https://bbb.example.coop/', { mediaTypes: ['video', 'unknown'] })).toBe(false);
  });

  it('builds the screen and window picker: screens first, numbered, then windows, then cancel', () => {
    const t = (key: string, params?: Record<string, string | number>) => `${key}${params ? JSON.stringify(params) : ''}`;
    const model = displayPickerModel(
      [
        { id: 'window:1:0', name: 'Minutes.odt' },
        { id: 'screen:0:0', name: 'Entire screen' },
        { id: 'screen:1:0', name: 'Screen 2' },
      ],
      t,
    );
    expect(model.sourceIds).toEqual(['screen:0:0', 'screen:1:0', 'window:1:0', null]);
    expect(model.buttons[0]).toBe('meetings:share.screen{"number":1,"name":"Entire screen"}');
    expect(model.buttons[2]).toBe('meetings:share.window{"name":"Minutes.odt"}');
    expect(model.buttons[3]).toBe('meetings:share.cancel');
    expect(model.cancelId).toBe(3);
    const many = displayPickerModel(Array.from({ length: 30 }, (_, i) => ({ id: `window:${i}:0`, name: `W${i}` })), t);
    expect(many.buttons).toHaveLength(13);
  });
});

describe('the meeting window as built by the shell', () => {
  it('spells out exactly the policy’s web preferences (literal, so electronegativity can read them)', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { repoRoot } = await import('../helpers/paths');
    const source = readFileSync(join(repoRoot, 'main/shell/meeting-window.ts'), 'utf8');
    const block = /webPreferences: \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const written = Object.fromEntries(
      [...block.matchAll(/^\s*(\w+): ([^,\n]+),/gm)].map(([, key, value]) => [key, value === 'meetingPartition' ? meetingPartition : JSON.parse(value!.replace(/'/g, '"'))]),
    );
    expect(written).toEqual({ ...meetingWebPreferences });
  });
});
