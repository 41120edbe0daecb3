// The meetings feature through the contract, as the renderer uses it: the real core (the
// same composition as the app) and SQLite, circles made through governance calls, the
// BBB-compatible test server and a fake clock.
// An operator saves credentials, starts a meeting, a member joins, the operator imports
// attendance, ends the meeting and attaches the recording; rooms, schedules, reminders
// and calendar export work for circles; and no call result or event ever carries the
// BBB secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { FakeClock } from '../../main/core/clock';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FileSecretStore } from '../../main/core/secrets/secret-store.file';
import { bbbSecretName } from '../../main/core/meetings/bbb-config';
import { BbbClient } from '../../main/core/meetings/bbb-client';
import type { CallOutcome } from '../../shared/errors';
import { callNames } from '../../shared/contract';
import type { JoinResult, MeetingsOverview, RecordingView } from '../../shared/meetings/types';
import type { AssemblyDetail, CircleDetail } from '../../shared/governance/views';
import type { MeetingHostsView } from '../../shared/meetings/meeting-hosts';
import { newId } from '../../shared/governance/ids';
import { startBbbTestServer, type BbbTestServer } from '../servers/bbb-test-server';

let circleId: string;
const assemblyId = '01JD000000000000000000ASM1';
let server: BbbTestServer;
let core: Core;
/** The member, as the core says: the local identity, since no coop server is connected. */
let me: string;
let dataDir: string;
const clock = new FakeClock(Date.parse('2026-01-26T17:45:00Z'));
const outcomes: unknown[] = [];
const calledChannels = new Set<string>();
const events: { name: string; payload: unknown }[] = [];
const { records, sink } = memorySink();

