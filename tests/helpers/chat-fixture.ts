// Two members for chat tests against a real Synapse: "alice" uses Plenary (a real core,
// signed in through its calls), "bob" uses a plain matrix-js-sdk client, as an Element user
// would. Bob creates the room and invites Alice; Alice joins it.
import { createClient, ClientEvent, RoomEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import type { ChatNotification, ChatTimeline } from '../../shared/contract/chat';
import type { SynapseServer, RegisteredUser } from './synapse';
import { startTestCore, type TestCore } from './test-core';
import { quietSdkLogger } from './quiet-sdk-logger';
import type { CoreOptions } from '../../main/core/app-core';

export interface ChatFixture {
  alice: TestCore;
  aliceUser: RegisteredUser;
  bob: MatrixClient;
  bobUser: RegisteredUser;
  notifications: ChatNotification[];
  close(): void;
}

let counter = 0;

export async function startChatFixture(server: SynapseServer, options: Partial<Omit<CoreOptions, 'secrets'>> & { homeserverUrl?: string } = {}): Promise<ChatFixture> {
  counter++;
  const aliceUser = await server.register(`alice${counter}`, { password: 'alice-password' });
  const bobUser = await server.register(`bob${counter}`, { password: 'bob-password' });
  const notifications: ChatNotification[] = [];
  const { homeserverUrl, ...coreOptions } = options;
  const alice = startTestCore({ notifier: { notify: (n) => notifications.push(n) }, ...coreOptions });
  await alice.call('matrix.signInWithPassword', { homeserverUrl: homeserverUrl ?? server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
  const bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  await new Promise<void>((resolve) => {
    bob.once(ClientEvent.Sync, () => resolve());
    void bob.startClient({ initialSyncLimit: 20 });
  });
  const fixture: ChatFixture = {
    alice,
    aliceUser,
    bob,
    bobUser,
    notifications,
    // Tests may replace `alice` with a restarted core; close whichever is current.
    close: () => {
      bob.stopClient();
      fixture.alice.close();
    },
  };
  return fixture;
}

/** Bob creates a room, invites Alice, Alice joins through Plenary's connection and syncs. */
export async function sharedRoom(f: ChatFixture, options: { name?: string; encrypted?: boolean } = {}): Promise<string> {
  const { room_id: roomId } = await f.bob.createRoom({
    name: options.name ?? 'Technology operations',
    invite: [f.aliceUser.userId],
    ...(options.encrypted ? { initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] } : {}),
  });
  await f.alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
  await waitForRoom(f, roomId);
  return roomId;
}

export async function waitForRoom(f: ChatFixture, roomId: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await f.alice.core.services.matrix.syncNow();
    if (f.alice.core.services.chat.rooms().some((r) => r.roomId === roomId)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Alice never saw room ${roomId}`);
}

/** Syncs Alice until her timeline satisfies the check. */
export async function aliceSees(f: ChatFixture, roomId: string, check: (timeline: ChatTimeline) => boolean, what: string): Promise<ChatTimeline> {
  let timeline: ChatTimeline | null = null;
  for (let i = 0; i < 60; i++) {
    await f.alice.core.services.matrix.syncNow().catch(() => undefined);
    timeline = await f.alice.call('chat.timeline', { roomId, limit: 200 });
    if (check(timeline)) return timeline;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Alice never saw ${what}; last timeline: ${JSON.stringify(timeline?.items.map((i) => [i.kind, i.body.slice(0, 60), i.pending]))}`);
}

/** Resolves with the first event in the room that Bob's client receives and the check accepts. */
export function bobReceives(f: ChatFixture, roomId: string, check: (event: MatrixEvent) => boolean): Promise<MatrixEvent> {
  const existing = f.bob
    .getRoom(roomId)
    ?.getLiveTimeline()
    .getEvents()
    .find((e) => check(e));
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve) => {
    const listener = (event: MatrixEvent) => {
      if (event.getRoomId() === roomId && check(event)) {
        f.bob.off(RoomEvent.Timeline, listener);
        resolve(event);
      }
    };
    f.bob.on(RoomEvent.Timeline, listener);
  });
}

/** Bob's events of a type in the room, as his client has them, oldest first. */
export function bobEvents(f: ChatFixture, roomId: string, type = 'm.room.message'): MatrixEvent[] {
  return (
    f.bob
      .getRoom(roomId)
      ?.getLiveTimeline()
      .getEvents()
      .filter((e) => e.getType() === type) ?? []
  );
}
