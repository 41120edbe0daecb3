// The sealed database that keeps the decrypted text of encrypted rooms (issue 17 item 5;
// main/core/chat/sealed-chat.ts): 10,000 messages (about 120 characters each) of 10
// encrypted rooms written as sync writes them, with their trigram FTS5 index, in memory while
// Plenary runs and AES-256-GCM sealed in its file.
//   chat.encrypted_index_open_ms   read the file, check and decrypt it, deserialize it into
//                                  memory (median of 5)
//   chat.encrypted_index_close_ms  serialize, encrypt and write it atomically (flushed and
//                                  renamed; as on quitting; median of 5)
//   chat.encrypted_index_file_kb   the sealed file's size
//   chat.encrypted_reconcile_ms    the start-up check that the main store's placeholders all
//                                  have their content in the sealed database (median of 5)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SealedChat, sealedChatFile } from '../../main/core/chat/sealed-chat';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSearch } from '../../main/core/chat/chat-search';
import { openDatabase } from '../../main/core/store/database';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { createLogger } from '../../main/core/log';
import { chatSearchSchema } from '../../shared/contract/chat-search';
import { median, type Report } from '../report';

const messageCount = 10_000;
const words =
  'the backup job quota server hosting member care meeting assembly proposal consent policy onboarding training software donation hardware bandwidth recording translation facilitator rotation review schedule volunteer security migration upgrade federation lunch tomorrow thanks please'.split(
    ' ',
  );

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-sealed-'));
  const log = createLogger('bench', () => undefined);
  const secrets = new MemorySecretStore();
  try {
    // The app's own path: ChatStore writes each event's row to the main store and its content to the sealed database.
    const db = openDatabase(':memory:');
    const seeded = new SealedChat({ dataDir: dir, secrets, log });
    const store = new ChatStore(db, seeded);
    const rooms = Array.from({ length: 10 }, (_, i) => `!room${i}:meet.coop`);
    for (const room of rooms) {
      store.ensureRoom(room);
      store.updateRoom(room, { encrypted: 1 });
    }
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    store.transaction(() => {
      for (let i = 0; i < messageCount; i++) {
        const body = Array.from({ length: 18 }, () => words[next() % words.length]).join(' ');
        store.insertEvent(rooms[i % 10]!, Math.floor(i / 10), { event_id: `$event${i}`, type: 'm.room.message', sender: '@ana:meet.coop', origin_server_ts: 1_790_000_000_000 + i * 1000, content: { msgtype: 'm.text', body } });
      }
    });
    // The index is built at the first search, and sealed with it.
    new ChatSearch(db, () => seeded.db).search(chatSearchSchema.parse({ text: 'backup' }));
    seeded.close();
    const opens: number[] = [];
    const closes: number[] = [];
    for (let round = 0; round < 5; round++) {
      let at = performance.now();
      const opened = new SealedChat({ dataDir: dir, secrets, log });
      opens.push(performance.now() - at);
      opened.db.prepare("SELECT count(*) FROM chat_search_fts WHERE chat_search_fts MATCH '\"backup\"'").get();
      at = performance.now();
      opened.save();
      closes.push(performance.now() - at);
      opened.close();
    }
    // At start the chat checks that every sealed placeholder of the main store has its content.
    const checks: number[] = [];
    for (let round = 0; round < 5; round++) {
      const reopened = new SealedChat({ dataDir: dir, secrets, log });
      const at = performance.now();
      const result = new ChatStore(db, reopened).reconcileSealed();
      checks.push(performance.now() - at);
      if (result.refilled.length > 0 || result.moved > 0) throw new Error('the bench store was not in agreement with its sealed database');
      reopened.close();
    }
    db.close();
    report.add('chat.encrypted_reconcile_ms', median(checks), 'ms');
    report.add('chat.encrypted_index_open_ms', median(opens), 'ms');
    report.add('chat.encrypted_index_close_ms', median(closes), 'ms');
    report.add('chat.encrypted_index_file_kb', statSync(join(dir, sealedChatFile)).size / 1024, 'KB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
