// A member's own Matrix client, written against the client-server API with fetch and nothing
// of Plenary's: what a hostile member (or Element) sends and reads. Like Element, it waits out
// the server's rate limit (429 with retry_after_ms) and tries again.
import { randomBytes } from 'node:crypto';
import type { RegisteredUser } from './synapse';

export interface WireEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  state_key?: string;
  content: Record<string, unknown>;
}

export class RawMatrix {
  constructor(
    readonly baseUrl: string,
    readonly user: RegisteredUser,
  ) {}

  get userId(): string {
    return this.user.userId;
  }

  /** One request; a 429 is waited out as the server asks, any other failure throws with the server's answer. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (;;) {
      const response = await this.send(method, path, body);
      if (response.status === 429) {
        const { retry_after_ms: wait } = (await response.json()) as { retry_after_ms?: number };
        await new Promise((resolve) => setTimeout(resolve, wait ?? 1000));
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} as ${this.userId}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    }
  }

  private send(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.user.accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async sendEvent(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
    const txn = randomBytes(8).toString('hex');
    const { event_id } = await this.request<{ event_id: string }>('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${txn}`, content);
    return event_id;
  }

  /**
   * Sends chat messages until the server answers 429: the member's message budget is then
   * spent, so each of their next events waits for the rate limit (about 5 s apart under
   * Synapse's defaults), as after a busy conversation.
   */
  async spendMessageBudget(roomId: string): Promise<number> {
    for (let sent = 0; sent < 100; sent++) {
      const response = await this.send('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomBytes(8).toString('hex')}`, { msgtype: 'm.text', body: `message ${sent}` });
      await response.text();
      if (response.status === 429) return sent;
      if (!response.ok) throw new Error(`sending a message failed: ${response.status}`);
    }
    throw new Error('the server never rate limited 100 messages: are its default limits on?');
  }

  join(roomId: string): Promise<unknown> {
    return this.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
  }

  async createRoom(body: Record<string, unknown>): Promise<string> {
    return (await this.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', body)).room_id;
  }

  async membership(roomId: string, userId: string): Promise<string | null> {
    const response = await this.send('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.member/${encodeURIComponent(userId)}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`reading ${userId}'s membership failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { membership?: string }).membership ?? null;
  }

  /** Every event of the room of these types, oldest first (paging /messages back to the start). */
  async events(roomId: string, types: readonly string[]): Promise<WireEvent[]> {
    const events: WireEvent[] = [];
    let from: string | undefined;
    const filter = JSON.stringify({ types });
    for (;;) {
      const query = new URLSearchParams({ dir: 'b', limit: '100', filter, ...(from ? { from } : {}) });
      const page = await this.request<{ chunk: WireEvent[]; end?: string }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`);
      events.push(...page.chunk);
      if (!page.end || page.chunk.length === 0) return events.reverse();
      from = page.end;
    }
  }

  /** Waits until the room holds an event `match` accepts (read as this member reads the room), and returns it. */
  async waitForEvent(roomId: string, types: readonly string[], match: (event: WireEvent) => boolean, timeoutMs = 60_000): Promise<WireEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.events(roomId, types)).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching ${types.join('/')} event in ${roomId} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
