// The Megolm replay guard on a real SQLite store: the first event carrying a ciphertext is
// kept, across a restart; another event with the same ciphertext is named a replay; another
// room, or signing out, starts afresh.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { MegolmReplayGuard } from '../../main/core/crypto/replay-guard';

const dirs: string[] = [];
const freshPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-replay-guard-'));
  dirs.push(dir);
  return join(dir, 'plenary.sqlite');
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('MegolmReplayGuard', () => {
  it('keeps the first event for a ciphertext, across a restart', () => {
    const path = freshPath();
    let db = openDatabase(path);
    expect(new MegolmReplayGuard(db).claim('!a:coop', 'AwgAEn...cipher', '$first')).toBe('$first');
    expect(new MegolmReplayGuard(db).claim('!a:coop', 'AwgAEn...cipher', '$first')).toBe('$first');
    db.close();
    db = openDatabase(path);
    const guard = new MegolmReplayGuard(db);
    expect(guard.claim('!a:coop', 'AwgAEn...cipher', '$copy')).toBe('$first');
    expect(guard.claim('!a:coop', 'AwgAEn...other', '$copy')).toBe('$copy');
    expect(guard.claim('!b:coop', 'AwgAEn...cipher', '$elsewhere')).toBe('$elsewhere');
    // Only a hash is kept: the table never holds the ciphertext itself.
    const rows = db.prepare('SELECT ciphertext_sha256 FROM crypto_megolm_seen').all() as { ciphertext_sha256: string }[];
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.ciphertext_sha256))).toBe(true);
    db.close();
  });

  it('forgets everything when the member signs out', () => {
    const db = openDatabase(freshPath());
    const guard = new MegolmReplayGuard(db);
    guard.claim('!a:coop', 'cipher', '$first');
    guard.forget();
    expect(guard.claim('!a:coop', 'cipher', '$later')).toBe('$later');
    db.close();
  });
});
