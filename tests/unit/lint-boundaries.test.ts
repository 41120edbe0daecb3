// Plants import violations in each runtime folder and checks the boundary lint fires,
// and that legal imports pass.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

const eslint = new ESLint({ cwd: repoRoot });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const crossing = (messages: string[]) => messages.filter((m) => m.startsWith('no-restricted-imports') || m.startsWith('no-restricted-globals'));

describe('runtime boundary lint', () => {
  it.each([
    ['shared/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['shared/planted.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['shared/planted.ts', "import { createCore } from '../main/core/app-core';\nexport const x = createCore;\n"],
    ['shared/planted.ts', 'export const x = () => document.title;\n'],
    ['main/core/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/core/planted.ts', "import { registerIpc } from '../shell/ipc';\nexport const x = registerIpc;\n"],
    ['main/core/planted.ts', "import { App } from '../../renderer/src/app/app';\nexport const x = App;\n"],
    ['main/bridge/planted.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n"],
    ['renderer/src/planted.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"],
    ['renderer/src/planted.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['renderer/src/planted.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['renderer/src/planted.ts', "import { createCore } from '../../main/core/app-core';\nexport const x = createCore;\n"],
    ['renderer/src/planted.ts', 'export const x = () => process.env.HOME;\n'],
    ['preload/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['preload/planted.ts', "import { createCore } from '../main/core/app-core';\nexport const x = createCore;\n"],
  ])('fires on a planted violation in %s: %s', async (file, code) => {
    expect(crossing(await lint(file, code))).not.toEqual([]);
  });

  it.each([
    ['shared/planted.ts', "import { z } from 'zod';\nexport const x = z.string();\n"],
    ['main/core/planted.ts', "import { join } from 'node:path';\nimport Database from 'better-sqlite3';\nexport const x = [join, Database];\n"],
    ['main/shell/planted.ts', "import { app } from 'electron';\nimport { createCore } from '../core/app-core';\nexport const x = [app, createCore];\n"],
    ['renderer/src/planted.ts', "import { callNames } from '../../shared/contract';\nexport const x = callNames;\n"],
    ['preload/planted.ts', "import { contextBridge } from 'electron';\nimport { callNames } from '../shared/contract';\nexport const x = [contextBridge, callNames];\n"],
  ])('allows legal imports in %s', async (file, code) => {
    expect(crossing(await lint(file, code))).toEqual([]);
  });
});

describe('hard-coded UI string lint', () => {
  it('fires on literal JSX text and user-facing attributes in the renderer', async () => {
    const messages = await lint('renderer/src/planted.tsx', 'export const A = () => <button aria-label="Close">Close now</button>;\n');
    expect(messages.filter((m) => m.startsWith('plenary/no-literal-ui-string'))).toHaveLength(2);
  });

  it('fires on literal menu labels built in main', async () => {
    const messages = await lint('main/shell/planted.ts', "export const item = { label: 'Quit Plenary' };\n");
    expect(messages.some((m) => m.startsWith('plenary/no-literal-ui-string'))).toBe(true);
  });

  it('accepts translated text and punctuation-only literals', async () => {
    const messages = await lint(
      'renderer/src/planted.tsx',
      "import { useTranslation } from 'react-i18next';\nexport const A = () => { const { t } = useTranslation(); return <p title={t('close')}>{t('close')} · 1</p>; };\n",
    );
    expect(messages.filter((m) => m.startsWith('plenary/no-literal-ui-string'))).toEqual([]);
  });
});
