// Main's translator: same resources as the renderer, the user's language or the system's,
// English as the fallback, and {{placeholders}} filled in.
import { describe, expect, it } from 'vitest';
import { createTranslator, mainLocale } from '../../main/core/i18n/translator';
import { openDatabase } from '../../main/core/store/database';
import { SettingsService } from '../../main/core/settings/settings-service';

describe('main translator', () => {
  it('translates namespaced keys with placeholders', () => {
    expect(createTranslator('de')('chat:ssoPage.doneTitle')).toBe('Bei Plenary angemeldet');
    expect(createTranslator('ja')('chat:server.ssoWith', { name: 'CAS' })).toBe('CAS でサインイン');
    expect(createTranslator('fr')('nav.chat')).toBe('Discussion');
  });

  it('picks plural forms with the locale\'s plural rules', () => {
    expect(createTranslator('en')('chat:tray.unread', { count: 1 })).toBe('Plenary: 1 unread message');
    expect(createTranslator('en')('chat:tray.unread', { count: 5 })).toBe('Plenary: 5 unread messages');
    expect(createTranslator('fr')('chat:unreadCount', { count: 0 })).toBe('0 message non lu');
    expect(createTranslator('ja')('chat:unreadCount', { count: 3 })).toBe('未読メッセージ 3 件');
  });

  it('falls back to the key when nothing defines it', () => {
    expect(createTranslator('es')('chat:missing.key')).toBe('missing.key');
  });

  it('follows the setting, else the system locale', () => {
    const settings = new SettingsService(openDatabase(':memory:'), 'web');
    expect(mainLocale(settings, ['ca-ES'])).toBe('ca');
    expect(mainLocale(settings, ['pt-BR'])).toBe('en');
    settings.write({ key: 'locale', value: 'ja' });
    expect(mainLocale(settings, ['ca-ES'])).toBe('ja');
  });
});
