// Chat search: the index follows the chat cache (new messages, edits, redactions, forgotten
// rooms), finds Japanese, never reads a query as FTS5 syntax, and answers short queries.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSearch } from '../../main/core/chat/chat-search';
import { searchableBody } from '../../main/core/chat/chat-search-index';
import { chatSearchSchema, groupHitsByRoom, type ChatSearchHit } from '../../shared/contract/chat-search';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';

const roomA = '!a:meet.coop';
const roomB = '!b:meet.coop';
const ana = '@ana:meet.coop';
const bruno = '@bruno:meet.coop';
const t0 = Date.UTC(2026, 11, 1, 9);

function setup() {
  const db = openDatabase(':memory:');
  const store = new ChatStore(db);
  const search = new ChatSearch(db);
  const pos = new Map<string, number>();
  for (const room of [roomA, roomB]) {
    store.ensureRoom(room);
    store.setMember(room, ana, 'Ana', 'join');
  }
  let n = 0;
  const add = (room: string, event: Partial<MatrixRawEvent> & { content: Record<string, unknown> }) => {
    n++;
    const p = pos.get(room) ?? 0;
    pos.set(room, p + 1);
    const full = { event_id: `$e${n}`, type: 'm.room.message', sender: ana, origin_server_ts: t0 + n * 60_000, ...event } as MatrixRawEvent;
    store.insertEvent(room, p, full);
    return full.event_id;
  };
  const say = (room: string, body: string, sender = ana) => add(room, { sender, content: { msgtype: 'm.text', body } });
  const find = (text: string, extra: { roomId?: string; limit?: number } = {}) => search.search(chatSearchSchema.parse({ text, ...extra }));
  const ids = (text: string, extra: { roomId?: string; limit?: number } = {}) => find(text, extra).hits.map((h) => h.eventId);
  return { db, store, search, add, say, find, ids };
}

