// Parses and validates the room links members paste: Greenlight v2 and v3 room links and
// raw BigBlueButton join URLs (see shared/DOMAIN.md, "Greenlight room links"). The parser
// is a strict hand-written grammar rather than a URL library so that it behaves the same
// in the renderer, main and tests, and so that every rejection can say exactly what is
// wrong. Only https is accepted, except http on the loopback host (local test servers).
//
//   Greenlight v2: https://host/b/<uid>            uid = abc-def-ghi, optionally a 4th chunk
//   Greenlight v3: https://host/rooms/<fid>/join   fid = abc-def-ghi-jkl
//                  https://host/<fid>              (short form; redirects to the above)
//   BBB join URL:  https://host/bigbluebutton/api/join?fullName=…&meetingID=…&checksum=…

export type RoomLinkKind = 'greenlight-v2' | 'greenlight-v3' | 'bbb-join';

export interface RoomLink {
  kind: RoomLinkKind;
  /** scheme://host[:port], lower-case. */
  origin: string;
  /** Lower-case host name (or loopback address), without the port. */
  host: string;
  /** The canonical link to open: query and fragment dropped for Greenlight links. */
  url: string;
  /** Greenlight room uid (v2) or friendly id (v3); the meetingID for BBB join URLs. */
  roomCode: string;
}

export type RoomLinkProblem =
  | 'empty'
  | 'too_long'
  | 'whitespace'
  | 'not_a_url'
  | 'scheme'
  | 'insecure'
  | 'userinfo'
  | 'non_ascii_host'
  | 'host'
  | 'port'
  | 'path'
  | 'room_code'
  | 'join_query';

export type RoomLinkResult = { ok: true; link: RoomLink } | { ok: false; problem: RoomLinkProblem; message: string };

/** Longer than any real room link; raw BBB join URLs with userdata stay far below it. */
export const maxRoomLinkLength = 2048;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
const greenlightV2Uid = /^[a-z0-9]{1,3}(-[a-z0-9]{3}){2,3}$/;
const greenlightV3Id = /^[a-z0-9]{3}(-[a-z0-9]{3}){3}$/;
const dnsLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const checksumHex = /^([0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;

function fail(problem: RoomLinkProblem, message: string): { ok: false; problem: RoomLinkProblem; message: string } {
  return { ok: false, problem, message };
}

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host);
}

/** Validates a host name as typed in a URL; returns a problem message or null. */
function hostProblem(host: string): string | null {
  if (host.length === 0) return 'The link has no host name.';
  if (host.length > 253) return 'The host name is longer than 253 characters.';
  if (isLoopbackHost(host) || ipv4.test(host)) return null;
  if (host.startsWith('[')) return 'IPv6 addresses are only accepted for the local test host [::1].';
  const labels = host.split('.');
  if (labels.some((label) => !dnsLabel.test(label))) {
    return `"${host}" is not a valid host name (letters, digits and hyphens between dots).`;
  }
  if (labels.length < 2) return `"${host}" is not a full host name; use the server's address, such as meet.example.coop.`;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return `"${host}" is neither a host name nor an IPv4 address.`;
  return null;
}

function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Parses a query string into its parameters; null when a parameter is badly encoded. */
export function parseQuery(query: string): Map<string, string> | null {
  const params = new Map<string, string>();
  if (query === '') return params;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (key === null || value === null) return null;
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}

export interface WebAddress {
  origin: string;
  host: string;
  /** The path as typed ("" or starting with "/"). */
  path: string;
  /** The raw query string, without "?". */
  query: string;
}

export type WebAddressResult = { ok: true; address: WebAddress } | { ok: false; problem: RoomLinkProblem; message: string };

/**
 * The checks every address of a coop server goes through: https (http only on loopback),
 * no whitespace or invisible characters, no credentials, an ASCII host name, a valid port.
 * Leading and trailing spaces from copy and paste are ignored.
 */
