// The pieces that keep the bridge alive under bad input: paths that cannot be decoded are
// refused instead of thrown, refusals are logged once a minute per kind, and an unhandled
// rejection is logged instead of ending the process.
import { describe, expect, it } from 'vitest';
import { requestedPath } from '../../main/bridge/static-files';
import { bridgeRequestUrl } from '../../main/bridge/bridge-protocol';
import { rateLimitedLog } from '../../main/core/rate-limited-log';
import { installProcessGuard } from '../../main/bridge/process-guard';
import { createLogger, memorySink } from '../../main/core/log';

describe('request paths', () => {
  it('decodes good ones and refuses malformed encodings, NUL bytes and unparsable URLs', () => {
    expect(requestedPath('/assets/index-abc.js')).toBe('/assets/index-abc.js');
    expect(requestedPath('/caf%C3%A9')).toBe('/café');
    expect(requestedPath(undefined)).toBe('/');
    for (const bad of ['/%E0%A4%A', '/%', '/%zz', '/a%00b', 'http://[::1']) expect(requestedPath(bad), bad).toBeNull();
    expect(bridgeRequestUrl('http://[::1')).toBeNull();
    expect(bridgeRequestUrl('/bridge?token=x')?.pathname).toBe('/bridge');
  });
});

describe('rate-limited logging', () => {
  it('writes the first of each kind, then one a minute with how many were left out', () => {
    const { records, sink } = memorySink();
    let now = 0;
    const log = rateLimitedLog(createLogger('bridge', sink), { now: () => now });
    for (let i = 0; i < 1000; i++) log.warn('bad-path', 'refused a malformed request', { n: i });
    log.warn('other', 'another kind');
    now = 60_000;
    log.warn('bad-path', 'refused a malformed request', { n: 1000 });
    expect(records.map((r) => [r.message, r.fields])).toEqual([
      ['refused a malformed request', { n: 0 }],
      ['another kind', undefined],
      ['refused a malformed request', { n: 1000, notLogged: 999 }],
    ]);
  });
});

describe('the process guard', () => {
  it('logs an unhandled rejection instead of letting it end the process', async () => {
    const { records, sink } = memorySink();
    const remove = installProcessGuard(createLogger('bridge', sink));
    try {
      void Promise.reject(new Error('a handler forgot to catch this'));
      await expect.poll(() => records.length).toBe(1);
      expect(records[0]).toMatchObject({ level: 'warn', message: 'caught an unexpected failure; the bridge keeps running', fields: { reason: 'a handler forgot to catch this' } });
    } finally {
      remove();
    }
  });
});
