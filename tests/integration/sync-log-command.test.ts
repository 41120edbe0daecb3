// Logging work from Element on a phone, through a real Synapse: Bob, a member without Plenary,
// posts "!log 1h30 care onboarding" from his own Matrix client (matrix-js-sdk). Alice (the
// circle's facilitator) and Carol (a member) run Plenary: both fold the same contribution, and
// exactly one answer comes back to Bob in the room, in his language when his message shows
// it. Bad input is refused with a clear answer and nothing logged; a non-member's !log, an
// edit, a redaction and a second device reading the room's history again change nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ClientEvent, RoomEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { RawMatrix, type WireEvent } from '../helpers/raw-matrix';
import { quietSdkLogger } from '../helpers/quiet-sdk-logger';
import { answerKey } from '../../main/core/sync/log-command';
import { newId } from '../../shared/governance/ids';
import type { ContributionPage, ContributionView } from '../../shared/governance/views';

// Circle rooms in the clear, whatever the default: Bob's phone here is a crypto-less matrix-js-sdk client; the test is about !log, not encryption.
let server: SynapseServer;
let users: Record<'alice' | 'bob' | 'carol' | 'eve', RegisteredUser>;
let alice: PlenaryClient;
let carol: PlenaryClient;
let bob: MatrixClient;
let eve: RawMatrix;
let reader: RawMatrix;
let roomId: string;
const circle = newId();
const clients: PlenaryClient[] = [];
/** What Bob's client shows in the circle's room. */
const seenByBob: MatrixEvent[] = [];

beforeAll(async () => {
  // Relaxed limits: the test sends a dozen messages in a row; pacing is tested elsewhere.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  users = { alice: await server.register('alice'), bob: await server.register('bob'), carol: await server.register('carol'), eve: await server.register('eve') };
  alice = await startPlenaryClient('alice', { coop: clearCircleRooms(server) });
  clients.push(alice);
  await alice.signIn(server, users.alice);
  alice.core.services.governance.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Community', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: users.alice.userId, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: users.bob.userId, displayName: 'Bob', role: 'member', timezone: 'Europe/Madrid' } },
    { type: 'circle.member.set', circle, payload: { member: users.carol.userId, displayName: 'Carol', role: 'member', timezone: 'Asia/Tokyo' } },
  ]);
  await alice.syncNow();
  roomId = alice.core.services.sync.rooms.roomOf(circle)!;
  expect(roomId).toMatch(/^!/);
  // Eve is in the room (Alice invites her to chat) but not a member of the circle.
  await new RawMatrix(server.baseUrl, users.alice).request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: users.eve.userId });
  eve = new RawMatrix(server.baseUrl, users.eve);
  await eve.join(roomId);
  reader = new RawMatrix(server.baseUrl, users.carol);

  bob = createClient({ baseUrl: server.baseUrl, accessToken: users.bob.accessToken, userId: users.bob.userId, deviceId: users.bob.deviceId, logger: quietSdkLogger });
  bob.on(RoomEvent.Timeline, (event, room) => {
    if (room?.roomId === roomId) seenByBob.push(event);
  });
  await new Promise<void>((resolve) => {
    bob.once(ClientEvent.Sync, () => resolve());
    void bob.startClient({ initialSyncLimit: 20 });
  });
  await bob.joinRoom(roomId);

  carol = await startPlenaryClient('carol', { coop: clearCircleRooms(server) });
  clients.push(carol);
  await carol.signIn(server, users.carol);
  await converge([alice, carol]);
}, 180_000);

afterAll(async () => {
  bob?.stopClient();
  for (const client of clients) await client.close();
  await server?.stop();
});

const entries = async (client: PlenaryClient): Promise<ContributionView[]> => (await client.call<ContributionPage>('governance.contributions', { filter: { circleId: circle }, limit: 100, offset: 0 })).items;

/** Bob posts from his phone, as Element sends a plain message. */
async function bobSays(body: string): Promise<string> {
  const { event_id } = await bob.sendEvent(roomId, 'm.room.message' as never, { msgtype: 'm.text', body } as never);
  return event_id;
}

