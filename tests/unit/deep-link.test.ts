// Links handed to the app from outside (plenary://join, https room links, command-line
// arguments of a second instance): valid ones become join actions, garbage is ignored with
// a reason for the log and never throws, and unknown hosts need the member's confirmation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDeepLinkJoin, deepLinkFromArgv, forLog, parseDeepLink } from '../../main/core/policy/deep-link';

const room = 'https://meet.example.coop/b/abc-def-ghi';

describe('deep links', () => {
  it('reads plenary://join?url= with an encoded room link', () => {
    const result = parseDeepLink(`plenary://join?url=${encodeURIComponent(room)}`);
    expect(result).toMatchObject({ ok: true, action: { kind: 'join-link', link: { kind: 'greenlight-v2', url: room, host: 'meet.example.coop' } } });
  });

  it('reads plenary://join?room= and the plenary:join form some systems hand over', () => {
    expect(parseDeepLink('plenary://join?room=01JD00000000000000000000AB')).toEqual({ ok: true, action: { kind: 'join-room', roomId: '01JD00000000000000000000AB' } });
    expect(parseDeepLink('plenary:join?room=r1')).toEqual({ ok: true, action: { kind: 'join-room', roomId: 'r1' } });
    expect(parseDeepLink('PLENARY://JOIN/?room=r1')).toEqual({ ok: true, action: { kind: 'join-room', roomId: 'r1' } });
  });

  it('reads https room links given directly', () => {
    expect(parseDeepLink('https://gl.example.coop/abc-def-ghi-jkl')).toMatchObject({ ok: true, action: { kind: 'join-link', link: { kind: 'greenlight-v3' } } });
  });

  it.each([
    ['', 'empty link'],
    ['plenary://', 'unknown plenary:// action ""'],
    ['plenary://settings?x=1', 'unknown plenary:// action "settings"'],
    ['plenary://join', 'exactly one of url= or room='],
    [`plenary://join?url=${encodeURIComponent(room)}&room=r1`, 'exactly one of url= or room='],
    ['plenary://join?room=../../etc', 'is not a room id'],
    ['plenary://join?room=%E0%A4%A', 'badly encoded'],
    ['plenary://join?url=javascript%3Aalert(1)', '"javascript:" are not room links'],
    ['plenary://join?url=https%3A%2F%2Fuser%40evil.example%2Fb%2Fabc-def-ghi', 'user name or password'],
    ['plenary://join?url=http%3A%2F%2Fmeet.example.coop%2Fb%2Fabc-def-ghi', 'not encrypted'],
    ['plenary://join?url=x&debug=1', 'unknown parameters (url, debug)'],
    ['https://meet.example.coop/admin', 'not a room'],
    ['file:///etc/passwd', 'not a plenary:// or https:// link'],
    ['javascript:alert(1)', 'not a plenary:// or https:// link'],
    [`plenary://join?url=${'a'.repeat(5000)}`, 'longer than 4096'],
    ['plenary://discourse-auth', 'needs exactly payload='],
    ['plenary://discourse-auth?payload=abc&x=1', 'needs exactly payload='],
    ['plenary://discourse-auth?payload=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'not base64'],
  ])('refuses %j with a reason', (raw, reason) => {
    const result = parseDeepLink(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it("reads the forum's answer to a sign-in, with Ruby's line breaks in the base64", () => {
    const payload = `${'A'.repeat(60)}\n${'b+/9'.repeat(10)}==\n`;
    expect(parseDeepLink(`plenary://discourse-auth?payload=${encodeURIComponent(payload)}`)).toEqual({ ok: true, action: { kind: 'discourse-auth', payload } });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((s) => `plenary://join?${s}`), fc.string().map((s) => `plenary://join?url=${s}`)), (raw) => {
        const result = parseDeepLink(raw);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    expect(parseDeepLink(undefined as unknown as string)).toEqual({ ok: false, reason: 'empty link' });
  });
});

describe('deep links from command-line arguments', () => {
  it('finds the link after the executable, app path and Chromium switches', () => {
    const argv = ['/opt/Plenary/plenary', '--no-sandbox', '--allow-file-access-from-files', '.', `plenary://join?url=${encodeURIComponent(room)}`];
    expect(deepLinkFromArgv(argv)).toMatchObject({ action: { kind: 'join-link' }, rejected: [] });
    expect(deepLinkFromArgv(['C:\\Program Files\\Plenary\\Plenary.exe', room]).action).toMatchObject({ kind: 'join-link' });
  });

  it('ignores garbage arguments, reporting link-like ones for the log', () => {
    const argv = ['/opt/Plenary/plenary', '--inspect=9229', 'C:\\evil.txt', 'plenary://join?url=javascript%3Aalert(1)', 'https://evil.example/login', '\u0000\u001b[31m', 42, null, { a: 1 }];
    const result = deepLinkFromArgv(argv as unknown[]);
    expect(result.action).toBeNull();
    expect(result.rejected.map((r) => r.arg)).toEqual(['plenary://join?url=javascript%3Aalert(1)', 'https://evil.example/login']);
    expect(deepLinkFromArgv('not an array' as unknown as unknown[])).toEqual({ action: null, rejected: [] });
    expect(deepLinkFromArgv([])).toEqual({ action: null, rejected: [] });
  });

  it('never throws on arbitrary argument lists', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.webUrl(), fc.integer(), fc.constant(null)), { maxLength: 100 }), (argv) => {
        const result = deepLinkFromArgv(argv);
        expect(result.rejected.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps log lines short and free of control characters', () => {
    expect(forLog('a\u0000b\nc')).toBe('a?b?c');
    expect(forLog('x'.repeat(500))).toHaveLength(121);
  });
});

describe('deep link joins', () => {
  const coop = { decidedBy: 'coop' as const, entries: [{ pattern: 'https://meet.example.coop', source: 'coop' as const }] };
  const member = { decidedBy: 'member' as const, entries: [{ pattern: 'https://*.example.coop', source: 'member' as const }] };

  it('joins a link on a meeting host, and refuses any other host in words instead of asking', () => {
    const parsed = parseDeepLink(room);
    if (!parsed.ok || parsed.action.kind !== 'join-link') throw new Error('expected a room link');
    const url = parsed.action.link.url;
    expect(decideDeepLinkJoin(url, coop)).toEqual({ kind: 'join' });
    expect(decideDeepLinkJoin('https://other.example.org/b/abc-def-ghi', coop)).toEqual({ kind: 'refuse', url: 'https://other.example.org/b/abc-def-ghi', host: 'other.example.org', decidedBy: 'coop' });
    expect(decideDeepLinkJoin('https://meet.elsewhere.org/b/abc-def-ghi', member)).toMatchObject({ kind: 'refuse', decidedBy: 'member', host: 'meet.elsewhere.org' });
    expect(decideDeepLinkJoin('https://bbb.example.coop/b/abc-def-ghi', member)).toEqual({ kind: 'join' });
  });

  it('refuses everything while the member trusts no host yet', () => {
    expect(decideDeepLinkJoin('https://meet.example.coop/b/abc-def-ghi', { decidedBy: 'member', entries: [] })).toMatchObject({ kind: 'refuse', host: 'meet.example.coop' });
  });
});
