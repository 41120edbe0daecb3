// Decrypting a page of events together (a /sync timeline, a back-filled page): one result per
// event, in the events' order; an event that cannot be read keeps its own reason and does
// not stop the others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryptoEngine, decryptConcurrency } from '../../main/core/crypto/crypto-engine';
import { pruneFinished, pruneFinishedTransactions } from '../../main/core/crypto/idb-transactions';
import { undecryptedKey } from '../../main/core/crypto/room-encryption';
import { createLogger, memorySink } from '../../main/core/log';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';

const userId = '@ana:example.coop';
const roomA = '!a:example.coop';
const roomB = '!b:example.coop';

function request<T>(_method: string, path: string): Promise<T> {
  if (path.endsWith('/keys/upload')) return Promise.resolve({ one_time_key_counts: { signed_curve25519: 50 } } as T);
  if (path.endsWith('/keys/query')) return Promise.resolve({ device_keys: { [userId]: {} }, failures: {} } as T);
  return Promise.resolve({} as T);
}

let dir: string;
let engine: CryptoEngine;

async function encrypted(roomId: string, id: string, body: string, relatesTo?: Record<string, unknown>): Promise<MatrixRawEvent> {
  const content = await engine.encrypt(roomId, 'm.room.message', { msgtype: 'm.text', body }, [userId], 'shared');
  return { event_id: id, room_id: roomId, type: 'm.room.encrypted', sender: userId, origin_server_ts: 1_700_000_000_000, content: { ...content, ...(relatesTo ? { 'm.relates_to': relatesTo } : {}) } };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plenary-decrypt-batch-'));
  engine = await CryptoEngine.open({ userId, deviceId: 'ANADEVICE', storePath: join(dir, 'store'), passphrase: 'test', log: createLogger('test', memorySink().sink), request });
  for (const roomId of [roomA, roomB]) await engine.setRoomEncryption(roomId, { algorithm: 'm.megolm.v1.aes-sha2', rotationPeriodMs: null, rotationPeriodMessages: null });
});

afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('decrypting a page of events together', () => {
  it('keeps the order and gives each undecryptable event its own reason, the rest decrypted', async () => {
    const clear: MatrixRawEvent = { event_id: '$clear', room_id: roomA, type: 'm.reaction', sender: userId, origin_server_ts: 1, content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e0', key: '👍' } } };
    const first = await encrypted(roomA, '$e0', 'first');
    const reply = await encrypted(roomA, '$e1', 'a reply', { 'm.in_reply_to': { event_id: '$e0' } });
    const good = await encrypted(roomA, '$e2', 'third');
    // A key this device never received, and a message whose ciphertext was damaged.
    const unknownSession: MatrixRawEvent = { ...good, event_id: '$nokey', content: { ...good.content, session_id: 'A'.repeat(43) } };
    const damaged: MatrixRawEvent = { ...good, event_id: '$damaged', content: { ...good.content, ciphertext: 'AwgAEhAAAAAAAAAAAAAAAAAAAAAA' } };
    const page = [first, unknownSession, clear, reply, damaged, good];

    const results = await engine.decryptBatch(roomA, page);

    expect(results.map((r) => r.event.event_id)).toEqual(['$e0', '$nokey', '$clear', '$e1', '$damaged', '$e2']);
    expect(results.map((r) => r.decrypted)).toEqual([true, false, false, true, false, true]);
    expect(results.map((r) => (r.decrypted ? r.event.content.body : null))).toEqual(['first', null, null, 'a reply', null, 'third']);
    // The clear event comes back as it was; the relation that travels in the clear is kept.
    expect(results[2]!.event).toBe(clear);
    expect(results[3]!.event.content['m.relates_to']).toEqual({ 'm.in_reply_to': { event_id: '$e0' } });
    // Each failure keeps its own reason, the same one decrypting it alone gives.
    expect(results[1]!.reason).toBe('missing_key');
    expect(results[1]!.event.content[undecryptedKey]).toBe('missing_key');
    expect(results[4]!.reason).toBeDefined();
    expect(results[4]!.event.content[undecryptedKey]).toBe(results[4]!.reason);
    for (const i of [1, 4]) {
      const alone = await engine.decrypt(roomA, page[i]!);
      expect(alone.decrypted).toBe(false);
      expect(alone.reason).toBe(results[i]!.reason);
    }
    expect(results[0]!.event.type).toBe('m.room.message');
  });

  it('gives the same results as one at a time, for a page larger than the calls it runs at once', async () => {
    const page: MatrixRawEvent[] = [];
    for (let i = 0; i < decryptConcurrency * 3 + 5; i++) {
      const event = await encrypted(roomA, `$p${i}`, `message ${i}`);
      // Every seventh one unreadable, spread through the page.
      page.push(i % 7 === 3 ? { ...event, content: { ...event.content, session_id: 'B'.repeat(43) } } : event);
    }
    const together = await engine.decryptBatch(roomA, page);
    const oneByOne = [];
    for (const event of page) oneByOne.push(await engine.decrypt(roomA, event));
    expect(together).toEqual(oneByOne);
    expect(together.map((r) => r.event.event_id)).toEqual(page.map((e) => e.event_id));
    expect(together.filter((r) => !r.decrypted).map((r) => r.event.event_id)).toEqual(page.filter((_, i) => i % 7 === 3).map((e) => e.event_id));
  });

  it('decrypts several rooms’ events in one pool, each with its own room', async () => {
    const a = await encrypted(roomA, '$ra', 'in a');
    const b = await encrypted(roomB, '$rb', 'in b');
    const results = await engine.decryptMany([
      { roomId: roomB, event: b },
      { roomId: roomA, event: a },
      // Read as another room's event: refused, not mixed up.
      { roomId: roomB, event: { ...a, event_id: '$wrong-room', room_id: roomB } },
    ]);
    expect(results.map((r) => [r.event.event_id, r.decrypted])).toEqual([
      ['$rb', true],
      ['$ra', true],
      ['$wrong-room', false],
    ]);
    expect(results.map((r) => r.event.content.body ?? null)).toEqual(['in b', 'in a', null]);
  });

  it('answers an empty or all-clear page without touching the machine', async () => {
    expect(await engine.decryptBatch(roomA, [])).toEqual([]);
    const clear: MatrixRawEvent = { event_id: '$c', room_id: roomA, type: 'm.room.message', sender: userId, origin_server_ts: 1, content: { body: 'hi' } };
    expect(await engine.decryptBatch(roomA, [clear])).toEqual([{ event: clear, decrypted: false }]);
  });
});

describe('fake-indexeddb’s finished transactions', () => {
  it('are dropped from the list, never a versionchange one nor one still running', () => {
    const list = [
      { _state: 'finished', mode: 'readonly' },
      { _state: 'active', mode: 'readonly' },
      { _state: 'finished', mode: 'versionchange' },
      { _state: 'inactive', mode: 'readwrite' },
      { _state: 'finished', mode: 'readwrite' },
    ];
    expect(pruneFinished(list)).toBe(2);
    expect(list).toEqual([
      { _state: 'active', mode: 'readonly' },
      { _state: 'finished', mode: 'versionchange' },
      { _state: 'inactive', mode: 'readwrite' },
    ]);
  });

  it('do not pile up while the crypto store serves decryption after decryption', async () => {
    expect(pruneFinishedTransactions()).toBe(true);
    const events: MatrixRawEvent[] = [];
    for (let i = 0; i < 60; i++) events.push(await encrypted(roomA, `$t${i}`, `message ${i}`));
    const lists = () => [...(globalThis.indexedDB as unknown as { _databases: Map<string, { transactions: unknown[] }> })._databases.values()].map((db) => db.transactions.length);
    let longest = 0;
    // One at a time (each decryption opens several short read-only transactions), then as one page.
    for (const event of events) {
      expect((await engine.decrypt(roomA, event)).decrypted).toBe(true);
      longest = Math.max(longest, ...lists());
    }
    expect((await engine.decryptBatch(roomA, events)).every((r) => r.decrypted)).toBe(true);
    longest = Math.max(longest, ...lists());
    expect(longest).toBeLessThan(decryptConcurrency * 2);
  });
});

describe('the encryption layer in front of sync and back-fill', () => {
  it('decrypts a /sync response’s rooms together and a back-filled page in order, the unreadable ones explained in place', async () => {
    const { CryptoService } = await import('../../main/core/crypto/crypto-service');
    const { MemorySecretStore } = await import('../../main/core/secrets/secret-store');
    const { openDatabase } = await import('../../main/core/store/database');
    const serviceDir = mkdtempSync(join(tmpdir(), 'plenary-decrypt-service-'));
    // A real store: the replay guard keeps the ciphertexts it has seen there.
    const db = openDatabase(join(serviceDir, 'plenary.sqlite'));
    const service = new CryptoService({
      dataDir: serviceDir,
      db,
      secrets: new MemorySecretStore(),
      log: createLogger('test', memorySink().sink),
      session: () => ({ homeserverUrl: 'https://example.coop', userId, deviceId: 'SERVICEDEVICE' }),
      request,
    });
    try {
      const own = (await service.ready())!;
      const make = async (roomId: string, id: string, body: string): Promise<MatrixRawEvent> => ({
        event_id: id,
        room_id: roomId,
        type: 'm.room.encrypted',
        sender: userId,
        origin_server_ts: 1,
        content: await own.encrypt(roomId, 'm.room.message', { msgtype: 'm.text', body }, [userId], 'shared'),
      });
      const encryption = (roomId: string): MatrixRawEvent => ({ event_id: `$enc${roomId}`, room_id: roomId, type: 'm.room.encryption', state_key: '', sender: userId, origin_server_ts: 0, content: { algorithm: 'm.megolm.v1.aes-sha2' } });
      await service.onSync({ next_batch: 's0', rooms: { join: { [roomA]: { state: { events: [encryption(roomA)] } }, [roomB]: { state: { events: [encryption(roomB)] } } } } } as never);
      const a1 = await make(roomA, '$a1', 'a one');
      const a2 = await make(roomA, '$a2', 'a two');
      const b1 = await make(roomB, '$b1', 'b one');
      const lost: MatrixRawEvent = { ...a2, event_id: '$lost', content: { ...a2.content, session_id: 'C'.repeat(43) } };
      const clear: MatrixRawEvent = { event_id: '$clear', room_id: roomB, type: 'm.room.message', sender: userId, origin_server_ts: 1, content: { body: 'in the clear' } };
      const response = { next_batch: 's1', rooms: { join: { [roomA]: { timeline: { events: [a1, lost, a2] } }, [roomB]: { timeline: { events: [clear, b1] } } } } };
      await service.onSync(response as never);
      const rooms = response.rooms.join as Record<string, { timeline: { events: MatrixRawEvent[] } }>;
      expect(rooms[roomA]!.timeline.events.map((e) => [e.event_id, e.type, e.content.body ?? e.content[undecryptedKey]])).toEqual([
        ['$a1', 'm.room.message', 'a one'],
        ['$lost', 'm.room.encrypted', 'missing_key'],
        ['$a2', 'm.room.message', 'a two'],
      ]);
      expect(rooms[roomB]!.timeline.events.map((e) => [e.event_id, e.type, e.content.body])).toEqual([
        ['$clear', 'm.room.message', 'in the clear'],
        ['$b1', 'm.room.message', 'b one'],
      ]);
      // A back-filled page (newest first, as /messages dir=b gives it).
      const page = await service.decryptEvents(roomA, [a2, lost, a1]);
      expect(page.map((e) => [e.event_id, e.content.body ?? e.content[undecryptedKey]])).toEqual([
        ['$a2', 'a two'],
        ['$lost', 'missing_key'],
        ['$a1', 'a one'],
      ]);
    } finally {
      await service.close();
      db.close();
      rmSync(serviceDir, { recursive: true, force: true });
    }
  });
});
