// Translations for text main shows itself (notifications, the SSO browser page, the tray
// tooltip), from the same bundled resources as the renderer. Keys are "namespace:path".
import { resources, type Namespace, type TranslationTree } from '../../../shared/i18n/resources';
import { negotiateLocale, type Locale } from '../../../shared/locales';
import type { SettingsService } from '../settings/settings-service';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

function lookup(tree: TranslationTree | undefined, path: string): string | undefined {
  let node: TranslationTree | string | undefined = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function createTranslator(locale: Locale): Translate {
  const plurals = new Intl.PluralRules(locale);
  return (key, params = {}) => {
    const [ns, path] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['common', key];
    const find = (p: string) => lookup(resources[locale][ns as Namespace], p) ?? lookup(resources.en[ns as Namespace], p);
    // Plural keys follow i18next: key_one, key_other (chosen by Intl.PluralRules).
    const plural = typeof params.count === 'number' ? (find(`${path}_${plurals.select(params.count)}`) ?? find(`${path}_other`)) : undefined;
    const text = plural ?? find(path) ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => (name in params ? String(params[name]) : `{{${name}}}`));
  };
}

/** The language main speaks: the user's choice in Settings, else the system's. */
export function mainLocale(settings: SettingsService, systemLocales: readonly string[] = [Intl.DateTimeFormat().resolvedOptions().locale]): Locale {
  const chosen = settings.read('locale');
  return chosen === 'system' ? negotiateLocale(systemLocales) : chosen;
}

export function mainTranslator(settings: SettingsService): Translate {
  return (key, params) => createTranslator(mainLocale(settings))(key, params);
}
