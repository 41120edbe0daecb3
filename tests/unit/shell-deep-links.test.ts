// The shell's deep-link glue with Electron mocked: links arriving by command line, a second
// instance or macOS open-url reach the handler once the app is ready; malformed ones and
// garbage arguments are logged and ignored, never thrown, never opened.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, memorySink } from '../../main/core/log';
import type { DeepLinkAction } from '../../main/core/policy/deep-link';

const listeners = new Map<string, (...args: unknown[]) => void>();
vi.mock('electron', () => ({
  app: {
    setAsDefaultProtocolClient: vi.fn(() => true),
    on: vi.fn((name: string, listener: (...args: unknown[]) => void) => listeners.set(name, listener)),
  },
}));

const { registerDeepLinks } = await import('../../main/shell/protocol');

const room = 'https://meet.example.coop/b/abc-def-ghi';

function setup() {
  const { records, sink } = memorySink();
  const links = registerDeepLinks(createLogger('shell', sink));
  const opened: DeepLinkAction[] = [];
  return { links, opened, records, ready: () => links.ready((a) => opened.push(a)) };
}

beforeEach(() => listeners.clear());

describe('deep links in the shell', () => {
  it('queues a link from the launch arguments until the app is ready', () => {
    const { links, opened, ready } = setup();
    expect(links.handleArgv(['/opt/Plenary/plenary', `plenary://join?url=${encodeURIComponent(room)}`])).toBe(true);
    expect(opened).toEqual([]);
    ready();
    expect(opened).toMatchObject([{ kind: 'join-link', link: { url: room } }]);
  });

  it('handles macOS open-url, including before ready', () => {
    const { opened, ready } = setup();
    const preventDefault = vi.fn();
    listeners.get('open-url')!({ preventDefault }, 'plenary://join?room=r1');
    ready();
    expect(preventDefault).toHaveBeenCalled();
    expect(opened).toEqual([{ kind: 'join-room', roomId: 'r1' }]);
  });

  it('ignores a second instance started with garbage, with a log line, opening nothing', () => {
    const { links, opened, records, ready } = setup();
    ready();
    const garbage = ['/opt/Plenary/plenary', '--evil-flag', 'plenary://join?url=javascript%3Aalert(1)', 'plenary://delete-everything', '\u0000\u0007', 'https://attacker.example/phish', 12, undefined];
    expect(links.handleArgv(garbage as unknown[])).toBe(false);
    expect(links.handleArgv(null as unknown as unknown[])).toBe(false);
    expect(opened).toEqual([]);
    const warnings = records.filter((r) => r.level === 'warn').map((r) => r.fields?.link);
    expect(warnings).toEqual(['plenary://join?url=javascript%3Aalert(1)', 'plenary://delete-everything', 'https://attacker.example/phish']);
  });

  it('ignores a malformed open-url with a log line', () => {
    const { opened, records, ready } = setup();
    ready();
    listeners.get('open-url')!({ preventDefault: () => {} }, 'plenary://join?url=https%3A%2F%2Fuser%40evil.example%2Fb%2Fabc-def-ghi');
    listeners.get('open-url')!({ preventDefault: () => {} }, 42);
    expect(opened).toEqual([]);
    expect(records.filter((r) => r.level === 'warn').map((r) => r.message)).toEqual(['ignored a malformed link', 'ignored a malformed link']);
  });

  it('keeps going when opening a meeting throws', () => {
    const { links, records } = setup();
    links.ready(() => {
      throw new Error('window failed');
    });
    expect(() => links.handleArgv([room])).not.toThrow();
    expect(records.some((r) => r.level === 'error' && r.message === 'handling a deep link failed')).toBe(true);
  });
});
