// A coop's pre-configuration: the servers its members use (Matrix homeserver, Greenlight,
// BigBlueButton) and where Plenary's updates come from. A sysadmin writes it once as
// coop.json and ships it with the installer or places it on members' machines (README.md,
// "Pre-configure your coop"); main/core/config/coop-config.ts finds, reads and validates
// it at startup. It holds no secrets: every member signs in with their own account, and
// BigBlueButton API secrets stay on the coop's servers.
import { z } from 'zod';
import { standingRulesSchema } from './governance/standing';

export interface ServerAddress {
  scheme: 'https' | 'http';
  /** Lower-case host name, IPv4 address or bracketed IPv6 address; may start with "*." in host patterns. */
  host: string;
  port: number | null;
  /** "" or a path starting with "/" and not ending with one. */
  path: string;
}

/** Hosts where plain http:// is acceptable: this computer (a local test server). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

const label = '(?!-)[a-z0-9-]{1,63}(?<!-)';
const addressPattern = new RegExp(`^(https?)://((?:\\*\\.)?(?:${label}\\.)*${label}|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?(/[^\\s?#]*)?$`, 'i');

/** Parses "https://host[:port][/path]"; null for anything else (credentials, query, fragment, spaces). */
export function parseServerAddress(raw: string): ServerAddress | null {
  const match = addressPattern.exec(raw);
  if (!match) return null;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return {
    scheme: match[1]!.toLowerCase() as 'https' | 'http',
    host: match[2]!.toLowerCase(),
    port,
    path: (match[4] ?? '').replace(/\/+$/, ''),
  };
}

export function formatServerAddress(address: ServerAddress): string {
  return `${address.scheme}://${address.host}${address.port === null ? '' : `:${address.port}`}${address.path}`;
}

type AddressKind = 'url' | 'origin' | 'origin-pattern';

const examples: Record<AddressKind, string> = {
  url: 'https://matrix.example.coop',
  origin: 'https://meet.example.coop',
  'origin-pattern': 'https://bbb.example.coop or https://*.example.coop',
};

/** A server address, normalised (lower-case host, no trailing slash). https only, except on loopback. */
function serverAddress(kind: AddressKind, example: string = examples[kind]) {
  return z
    .string()
    .trim()
    .max(2048)
    .transform((raw, ctx) => {
      const address = parseServerAddress(raw);
      const problem = !address
        ? `must be a server address such as ${example}`
        : address.scheme === 'http' && !isLoopbackHost(address.host)
          ? 'must start with https:// (plain http:// is only accepted for this computer: localhost or 127.0.0.1)'
          : address.host.startsWith('*.') && kind !== 'origin-pattern'
            ? 'cannot use a "*." wildcard here; give the exact server address'
            : address.path !== '' && kind !== 'url'
              ? `must be the server's address only, without a path (such as ${example})`
              : null;
      if (problem || !address) {
        ctx.addIssue({ code: 'custom', message: problem ?? 'is not a server address' });
        return z.NEVER;
      }
      return formatServerAddress(address);
    });
}

/** A Matrix server name: the part after ":" in @alice:example.coop. */
const matrixServerName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(new RegExp(`^(?:${label}\\.)*${label}(?::\\d{1,5})?$`), 'must be a server name such as example.coop');

export const coopConfigSchema = z
  .object({
    /** Lets editors validate the file against a JSON schema; ignored by Plenary. */
    $schema: z.string().optional(),
    version: z.literal(1, { error: 'must be 1 (the only coop.json format so far)' }),
    coop: z
      .object({
        name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
        website: serverAddress('url').optional(),
      })
      .strict(),
    matrix: z
      .object({
        homeserver: serverAddress('url'),
        serverName: matrixServerName.optional(),
        /** Circle rooms Plenary creates are end-to-end encrypted (README, "Encrypted rooms"). */
        encryptCircleRooms: z.boolean({ error: 'must be true or false' }).optional(),
      })
      .strict()
      .optional(),
    greenlight: z
      .object({ hosts: z.array(serverAddress('origin')).min(1).max(20) })
      .strict()
      .optional(),
    bbb: z
      .object({ hosts: z.array(serverAddress('origin-pattern')).min(1).max(50) })
      .strict()
      .optional(),
    /** The coop's Discourse forum (README "The coop's forum"). */
    discourse: z.object({ url: serverAddress('url', 'https://forum.example.coop') }).strict().optional(),
    /** The coop's NextCloud (README "The coop's files"). */
    nextcloud: z.object({ url: serverAddress('url', 'https://cloud.example.coop') }).strict().optional(),
    /** Member standing under the coop's own rules (README "Member standing"); shared/governance/standing.ts. */
    standing: standingRulesSchema.optional(),
    updates: z
      .object({
        enabled: z.boolean().default(true),
        url: serverAddress('url').optional(),
        channel: z.enum(['latest', 'beta']).default('latest'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CoopConfig = z.output<typeof coopConfigSchema>;
export type CoopConfigInput = z.input<typeof coopConfigSchema>;

/**
 * Whether circle rooms Plenary creates are end-to-end encrypted: yes unless coop.json says
 * `"matrix": { "encryptCircleRooms": false }` (README, "Encrypted rooms": members invited
 * later get the history through room-key bundles, a member's own new device through key backup).
 */
export function encryptsCircleRooms(config: CoopConfig | null | undefined): boolean {
  return config?.matrix?.encryptCircleRooms !== false;
}

/**
 * True when `url` is on a server the pattern names: same scheme, same port, and the same
 * host, or for "https://*.example.coop" a host exactly one label below example.coop.
 */
export function addressMatchesPattern(pattern: string, url: string): boolean {
  const want = parseServerAddress(pattern);
  const have = parseServerAddress(url.replace(/[?#].*$/, ''));
  if (!want || !have || want.scheme !== have.scheme || want.port !== have.port) return false;
  if (!want.host.startsWith('*.')) return want.host === have.host;
  const parent = want.host.slice(1); // ".example.coop"
  return have.host.endsWith(parent) && !have.host.slice(0, -parent.length).includes('.') && have.host.length > parent.length;
}
