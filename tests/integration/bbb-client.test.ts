// The BBB API client against the BBB-compatible test server over real HTTP: checksums in
// all four algorithms (and the published vector), every call Plenary makes, FAILED
// answers as errors with messageKey, and network failures as clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { BbbClient } from '../../main/core/meetings/bbb-client';
import { BbbError } from '../../main/core/meetings/bbb-xml';
import { startBbbTestServer, type BbbTestServer } from '../servers/bbb-test-server';
import { freePort } from '../helpers/free-port';

let server: BbbTestServer;
const client = (algorithm: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha256', secret = server.secret) =>
  new BbbClient({ apiUrl: server.apiUrl, secret, algorithm, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) });

async function rejection(promise: Promise<unknown>): Promise<BbbError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BbbError) return error;
    throw error;
  }
  throw new Error('expected a BbbError');
}

/** Follows a join URL like a browser would, then reports media as the join page does. */
async function joinAs(url: string, media = { camera: true, microphone: true }): Promise<string> {
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(302);
  const clientUrl = first.headers.get('location')!;
  const token = new URL(clientUrl).searchParams.get('sessionToken')!;
  await fetch(`${new URL(clientUrl).origin}/html5client/joined?sessionToken=${token}`, { method: 'POST', body: JSON.stringify({ ...media, error: '' }) });
  return clientUrl;
}

