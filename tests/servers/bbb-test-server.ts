// A BigBlueButton-compatible server for tests, bound to 127.0.0.1 on free ports. It checks
// checksums like BBB (SHA-1/256/384/512, told apart by length; Scalelite mode drops
// SHA-384), answers the API calls Plenary makes with the documented XML, keeps meetings,
// attendees and recordings in memory, and serves:
//   - a join page (/html5client/join) that asks for camera and microphone and lists who is in,
//     with a Leave button that goes to the meeting's logoutURL;
//   - Greenlight-like room pages: v2 (/b/<uid>: name form, then join or a waiting page) and
//     v3 (/rooms/<fid>/join and the short /<fid>, polling POST
//     /api/v1/meetings/<fid>/status.json for {status, joinUrl});
//   - optionally a Scalelite-style load balancer: joins on the API host are redirected to a
//     second "media" host (another port, so another origin).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { bbbChecksum, splitChecksum, verifyChecksum, encodeQuery, type ChecksumAlgorithm } from '../../main/core/meetings/bbb-checksum';

export interface GreenlightRoom {
  version: 2 | 3;
  /** v2 uid (abc-def-ghi) or v3 friendly id (abc-def-ghi-jkl). */
  code: string;
  name: string;
  /** The BBB meetingID Greenlight uses for this room. */
  meetingID?: string;
  /** Whether anyone may start the meeting (otherwise joiners wait until it runs). */
  anyoneCanStart?: boolean;
  record?: boolean;
}

export interface BbbTestServerOptions {
  secret?: string;
  /** Which checksum algorithms the server accepts; Scalelite accepts sha1, sha256, sha512. */
  algorithms?: ChecksumAlgorithm[];
  rooms?: GreenlightRoom[];
  /** Redirect joins to a second host, as Scalelite does. */
  loadBalancer?: boolean;
  /** How long `end` takes to actually stop the meeting (BBB ends asynchronously). */
  endDelayMs?: number;
}

export interface TestSession {
  token: string;
  meetingID: string;
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  userID: string;
  userdata: Record<string, string>;
  joined: boolean;
  camera: boolean;
  microphone: boolean;
  mediaError: string;
}

export interface TestMeeting {
  meetingID: string;
  name: string;
  internalMeetingID: string;
  createTime: number;
  record: boolean;
  logoutURL: string;
  meta: Record<string, string>;
  running: boolean;
  ended: boolean;
  sessions: Map<string, TestSession>;
}

export interface TestRecording {
  recordID: string;
  meetingID: string;
  name: string;
  startTime: number;
  endTime: number;
  participants: number;
  meta: Record<string, string>;
  url: string;
}

