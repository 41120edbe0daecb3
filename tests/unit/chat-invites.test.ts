// Invitations from /sync's rooms.invite: what the chat list shows of them, which ones it
// leaves to governance sync, and when they go away.
import { describe, expect, it } from 'vitest';
import { parseInvite } from '../../main/core/chat/invites';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSync, type SyncChanges } from '../../main/core/chat/chat-sync';
import { openDatabase } from '../../main/core/store/database';

const me = '@ana:hs';
const stripped = (type: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type, state_key: '', sender: '@bo:hs', content, ...extra });
const invite = (...events: unknown[]) => ({ invite_state: { events } });
const myInvite = (content: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  stripped('m.room.member', { membership: 'invite', ...content }, { state_key: me, origin_server_ts: 1_700_000_000_000, ...extra });

describe('parseInvite', () => {
  it('reads the room name, topic, inviter and their display name', () => {
    const row = parseInvite(
      '!r:hs',
      invite(
        stripped('m.room.create', { room_version: '10' }),
        stripped('m.room.name', { name: 'Working group: hosting' }),
        stripped('m.room.topic', { topic: 'Servers' }),
        stripped('m.room.member', { membership: 'join', displayname: 'Bruno' }, { state_key: '@bo:hs' }),
        myInvite(),
      ),
      me,
      5,
    );
    expect(row).toEqual({
      room_id: '!r:hs',
      name: 'Working group: hosting',
      canonical_alias: null,
      topic: 'Servers',
      inviter: '@bo:hs',
      inviter_name: 'Bruno',
      is_direct: 0,
      encrypted: 0,
      ts: 1_700_000_000_000,
    });
  });

  it('marks direct chats and encrypted rooms, and falls back to the alias and the time received', () => {
    const row = parseInvite(
      '!d:hs',
      invite(stripped('m.room.canonical_alias', { alias: '#ops:hs' }), stripped('m.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' }), myInvite({ is_direct: true }, { origin_server_ts: undefined })),
      me,
      42,
    );
    expect(row).toMatchObject({ name: null, canonical_alias: '#ops:hs', is_direct: 1, encrypted: 1, ts: 42, inviter: '@bo:hs', inviter_name: null });
  });

  it('leaves circle rooms, the coop space and other spaces to governance sync', () => {
    expect(parseInvite('!c:hs', invite(stripped('m.room.create', { 'coop.meet.plenary.circle': 'c1' }), myInvite()), me, 1)).toBeNull();
    expect(parseInvite('!s:hs', invite(stripped('m.room.create', { 'coop.meet.plenary.space': true, type: 'm.space' }), myInvite()), me, 1)).toBeNull();
    expect(parseInvite('!o:hs', invite(stripped('m.room.create', { type: 'm.space' }), myInvite()), me, 1)).toBeNull();
  });

  it('ignores malformed stripped state instead of failing', () => {
    const row = parseInvite('!m:hs', { invite_state: { events: [null, 3, { type: 'm.room.name' }, { type: 'm.room.name', state_key: '', content: { name: 7 } }, myInvite()] } }, me, 9);
    expect(row).toMatchObject({ name: null, inviter: '@bo:hs' });
    expect(parseInvite('!n:hs', 'nonsense', me, 9)).toMatchObject({ name: null, inviter: null, ts: 9 });
  });
});

describe('invitations in the chat cache', () => {
  it('keeps an invitation until the room is joined or left, and reports each change once', () => {
    const store = new ChatStore(openDatabase(':memory:'));
    const changes: SyncChanges[] = [];
    const sync = new ChatSync(store, (c) => changes.push(c), { me: () => me, now: () => 7 });
    sync.onSync({ next_batch: 'b1', rooms: { invite: { '!a:hs': invite(stripped('m.room.name', { name: 'A' }), myInvite()), '!b:hs': invite(myInvite()) } } }, { initial: false });
    expect(store.invites().map((i) => i.room_id).sort()).toEqual(['!a:hs', '!b:hs']);
    expect(changes.at(-1)?.invites).toBe(true);

    sync.onSync({ next_batch: 'b2', rooms: { join: { '!a:hs': { timeline: { events: [], prev_batch: 'p' } } }, leave: { '!b:hs': {} } } }, { initial: false });
    expect(store.invites()).toEqual([]);
    expect(changes.at(-1)?.invites).toBe(true);

    // Nothing about invitations in a batch: no change reported for them.
    const before = changes.length;
    sync.onSync({ next_batch: 'b3', rooms: { join: { '!a:hs': { timeline: { events: [{ event_id: '$1', type: 'm.room.message', sender: '@bo:hs', origin_server_ts: 1, content: { msgtype: 'm.text', body: 'hi' } }], prev_batch: 'p' } } } } }, { initial: false });
    expect(changes.length).toBe(before + 1);
    expect(changes.at(-1)?.invites).toBe(false);
  });
});
