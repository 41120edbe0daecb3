import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import {
  decodeSnapshot,
  deleteDatabases,
  encodeSnapshot,
  readSnapshotFile,
  restoreDatabases,
  snapshotDatabases,
  writeSnapshotFile,
} from '../../main/core/crypto/idb-snapshot';
import type { IdbFactory } from '../../main/core/crypto/idb-types';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('request failed'));
  });
}

async function seed(factory: IDBFactory): Promise<void> {
  const open = factory.open('p::crypto', 3);
  open.onupgradeneeded = () => {
    const db = open.result;
    const inline = db.createObjectStore('sessions', { keyPath: ['room', 'id'] });
    inline.createIndex('by_room', 'room', { unique: false });
    db.createObjectStore('counter', { autoIncrement: true });
    const outOfLine = db.createObjectStore('blobs');
    outOfLine.createIndex('tags', 'tags', { unique: false, multiEntry: true });
  };
  const db = await req(open);
  const tx = db.transaction(['sessions', 'counter', 'blobs'], 'readwrite');
  tx.objectStore('sessions').put({ room: '!r:x', id: 's1', key: new Uint8Array([1, 2, 3]), at: new Date(5) });
  tx.objectStore('sessions').put({ room: '!r:x', id: 's2', nested: new Map([['a', 1]]) });
  tx.objectStore('counter').put('first');
  tx.objectStore('counter').put('second');
  tx.objectStore('blobs').put({ tags: ['a', 'b'], bytes: new Uint8Array(300).fill(7) }, new Uint8Array([9, 9]));
  await new Promise<void>((resolve) => (tx.oncomplete = () => resolve()));
  db.close();
  const other = factory.open('other-app', 1);
  other.onupgradeneeded = () => other.result.createObjectStore('x');
  (await req(other)).close();
}

describe('the crypto store snapshot', () => {
  it('restores every database of the prefix with its stores, indexes, keys and values', async () => {
    const first = new IDBFactory();
    await seed(first);
    const snapshot = await snapshotDatabases(first as unknown as IdbFactory, 'p::', { deviceId: 'D' });
    expect(snapshot.databases.map((d) => d.name)).toEqual(['p::crypto']);
    const dir = mkdtempSync(join(tmpdir(), 'plenary-snapshot-'));
    try {
      writeSnapshotFile(join(dir, 'store'), encodeSnapshot(snapshot));
      // Written atomically: no temporary file is left beside it.
      expect(readdirSync(dir)).toEqual(['store']);
      const read = decodeSnapshot(readSnapshotFile(join(dir, 'store'))!);
      expect(read.meta).toEqual({ deviceId: 'D' });
      const second = new IDBFactory();
      await restoreDatabases(second as unknown as IdbFactory, read);
      const again = await snapshotDatabases(second as unknown as IdbFactory, 'p::', { deviceId: 'D' });
      expect(again).toEqual(snapshot);
      // The restored database works as the original: an index, the auto-increment key, binary keys.
      const db = await req(second.open('p::crypto'));
      expect(db.version).toBe(3);
      const tx = db.transaction(['sessions', 'counter', 'blobs'], 'readwrite');
      const byRoom = await req(tx.objectStore('sessions').index('by_room').getAll('!r:x'));
      expect(byRoom.map((s: { id: string }) => s.id)).toEqual(['s1', 's2']);
      expect((byRoom[0] as { key: Uint8Array }).key).toEqual(new Uint8Array([1, 2, 3]));
      expect(await req(tx.objectStore('counter').add('third'))).toBe(3);
      expect(await req(tx.objectStore('blobs').index('tags').count('b'))).toBe(1);
      db.close();
      expect(readSnapshotFile(join(dir, 'missing'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes only the databases of its prefix, and refuses a file it did not write', async () => {
    const factory = new IDBFactory();
    await seed(factory);
    await deleteDatabases(factory as unknown as IdbFactory, 'p::');
    expect((await factory.databases()).map((d) => d.name)).toEqual(['other-app']);
    expect(() => decodeSnapshot(encodeSnapshot({ nonsense: true } as never))).toThrow(/not a snapshot/);
  });
});

describe('a crypto store that cannot be opened', () => {
  it('starts an empty one for the same device instead of stopping', async () => {
    const { CryptoEngine } = await import('../../main/core/crypto/crypto-engine');
    const { createLogger, memorySink } = await import('../../main/core/log');
    const dir = mkdtempSync(join(tmpdir(), 'plenary-crypto-lost-'));
    const { records, sink } = memorySink();
    const options = (passphrase: string) => ({
      userId: '@ana:example.coop',
      deviceId: 'ANADEVICE',
      storePath: join(dir, 'store'),
      passphrase,
      log: createLogger('test', sink),
      request: <T>() => Promise.resolve({} as T),
    });
    try {
      const first = await CryptoEngine.open(options('the keychain’s passphrase'));
      const keys = first.keys();
      await first.close();
      // Same store, same device: the same keys.
      const again = await CryptoEngine.open(options('the keychain’s passphrase'));
      expect(again.keys()).toEqual(keys);
      await again.close();
      // The passphrase was lost: a new, empty store for the same device, and it says so.
      const lost = await CryptoEngine.open(options('another passphrase'));
      expect(lost.keys().deviceId).toBe('ANADEVICE');
      expect(lost.keys().ed25519).not.toBe(keys.ed25519);
      expect(records.some((r) => r.level === 'error' && r.message.includes('could not be opened'))).toBe(true);
      await lost.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
