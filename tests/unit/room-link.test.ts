// Room links members paste: the three accepted shapes and the hostile ones refused with
// a problem code and a message that says what is wrong.
import { describe, expect, it } from 'vitest';
import { originOf, parseRoomLink, type RoomLinkProblem } from '../../shared/meetings/room-link';

const ok = (input: string) => {
  const result = parseRoomLink(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.message}`);
  return result.link;
};

describe('room links: accepted', () => {
  it('reads Greenlight v2 links with three or four chunks', () => {
    expect(ok('https://meet.example.coop/b/abc-def-ghi')).toEqual({
      kind: 'greenlight-v2',
      origin: 'https://meet.example.coop',
      host: 'meet.example.coop',
      url: 'https://meet.example.coop/b/abc-def-ghi',
      roomCode: 'abc-def-ghi',
    });
    expect(ok('https://meet.example.coop/b/al-x2y-9zz-q1w').roomCode).toBe('al-x2y-9zz-q1w');
  });

  it('reads Greenlight v3 links, long and short, to the same join URL', () => {
    const long = ok('https://gl.example.coop/rooms/abc-def-ghi-jkl/join');
    const short = ok('https://gl.example.coop/abc-def-ghi-jkl');
    expect(long).toMatchObject({ kind: 'greenlight-v3', roomCode: 'abc-def-ghi-jkl', url: 'https://gl.example.coop/rooms/abc-def-ghi-jkl/join' });
    expect(short).toEqual(long);
  });

  it('reads raw BBB join URLs and keeps their query exactly', () => {
    const checksum = 'a'.repeat(64);
    const link = ok(`https://bbb.example.coop/bigbluebutton/api/join?fullName=Ana+Ruiz&meetingID=plenary-x&role=VIEWER&checksum=${checksum}`);
    expect(link).toMatchObject({ kind: 'bbb-join', roomCode: 'plenary-x', host: 'bbb.example.coop' });
    expect(link.url).toBe(`https://bbb.example.coop/bigbluebutton/api/join?fullName=Ana+Ruiz&meetingID=plenary-x&role=VIEWER&checksum=${checksum}`);
  });

  it('normalizes case, default ports, trailing slashes and surrounding spaces, and drops fragments', () => {
    expect(ok('  HTTPS://Meet.Example.COOP:443/b/abc-def-ghi/#x \n')).toMatchObject({ url: 'https://meet.example.coop/b/abc-def-ghi', origin: 'https://meet.example.coop' });
    expect(ok('https://meet.example.coop:8443/b/abc-def-ghi').origin).toBe('https://meet.example.coop:8443');
  });

  it('allows http only on the loopback host, for local test servers', () => {
    expect(ok('http://127.0.0.1:4321/b/abc-def-ghi').origin).toBe('http://127.0.0.1:4321');
    expect(ok('http://localhost:4321/abc-def-ghi-jkl').kind).toBe('greenlight-v3');
  });
});

