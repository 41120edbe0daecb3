// Pure checks used by the bridge server, kept apart so they are unit-tested directly.
import { timingSafeEqual } from 'node:crypto';

/** The only Origin a bridge socket may come from: the page the bridge itself serves. */
export function expectedOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * Host header check against DNS rebinding: only the loopback address and port we bound.
 * "localhost" is refused too, so the page's Origin always matches expectedOrigin().
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}`;
}

/** The address of an upgrade request, or null when it does not parse (never throws). */
export function bridgeRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

export function tokensMatch(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface BridgeRequest {
  id: number;
  channel: unknown;
  input: unknown;
}

/** Parses one socket message; returns a reason when it is not a well-formed request. */
export function parseBridgeRequest(raw: string): { ok: true; request: BridgeRequest } | { ok: false; id: number | null; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, id: null, reason: 'message is not valid JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, id: null, reason: 'message must be a JSON object' };
  }
  const record = data as Record<string, unknown>;
  const id = typeof record.id === 'number' && Number.isSafeInteger(record.id) ? record.id : null;
  if (id === null) return { ok: false, id: null, reason: 'message needs an integer "id"' };
  if (typeof record.channel !== 'string') return { ok: false, id, reason: 'message needs a string "channel"' };
  return { ok: true, request: { id, channel: record.channel, input: record.input ?? {} } };
}
