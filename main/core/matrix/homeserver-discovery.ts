// Finds the homeserver behind what a member types: a Matrix ID (@ana:meet.coop), a server
// name (meet.coop) or a homeserver URL. Server names go through .well-known/matrix/client
// (Matrix client-server spec, "Server Discovery"), falling back to the server name itself;
// the candidate is confirmed with /versions, and /login says which sign-in methods it offers.
import { PlenaryError } from '../../../shared/errors';
import type { HomeserverDiscovery, LoginFlows } from '../../../shared/contract/matrix';
import { MatrixHttpError, MatrixNetworkError } from './matrix-connection';
import { matrixRequest } from './matrix-http';

export type SignInTarget =
  | { kind: 'matrix-id'; localpart: string; serverName: string }
  | { kind: 'server-name'; serverName: string }
  | { kind: 'url'; url: string };

const serverNamePattern = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;

/** Loopback hosts may use plain http (a local test server); everything else must use https. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostOf(serverName: string): string {
  return serverName.startsWith('[') ? serverName.slice(0, serverName.indexOf(']') + 1) : serverName.replace(/:\d+$/, '');
}

function invalid(reason: string, message: string): PlenaryError {
  return new PlenaryError('invalid_input', message, { field: 'input', params: { reason, detail: message } });
}

/** Reads a Matrix ID, a server name or an http(s) URL. */
export function parseSignInTarget(raw: string): SignInTarget {
  const input = raw.trim();
  if (/^https?:\/\//i.test(input)) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw invalid('bad_format', `"${input}" is not a valid address; type a Matrix ID like @name:example.org or a https:// address`);
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw invalid('insecure', `"${input}" uses http://; the homeserver must use https:// so your password is not sent in clear`);
    }
    return { kind: 'url', url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}` };
  }
  const id = /^@?([^:@\s]+):(.+)$/.exec(input);
  if (id && input.startsWith('@')) {
    const serverName = id[2]!;
    if (!serverNamePattern.test(serverName)) throw invalid('bad_format', `"${serverName}" is not a valid server name in the Matrix ID`);
    return { kind: 'matrix-id', localpart: id[1]!.toLowerCase(), serverName };
  }
  if (serverNamePattern.test(input) && input.includes('.')) return { kind: 'server-name', serverName: input };
  throw invalid('bad_format', `"${input}" is not a Matrix ID (@name:example.org), a server name or a https:// address`);
}

/** Where .well-known lives for a server name; loopback names use http for local test servers. */
export function wellKnownUrl(serverName: string): string {
  const scheme = isLoopbackHost(hostOf(serverName)) ? 'http' : 'https';
  return `${scheme}://${serverName}`;
}

function normalizeBaseUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return null;
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

async function readWellKnown(serverName: string): Promise<string | null> {
  try {
    const body = await matrixRequest<{ 'm.homeserver'?: { base_url?: unknown } }>({
      baseUrl: wellKnownUrl(serverName),
      method: 'GET',
      path: '/.well-known/matrix/client',
      timeoutMs: 10_000,
    });
    const base = body['m.homeserver']?.base_url;
    return typeof base === 'string' ? normalizeBaseUrl(base) : null;
  } catch (error) {
    if (error instanceof MatrixHttpError || error instanceof MatrixNetworkError) return null;
    throw error;
  }
}

async function isHomeserver(baseUrl: string): Promise<boolean> {
  try {
    const body = await matrixRequest<{ versions?: unknown }>({ baseUrl, method: 'GET', path: '/_matrix/client/versions', timeoutMs: 10_000 });
    return Array.isArray(body.versions);
  } catch (error) {
    if (error instanceof MatrixHttpError || error instanceof MatrixNetworkError) return false;
    throw error;
  }
}

export async function readLoginFlows(baseUrl: string): Promise<LoginFlows> {
  const body = await matrixRequest<{ flows?: { type?: string; identity_providers?: { id?: unknown; name?: unknown }[] }[] }>({
    baseUrl,
    method: 'GET',
    path: '/_matrix/client/v3/login',
    timeoutMs: 10_000,
  });
  const flows = body.flows ?? [];
  const sso = flows.find((f) => f.type === 'm.login.sso');
  return {
    password: flows.some((f) => f.type === 'm.login.password'),
    sso: sso !== undefined,
    identityProviders: (sso?.identity_providers ?? [])
      .filter((p): p is { id: string; name: string } => typeof p.id === 'string' && typeof p.name === 'string')
      .map((p) => ({ id: p.id, name: p.name })),
  };
}

export async function discoverHomeserver(raw: string): Promise<HomeserverDiscovery> {
  const target = parseSignInTarget(raw);
  let candidates: { url: string; source: HomeserverDiscovery['source'] }[];
  if (target.kind === 'url') {
    candidates = [{ url: target.url, source: 'url' }];
  } else {
    const fromWellKnown = await readWellKnown(target.serverName);
    candidates = fromWellKnown ? [{ url: fromWellKnown, source: 'well-known' }] : [];
    const direct = normalizeBaseUrl(wellKnownUrl(target.serverName));
    if (direct && direct !== fromWellKnown) candidates.push({ url: direct, source: 'server-name' });
  }
  for (const candidate of candidates) {
    if (!(await isHomeserver(candidate.url))) continue;
    let flows: LoginFlows;
    try {
      flows = await readLoginFlows(candidate.url);
    } catch {
      flows = { password: false, sso: false, identityProviders: [] };
    }
    return {
      homeserverUrl: candidate.url,
      source: candidate.source,
      user: target.kind === 'matrix-id' ? target.localpart : null,
      serverName: target.kind === 'url' ? null : target.serverName,
      flows,
    };
  }
  const where = target.kind === 'url' ? target.url : target.serverName;
  throw new PlenaryError('not_found', `No Matrix homeserver answered for "${where}"; check the address or ask your coop for its homeserver URL`, {
    field: 'input',
    params: { reason: 'no_homeserver', where },
  });
}