beforeAll(async () => {
  server = await startBbbTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('BBB test server', () => {
  it('accepts the docs worked example (SHA-1) and refuses a tampered one with checksumError', async () => {
    const docs = await startBbbTestServer({ secret: '639259d4-9dd8-4b25-bf01-95f9567eaf4b' });
    try {
      const query = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444';
      const good = await (await fetch(`${docs.apiUrl}create?${query}&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17`)).text();
      expect(good).toContain('<returncode>SUCCESS</returncode>');
      const bad = await (await fetch(`${docs.apiUrl}create?${query}&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f18`)).text();
      expect(bad).toContain('<messageKey>checksumError</messageKey>');
      const missing = await (await fetch(`${docs.apiUrl}create?${query}`)).text();
      expect(missing).toContain('<messageKey>checksumError</messageKey>');
    } finally {
      await docs.close();
    }
  });

  it('answers the version without a checksum', async () => {
    expect(await client().version()).toMatchObject({ version: '2.0', apiVersion: '2.0' });
  });
});

describe('BBB client', () => {
  it.each(['sha1', 'sha256', 'sha384', 'sha512'] as const)('signs calls with %s', async (algorithm) => {
    expect(await client(algorithm).isMeetingRunning(`nothing-${algorithm}`)).toBe(false);
    expect(server.calls.at(-1)).toEqual({ call: 'isMeetingRunning', accepted: true });
  });

  it('gets checksumError with a wrong secret, as a FAILED error with messageKey', async () => {
    const error = await rejection(client('sha256', 'wrong-secret').getMeetings());
    expect(error).toMatchObject({ kind: 'failed', call: 'getMeetings', messageKey: 'checksumError', message: 'BigBlueButton refused getMeetings: Checksums do not match' });
  });

  it('is refused SHA-384 by a Scalelite-style server, which accepts the other three', async () => {
    const scalelite = await startBbbTestServer({ algorithms: ['sha1', 'sha256', 'sha512'] });
    try {
      const make = (algorithm: 'sha1' | 'sha384' | 'sha512') => new BbbClient({ apiUrl: scalelite.apiUrl, secret: scalelite.secret, algorithm });
      expect(await make('sha512').getMeetings()).toEqual([]);
      expect(await make('sha1').getMeetings()).toEqual([]);
      expect((await rejection(make('sha384').getMeetings())).messageKey).toBe('checksumError');
    } finally {
      await scalelite.close();
    }
  });

  it('creates idempotently with meta_ keys, and refuses a clashing meeting with idNotUnique', async () => {
    const params = { meetingID: 'plenary-circle-1', name: 'Technology operations', record: true, meta: { 'plenary-circle': 'C1', 'plenary-assembly': 'A1' } };
    const first = await client().create(params);
    const again = await client('sha1').create(params);
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, createTime: first.createTime, internalMeetingID: first.internalMeetingID });
    expect(server.meetings.get('plenary-circle-1')!.meta).toEqual({ 'plenary-circle': 'C1', 'plenary-assembly': 'A1' });
    expect((await rejection(client().create({ ...params, name: 'Another name' }))).messageKey).toBe('idNotUnique');
  });

  it('refuses invalid meeting ids and names before sending anything', async () => {
    const before = server.calls.length;
    expect((await rejection(client().create({ meetingID: 'a,b', name: 'Name' }))).messageKey).toBe('invalidMeetingIdentifier');
    expect((await rejection(client().create({ meetingID: 'ok-id', name: 'x' }))).messageKey).toBe('invalidMeetingName');
    expect(server.calls.length).toBe(before);
  });

  it('builds join URLs with role, userID, createTime and userdata that the server accepts', async () => {
    const created = await client().create({ meetingID: 'join-test', name: 'Join test' });
    const url = client().joinUrl({
      meetingID: 'join-test',
      fullName: 'Ana Ruiz',
      role: 'MODERATOR',
      createTime: created.createTime,
      userID: '@ana:meet.coop',
      userdata: { auto_join_audio: true, override_default_locale: 'es' },
    });
    expect(url).toContain('userID=%40ana%3Ameet.coop');
    expect(url).not.toContain(server.secret);
    expect(await client().isMeetingRunning('join-test')).toBe(false);
    await joinAs(url);
    expect(await client().isMeetingRunning('join-test')).toBe(true);
    const session = [...server.meetings.get('join-test')!.sessions.values()][0]!;
    expect(session).toMatchObject({ fullName: 'Ana Ruiz', role: 'MODERATOR', userID: '@ana:meet.coop', camera: true, microphone: true });
    expect(session.userdata).toEqual({ bbb_auto_join_audio: 'true', bbb_override_default_locale: 'es' });
  });

  it('refuses a join URL made for an earlier meeting (createTime mismatch)', async () => {
    const created = await client().create({ meetingID: 'stale-test', name: 'Stale test' });
    const response = await fetch(client().joinUrl({ meetingID: 'stale-test', fullName: 'Bo', role: 'VIEWER', createTime: created.createTime - 1 }), { redirect: 'manual' });
    expect(await response.text()).toContain('mismatchCreateTimeParam');
  });

  it('lists attendees (getMeetingInfo) and meetings (getMeetings)', async () => {
    const created = await client().create({ meetingID: 'info-test', name: 'Info test', meta: { 'plenary-circle': 'C2' } });
    await joinAs(client().joinUrl({ meetingID: 'info-test', fullName: 'Ana', role: 'MODERATOR', userID: '@ana:meet.coop', createTime: created.createTime }));
    await joinAs(client().joinUrl({ meetingID: 'info-test', fullName: 'Bo', role: 'VIEWER', createTime: created.createTime }), { camera: false, microphone: true });
    const info = await client().getMeetingInfo('info-test');
    expect(info).toMatchObject({ meetingName: 'Info test', running: true, participantCount: 2, moderatorCount: 1, metadata: { 'plenary-circle': 'C2' } });
    expect(info.attendees.map((a) => [a.fullName, a.role, a.userID.startsWith('@') ? a.userID : 'guest', a.hasVideo])).toEqual([
      ['Ana', 'MODERATOR', '@ana:meet.coop', true],
      ['Bo', 'VIEWER', 'guest', false],
    ]);
    const all = await client().getMeetings();
    expect(all.find((m) => m.meetingID === 'info-test')?.attendees).toHaveLength(2);
    expect((await rejection(client().getMeetingInfo('no-such-meeting'))).messageKey).toBe('notFound');
  });

  it('ends a meeting and confirms it stopped by polling isMeetingRunning, then finds its recording', async () => {
    const created = await client().create({ meetingID: 'end-test', name: 'End test', record: true, meta: { 'plenary-assembly': 'A9' } });
    await joinAs(client().joinUrl({ meetingID: 'end-test', fullName: 'Ana', role: 'MODERATOR', createTime: created.createTime }));
    const callsBefore = server.calls.length;
    await client().end('end-test', { pollMs: 10, timeoutMs: 5000 });
    expect(await client().isMeetingRunning('end-test')).toBe(false);
    const polls = server.calls.slice(callsBefore).filter((c) => c.call === 'isMeetingRunning').length;
    expect(polls).toBeGreaterThanOrEqual(2);
    const [recording] = await client().getRecordings({ meetingID: ['end-test'] });
    expect(recording).toMatchObject({ meetingID: 'end-test', name: 'End test', published: true, metadata: { 'plenary-assembly': 'A9' } });
    expect(recording!.playback[0]!.url).toBe(`${server.origin}/playback/presentation/2.3/${recording!.recordID}`);
    expect((await fetch(recording!.playback[0]!.url)).status).toBe(200);
    expect(await client().getRecordings({ meetingID: ['never-recorded'] })).toEqual([]);
  });

  it('reports an end that never takes effect as a timeout', async () => {
    const slow = await startBbbTestServer({ endDelayMs: 60_000 });
    try {
      const c = new BbbClient({ apiUrl: slow.apiUrl, secret: slow.secret, algorithm: 'sha256', sleep: () => Promise.resolve() });
      const created = await c.create({ meetingID: 'slow-end', name: 'Slow end' });
      await joinAs(c.joinUrl({ meetingID: 'slow-end', fullName: 'Ana', role: 'MODERATOR', createTime: created.createTime }));
      const error = await rejection(c.end('slow-end', { pollMs: 10, timeoutMs: 50 }));
      expect(error).toMatchObject({ kind: 'timeout', call: 'end' });
    } finally {
      await slow.close();
    }
  });

  it('reports an unreachable server as a network error naming the host', async () => {
    const port = await freePort();
    const c = new BbbClient({ apiUrl: `http://127.0.0.1:${port}/bigbluebutton/api`, secret: 's', algorithm: 'sha256' });
    const error = await rejection(c.getMeetings());
    expect(error.kind).toBe('network');
    expect(error.message).toContain(`Could not reach 127.0.0.1:${port} for getMeetings`);
  });

  it('reports a server that does not answer as a timeout, and an HTML error page as an HTTP error', async () => {
    const hanging: Server = createServer((req, res) => {
      if (req.url?.includes('getMeetings')) return; // never answers
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('Bad gateway');
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const address = hanging.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const c = new BbbClient({ apiUrl: `http://127.0.0.1:${port}/bigbluebutton/api/`, secret: 's', algorithm: 'sha256', timeoutMs: 200 });
      expect(await rejection(c.getMeetings())).toMatchObject({ kind: 'timeout' });
      const http = await rejection(c.isMeetingRunning('x'));
      expect(http).toMatchObject({ kind: 'http' });
      expect(http.message).toContain('HTTP 502');
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('follows a Scalelite-style redirect of the join to a second host', async () => {
    const balanced = await startBbbTestServer({ loadBalancer: true });
    try {
      const c = new BbbClient({ apiUrl: balanced.apiUrl, secret: balanced.secret, algorithm: 'sha512' });
      const created = await c.create({ meetingID: 'lb-test', name: 'Load balanced' });
      const clientUrl = await joinAs(c.joinUrl({ meetingID: 'lb-test', fullName: 'Ana', role: 'VIEWER', createTime: created.createTime }));
      expect(new URL(clientUrl).origin).toBe(balanced.mediaOrigin);
      expect(balanced.mediaOrigin).not.toBe(balanced.origin);
      expect(await c.isMeetingRunning('lb-test')).toBe(true);
    } finally {
      await balanced.close();
    }
  });
});

describe('Greenlight-like rooms', () => {
  let gl: BbbTestServer;
  beforeAll(async () => {
    gl = await startBbbTestServer({
      rooms: [
        { version: 2, code: 'ana-x2y-9zz', name: 'Stewards', anyoneCanStart: true },
        { version: 2, code: 'bob-aaa-bbb', name: 'Waiting room' },
        { version: 3, code: 'abc-def-ghi-jkl', name: 'Product circle', anyoneCanStart: true },
      ],
    });
  });
  afterAll(async () => {
    await gl?.close();
  });

  it('v2: shows a name form, then redirects to a signed BBB join', async () => {
    const form = await (await fetch(gl.roomUrl('ana-x2y-9zz'))).text();
    expect(form).toContain('name="join_name"');
    const post = await fetch(gl.roomUrl('ana-x2y-9zz'), { method: 'POST', body: 'join_name=Ana', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(post.status).toBe(302);
    const join = post.headers.get('location')!;
    expect(join).toMatch(/\/bigbluebutton\/api\/join\?fullName=Ana&meetingID=gl-ana-x2y-9zz&.*checksum=[0-9a-f]{64}$/);
    await joinAs(join);
    expect(gl.meetings.get('gl-ana-x2y-9zz')!.running).toBe(true);
  });

  it('v2: puts joiners in a waiting page until the meeting runs', async () => {
    const post = await fetch(gl.roomUrl('bob-aaa-bbb'), { method: 'POST', body: 'join_name=Bo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('has not started yet');
  });

  it('v3: the short link redirects to the room, whose status endpoint returns {status, joinUrl}', async () => {
    const short = await fetch(`${gl.origin}/abc-def-ghi-jkl`, { redirect: 'manual' });
    expect(short.headers.get('location')).toBe('/rooms/abc-def-ghi-jkl/join');
    expect(await (await fetch(gl.roomUrl('abc-def-ghi-jkl'))).text()).toContain('data-room="abc-def-ghi-jkl"');
    const status = await fetch(`${gl.origin}/api/v1/meetings/abc-def-ghi-jkl/status.json`, { method: 'POST', body: JSON.stringify({ name: 'Ana', access_code: '' }) });
    const body = (await status.json()) as { data: { status: boolean; joinUrl: string } };
    expect(body.data.status).toBe(true);
    expect(body.data.joinUrl).toContain('/bigbluebutton/api/join?fullName=Ana&meetingID=gl-abc-def-ghi-jkl');
  });
});
