// Validates electron-builder.yml against electron-builder's own JSON schema, offline (the
// same check `electron-builder` runs before it downloads anything).
//   npx tsx scripts/packaging/validate-builder-config.ts
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Configuration } from 'electron-builder';

const repoRoot = resolve(import.meta.dirname, '../..');
const require = createRequire(join(repoRoot, 'package.json'));
export const builderConfigPath = join(repoRoot, 'electron-builder.yml');

export function loadBuilderConfig(path = builderConfigPath): Configuration {
  // js-yaml ships no type declarations; its load() returns the parsed document.
  const { load } = require('js-yaml') as { load(text: string): unknown };
  return load(readFileSync(path, 'utf8')) as Configuration;
}

type Validate = (config: Configuration, debugLogger: unknown) => Promise<void>;

/** Resolves when the configuration matches the schema; rejects with electron-builder's explanation otherwise. */
export async function validateBuilderConfig(config: Configuration = loadBuilderConfig()): Promise<void> {
  // Not exported from app-builder-lib's index; this is the function `electron-builder` calls.
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: Validate };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(structuredClone(config), new DebugLogger(false));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  try {
    await validateBuilderConfig();
    console.log(`electron-builder.yml matches electron-builder's schema (${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    console.error(`electron-builder.yml is invalid:\n${(error as Error).message}`);
    process.exit(1);
  }
}
