import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { addressMatchesPattern, encryptsCircleRooms, parseServerAddress } from '../../shared/coop-config';
import { createCore } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import {
  coopConfigMaxBytes,
  coopConfigSources,
  loadCoopConfig,
  parseCoopConfig,
  validateCoopConfig,
  type CoopConfigSource,
} from '../../main/core/config/coop-config';

const meetCoop = {
  version: 1,
  coop: { name: 'meet.coop', website: 'https://www.meet.coop/' },
  matrix: { homeserver: 'https://Matrix.Meet.Coop/', serverName: 'meet.coop' },
  greenlight: { hosts: ['https://meet.coop'] },
  bbb: { hosts: ['https://bbb.meet.coop', 'https://*.bbb.meet.coop'] },
  updates: { url: 'https://updates.meet.coop/plenary/' },
};

describe('coop.json validation', () => {
  it('accepts a full configuration and normalises addresses', () => {
    const result = validateCoopConfig(meetCoop);
    expect(result).toEqual({
      ok: true,
      config: {
        version: 1,
        coop: { name: 'meet.coop', website: 'https://www.meet.coop' },
        matrix: { homeserver: 'https://matrix.meet.coop', serverName: 'meet.coop' },
        greenlight: { hosts: ['https://meet.coop'] },
        bbb: { hosts: ['https://bbb.meet.coop', 'https://*.bbb.meet.coop'] },
        updates: { enabled: true, url: 'https://updates.meet.coop/plenary', channel: 'latest' },
      },
    });
  });

  it('accepts the example in the README', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Pre-configure your coop'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(parseCoopConfig(example!)).toMatchObject({ ok: true, config: { coop: { name: 'meet.coop' } } });
  });

  it('needs only a version and the coop name', () => {
    expect(validateCoopConfig({ version: 1, coop: { name: 'Small coop' } })).toMatchObject({ ok: true });
  });

  it('refuses plain http except for this computer', () => {
    const remote = validateCoopConfig({ ...meetCoop, matrix: { homeserver: 'http://matrix.meet.coop' } });
    expect(remote).toEqual({ ok: false, messages: [expect.stringMatching(/^matrix\.homeserver: must start with https:\/\//)] });
    const local = validateCoopConfig({ ...meetCoop, matrix: { homeserver: 'http://127.0.0.1:8008' }, greenlight: { hosts: ['http://localhost:3000'] } });
    expect(local).toMatchObject({ ok: true, config: { matrix: { homeserver: 'http://127.0.0.1:8008' }, greenlight: { hosts: ['http://localhost:3000'] } } });
  });

  it("takes the coop's forum and NextCloud addresses, https only except on this computer", () => {
    const both = validateCoopConfig({ ...meetCoop, discourse: { url: 'https://Forum.Meet.Coop/' }, nextcloud: { url: 'https://cloud.meet.coop/nextcloud/' } });
    expect(both).toMatchObject({ ok: true, config: { discourse: { url: 'https://forum.meet.coop' }, nextcloud: { url: 'https://cloud.meet.coop/nextcloud' } } });
    expect(validateCoopConfig({ ...meetCoop, discourse: { url: 'http://forum.meet.coop' }, nextcloud: { url: 'cloud' } })).toEqual({
      ok: false,
      messages: [expect.stringMatching(/^discourse\.url: must start with https:\/\//), 'nextcloud.url: must be a server address such as https://cloud.example.coop'],
    });
    expect(validateCoopConfig({ ...meetCoop, discourse: { url: 'http://127.0.0.1:4200' } })).toMatchObject({ ok: true });
    expect(validateCoopConfig({ ...meetCoop, discourse: { url: 'https://forum.meet.coop', apiKey: 'x' } })).toMatchObject({ ok: false, messages: [expect.stringContaining('must not contain secrets')] });
  });

  it('refuses meeting hosts without https, naming the list and the entry', () => {
    const result = validateCoopConfig({ ...meetCoop, greenlight: { hosts: ['http://meet.coop'] }, bbb: { hosts: ['https://bbb.meet.coop', 'http://*.bbb.meet.coop'] } });
    expect(result).toEqual({
      ok: false,
      messages: [
        'greenlight.hosts.0: must start with https:// (plain http:// is only accepted for this computer: localhost or 127.0.0.1)',
        'bbb.hosts.1: must start with https:// (plain http:// is only accepted for this computer: localhost or 127.0.0.1)',
      ],
    });
  });

  it('names every bad field and says what to write instead', () => {
    const result = validateCoopConfig({
      version: 2,
      coop: { name: '' },
      greenlight: { hosts: ['https://meet.coop/b/abc-def-ghi'] },
      bbb: { hosts: ['bbb.meet.coop'] },
      updates: { channel: 'nightly' },
    });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.messages;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: must be 1/),
        expect.stringMatching(/^coop\.name: must not be empty/),
        expect.stringMatching(/^greenlight\.hosts\.0: must be the server's address only, without a path/),
        expect.stringMatching(/^bbb\.hosts\.0: must be a server address such as https:\/\/bbb\.example\.coop/),
        expect.stringMatching(/^updates\.channel: /),
      ]),
    );
  });

  it('allows a wildcard only for BigBlueButton hosts', () => {
    const result = validateCoopConfig({ ...meetCoop, greenlight: { hosts: ['https://*.meet.coop'] } });
    expect(result).toEqual({ ok: false, messages: [expect.stringMatching(/^greenlight\.hosts\.0: cannot use a "\*\." wildcard/)] });
  });

  it('refuses secrets with an explanation, and unknown settings by name', () => {
    const result = validateCoopConfig({ ...meetCoop, bbb: { hosts: ['https://bbb.meet.coop'], secret: 'abc' }, colour: 'blue' });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.messages;
    expect(messages).toContainEqual(expect.stringMatching(/^bbb\.secret: coop\.json must not contain secrets/));
    expect(messages).toContainEqual(expect.stringMatching(/^colour: unknown setting/));
  });

  it('explains a JSON syntax error and accepts a byte-order mark', () => {
    expect(parseCoopConfig('{ "version": 1, }')).toEqual({ ok: false, messages: [expect.stringMatching(/^coop\.json is not valid JSON/)] });
    expect(parseCoopConfig('\uFEFF{"version":1,"coop":{"name":"x"}}')).toMatchObject({ ok: true });
    expect(parseCoopConfig('[]')).toEqual({ ok: false, messages: [expect.stringMatching(/^coop\.json must hold one JSON object/)] });
  });
});

describe('server addresses', () => {
  it('parses only plain server addresses', () => {
    expect(parseServerAddress('https://Meet.Coop:8443/b/')).toEqual({ scheme: 'https', host: 'meet.coop', port: 8443, path: '/b' });
    expect(parseServerAddress('https://[::1]:8008')).toEqual({ scheme: 'https', host: '[::1]', port: 8008, path: '' });
    for (const bad of ['meet.coop', 'ftp://meet.coop', 'https://user:pw@meet.coop', 'https://meet.coop/?x=1', 'https://meet.coop/#x', 'https://-bad.coop', 'https://meet.coop:0', 'https://meet.coop:70000', 'https://meet coop', 'javascript:alert(1)']) {
      expect(parseServerAddress(bad), bad).toBeNull();
    }
  });

  it('matches hosts and one-label wildcards, never across schemes or ports', () => {
    expect(addressMatchesPattern('https://bbb.meet.coop', 'https://bbb.meet.coop/html5client/join?x=1')).toBe(true);
    expect(addressMatchesPattern('https://*.meet.coop', 'https://bbb3.meet.coop/x')).toBe(true);
    expect(addressMatchesPattern('https://*.meet.coop', 'https://meet.coop/')).toBe(false);
    expect(addressMatchesPattern('https://*.meet.coop', 'https://a.b.meet.coop/')).toBe(false);
    expect(addressMatchesPattern('https://*.meet.coop', 'https://evilmeet.coop/')).toBe(false);
    expect(addressMatchesPattern('https://bbb.meet.coop', 'http://bbb.meet.coop/')).toBe(false);
    expect(addressMatchesPattern('https://bbb.meet.coop', 'https://bbb.meet.coop:8443/')).toBe(false);
    expect(addressMatchesPattern('https://bbb.meet.coop', 'https://bbb.meet.coop.evil.org/')).toBe(false);
  });
});

describe('where coop.json is looked for', () => {
  it('lists the environment, the member, the computer and the installer, most specific first', () => {
    expect(coopConfigSources({ platform: 'linux', env: { PLENARY_COOP_CONFIG: '/tmp/try.json' }, userDir: '/home/ana/.config/Plenary', resourcesDir: '/opt/Plenary/resources' })).toEqual([
      { kind: 'environment', path: '/tmp/try.json' },
      { kind: 'user', path: '/home/ana/.config/Plenary/coop.json' },
      { kind: 'system', path: '/etc/plenary/coop.json' },
      { kind: 'installer', path: '/opt/Plenary/resources/coop.json' },
    ]);
    expect(coopConfigSources({ platform: 'darwin', env: {}, userDir: '/Users/ana/Library/Application Support/Plenary' }).map((s) => s.path)).toEqual([
      '/Users/ana/Library/Application Support/Plenary/coop.json',
      '/Library/Application Support/Plenary/coop.json',
    ]);
    expect(
      coopConfigSources({ platform: 'win32', env: { ProgramData: 'D:\\ProgramData' }, userDir: 'C:\\Users\\ana\\AppData\\Roaming\\Plenary', resourcesDir: 'C:\\Program Files\\Plenary\\resources' }).map((s) => s.path),
    ).toEqual(['C:\\Users\\ana\\AppData\\Roaming\\Plenary\\coop.json', 'D:\\ProgramData\\Plenary\\coop.json', 'C:\\Program Files\\Plenary\\resources\\coop.json']);
  });
});

describe('loading coop.json', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const sourcesIn = (root: string): CoopConfigSource[] => [
    { kind: 'user', path: join(root, 'user', 'coop.json') },
    { kind: 'system', path: join(root, 'system', 'coop.json') },
    { kind: 'installer', path: join(root, 'installer', 'coop.json') },
  ];
  const write = (root: string, kind: string, content: string) => {
    mkdirSync(join(root, kind), { recursive: true });
    writeFileSync(join(root, kind, 'coop.json'), content);
  };

  it('works without any coop.json', () => {
    dir = mkdtempSync(join(tmpdir(), 'plenary-coop-'));
    expect(loadCoopConfig(sourcesIn(dir))).toEqual({ config: null, source: null, problems: [] });
  });

  it('uses the most specific valid file and reports the broken ones it skipped', () => {
    dir = mkdtempSync(join(tmpdir(), 'plenary-coop-'));
    write(dir, 'user', '{ "version": 1, "coop": { "name": "x" }, "matrix": { "homeserver": "http://matrix.example.coop" } }');
    write(dir, 'system', JSON.stringify({ version: 1, coop: { name: 'From the computer' } }));
    write(dir, 'installer', JSON.stringify({ version: 1, coop: { name: 'From the installer' } }));
    const state = loadCoopConfig(sourcesIn(dir));
    expect(state.config?.coop.name).toBe('From the computer');
    expect(state.source?.kind).toBe('system');
    expect(state.problems).toEqual([{ source: sourcesIn(dir)[0], messages: [expect.stringMatching(/^matrix\.homeserver: must start with https/)] }]);
  });

  it('refuses a file too large to be a coop.json, and a folder in its place', () => {
    dir = mkdtempSync(join(tmpdir(), 'plenary-coop-'));
    write(dir, 'user', ' '.repeat(coopConfigMaxBytes + 1));
    mkdirSync(join(dir, 'system', 'coop.json'), { recursive: true });
    const state = loadCoopConfig(sourcesIn(dir));
    expect(state.config).toBeNull();
    expect(state.problems.map((p) => p.source.kind)).toEqual(['user', 'system']);
    expect(state.problems[0]!.messages[0]).toMatch(/at most 65536/);
  });
});

describe('the core at startup', () => {
  it('reads coop.json into its services and logs a refused file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-coop-core-'));
    try {
      writeFileSync(join(dir, 'broken.json'), '{"version": 1, "coop": {"name": "x"}, "bbb": {"hosts": ["https://bbb.meet.coop"], "secret": "s3cret"}}');
      writeFileSync(join(dir, 'coop.json'), JSON.stringify(meetCoop));
      const { records, sink } = memorySink();
      const core = createCore({
        dataDir: join(dir, 'data'),
        runtime: 'web',
        secrets: new MemorySecretStore(),
        log: createLogger('test', sink),
        coopConfigSources: [
          { kind: 'environment', path: join(dir, 'broken.json') },
          { kind: 'user', path: join(dir, 'coop.json') },
        ],
      });
      try {
        expect(core.services.coop.config?.matrix?.homeserver).toBe('https://matrix.meet.coop');
        expect(core.services.coop.source).toEqual({ kind: 'user', path: join(dir, 'coop.json') });
        const warning = records.find((r) => r.message === 'ignored an invalid coop.json');
        expect(warning?.fields).toEqual({ path: join(dir, 'broken.json'), problems: [expect.stringMatching(/^bbb\.secret: coop\.json must not contain secrets/)] });
        expect(JSON.stringify(records)).not.toContain('s3cret');
        const outcome = await core.dispatch('coop.config', {}, { transport: 'test' });
        expect(outcome).toMatchObject({ ok: true, value: { config: { coop: { name: 'meet.coop' } }, source: { kind: 'user' }, problems: [{ source: { kind: 'environment' } }] } });
      } finally {
        core.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('encrypted circle rooms', () => {
  it('are on by default: without coop.json, without a matrix section, or without the setting', () => {
    expect(encryptsCircleRooms(null)).toBe(true);
    expect(encryptsCircleRooms(undefined)).toBe(true);
    const small = validateCoopConfig({ version: 1, coop: { name: 'Small coop' } });
    expect(small.ok && encryptsCircleRooms(small.config)).toBe(true);
    const unset = validateCoopConfig({ version: 1, coop: { name: 'Coop' }, matrix: { homeserver: 'https://matrix.example.org' } });
    expect(unset.ok && encryptsCircleRooms(unset.config)).toBe(true);
  });

  it('are on with encryptCircleRooms: true, off with false, and a non-boolean is refused clearly', () => {
    const off = validateCoopConfig({ version: 1, coop: { name: 'Coop' }, matrix: { homeserver: 'https://matrix.example.org', encryptCircleRooms: false } });
    expect(off.ok && encryptsCircleRooms(off.config)).toBe(false);
    const on = validateCoopConfig({ version: 1, coop: { name: 'Coop' }, matrix: { homeserver: 'https://matrix.example.org', encryptCircleRooms: true } });
    expect(on.ok && encryptsCircleRooms(on.config)).toBe(true);
    const bad = validateCoopConfig({ version: 1, coop: { name: 'Coop' }, matrix: { homeserver: 'https://matrix.example.org', encryptCircleRooms: 'no' } });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain('must be true or false');
  });
});
