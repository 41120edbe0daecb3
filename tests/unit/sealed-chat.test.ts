// The sealed database of encrypted rooms (main/core/chat/sealed-chat.ts): the content of an
// encrypted room's events and their search index live there, never in the main store; reads
// and search see them as before; the file is unreadable, survives a restart, is deleted on
// sign-out, and a lost key or damaged file makes the rooms load again instead of failing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSearch } from '../../main/core/chat/chat-search';
import { SealedChat, sealedChatFile, sealedChatKeySecret } from '../../main/core/chat/sealed-chat';
import { isPlaceholder, placeholderContent, sealsEvent } from '../../main/core/chat/sealed-content';
import { backfill } from '../../main/core/chat/backfill';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { createLogger, memorySink } from '../../main/core/log';
import { chatSearchSchema } from '../../shared/contract/chat-search';
import { chatNoticeKey } from '../../shared/governance/vote-reminders';
import type { MatrixConnection, MatrixRawEvent } from '../../main/core/matrix/matrix-connection';

const secretRoom = '!secret:meet.coop';
const clearRoom = '!clear:meet.coop';
const ana = '@ana:meet.coop';
const t0 = Date.UTC(2026, 11, 1, 9);

const dirs: string[] = [];
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-sealed-chat-'));
  dirs.push(dir);
  return dir;
}

function setup(dir = folder(), secrets = new MemorySecretStore(), db?: Db) {
  const logs = memorySink();
  const log = createLogger('test', logs.sink);
  const mainDb = db ?? openDatabase(join(dir, 'plenary.db'));
  const sealed = new SealedChat({ dataDir: dir, secrets, log, saveDelayMs: 60_000 });
  opened.push(sealed);
  const store = new ChatStore(mainDb, sealed);
  const search = new ChatSearch(mainDb, () => sealed.db);
  for (const room of [secretRoom, clearRoom]) {
    store.ensureRoom(room);
    store.setMember(room, ana, 'Ana', 'join');
  }
  store.updateRoom(secretRoom, { encrypted: 1 });
  let n = 0;
  const add = (room: string, event: Partial<MatrixRawEvent> & { content: Record<string, unknown> }) => {
    n++;
    const row = store.room(room)!;
    const full = { event_id: `$e${n}-${room.slice(1, 4)}`, type: 'm.room.message', sender: ana, origin_server_ts: t0 + n * 60_000, ...event } as MatrixRawEvent;
    store.insertEvent(room, row.next_pos, full);
    store.updateRoom(room, { next_pos: row.next_pos + 1 });
    return full.event_id;
  };
  const say = (room: string, body: string) => add(room, { content: { msgtype: 'm.text', body } });
  const ids = (text: string) => search.search(chatSearchSchema.parse({ text })).hits.map((h) => h.eventId);
  const mainContent = (eventId: string) => (mainDb.prepare('SELECT content FROM chat_events WHERE event_id = ?').pluck().get(eventId) as string | undefined) ?? null;
  return { dir, secrets, db: mainDb, sealed, store, search, add, say, ids, mainContent, logs };
}

describe('what is sealed', () => {
  it('seals every non-state event of an encrypted room except one still encrypted', () => {
    expect(sealsEvent(true, { type: 'm.room.message' })).toBe(true);
    expect(sealsEvent(true, { type: 'm.reaction' })).toBe(true);
    expect(sealsEvent(true, { type: 'm.room.topic', state_key: '' })).toBe(false);
    expect(sealsEvent(true, { type: 'm.room.encrypted' })).toBe(false);
    expect(sealsEvent(false, { type: 'm.room.message' })).toBe(false);
  });

  it('keeps only a marker in the main store, and of a vote notice its vote id', () => {
    expect(isPlaceholder(placeholderContent({ body: 'hello' }))).toBe(true);
    expect(placeholderContent({ body: 'hello' })).not.toContain('hello');
    const notice = JSON.parse(placeholderContent({ body: 'Closes soon: budget', [chatNoticeKey]: { voteId: 'v1', question: 'budget' } })) as Record<string, unknown>;
    expect(notice[chatNoticeKey]).toEqual({ voteId: 'v1' });
    expect(JSON.stringify(notice)).not.toContain('budget');
    expect(isPlaceholder('{"body":"plenary.sealed"}')).toBe(false);
  });
});

