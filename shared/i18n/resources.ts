// Every translation, bundled statically so the renderer and main both have them offline.
// One JSON file per locale and namespace; each feature owns a namespace, so features do not
// edit each other's files. scripts/check-i18n.ts fails when a locale lacks a key.
import type { Locale } from '../locales';
import enCommon from './locales/en/common.json';
import enSettings from './locales/en/settings.json';
import enMeetings from './locales/en/meetings.json';
import esCommon from './locales/es/common.json';
import esSettings from './locales/es/settings.json';
import esMeetings from './locales/es/meetings.json';
import caCommon from './locales/ca/common.json';
import caSettings from './locales/ca/settings.json';
import caMeetings from './locales/ca/meetings.json';
import frCommon from './locales/fr/common.json';
import frSettings from './locales/fr/settings.json';
import frMeetings from './locales/fr/meetings.json';
import deCommon from './locales/de/common.json';
import deSettings from './locales/de/settings.json';
import deMeetings from './locales/de/meetings.json';
import jaCommon from './locales/ja/common.json';
import jaSettings from './locales/ja/settings.json';
import jaMeetings from './locales/ja/meetings.json';

export const namespaces = ['common', 'settings', 'meetings'] as const;
export type Namespace = (typeof namespaces)[number];

export type TranslationTree = { [key: string]: string | TranslationTree };

export const resources: Record<Locale, Record<Namespace, TranslationTree>> = {
  en: { common: enCommon, settings: enSettings, meetings: enMeetings },
  es: { common: esCommon, settings: esSettings, meetings: esMeetings },
  ca: { common: caCommon, settings: caSettings, meetings: caMeetings },
  fr: { common: frCommon, settings: frSettings, meetings: frMeetings },
  de: { common: deCommon, settings: deSettings, meetings: deMeetings },
  ja: { common: jaCommon, settings: jaSettings, meetings: jaMeetings },
};
