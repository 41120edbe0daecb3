// Governance in an encrypted circle room, against a real Synapse with its default rate
// limits: coop.json asks for encrypted circle rooms, Plenary creates the circle's room
// encrypted, its operations and its vote's poll travel as m.room.encrypted, and an
// Element-like member in another process (matrix-js-sdk with its Rust crypto, no code of
// main/) decrypts the poll and answers it encrypted; Plenary counts that answer through the
// same inbound authorisation as any other, and refuses one from a non-member.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import { seedCircle } from '../helpers/governance-seed';
import { newId } from '../../shared/governance/ids';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';
import type { VoteDetail } from '../../shared/governance/views';

const pollStartType = 'org.matrix.msc3381.poll.start';
const pollResponseType = 'org.matrix.msc3381.poll.response';

let server: SynapseServer;
let alice: TestCore;
let aliceUser: RegisteredUser;
let bobUser: RegisteredUser;
let malloryUser: RegisteredUser;
let bob: CryptoPeer;
let mallory: CryptoPeer;
const configDir = mkdtempSync(join(tmpdir(), 'plenary-coop-'));

beforeAll(async () => {
  server = await SynapseServer.start();
  aliceUser = await server.register('alice', { password: 'alice-password' });
  bobUser = await server.register('bob', { password: 'bob-password' });
  malloryUser = await server.register('mallory', { password: 'mallory-password' });
  const coopJson = join(configDir, 'coop.json');
  writeFileSync(coopJson, JSON.stringify({ version: 1, coop: { name: 'Test coop' }, matrix: { homeserver: server.baseUrl, encryptCircleRooms: true } }));
  alice = startTestCore({ coopConfigSources: [{ kind: 'environment', path: coopJson }] });
  await alice.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
  bob = startCryptoPeer();
  mallory = startCryptoPeer();
  await bob.call('start', { baseUrl: server.baseUrl, userId: bobUser.userId, accessToken: bobUser.accessToken, deviceId: bobUser.deviceId });
  await mallory.call('start', { baseUrl: server.baseUrl, userId: malloryUser.userId, accessToken: malloryUser.accessToken, deviceId: malloryUser.deviceId });
}, 120_000);

