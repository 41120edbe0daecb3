import { describe, expect, it } from 'vitest';
import { expectedOrigin, isAllowedHost, parseBridgeRequest, tokensMatch } from '../../main/bridge/bridge-protocol';

describe('bridge protocol', () => {
  it('parses well-formed requests', () => {
    expect(parseBridgeRequest('{"id":1,"channel":"app.info","input":{}}')).toEqual({ ok: true, request: { id: 1, channel: 'app.info', input: {} } });
  });

  it.each([
    ['not json', 'message is not valid JSON'],
    ['[1,2]', 'message must be a JSON object'],
    ['null', 'message must be a JSON object'],
    ['{"channel":"app.info"}', 'message needs an integer "id"'],
    ['{"id":1.5,"channel":"app.info"}', 'message needs an integer "id"'],
    ['{"id":2,"channel":7}', 'message needs a string "channel"'],
  ])('rejects %s', (raw, reason) => {
    const parsed = parseBridgeRequest(raw);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toBe(reason);
  });

  it('compares tokens exactly', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('ab', 'abc')).toBe(false);
    expect(tokensMatch(null, 'abc')).toBe(false);
  });

  it('accepts only loopback hosts on its own port', () => {
    expect(expectedOrigin(4000)).toBe('http://127.0.0.1:4000');
    expect(isAllowedHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedHost('localhost:4000', 4000)).toBe(false);
    expect(isAllowedHost('evil.example:4000', 4000)).toBe(false);
    expect(isAllowedHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isAllowedHost(undefined, 4000)).toBe(false);
  });
});
