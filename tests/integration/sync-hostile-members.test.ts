// A member who means harm, against a real Synapse with its DEFAULT rate limits and default
// room version. The hostile member (Mallory) and Element users (Erin) use their own Matrix
// client (raw client-server API through fetch; poll content built with matrix-js-sdk's own
// MSC3381 classes); Plenary replicas are the real composition. One test per way a member could
// bend sync; each failed before the one authorisation rule (shared/governance/authorization.ts):
// - closing a vote through a poll start of her own that lands before the real one, which also
//   made the real poll's Element answers quarantined;
// - ending a vote she did not create with a poll end;
// - closing a show-of-hands vote (it has no poll) with a forged start and end;
// - editing and deleting someone else's contribution entries;
// - capturing a circle with a look-alike room;
// - creating official votes as a member at power level 0, by starting a poll in Element;
// - and a facilitator demoted while offline, whose rename every other replica refuses, kept
//   seeing it on his own replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { RawMatrix, type WireEvent } from '../helpers/raw-matrix';
import { opsEvent } from '../helpers/room-ops';
import { decodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { newId } from '../../shared/governance/ids';
import type { Operation } from '../../shared/governance/operation';
import type { CircleDetail, ContributionPage, MemberProposal, VoteDetail, VoteSummary } from '../../shared/governance/views';
import type { NotAcceptedChange, RoomNotice } from '../../shared/contract/sync';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { PollEndEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollEndEvent.js';

const pollStartType = 'org.matrix.msc3381.poll.start';
const pollResponseType = 'org.matrix.msc3381.poll.response';
const pollEndType = 'org.matrix.msc3381.poll.end';
const disclosed = 'org.matrix.msc3381.poll.disclosed';
const circleName = 'Tech ops';

// Circle rooms in the clear, whatever the default: the test is about authorisation, and the hostile member forges events through the raw API without crypto.
let server: SynapseServer;
let users: Record<'alice' | 'dan' | 'mallory' | 'erin' | 'frank', RegisteredUser>;
let alice: PlenaryClient; // facilitator, made the circle
let dan: PlenaryClient; // facilitator until he is demoted
let frank: PlenaryClient | undefined; // not in the circle at first
let mallory: RawMatrix;
let erin: RawMatrix; // a member at power level 0 who uses Element
let circle: string;
let roomId: string;

/** Syncs the replicas until `ready` holds (or `rounds` pass: the assertions after it then say what is wrong). */
async function syncUntil(clients: PlenaryClient[], ready: () => boolean | Promise<boolean>, rounds = 40): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const client of clients) await client.syncNow();
    if (await ready()) return;
  }
}

/** Whether a replica has read (and judged) an event. */
const hasRead = (client: PlenaryClient, eventId: string) => client.core.services.db.prepare('SELECT 1 FROM sync_seen_events WHERE event_id = ?').get(eventId) !== undefined;

const readAll = (clients: PlenaryClient[], eventId: string) => syncUntil(clients, () => clients.every((c) => hasRead(c, eventId)));

/** A poll start claiming a Plenary vote, built with matrix-js-sdk's classes as a hostile client would. */
function forgedStart(voteId: string): Record<string, unknown> {
  const poll = PollStartEvent.from('Close this vote?', ['Yes', 'No'], disclosed);
  return { ...(poll.serialize().content as Record<string, unknown>), 'coop.meet.plenary.vote': { voteId, method: 'single', opId: newId() } };
}

const endOf = (startId: string) => PollEndEvent.from(startId, 'The poll has ended.').serialize().content as Record<string, unknown>;

/** The operations event carrying an operation that `match` accepts, as another member reads the room. */
async function opsEventWith(reader: RawMatrix, match: (op: Operation) => boolean): Promise<WireEvent> {
  return reader.waitForEvent(roomId, [opsEventType], (event) => {
    const decoded = decodeOpsContent(event.content);
    return decoded.ok && (decoded.ops as Operation[]).some(match);
  });
}