afterAll(async () => {
  await bob?.stop();
  await mallory?.stop();
  alice?.close();
  await server?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

type Maybe<T> = T | null | undefined | false;

async function syncUntil<T>(check: () => Maybe<T> | Promise<Maybe<T>>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    await alice.core.services.matrix.syncNow().catch(() => undefined);
    await alice.call('sync.now', {}).catch(() => undefined);
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never saw ${what}`);
}

describe('a circle room encrypted as coop.json asks', () => {
  it('carries operations and polls encrypted, and counts the encrypted answer of an Element-like member', async () => {
    const store = alice.core.services.governance;
    const circle = seedCircle(store, aliceUser.userId, [bobUser.userId]);
    const roomId = await syncUntil(() => alice.core.services.sync.rooms.roomOf(circle), 'the circle room');
    const encryption = await alice.core.services.matrix.request<{ algorithm: string }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.encryption/`);
    expect(encryption.algorithm).toBe('m.megolm.v1.aes-sha2');
    await bob.call('join', { roomId });

    const voteId = newId();
    const options = [
      { id: newId(), label: 'Renew the server contract' },
      { id: newId(), label: 'Move to the new host' },
    ];
    store.applyLocal('vote.create', circle, { voteId, question: 'Which hosting plan?', details: '', method: 'single', options, quorumPercent: 50 });
    const startId = await syncUntil(() => alice.core.services.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(voteId) as string | undefined, 'the poll published');

    // On the server, governance is ciphertext: no operation and no poll in the clear.
    const page = await alice.core.services.matrix.request<{ chunk: MatrixRawEvent[] }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, { query: { dir: 'b', limit: '100' } });
    const types = new Set(page.chunk.filter((e) => e.state_key === undefined).map((e) => e.type));
    expect(types.has('m.room.encrypted')).toBe(true);
    expect(types.has(pollStartType)).toBe(false);
    expect(types.has('coop.meet.plenary.ops')).toBe(false);

    // Bob's Element decrypts the poll, finds its answers, and answers encrypted.
    const poll = await bob.call<{ encrypted: boolean; content: Record<string, unknown> }>('waitFor', { roomId, type: pollStartType });
    expect(poll.encrypted).toBe(true);
    const answers = (poll.content[pollStartType] as { answers: { id: string; 'org.matrix.msc1767.text': string }[] }).answers;
    const move = answers.find((a) => a['org.matrix.msc1767.text'] === 'Move to the new host')!;
    const firstAnswer = await bob.call<{ eventId: string }>('send', { roomId, type: pollResponseType, content: { 'm.relates_to': { rel_type: 'm.reference', event_id: startId }, [pollResponseType]: { answers: [move.id] } } });

    // Mallory, not a member of the circle, is in the room all the same (invited on the
    // server, outside governance) and answers too: decrypted like any other answer, refused
    // by the same authorisation.
    await alice.core.services.matrix.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { body: { user_id: malloryUser.userId } });
    await mallory.call('join', { roomId });
    const renew = answers.find((a) => a['org.matrix.msc1767.text'] === 'Renew the server contract')!;
    await mallory.call('send', { roomId, type: pollResponseType, content: { 'm.relates_to': { rel_type: 'm.reference', event_id: startId }, [pollResponseType]: { answers: [renew.id] } } });

    const counted = await syncUntil(() => {
      const row = alice.core.services.db.prepare("SELECT COUNT(*) FROM sync_seen_events WHERE room_id = ? AND type = ?").pluck().get(roomId, pollResponseType) as number;
      return row >= 2 ? row : null;
    }, 'both answers read');
    expect(counted).toBe(2);
    const vote = (await alice.call('governance.vote', { circleId: circle, voteId })) as VoteDetail;
    const byLabel = Object.fromEntries(vote.results.options.map((o) => [o.label, o.votes]));
    expect(byLabel).toEqual({ 'Renew the server contract': 0, 'Move to the new host': 1 });

    // Bob changes his answer. Then his first answer's exact ciphertext comes again under a new
    // event id, from his account (what a homeserver replaying it would produce) and from
    // Mallory's: neither brings the old answer back.
    await bob.call('send', { roomId, type: pollResponseType, content: { 'm.relates_to': { rel_type: 'm.reference', event_id: startId }, [pollResponseType]: { answers: [renew.id] } } });
    const results = async () => Object.fromEntries(((await alice.call('governance.vote', { circleId: circle, voteId })) as VoteDetail).results.options.map((o) => [o.label, o.votes]));
    await syncUntil(async () => (await results())['Renew the server contract'] === 1, 'Bob’s changed answer counted');
    expect(await results()).toEqual({ 'Renew the server contract': 1, 'Move to the new host': 0 });
    const headers = (user: RegisteredUser) => ({ Authorization: `Bearer ${user.accessToken}`, 'Content-Type': 'application/json' });
    const original = (await (await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(firstAnswer.eventId)}`, { headers: headers(bobUser) })).json()) as MatrixRawEvent;
    expect(original.type).toBe('m.room.encrypted');
    const resend = async (user: RegisteredUser, txn: string) =>
      ((await (await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/${txn}`, { method: 'PUT', headers: headers(user), body: JSON.stringify(original.content) })).json()) as { event_id: string }).event_id;
    const replayed = await resend(bobUser, 'replay-1');
    const forged = await resend(malloryUser, 'forge-1');
    const refusals = await syncUntil(async () => {
      const timeline = await alice.call('chat.timeline', { roomId, limit: 200 });
      const reasons = [replayed, forged].map((id) => timeline.items.find((item) => item.eventId === id)?.undecryptable);
      return reasons.every(Boolean) ? reasons : null;
    }, 'the copies read');
    expect(refusals).toEqual(['replayed', 'forged_sender']);
    expect(await results()).toEqual({ 'Renew the server contract': 1, 'Move to the new host': 0 });
  });
});
