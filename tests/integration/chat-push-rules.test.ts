// Notification levels per room and keywords as push rules against a real Synapse (issue 18,
// item 6). Plenary sets mute and mentions-only and a keyword; another device of the SAME
// member (the fixture's aliceUser token, as Element on their phone) reads the same rules
// through GET /pushrules/; a level and a keyword that device sets show in Plenary after sync;
// a muted room does not notify a mention, a keyword notifies. Default rate limits: a few calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer } from '../helpers/synapse';
import { sharedRoom, startChatFixture, waitForRoom, type ChatFixture } from '../helpers/chat-fixture';

let server: SynapseServer;
let f: ChatFixture;
let roomId: string;

beforeAll(async () => {
  server = await SynapseServer.start();
  f = await startChatFixture(server);
  roomId = await sharedRoom(f, { name: 'Levels' });
  await waitForRoom(f, roomId);
});

afterAll(async () => {
  f?.close();
  await server?.stop();
});

/** The other device of Alice, speaking the push-rules API as Element does. */
async function otherDevice(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}/_matrix/client/v3/pushrules/${path}`, {
    method,
    headers: { authorization: `Bearer ${f.aliceUser.accessToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

type Rule = { rule_id: string; actions: unknown[]; conditions?: unknown[]; pattern?: string };
const rulesSeenElsewhere = async () => ((await otherDevice('GET', '')) as { global: Record<'override' | 'content' | 'room', Rule[]> }).global;

const level = () => f.alice.core.services.chat.rooms().find((r) => r.roomId === roomId)?.notifyLevel;
const syncedLevel = async () => {
  await f.alice.core.services.matrix.syncNow().catch(() => undefined);
  return level();
};

describe('room notification levels as push rules, agreeing with another device', () => {
  it('starts at all messages', () => {
    expect(level()).toBe('all');
  });

  it('mutes the room with the override rule Element reads', async () => {
    await f.alice.call('chat.setNotifyLevel', { roomId, level: 'mute' });
    expect(level()).toBe('mute');
    const global = await rulesSeenElsewhere();
    expect(global.override).toContainEqual(
      expect.objectContaining({ rule_id: roomId, actions: [], conditions: [{ kind: 'event_match', key: 'room_id', pattern: roomId }] }),
    );
    expect(global.room.find((r) => r.rule_id === roomId)).toBeUndefined();
  });

  it('never notifies a mention in a muted room', async () => {
    const before = f.notifications.length;
    const { event_id: eventId } = await f.bob.sendMessage(roomId, { msgtype: 'm.text', body: `${f.aliceUser.userId} muted ping`, 'm.mentions': { user_ids: [f.aliceUser.userId] } } as never);
    await expect.poll(async () => {
      await f.alice.core.services.matrix.syncNow().catch(() => undefined);
      return f.alice.core.services.chat.timeline({ roomId, limit: 20 }).items.some((i) => i.eventId === eventId);
    }).toBe(true);
    expect(f.notifications.slice(before)).toEqual([]);
  });

  it('sets mentions and keywords as the room rule Element writes, and the mute goes', async () => {
    await f.alice.call('chat.setNotifyLevel', { roomId, level: 'mentions' });
    expect(level()).toBe('mentions');
    const global = await rulesSeenElsewhere();
    expect(global.room).toContainEqual(expect.objectContaining({ rule_id: roomId, actions: [] }));
    expect(global.override.find((r) => r.rule_id === roomId)).toBeUndefined();
  });

  it('shows a level the other device sets, after sync', async () => {
    await otherDevice('DELETE', `global/room/${encodeURIComponent(roomId)}`);
    await expect.poll(syncedLevel).toBe('all');
    await otherDevice('PUT', `global/override/${encodeURIComponent(roomId)}`, { conditions: [{ kind: 'event_match', key: 'room_id', pattern: roomId }], actions: [] });
    await expect.poll(syncedLevel).toBe('mute');
    await f.alice.call('chat.setNotifyLevel', { roomId, level: 'all' });
    expect((await rulesSeenElsewhere()).override.find((r) => r.rule_id === roomId)).toBeUndefined();
  });
});

describe('keywords as content rules', () => {
  it('adds a keyword the other device reads, and a keyword notifies', async () => {
    expect(await f.alice.call('chat.addKeyword', { keyword: ' budget ' })).toEqual(['budget']);
    const global = await rulesSeenElsewhere();
    expect(global.content).toContainEqual(expect.objectContaining({ rule_id: 'budget', pattern: 'budget', actions: expect.arrayContaining(['notify']) }));
    const before = f.notifications.length;
    const { event_id: eventId } = await f.bob.sendMessage(roomId, { msgtype: 'm.text', body: 'The Budget is ready' } as never);
    await expect.poll(async () => {
      await f.alice.core.services.matrix.syncNow().catch(() => undefined);
      return f.notifications.slice(before).map((n) => n.eventId);
    }).toContain(eventId);
  });

  it('shows a keyword added elsewhere and removes it everywhere', async () => {
    await otherDevice('PUT', 'global/content/assembly', { pattern: 'assembly', actions: ['notify', { set_tweak: 'highlight' }] });
    await expect.poll(async () => {
      await f.alice.core.services.matrix.syncNow().catch(() => undefined);
      return [...f.alice.core.services.chat.keywords()].sort();
    }).toEqual(['assembly', 'budget']);
    expect(await f.alice.call('chat.removeKeyword', { keyword: 'budget' })).toEqual(['assembly']);
    expect((await rulesSeenElsewhere()).content.find((r) => r.rule_id === 'budget')).toBeUndefined();
  });

  it('refuses a keyword that cannot be a rule, sending nothing', async () => {
    await expect(f.alice.call('chat.addKeyword', { keyword: '.m.rule.master' })).rejects.toThrow(/start with/);
    expect((await rulesSeenElsewhere()).content.find((r) => r.rule_id === '.m.rule.master')).toBeUndefined();
  });
});