describe('room links: refused', () => {
  const cases: [string, RoomLinkProblem, RegExp][] = [
    ['', 'empty', /Paste a room link/],
    ['   ', 'empty', /Paste a room link/],
    [`https://meet.example.coop/b/abc-def-ghi?${'x'.repeat(2100)}`, 'too_long', /longer than 2048/],
    ['https://meet.example.coop/b/abc def-ghi', 'whitespace', /spaces or invisible/],
    ['https://meet.example.coop/b/abc-def-ghi\u200b', 'whitespace', /invisible/],
    ['https://meet.example.coop\u202e/b/abc-def-ghi', 'whitespace', /invisible/],
    ['https://meet.example.coop/b/\u0000abc', 'whitespace', /invisible/],
    ['javascript:alert(1)//https://meet.example.coop/b/abc-def-ghi', 'scheme', /"javascript:"/],
    ['JaVaScRiPt:alert(document.cookie)', 'scheme', /"javascript:"/],
    ['data:text/html,<script>alert(1)</script>', 'scheme', /"data:"/],
    ['file:///etc/passwd', 'scheme', /"file:"/],
    ['plenary://join?url=x', 'scheme', /"plenary:"/],
    ['meet.example.coop/b/abc-def-ghi', 'not_a_url', /starts with https/],
    ['https:/meet.example.coop/b/abc-def-ghi', 'not_a_url', /not a web address/],
    ['http://meet.example.coop/b/abc-def-ghi', 'insecure', /not encrypted/],
    ['https://user:pass@meet.example.coop/b/abc-def-ghi', 'userinfo', /user name or password/],
    ['https://meet.example.coop@evil.example/b/abc-def-ghi', 'userinfo', /user name or password/],
    ['https://mееt.example.coop/b/abc-def-ghi', 'non_ascii_host', /non-ASCII/],
    ['https://meet.example.coop\\@evil.example/b/abc-def-ghi', 'not_a_url', /backslash/],
    ['https://-meet.example.coop/b/abc-def-ghi', 'host', /not a valid host name/],
    ['https://intranet/b/abc-def-ghi', 'host', /not a full host name/],
    ['https://[2001:db8::1]/b/abc-def-ghi', 'host', /IPv6/],
    ['https://999.1.1.1/b/abc-def-ghi', 'host', /neither a host name nor an IPv4/],
    ['https://meet.example.coop:0/b/abc-def-ghi', 'port', /not a valid port/],
    ['https://meet.example.coop:99999/b/abc-def-ghi', 'port', /not a valid port/],
    ['https://meet.example.coop/', 'path', /not a room/],
    ['https://meet.example.coop/b/../admin', 'path', /dot segments/],
    ['https://meet.example.coop/b/%61bc-def-ghi', 'path', /encoded/],
    ['https://meet.example.coop//b/abc-def-ghi', 'path', /encoded or dot/],
    ['https://meet.example.coop/b/ABC-DEF-GHI', 'room_code', /not a Greenlight room code/],
    ['https://meet.example.coop/b/abc-def', 'room_code', /abc-def-ghi/],
    ['https://meet.example.coop/rooms/abc-def-ghi/join', 'room_code', /abc-def-ghi-jkl/],
    ['https://meet.example.coop/rooms/abc-def-ghi-jkl', 'path', /not a room/],
    ['https://meet.example.coop/admin/users', 'path', /not a room/],
    ['https://bbb.example.coop/bigbluebutton/api/join?meetingID=x&checksum=' + 'a'.repeat(40), 'join_query', /"fullName"/],
    ['https://bbb.example.coop/bigbluebutton/api/join?fullName=A&meetingID=x', 'join_query', /"checksum"/],
    ['https://bbb.example.coop/bigbluebutton/api/join?fullName=A&meetingID=x&checksum=nothex', 'join_query', /SHA-1/],
    ['https://bbb.example.coop/bigbluebutton/api/join?fullName=%E0%A4%A&meetingID=x&checksum=' + 'a'.repeat(40), 'join_query', /badly encoded/],
    ['https://bbb.example.coop/bigbluebutton/api/create?name=x', 'path', /not a room/],
  ];

  it.each(cases.map(([input, problem, message]) => [problem, input.slice(0, 70), input, message] as const))('refuses as %s: %j', (_p, _shown, input, message) => {
    const problem = _p;
    const result = parseRoomLink(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toBe(problem);
    expect(result.message).toMatch(message);
  });
});

describe('originOf', () => {
  it('gives the origin of http(s) URLs and null for anything else', () => {
    expect(originOf('https://Meet.Example.coop:443/b/x?y#z')).toBe('https://meet.example.coop');
    expect(originOf('http://127.0.0.1:80/')).toBe('http://127.0.0.1');
    expect(originOf('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(originOf('https://a@evil.example/')).toBeNull();
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(originOf('plenary://join')).toBeNull();
  });
});
