// Snapshots and restores IndexedDB databases through the IndexedDB API itself, so the
// crypto store (matrix-sdk-crypto-wasm keeps it in IndexedDB, which Node lacks; we give it
// fake-indexeddb, held in memory) survives a restart as one file. A snapshot holds each
// database's version, its object stores (key path, auto-increment, indexes) and every
// record with its primary key; the file is the v8 serialisation of it (structured clone,
// so Uint8Array, Map and the like survive), written to a temporary file and renamed over
// the old one, so a crash leaves either the old snapshot or the new one, never half of one.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../store/store-files';
import type { IdbDatabase, IdbFactory, IdbKey, IdbRequest, IdbTransaction } from './idb-types';

export const idbSnapshotFormat = 1;

export interface IdbIndexSnapshot {
  name: string;
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}

export interface IdbStoreSnapshot {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: IdbIndexSnapshot[];
  /** key is null for stores with an in-line key path (the key is inside the value). */
  records: { key: IdbKey | null; value: unknown }[];
}

export interface IdbDatabaseSnapshot {
  name: string;
  version: number;
  stores: IdbStoreSnapshot[];
}

export interface IdbSnapshot {
  format: number;
  /** Whatever the owner needs to check the snapshot is theirs (user and device). */
  meta: Record<string, string>;
  databases: IdbDatabaseSnapshot[];
}

function request<T>(req: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IdbTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openExisting(factory: IdbFactory, name: string): Promise<IdbDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`could not open ${name}`));
    req.onblocked = () => reject(new Error(`opening ${name} is blocked`));
  });
}

/** The databases whose names start with `prefix`. */
export async function databaseNames(factory: IdbFactory, prefix: string): Promise<string[]> {
  const all = await factory.databases();
  return all.map((info) => info.name).filter((name): name is string => typeof name === 'string' && name.startsWith(prefix));
}

/** Reads every database whose name starts with `prefix`, each in one read-only transaction. */
export async function snapshotDatabases(factory: IdbFactory, prefix: string, meta: Record<string, string> = {}): Promise<IdbSnapshot> {
  const databases: IdbDatabaseSnapshot[] = [];
  for (const name of (await databaseNames(factory, prefix)).sort()) {
    const db = await openExisting(factory, name);
    try {
      const storeNames = [...db.objectStoreNames];
      const stores: IdbStoreSnapshot[] = [];
      if (storeNames.length > 0) {
        const tx = db.transaction(storeNames, 'readonly');
        const finished = done(tx);
        for (const storeName of storeNames) {
          const store = tx.objectStore(storeName);
          const inline = store.keyPath !== null;
          const indexes = [...store.indexNames].map((indexName) => {
            const index = store.index(indexName);
            return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
          });
          const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
          stores.push({
            name: storeName,
            keyPath: store.keyPath,
            autoIncrement: store.autoIncrement,
            indexes,
            records: values.map((value, i) => ({ key: inline ? null : keys[i]!, value })),
          });
        }
        await finished;
      }
      databases.push({ name, version: db.version, stores });
    } finally {
      db.close();
    }
  }
  return { format: idbSnapshotFormat, meta, databases };
}

/** Deletes every database whose name starts with `prefix`. */
export async function deleteDatabases(factory: IdbFactory, prefix: string): Promise<void> {
  for (const name of await databaseNames(factory, prefix)) {
    await new Promise<void>((resolve, reject) => {
      const req = factory.deleteDatabase(name) as IdbRequest<undefined> & { onblocked?: (() => void) | null };
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error ?? new Error(`could not delete ${name}`));
      // Still open somewhere (a store that failed to open): it goes once that closes.
      req.onblocked = () => resolve();
    });
  }
}

/** Recreates the snapshot's databases (replacing any of the same name) with their stores, indexes and records. */
export async function restoreDatabases(factory: IdbFactory, snapshot: IdbSnapshot): Promise<void> {
  if (snapshot.format !== idbSnapshotFormat) throw new Error(`unknown crypto store snapshot format ${String(snapshot.format)}`);
  for (const database of snapshot.databases) {
    await deleteDatabases(factory, database.name).catch(() => undefined);
    const db = await new Promise<IdbDatabase>((resolve, reject) => {
      const req = factory.open(database.name, database.version);
      req.onupgradeneeded = () => {
        const created = req.result;
        for (const store of database.stores) {
          const objectStore = created.createObjectStore(store.name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
          for (const index of store.indexes) objectStore.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`could not create ${database.name}`));
    });
    try {
      const names = database.stores.map((store) => store.name);
      if (names.length === 0) continue;
      const tx = db.transaction(names, 'readwrite');
      const finished = done(tx);
      for (const store of database.stores) {
        const objectStore = tx.objectStore(store.name);
        for (const record of store.records) {
          if (record.key === null) objectStore.put(record.value);
          else objectStore.put(record.value, record.key);
        }
      }
      await finished;
    } finally {
      db.close();
    }
  }
}

export function encodeSnapshot(snapshot: IdbSnapshot): Buffer {
  return serialize(snapshot);
}

export function decodeSnapshot(bytes: Buffer): IdbSnapshot {
  const value = deserialize(bytes) as Partial<IdbSnapshot> | null;
  if (!value || typeof value !== 'object' || !Array.isArray(value.databases) || typeof value.format !== 'number') {
    throw new Error('the crypto store file is not a snapshot Plenary wrote');
  }
  return { format: value.format, meta: value.meta ?? {}, databases: value.databases };
}

/** Writes the file atomically (temporary file, flushed, renamed), readable by the user only. */
export function writeSnapshotFile(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, bytes, { mode: 0o600 });
}

/** The file's bytes, or null when there is none. */
export function readSnapshotFile(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function removeSnapshotFile(path: string): void {
  rmSync(path, { force: true });
}
