// The client-server API as a hostile member's (or any other) client uses it, with nothing of
// Plenary in between: send, redact, log in a second device. Waits out 429s as every client
// must under Synapse's default rate limits (retry_after_ms).
import { randomBytes } from 'node:crypto';

export interface RawClient {
  userId: string;
  accessToken: string;
  baseUrl: string;
}

async function call<T>(client: RawClient, method: string, path: string, body?: unknown): Promise<T> {
  for (;;) {
    const response = await fetch(`${client.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${client.accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as T & { retry_after_ms?: number; errcode?: string };
    if (response.status === 429) {
      await new Promise((r) => setTimeout(r, json.retry_after_ms ?? 1000));
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${path} failed: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }
}

const txn = () => `t${randomBytes(8).toString('hex')}`;

export async function sendRaw(client: RawClient, roomId: string, type: string, content: unknown): Promise<string> {
  const { event_id } = await call<{ event_id: string }>(client, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${txn()}`, content);
  return event_id;
}

export async function redactRaw(client: RawClient, roomId: string, eventId: string, reason?: string): Promise<string> {
  const { event_id } = await call<{ event_id: string }>(
    client,
    'PUT',
    `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/redact/${encodeURIComponent(eventId)}/${txn()}`,
    reason ? { reason } : {},
  );
  return event_id;
}

export async function joinRaw(client: RawClient, roomId: string): Promise<void> {
  await call(client, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
}

/** A second device of the same member: a fresh password login. */
export async function loginRaw(baseUrl: string, user: string, password: string): Promise<RawClient> {
  for (;;) {
    const response = await fetch(`${baseUrl}/_matrix/client/v3/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password }),
    });
    const json = (await response.json()) as { access_token: string; user_id: string; retry_after_ms?: number };
    if (response.status === 429) {
      await new Promise((r) => setTimeout(r, json.retry_after_ms ?? 1000));
      continue;
    }
    if (!response.ok) throw new Error(`login failed: ${response.status} ${JSON.stringify(json)}`);
    return { baseUrl, userId: json.user_id, accessToken: json.access_token };
  }
}

export async function eventRaw(client: RawClient, roomId: string, eventId: string): Promise<{ content: Record<string, unknown>; unsigned?: Record<string, unknown> }> {
  return call(client, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(eventId)}`);
}