export interface BbbTestServer {
  origin: string;
  /** The second host joins land on in load-balancer mode (the same as origin otherwise). */
  mediaOrigin: string;
  apiUrl: string;
  secret: string;
  meetings: Map<string, TestMeeting>;
  recordings: TestRecording[];
  /** Every API call received: its name and whether the checksum was accepted. */
  calls: { call: string; accepted: boolean }[];
  roomUrl(code: string): string;
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const htmlEscape = xmlEscape;

function xml(body: string): string {
  return `<response>${body}</response>`;
}
const success = (inner = '') => xml(`<returncode>SUCCESS</returncode>${inner}`);
const failed = (key: string, message: string) => xml(`<returncode>FAILED</returncode><messageKey>${key}</messageKey><message>${xmlEscape(message)}</message>`);

function page(title: string, body: string, script?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${htmlEscape(title)}</title>
<link rel="stylesheet" href="/test-server.css"></head><body><main>${body}</main>${script ? `<script src="${script}"></script>` : ''}</body></html>`;
}

const css = `body{font-family:system-ui,sans-serif;background:#f3f4f6;color:#111;margin:0}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
label{display:block;margin:.5rem 0 .25rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
button{font:inherit;padding:.5rem 1rem;margin-top:.75rem;background:#1f5f8b;color:#fff;border:0;border-radius:6px}
video{width:16rem;height:12rem;background:#000;border-radius:6px}#media-status{font-weight:600}`;

const joinScript = `(() => {
  const token = new URLSearchParams(location.search).get('sessionToken');
  const status = document.getElementById('media-status');
  const list = document.getElementById('attendees');
  async function poll() {
    const response = await fetch('/html5client/attendees.json?sessionToken=' + encodeURIComponent(token));
    if (!response.ok) return;
    const data = await response.json();
    list.replaceChildren(...data.attendees.map((a) => { const li = document.createElement('li'); li.textContent = a.fullName + ' (' + a.role.toLowerCase() + ')'; return li; }));
    document.body.dataset.attendees = String(data.attendees.length);
    setTimeout(poll, 300);
  }
  async function start() {
    let camera = false, microphone = false, error = '';
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      camera = stream.getVideoTracks().length > 0;
      microphone = stream.getAudioTracks().length > 0;
      document.getElementById('self-view').srcObject = stream;
    } catch (e) { error = e.name + ': ' + e.message; }
    await fetch('/html5client/joined?sessionToken=' + encodeURIComponent(token), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ camera, microphone, error }) });
    status.textContent = camera && microphone ? 'Camera and microphone on' : 'No camera or microphone (' + error + ')';
    document.body.dataset.media = camera && microphone ? 'on' : 'off';
    poll();
  }
  document.getElementById('leave').addEventListener('click', async () => {
    const response = await fetch('/html5client/left?sessionToken=' + encodeURIComponent(token), { method: 'POST' });
    const data = await response.json();
    location.href = data.logoutURL;
  });
  start();
})();`;

const greenlightV3Script = `(() => {
  const form = document.getElementById('join-form');
  const status = document.getElementById('status');
  const friendlyId = document.body.dataset.room;
  async function ask(name) {
    const response = await fetch('/api/v1/meetings/' + friendlyId + '/status.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, access_code: '' }) });
    const body = await response.json();
    if (body.data.status && body.data.joinUrl) { location.href = body.data.joinUrl; return; }
    status.textContent = 'The meeting has not started yet. You will join as soon as it does.';
    setTimeout(() => ask(name), 500);
  }
  form.addEventListener('submit', (event) => { event.preventDefault(); ask(document.getElementById('name').value); });
})();`;

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > limit) throw new Error('body too large');
  }
  return body;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

export async function startBbbTestServer(options: BbbTestServerOptions = {}): Promise<BbbTestServer> {
  const secret = options.secret ?? randomBytes(20).toString('hex');
  const algorithms = options.algorithms ?? ['sha1', 'sha256', 'sha384', 'sha512'];
  const rooms = new Map((options.rooms ?? []).map((r) => [r.code, r]));
  const meetings = new Map<string, TestMeeting>();
  const sessions = new Map<string, TestSession>();
  const recordings: TestRecording[] = [];
  const calls: { call: string; accepted: boolean }[] = [];
  let origin = '';
  let mediaOrigin = '';

  const meetingXml = (m: TestMeeting) => {
    const joined = [...m.sessions.values()].filter((s) => s.joined);
    return (
      `<meetingName>${xmlEscape(m.name)}</meetingName><meetingID>${xmlEscape(m.meetingID)}</meetingID>` +
      `<internalMeetingID>${m.internalMeetingID}</internalMeetingID><createTime>${m.createTime}</createTime>` +
      `<running>${m.running}</running><recording>${m.record}</recording><hasBeenForciblyEnded>${m.ended}</hasBeenForciblyEnded>` +
      `<participantCount>${joined.length}</participantCount><moderatorCount>${joined.filter((s) => s.role === 'MODERATOR').length}</moderatorCount>` +
      `<attendees>${joined
        .map(
          (s) =>
            `<attendee><userID>${xmlEscape(s.userID)}</userID><fullName>${xmlEscape(s.fullName)}</fullName><role>${s.role}</role>` +
            `<isPresenter>false</isPresenter><isListeningOnly>${!s.microphone}</isListeningOnly><hasJoinedVoice>${s.microphone}</hasJoinedVoice>` +
            `<hasVideo>${s.camera}</hasVideo><clientType>HTML5</clientType></attendee>`,
        )
        .join('')}</attendees>` +
      `<metadata>${Object.entries(m.meta)
        .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
        .join('')}</metadata>`
    );
  };

  function createMeeting(params: URLSearchParams): string {
    const name = params.get('name') ?? '';
    const meetingID = params.get('meetingID') ?? '';
    if (meetingID.length < 2 || meetingID.length > 256 || meetingID.includes(',')) {
      return failed('invalidMeetingIdentifier', 'The meeting ID must be between 2 and 256 characters and not contain commas');
    }
    if (name.length < 2 || name.length > 64) return failed('missingParamName', 'You must specify a name between 2 and 64 characters');
    const existing = meetings.get(meetingID);
    if (existing && !existing.ended) {
      if (existing.name !== name) return failed('idNotUnique', 'A meeting already exists with that meeting ID.  Please use a different meeting ID.');
      return success(
        `<meetingID>${xmlEscape(meetingID)}</meetingID><internalMeetingID>${existing.internalMeetingID}</internalMeetingID>` +
          `<createTime>${existing.createTime}</createTime><messageKey>duplicateWarning</messageKey>` +
          '<message>This conference was already in existence and may currently be in progress.</message>',
      );
    }
    const createTime = Date.now();
    const meta: Record<string, string> = {};
    for (const [key, value] of params) if (key.startsWith('meta_')) meta[key.slice(5).toLowerCase()] = value;
    const meeting: TestMeeting = {
      meetingID,
      name,
      internalMeetingID: `${createHash('sha1').update(meetingID).digest('hex')}-${createTime}`,
      createTime,
      record: params.get('record') === 'true',
      logoutURL: params.get('logoutURL') ?? `${origin}/`,
      meta,
      running: false,
      ended: false,
      sessions: new Map(),
    };
    meetings.set(meetingID, meeting);
    return success(
      `<meetingID>${xmlEscape(meetingID)}</meetingID><internalMeetingID>${meeting.internalMeetingID}</internalMeetingID>` +
        `<createTime>${createTime}</createTime><hasBeenForciblyEnded>false</hasBeenForciblyEnded><messageKey></messageKey><message></message>`,
    );
  }

  function openSession(meeting: TestMeeting, fullName: string, role: 'MODERATOR' | 'VIEWER', userID: string, userdata: Record<string, string>): TestSession {
    const session: TestSession = {
      token: randomBytes(12).toString('hex'),
      meetingID: meeting.meetingID,
      fullName,
      role,
      userID: userID || `w_${randomBytes(6).toString('hex')}`,
      userdata,
      joined: false,
      camera: false,
      microphone: false,
      mediaError: '',
    };
    meeting.sessions.set(session.token, session);
    sessions.set(session.token, session);
    return session;
  }

  const clientUrl = (token: string) => `${mediaOrigin}/html5client/join?sessionToken=${token}`;

  function endMeeting(meeting: TestMeeting): void {
    setTimeout(() => {
      const participants = meeting.sessions.size;
      meeting.running = false;
      meeting.ended = true;
      for (const token of meeting.sessions.keys()) sessions.delete(token);
      meeting.sessions.clear();
      if (meeting.record) {
        recordings.push({
          recordID: meeting.internalMeetingID,
          meetingID: meeting.meetingID,
          name: meeting.name,
          startTime: meeting.createTime,
          endTime: Date.now(),
          participants,
          meta: meeting.meta,
          url: `${origin}/playback/presentation/2.3/${meeting.internalMeetingID}`,
        });
      }
    }, options.endDelayMs ?? 50);
  }

  function api(call: string, rawQuery: string, res: ServerResponse): void {
    const sendXml = (body: string, status = 200): void => void res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(body);
    if (call === '') {
      sendXml(success('<version>2.0</version><apiVersion>2.0</apiVersion><bbbVersion>3.0.0</bbbVersion>'));
      return;
    }
    const { query, checksum } = splitChecksum(rawQuery);
    const accepted = checksum !== null && verifyChecksum(call, query, checksum, secret, algorithms);
    calls.push({ call, accepted });
    if (!accepted) {
      sendXml(failed('checksumError', 'Checksums do not match'));
      return;
    }
    const params = new URLSearchParams(query);
    const meetingID = params.get('meetingID') ?? '';
    const meeting = meetings.get(meetingID);
    const live = meeting && !meeting.ended ? meeting : undefined;
    switch (call) {
      case 'create':
        return sendXml(createMeeting(params));
      case 'join': {
        const fullName = params.get('fullName');
        if (!fullName) return sendXml(failed('missingParamFullName', 'You must specify a name for the attendee who will be joining the meeting.'));
        if (!live) return sendXml(failed('invalidMeetingIdentifier', 'The meeting ID that you supplied did not match any existing meetings'));
        const createTime = params.get('createTime');
        if (createTime !== null && Number(createTime) !== live.createTime) return sendXml(failed('mismatchCreateTimeParam', 'The createTime parameter submitted mismatches with the current meeting.'));
        const role = params.get('role')?.toUpperCase();
        if (role !== 'MODERATOR' && role !== 'VIEWER') return sendXml(failed('invalidRole', 'The role must be MODERATOR or VIEWER'));
        const userdata: Record<string, string> = {};
        for (const [key, value] of params) if (key.startsWith('userdata-')) userdata[key.slice('userdata-'.length)] = value;
        const session = openSession(live, fullName, role, params.get('userID') ?? '', userdata);
        if (params.get('redirect') === 'false') {
          return sendXml(success(`<messageKey>successfullyJoined</messageKey><meeting_id>${live.internalMeetingID}</meeting_id><session_token>${session.token}</session_token><url>${xmlEscape(clientUrl(session.token))}</url>`));
        }
        res.writeHead(302, { Location: clientUrl(session.token) }).end();
        return;
      }
      case 'isMeetingRunning':
        return sendXml(success(`<running>${live?.running ?? false}</running>`));
      case 'getMeetingInfo':
        if (!live) return sendXml(failed('notFound', 'We could not find a meeting with that meeting ID - perhaps the meeting is not yet running?'));
        return sendXml(success(meetingXml(live)));
      case 'getMeetings': {
        const list = [...meetings.values()].filter((m) => !m.ended);
        if (list.length === 0) return sendXml(success('<meetings/><messageKey>noMeetings</messageKey><message>no meetings were found on this server</message>'));
        return sendXml(success(`<meetings>${list.map((m) => `<meeting>${meetingXml(m)}</meeting>`).join('')}</meetings>`));
      }
      case 'end':
        if (!live) return sendXml(failed('notFound', 'We could not find a meeting with that meeting ID'));
        endMeeting(live);
        return sendXml(success('<messageKey>sentEndMeetingRequest</messageKey><message>A request to end the meeting was sent.</message>'));
      case 'getRecordings': {
        const ids = params.get('meetingID')?.split(',');
        const recordIds = params.get('recordID')?.split(',');
        const found = recordings.filter((r) => (!ids || ids.includes(r.meetingID)) && (!recordIds || recordIds.includes(r.recordID)));
        if (found.length === 0) return sendXml(success('<recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message>'));
        return sendXml(
          success(
            `<recordings>${found
              .map(
                (r) =>
                  `<recording><recordID>${r.recordID}</recordID><meetingID>${xmlEscape(r.meetingID)}</meetingID><internalMeetingID>${r.recordID}</internalMeetingID>` +
                  `<name>${xmlEscape(r.name)}</name><isBreakout>false</isBreakout><published>true</published><state>published</state>` +
                  `<startTime>${r.startTime}</startTime><endTime>${r.endTime}</endTime><participants>${r.participants}</participants>` +
                  `<metadata>${Object.entries(r.meta)
                    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
                    .join('')}</metadata>` +
                  `<playback><format><type>presentation</type><url>${xmlEscape(r.url)}</url><processingTime>1000</processingTime><length>${Math.max(1, Math.round((r.endTime - r.startTime) / 60000))}</length></format></playback></recording>`,
              )
              .join('')}</recordings>`,
          ),
        );
      }
      default:
        return sendXml(failed('unsupportedRequest', 'This request is not supported.'));
    }
  }

  /** How Greenlight joins someone: create if allowed (same parameters, so idempotent), then a signed join URL. */
  function greenlightJoin(room: GreenlightRoom, name: string): string | null {
    const meetingID = room.meetingID ?? `gl-${room.code}`;
    let meeting = meetings.get(meetingID);
    if (!meeting || meeting.ended || !meeting.running) {
      if (!room.anyoneCanStart) return null;
      const query = encodeQuery([
        ['name', room.name],
        ['meetingID', meetingID],
        ['record', String(room.record ?? false)],
        ['logoutURL', `${origin}${room.version === 2 ? `/b/${room.code}` : `/rooms/${room.code}/join`}`],
      ]);
      createMeeting(new URLSearchParams(query));
      meeting = meetings.get(meetingID)!;
    }
    const joinQuery = encodeQuery([
      ['fullName', name],
      ['meetingID', meetingID],
      ['role', room.anyoneCanStart ? 'MODERATOR' : 'VIEWER'],
      ['createTime', meeting.createTime],
    ]);
    return `${origin}/bigbluebutton/api/join?${joinQuery}&checksum=${bbbChecksum('join', joinQuery, secret, 'sha256')}`;
  }

  function greenlightV2Page(room: GreenlightRoom): string {
    return page(
      room.name,
      `<h1>${htmlEscape(room.name)}</h1><p>You have been invited to join this room.</p>
<form method="post" action="/b/${room.code}"><label for="join_name">Your name</label>
<input id="join_name" name="join_name" autocomplete="name" required><button type="submit">Join</button></form>`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse, isMedia: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const path = url.pathname;
    const html = (body: string, status = 200): void => void res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
    const json = (body: unknown, status = 200): void => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

    if (path === '/test-server.css') return void res.writeHead(200, { 'Content-Type': 'text/css' }).end(css);
    const apiMatch = /^\/bigbluebutton\/api\/?([A-Za-z]*)$/.exec(path);
    if (apiMatch) {
      // In load-balancer mode the media host serves only clients, like a BBB behind Scalelite.
      if (isMedia) return json({ error: 'not the API host' }, 404);
      return api(apiMatch[1]!, rawQuery, res);
    }

    if (path === '/html5client/join.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(joinScript);
    if (path === '/greenlight/join.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(greenlightV3Script);
    if (path.startsWith('/html5client/')) {
      const session = sessions.get(url.searchParams.get('sessionToken') ?? '');
      if (!session) return html(page('Not found', '<h1>This meeting link is no longer valid</h1>'), 404);
      const meeting = meetings.get(session.meetingID)!;
      if (path === '/html5client/join') {
        return html(
          page(
            meeting.name,
            `<h1>${htmlEscape(meeting.name)}</h1><p>Joined as ${htmlEscape(session.fullName)}.</p>
<p id="media-status" role="status">Asking for camera and microphone…</p><video id="self-view" autoplay muted playsinline></video>
<h2>In the meeting</h2><ul id="attendees"></ul><button id="leave" type="button">Leave meeting</button>`,
            '/html5client/join.js',
          ),
        );
      }
      if (path === '/html5client/joined' && req.method === 'POST') {
        const body = JSON.parse(await readBody(req)) as { camera: boolean; microphone: boolean; error: string };
        session.joined = true;
        session.camera = body.camera === true;
        session.microphone = body.microphone === true;
        session.mediaError = String(body.error ?? '');
        meeting.running = true;
        return json({ ok: true });
      }
      if (path === '/html5client/attendees.json') {
        return json({ attendees: [...meeting.sessions.values()].filter((s) => s.joined).map((s) => ({ fullName: s.fullName, role: s.role })) });
      }
      if (path === '/html5client/left' && req.method === 'POST') {
        meeting.sessions.delete(session.token);
        sessions.delete(session.token);
        return json({ logoutURL: meeting.logoutURL });
      }
    }
    if (isMedia) return html(page('Not found', '<h1>Not found</h1>'), 404);

    if (path.startsWith('/playback/presentation/2.3/')) {
      const recording = recordings.find((r) => path.endsWith(`/${r.recordID}`));
      if (!recording) return html(page('Not found', '<h1>No such recording</h1>'), 404);
      return html(page(recording.name, `<h1>Recording: ${htmlEscape(recording.name)}</h1>`));
    }

    const v2 = /^\/b\/([a-z0-9-]+)(\/wait)?$/.exec(path);
    if (v2) {
      const room = rooms.get(v2[1]!);
      if (!room || room.version !== 2) return html(page('Not found', '<h1>This room does not exist</h1>'), 404);
      let name = url.searchParams.get('name') ?? '';
      if (req.method === 'POST') name = new URLSearchParams(await readBody(req)).get('join_name') ?? '';
      else if (!v2[2]) return html(greenlightV2Page(room));
      if (name.trim() === '') return html(greenlightV2Page(room), 422);
      const joinUrl = greenlightJoin(room, name.trim());
      if (joinUrl) return void res.writeHead(302, { Location: joinUrl }).end();
      const wait = `/b/${room.code}/wait?name=${encodeURIComponent(name.trim())}`;
      return html(
        page(room.name, `<h1>${htmlEscape(room.name)}</h1><p role="status">The meeting has not started yet. This page will join you as soon as it does.</p>`).replace(
          '<head>',
          `<head><meta http-equiv="refresh" content="1;url=${htmlEscape(wait)}">`,
        ),
      );
    }
    const v3Status = /^\/api\/v1\/meetings\/([a-z0-9-]+)\/status\.json$/.exec(path);
    if (v3Status && req.method === 'POST') {
      const room = rooms.get(v3Status[1]!);
      if (!room || room.version !== 3) return json({ data: null, errors: ['RoomNotFound'] }, 404);
      const body = JSON.parse((await readBody(req)) || '{}') as { name?: string };
      const joinUrl = body.name ? greenlightJoin(room, body.name) : null;
      return json({ data: joinUrl ? { status: true, joinUrl } : { status: false }, errors: [] });
    }
    const v3 = /^\/rooms\/([a-z0-9-]+)\/join$/.exec(path);
    if (v3) {
      const room = rooms.get(v3[1]!);
      if (!room || room.version !== 3) return html(page('Not found', '<h1>This room does not exist</h1>'), 404);
      return html(
        page(
          room.name,
          `<h1>${htmlEscape(room.name)}</h1><form id="join-form"><label for="name">Your name</label><input id="name" autocomplete="name" required>
<button type="submit">Join meeting</button></form><p id="status" role="status"></p>`,
          '/greenlight/join.js',
        ).replace('<body>', `<body data-room="${room.code}">`),
      );
    }
    const short = /^\/([a-z0-9]{3}(?:-[a-z0-9]{3}){3})$/.exec(path);
    if (short && rooms.get(short[1]!)?.version === 3) return void res.writeHead(302, { Location: `/rooms/${short[1]}/join` }).end();
    if (path === '/') return html(page('Left', '<h1>You have left the meeting</h1>'));
    return html(page('Not found', '<h1>Not found</h1>'), 404);
  }

  const serve = (isMedia: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, isMedia).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  };
  const server = createServer(serve(false));
  origin = `http://127.0.0.1:${await listen(server)}`;
  let mediaServer: Server | null = null;
  if (options.loadBalancer) {
    mediaServer = createServer(serve(true));
    mediaOrigin = `http://127.0.0.1:${await listen(mediaServer)}`;
  } else {
    mediaOrigin = origin;
  }

  const stop = (s: Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    origin,
    mediaOrigin,
    apiUrl: `${origin}/bigbluebutton/api/`,
    secret,
    meetings,
    recordings,
    calls,
    roomUrl: (code) => {
      const room = rooms.get(code);
      if (!room) throw new Error(`No test room ${code}`);
      return room.version === 2 ? `${origin}/b/${code}` : `${origin}/rooms/${code}/join`;
    },
    close: async () => {
      await stop(server);
      if (mediaServer) await stop(mediaServer);
    },
  };
}
