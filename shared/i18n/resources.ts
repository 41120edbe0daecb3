// Every translation, bundled statically so the renderer and main both have them offline.
// One JSON file per locale and namespace (shared/i18n/locales/<locale>/<namespace>.json);
// each feature owns a namespace, gathered by its namespace-<name>.ts module. Adding a
// namespace is one module and one line below. scripts/check-i18n.ts fails when a locale
// lacks a key.
import type { Locale } from '../locales';
import { supportedLocales } from '../locales';
import common from './namespace-common';
import settings from './namespace-settings';
import chat from './namespace-chat';
import meetings from './namespace-meetings';
import governance from './namespace-governance';
import sync from './namespace-sync';
import schedule from './namespace-schedule';
import data from './namespace-data';
import forum from './namespace-forum';

const byNamespace = { common, settings, chat, meetings, governance, sync, schedule, data, forum };

export type Namespace = keyof typeof byNamespace;
export const namespaces = Object.keys(byNamespace) as Namespace[];

export type TranslationTree = { [key: string]: string | TranslationTree };

export const resources = Object.fromEntries(
  supportedLocales.map((locale) => [locale, Object.fromEntries(namespaces.map((ns) => [ns, byNamespace[ns][locale] as TranslationTree]))]),
) as Record<Locale, Record<Namespace, TranslationTree>>;
