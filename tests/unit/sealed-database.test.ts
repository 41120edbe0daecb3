import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deleteSealedDatabase,
  openSealedDatabase,
  seal,
  SealedFileError,
  sealedDatabaseKey,
  unseal,
} from '../../main/core/chat/sealed-database';
import Database from 'better-sqlite3';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { openDatabase } from '../../main/core/store/database';
import type { Db } from '../../main/core/store/database';

const dirs: string[] = [];
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-sealed-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const schema = (db: Db) => {
  db.exec(`CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
           CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(body, tokenize = 'trigram remove_diacritics 1');`);
};
const secretText = 'the grant application is due on Friday';

describe('sealing bytes', () => {
  it('round-trips, with a fresh IV each time', () => {
    const key = randomBytes(32);
    const plain = Buffer.from(secretText);
    const a = seal(plain, key);
    const b = seal(plain, key);
    expect(a.equals(b)).toBe(false);
    expect(unseal(a, key).toString()).toBe(secretText);
    expect(a.includes(plain)).toBe(false);
  });

  it('refuses a wrong key clearly, and tells it apart from damage', () => {
    const sealed = seal(Buffer.from(secretText), randomBytes(32));
    expect(() => unseal(sealed, randomBytes(32))).toThrow(SealedFileError);
    expect(() => unseal(sealed, randomBytes(32))).toThrow(/sealed with another key/);
    const key = randomBytes(32);
    const good = seal(Buffer.from(secretText), key);
    good[good.length - 1]! ^= 0xff;
    expect(() => unseal(good, key)).toThrow(/damaged/);
    expect(() => unseal(Buffer.from('not sealed'), key)).toThrow(/not a sealed database/);
    expect(() => seal(Buffer.from('x'), randomBytes(16))).toThrow(/32 bytes, not 16/);
  });

  it('keeps one key in the secret store, made the first time', () => {
    const secrets = new MemorySecretStore();
    const key = sealedDatabaseKey(secrets, 'chat.sealed-index');
    expect(key.length).toBe(32);
    expect(sealedDatabaseKey(secrets, 'chat.sealed-index').equals(key)).toBe(true);
  });
});

describe('a sealed database', () => {
  it('is saved encrypted and opened again with its rows and full-text index', () => {
    const path = join(folder(), 'index.sealed');
    const key = randomBytes(32);
    const first = openSealedDatabase(path, key, { schema });
    expect(first.rebuilt).toBeNull();
    first.db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run(secretText);
    first.db.prepare('INSERT INTO notes_fts (rowid, body) VALUES (1, ?)').run(secretText);
    first.close();
    const raw = readFileSync(path);
    expect(raw.includes(Buffer.from('grant application'))).toBe(false);
    expect(raw.includes(Buffer.from('SQLite format'))).toBe(false);

    const again = openSealedDatabase(path, key, { schema });
    expect(again.db.prepare("SELECT rowid FROM notes_fts WHERE notes_fts MATCH '\"grant\"'").pluck().all()).toEqual([1]);
    // Still writable once opened from its file.
    again.db.prepare('INSERT INTO notes (id, body) VALUES (2, ?)').run('second note');
    again.close();
    const third = openSealedDatabase(path, key, { schema });
    expect(third.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(2);
    third.close();
  });

  it('refuses a file sealed with another key, and starts over only when asked', () => {
    const path = join(folder(), 'index.sealed');
    const sealed = openSealedDatabase(path, randomBytes(32), { schema });
    sealed.db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run(secretText);
    sealed.close();
    expect(() => openSealedDatabase(path, randomBytes(32), { schema })).toThrow(/sealed with another key/);
    const fresh = openSealedDatabase(path, randomBytes(32), { schema, onWrongKey: 'rebuild' });
    expect(fresh.rebuilt).toBe('wrong-key');
    expect(fresh.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(0);
    fresh.close();
  });

  it('starts empty from a damaged file, sets the damaged copy aside, and leaves the main store alone', () => {
    const dir = folder();
    const main = openDatabase(join(dir, 'plenary.db'));
    main.exec('CREATE TABLE kept (v TEXT)');
    main.prepare('INSERT INTO kept VALUES (?)').run('governance stays');
    const path = join(dir, 'index.sealed');
    const key = randomBytes(32);
    const sealed = openSealedDatabase(path, key, { schema });
    sealed.db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run(secretText);
    sealed.close();
    const bytes = readFileSync(path);
    bytes[bytes.length - 10]! ^= 0x55;
    writeFileSync(path, bytes);

    const rebuilt = openSealedDatabase(path, key, { schema });
    expect(rebuilt.rebuilt).toBe('damaged');
    expect(rebuilt.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(0);
    expect(existsSync(`${path}.damaged`)).toBe(true);
    rebuilt.db.prepare('INSERT INTO notes (id, body) VALUES (2, ?)').run('indexed again');
    rebuilt.close();
    const reopened = openSealedDatabase(path, key, { schema });
    expect(reopened.db.prepare('SELECT body FROM notes').pluck().all()).toEqual(['indexed again']);
    reopened.close();
    expect(main.prepare('SELECT v FROM kept').pluck().all()).toEqual(['governance stays']);
    main.close();

    deleteSealedDatabase(path);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.damaged`)).toBe(false);
  });

  it('a truncated file is damaged, not a crash', () => {
    const path = join(folder(), 'index.sealed');
    writeFileSync(path, Buffer.from('PLNSEAL1'));
    const opened = openSealedDatabase(path, randomBytes(32), { schema });
    expect(opened.rebuilt).toBe('damaged');
    opened.close();
  });

  it('a background save never overwrites a later save, and a discarded database is not written', async () => {
    const path = join(folder(), 'index.sealed');
    const key = randomBytes(32);
    const opened = openSealedDatabase(path, key, { schema });
    opened.db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run('first');
    const background = opened.saveInBackground();
    opened.db.prepare('INSERT INTO notes (id, body) VALUES (2, ?)').run('second');
    opened.save();
    await background;
    expect(new Database(unseal(readFileSync(path), key)).prepare('SELECT body FROM notes ORDER BY id').pluck().all()).toEqual(['first', 'second']);
    // Alone, it writes the file.
    opened.db.prepare('INSERT INTO notes (id, body) VALUES (3, ?)').run('third');
    await opened.saveInBackground();
    expect(new Database(unseal(readFileSync(path), key)).prepare('SELECT count(*) FROM notes').pluck().get()).toBe(3);
    // Signing out: a save still running leaves no file behind.
    opened.db.prepare('INSERT INTO notes (id, body) VALUES (4, ?)').run('fourth');
    const late = opened.saveInBackground();
    opened.discard();
    deleteSealedDatabase(path);
    await late;
    expect(existsSync(path)).toBe(false);
  });
});
