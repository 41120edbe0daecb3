import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appOrigin, decideAppPagePermission, hardenedWebPreferences } from '../../main/core/policy/app-window-policy';
import { appContentSecurityPolicy } from '../../main/core/policy/content-security-policy';
import { repoRoot } from '../helpers/paths';

describe('permissions of Plenary pages', () => {
  it('allows only clipboard writes, and only to Plenary pages', () => {
    expect(decideAppPagePermission('clipboard-sanitized-write', `${appOrigin}/index.html`)).toBe(true);
    expect(decideAppPagePermission('clipboard-sanitized-write', appOrigin)).toBe(true);
    expect(decideAppPagePermission('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(decideAppPagePermission('clipboard-sanitized-write', undefined)).toBe(false);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'display-capture', 'hid', 'usb', 'serial', 'midiSysex', 'openExternal', 'fullscreen', 'pointerLock']) {
      expect(decideAppPagePermission(permission, `${appOrigin}/index.html`), permission).toBe(false);
    }
  });
});

describe('window preferences', () => {
  it('switch off middle-click new windows as well as Node, and keep the sandbox', () => {
    expect(hardenedWebPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegrationInSubFrames: false, disableBlinkFeatures: 'Auxclick' });
  });

  it('are spelled out in the main window exactly as the policy says', () => {
    // The type of hardened-window.ts enforces this at compile time; this keeps the literal
    // in windows.ts (which electronegativity reads) honest in plain text too.
    const source = readFileSync(join(repoRoot, 'main/shell/windows.ts'), 'utf8');
    for (const [key, value] of Object.entries(hardenedWebPreferences)) {
      expect(source, key).toContain(`${key}: ${typeof value === 'string' ? `'${value}'` : String(value)},`);
    }
    expect(source).toContain("from './hardened-window'");
  });
});

describe('content security policy of the page itself', () => {
  it('repeats the served policy in index.html, less what a <meta> cannot set', () => {
    const html = readFileSync(join(repoRoot, 'renderer/index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    // frame-ancestors is ignored in a <meta> policy (CSP Level 3, section 6.1), so only the header carries it.
    const served = appContentSecurityPolicy()
      .split('; ')
      .filter((directive) => !directive.startsWith('frame-ancestors'));
    expect(meta?.split('; ')).toEqual(served);
  });
});