const voteOf = (client: PlenaryClient, voteId: string) => client.call<VoteDetail>('governance.vote', { circleId: circle, voteId });

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  users = {
    alice: await server.register('alice'),
    dan: await server.register('dan'),
    mallory: await server.register('mallory'),
    erin: await server.register('erin'),
    frank: await server.register('frank'),
  };
  mallory = new RawMatrix(server.baseUrl, users.mallory);
  erin = new RawMatrix(server.baseUrl, users.erin);

  alice = await startPlenaryClient('alice', { coop: clearCircleRooms(server) });
  await alice.signIn(server, users.alice);
  circle = (
    await alice.call<CircleDetail>('governance.createCircle', { name: circleName, purpose: 'Servers', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' })
  ).id;
  alice.core.services.governance.applyLocalBatch(
    (
      [
        [users.dan.userId, 'Dan', 'facilitator'],
        [users.mallory.userId, 'Mallory', 'member'],
        [users.erin.userId, 'Erin', 'member'],
      ] as const
    ).map(([member, displayName, role]) => ({ type: 'circle.member.set' as const, circle, payload: { member, displayName, role, timezone: 'UTC' } })),
  );
  await alice.syncNow();
  roomId = alice.core.services.sync.rooms.roomOf(circle)!;
  expect(roomId).toMatch(/^!/);
  await mallory.join(roomId);
  await erin.join(roomId);

  dan = await startPlenaryClient('dan', { coop: clearCircleRooms(server) });
  await dan.signIn(server, users.dan);
  await syncUntil([alice, dan], async () => (await dan.call<CircleDetail[]>('governance.circles')).some((c) => c.id === circle && c.canFacilitate));
  expect((await dan.call<CircleDetail>('governance.circle', { circleId: circle })).canFacilitate).toBe(true);
}, 180_000);

afterAll(async () => {
  for (const client of [alice, dan, frank]) await client?.close();
  await server?.stop();
});

