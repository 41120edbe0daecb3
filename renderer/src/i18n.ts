import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { negotiateLocale, type Locale } from '../../shared/locales';
import { loadLocale, namespaceNames } from './i18n-resources';

export function systemLocale(): Locale {
  return negotiateLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

const loaded = new Set<Locale>();

/** Adds a locale's translations to i18next once. */
async function ensureLocale(locale: Locale): Promise<void> {
  if (loaded.has(locale)) return;
  const bundles = await loadLocale(locale);
  // Each namespace arrives whole, once per locale, freshly parsed and never changed, so it is
  // set as it is: the default deep merge and defensive copy cost about 25 ms of the first paint.
  for (const [ns, tree] of Object.entries(bundles)) i18next.addResourceBundle(locale, ns, tree, false, true, { skipCopy: true });
  loaded.add(locale);
}

export async function initI18n(locale: Locale): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    resources: {},
    lng: locale,
    fallbackLng: 'en',
    ns: await namespaceNames(),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  await Promise.all([ensureLocale('en'), ensureLocale(locale)]);
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
  return i18next;
}

export async function changeLocale(locale: Locale): Promise<void> {
  // The shell asks for its language on every start; when it is the one shown, changing to it
  // again would only re-render every translated component during the first paint.
  if (i18next.language === locale && loaded.has(locale)) return;
  await ensureLocale(locale);
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}
