import type { Migration } from './types';

// End-to-end encrypted rooms: the first event this device decrypted for each Megolm
// ciphertext, so the same ciphertext sent again under a new event id (a replay, by a member
// or by the server) is recognised across restarts and refused (crypto/replay-guard.ts). The
// ciphertext is public on the server; only its SHA-256 is kept.
export const migration: Migration = {
  id: '20261212T0100-megolm-replay-guard',
  up(db) {
    db.exec(`
      CREATE TABLE crypto_megolm_seen (
        room_id TEXT NOT NULL,
        ciphertext_sha256 TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (room_id, ciphertext_sha256)
      ) WITHOUT ROWID;
    `);
  },
};
