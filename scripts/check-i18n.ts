// Fails when a locale lacks a key English has (or has one English lacks), when a
// translation is empty, when its {{placeholders}} differ from English, or when code uses a
// literal t('key') that English does not define. Hard-coded UI strings are caught by the
// lint rule plenary/no-literal-ui-string.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resources, namespaces, type TranslationTree } from '../shared/i18n/resources';
import { supportedLocales } from '../shared/locales';

export function flatten(tree: TranslationTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');

export function checkLocales(res: typeof resources = resources): string[] {
  const problems: string[] = [];
  for (const ns of namespaces) {
    const english = flatten(res.en[ns]);
    for (const locale of supportedLocales) {
      const other = flatten(res[locale][ns]);
      for (const [key, text] of english) {
        const translated = other.get(key);
        if (translated === undefined) problems.push(`${locale}/${ns}.json lacks "${key}"`);
        else if (translated.trim() === '') problems.push(`${locale}/${ns}.json has an empty "${key}"`);
        else if (placeholders(translated) !== placeholders(text)) {
          problems.push(`${locale}/${ns}.json "${key}" uses placeholders {${placeholders(translated)}} but English uses {${placeholders(text)}}`);
        }
      }
      for (const key of other.keys()) if (!english.has(key)) problems.push(`${locale}/${ns}.json has "${key}", which English lacks`);
    }
  }
  return problems;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** Literal keys passed to t() must exist in English, in the file's namespace or an explicit "ns:" one. */
export function checkUsedKeys(roots: string[]): string[] {
  const problems: string[] = [];
  const english = Object.fromEntries(namespaces.map((ns) => [ns, flatten(resources.en[ns])]));
  const isKnown = (ns: string, key: string) => {
    const table = english[ns];
    if (!table) return false;
    // Keys with plural forms exist as key_one / key_other.
    return table.has(key) || table.has(`${key}_one`) || table.has(`${key}_other`) || [...table.keys()].some((k) => k.startsWith(`${key}.`));
  };
  for (const root of roots) {
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const defaultNs = /useTranslation\(\s*'(\w+)'/.exec(text)?.[1] ?? 'common';
      for (const match of text.matchAll(/\bt\(\s*'([\w.:-]+)'/g)) {
        const raw = match[1]!;
        const [ns, key] = raw.includes(':') ? (raw.split(':') as [string, string]) : [defaultNs, raw];
        if (!isKnown(ns, key) && !(ns === defaultNs && isKnown('common', key))) {
          problems.push(`${relative(process.cwd(), file)} uses t('${raw}'), which en/${ns}.json does not define`);
        }
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = [...checkLocales(), ...checkUsedKeys(['renderer/src', 'main'])];
  if (problems.length > 0) {
    console.error(`i18n check failed (${problems.length}):\n  ` + problems.join('\n  '));
    process.exit(1);
  }
  console.log(`i18n: ${supportedLocales.length} locales x ${namespaces.length} namespaces complete`);
}
