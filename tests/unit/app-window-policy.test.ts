import { describe, expect, it } from 'vitest';
import {
  appOrigin,
  decideMainWindowNavigation,
  decideMainWindowOpen,
  hardenedWebPreferences,
  isTrustedSender,
  spellCheckerAllowed,
} from '../../main/core/policy/app-window-policy';
import { appContentSecurityPolicy } from '../../main/core/policy/content-security-policy';

describe('main window policy', () => {
  it('trusts only frames on the app origin', () => {
    expect(isTrustedSender(`${appOrigin}/index.html`)).toBe(true);
    expect(isTrustedSender('plenary-app://evil/index.html')).toBe(false);
    expect(isTrustedSender('https://example.org/')).toBe(false);
    expect(isTrustedSender('file:///etc/passwd')).toBe(false);
    expect(isTrustedSender('')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender('not a url')).toBe(false);
  });

  it('keeps the main window on its own pages and sends web links to the browser', () => {
    expect(decideMainWindowNavigation(`${appOrigin}/index.html#/votes`)).toEqual({ action: 'allow' });
    expect(decideMainWindowNavigation('https://meet.coop/')).toEqual({ action: 'open-external', url: 'https://meet.coop/' });
    expect(decideMainWindowNavigation('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(decideMainWindowNavigation('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(decideMainWindowNavigation('smb://host/share')).toEqual({ action: 'deny' });
  });

  it('never opens Electron windows from window.open', () => {
    expect(decideMainWindowOpen(`${appOrigin}/x`)).toEqual({ action: 'deny' });
    expect(decideMainWindowOpen('mailto:ops@meet.coop')).toEqual({ action: 'open-external', url: 'mailto:ops@meet.coop' });
  });

  it('hardens every window', () => {
    expect(hardenedWebPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('has a strict CSP without unsafe sources', () => {
    const csp = appContentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("object-src 'none'");
  });

  it('keeps the spell checker from downloading dictionaries on Linux', () => {
    expect(spellCheckerAllowed('linux')).toBe(false);
    expect(spellCheckerAllowed('darwin')).toBe(true);
    expect(spellCheckerAllowed('win32')).toBe(true);
  });
});
