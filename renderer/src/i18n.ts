import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources, namespaces } from '../../shared/i18n/resources';
import { negotiateLocale, type Locale } from '../../shared/locales';

export function systemLocale(): Locale {
  return negotiateLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

export async function initI18n(locale: Locale): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: 'en',
    ns: [...namespaces],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = locale;
  return i18next;
}

export async function changeLocale(locale: Locale): Promise<void> {
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}