async function call<T>(channel: string, input: unknown): Promise<CallOutcome<T>> {
  const outcome = (await core.dispatch(channel, input, { transport: 'test' })) as CallOutcome<T>;
  outcomes.push(outcome);
  calledChannels.add(channel);
  return outcome;
}

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const outcome = await call<T>(channel, input);
  if (!outcome.ok) throw new Error(`${channel} failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

/** Another BBB user of the same server (Greenlight, another app): not Plenary. */
const serverClient = () => new BbbClient({ apiUrl: server.apiUrl, secret: server.secret, algorithm: 'sha1' });

/** What the join page does in a browser: follow the join URL, then report camera and microphone. */
async function joinInBrowser(url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location) throw new Error(`join did not redirect: ${await response.text()}`);
  const token = new URL(location).searchParams.get('sessionToken')!;
  await fetch(`${new URL(location).origin}/html5client/joined?sessionToken=${token}`, { method: 'POST', body: JSON.stringify({ camera: true, microphone: true, error: '' }) });
}

beforeAll(async () => {
  server = await startBbbTestServer({ rooms: [{ version: 2, code: 'tec-x2y-9zz', name: 'Technology operations', anyoneCanStart: true }] });
  dataDir = mkdtempSync(join(tmpdir(), 'plenary-meetings-'));
  core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), clock, log: createLogger('test', sink), systemLanguages: () => ['en-GB'] });
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  me = core.services.identity.current();
  const circle = await ok<CircleDetail>('governance.createCircle', {
    name: 'Technology operations',
    purpose: 'Keep the meeting servers healthy.',
    timezone: 'UTC',
    displayName: 'Ana Ruiz',
    memberTimezone: 'Europe/Madrid',
  });
  circleId = circle.id;
  await ok('governance.apply', { type: 'assembly.create', circle: circleId, payload: { assemblyId, title: 'January all-hands' } });
  await ok('meetings.setSchedule', { circleId, schedule: { rrule: 'DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 } });
});

const circleNow = () => ok<CircleDetail>('governance.circle', { circleId });
const assemblyNow = () => ok<AssemblyDetail>('governance.assembly', { circleId, assemblyId });

afterAll(async () => {
  core?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('rooms and schedules', () => {
  it('refuses a room on a server that is not a meeting host, naming the setting, and stores nothing until the member trusts it', async () => {
    const roomUrl = server.roomUrl('tec-x2y-9zz');
    const { host, origin } = new URL(roomUrl);
    const before = core.services.governance.opCount();
    const refused = await call('meetings.addRoom', { circleId, url: roomUrl, label: 'Main room' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', field: 'url', params: { reason: 'host_not_allowed', host, origin, decidedBy: 'member', url: roomUrl } } });
    expect(!refused.ok && refused.error.message).toBe(`${host} is not one of your meeting hosts: add it in Settings › Meetings › Trusted hosts.`);
    expect(core.services.governance.opCount()).toBe(before);
    expect(await call('meetings.join', { target: { kind: 'link', url: roomUrl } })).toMatchObject({ ok: false, error: { params: { reason: 'host_not_allowed' } } });

    expect(await ok<MeetingHostsView>('meetings.trustHost', { host: roomUrl })).toEqual({ decidedBy: 'member', entries: [{ pattern: origin, source: 'member' }] });
    expect(core.services.settings.read('trustedMeetingHosts')).toEqual([origin]);
    // Each trusted host can be removed again; the list survives as the setting.
    await ok<MeetingHostsView>('meetings.trustHost', { host: 'https://*.example.coop' });
    expect((await ok<MeetingHostsView>('meetings.forgetHost', { pattern: 'https://*.example.coop' })).entries).toEqual([{ pattern: origin, source: 'member' }]);
    expect(await call('meetings.forgetHost', { pattern: 'https://*.example.coop' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ok<MeetingHostsView>('meetings.hosts', {})).toEqual({ decidedBy: 'member', entries: [{ pattern: origin, source: 'member' }] });
    expect(await call('meetings.trustHost', { host: 'http://meet.example.coop' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'host', params: { problem: 'insecure' } } });
  });

  it('attaches a Greenlight room to a circle through governance, refusing bad and duplicate links', async () => {
    const room = await ok<{ roomId: string; kind: string; url: string }>('meetings.addRoom', { circleId, url: ` ${server.roomUrl('tec-x2y-9zz')} `, label: 'Main room' });
    expect(room).toMatchObject({ kind: 'greenlight-v2', url: server.roomUrl('tec-x2y-9zz') });
    // Recorded in the governance store, so it syncs like any other change.
    expect((await circleNow()).rooms).toEqual([{ roomId: room.roomId, url: room.url, label: 'Main room' }]);
    expect(events.some((e) => e.name === 'meetings.changed')).toBe(true);

    const bad = await call('meetings.addRoom', { circleId, url: 'javascript:alert(1)', label: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'url', params: { problem: 'scheme' } } });
    const dup = await call('meetings.addRoom', { circleId, url: server.roomUrl('tec-x2y-9zz'), label: 'Again' });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict', field: 'url' } });
    const unknown = await call('meetings.addRoom', { circleId: 'nope', url: server.roomUrl('tec-x2y-9zz'), label: 'x' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found', field: 'circleId' } });
  });

  it('shows what is next and, once it starts, what is live', async () => {
    let overview = await ok<MeetingsOverview>('meetings.overview', {});
    expect(overview.live).toEqual([]);
    expect(overview.next[0]).toMatchObject({ circleName: 'Technology operations', start: Date.parse('2026-01-26T18:00:00Z'), live: false });
    expect(overview.next[0]!.rooms).toHaveLength(1);
    expect(overview.circles[0]!.next.map((o) => new Date(o.start).toISOString().slice(0, 10))).toEqual(['2026-01-26', '2026-02-23', '2026-03-23', '2026-04-27', '2026-05-25']);
    clock.set(Date.parse('2026-01-26T18:10:00Z'));
    overview = await ok<MeetingsOverview>('meetings.overview', {});
    expect(overview.live.map((o) => o.circleName)).toEqual(['Technology operations']);
    expect(overview.next.map((o) => new Date(o.start).toISOString())).toEqual([]);
  });

  it('joins a circle room in one call: the page opens it (browser bridge) or the meeting window does (desktop)', async () => {
    const overview = await ok<MeetingsOverview>('meetings.overview', {});
    const roomId = overview.live[0]!.rooms[0]!.roomId;
    expect(await ok<JoinResult>('meetings.join', { target: { kind: 'room', circleId, roomId } })).toEqual({ url: server.roomUrl('tec-x2y-9zz'), openedIn: 'caller' });
    const opened: { url: string; title: string }[] = [];
    core.services.meetings.attachLauncher({ open: (request) => opened.push(request) });
    expect(await ok<JoinResult>('meetings.join', { target: { kind: 'room', circleId, roomId } })).toMatchObject({ openedIn: 'meeting-window' });
    expect(opened).toEqual([{ url: server.roomUrl('tec-x2y-9zz'), title: 'Technology operations' }]);
    core.services.meetings.attachLauncher(null);
    expect(await call('meetings.join', { target: { kind: 'link', url: 'https://meet.example.coop/b/abc' } })).toMatchObject({ ok: false, error: { field: 'url', params: { problem: 'room_code' } } });
    expect(await call('meetings.join', { target: { kind: 'room', circleId, roomId: 'missing' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('shows a room synced from another member on a host that is not allowed, and explains instead of joining it', async () => {
    // Operations from other members reach the store without the handlers' checks, as sync delivers them.
    const synced = newId();
    core.services.governance.applyLocal('circle.room.add', circleId, { roomId: synced, url: 'https://meet.elsewhere.org/b/abc-def-ghi', label: 'Their room' });
    const overview = await ok<MeetingsOverview>('meetings.overview', {});
    const rooms = overview.circles[0]!.rooms;
    expect(rooms.find((r) => r.roomId === synced)).toMatchObject({ host: 'meet.elsewhere.org', hostAllowed: false });
    expect(rooms.filter((r) => r.roomId !== synced).every((r) => r.hostAllowed)).toBe(true);
    expect(await call('meetings.join', { target: { kind: 'room', circleId, roomId: synced } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', params: { reason: 'host_not_allowed', host: 'meet.elsewhere.org', url: 'https://meet.elsewhere.org/b/abc-def-ghi' } },
    });
    // A room linked through governance (the Link a room form) is held to the same list.
    expect(await call('governance.apply', { type: 'circle.room.add', circle: circleId, payload: { roomId: newId(), url: 'https://meet.elsewhere.org/b/xyz-abc-def', label: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', params: { reason: 'host_not_allowed' } },
    });
    core.services.governance.applyLocal('circle.room.remove', circleId, { roomId: synced });
  });

  it('sets a schedule through governance, naming the bad field when it is wrong', async () => {
    const before = (await circleNow()).schedule;
    const bad = await call('meetings.setSchedule', { circleId, schedule: { rrule: 'DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=HOURLY', timezone: 'Europe/Madrid', durationMinutes: 60 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'schedule.rrule' } });
    const zone = await call('meetings.setSchedule', { circleId, schedule: { rrule: 'DTSTART;TZID=Mars/Base:20260105T180000\nRRULE:FREQ=WEEKLY', timezone: 'Mars/Base', durationMinutes: 60 } });
    expect(zone).toMatchObject({ ok: false, error: { field: 'schedule.timezone' } });
    expect((await circleNow()).schedule).toEqual(before); // nothing stored was changed
    const schedule = { rrule: 'DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', timezone: 'Europe/Madrid', durationMinutes: 60 };
    const overview = await ok<MeetingsOverview>('meetings.setSchedule', { circleId, schedule });
    expect((await circleNow()).schedule).toEqual(schedule);
    expect(overview.circles[0]!.schedule).toEqual({ ...schedule, problem: null });
  });

  it('exports the schedule as an ICS file', async () => {
    const file = await ok<{ filename: string; content: string }>('meetings.exportIcs', { circleId });
    expect(file.filename).toBe('technology-operations-meetings.ics');
    expect(file.content).toContain('DTSTART;TZID=Europe/Madrid:20260105T180000\r\n');
    expect(file.content).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO\r\n');
    expect(file.content).toContain(`Main room: ${server.roomUrl('tec-x2y-9zz')}`);
  });

  it('reminds before the next meeting, in the member\'s language, unless Do not disturb', async () => {
    clock.set(Date.parse('2026-02-02T16:50:00Z')); // Stewards-style Monday 18:00 Madrid = 17:00 UTC
    const before = events.length;
    expect(core.services.meetings.reminders.tick()).toHaveLength(1);
    const reminder = events.slice(before).find((e) => e.name === 'meetings.reminder')!.payload as { title: string; body: string; roomId: string };
    expect(reminder.title).toBe('Technology operations starts in 10 minutes');
    expect(reminder.body).toMatch(/^At \d{2}:00\. Select to join\.$/);
    expect(reminder.roomId).toBeTruthy();
    await ok('settings.set', { key: 'doNotDisturb', value: true });
    clock.set(Date.parse('2026-02-09T16:50:00Z'));
    expect(core.services.meetings.reminders.tick()).toEqual([]);
    await ok('settings.set', { key: 'doNotDisturb', value: false });
    await ok('settings.set', { key: 'locale', value: 'es' });
    clock.set(Date.parse('2026-02-16T16:55:00Z'));
    const [spanish] = core.services.meetings.reminders.tick();
    expect(spanish).toBeDefined();
    expect((events.at(-1)!.payload as { title: string }).title).toBe('Technology operations empieza dentro de 5 minutos');
    await ok('settings.set', { key: 'locale', value: 'system' });
  });
});

describe('operator with BBB API credentials', () => {
  it('refuses operator calls until credentials are saved', async () => {
    expect(await call('meetings.start', { circleId, assemblyId: null, record: false })).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(await ok('bbb.settings', {})).toEqual({ apiUrl: null, algorithm: 'sha256', secretStored: false, secretPersistence: 'memory', displayName: '' });
  });

  it('tests credentials before saving: a bad address, an unreachable server and a wrong secret each name their field', async () => {
    expect(await call('bbb.saveSettings', { apiUrl: 'http://bbb.example.coop', algorithm: 'sha256', secret: server.secret })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'apiUrl' } });
    expect(await call('bbb.saveSettings', { apiUrl: 'http://127.0.0.1:9/bigbluebutton/api', algorithm: 'sha256', secret: server.secret })).toMatchObject({ ok: false, error: { code: 'remote_error', field: 'apiUrl' } });
    expect(await call('bbb.saveSettings', { apiUrl: server.origin, algorithm: 'sha256', secret: 'not-the-secret' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret' } });
    expect(await call('bbb.saveSettings', { apiUrl: server.origin, algorithm: 'sha256' })).toMatchObject({ ok: false, error: { field: 'secret' } });
    expect(core.services.secrets.get(bbbSecretName)).toBeUndefined();
  });

  it('saves working credentials, keeping the secret in the SecretStore only', async () => {
    const view = await ok('bbb.saveSettings', { apiUrl: server.origin, algorithm: 'sha512', secret: server.secret });
    expect(view).toEqual({ apiUrl: server.apiUrl, algorithm: 'sha512', secretStored: true, secretPersistence: 'memory', displayName: '' });
    expect(core.services.secrets.get(bbbSecretName)).toBe(server.secret);
    const rows = core.services.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    expect(rows.some((r) => r.value.includes(server.secret))).toBe(false);
    // Saving again without a secret keeps the stored one.
    expect(await ok('bbb.saveSettings', { apiUrl: server.apiUrl, algorithm: 'sha256' })).toMatchObject({ algorithm: 'sha256', secretStored: true });
  });

  it('starts the circle meeting idempotently with meta_ keys and joins the operator as moderator', async () => {
    const first = await ok<JoinResult>('meetings.start', { circleId, assemblyId, record: true });
    const again = await ok<JoinResult>('meetings.start', { circleId, assemblyId, record: true });
    const meetingID = `plenary-${circleId}-${assemblyId}`;
    const meeting = server.meetings.get(meetingID)!;
    expect(meeting.meta).toEqual({ 'plenary-circle': circleId, 'plenary-assembly': assemblyId, 'bbb-origin': 'Plenary' });
    expect(meeting.name).toBe('Technology operations: January all-hands');
    expect(new URL(again.url).searchParams.get('createTime')).toBe(new URL(first.url).searchParams.get('createTime'));
    const params = new URL(first.url).searchParams;
    expect(Object.fromEntries([...params].filter(([k]) => k !== 'checksum'))).toEqual({
      fullName: 'Ana Ruiz',
      meetingID,
      role: 'MODERATOR',
      createTime: String(meeting.createTime),
      userID: me,
      'userdata-bbb_auto_join_audio': 'true',
      'userdata-bbb_listen_only_mode': 'false',
      'userdata-bbb_override_default_locale': 'en',
    });
    await joinInBrowser(first.url);
  });

  it('lets a member join the running meeting as a viewer and lists who is in', async () => {
    await ok('bbb.setDisplayName', { displayName: 'Bo (member)' });
    const overview = await ok<MeetingsOverview>('meetings.refreshRunning', {});
    expect(overview.running).toHaveLength(1);
    const joined = await ok<JoinResult>('meetings.join', { target: { kind: 'running', meetingID: overview.running[0]!.meetingID } });
    expect(new URL(joined.url).searchParams.get('role')).toBe('VIEWER');
    await joinInBrowser(joined.url);
    // A guest joins through the Greenlight page, without a member id.
    await joinInBrowser(serverClient().joinUrl({ meetingID: overview.running[0]!.meetingID, fullName: 'Guest', role: 'VIEWER' }));
    const after = await ok<MeetingsOverview>('meetings.refreshRunning', {});
    expect(after.running[0]).toMatchObject({ circleName: 'Technology operations', assemblyTitle: 'January all-hands', participantCount: 3 });
    expect(after.running[0]!.attendees.map((a) => [a.name, a.role, a.memberId])).toEqual([
      ['Ana Ruiz', 'MODERATOR', me],
      ['Bo (member)', 'VIEWER', me],
      ['Guest', 'VIEWER', null],
    ]);
  });

  it('imports attendees into the assembly, listing guests to record by hand', async () => {
    const meetingID = `plenary-${circleId}-${assemblyId}`;
    const result = await ok<{ imported: { memberId: string }[]; unmatched: { name: string }[] }>('meetings.importAttendance', { meetingID, assemblyId });
    expect(result).toEqual({ imported: [{ memberId: me, name: 'Ana Ruiz' }], unmatched: [{ name: 'Guest' }] });
    expect((await assemblyNow()).attendance).toEqual([{ member: me, displayName: 'Ana Ruiz', status: 'present' }]);
    expect(await call('meetings.importAttendance', { meetingID, assemblyId: 'other' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'assemblyId' } });
  });

  it('refuses to touch meetings that are not one of the member\'s circles', async () => {
    await serverClient().create({ meetingID: 'foreign', name: 'Foreign' });
    expect(await call('meetings.end', { meetingID: 'foreign' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('meetings.join', { target: { kind: 'running', meetingID: 'foreign' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('meetings.end', { meetingID: 'never-existed' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('ends the meeting, confirmed by BBB, then attaches its recording to the assembly', async () => {
    const meetingID = `plenary-${circleId}-${assemblyId}`;
    const overview = await ok<MeetingsOverview>('meetings.end', { meetingID });
    expect(overview.running).toEqual([]);
    expect(server.meetings.get(meetingID)!.ended).toBe(true);
    const recordings = await ok<RecordingView[]>('meetings.recordings', { circleId });
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ meetingID, assemblyId, circleId, name: 'Technology operations: January all-hands' });
    const playback = recordings[0]!.playback[0]!;
    await ok('meetings.attachRecording', { circleId, assemblyId, recordID: recordings[0]!.recordID, url: playback.url, label: recordings[0]!.name });
    expect((await assemblyNow()).recordings).toEqual([{ recordingId: recordings[0]!.recordID, url: playback.url, label: 'Technology operations: January all-hands' }]);
    expect(await call('meetings.attachRecording', { circleId, assemblyId, recordID: 'x', url: 'javascript:alert(1)', label: 'x' })).toMatchObject({ ok: false, error: { field: 'url' } });
  });

  it('forgets the credentials on request', async () => {
    expect(await ok('bbb.clearSettings', {})).toEqual({ apiUrl: null, algorithm: 'sha256', secretStored: false, secretPersistence: 'memory', displayName: 'Bo (member)' });
    expect(core.services.secrets.get(bbbSecretName)).toBeUndefined();
  });
  it('never puts the BBB secret in a call result, an event or a log line', async () => {
    // Every meetings and BBB call has been made above, with the secret stored.
    await ok('meetings.removeRoom', { circleId, roomId: (await circleNow()).rooms[0]!.roomId });
    expect((await circleNow()).rooms).toEqual([]);
    expect(callNames.filter((name) => name.startsWith('meetings.') || name.startsWith('bbb.')).filter((name) => !calledChannels.has(name))).toEqual([]);
    const secret = server.secret;
    expect(outcomes.length).toBeGreaterThan(30);
    for (const outcome of outcomes) expect(JSON.stringify(outcome)).not.toContain(secret);
    for (const event of events) expect(JSON.stringify(event)).not.toContain(secret);
    for (const record of records) expect(JSON.stringify(record)).not.toContain(secret);
  });

});

describe('on a fresh install', () => {
  it('has no circles and says so clearly when asked to attach a room', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-meetings-plain-'));
    const plain = createCore({ dataDir: dir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', () => {}) });
    try {
      const overview = (await plain.dispatch('meetings.overview', {}, { transport: 'test' })) as CallOutcome<MeetingsOverview>;
      expect(overview).toMatchObject({ ok: true, value: { circles: [], live: [], next: [], api: { configured: false } } });
      const add = await plain.dispatch('meetings.addRoom', { circleId: 'c', url: 'https://meet.example.coop/b/abc-def-ghi', label: 'x' }, { transport: 'test' });
      expect(add).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await plain.dispatch('meetings.join', { target: { kind: 'link', url: 'https://meet.example.coop/b/abc-def-ghi' } }, { transport: 'test' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', params: { reason: 'host_not_allowed' } },
      });
      await plain.dispatch('meetings.trustHost', { host: 'meet.example.coop' }, { transport: 'test' });
      expect(await plain.dispatch('meetings.join', { target: { kind: 'link', url: 'https://meet.example.coop/b/abc-def-ghi' } }, { transport: 'test' })).toMatchObject({ ok: true, value: { openedIn: 'caller' } });
    } finally {
      plain.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets coop.json decide the meeting hosts alone: the member cannot add one, and refusals say the coop does not list it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-meetings-coop-'));
    const coopJson = join(dir, 'coop.json');
    writeFileSync(coopJson, JSON.stringify({ version: 1, coop: { name: 'meet.coop' }, greenlight: { hosts: ['https://meet.coop'] }, bbb: { hosts: ['https://*.bbb.meet.coop'] } }));
    const coop = createCore({ dataDir: join(dir, 'data'), runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', () => {}), coopConfigSources: [{ kind: 'environment', path: coopJson }] });
    const dispatch = <T,>(channel: string, input: unknown) => coop.dispatch(channel, input, { transport: 'test' }) as Promise<CallOutcome<T>>;
    try {
      expect(await dispatch('meetings.hosts', {})).toEqual({
        ok: true,
        value: { decidedBy: 'coop', entries: [{ pattern: 'https://meet.coop', source: 'coop' }, { pattern: 'https://*.bbb.meet.coop', source: 'coop' }] },
      });
      expect(await dispatch('meetings.trustHost', { host: 'meet.example.coop' })).toMatchObject({ ok: false, error: { code: 'forbidden', params: { reason: 'coop_decides' } } });
      const refused = await dispatch('meetings.join', { target: { kind: 'link', url: 'https://meet.example.coop/b/abc-def-ghi' } });
      expect(refused).toMatchObject({ ok: false, error: { params: { reason: 'host_not_allowed', decidedBy: 'coop' } } });
      expect(!refused.ok && refused.error.message).toMatch(/^meet\.example\.coop is not one of your coop's meeting hosts: the coop's configuration \(coop\.json\) does not list it\.$/);
      expect(await dispatch('meetings.join', { target: { kind: 'link', url: 'https://meet.coop/b/abc-def-ghi' } })).toMatchObject({ ok: true, value: { openedIn: 'caller' } });
    } finally {
      coop.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the browser bridge\'s secret file readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-secrets-'));
    try {
      const store = new FileSecretStore(join(dir, 'secrets.json'));
      store.set(bbbSecretName, 'x'.repeat(40));
      expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
