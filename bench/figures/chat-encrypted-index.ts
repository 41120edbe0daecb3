// The sealed database that would keep the decrypted text of encrypted rooms (issue 17 item 5;
// main/core/chat/sealed-database.ts): 10,000 messages (about 120 characters each) with a
// trigram FTS5 index, in memory while Plenary runs and AES-256-GCM sealed in its file.
//   chat.encrypted_index_open_ms   read the file, check and decrypt it, deserialize it into
//                                  memory (median of 5)
//   chat.encrypted_index_close_ms  serialize, encrypt and write it atomically (flushed and
//                                  renamed; median of 5)
//   chat.encrypted_index_file_kb   the sealed file's size
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSealedDatabase } from '../../main/core/chat/sealed-database';
import type { Db } from '../../main/core/store/database';
import { median, type Report } from '../report';

const messageCount = 10_000;
const words =
  'the backup job quota server hosting member care meeting assembly proposal consent policy onboarding training software donation hardware bandwidth recording translation facilitator rotation review schedule volunteer security migration upgrade federation lunch tomorrow thanks please'.split(
    ' ',
  );

const schema = (db: Db) => {
  db.exec(`CREATE TABLE IF NOT EXISTS messages (doc INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, room_id TEXT NOT NULL, sender TEXT NOT NULL, ts INTEGER NOT NULL);
           CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(body, tokenize = 'trigram remove_diacritics 1');`);
};

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-sealed-'));
  try {
    const path = join(dir, 'encrypted-rooms.sealed');
    const key = randomBytes(32);
    const seeded = openSealedDatabase(path, key, { schema });
    const insert = seeded.db.prepare('INSERT INTO messages (doc, event_id, room_id, sender, ts) VALUES (?, ?, ?, ?, ?)');
    const text = seeded.db.prepare('INSERT INTO messages_fts (rowid, body) VALUES (?, ?)');
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    seeded.db.transaction(() => {
      for (let i = 0; i < messageCount; i++) {
        const body = Array.from({ length: 18 }, () => words[next() % words.length]).join(' ');
        insert.run(i + 1, `$event${i}`, `!room${i % 10}:meet.coop`, '@ana:meet.coop', 1_790_000_000_000 + i * 1000);
        text.run(i + 1, body);
      }
    })();
    seeded.close();
    const opens: number[] = [];
    const closes: number[] = [];
    for (let round = 0; round < 5; round++) {
      let at = performance.now();
      const opened = openSealedDatabase(path, key, { schema });
      opens.push(performance.now() - at);
      opened.db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '\"backup\"'").get();
      at = performance.now();
      opened.close();
      closes.push(performance.now() - at);
    }
    report.add('chat.encrypted_index_open_ms', median(opens), 'ms');
    report.add('chat.encrypted_index_close_ms', median(closes), 'ms');
    report.add('chat.encrypted_index_file_kb', statSync(path).size / 1024, 'KB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
