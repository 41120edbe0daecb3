// Settings › Meetings tells an operator, in words, when the BBB secret is kept only until
// Plenary quits (no usable keychain), as Settings › Coop server does for the sign-in; the
// core reports how its secret store keeps things in bbb.settings.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resources, namespaces } from '../../shared/i18n/resources';
import { SecretPersistenceNotice } from '../../renderer/src/meetings/bbb-settings';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import type { BbbSettingsView } from '../../shared/meetings/types';
import type { SecretStore } from '../../main/core/secrets/secret-store';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ resources, lng: 'en', fallbackLng: 'en', ns: [...namespaces], defaultNS: 'common', interpolation: { escapeValue: false } });
});

const cores: Core[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const notice = 'Your computer has no keychain Plenary can use, so the BBB secret is kept only until Plenary quits: enter it again after each start.';

describe('the BBB secret notice', () => {
  it('is shown when the secret is kept in memory only, and translated', async () => {
    await i18next.changeLanguage('en');
    expect(renderToStaticMarkup(createElement(SecretPersistenceNotice, { persistence: 'memory' }))).toBe(`<p class="token-storage-notice">${notice}</p>`);
    await i18next.changeLanguage('fr');
    expect(renderToStaticMarkup(createElement(SecretPersistenceNotice, { persistence: 'memory' }))).toContain('trousseau');
  });

  it('is not shown when the secret is stored', () => {
    for (const persistence of ['encrypted', 'user-file'] as const) expect(renderToStaticMarkup(createElement(SecretPersistenceNotice, { persistence }))).toBe('');
  });

  it('follows the secret store: bbb.settings says how the secret is kept', async () => {
    for (const persistence of ['memory', 'encrypted'] as const) {
      const values = new Map<string, string>();
      const secrets: SecretStore = { persistence, get: (name) => values.get(name), set: (name, value) => void values.set(name, value), delete: (name) => void values.delete(name) };
      const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bbb-notice-'));
      dirs.push(dataDir);
      const core = createCore({ dataDir, runtime: 'web', secrets, log: createLogger('test', memorySink().sink) });
      cores.push(core);
      const outcome = await core.dispatch('bbb.settings', {}, { transport: 'test' });
      expect(outcome).toMatchObject({ ok: true, value: { secretPersistence: persistence } satisfies Partial<BbbSettingsView> });
    }
  });
});
