import { describe, expect, it } from 'vitest';
import { checkLocales, checkUsedKeys } from '../../scripts/check-i18n';
import { resources } from '../../shared/i18n/resources';
import { negotiateLocale, supportedLocales } from '../../shared/locales';

describe('translations', () => {
  it('ship every key in every locale', () => {
    expect(supportedLocales).toEqual(['en', 'es', 'ca', 'fr', 'de', 'ja']);
    expect(checkLocales()).toEqual([]);
  });

  it('only use keys English defines', () => {
    expect(checkUsedKeys(['renderer/src', 'main'])).toEqual([]);
  });

  it('detect a locale that lacks a key, or has mismatched placeholders', () => {
    const broken = structuredClone(resources);
    delete (broken.de.common.nav as Record<string, unknown>).votes;
    (broken.ja.settings as Record<string, unknown>).version = 'バージョン';
    const problems = checkLocales(broken);
    expect(problems).toContain('de/common.json lacks "nav.votes"');
    expect(problems.some((p) => p.startsWith('ja/settings.json "version" uses placeholders'))).toBe(true);
  });

  it('negotiate the locale from system preferences', () => {
    expect(negotiateLocale(['fr-CA', 'en'])).toBe('fr');
    expect(negotiateLocale(['pt-BR', 'ca-ES'])).toBe('ca');
    expect(negotiateLocale(['zh'])).toBe('en');
  });
});
