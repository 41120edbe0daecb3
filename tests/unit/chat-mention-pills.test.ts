// Mentions picked in the composer (issue 18, item 3): what the `@`/`#` suggestions offer,
// how a pick is written, and the event content sent (Element's shape: display name in the
// body, a matrix.to pill in formatted_body, the user in m.mentions). Direct chats (item 5):
// m.direct read and updated, and new invitations to one reported for a notification.
import { describe, expect, it } from 'vitest';
import {
  activeTrigger,
  filterMembers,
  filterRooms,
  insertPick,
  mentionsOutsideRoom,
  pickFor,
  picksInText,
} from '../../shared/chat/mention-autocomplete';
import { composeMessage } from '../../main/core/chat/message-content';
import { matrixToLink, withPills } from '../../main/core/chat/mention-pills';
import { directRooms, existingDirectRoom, withDirectRoom } from '../../main/core/chat/direct-rooms';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSync, type SyncChanges } from '../../main/core/chat/chat-sync';
import { openDatabase } from '../../main/core/store/database';
import { chatCalls } from '../../shared/contract/chat';

const members = [
  { userId: '@ana:hs', displayName: 'Ana Pérez' },
  { userId: '@bruno:hs', displayName: 'Bruno' },
  { userId: '@carla:hs', displayName: null },
  { userId: '@yuki:hs', displayName: '佐藤 雪' },
  { userId: '@me:hs', displayName: 'Me' },
];

describe('the @ and # suggestions', () => {
  it('finds the word being typed after @ or #, only where a word starts', () => {
    expect(activeTrigger('hi @an', 6)).toEqual({ kind: '@', query: 'an', start: 3 });
    expect(activeTrigger('@', 1)).toEqual({ kind: '@', query: '', start: 0 });
    expect(activeTrigger('see #ops', 8)).toEqual({ kind: '#', query: 'ops', start: 4 });
    expect(activeTrigger('mail ana@hs', 11)).toBeNull();
    expect(activeTrigger('hi @an done', 11)).toBeNull();
    expect(activeTrigger('hi @an done', 6)).toEqual({ kind: '@', query: 'an', start: 3 });
  });

  it('matches names and ids, ignoring case and accents, word starts first, the member themself left out', () => {
    expect(filterMembers(members, 'per', { me: '@me:hs' }).map((m) => m.userId)).toEqual(['@ana:hs']);
    expect(filterMembers(members, 'PEREZ').map((m) => m.userId)).toEqual(['@ana:hs']);
    expect(filterMembers(members, 'carla').map((m) => m.userId)).toEqual(['@carla:hs']);
    expect(filterMembers(members, '雪').map((m) => m.userId)).toEqual(['@yuki:hs']);
    expect(filterMembers(members, '', { me: '@me:hs' })).toHaveLength(4);
    expect(filterMembers(members, 'zz')).toEqual([]);
    // "ru" starts no word but is inside "bruno": still offered, after word-start matches.
    expect(filterMembers([...members, { userId: '@rui:hs', displayName: 'Rui' }], 'ru').map((m) => m.userId)).toEqual(['@rui:hs', '@bruno:hs']);
    expect(filterMembers(members, '', { limit: 2 })).toHaveLength(2);
  });

  it('matches rooms by name or alias', () => {
    const rooms = [
      { roomId: '!a:hs', name: 'Hosting', alias: '#ops:hs' },
      { roomId: '!b:hs', name: 'Care circle', alias: null },
    ];
    expect(filterRooms(rooms, 'ops').map((r) => r.roomId)).toEqual(['!a:hs']);
    expect(filterRooms(rooms, 'circ').map((r) => r.roomId)).toEqual(['!b:hs']);
    expect(pickFor({ room: rooms[0]! })).toEqual({ kind: 'room', id: '#ops:hs', text: '#ops:hs' });
    expect(pickFor({ room: rooms[1]! })).toEqual({ kind: 'room', id: '!b:hs', text: 'Care circle' });
  });

  it('writes the pick in place of the typed word, and keeps only picks still in the text', () => {
    const pick = pickFor({ member: members[0]! });
    expect(pick).toEqual({ kind: 'user', id: '@ana:hs', text: 'Ana Pérez' });
    const trigger = activeTrigger('thanks @an', 10)!;
    expect(insertPick('thanks @an', trigger, 10, pick)).toEqual({ text: 'thanks Ana Pérez ', caret: 17 });
    expect(insertPick('thanks @an!', trigger, 10, pick)).toEqual({ text: 'thanks Ana Pérez !', caret: 17 });
    expect(picksInText('thanks Ana Pérez', [pick, pick])).toEqual([pick]);
    expect(picksInText('thanks', [pick])).toEqual([]);
  });

  it('names typed ids of people who are not in the room', () => {
    expect(mentionsOutsideRoom('ask @bruno:hs and @zoe:other.org.', members)).toEqual(['@zoe:other.org']);
    expect(mentionsOutsideRoom('nobody', members)).toEqual([]);
  });
});

