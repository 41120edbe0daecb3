// Finds, reads and validates the coop's pre-configuration (coop.json, schema in
// shared/coop-config.ts) at startup. Plenary looks in these places and uses the FIRST file
// that exists and is valid, so the most specific wins:
//   1. the file named by PLENARY_COOP_CONFIG (for testing a file before shipping it)
//   2. the member's own:  <user data folder>/coop.json
//   3. the computer's:    /etc/plenary/coop.json (Linux),
//                         /Library/Application Support/Plenary/coop.json (macOS),
//                         %ProgramData%\Plenary\coop.json (Windows)
//   4. the installer's:   <resources>/coop.json, from build/coop.json at packaging time
// A file that cannot be read or is invalid is reported (logged, and kept in `problems` for
// the UI) and skipped, so one broken file never stops Plenary from starting.
import { readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { z } from 'zod';
import { coopConfigSchema, type CoopConfig } from '../../../shared/coop-config';
import type { CoopConfigSourceKind } from '../../../shared/contract/coop';

export type { CoopConfigSourceKind };

export interface CoopConfigSource {
  kind: CoopConfigSourceKind;
  path: string;
}

export interface CoopConfigProblem {
  source: CoopConfigSource;
  /** One line per problem, naming the setting, e.g. 'matrix.homeserver: must start with https://'. */
  messages: string[];
}

export interface CoopConfigState {
  /** The configuration in use, or null when no valid coop.json was found (Plenary works without one). */
  config: CoopConfig | null;
  source: CoopConfigSource | null;
  problems: CoopConfigProblem[];
}

export const coopConfigFileName = 'coop.json';
export const coopConfigEnvironmentVariable = 'PLENARY_COOP_CONFIG';
/** Far larger than any real coop.json; anything bigger is not one. */
export const coopConfigMaxBytes = 64 * 1024;

export interface CoopConfigLocations {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The member's data folder (Electron's userData; the bridge's data folder). */
  userDir: string;
  /** The packaged app's resources folder; absent when running from sources. */
  resourcesDir?: string;
}

/** The places to look, most specific first. */
export function coopConfigSources(locations: CoopConfigLocations): CoopConfigSource[] {
  const path = locations.platform === 'win32' ? win32 : posix;
  const sources: CoopConfigSource[] = [];
  const fromEnv = locations.env[coopConfigEnvironmentVariable]?.trim();
  if (fromEnv) sources.push({ kind: 'environment', path: fromEnv });
  sources.push({ kind: 'user', path: path.join(locations.userDir, coopConfigFileName) });
  const systemDir =
    locations.platform === 'win32'
      ? path.join(locations.env.ProgramData ?? 'C:\\ProgramData', 'Plenary')
      : locations.platform === 'darwin'
        ? '/Library/Application Support/Plenary'
        : '/etc/plenary';
  sources.push({ kind: 'system', path: path.join(systemDir, coopConfigFileName) });
  if (locations.resourcesDir) sources.push({ kind: 'installer', path: path.join(locations.resourcesDir, coopConfigFileName) });
  return sources;
}

const secretLike = /secret|password|passwd|token|api[_-]?key|private/i;

/** The value at a path of the parsed file (zod does not report it): tells "missing" from "wrong type". */
function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string[] {
  const at = issue.path.map(String).join('.');
  const where = at === '' ? 'coop.json' : at;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const name = at === '' ? key : `${at}.${key}`;
      return secretLike.test(key)
        ? `${name}: coop.json must not contain secrets; members sign in with their own accounts and server secrets stay on the server. Remove "${key}".`
        : `${name}: unknown setting; check its spelling against the README section "Pre-configure your coop".`;
    });
  }
  if (issue.code === 'invalid_type' && at === '') return ['coop.json must hold one JSON object, such as {"version": 1, "coop": {"name": "Our coop"}}'];
  if (issue.code === 'invalid_type' && valueAt(json, issue.path) === undefined) return [`${where}: is required`];
  return [`${where}: ${issue.message}`];
}

/** Validates parsed JSON; returns the normalised configuration or one message per problem. */
export function validateCoopConfig(json: unknown): { ok: true; config: CoopConfig } | { ok: false; messages: string[] } {
  const result = coopConfigSchema.safeParse(json);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, messages: result.error.issues.flatMap((issue) => describeIssue(issue, json)) };
}

/** Parses the text of a coop.json file. */
export function parseCoopConfig(text: string): { ok: true; config: CoopConfig } | { ok: false; messages: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, messages: [`coop.json is not valid JSON (${(error as Error).message}); check for a missing comma or quote.`] };
  }
  return validateCoopConfig(json);
}

export type ReadText = (path: string) => string;

const readSmallFile: ReadText = (path) => {
  const bytes = readFileSync(path);
  if (bytes.length > coopConfigMaxBytes) throw new Error(`the file is ${bytes.length} bytes; a coop.json is at most ${coopConfigMaxBytes}`);
  return bytes.toString('utf8');
};

/** Reads the first valid coop.json among `sources`. Never throws. */
export function loadCoopConfig(sources: readonly CoopConfigSource[], read: ReadText = readSmallFile): CoopConfigState {
  const problems: CoopConfigProblem[] = [];
  for (const source of sources) {
    let text: string;
    try {
      text = read(source.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      problems.push({ source, messages: [`cannot read ${source.path}: ${(error as Error).message}`] });
      continue;
    }
    const parsed = parseCoopConfig(text);
    if (parsed.ok) return { config: parsed.config, source, problems };
    problems.push({ source, messages: parsed.messages });
  }
  return { config: null, source: null, problems };
}
