// Chat search figures (issue 18):
//   chat.search_100k_ms        one search (a page of 50 with snippets, grouped by room) over
//                              100,000 cached messages in 10 rooms, in English, Spanish and
//                              Japanese, some edited; the median over a mix of queries (rare
//                              and common words, a phrase, Japanese, one room, a two-character
//                              word), each query's median over 5 runs (goal <= 50)
//   chat.search_100k_worst_ms  the slowest query of that mix (a two-letter word found in no
//                              message: LIKE reads every message, about 100 ms)
//   chat.search_index_100k_s   indexing the 100,000 messages (the cache's triggers only mark
//                              them; the first search indexes them)
// The cache is seeded through ChatStore.insertEvent, as the sync consumer writes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSearch } from '../../main/core/chat/chat-search';
import { chatSearchSchema, groupHitsByRoom } from '../../shared/contract/chat-search';
import { median, type Report } from '../report';

const messageCount = 100_000;
const rooms = Array.from({ length: 10 }, (_, i) => `!room${i}:meet.coop`);
const people = ['@ana:meet.coop', '@bruno:meet.coop', '@chiara:meet.coop', '@dai:meet.coop'];
const english =
  'the backup job quota server hosting member care meeting assembly proposal consent policy onboarding training software donation hardware bandwidth recording translation facilitator rotation review schedule volunteer security migration upgrade federation lunch tomorrow thanks please'.split(
    ' ',
  );
const spanish = 'presupuesto servidor miembros cuidados propuesta consentimiento formación donación asamblea revisión mañana gracias'.split(' ');
const japanese = '予算 サーバー 会員 提案 合意 方針 研修 寄付 総会 見直し 会議 議事録 移行 翻訳 明日 ありがとう'.split(' ');

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function time(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-chat-search-'));
  try {
    const db = openDatabase(join(dir, 'plenary.sqlite'));
    const store = new ChatStore(db);
    const rand = random(18);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const sentence = (words: number) => {
      const lang = rand();
      if (lang < 0.15) return Array.from({ length: words }, () => pick(japanese)).join('');
      const list = lang < 0.8 ? english : spanish;
      return Array.from({ length: words }, () => (rand() < 0.02 ? `${pick(list)}${Math.floor(rand() * 5000)}` : pick(list))).join(' ');
    };
    const t0 = Date.UTC(2025, 0, 1);
    store.transaction(() => {
      for (const room of rooms) {
        store.ensureRoom(room);
        for (const [i, person] of people.entries()) store.setMember(room, person, `Person ${i}`, 'join');
      }
      const pos = new Map<string, number>();
      for (let i = 0; i < messageCount; i++) {
        const room = rooms[i % rooms.length]!;
        const p = pos.get(room) ?? 0;
        pos.set(room, p + 1);
        store.insertEvent(room, p, { event_id: `$m${i}`, type: 'm.room.message', sender: people[i % people.length]!, origin_server_ts: t0 + i * 30_000, content: { msgtype: 'm.text', body: sentence(4 + (i % 12)) } });
        if (i % 50 === 0) {
          pos.set(room, p + 2);
          store.insertEvent(room, p + 1, {
            event_id: `$edit${i}`,
            type: 'm.room.message',
            sender: people[i % people.length]!,
            origin_server_ts: t0 + i * 30_000 + 1000,
            content: { msgtype: 'm.text', body: '* edited', 'm.new_content': { msgtype: 'm.text', body: `${sentence(6)} edited` }, 'm.relates_to': { rel_type: 'm.replace', event_id: `$m${i}` } },
          });
        }
      }
    });
    const search = new ChatSearch(db);
    const indexMs = time(() => search.index.refresh());
    report.add('chat.search_index_100k_s', indexMs / 1000, 's');

    const names = new Map(rooms.map((room, i) => [room, `Room ${i}`]));
    const queries: { text: string; roomId?: string }[] = [
      { text: 'backup' },
      { text: 'quota4321' },
      { text: 'meeting tomorrow' },
      { text: '"backup job"' },
      { text: '予算' },
      { text: '議事録' },
      { text: 'presupuesto' },
      { text: 'federation', roomId: rooms[3]! },
      { text: 'ok' },
      { text: 'NEAR(backup*' },
    ];
    const perQuery = queries.map((q) => {
      const input = chatSearchSchema.parse({ ...q, limit: 50 });
      const samples: number[] = [];
      for (let i = 0; i < 6; i++) {
        const ms = time(() => groupHitsByRoom(search.search(input).hits, (id) => names.get(id) ?? id));
        if (i > 0) samples.push(ms);
      }
      if (process.env.BENCH_DETAIL) console.log(q.text, median(samples));
      return median(samples);
    });
    report.add('chat.search_100k_ms', median(perQuery), 'ms');
    report.add('chat.search_100k_worst_ms', Math.max(...perQuery), 'ms');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
