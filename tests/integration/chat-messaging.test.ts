// Chat against a real Synapse, Plenary on one side and a plain matrix-js-sdk client (as
// Element would be) on the other: sending and receiving, Markdown, replies, edits,
// reactions, unread counts and read markers, mention notifications, hostile HTML, a 60 KB
// message, unknown and redacted events, encrypted rooms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MsgType, RelationType } from 'matrix-js-sdk';
import { SynapseServer } from '../helpers/synapse';
import { aliceSees, bobEvents, bobReceives, sharedRoom, startChatFixture, type ChatFixture } from '../helpers/chat-fixture';
import type { ChatItem } from '../../shared/contract/chat';

let server: SynapseServer;
let f: ChatFixture;
let roomId: string;

beforeAll(async () => {
  // Relaxed rate limits: this file sends dozens of messages, edits and reactions from both clients in quick succession; what it proves (content, relations, receipts, notifications) does not depend on pacing. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  f = await startChatFixture(server);
  roomId = await sharedRoom(f);
});

afterAll(async () => {
  f?.close();
  await server?.stop();
});

const messages = (items: ChatItem[]) => items.filter((i) => i.kind === 'text' || i.kind === 'notice' || i.kind === 'emote');

describe('chat with a plain matrix-js-sdk client on the other side', () => {
  it('lists the room with its name', async () => {
    const rooms = await f.alice.call('chat.rooms', {});
    expect(rooms).toContainEqual(expect.objectContaining({ roomId, name: 'Technology operations', encrypted: false }));
  });

  it('sends Markdown that the other client receives as formatted_body', async () => {
    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'Agenda: **consent** on _the budget_');
    const { txnId } = await f.alice.call('chat.send', { roomId, text: 'Agenda: **consent** on _the budget_' });
    expect(txnId).toMatch(/^plenary-/);
    const event = await received;
    expect(event.getSender()).toBe(f.aliceUser.userId);
    expect(event.getContent()).toMatchObject({
      msgtype: 'm.text',
      format: 'org.matrix.custom.html',
      formatted_body: '<p>Agenda: <strong>consent</strong> on <em>the budget</em></p>',
    });
    // Alice's own echo replaces the pending entry.
    const timeline = await aliceSees(f, roomId, (t) => messages(t.items).some((i) => i.body.startsWith('Agenda') && i.eventId === event.getId()), 'her echo');
    const mine = timeline.items.find((i) => i.eventId === event.getId())!;
    expect(mine).toMatchObject({ mine: true, pending: null, html: '<p>Agenda: <strong>consent</strong> on <em>the budget</em></p>' });
  });

  it('sends plain text without formatted_body', async () => {
    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'just words');
    await f.alice.call('chat.send', { roomId, text: 'just words' });
    const content = (await received).getContent();
    expect(content.format).toBeUndefined();
    expect(content.formatted_body).toBeUndefined();
  });

  it('receives what the other client sends, with its sender name', async () => {
    await f.bob.setDisplayName('Bob Builder');
    await f.bob.sendMessage(roomId, { msgtype: MsgType.Text, body: 'Hello from Element', format: 'org.matrix.custom.html', formatted_body: 'Hello from <b>Element</b>' });
    await f.bob.sendNotice(roomId, 'A bot notice');
    await f.bob.sendEmoteMessage(roomId, 'waves');
    const timeline = await aliceSees(f, roomId, (t) => t.items.some((i) => i.kind === 'emote'), 'the emote');
    const hello = timeline.items.find((i) => i.body === 'Hello from Element')!;
    expect(hello).toMatchObject({ kind: 'text', senderName: 'Bob Builder', html: 'Hello from <b>Element</b>', mine: false });
    expect(timeline.items.find((i) => i.body === 'A bot notice')?.kind).toBe('notice');
    expect(timeline.items.find((i) => i.body === 'waves')?.kind).toBe('emote');
  });

  it('replies both ways with the rich-reply relation and a fallback', async () => {
    const original = await f.bob.sendTextMessage(roomId, 'Who takes the minutes?');
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === original.event_id), 'the question');
    const received = bobReceives(f, roomId, (e) => e.replyEventId === original.event_id);
    await f.alice.call('chat.send', { roomId, text: 'I will', replyTo: original.event_id });
    const reply = await received;
    expect(reply.getContent().body).toBe(`> <${f.bobUser.userId}> Who takes the minutes?\n\nI will`);
    expect(reply.getContent().formatted_body).toContain('<mx-reply>');
    expect(reply.getContent()['m.mentions']).toEqual({ user_ids: [f.bobUser.userId] });

    const timeline = await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === reply.getId()), 'her reply');
    const item = timeline.items.find((i) => i.eventId === reply.getId())!;
    expect(item.body).toBe('I will');
    expect(item.html).toBeNull();
    expect(item.replyTo).toEqual({ eventId: original.event_id, senderName: 'Bob Builder', body: 'Who takes the minutes?' });

    // And Bob's reply (the SDK's way) shows Alice's message as the quote, without the fallback text.
    await f.bob.sendMessage(roomId, {
      msgtype: MsgType.Text,
      body: `> <${f.aliceUser.userId}> I will\n\nThanks!`,
      'm.relates_to': { 'm.in_reply_to': { event_id: reply.getId()! } },
    });
    const after = await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'Thanks!'), "Bob's reply");
    expect(after.items.find((i) => i.body === 'Thanks!')?.replyTo).toMatchObject({ eventId: reply.getId(), body: 'I will' });
  });

  it('edits a message: the other client sees m.replace, Plenary shows the new text', async () => {
    await f.alice.call('chat.send', { roomId, text: 'Meeting at 10' });
    const sent = await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'Meeting at 10' && i.eventId !== null && i.pending === null), 'the message');
    const target = sent.items.find((i) => i.body === 'Meeting at 10')!;
    const received = bobReceives(f, roomId, (e) => e.isRelation(RelationType.Replace) && e.relationEventId === target.eventId);
    await f.alice.call('chat.edit', { roomId, eventId: target.eventId!, text: 'Meeting at **11**' });
    const edit = await received;
    expect(edit.getWireContent()['m.new_content']).toMatchObject({ body: 'Meeting at **11**', formatted_body: '<p>Meeting at <strong>11</strong></p>' });
    const timeline = await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === target.eventId && i.edited && i.pending === null), 'the edit');
    const shown = timeline.items.find((i) => i.eventId === target.eventId)!;
    expect(shown.body).toBe('Meeting at **11**');
    expect(shown.html).toBe('<p>Meeting at <strong>11</strong></p>');
    expect(messages(timeline.items).filter((i) => i.body.includes('Meeting at'))).toHaveLength(1);

    // An edit by someone else than the sender is ignored (spec: replacements must come from the original sender).
    await f.bob.sendEvent(roomId, 'm.room.message' as never, {
      msgtype: 'm.text',
      body: '* hijacked',
      'm.new_content': { msgtype: 'm.text', body: 'hijacked' },
      'm.relates_to': { rel_type: 'm.replace', event_id: target.eventId },
    } as never);
    await f.bob.sendTextMessage(roomId, 'after the hijack');
    const later = await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'after the hijack'), 'the next message');
    expect(later.items.find((i) => i.eventId === target.eventId)?.body).toBe('Meeting at **11**');
  });

  it('reacts and withdraws a reaction; sees the other client’s reactions', async () => {
    const question = await f.bob.sendTextMessage(roomId, 'Lunch?');
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === question.event_id), 'the question');
    const received = bobReceives(f, roomId, (e) => e.getType() === 'm.reaction' && e.getRelation()?.event_id === question.event_id);
    await f.alice.call('chat.react', { roomId, eventId: question.event_id, key: '👍' });
    expect((await received).getRelation()).toMatchObject({ rel_type: 'm.annotation', key: '👍' });
    await f.bob.sendEvent(roomId, 'm.reaction' as never, { 'm.relates_to': { rel_type: 'm.annotation', event_id: question.event_id, key: '👍' } } as never);
    await f.bob.sendEvent(roomId, 'm.reaction' as never, { 'm.relates_to': { rel_type: 'm.annotation', event_id: question.event_id, key: '🎉' } } as never);
    let timeline = await aliceSees(f, roomId, (t) => (t.items.find((i) => i.eventId === question.event_id)?.reactions.length ?? 0) === 2, 'both reactions');
    expect(timeline.items.find((i) => i.eventId === question.event_id)!.reactions).toEqual([
      { key: '👍', count: 2, mine: true, senders: [f.aliceUser.localpart, 'Bob Builder'] },
      { key: '🎉', count: 1, mine: false, senders: ['Bob Builder'] },
    ]);
    await f.alice.call('chat.react', { roomId, eventId: question.event_id, key: '👍' });
    await f.alice.core.services.chat.flushOutbox();
    timeline = await aliceSees(f, roomId, (t) => t.items.find((i) => i.eventId === question.event_id)?.reactions[0]?.count === 1, 'the withdrawn reaction');
    expect(timeline.items.find((i) => i.eventId === question.event_id)!.reactions[0]).toMatchObject({ key: '👍', mine: false });
  });

  it('counts unread messages per room and clears them with the read marker', async () => {
    for (const text of ['one', 'two', 'three']) await f.bob.sendTextMessage(roomId, text);
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'three'), 'three');
    await expect.poll(async () => {
      await f.alice.core.services.matrix.syncNow();
      return (await f.alice.call('chat.rooms', {})).find((r) => r.roomId === roomId)?.unread;
    }).toBeGreaterThanOrEqual(3);
    expect(f.alice.core.services.chat.badge().count).toBeGreaterThanOrEqual(3);
    await f.alice.call('chat.markRead', { roomId });
    expect((await f.alice.call('chat.rooms', {})).find((r) => r.roomId === roomId)?.unread).toBe(0);
    // The server agrees after the next sync (the marker reached it).
    await f.bob.sendTextMessage(roomId, 'four');
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'four'), 'four');
    await expect.poll(async () => {
      await f.alice.core.services.matrix.syncNow();
      return (await f.alice.call('chat.rooms', {})).find((r) => r.roomId === roomId)?.unread;
    }).toBe(1);
    const timeline = await f.alice.call('chat.timeline', { roomId, limit: 50 });
    expect(timeline.fullyRead).toBe(timeline.items.find((i) => i.body === 'three')!.eventId);
  });

  it("marks a room unread in step with the member's other device (MSC2867)", async () => {
    // Alice's registration device stands for Element on her phone: account data is hers alone.
    const markUrl = (type: string) => `${server.baseUrl}/_matrix/client/v3/user/${encodeURIComponent(f.aliceUser.userId)}/rooms/${encodeURIComponent(roomId)}/account_data/${type}`;
    const phone = { Authorization: `Bearer ${f.aliceUser.accessToken}`, 'Content-Type': 'application/json' };
    const markedHere = async () => (await f.alice.call('chat.rooms', {})).find((r) => r.roomId === roomId)?.markedUnread;

    await f.alice.call('chat.markUnread', { roomId, unread: true });
    expect(await markedHere()).toBe(true);
    expect(await (await fetch(markUrl('m.marked_unread'), { headers: phone })).json()).toEqual({ unread: true });

    // Reading the room takes the mark away on the server too.
    await f.alice.call('chat.markRead', { roomId });
    expect(await markedHere()).toBe(false);
    expect(await (await fetch(markUrl('m.marked_unread'), { headers: phone })).json()).toEqual({ unread: false });

    // Marked on the phone: Plenary shows it after its next sync.
    const put = await fetch(markUrl('m.marked_unread'), { method: 'PUT', headers: phone, body: JSON.stringify({ unread: true }) });
    expect(put.status).toBe(200);
    await expect.poll(async () => {
      await f.alice.core.services.matrix.syncNow();
      return markedHere();
    }).toBe(true);
    await f.alice.call('chat.markUnread', { roomId, unread: false });
    expect(await (await fetch(markUrl('m.marked_unread'), { headers: phone })).json()).toEqual({ unread: false });
  });

  it('shows typing and read receipts both ways, and keeps her receipts private when she asks', async () => {
    const sent = await f.bob.sendTextMessage(roomId, 'Has anyone read the budget?');
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === sent.event_id), 'the question');
    const bobSaw = (eventId: string) => f.bob.getRoom(roomId)?.getUsersReadUpTo(f.bob.getRoom(roomId)!.findEventById(eventId)!).includes(f.aliceUser.userId) ?? false;

    // Bob types in Element: Alice's timeline names him; then he stops.
    await f.bob.sendTyping(roomId, true, 20_000);
    const bobName = () => f.bob.getRoom(roomId)!.getMember(f.bobUser.userId)!.name;
    await aliceSees(f, roomId, (t) => t.typing.length === 1 && t.typing[0] === bobName(), 'Bob typing');
    await f.bob.sendTyping(roomId, false, 0);
    await aliceSees(f, roomId, (t) => t.typing.length === 0, 'Bob no longer typing');

    // Alice types: Bob's client sees her typing.
    await f.alice.call('chat.setTyping', { roomId, typing: true });
    await expect.poll(() => f.bob.getRoom(roomId)?.getMember(f.aliceUser.userId)?.typing, { timeout: 15_000 }).toBe(true);
    await f.alice.call('chat.setTyping', { roomId, typing: false });
    await expect.poll(() => f.bob.getRoom(roomId)?.getMember(f.aliceUser.userId)?.typing, { timeout: 15_000 }).toBe(false);

    // Alice reads with a public receipt: Bob sees it on his question.
    await f.alice.call('chat.markRead', { roomId, eventId: sent.event_id });
    await expect.poll(() => bobSaw(sent.event_id), { timeout: 15_000 }).toBe(true);

    // Bob reads Alice's reply: her timeline shows him at it.
    const reply = await f.alice.call('chat.send', { roomId, text: 'I did, it balances.' });
    const mine = await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'I did, it balances.' && i.eventId !== null), 'her reply');
    const replyId = mine.items.find((i) => i.body === 'I did, it balances.')!.eventId!;
    expect(reply.txnId).toBeTruthy();
    await f.bob.sendReadReceipt(f.bob.getRoom(roomId)!.findEventById(replyId) ?? (await waitForBobEvent(replyId)));
    await aliceSees(f, roomId, (t) => t.items.find((i) => i.eventId === replyId)?.readBy.includes(bobName()) === true, 'Bob read her reply');

    // Private receipts: the next message she reads leaves no trace Bob can see.
    await f.alice.call('settings.set', { key: 'privateReadReceipts', value: true });
    try {
      const later = await f.bob.sendTextMessage(roomId, 'And the care budget?');
      await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === later.event_id), 'the second question');
      await f.alice.call('chat.markRead', { roomId, eventId: later.event_id });
      // Her read marker moved (the markers call has returned), yet Bob's view of her receipt
      // stays on her own reply once his client has synced past it.
      expect((await f.alice.call('chat.timeline', { roomId, limit: 50 })).fullyRead).toBe(later.event_id);
      const nudge = await f.bob.sendTextMessage(roomId, 'sync nudge');
      // Its remote echo (status null) came in a sync that also carries every receipt sent before it.
      await expect
        .poll(() => f.bob.getRoom(roomId)?.getLiveTimeline().getEvents().some((e) => e.getId() === nudge.event_id && e.status === null), { timeout: 15_000 })
        .toBe(true);
      expect(f.bob.getRoom(roomId)?.getEventReadUpTo(f.aliceUser.userId)).toBe(replyId);
    } finally {
      await f.alice.call('settings.set', { key: 'privateReadReceipts', value: false });
    }

    async function waitForBobEvent(eventId: string) {
      await expect.poll(() => f.bob.getRoom(roomId)?.findEventById(eventId), { timeout: 15_000 }).toBeTruthy();
      return f.bob.getRoom(roomId)!.findEventById(eventId)!;
    }
  });

  it('notifies mentions by Matrix ID, display name and @room, never with do-not-disturb or for own messages', async () => {
    await f.alice.core.services.matrix.request('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(f.aliceUser.userId)}/displayname`, { body: { displayname: 'Alice Liddell' } });
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.change?.what === 'displayname'), 'her new name');
    f.notifications.length = 0;
    await f.bob.sendTextMessage(roomId, `ping ${f.aliceUser.userId}, are you there?`);
    await f.bob.sendTextMessage(roomId, 'alice liddell: the minutes please');
    await f.bob.sendMessage(roomId, { msgtype: MsgType.Text, body: 'no mention here', 'm.mentions': {} } as never);
    await f.bob.sendMessage(roomId, { msgtype: MsgType.Text, body: 'intentional', 'm.mentions': { user_ids: [f.aliceUser.userId] } } as never);
    await f.bob.sendTextMessage(roomId, '@room assembly starts');
    await f.alice.call('chat.send', { roomId, text: `note to self ${f.aliceUser.userId}` });
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.body.startsWith('note to self') && i.pending === null && i.eventId !== null), 'her note');
    await f.alice.core.services.matrix.syncNow();
    expect(f.notifications.map((n) => n.body)).toEqual([`ping ${f.aliceUser.userId}, are you there?`, 'alice liddell: the minutes please', 'intentional', '@room assembly starts']);
    expect(f.notifications[0]).toMatchObject({ roomId, roomName: 'Technology operations', senderName: 'Bob Builder' });
    const timeline = await f.alice.call('chat.timeline', { roomId, limit: 30 });
    expect(timeline.items.find((i) => i.body === 'intentional')?.mentionsMe).toBe(true);
    expect(timeline.items.find((i) => i.body === 'no mention here')?.mentionsMe).toBe(false);

    await f.alice.call('settings.set', { key: 'doNotDisturb', value: true });
    await f.bob.sendTextMessage(roomId, `quiet please ${f.aliceUser.userId}`);
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.body.startsWith('quiet please')), 'the quiet mention');
    expect(f.notifications).toHaveLength(4);
    await f.alice.call('settings.set', { key: 'doNotDisturb', value: false });
  });

  it('sanitizes hostile HTML to the Matrix allow-list', async () => {
    const hostile = [
      '<script>window.pwned = 1</script>',
      '<img src="x" onerror="window.pwned = 2">',
      '<a href="javascript:window.pwned=3">click me</a>',
      '<b onmouseover="window.pwned=4">bold</b>',
      '<iframe src="https://evil.example"></iframe>',
      '<table><tr><td><table><tr><td>nested</td></tr></table></td></tr></table>',
      '<div>'.repeat(200) + 'deep' + '</div>'.repeat(200),
      '<a href="https://meet.coop">safe link</a>',
      '<span style="position:fixed" data-mx-spoiler="">spoiler</span>',
    ].join('');
    await f.bob.sendMessage(roomId, { msgtype: MsgType.Text, body: 'hostile', format: 'org.matrix.custom.html', formatted_body: hostile });
    const timeline = await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === 'hostile'), 'the hostile message');
    const html = timeline.items.find((i) => i.body === 'hostile')!.html!;
    expect(html).not.toMatch(/<script|onerror|onmouseover|javascript:|<iframe|<img|style=/i);
    expect(html).toContain('<table><tr><td><table><tr><td>nested</td></tr></table></td></tr></table>');
    expect(html).toContain('<a href="https://meet.coop" target="_blank" rel="noopener noreferrer">safe link</a>');
    expect(html).toContain('<span data-mx-spoiler>spoiler</span>');
    expect((html.match(/<div>/g) ?? []).length).toBeLessThanOrEqual(100);
    expect(html).toContain('deep');
  });

  it('carries a 60 KB message both ways', async () => {
    const long = Array.from({ length: 6144 }, (_, i) => `word${i % 10}....`).join(' ').padEnd(61_440, '!');
    expect(long.length).toBe(61_440);
    const received = bobReceives(f, roomId, (e) => typeof e.getContent().body === 'string' && e.getContent().body.length > 60_000);
    await f.alice.call('chat.send', { roomId, text: long });
    const body = (await received).getContent().body as string;
    expect(body.length).toBe(long.length);
    expect(body === long).toBe(true);
    await f.alice.core.services.chat.flushOutbox();
    expect(f.alice.core.services.chat.store.outbox(roomId).filter((e) => e.state === 'failed')).toEqual([]);

    const fromBob = 'B'.repeat(60 * 1024);
    await f.bob.sendTextMessage(roomId, fromBob);
    const timeline = await aliceSees(f, roomId, (t) => t.items.some((i) => i.body === fromBob), 'the long message from Bob');
    expect(timeline.items.filter((i) => i.body.length >= 60_000)).toHaveLength(2);
  });

  it('hides unknown event types and shows redacted messages as removed', async () => {
    await f.bob.sendEvent(roomId, 'org.example.custom' as never, { anything: 'goes' } as never);
    const doomed = await f.bob.sendTextMessage(roomId, 'oops, wrong room');
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === doomed.event_id), 'the doomed message');
    await f.bob.redactEvent(roomId, doomed.event_id);
    await f.bob.sendTextMessage(roomId, 'after');
    const timeline = await aliceSees(f, roomId, (t) => t.items.find((i) => i.eventId === doomed.event_id)?.kind === 'redacted', 'the redaction');
    expect(timeline.items.find((i) => i.eventId === doomed.event_id)).toMatchObject({ kind: 'redacted', body: '', html: null });
    expect(JSON.stringify(timeline.items)).not.toContain('org.example.custom');
    expect(JSON.stringify(timeline.items)).not.toContain('wrong room');
  });

  it('shows an encrypted room as encrypted, offers Element, and sends there encrypted', async () => {
    const secret = await sharedRoom(f, { name: 'Stewards (private)', encrypted: true });
    const room = (await f.alice.call('chat.rooms', {})).find((r) => r.roomId === secret)!;
    expect(room.encrypted).toBe(true);
    await f.alice.call('matrix.setElementUrl', { url: 'https://element.meet.coop' });
    const timeline = await f.alice.call('chat.timeline', { roomId: secret, limit: 20 });
    expect(timeline.encrypted).toBe(true);
    expect(timeline.elementLink).toBe(`https://element.meet.coop/#/room/${encodeURIComponent(secret)}`);
    const outcome = await f.alice.core.dispatch('chat.send', { roomId: secret, text: 'psst' }, { transport: 'test' });
    // Sent encrypted (chat-encrypted.test.ts proves another client decrypts it).
    expect(outcome).toMatchObject({ ok: true });
    // An encrypted event from another client is a neutral line, not a failure.
    await f.bob.sendEvent(secret, 'm.room.encrypted' as never, { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AAAA', sender_key: 'x', session_id: 'y', device_id: 'z' } as never);
    const after = await aliceSees(f, secret, (t) => t.items.some((i) => i.kind === 'encrypted'), 'the encrypted event');
    expect(after.items.find((i) => i.kind === 'encrypted')?.body).toBe('');
  });

  it('lists invitations with the room and the inviter, joins or declines them, and leaves circle rooms to governance', async () => {
    const invitesNow = async (check: (invites: Awaited<ReturnType<typeof f.alice.call<'chat.invites'>>>) => boolean) => {
      for (let i = 0; i < 50; i++) {
        await f.alice.core.services.matrix.syncNow();
        const invites = await f.alice.call('chat.invites', {});
        if (check(invites)) return invites;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`invitations never settled: ${JSON.stringify(await f.alice.call('chat.invites', {}))}`);
    };
    const { room_id: hosting } = await f.bob.createRoom({ name: 'Working group: hosting', topic: 'Racks and backups', invite: [f.aliceUser.userId] });
    const { room_id: direct } = await f.bob.createRoom({ is_direct: true, invite: [f.aliceUser.userId] });
    // A circle room (created by Plenary with its marker) is joined by governance sync, never offered.
    const { room_id: circle } = await f.bob.createRoom({ name: 'circle', invite: [f.aliceUser.userId], creation_content: { 'coop.meet.plenary.circle': 'c-invite-test' } } as never);

    const invites = await invitesNow((list) => list.some((i) => i.roomId === hosting) && list.some((i) => i.roomId === direct));
    expect(invites.find((i) => i.roomId === hosting)).toMatchObject({ name: 'Working group: hosting', topic: 'Racks and backups', inviter: f.bobUser.userId, inviterName: 'Bob Builder', isDirect: false, encrypted: false });
    expect(invites.find((i) => i.roomId === direct)).toMatchObject({ name: null, isDirect: true, inviter: f.bobUser.userId });
    expect(invites.some((i) => i.roomId === circle)).toBe(false);

    await f.alice.call('chat.acceptInvite', { roomId: hosting });
    expect((await f.alice.call('chat.rooms', {})).find((r) => r.roomId === hosting)).toMatchObject({ name: 'Working group: hosting' });
    await f.alice.call('chat.declineInvite', { roomId: direct });
    await invitesNow((list) => list.every((i) => i.roomId !== hosting && i.roomId !== direct));
    await expect.poll(() => f.bob.getRoom(direct)?.getMember(f.aliceUser.userId)?.membership, { timeout: 10_000 }).toBe('leave');
    expect((await f.alice.call('chat.rooms', {})).some((r) => r.roomId === direct)).toBe(false);
    // An invitation that is gone cannot be answered again, and says why.
    expect(await f.alice.core.dispatch('chat.acceptInvite', { roomId: direct }, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'roomId' } });
  });

  it('shows Plenary messages in order to the other client', async () => {
    const texts = ['first', 'second', 'third'];
    for (const text of texts) await f.alice.call('chat.send', { roomId, text });
    await f.alice.core.services.chat.flushOutbox();
    await bobReceives(f, roomId, (e) => e.getContent().body === 'third');
    const bodies = bobEvents(f, roomId).map((e) => e.getContent().body as string);
    const at = bodies.lastIndexOf('first');
    expect(bodies.slice(at, at + 3)).toEqual(texts);
  });
});