export function parseWebAddress(input: string): WebAddressResult {
  const raw = input.trim();
  if (raw === '') return fail('empty', 'Paste a room link, such as https://meet.example.coop/b/abc-def-ghi.');
  if (raw.length > maxRoomLinkLength) return fail('too_long', `The link is longer than ${maxRoomLinkLength} characters, so it is not a room link.`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/.test(raw)) {
    return fail('whitespace', 'The link contains spaces or invisible characters; copy it again from the invitation.');
  }
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
  if (!schemeMatch) return fail('not_a_url', 'This is not a web address; a room link starts with https://.');
  const scheme = schemeMatch[1]!.toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') {
    return fail('scheme', `Links starting with "${scheme}:" are not room links; a room link starts with https://.`);
  }
  if (raw.includes('\\')) return fail('not_a_url', 'The link contains a backslash, which web addresses never do; copy it again.');
  const match = /^[a-zA-Z]+:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?(?:#.*)?$/.exec(raw);
  if (!match) return fail('not_a_url', 'This is not a web address; a room link looks like https://host/b/abc-def-ghi.');
  const authority = match[1]!;
  if (authority.includes('@')) {
    return fail('userinfo', 'The link contains a user name or password before the host, which room links never do. Ask for the link again.');
  }
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(authority)) {
    return fail('non_ascii_host', 'The host name contains non-ASCII characters, which can imitate another server. Type the address by hand or ask for the link again.');
  }
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority.toLowerCase());
  if (!hostPort) return fail('host', `"${authority}" is not a valid host.`);
  const host = hostPort[1]!;
  const problem = hostProblem(host);
  if (problem) return fail('host', problem);
  let port = '';
  if (hostPort[2] !== undefined) {
    const n = Number(hostPort[2]);
    if (hostPort[2] === '' || !Number.isInteger(n) || n < 1 || n > 65535) return fail('port', `The port "${hostPort[2]}" is not a valid port number (1-65535).`);
    const isDefault = (scheme === 'https' && n === 443) || (scheme === 'http' && n === 80);
    if (!isDefault) port = `:${n}`;
  }
  if (scheme === 'http' && !isLoopbackHost(host)) {
    return fail('insecure', 'The link uses http://, which is not encrypted. Room links must start with https://.');
  }
  return { ok: true, address: { origin: `${scheme}://${host}${port}`, host, path: match[2] ?? '', query: match[3] ?? '' } };
}

/**
 * Parses a room link: the checks of parseWebAddress, then a path that is a Greenlight room
 * or a BBB join URL.
 */
export function parseRoomLink(input: string): RoomLinkResult {
  const parsed = parseWebAddress(input);
  return parsed.ok ? parseRoomPath(parsed.address) : parsed;
}

function parseRoomPath(parts: { origin: string; host: string; path: string; query: string }): RoomLinkResult {
  const { origin, host, path, query } = parts;
  if (/%|\/\/|\/\.\.?(\/|$)/.test(path)) {
    return fail('path', 'The link path contains encoded or dot segments, which room links never do.');
  }
  const segments = path.replace(/\/$/, '').split('/').slice(1);
  const [first, second, third] = segments;

  if (first === 'b' && segments.length === 2) {
    if (!greenlightV2Uid.test(second!)) {
      return fail('room_code', `"${second}" is not a Greenlight room code; it looks like abc-def-ghi (lower-case letters and digits).`);
    }
    return { ok: true, link: { kind: 'greenlight-v2', origin, host, url: `${origin}/b/${second}`, roomCode: second! } };
  }
  if (first === 'rooms' && segments.length === 3 && third === 'join') {
    if (!greenlightV3Id.test(second!)) {
      return fail('room_code', `"${second}" is not a Greenlight room code; it looks like abc-def-ghi-jkl (lower-case letters and digits).`);
    }
    return { ok: true, link: { kind: 'greenlight-v3', origin, host, url: `${origin}/rooms/${second}/join`, roomCode: second! } };
  }
  if (segments.length === 1 && first !== undefined && greenlightV3Id.test(first)) {
    return { ok: true, link: { kind: 'greenlight-v3', origin, host, url: `${origin}/rooms/${first}/join`, roomCode: first } };
  }
  if (path === '/bigbluebutton/api/join') return parseJoinQuery(origin, host, query);
  return fail(
    'path',
    'This address is not a room: expected /b/abc-def-ghi (Greenlight 2), /rooms/abc-def-ghi-jkl/join (Greenlight 3) or /bigbluebutton/api/join?… (BigBlueButton).',
  );
}

function parseJoinQuery(origin: string, host: string, query: string): RoomLinkResult {
  const params = parseQuery(query);
  if (!params) return fail('join_query', 'The join link has a badly encoded parameter; copy it again.');
  for (const name of ['fullName', 'meetingID', 'checksum']) {
    if (!params.get(name)) return fail('join_query', `The BigBlueButton join link lacks its "${name}" parameter; copy the whole link.`);
  }
  if (!checksumHex.test(params.get('checksum')!)) {
    return fail('join_query', 'The join link\'s checksum is not a SHA-1, SHA-256, SHA-384 or SHA-512 hex digest.');
  }
  return { ok: true, link: { kind: 'bbb-join', origin, host, url: `${origin}/bigbluebutton/api/join?${query}`, roomCode: params.get('meetingID')! } };
}

/** The origin (scheme://host[:port]) of a well-formed absolute http(s) URL, or null. */
export function originOf(url: string): string | null {
  const match = /^(https?):\/\/([^/?#\\@\s]+)(?:[/?#]|$)/i.exec(url);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!.toLowerCase();
  const stripped = authority.replace(scheme === 'https' ? /:443$/ : /:80$/, '');
  return `${scheme}://${stripped}`;
}
