// End-to-end encrypted rooms against a real Synapse (default rate limits), with an
// independent Element-like member in another process (tests/helpers/element-crypto-peer.ts:
// matrix-js-sdk's MatrixClient with its Rust crypto, sharing no code with main/).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import type { ChatTimeline } from '../../shared/contract/chat';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';
import { cryptoPassphraseSecret, cryptoStoreFile } from '../../main/core/crypto/crypto-service';

let server: SynapseServer;
let peer: CryptoPeer;
let alice: TestCore;
let aliceUser: RegisteredUser;
let bobUser: RegisteredUser;
let roomId: string;
const dataDir = mkdtempSync(join(tmpdir(), 'plenary-e2ee-'));
const secrets = new MemorySecretStore();

async function aliceSees(check: (timeline: ChatTimeline) => boolean, what: string): Promise<ChatTimeline> {
  let timeline: ChatTimeline | null = null;
  for (let i = 0; i < 100; i++) {
    await alice.core.services.matrix.syncNow().catch(() => undefined);
    timeline = await alice.call('chat.timeline', { roomId, limit: 200 });
    if (check(timeline)) return timeline;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Alice never saw ${what}; last timeline: ${JSON.stringify(timeline?.items.map((i) => [i.kind, i.body.slice(0, 60)]))}`);
}

beforeAll(async () => {
  server = await SynapseServer.start();
  aliceUser = await server.register('alice', { password: 'alice-password' });
  bobUser = await server.register('bob', { password: 'bob-password' });
  alice = startTestCore({ dataDir, secrets });
  await alice.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
  peer = startCryptoPeer();
  await peer.call('start', { baseUrl: server.baseUrl, userId: bobUser.userId, accessToken: bobUser.accessToken, deviceId: bobUser.deviceId });
  ({ roomId } = await peer.call<{ roomId: string }>('createRoom', { name: 'Stewards (private)', invite: [aliceUser.userId], encrypted: true }));
  await alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
  await aliceSees(() => alice.core.services.chat.rooms().some((r) => r.roomId === roomId), 'the room');
}, 120_000);

afterAll(async () => {
  await peer?.stop();
  alice?.close({ keepData: true });
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('an encrypted room shared with an Element-like client', () => {
  it('reads what the other client encrypts', async () => {
    const { wireType } = await peer.call<{ wireType: string }>('send', { roomId, content: { msgtype: 'm.text', body: 'The budget is 1,200' } });
    expect(wireType).toBe('m.room.encrypted');
    const timeline = await aliceSees((t) => t.items.some((i) => i.body === 'The budget is 1,200'), 'the decrypted message');
    expect(timeline.encrypted).toBe(true);
    expect(timeline.items.find((i) => i.body === 'The budget is 1,200')).toMatchObject({ kind: 'text', mine: false });
  });

  it('sends encrypted messages, replies and edits the other client decrypts, and reactions in the clear as Element does', async () => {
    await alice.call('chat.send', { roomId, text: 'Agreed, **1,200**' });
    const seen = await peer.call<{ eventId: string; encrypted: boolean; content: Record<string, unknown> }>('waitFor', { roomId, body: 'Agreed, **1,200**' });
    expect(seen.encrypted).toBe(true);
    expect(seen.content).toMatchObject({ msgtype: 'm.text', formatted_body: '<p>Agreed, <strong>1,200</strong></p>' });
    // On the server the message is ciphertext.
    const raw = await alice.core.services.matrix.request<MatrixRawEvent>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(seen.eventId)}`);
    expect(raw.type).toBe('m.room.encrypted');
    expect(JSON.stringify(raw.content)).not.toContain('1,200');

    const question = await peer.call<{ eventId: string }>('send', { roomId, content: { msgtype: 'm.text', body: 'Who writes the minutes?' } });
    await aliceSees((t) => t.items.some((i) => i.eventId === question.eventId && i.body === 'Who writes the minutes?'), 'the question');
    await alice.call('chat.send', { roomId, text: 'I will', replyTo: question.eventId });
    const reply = await peer.call<{ content: Record<string, unknown>; encrypted: boolean }>('waitFor', { roomId, type: 'm.room.message', body: `> <${bobUser.userId}> Who writes the minutes?\n\nI will` });
    expect(reply.encrypted).toBe(true);
    expect(reply.content['m.relates_to']).toMatchObject({ 'm.in_reply_to': { event_id: question.eventId } });

    await alice.call('chat.edit', { roomId, eventId: seen.eventId, text: 'Agreed, **1,250**' });
    const edit = await peer.call<{ encrypted: boolean; content: Record<string, unknown> }>('waitFor', { roomId, body: '* Agreed, **1,250**' });
    expect(edit.encrypted).toBe(true);
    expect(edit.content['m.new_content']).toMatchObject({ body: 'Agreed, **1,250**' });
    expect(edit.content['m.relates_to']).toMatchObject({ rel_type: 'm.replace', event_id: seen.eventId });

    // And an edit from the other side replaces the message here.
    const typo = await peer.call<{ eventId: string }>('send', { roomId, content: { msgtype: 'm.text', body: 'Meting at noon' } });
    await peer.call('send', { roomId, content: { msgtype: 'm.text', body: '* Meeting at noon', 'm.new_content': { msgtype: 'm.text', body: 'Meeting at noon' }, 'm.relates_to': { rel_type: 'm.replace', event_id: typo.eventId } } });
    await aliceSees((t) => t.items.some((i) => i.eventId === typo.eventId && i.body === 'Meeting at noon'), 'the edited message');

    await alice.call('chat.react', { roomId, eventId: question.eventId, key: '👍' });
    const reaction = await peer.call<{ encrypted: boolean; content: Record<string, unknown> }>('waitFor', { roomId, type: 'm.reaction' });
    expect(reaction.encrypted).toBe(false);
    expect(reaction.content['m.relates_to']).toMatchObject({ rel_type: 'm.annotation', key: '👍', event_id: question.eventId });
  });

  it('keeps its device, its keys and the room keys across a restart, and reads old and new messages', async () => {
    const before = alice.core.services.matrix.session()!;
    const keysBefore = await peer.call<{ deviceId: string; ed25519: string }[]>('deviceOf', { userId: aliceUser.userId });
    expect(keysBefore).toHaveLength(1);
    alice.close({ keepData: true });
    alice = startTestCore({ dataDir, secrets });
    expect(alice.core.services.matrix.session()).toEqual(before);
    // The store on disk is the snapshot, encrypted with the passphrase the secret store keeps.
    expect(existsSync(join(dataDir, cryptoStoreFile))).toBe(true);
    expect(secrets.get(cryptoPassphraseSecret)).toBeTruthy();

    await peer.call('send', { roomId, content: { msgtype: 'm.text', body: 'After your restart' } });
    await aliceSees((t) => t.items.some((i) => i.body === 'After your restart'), 'the message sent after the restart');
    // Old history read again from the server still decrypts with the kept room keys.
    const page = await alice.core.services.matrix.request<{ chunk: MatrixRawEvent[] }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, {
      query: { dir: 'f', limit: '50' },
    });
    const old = await alice.core.services.matrix.decryptEvents(roomId, page.chunk);
    expect(old.map((e) => e.content.body)).toContain('The budget is 1,200');

    await alice.call('chat.send', { roomId, text: 'Still me' });
    await peer.call('waitFor', { roomId, body: 'Still me' });
    const keysAfter = await peer.call<{ deviceId: string; ed25519: string }[]>('deviceOf', { userId: aliceUser.userId });
    expect(keysAfter).toEqual(keysBefore);
  });

  it('back-fills what was sent while it was closed, decrypted', async () => {
    alice.close({ keepData: true });
    for (let i = 1; i <= 6; i++) await peer.call('send', { roomId, content: { msgtype: 'm.text', body: `While away ${i}` } });
    // A short sync timeline: the first messages are left in a gap, read through /messages.
    alice = startTestCore({ dataDir, secrets, matrix: { timelineLimit: 3 } });
    await aliceSees((t) => t.items.some((i) => i.body === 'While away 6'), 'the latest message');
    const wanted = [1, 2, 3, 4, 5, 6].map((i) => `While away ${i}`);
    let timeline = await alice.call('chat.timeline', { roomId, limit: 200 });
    for (let round = 0; round < 10 && !wanted.every((body) => timeline.items.some((i) => i.body === body)); round++) {
      const gap = timeline.items.find((i) => i.key.startsWith('gap:'));
      await alice.call('chat.paginate', gap ? { roomId, gapPos: Number(gap.key.slice(4)) } : { roomId });
      timeline = await alice.call('chat.timeline', { roomId, limit: 200 });
    }
    expect(timeline.items.filter((i) => i.body.startsWith('While away')).map((i) => [i.kind, i.body])).toEqual(wanted.map((body) => ['text', body]));
    expect(timeline.items.some((i) => i.kind === 'encrypted')).toBe(false);
  });

  it('explains a message whose key has not come, and reads it when the key arrives', async () => {
    const { roomId: late } = await peer.call<{ roomId: string }>('createRoom', { name: 'Late keys', invite: [aliceUser.userId], encrypted: true });
    await alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(late)}`, { body: {} });
    await peer.call('join', { roomId: late });
    // The room key travels as a to-device message: hold those back from Alice's /sync for a
    // while, as when the sender's device is slow to share it, and hand them over afterwards.
    const held: unknown[] = [];
    let holding = true;
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await realFetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('/_matrix/client/v3/sync') || !response.ok) return response;
      const body = (await response.json()) as { to_device?: { events?: unknown[] } };
      const arriving = body.to_device?.events ?? [];
      if (holding) {
        held.push(...arriving);
        body.to_device = { events: [] };
      } else {
        body.to_device = { events: [...held.splice(0), ...arriving] };
      }
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    try {
      const sent = await peer.call<{ eventId: string }>('send', { roomId: late, content: { msgtype: 'm.text', body: 'The key comes later' } });
      const read = async (check: (timeline: ChatTimeline) => boolean, what: string) => {
        for (let i = 0; i < 100; i++) {
          await alice.core.services.matrix.syncNow().catch(() => undefined);
          const timeline = await alice.call('chat.timeline', { roomId: late, limit: 50 });
          if (check(timeline)) return timeline;
          await new Promise((r) => setTimeout(r, 150));
        }
        throw new Error(`Alice never saw ${what}`);
      };
      const before = await read((t) => t.items.some((i) => i.eventId === sent.eventId), 'the unreadable message');
      expect(before.items.find((i) => i.eventId === sent.eventId)).toMatchObject({ kind: 'encrypted', undecryptable: 'missing_key' });
      holding = false;
      const after = await read((t) => t.items.some((i) => i.eventId === sent.eventId && i.kind === 'text'), 'the message once its key came');
      expect(after.items.find((i) => i.eventId === sent.eventId)).toMatchObject({ kind: 'text', body: 'The key comes later' });
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('explains a message whose key the sender withheld from this unverified device', async () => {
    const { roomId: guarded } = await peer.call<{ roomId: string }>('createRoom', { name: 'Verified only', invite: [aliceUser.userId], encrypted: true });
    await alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(guarded)}`, { body: {} });
    await peer.call('join', { roomId: guarded });
    await peer.call('blacklistUnverified', { on: true });
    try {
      const sent = await peer.call<{ eventId: string }>('send', { roomId: guarded, content: { msgtype: 'm.text', body: 'Only for verified sessions' } });
      let item: ChatTimeline['items'][number] | undefined;
      for (let i = 0; i < 100 && item?.undecryptable !== 'withheld'; i++) {
        await alice.core.services.matrix.syncNow().catch(() => undefined);
        if (alice.core.services.chat.rooms().some((r) => r.roomId === guarded)) {
          item = (await alice.call('chat.timeline', { roomId: guarded, limit: 50 })).items.find((i) => i.eventId === sent.eventId);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(item).toMatchObject({ kind: 'encrypted', undecryptable: 'withheld' });
    } finally {
      await peer.call('blacklistUnverified', { on: false });
    }
  });

  it('refuses a member’s message re-sent by another member, and the same ciphertext sent again (hostile members)', async () => {
    const mallory = await server.register('mallory', { password: 'mallory-password' });
    const { roomId: ballots } = await peer.call<{ roomId: string }>('createRoom', { name: 'Ballots', invite: [aliceUser.userId, mallory.userId], encrypted: true });
    await alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(ballots)}`, { body: {} });
    const asMember = (user: RegisteredUser) => ({ Authorization: `Bearer ${user.accessToken}`, 'Content-Type': 'application/json' });
    const joined = await fetch(`${server.baseUrl}/_matrix/client/v3/join/${encodeURIComponent(ballots)}`, { method: 'POST', headers: asMember(mallory), body: '{}' });
    expect(joined.status).toBe(200);
    const sent = await peer.call<{ eventId: string }>('send', { roomId: ballots, content: { msgtype: 'm.text', body: 'Bob votes no' } });
    // Mallory is a member: she reads the ciphertext from the server, as anyone in the room can.
    const original = (await (await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(ballots)}/event/${encodeURIComponent(sent.eventId)}`, { headers: asMember(mallory) })).json()) as MatrixRawEvent;
    expect(original.type).toBe('m.room.encrypted');
    const resend = async (user: RegisteredUser, txn: string) => {
      const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(ballots)}/send/m.room.encrypted/${txn}`, { method: 'PUT', headers: asMember(user), body: JSON.stringify(original.content) });
      return ((await response.json()) as { event_id: string }).event_id;
    };
    // Under her own name, and under Bob's account (what a homeserver replaying it would produce).
    const forged = await resend(mallory, 'forged-1');
    const replayed = await resend(bobUser, 'replayed-1');
    const read = (timeline: ChatTimeline, eventId: string) => timeline.items.find((i) => i.eventId === eventId);
    let timeline: ChatTimeline | null = null;
    for (let i = 0; i < 100; i++) {
      await alice.core.services.matrix.syncNow().catch(() => undefined);
      if (alice.core.services.chat.rooms().some((r) => r.roomId === ballots)) {
        timeline = await alice.call('chat.timeline', { roomId: ballots, limit: 50 });
        if (read(timeline, sent.eventId)?.body === 'Bob votes no' && read(timeline, forged) && read(timeline, replayed)) break;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(read(timeline!, sent.eventId)).toMatchObject({ kind: 'text', sender: bobUser.userId, body: 'Bob votes no' });
    expect(read(timeline!, forged)).toMatchObject({ kind: 'encrypted', sender: mallory.userId, undecryptable: 'forged_sender' });
    expect(read(timeline!, replayed)).toMatchObject({ kind: 'encrypted', sender: bobUser.userId, undecryptable: 'replayed' });
    expect(timeline!.items.filter((i) => i.body === 'Bob votes no')).toHaveLength(1);
    // Read back again (as after the keys arrive late, or a back-fill), the refusals stand.
    const again = await alice.core.services.crypto.decryptEvents(ballots, [original, { ...original, event_id: replayed }]);
    expect(again.map((e) => e.type)).toEqual(['m.room.message', 'm.room.encrypted']);
  });

  it('signing out deletes the device’s keys', async () => {
    const other = startTestCore({});
    try {
      await other.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
      await other.core.services.matrix.syncNow();
      await expect.poll(() => existsSync(join(other.dataDir, cryptoStoreFile)), { timeout: 20_000 }).toBe(true);
      await other.call('matrix.signOut', {});
      await expect.poll(() => existsSync(join(other.dataDir, cryptoStoreFile)), { timeout: 20_000 }).toBe(false);
      expect(other.secrets.get(cryptoPassphraseSecret)).toBeUndefined();
    } finally {
      other.close();
    }
  });
});
