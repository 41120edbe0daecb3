// Translations for text main shows itself (tray menu, notifications, the SSO browser page,
// poll texts Element users read), from the same bundled resources as the renderer
// (shared/i18n/resources.ts). One i18next instance per locale, initialised synchronously
// because all resources are bundled. Keys are "key" in the translator's namespace, or
// "namespace:key".
import i18next, { type TFunction } from 'i18next';
import { resources, namespaces, type Namespace } from '../../../shared/i18n/resources';
import { negotiateLocale, supportedLocales, type Locale } from '../../../shared/locales';
import type { Settings } from '../../../shared/settings';
import type { SettingsService } from '../settings/settings-service';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

const instances = new Map<Locale, TFunction>();

function tFor(locale: Locale): TFunction {
  let t = instances.get(locale);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({
      resources,
      lng: locale,
      fallbackLng: 'en',
      ns: [...namespaces],
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    t = instance.t;
    instances.set(locale, t);
  }
  return t;
}

/** A translator: createTranslator('fr', 'meetings')('tray.quit'), or createTranslator('de')('chat:ssoPage.doneTitle'). */
export function createTranslator(locale: Locale, namespace: Namespace = 'common'): Translate {
  const t = tFor(locale);
  return (key, params) => t(key, { ns: namespace, ...params }) as string;
}

/** The locale main should speak: the user's choice, or the system's preferred languages. */
export function resolveLocale(setting: Settings['locale'], systemPreferred: readonly string[]): Locale {
  if (setting !== 'system' && (supportedLocales as readonly string[]).includes(setting)) return setting;
  return negotiateLocale(systemPreferred);
}

/** The system's preferred languages as Node sees them (the Electron shell passes app.getPreferredSystemLanguages()). */
export function nodeSystemLanguages(): string[] {
  const fromEnv = [process.env.LC_ALL, process.env.LC_MESSAGES, process.env.LANG].filter((v): v is string => !!v && v !== 'C' && v !== 'POSIX');
  return [...fromEnv.map((v) => v.split('.')[0]!.replace('_', '-')), Intl.DateTimeFormat().resolvedOptions().locale];
}

/** The language main speaks now: the user's choice in Settings, else the system's. */
export function mainLocale(settings: SettingsService, systemLocales: readonly string[] = nodeSystemLanguages()): Locale {
  return resolveLocale(settings.read('locale'), systemLocales);
}

/** A translator that follows the locale setting as it changes. */
export function mainTranslator(settings: SettingsService, namespace: Namespace = 'common'): Translate {
  return (key, params) => createTranslator(mainLocale(settings), namespace)(key, params);
}