describe('the sealed chat database', () => {
  it('keeps encrypted rooms\' text out of the main store and reads it back as before', () => {
    const { store, say, add, mainContent } = setup();
    const secret = say(secretRoom, 'the grant text is confidential');
    const edit = add(secretRoom, { content: { body: '* the grant text is ready', 'm.new_content': { body: 'the grant text is ready' }, 'm.relates_to': { rel_type: 'm.replace', event_id: secret } } });
    const reaction = add(secretRoom, { type: 'm.reaction', content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: secret, key: '🎉' } } });
    const topic = add(secretRoom, { type: 'm.room.topic', state_key: '', content: { topic: 'Grants' } });
    const clear = say(clearRoom, 'the lunch menu is public');
    expect(isPlaceholder(mainContent(secret)!)).toBe(true);
    expect(isPlaceholder(mainContent(edit)!)).toBe(true);
    expect(isPlaceholder(mainContent(reaction)!)).toBe(true);
    expect(mainContent(topic)).toContain('Grants');
    expect(mainContent(clear)).toContain('lunch menu');
    // Every read sees the real content.
    expect(JSON.parse(store.event(secret)!.content)).toMatchObject({ body: 'the grant text is confidential' });
    expect(store.shownEvents(secretRoom, { limit: 10 }).map((row) => (JSON.parse(row.content) as { body?: string }).body)).toContain('the grant text is confidential');
    expect(store.relations([secret]).map((row) => row.event_id)).toEqual([edit, reaction]);
    expect(JSON.parse(store.relations([secret])[1]!.content)).toMatchObject({ 'm.relates_to': { key: '🎉' } });
    expect(JSON.parse(store.latestShown(secretRoom)!.content)).toMatchObject({ body: 'the grant text is confidential' });
    expect(JSON.parse(store.events([secret, clear]).find((row) => row.event_id === clear)!.content)).toMatchObject({ body: 'the lunch menu is public' });
    // Redacting empties it in both stores.
    store.redact(secret);
    expect(store.event(secret)!.content).toBe('{}');
  });

  it('a vote notice another device posted in an encrypted room is still recognised in the main store, without its text', () => {
    const { db, add, mainContent } = setup();
    const id = add(secretRoom, { content: { msgtype: 'm.notice', body: 'Closing soon: the budget', [chatNoticeKey]: { voteId: 'vote-7', closesAt: t0 } } });
    expect(mainContent(id)).not.toContain('budget');
    // The query of main/core/sync/vote-notices.ts (seenInRoom).
    const seen = db
      .prepare(`SELECT event_id FROM chat_events WHERE room_id = ? AND type = ? AND redacted = 0 AND json_extract(content, '$."${chatNoticeKey}".voteId') = ? LIMIT 1`)
      .pluck()
      .get(secretRoom, 'm.room.message', 'vote-7');
    expect(seen).toBe(id);
  });

  it('keeps what waits to be sent to an encrypted room in the sealed database too', () => {
    const { db, sealed, store } = setup();
    store.enqueue({ txn_id: 't1', room_id: secretRoom, type: 'm.room.message', content: JSON.stringify({ msgtype: 'm.text', body: 'draft-secret-91' }), created_at: t0 });
    store.enqueue({ txn_id: 't2', room_id: clearRoom, type: 'm.room.message', content: JSON.stringify({ msgtype: 'm.text', body: 'draft-clear' }), created_at: t0 });
    const mainOutbox = db.prepare('SELECT content FROM chat_outbox ORDER BY seq').pluck().all() as string[];
    expect(isPlaceholder(mainOutbox[0]!)).toBe(true);
    expect(mainOutbox[1]).toContain('draft-clear');
    expect(JSON.parse(store.nextQueued()!.content)).toMatchObject({ body: 'draft-secret-91' });
    expect(store.outbox(secretRoom).map((row) => JSON.parse(row.content) as { body: string }).map((c) => c.body)).toEqual(['draft-secret-91']);
    expect(JSON.parse(store.outboxEntry('t1')!.content)).toMatchObject({ body: 'draft-secret-91' });
    store.markSent('t1', '$sent');
    expect(store.settleEcho('$sent', 't1')).toBe(secretRoom);
    expect(sealed.outboxContents(['t1']).size).toBe(0);
    store.removeOutbox('t2');
    expect(store.outbox()).toEqual([]);
  });

  it('searches both stores, merged newest first, with names and jump positions from the main store', () => {
    const { say, search, ids } = setup();
    const first = say(clearRoom, 'the backup job failed');
    const second = say(secretRoom, 'the backup job is fixed');
    const third = say(clearRoom, 'backup verified');
    const japanese = say(secretRoom, '会議は明日の午後です');
    expect(ids('backup')).toEqual([third, second, first]);
    expect(ids('明日の午後')).toEqual([japanese]);
    // Short terms (LIKE) too.
    expect(ids('明日')).toEqual([japanese]);
    const hit = search.search(chatSearchSchema.parse({ text: 'fixed' })).hits[0]!;
    expect(hit).toMatchObject({ roomId: secretRoom, eventId: second, senderName: 'Ana', pos: 0, fromPos: 0 });
    expect(search.search(chatSearchSchema.parse({ text: 'backup', limit: 2 }))).toMatchObject({ more: true });
    expect(search.search(chatSearchSchema.parse({ text: 'backup', roomId: secretRoom })).hits.map((h) => h.eventId)).toEqual([second]);
  });

  it('follows edits and redactions in the sealed index', () => {
    const { store, say, add, ids } = setup();
    const original = say(secretRoom, 'Meeting on Tuesday');
    expect(ids('tuesday')).toEqual([original]);
    add(secretRoom, { content: { body: '* Meeting on Wednesday', 'm.new_content': { body: 'Meeting on Wednesday' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original } } });
    expect(ids('tuesday')).toEqual([]);
    expect(ids('wednesday')).toEqual([original]);
    store.redact(original);
    expect(ids('meeting')).toEqual([]);
  });

  it('writes nothing readable: neither the main store file nor the sealed file holds the text, and it is found again after a restart', () => {
    const marker = 'sealed-marker-7f3a91';
    const first = setup();
    const id = first.say(secretRoom, `the ${marker} plan`);
    first.say(clearRoom, 'clear-marker-55c2 in the open');
    expect(first.ids(marker)).toEqual([id]);
    first.sealed.close();
    first.db.pragma('wal_checkpoint(TRUNCATE)');
    first.db.close();
    const files = [join(first.dir, 'plenary.db'), `${join(first.dir, 'plenary.db')}-wal`, join(first.dir, sealedChatFile)].filter((file) => existsSync(file));
    expect(files).toContain(join(first.dir, sealedChatFile));
    for (const file of files) expect(readFileSync(file).includes(marker)).toBe(false);
    // The clear room's text is in the main store (the check above can fail).
    const main = Buffer.concat([join(first.dir, 'plenary.db'), `${join(first.dir, 'plenary.db')}-wal`].filter(existsSync).map((file) => readFileSync(file)));
    expect(main.includes('clear-marker-55c2')).toBe(true);
    const again = setup(first.dir, first.secrets);
    expect(again.ids(marker)).toEqual([id]);
    expect(JSON.parse(again.store.event(id)!.content)).toMatchObject({ body: `the ${marker} plan` });
  });

  it('saves a moment after a write, without waiting for close', async () => {
    const dir = folder();
    const sealed = new SealedChat({ dataDir: dir, secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), saveDelayMs: 5 });
    opened.push(sealed);
    expect(existsSync(join(dir, sealedChatFile))).toBe(false);
    sealed.put({ event_id: '$a', room_id: secretRoom, pos: 0, type: 'm.room.message', sender: ana, ts: t0, content: '{"body":"x"}', rel_type: null, relates_to: null, redacted: 0, shown: 1 });
    await expect.poll(() => existsSync(join(dir, sealedChatFile))).toBe(true);
  });

  it('signing out deletes the file and its key; an empty database under a new key takes its place', () => {
    const { dir, secrets, sealed, say, ids } = setup();
    const oldKey = secrets.get(sealedChatKeySecret);
    say(secretRoom, 'private words');
    sealed.save();
    expect(existsSync(join(dir, sealedChatFile))).toBe(true);
    sealed.forget();
    expect(existsSync(join(dir, sealedChatFile))).toBe(false);
    expect(secrets.get(sealedChatKeySecret)).not.toBe(oldKey);
    expect(ids('private')).toEqual([]);
  });

  it('a file sealed under a lost key is set aside, and its rooms are emptied to load again from the server', async () => {
    const first = setup();
    const secret = first.say(secretRoom, 'words under the old key');
    const clear = first.say(clearRoom, 'clear words stay');
    first.sealed.close();
    first.db.close();
    // The keychain lost the key.
    first.secrets.delete(sealedChatKeySecret);
    const again = setup(first.dir, first.secrets);
    expect(again.sealed.problem).toBe('wrong-key');
    expect(existsSync(join(first.dir, `${sealedChatFile}.wrong-key`))).toBe(true);
    expect(again.store.reconcileSealed()).toEqual({ refilled: [secretRoom], moved: 0 });
    expect(again.logs.records.some((r) => r.level === 'warn' && r.message.includes('sealed under a key'))).toBe(true);
    expect(again.store.event(secret)).toBeUndefined();
    expect(again.store.event(clear)).toBeDefined();
    const next = again.store.room(secretRoom)!.next_pos;
    expect(again.store.gaps(secretRoom)).toEqual([{ room_id: secretRoom, before_pos: next, token: '', next_pos: next - 1 }]);
    // Back-fill then asks the server from its latest event (no `from`).
    const queries: Record<string, string>[] = [];
    const matrix = {
      request: async (_method: string, _path: string, options?: { query?: Record<string, string> }) => {
        queries.push(options!.query!);
        return { chunk: [{ event_id: secret, type: 'm.room.message', sender: ana, origin_server_ts: t0, content: { body: 'words under the old key' } }], end: 'tok1' };
      },
    } as unknown as MatrixConnection;
    await backfill(again.store, matrix, secretRoom);
    expect(queries[0]).not.toHaveProperty('from');
    expect(JSON.parse(again.store.event(secret)!.content)).toMatchObject({ body: 'words under the old key' });
    expect(isPlaceholder(again.mainContent(secret)!)).toBe(true);
    // A second reconcile finds everything in place.
    expect(again.store.reconcileSealed()).toEqual({ refilled: [], moved: 0 });
  });

  it('a damaged file is set aside, never a crash', () => {
    const dir = folder();
    writeFileSync(join(dir, sealedChatFile), 'not a sealed database at all');
    const { sealed, say, ids } = setup(dir);
    expect(sealed.problem).toBe('damaged');
    expect(existsSync(join(dir, `${sealedChatFile}.damaged`))).toBe(true);
    const id = say(secretRoom, 'works again');
    expect(ids('works')).toEqual([id]);
    sealed.close();
    // The fresh database replaced the damaged file.
    const again = new SealedChat({ dataDir: dir, secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink) });
    opened.push(again);
    expect(again.problem).toBe('wrong-key');
  });

  it('a damaged file is replaced even when nothing is written meanwhile', () => {
    const dir = folder();
    const secrets = new MemorySecretStore();
    writeFileSync(join(dir, sealedChatFile), 'not a sealed database at all');
    const log = createLogger('test', memorySink().sink);
    new SealedChat({ dataDir: dir, secrets, log }).close();
    const again = new SealedChat({ dataDir: dir, secrets, log });
    opened.push(again);
    expect(again.problem).toBeNull();
  });

  it('a database never written to leaves no file, and a save cut short leaves none at the next start', () => {
    const dir = folder();
    writeFileSync(join(dir, `${sealedChatFile}.4242.3.tmp`), 'half a save');
    new SealedChat({ dataDir: dir, secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink) }).close();
    expect(existsSync(join(dir, sealedChatFile))).toBe(false);
    expect(existsSync(join(dir, `${sealedChatFile}.4242.3.tmp`))).toBe(false);
  });

  it('moves text of encrypted rooms cached before sealing out of the main store', () => {
    const dir = folder();
    const db = openDatabase(join(dir, 'plenary.db'));
    const plain = new ChatStore(db);
    plain.ensureRoom(secretRoom);
    plain.updateRoom(secretRoom, { encrypted: 1 });
    plain.insertEvent(secretRoom, 0, { event_id: '$old', type: 'm.room.message', sender: ana, origin_server_ts: t0, content: { body: 'old-plaintext-4411 words' } });
    new ChatSearch(db).search(chatSearchSchema.parse({ text: 'old-plaintext' }));
    const { store, ids, mainContent } = setup(dir, new MemorySecretStore(), db);
    expect(store.reconcileSealed()).toEqual({ refilled: [], moved: 1 });
    expect(isPlaceholder(mainContent('$old')!)).toBe(true);
    expect(ids('old-plaintext-4411')).toEqual(['$old']);
    db.close();
    const bytes = Buffer.concat([join(dir, 'plenary.db'), join(dir, 'plenary.db-wal')].filter(existsSync).map((file) => readFileSync(file)));
    expect(bytes.includes('old-plaintext-4411')).toBe(false);
  });
});