describe('chat search', () => {
  it('finds messages of every room newest first, with sender, time and the match marked', () => {
    const { say, find, ids } = setup();
    const first = say(roomA, 'The backup job failed overnight');
    const second = say(roomB, 'Backups are fine again', bruno);
    say(roomA, 'Lunch at noon?');
    expect(ids('backup')).toEqual([second, first]);
    const hit = find('backup').hits[1]!;
    expect(hit).toMatchObject({ roomId: roomA, sender: ana, senderName: 'Ana', ts: t0 + 60_000 });
    expect(hit.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['backup']);
    expect(hit.snippet.map((s) => s.text).join('')).toBe('The backup job failed overnight');
    // A sender without a display name is shown by their id.
    expect(find('backups').hits[0]!.senderName).toBe(bruno);
    expect(ids('backup', { roomId: roomB })).toEqual([second]);
  });

  it('indexes the latest edit by the sender in place of the original, and drops redacted messages', () => {
    const { store, say, add, ids } = setup();
    const original = say(roomA, 'Meeting on Tuesday');
    expect(ids('tuesday')).toEqual([original]);
    add(roomA, { content: { msgtype: 'm.text', body: '* Meeting on Wednesday', 'm.new_content': { msgtype: 'm.text', body: 'Meeting on Wednesday' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original } } });
    expect(ids('tuesday')).toEqual([]);
    expect(ids('wednesday')).toEqual([original]);
    // Someone else's "edit" changes nothing.
    add(roomA, { sender: bruno, content: { msgtype: 'm.text', body: '* forged', 'm.new_content': { msgtype: 'm.text', body: 'Meeting on Friday' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original } } });
    expect(ids('friday')).toEqual([]);
    expect(ids('wednesday')).toEqual([original]);
    // The second edit wins; redacting it brings the first edit back.
    const second = add(roomA, { content: { msgtype: 'm.text', body: '* Meeting on Thursday', 'm.new_content': { msgtype: 'm.text', body: 'Meeting on Thursday' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original } } });
    expect(ids('thursday')).toEqual([original]);
    expect(ids('wednesday')).toEqual([]);
    store.redact(second);
    expect(ids('wednesday')).toEqual([original]);
    store.redact(original);
    expect(ids('meeting')).toEqual([]);
  });

  it('indexes an edit that arrived before its message once the message comes (back-pagination)', () => {
    const { store, ids } = setup();
    store.insertEvent(roomA, 10, { event_id: '$edit', type: 'm.room.message', sender: ana, origin_server_ts: t0 + 5, content: { body: '* new', 'm.new_content': { body: 'the corrected words' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$orig' } } });
    expect(ids('corrected')).toEqual([]);
    store.insertEvent(roomA, 1, { event_id: '$orig', type: 'm.room.message', sender: ana, origin_server_ts: t0, content: { body: 'the first words' } });
    expect(ids('corrected')).toEqual(['$orig']);
    expect(ids('first')).toEqual([]);
  });

  it('forgets the messages of a forgotten room and of a wiped cache', () => {
    const { store, say, ids } = setup();
    say(roomA, 'quota warning');
    const kept = say(roomB, 'quota fixed');
    expect(ids('quota')).toHaveLength(2);
    store.forgetRoom(roomA);
    expect(ids('quota')).toEqual([kept]);
    store.wipe();
    expect(ids('quota')).toEqual([]);
  });

  it('finds Japanese text, with the trigram index and with LIKE for two-character words', () => {
    const { say, ids, find } = setup();
    const budget = say(roomA, '来年度の予算案について話し合いましょう');
    const other = say(roomA, '会議は明日です');
    expect(ids('予算案')).toEqual([budget]);
    expect(ids('予算')).toEqual([budget]);
    expect(ids('会議　明日')).toEqual([other]); // ideographic space between words
    expect(find('予算').hits[0]!.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['予算']);
  });

  it('never reads FTS5 syntax in a query, and searches for the characters instead', () => {
    const { say, ids } = setup();
    const star = say(roomA, 'run backup:* now (NEAR "quoted" AND) OR NOT');
    for (const query of ['backup:*', '"quoted', 'NEAR(', 'AND) OR NOT', '*', '"', '""', '^x', 'a"b', '-', '(', ':', '%', '_', '\\']) {
      expect(() => ids(query), query).not.toThrow();
    }
    expect(ids('backup:*')).toEqual([star]);
    expect(ids('(NEAR')).toEqual([star]);
    expect(ids('"quoted" AND)')).toEqual([star]);
    // LIKE wildcards are characters too.
    say(roomA, '100% done');
    expect(ids('%')).toHaveLength(1);
    expect(ids('_')).toEqual([]);
  });

  it('answers one- and two-character queries with LIKE, and an empty one with nothing', () => {
    const { say, ids } = setup();
    const ok = say(roomA, 'ok for me');
    say(roomA, 'fine');
    expect(ids('ok')).toEqual([ok]);
    expect(ids('OK')).toEqual([ok]);
    expect(ids('')).toEqual([]);
    expect(ids('   ')).toEqual([]);
  });

  it('pages: a limit and whether more matched', () => {
    const { say, find } = setup();
    for (let i = 0; i < 5; i++) say(roomA, `note ${i}`);
    const page = find('note', { limit: 3 });
    expect(page.hits).toHaveLength(3);
    expect(page.more).toBe(true);
    expect(find('note', { limit: 5 }).more).toBe(false);
  });

  it('says where to load the timeline from so the message comes with context above it', () => {
    const { say, find } = setup();
    for (let i = 0; i < 30; i++) say(roomA, `line ${i}`);
    const hit = find('line 29').hits[0]!;
    expect(hit.pos).toBe(29);
    expect(hit.fromPos).toBe(9);
    expect(find('line 0').hits.at(-1)!.fromPos).toBe(0);
  });

  it('leaves out reply fallbacks and messages without text', () => {
    expect(searchableBody({ body: '> <@b:x> quoted words\n\nmy answer', 'm.relates_to': { 'm.in_reply_to': { event_id: '$x' } } }, null)).toBe('my answer');
    expect(searchableBody({ body: '  ' }, null)).toBeNull();
    expect(searchableBody({}, null)).toBeNull();
    expect(searchableBody({ body: 'old' }, { 'm.new_content': { body: 'new' } })).toBe('new');
  });

  it('refuses queries that are too long or have too many words, with a message that says so', () => {
    expect(() => chatSearchSchema.parse({ text: 'x'.repeat(201) })).toThrow(/at most 200 characters/);
    expect(() => chatSearchSchema.parse({ text: Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ') })).toThrow(/at most 12 words/);
  });

  it('groups hits by room in the order of each room newest hit', () => {
    const hit = (roomId: string, eventId: string): ChatSearchHit => ({ roomId, eventId, pos: 0, fromPos: 0, sender: ana, senderName: 'Ana', ts: 0, snippet: [] });
    const groups = groupHitsByRoom([hit(roomB, '$3'), hit(roomA, '$2'), hit(roomB, '$1')], (id) => (id === roomA ? 'Tech' : 'Care'));
    expect(groups.map((g) => [g.roomName, g.hits.map((h) => h.eventId)])).toEqual([
      ['Care', ['$3', '$1']],
      ['Tech', ['$2']],
    ]);
  });
});
