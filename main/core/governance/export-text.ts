// Translations for files the core writes (CSV headers, Markdown minutes), from the same
// bundled resources the renderer uses. Keys are written as 'governance:export.x' so
// scripts/check-i18n.ts verifies them like any t() call.
import { resources, type TranslationTree } from '../../../shared/i18n/resources';
import type { Locale } from '../../../shared/locales';

export type ExportTranslate = (key: `governance:${string}`, params?: Record<string, string | number>) => string;

function lookup(tree: TranslationTree, path: string[]): string | undefined {
  let node: string | TranslationTree | undefined = tree;
  for (const part of path) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

export function exportTranslator(locale: Locale): ExportTranslate {
  return (key, params = {}) => {
    const path = key.slice('governance:'.length).split('.');
    const text = lookup(resources[locale].governance, path) ?? lookup(resources.en.governance, path) ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? ''));
  };
}
