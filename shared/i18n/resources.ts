// Every translation, bundled statically so the renderer and main both have them offline.
// One JSON file per locale and namespace; each feature owns a namespace, so features do not
// edit each other's files. scripts/check-i18n.ts fails when a locale lacks a key.
import type { Locale } from '../locales';
import enCommon from './locales/en/common.json';
import enSettings from './locales/en/settings.json';
import enGovernance from './locales/en/governance.json';
import esCommon from './locales/es/common.json';
import esSettings from './locales/es/settings.json';
import esGovernance from './locales/es/governance.json';
import caCommon from './locales/ca/common.json';
import caSettings from './locales/ca/settings.json';
import caGovernance from './locales/ca/governance.json';
import frCommon from './locales/fr/common.json';
import frSettings from './locales/fr/settings.json';
import frGovernance from './locales/fr/governance.json';
import deCommon from './locales/de/common.json';
import deSettings from './locales/de/settings.json';
import deGovernance from './locales/de/governance.json';
import jaCommon from './locales/ja/common.json';
import jaSettings from './locales/ja/settings.json';
import jaGovernance from './locales/ja/governance.json';

export const namespaces = ['common', 'settings', 'governance'] as const;
export type Namespace = (typeof namespaces)[number];

export type TranslationTree = { [key: string]: string | TranslationTree };

export const resources: Record<Locale, Record<Namespace, TranslationTree>> = {
  en: { common: enCommon, settings: enSettings, governance: enGovernance },
  es: { common: esCommon, settings: esSettings, governance: esGovernance },
  ca: { common: caCommon, settings: caSettings, governance: caGovernance },
  fr: { common: frCommon, settings: frSettings, governance: frGovernance },
  de: { common: deCommon, settings: deSettings, governance: deGovernance },
  ja: { common: jaCommon, settings: jaSettings, governance: jaGovernance },
};
