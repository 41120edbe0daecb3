// Every translation, bundled statically so the renderer and main both have them offline.
// One JSON file per locale and namespace; each feature owns a namespace, so features do not
// edit each other's files. scripts/check-i18n.ts fails when a locale lacks a key.
import type { Locale } from '../locales';
import enCommon from './locales/en/common.json';
import enSettings from './locales/en/settings.json';
import enChat from './locales/en/chat.json';
import esCommon from './locales/es/common.json';
import esSettings from './locales/es/settings.json';
import esChat from './locales/es/chat.json';
import caCommon from './locales/ca/common.json';
import caSettings from './locales/ca/settings.json';
import caChat from './locales/ca/chat.json';
import frCommon from './locales/fr/common.json';
import frSettings from './locales/fr/settings.json';
import frChat from './locales/fr/chat.json';
import deCommon from './locales/de/common.json';
import deSettings from './locales/de/settings.json';
import deChat from './locales/de/chat.json';
import jaCommon from './locales/ja/common.json';
import jaSettings from './locales/ja/settings.json';
import jaChat from './locales/ja/chat.json';

export const namespaces = ['common', 'settings', 'chat'] as const;
export type Namespace = (typeof namespaces)[number];

export type TranslationTree = { [key: string]: string | TranslationTree };

export const resources: Record<Locale, Record<Namespace, TranslationTree>> = {
  en: { common: enCommon, settings: enSettings, chat: enChat },
  es: { common: esCommon, settings: esSettings, chat: esChat },
  ca: { common: caCommon, settings: caSettings, chat: caChat },
  fr: { common: frCommon, settings: frSettings, chat: frChat },
  de: { common: deCommon, settings: deSettings, chat: deChat },
  ja: { common: jaCommon, settings: jaSettings, chat: jaChat },
};
