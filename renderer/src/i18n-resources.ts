// The renderer's translations, one chunk per locale (renderer/src/locales/<locale>.ts), so
// the shell loads only the language it shows, and English as the fallback for a missing key,
// instead of all six (which were most of the first bundle). The core and the checks use
// shared/i18n/resources.ts, which holds every locale; both read the same files.
import type { Locale } from '../../shared/locales';
import type { Namespace, TranslationTree } from '../../shared/i18n/resources';

import english from './locales/en';

type Files = Record<string, { default: Record<string, unknown> }>;

// English is always needed (the fallback for a missing key), so it comes with the first
// bundle instead of a request after it; the other languages load when shown.
const chunks: Record<Locale, () => Promise<{ default: Files }>> = {
  en: () => Promise.resolve({ default: english }),
  es: () => import('./locales/es'),
  ca: () => import('./locales/ca'),
  fr: () => import('./locales/fr'),
  de: () => import('./locales/de'),
  ja: () => import('./locales/ja'),
};

const namespaceOf = (path: string) => path.split('/').at(-1)!.replace(/\.json$/, '');

/** Every namespace of one locale. */
export async function loadLocale(locale: Locale): Promise<Record<Namespace, TranslationTree>> {
  const files = (await chunks[locale]()).default;
  return Object.fromEntries(Object.entries(files).map(([path, file]) => [namespaceOf(path), file.default as TranslationTree])) as Record<Namespace, TranslationTree>;
}

/** The namespaces, as the files name them (shared/i18n/locales/<locale>/<namespace>.json). */
export async function namespaceNames(): Promise<string[]> {
  return Object.keys((await chunks.en()).default).map(namespaceOf);
}