describe('a mention as Element sends it', () => {
  const isMember = (id: string) => members.some((m) => m.userId === id);

  it('puts the display name in the body, a matrix.to pill in formatted_body and the user in m.mentions', () => {
    const content = composeMessage('thanks Ana Pérez!', { pills: [{ kind: 'user', id: '@ana:hs', text: 'Ana Pérez' }], isMember });
    expect(content.body).toBe('thanks Ana Pérez!');
    expect(content.format).toBe('org.matrix.custom.html');
    expect(content.formatted_body).toContain('<a href="https://matrix.to/#/@ana:hs"');
    expect(content.formatted_body).toContain('>Ana Pérez</a>!');
    expect(content['m.mentions']).toEqual({ user_ids: ['@ana:hs'] });
  });

  it('links a picked room to its alias, and keeps Markdown around pills', () => {
    const content = composeMessage('**Bruno** see #ops:hs', {
      pills: [
        { kind: 'user', id: '@bruno:hs', text: 'Bruno' },
        { kind: 'room', id: '#ops:hs', text: '#ops:hs' },
      ],
      isMember,
    });
    expect(content.formatted_body).toContain('<strong><a href="https://matrix.to/#/@bruno:hs"');
    expect(content.formatted_body).toContain('<a href="https://matrix.to/#/#ops:hs"');
    expect(content['m.mentions']).toEqual({ user_ids: ['@bruno:hs'] });
  });

  it('sends a mention of someone outside the room as text, without pill or m.mentions', () => {
    const content = composeMessage('hi Zoe and @zoe:other.org', { pills: [{ kind: 'user', id: '@zoe:other.org', text: 'Zoe' }], isMember });
    expect(content.formatted_body).toBeUndefined();
    expect(content['m.mentions']).toEqual({});
  });

  it('keeps the reply target mentioned alongside a pick', () => {
    const content = composeMessage('yes Ana Pérez', {
      pills: [{ kind: 'user', id: '@ana:hs', text: 'Ana Pérez' }],
      isMember,
      ownUserId: '@me:hs',
      replyTo: { roomId: '!r:hs', eventId: '$e', sender: '@bruno:hs', body: 'ok?', html: null },
    });
    expect(content['m.mentions']).toEqual({ user_ids: ['@ana:hs', '@bruno:hs'] });
    expect(content.formatted_body).toContain('matrix.to/#/@ana:hs');
  });

  it('escapes Markdown in names and refuses malformed ids, a pick whose text is gone is no mention', () => {
    expect(withPills('hi *star*', [{ kind: 'user', id: '@s:hs', text: '*star*' }], () => true).markdown).toBe('hi [\\*star\\*](<https://matrix.to/#/@s:hs>)');
    expect(withPills('hi x', [{ kind: 'user', id: 'not-an-id', text: 'x' }], () => true)).toEqual({ markdown: 'hi x', userIds: [] });
    expect(withPills('hi', [{ kind: 'user', id: '@ana:hs', text: 'Ana' }], () => true)).toEqual({ markdown: 'hi', userIds: [] });
    expect(matrixToLink('@a b:hs')).toBe('https://matrix.to/#/@a%20b:hs');
    // Room version 12 room ids have no server part.
    expect(withPills('see Ops', [{ kind: 'room', id: '!Abc-_9', text: 'Ops' }], () => true).markdown).toBe('see [Ops](<https://matrix.to/#/!Abc-_9>)');
    expect(chatCalls.chat.send.input.safeParse({ roomId: '!r:hs', text: 'x', mentions: [{ kind: 'room', id: '!Abc-_9', text: 'Ops' }] }).success).toBe(true);
  });

  it('validates picks in chat.send with a clear message', () => {
    const send = chatCalls.chat.send.input;
    expect(send.safeParse({ roomId: '!r:hs', text: 'hi', mentions: [{ kind: 'user', id: '@a:hs', text: 'A' }] }).success).toBe(true);
    const bad = send.safeParse({ roomId: '!r:hs', text: 'hi', mentions: [{ kind: 'user', id: 'ana', text: 'A' }] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('must be a Matrix user id');
  });
});

describe('m.direct', () => {
  it('maps rooms to people, ignoring malformed entries', () => {
    const map = directRooms({ '@bo:hs': ['!a:hs', '!b:hs', 7], 'nonsense': ['!c:hs'], '@cy:hs': 'x', '@di:hs': ['!a:hs'] });
    expect([...map]).toEqual([
      ['!a:hs', '@bo:hs'],
      ['!b:hs', '@bo:hs'],
    ]);
    expect(directRooms(null).size).toBe(0);
    expect(directRooms(['!a:hs']).size).toBe(0);
  });

  it('reuses a direct chat the member is still in', () => {
    const content = { '@bo:hs': ['!left:hs', '!here:hs'] };
    expect(existingDirectRoom(content, '@bo:hs', (r) => r === '!here:hs')).toBe('!here:hs');
    expect(existingDirectRoom(content, '@cy:hs', () => true)).toBeNull();
  });

  it('adds a room first in the person\'s list and keeps everything else', () => {
    expect(withDirectRoom({ '@bo:hs': ['!a:hs'], '@cy:hs': ['!c:hs'], other: 1 }, '@bo:hs', '!n:hs')).toEqual({ '@bo:hs': ['!n:hs', '!a:hs'], '@cy:hs': ['!c:hs'], other: 1 });
    expect(withDirectRoom(null, '@bo:hs', '!n:hs')).toEqual({ '@bo:hs': ['!n:hs'] });
    expect(withDirectRoom({ '@bo:hs': ['!n:hs'] }, '@bo:hs', '!n:hs')).toEqual({ '@bo:hs': ['!n:hs'] });
  });
});

describe('direct chats in the sync', () => {
  const dmInvite = (sender: string) => ({
    invite_state: { events: [{ type: 'm.room.member', state_key: '@me:hs', sender, content: { membership: 'invite', is_direct: true } }] },
  });

  it('keeps m.direct from the account data and reports new invitations to direct chats once, never in the first sync', () => {
    const store = new ChatStore(openDatabase(':memory:'));
    const changes: SyncChanges[] = [];
    const sync = new ChatSync(store, (c) => changes.push(c), { me: () => '@me:hs', now: () => 1 });
    sync.onSync({ next_batch: 'a', account_data: { events: [{ type: 'm.direct', content: { '@bo:hs': ['!d:hs'] } }] }, rooms: { invite: { '!old:hs': dmInvite('@bo:hs') } } }, { initial: true });
    expect(store.accountData('m.direct')).toEqual({ '@bo:hs': ['!d:hs'] });
    expect(changes.at(-1)?.newDirectInvites).toEqual([]);
    expect(changes.at(-1)?.rooms).toBe(true);

    sync.onSync({ next_batch: 'b', rooms: { invite: { '!new:hs': dmInvite('@cy:hs'), '!old:hs': dmInvite('@bo:hs') } } }, { initial: false });
    expect(changes.at(-1)?.newDirectInvites).toEqual(['!new:hs']);
    sync.onSync({ next_batch: 'c', rooms: { invite: { '!new:hs': dmInvite('@cy:hs') } } }, { initial: false });
    expect(changes.at(-1)?.newDirectInvites).toEqual([]);

    store.wipe();
    expect(store.accountData('m.direct')).toBeNull();
  });

  it('does not take a forged is_direct on someone else\'s membership, nor m.direct from a room\'s account data', () => {
    const store = new ChatStore(openDatabase(':memory:'));
    const changes: SyncChanges[] = [];
    const sync = new ChatSync(store, (c) => changes.push(c), { me: () => '@me:hs', now: () => 1 });
    const forged = {
      invite_state: {
        events: [
          { type: 'm.room.member', state_key: '@other:hs', sender: '@mallory:hs', content: { membership: 'invite', is_direct: true } },
          { type: 'm.room.member', state_key: '@me:hs', sender: '@mallory:hs', content: { membership: 'invite' } },
        ],
      },
    };
    sync.onSync(
      {
        next_batch: 'a',
        rooms: {
          invite: { '!f:hs': forged },
          join: { '!r:hs': { timeline: { events: [] }, account_data: { events: [{ type: 'm.direct', content: { '@mallory:hs': ['!r:hs'] } }] } } },
        },
      },
      { initial: false },
    );
    expect(store.invite('!f:hs')?.is_direct).toBe(0);
    expect(changes.at(-1)?.newDirectInvites).toEqual([]);
    expect(store.accountData('m.direct')).toBeNull();
  });
});