describe('a hostile member against sync', { timeout: 180_000 }, () => {
  const published = { voteId: newId(), options: [newId(), newId()], realStart: '', forgedStart: '' };

  it('keeps a published vote’s poll to its creator: a forged start that lands first is refused, and Element answers to the real poll count', async () => {
    // Alice's message budget is spent (a busy chat): her poll start follows her operations ~5 s later.
    await new RawMatrix(server.baseUrl, users.alice).spendMessageBudget(roomId);
    alice.core.services.governance.applyLocal('vote.create', circle, {
      voteId: published.voteId,
      question: 'Renew the hosting contract?',
      details: '',
      method: 'single',
      options: published.options.map((id, i) => ({ id, label: i === 0 ? 'Renew' : 'Move' })),
      quorumPercent: 0,
    });
    const uploading = alice.syncNow();
    // Mallory sees the vote's operations and claims the vote with a poll start of her own at once.
    await opsEventWith(mallory, (op) => op.type === 'vote.create' && (op.payload as { voteId?: string }).voteId === published.voteId);
    published.forgedStart = await mallory.sendEvent(roomId, pollStartType, forgedStart(published.voteId));
    await uploading;
    const real = await erin.waitForEvent(
      roomId,
      [pollStartType],
      (e) => e.sender === users.alice.userId && (e.content['coop.meet.plenary.vote'] as { voteId?: string } | undefined)?.voteId === published.voteId,
    );
    published.realStart = real.event_id;
    const starts = (await erin.events(roomId, [pollStartType])).map((e) => e.event_id);
    expect(starts.indexOf(published.forgedStart)).toBeLessThan(starts.indexOf(published.realStart));

    // Erin answers the real poll in Element.
    const answer = await erin.sendEvent(roomId, pollResponseType, PollResponseEvent.from([published.options[0]!], published.realStart).serialize().content as Record<string, unknown>);
    await readAll([alice, dan], answer);
    for (const client of [alice, dan]) {
      const vote = await voteOf(client, published.voteId);
      expect(vote.ballots.map((b) => [b.voter, b.state]), client.name).toEqual([[users.erin.userId, 'counted']]);
      expect(client.core.services.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(published.voteId), client.name).toBe(published.realStart);
    }
  });

  it('lets no member close a vote she did not create with a poll end, through her forged poll or the real one', async () => {
    const throughForged = await mallory.sendEvent(roomId, pollEndType, endOf(published.forgedStart));
    const throughReal = await mallory.sendEvent(roomId, pollEndType, endOf(published.realStart));
    await readAll([alice, dan], throughForged);
    await readAll([alice, dan], throughReal);
    for (const client of [alice, dan]) expect((await voteOf(client, published.voteId)).status, client.name).toBe('open');
  });

  it('lets no member close a show-of-hands vote (which has no poll) with a start and an end of her own', async () => {
    const voteId = newId();
    dan.core.services.governance.applyLocal('vote.create', circle, {
      voteId,
      question: 'Adopt the new budget?',
      details: '',
      method: 'counted',
      options: [
        { id: newId(), label: 'For' },
        { id: newId(), label: 'Against' },
      ],
      quorumPercent: 0,
    });
    await dan.syncNow();
    await opsEventWith(mallory, (op) => op.type === 'vote.create' && (op.payload as { voteId?: string }).voteId === voteId);
    const start = await mallory.sendEvent(roomId, pollStartType, forgedStart(voteId));
    const end = await mallory.sendEvent(roomId, pollEndType, endOf(start));
    await readAll([alice, dan], end);
    for (const client of [alice, dan]) expect((await voteOf(client, voteId)).status, client.name).toBe('open');
  });

  it('lets no member edit or delete someone else’s contribution entries', async () => {
    const contributionId = newId();
    dan.core.services.governance.applyLocal('contribution.create', circle, {
      contributionId,
      member: users.dan.userId,
      date: '2026-12-01',
      minutes: 120,
      stream: 'care',
      description: 'Onboarded two members',
      tags: [],
    });
    await dan.syncNow();
    await opsEventWith(mallory, (op) => op.type === 'contribution.create' && (op.payload as { contributionId?: string }).contributionId === contributionId);
    const op = (type: 'contribution.update' | 'contribution.delete', payload: Record<string, unknown>): Operation => ({
      id: newId(),
      hlc: `${Date.now()}-000000-mallory`,
      actor: users.mallory.userId,
      circle,
      type,
      payload,
      v: 1,
    });
    const edit = opsEvent(circle, [op('contribution.update', { contributionId, fields: { minutes: 1, description: 'Nothing much' } })]);
    const remove = opsEvent(circle, [op('contribution.delete', { contributionId })]);
    const edited = await mallory.sendEvent(roomId, edit.type, edit.content as unknown as Record<string, unknown>);
    const removed = await mallory.sendEvent(roomId, remove.type, remove.content as unknown as Record<string, unknown>);
    await readAll([alice, dan], edited);
    await readAll([alice, dan], removed);
    for (const client of [alice, dan]) {
      const page = await client.call<ContributionPage>('governance.contributions', { filter: { circleId: circle }, limit: 50, offset: 0 });
      expect(page.items.find((c) => c.id === contributionId), client.name).toMatchObject({ minutes: 120, description: 'Onboarded two members' });
    }
  });

  it('makes a poll a member at power level 0 starts in Element a proposal, not a vote, which a facilitator adopts with its answers', async () => {
    const poll = PollStartEvent.from('Move the all-hands to Tuesdays?', ['Yes', 'No'], disclosed);
    const started = await erin.sendEvent(roomId, pollStartType, poll.serialize().content as Record<string, unknown>);
    const answer = await mallory.sendEvent(roomId, pollResponseType, PollResponseEvent.from([poll.answers[0]!.id], started).serialize().content as Record<string, unknown>);
    await readAll([alice, dan], answer);
    for (const client of [alice, dan]) {
      const votes = await client.call<VoteSummary[]>('governance.votes', { circleId: circle });
      expect(votes.map((v) => v.question), client.name).not.toContain('Move the all-hands to Tuesdays?');
    }
    const [proposal, ...others] = await alice.call<MemberProposal[]>('governance.proposals', { circleId: circle });
    expect(others).toEqual([]);
    expect(proposal).toMatchObject({ proposer: users.erin.userId, proposerName: 'Erin', question: 'Move the all-hands to Tuesdays?', pollEventId: started, answers: 1, endedAt: null });
    expect(proposal!.options.map((o) => o.label)).toEqual(['Yes', 'No']);

    const adopted = await alice.call<VoteDetail>('governance.adoptProposal', { circleId: circle, voteId: proposal!.voteId });
    expect(adopted.ballots.map((b) => [b.voter, b.state])).toEqual([[users.mallory.userId, 'counted']]);
    await syncUntil([alice, dan], async () => (await dan.call<VoteSummary[]>('governance.votes', { circleId: circle })).some((v) => v.id === proposal!.voteId));
    const onDan = await voteOf(dan, proposal!.voteId);
    expect(onDan.results.options.map((o) => [o.label, o.votes])).toEqual([
      ['Yes', 1],
      ['No', 0],
    ]);
    expect(await dan.call<MemberProposal[]>('governance.proposals', { circleId: circle })).toEqual([]);
    // The poll Element users answer stays Erin's: adopting it published no second poll.
    expect((await erin.events(roomId, [pollStartType])).filter((e) => e.content['coop.meet.plenary.vote'] === undefined && e.sender !== users.mallory.userId).map((e) => e.event_id)).toEqual([started]);
  });

  it('neither joins nor binds a look-alike room claiming a circle, and tells the member', async () => {
    // Mallory knows the circle's id (she is a member) and invites Frank, who is not, to a room of her own claiming it.
    const lookAlike = await mallory.createRoom({ name: circleName, preset: 'private_chat', invite: [users.frank.userId], creation_content: { 'coop.meet.plenary.circle': circle } });
    const fake = opsEvent(circle, [
      { id: newId(), hlc: `${Date.now()}-000000-mallory`, actor: users.mallory.userId, circle, type: 'circle.create', payload: { name: 'Mallory’s circle', purpose: '', timezone: 'UTC' }, v: 1 },
    ]);
    await mallory.sendEvent(lookAlike, fake.type, fake.content as unknown as Record<string, unknown>);
    frank = await startPlenaryClient('frank', { coop: clearCircleRooms(server) });
    await frank.signIn(server, users.frank);
    const joinedOrTold = async () => (await mallory.membership(lookAlike, users.frank.userId)) === 'join' || frank!.core.services.sync.view().roomNotices > 0;
    await syncUntil([frank], joinedOrTold);

    // Then Alice adds Frank to the circle: he must end in its real room.
    alice.core.services.governance.applyLocal('circle.member.set', circle, { member: users.frank.userId, displayName: 'Frank', role: 'member', timezone: 'UTC' });
    await syncUntil([alice, frank], async () => (await frank!.call<CircleDetail[]>('governance.circles')).some((c) => c.id === circle));
    expect(frank.core.services.sync.rooms.roomOf(circle)).toBe(roomId);
    expect((await frank.call<CircleDetail>('governance.circle', { circleId: circle })).name).toBe(circleName);
    expect(await mallory.membership(lookAlike, users.frank.userId)).toBe('invite');
    const notices = await frank.call<RoomNotice[]>('sync.roomNotices');
    expect(notices).toEqual([expect.objectContaining({ roomId: lookAlike, circleId: circle, roomCreator: users.mallory.userId, inviter: users.mallory.userId, reason: 'not_declared' })]);
  });

  it('shows a facilitator demoted while offline that his rename was not accepted, and withdraws it so his replica agrees with the others', async () => {
    await dan.call('matrix.disconnect');
    alice.core.services.governance.applyLocal('circle.member.set', circle, { member: users.dan.userId, displayName: 'Dan', role: 'member', timezone: 'UTC' });
    await alice.syncNow();
    const levels = () => new RawMatrix(server.baseUrl, users.alice).request<{ users?: Record<string, number> }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.power_levels/`);
    await syncUntil([alice], async () => ((await levels()).users?.[users.dan.userId] ?? 0) === 0);
    expect((await levels()).users?.[users.dan.userId] ?? 0).toBe(0);

    // Offline, Dan still sees himself as a facilitator and renames the circle.
    const renamed = await dan.call<{ id: string }>('governance.apply', { type: 'circle.update', circle, payload: { fields: { name: 'Dan’s ops' } } });
    expect((await dan.call<CircleDetail>('governance.circle', { circleId: circle })).name).toBe('Dan’s ops');
    await dan.call('matrix.connect');
    const event = await opsEventWith(erin, (op) => op.id === renamed.id);
    await readAll([dan, alice], event.event_id);

    for (const client of [alice, dan]) expect((await client.call<CircleDetail>('governance.circle', { circleId: circle })).name, client.name).toBe(circleName);
    const notAccepted = await dan.call<NotAcceptedChange[]>('sync.notAccepted');
    expect(notAccepted).toEqual([expect.objectContaining({ opId: renamed.id, circleId: circle, circleName, type: 'circle.update', reason: 'not_facilitator', acknowledged: false })]);
    expect(dan.core.services.sync.view().notAccepted).toBe(1);
    // Dan's replica ends where every other replica is.
    await syncUntil([dan, alice], () => dan.digest() === alice.digest());
    expect(dan.digest()).toBe(alice.digest());
  });
});
