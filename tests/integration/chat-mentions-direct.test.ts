// Mentions and direct chats against a real Synapse (issue 18, items 3 and 5), Plenary on one
// side and a plain matrix-js-sdk client (as Element) on the other: a picked mention arrives
// with the pill and m.mentions; a direct chat Plenary starts is direct for the other client
// and recorded in Plenary's m.direct, and reused; an invitation to a direct chat from the
// other client is listed as direct, notifies (not under Do not disturb), and joining it
// names the room by the other person under People. Default rate limits: a handful of calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, Preset, type MatrixEvent } from 'matrix-js-sdk';
import { SynapseServer } from '../helpers/synapse';
import { bobReceives, sharedRoom, startChatFixture, waitForRoom, type ChatFixture } from '../helpers/chat-fixture';

let server: SynapseServer;
let f: ChatFixture;
let roomId: string;

beforeAll(async () => {
  server = await SynapseServer.start();
  f = await startChatFixture(server);
  await f.bob.setDisplayName('Bob Builder');
  roomId = await sharedRoom(f, { name: 'Mentions' });
});

afterAll(async () => {
  f?.close();
  await server?.stop();
});

const syncUntil = async <T>(check: () => T | undefined | null | false, what: string): Promise<T> => {
  for (let i = 0; i < 60; i++) {
    await f.alice.core.services.matrix.syncNow().catch(() => undefined);
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never saw ${what}`);
};

describe('mentions with a plain matrix-js-sdk client on the other side', () => {
  it('offers the room members, and sends a picked one as a pill with m.mentions', async () => {
    const members = await f.alice.call('chat.members', { roomId });
    expect(members).toContainEqual({ userId: f.bobUser.userId, displayName: 'Bob Builder' });
    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'thanks Bob Builder, see #nowhere');
    await f.alice.call('chat.send', { roomId, text: 'thanks Bob Builder, see #nowhere', mentions: [{ kind: 'user', id: f.bobUser.userId, text: 'Bob Builder' }] });
    const content = (await received).getContent();
    expect(content['m.mentions']).toEqual({ user_ids: [f.bobUser.userId] });
    expect(content.formatted_body).toContain(`<a href="https://matrix.to/#/${f.bobUser.userId}"`);
    expect(content.formatted_body).toContain('>Bob Builder</a>');
  });

  it('shows a pill the other client sends as a kept matrix.to link, mentioning and notifying the member', async () => {
    const before = f.notifications.length;
    const name = f.aliceUser.localpart;
    const { event_id: eventId } = await f.bob.sendMessage(roomId, {
      msgtype: 'm.text',
      body: `${name}: can you chair?`,
      format: 'org.matrix.custom.html',
      formatted_body: `<a href="https://matrix.to/#/${f.aliceUser.userId}">${name}</a>: can you chair?`,
      'm.mentions': { user_ids: [f.aliceUser.userId] },
    } as never);
    const row = await syncUntil(() => f.alice.core.services.chat.timeline({ roomId, limit: 50 }).items.find((i) => i.eventId === eventId), 'the pill');
    expect(row?.html).toContain(`href="https://matrix.to/#/${f.aliceUser.userId}"`);
    expect(row?.mentionsMe).toBe(true);
    expect(f.notifications.slice(before)).toContainEqual(expect.objectContaining({ roomId, eventId, senderName: 'Bob Builder' }));
  });

  it('sends a mention of someone not in the room as text, without m.mentions', async () => {
    const stranger = await server.register(`stranger${Date.now() % 100000}`);
    const received = bobReceives(f, roomId, (e) => String(e.getContent().body).startsWith('ping Stranger'));
    await f.alice.call('chat.send', { roomId, text: `ping Stranger ${stranger.userId}`, mentions: [{ kind: 'user', id: stranger.userId, text: 'Stranger' }] });
    const content = (await received).getContent();
    expect(content['m.mentions']).toEqual({});
    expect(content.formatted_body).toBeUndefined();
  });
});

describe('direct chats with a plain matrix-js-sdk client on the other side', () => {
  it('starts a direct chat the other client receives as direct, records it in m.direct and reuses it', async () => {
    const invited = new Promise<MatrixEvent>((resolve) => {
      const listener = (event: MatrixEvent) => {
        if (event.getType() === 'm.room.member' && event.getStateKey() === f.bobUser.userId && event.getContent().membership === 'invite' && event.getContent().is_direct === true) {
          f.bob.off(ClientEvent.Event, listener);
          resolve(event);
        }
      };
      f.bob.on(ClientEvent.Event, listener);
    });
    const started = await f.alice.call('chat.startDirect', { userId: f.bobUser.userId });
    expect(started.created).toBe(true);
    const invite = await invited;
    expect(invite.getRoomId()).toBe(started.roomId);
    expect(invite.getSender()).toBe(f.aliceUser.userId);

    const direct = (await f.alice.core.services.matrix.request('GET', `/_matrix/client/v3/user/${encodeURIComponent(f.aliceUser.userId)}/account_data/m.direct`)) as Record<string, string[]>;
    expect(direct[f.bobUser.userId]).toContain(started.roomId);

    await waitForRoom(f, started.roomId);
    const room = (await f.alice.call('chat.rooms', {})).find((r) => r.roomId === started.roomId)!;
    expect(room.directWith).toEqual({ userId: f.bobUser.userId, name: expect.any(String) });
    // Asked again: the same room, nothing created.
    expect(await f.alice.call('chat.startDirect', { userId: f.bobUser.userId })).toEqual({ roomId: started.roomId, created: false });
    // Once Bob joins, the room is named by him.
    await f.bob.joinRoom(started.roomId);
    await syncUntil(() => f.alice.core.services.chat.rooms().find((r) => r.roomId === started.roomId && r.name === 'Bob Builder'), 'the direct chat named by Bob');
  });

  it('refuses a direct chat with oneself, clearly', async () => {
    await expect(f.alice.call('chat.startDirect', { userId: f.aliceUser.userId })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('lists an invitation to a direct chat from the other client as direct, notifies it, and joining records it in m.direct', async () => {
    const before = f.notifications.length;
    const { room_id: dm } = await f.bob.createRoom({ is_direct: true, preset: Preset.TrustedPrivateChat, invite: [f.aliceUser.userId] });
    const invite = await syncUntil(() => f.alice.core.services.chat.invites().find((i) => i.roomId === dm), 'the invitation');
    expect(invite).toMatchObject({ isDirect: true, inviter: f.bobUser.userId, inviterName: 'Bob Builder' });
    const notified = f.notifications.slice(before).find((n) => n.roomId === dm);
    expect(notified).toMatchObject({ kind: 'directInvite', senderName: 'Bob Builder' });

    await f.alice.call('chat.acceptInvite', { roomId: dm });
    await waitForRoom(f, dm);
    const direct = (await f.alice.core.services.matrix.request('GET', `/_matrix/client/v3/user/${encodeURIComponent(f.aliceUser.userId)}/account_data/m.direct`)) as Record<string, string[]>;
    expect(direct[f.bobUser.userId]).toContain(dm);
    await syncUntil(() => f.alice.core.services.chat.rooms().find((r) => r.roomId === dm && r.directWith?.userId === f.bobUser.userId && r.name === 'Bob Builder'), 'the joined direct chat');
  });

  it('does not notify an invitation to a direct chat under Do not disturb', async () => {
    await f.alice.call('settings.set', { key: 'doNotDisturb', value: true });
    const before = f.notifications.length;
    const { room_id: dm } = await f.bob.createRoom({ is_direct: true, preset: Preset.TrustedPrivateChat, invite: [f.aliceUser.userId] });
    await syncUntil(() => f.alice.core.services.chat.invites().find((i) => i.roomId === dm), 'the second invitation');
    expect(f.notifications.slice(before)).toEqual([]);
    await f.alice.call('settings.set', { key: 'doNotDisturb', value: false });
  });

  it('says clearly that starting a direct chat needs the server while disconnected', async () => {
    const someone = await server.register(`someone${Date.now() % 100000}`);
    await f.alice.call('matrix.disconnect', {});
    await expect(f.alice.call('chat.startDirect', { userId: someone.userId })).rejects.toMatchObject({ code: 'offline' });
    await f.alice.call('matrix.connect', {});
  });
});