/** The answer Bob's client shows to one of his messages (Alice's replica answers; both replicas sync until it is there). */
async function answerTo(eventId: string): Promise<MatrixEvent> {
  let found: MatrixEvent | undefined;
  await expect
    .poll(
      async () => {
        await converge([alice, carol]);
        await alice.core.services.chat.flushOutbox();
        found = seenByBob.find((e) => (e.getContent()[answerKey] as { event_id?: string } | undefined)?.event_id === eventId);
        return found !== undefined;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return found!;
}

/** Every answer in the room, read from the server by a third party. */
async function answersInRoom(): Promise<WireEvent[]> {
  return (await reader.events(roomId, ['m.room.message'])).filter((e) => e.content[answerKey] !== undefined);
}

describe('!log from a Matrix client', { timeout: 180_000 }, () => {
  let first = '';

  it('logs the sender’s work on every replica alike and answers once, in the room', async () => {
    first = await bobSays('!log 1h30 care onboarding');
    const answer = await answerTo(first);
    expect(answer.getSender()).toBe(users.alice.userId);
    expect(answer.getContent()).toMatchObject({ msgtype: 'm.notice', 'm.relates_to': { 'm.in_reply_to': { event_id: first } } });
    expect(answer.getContent().body).toMatch(/^Bob: logged 1 h 30 min of Care work on \d{4}-\d{2}-\d{2}: onboarding$/);
    const [onAlice, onCarol] = [await entries(alice), await entries(carol)];
    expect(onAlice).toEqual([expect.objectContaining({ member: users.bob.userId, minutes: 90, stream: 'care', description: 'onboarding', createdBy: users.bob.userId })]);
    expect(onCarol.map((e) => [e.id, e.date, e.minutes])).toEqual(onAlice.map((e) => [e.id, e.date, e.minutes]));
    // Carol's replica does not answer: only the first facilitator's does.
    await converge([alice, carol]);
    await carol.core.services.chat.flushOutbox();
    expect((await answersInRoom()).map((e) => e.sender)).toEqual([users.alice.userId]);
  });

  it('answers in the sender’s language when the message shows it', async () => {
    const spanish = await bobSays('!log 2h cuidados acogida de socias');
    expect((await answerTo(spanish)).getContent().body).toMatch(/^Bob: registradas 2 h de trabajo de Cuidados el \d{4}-\d{2}-\d{2}: acogida de socias$/);
    expect((await entries(carol)).map((e) => e.minutes).sort((a, b) => a - b)).toEqual([90, 120]);
  });

  it('refuses bad input with a clear answer and logs nothing', async () => {
    const cases: [string, RegExp][] = [
      ['!log 30h care marathon', /^Bob: not logged\. 30h is more than the 24 h of a day\.$/],
      ['!log 1h fun games', /“fun” is not a stream: use livelihood \(Livelihood\), care \(Care\), commons \(Commons\)\./],
      ['!log soon care later', /“soon” is not a time: write it like 1h30, 90m or 1\.5h\./],
      // 3 h 30 min already logged that day: 21 more would pass 24 hours.
      ['!log 21h care all day', /You already logged 3 h 30 min that day in this circle; with this it would be more than 24 h\./],
    ];
    for (const [body, expected] of cases) {
      const sent = await bobSays(body);
      expect((await answerTo(sent)).getContent().body, body).toMatch(expected);
    }
    expect(await entries(alice)).toHaveLength(2);
    expect(await entries(carol)).toHaveLength(2);
  });

  it('refuses a non-member, ignores an edit, and a redaction takes the entry back everywhere', async () => {
    const sneaky = await eve.sendEvent(roomId, 'm.room.message', { msgtype: 'm.text', body: '!log 8h livelihood consulting' });
    expect((await answerTo(sneaky)).getContent().body).toMatch(/^@eve:.*: not logged\. Only members of this circle log work here/);
    // Bob edits his first message to claim more: the entry stays as first posted, and no answer follows the edit.
    const edited = await bob.sendEvent(roomId, 'm.room.message' as never, {
      msgtype: 'm.text',
      body: '* !log 9h care onboarding',
      'm.new_content': { msgtype: 'm.text', body: '!log 9h care onboarding' },
      'm.relates_to': { rel_type: 'm.replace', event_id: first },
    } as never);
    // Bob redacts his Spanish entry: that day then holds 1 h 30 min, so the 21 hours refused
    // before fit now, and are logged on every replica (as a replica reading the room only now judges them).
    const spanish = seenByBob.find((e) => e.getContent().body === '!log 2h cuidados acogida de socias')!.getId()!;
    await bob.redactEvent(roomId, spanish);
    await expect
      .poll(
        async () => {
          await converge([alice, carol]);
          const minutes = async (client: PlenaryClient) => (await entries(client)).map((e) => e.minutes).sort((a, b) => a - b);
          return [await minutes(alice), await minutes(carol)];
        },
        { timeout: 60_000 },
      )
      .toEqual([
        [90, 1260],
        [90, 1260],
      ]);
    await alice.core.services.chat.flushOutbox();
    const answered = (await answersInRoom()).map((e) => (e.content[answerKey] as { event_id: string }).event_id);
    expect(answered).not.toContain(edited.event_id);
    expect(answered.filter((id) => id === first)).toHaveLength(1);
    expect((await entries(alice)).every((e) => e.member !== users.eve.userId)).toBe(true);
  });

  it('a second device reading the room again logs the same entries and answers nothing twice', async () => {
    const before = (await answersInRoom()).length;
    const again = await startPlenaryClient('alice-laptop', { coop: clearCircleRooms(server) });
    clients.push(again);
    await again.signIn(server, users.alice);
    await converge([again, alice]);
    await again.core.services.chat.flushOutbox();
    expect((await entries(again)).map((e) => [e.id, e.minutes])).toEqual((await entries(alice)).map((e) => [e.id, e.minutes]));
    expect(await answersInRoom()).toHaveLength(before);
  });
});
