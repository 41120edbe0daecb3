// Deadlines, reminders and outcomes: who is due a reminder and when (the pure rules), that a
// reminder is shown once even across a restart, the one-notice-per-vote rule for the
// circle's room, the review-date list, and the refusals (a past review date, a lead time
// that would put the reminder after the close, an outcome's review date from a non-facilitator).
import { describe, expect, it } from 'vitest';
import { makeStore, remoteOp, alice, bob, carol, ids, t0 } from '../helpers/governance';
import {
  chatNoticeDue,
  chatNoticeKey,
  chatNoticeTxnId,
  closingSoon,
  dueClosingReminders,
  dueForReview,
  dueReviewReminders,
  inReminderWindow,
  localDay,
  reminderAt,
  reminderKey,
  stampNode,
} from '../../shared/governance/vote-reminders';
import { settingSchemas, settingDefaults } from '../../shared/settings';
import { VoteReminderService } from '../../main/core/governance/vote-reminder-service';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { VoteNotices } from '../../main/core/sync/vote-notices';
import { voteResultsMarkdown } from '../../main/core/governance/governance-exports';
import { createLogger, memorySink } from '../../main/core/log';
import type { MeetingReminder } from '../../shared/meetings/types';
import { authorize, type AuthorityFacts } from '../../shared/governance/authorization';

const hour = 3_600_000;
const day = 24 * hour;
const lead = 24 * hour;

describe('who is due a reminder, and when (pure)', () => {
  const vote = (closesAt: number | null, status: 'open' | 'closed' = 'open') => ({ circle: 'c', voteId: 'v', status, closesAt });

  it('reminds from the lead time before the close up to the close, never after it', () => {
    const closes = t0 + 30 * hour;
    expect(reminderAt(closes, lead)).toBe(t0 + 6 * hour);
    expect(reminderAt(null, lead)).toBeNull();
    expect(inReminderWindow(vote(closes), t0, lead)).toBe(false);
    expect(inReminderWindow(vote(closes), t0 + 6 * hour, lead)).toBe(true);
    expect(inReminderWindow(vote(closes), closes - 1, lead)).toBe(true);
    // A reminder after the close is ignored: the vote is closed by then.
    expect(inReminderWindow(vote(closes), closes, lead)).toBe(false);
    expect(inReminderWindow(vote(closes, 'closed'), t0 + 7 * hour, lead)).toBe(false);
    expect(inReminderWindow(vote(null), t0, lead)).toBe(false);
  });

  it('reminds members who have not voted, once per vote, soonest close first', () => {
    const base = { circle: 'c', status: 'open' as const };
    const votes = [
      { ...base, voteId: 'late', closesAt: t0 + 20 * hour, isMember: true, hasVoted: false },
      { ...base, voteId: 'soon', closesAt: t0 + 2 * hour, isMember: true, hasVoted: false },
      { ...base, voteId: 'voted', closesAt: t0 + 2 * hour, isMember: true, hasVoted: true },
      { ...base, voteId: 'stranger', closesAt: t0 + 2 * hour, isMember: false, hasVoted: false },
      { ...base, voteId: 'far', closesAt: t0 + 3 * day, isMember: true, hasVoted: false },
    ];
    expect(dueClosingReminders(votes, t0, lead, new Set()).map((v) => v.voteId)).toEqual(['soon', 'late']);
    expect(dueClosingReminders(votes, t0, lead, new Set([reminderKey('closing', 'c', 'soon')])).map((v) => v.voteId)).toEqual(['late']);
    expect(closingSoon(votes, t0, lead).map((v) => v.voteId)).toEqual(['soon', 'stranger', 'voted', 'late']);
  });

  it('lists outcomes whose review date has come, and reminds again only for a new date', () => {
    const votes = [
      { circle: 'c', voteId: 'a', status: 'closed' as const, closesAt: null, reviewOn: '2026-12-01', isMember: true },
      { circle: 'c', voteId: 'b', status: 'closed' as const, closesAt: null, reviewOn: '2026-11-20', isMember: true },
      { circle: 'c', voteId: 'later', status: 'closed' as const, closesAt: null, reviewOn: '2027-01-01', isMember: true },
      { circle: 'c', voteId: 'none', status: 'closed' as const, closesAt: null, reviewOn: null, isMember: true },
      { circle: 'c', voteId: 'open', status: 'open' as const, closesAt: null, reviewOn: '2026-11-01', isMember: true },
    ];
    expect(dueForReview(votes, '2026-12-01').map((v) => v.voteId)).toEqual(['b', 'a']);
    const shown = new Set([reminderKey('review', 'c', 'a', '2026-12-01'), reminderKey('review', 'c', 'b', '2026-11-01')]);
    expect(dueReviewReminders(votes, '2026-12-01', shown).map((v) => v.voteId)).toEqual(['b']);
  });

  it('lets exactly one replica post the room notice: the creator’s, in the window, if none is known', () => {
    const v = { circle: 'c', voteId: 'v', status: 'open' as const, closesAt: t0 + 2 * hour, createdBy: alice, createdStamp: `${t0}-000003-a1ce0001 01ABC` };
    expect(stampNode(v.createdStamp)).toBe('a1ce0001');
    // Alice's laptop (which made the vote), her phone-side second Plenary, Bob's, Carol's, and one signed out.
    const replicas = [
      { name: 'alice laptop', account: alice, node: 'a1ce0001' },
      { name: 'alice second device', account: alice, node: 'a1ce0002' },
      { name: 'bob', account: bob, node: 'b0b00001' },
      { name: 'carol', account: carol, node: 'ca401001' },
      { name: 'signed out, same computer', account: null, node: 'a1ce0001' },
    ];
    expect(replicas.filter((r) => chatNoticeDue(v, r, t0, lead, false)).map((r) => r.name)).toEqual(['alice laptop']);
    const laptop = replicas[0]!;
    expect(chatNoticeDue(v, laptop, t0, lead, true)).toBe(false);
    expect(chatNoticeDue(v, laptop, t0 + 2 * hour, lead, false)).toBe(false);
    expect(chatNoticeDue({ ...v, closesAt: t0 + 30 * hour }, laptop, t0, lead, false)).toBe(false);
    expect(chatNoticeTxnId('v')).toBe(chatNoticeTxnId('v'));
  });

  it('reads the member’s calendar day in their time zone', () => {
    const at = Date.UTC(2026, 11, 1, 23, 30);
    expect(localDay(at, 'UTC')).toBe('2026-12-01');
    expect(localDay(at, 'Asia/Tokyo')).toBe('2026-12-02');
    expect(localDay(at, 'America/Los_Angeles')).toBe('2026-12-01');
  });

  it('takes a lead time of 1 hour to two weeks, 24 by default, and refuses one after the close with a reason', () => {
    expect(settingDefaults.voteReminderHours).toBe(24);
    expect(settingSchemas.voteReminderHours.safeParse(48).success).toBe(true);
    for (const bad of [0, -3, 1.5, 24 * 15]) expect(settingSchemas.voteReminderHours.safeParse(bad).success, String(bad)).toBe(false);
    expect(settingSchemas.voteReminderHours.safeParse(-3).error?.issues[0]?.message).toMatch(/before the close/);
  });
});

function setup() {
  const ctx = makeStore({ actor: alice });
  const circle = ids();
  ctx.store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Tech', purpose: '', timezone: 'Europe/Madrid' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' } },
  ]);
  const voteId = ids();
  const yes = ids();
  const no = ids();
  const closesAt = t0 + 30 * hour;
  ctx.store.applyLocal('vote.create', circle, {
    voteId,
    question: 'Move to the new server?',
    details: '',
    method: 'single',
    options: [
      { id: yes, label: 'Yes' },
      { id: no, label: 'No' },
    ],
    quorumPercent: 0,
    closesAt,
  });
  const service = (actor: string, today?: string) => {
    const shown: MeetingReminder[] = [];
    const reminders = new VoteReminderService({
      db: ctx.db,
      actor: () => actor,
      clock: ctx.clock,
      leadHours: () => 24,
      doNotDisturb: () => false,
      show: (r) => shown.push(r),
      translate: (key, params) => `${key} ${JSON.stringify(params ?? {})}`,
      formatLocale: () => 'en',
      ...(today ? { today: () => today } : {}),
    });
    return { reminders, shown };
  };
  return { ...ctx, circle, voteId, yes, closesAt, service };
}

describe('desktop reminders on this computer', () => {
  it('reminds a member who has not voted once, at the lead time, and not again after a restart', () => {
    const { clock, service, voteId } = setup();
    const first = service(bob);
    expect(first.reminders.tick()).toEqual([]);
    clock.set(t0 + 6 * hour);
    expect(first.reminders.tick()).toEqual([expect.objectContaining({ start: t0 + 30 * hour, roomId: null, title: expect.stringContaining('Move to the new server?') })]);
    expect(first.reminders.tick()).toEqual([]);
    // A restart: a new service on the same store remembers what was shown.
    const restarted = service(bob);
    expect(restarted.reminders.tick()).toEqual([]);
    expect(first.shown).toHaveLength(1);
    expect(restarted.reminders.agenda().closingSoon).toEqual([expect.objectContaining({ voteId, voted: false })]);
  });

  it('does not remind a member who voted, nor anyone after the close', () => {
    const { store, clock, service, circle, voteId, yes, closesAt } = setup();
    clock.set(t0 + 6 * hour);
    store.applyRemote([remoteOp('vote.ballot', circle, { voteId, voter: carol, choice: yes }, { actor: carol, wall: t0 + hour })]);
    const carolsPlenary = service(carol);
    expect(carolsPlenary.reminders.tick()).toEqual([]);
    expect(carolsPlenary.reminders.agenda().closingSoon).toEqual([expect.objectContaining({ voteId, voted: true })]);
    clock.set(closesAt + 1);
    expect(service(bob).reminders.tick()).toEqual([]);
    expect(service(bob).reminders.agenda().closingSoon).toEqual([]);
  });

  it('brings an outcome back on its review date, to members of the circle, once', () => {
    const { store, clock, service, circle, voteId, closesAt } = setup();
    clock.set(closesAt + hour);
    store.applyLocal('vote.update', circle, { voteId, fields: { outcome: 'We move in January.', reviewOn: '2026-12-20' } });
    expect(service(bob, '2026-12-19').reminders.tick()).toEqual([]);
    const onTheDay = service(bob, '2026-12-20');
    expect(onTheDay.reminders.agenda().dueForReview).toEqual([expect.objectContaining({ voteId, reviewOn: '2026-12-20', outcome: 'We move in January.' })]);
    expect(onTheDay.reminders.tick()).toEqual([expect.objectContaining({ title: expect.stringContaining('reviewTitle') })]);
    expect(service(bob, '2026-12-21').reminders.tick()).toEqual([]);
    // Not a member: listed nowhere and not reminded.
    expect(service('@dave:meet.coop', '2026-12-21').reminders.agenda().dueForReview).toEqual([]);
  });
});

describe('the close at the deadline', () => {
  it('is the same on every replica, whatever its clock: derived from closesAt, lateness by the server', () => {
    // Two replicas with the same operations, clocks three minutes apart, both past the deadline.
    const { store, db, clock, circle, voteId, yes, closesAt } = setup();
    const onTime = remoteOp('vote.ballot', circle, { voteId, voter: bob, choice: yes }, { actor: bob, wall: closesAt - 60_000 });
    // Cast before the deadline by Carol's clock, received by the server after it: late everywhere.
    const lateByServer = remoteOp('vote.ballot', circle, { voteId, voter: carol, choice: yes }, { actor: carol, wall: closesAt - 30_000 });
    const other = makeStore({ actor: bob, now: closesAt + 5 * 60_000 });
    clock.set(closesAt + 2 * 60_000);
    other.store.applyRemote(store.opsSince(0, 100).map((s) => s.op));
    for (const replica of [store, other.store]) {
      replica.applyRemote([onTime], { event: { eventId: '$on-time', serverTs: closesAt - 59_000, carries: true, poll: false } });
      replica.applyRemote([lateByServer], { event: { eventId: '$late', serverTs: closesAt + 1_000, carries: true, poll: false } });
    }
    const read = (db: typeof other.db, now: number) => {
      const vote = new GovernanceQueries(db, () => alice, () => now).vote(circle, voteId);
      return { status: vote.status, closedAt: vote.closedAt, states: vote.ballots.map((b) => [b.voter, b.state]), results: vote.results };
    };
    const here = read(db, clock.now());
    expect(here).toEqual(read(other.db, closesAt + 5 * 60_000));
    expect(here.status).toBe('closed');
    expect(here.closedAt).toBe(closesAt);
    expect(Object.fromEntries(here.states)).toEqual({ [bob]: 'counted', [carol]: 'late' });
    expect(store.stateDigest()).toBe(other.store.stateDigest());
  });
});

describe('outcome review dates', () => {
  const refusal = (reason: string, field?: string) => expect.objectContaining({ params: expect.objectContaining({ reason }), ...(field ? { field } : {}) });

  it('are written with the outcome after the close, cleared with null, and refused in the past', () => {
    const { store, clock, db, circle, voteId, closesAt } = setup();
    clock.set(closesAt + hour);
    expect(() => store.applyLocal('vote.update', circle, { voteId, fields: { reviewOn: '2026-01-01' } })).toThrow(refusal('review_in_past', 'payload.fields.reviewOn'));
    expect(() => store.applyLocal('vote.update', circle, { voteId, fields: { reviewOn: '2026-02-30' } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    store.applyLocal('vote.update', circle, { voteId, fields: { outcome: 'Done', reviewOn: '2027-03-01' } });
    const queries = new GovernanceQueries(db, () => alice, () => clock.now());
    expect(queries.vote(circle, voteId)).toEqual(expect.objectContaining({ status: 'closed', outcome: 'Done', reviewOn: '2027-03-01' }));
    expect(voteResultsMarkdown(queries.vote(circle, voteId), 'en', 'UTC').text).toContain('Review on 2027-03-01');
    store.applyLocal('vote.update', circle, { voteId, fields: { reviewOn: null } });
    expect(queries.vote(circle, voteId).reviewOn).toBeNull();
  });

  it('are refused from a member who is not a facilitator, locally and when forged in the room', () => {
    const { store, clock, circle, voteId, closesAt } = setup();
    clock.set(closesAt + hour);
    // Bob's own Plenary refuses it before anything is written.
    const bobs = makeStore({ actor: bob, now: clock.now() });
    bobs.store.applyRemote(store.opsSince(0, 100).map((s) => s.op));
    expect(() => bobs.store.applyLocal('vote.update', circle, { voteId, fields: { reviewOn: '2027-03-01' } })).toThrow(
      expect.objectContaining({ code: 'forbidden', params: expect.objectContaining({ reason: 'not_facilitator' }) }),
    );
    // The one rule every replica applies to what arrives from the room says the same.
    const facts = (facilitators: string[]): AuthorityFacts => ({
      facilitates: (m) => facilitators.includes(m),
      contribution: () => null,
      vote: () => ({ creator: alice }),
      action: () => null,
      account: (m) => m,
    });
    const forged = { actor: bob, type: 'vote.update', payload: { voteId, fields: { outcome: 'Cancelled', reviewOn: '2027-03-01' } } };
    expect(authorize(forged, bob, facts([alice]))).toEqual(expect.objectContaining({ ok: false, reason: 'not_facilitator' }));
    expect(authorize({ ...forged, actor: alice }, bob, facts([alice]))).toEqual(expect.objectContaining({ ok: false, reason: 'not_sender' }));
    expect(authorize({ ...forged, actor: alice }, alice, facts([alice])).ok).toBe(true);
  });
});

describe("the circle room's one notice per vote", () => {
  function notices(ctx: ReturnType<typeof setup>) {
    const { sink } = memorySink();
    return new VoteNotices(ctx.db, new GovernanceQueries(ctx.db, () => alice, () => ctx.clock.now()), (key, params) => `${key} ${JSON.stringify(params ?? {})}`, () => 'en', createLogger('test', sink));
  }
  const room = '!tech:meet.coop';

  it('is queued only on the creator’s Plenary, once, in the window, and sent under one transaction id', async () => {
    const ctx = setup();
    const box = notices(ctx);
    expect(box.nextDue(ctx.clock.now(), alice, lead)).toBe(t0 + 6 * hour);
    expect(box.queueDue(ctx.clock.now(), alice, lead, () => room)).toBe(0);
    ctx.clock.set(t0 + 6 * hour);
    expect(box.queueDue(ctx.clock.now(), bob, lead, () => room)).toBe(0);
    // Another computer signed in as Alice (its own clock node) owes nothing either.
    const elsewhere = makeStore({ actor: alice, now: ctx.clock.now() });
    elsewhere.store.applyRemote(ctx.store.opsSince(0, 100).map((s) => s.op));
    expect(notices({ ...ctx, db: elsewhere.db }).queueDue(ctx.clock.now(), alice, lead, () => room)).toBe(0);
    expect(box.queueDue(ctx.clock.now(), alice, lead, () => room)).toBe(1);
    expect(box.queueDue(ctx.clock.now(), alice, lead, () => room)).toBe(0);
    expect(box.nextDue(ctx.clock.now(), alice, lead)).toBeNull();
    const sent: { roomId: string; content: Record<string, unknown>; txnId: string }[] = [];
    const connection = { sendEvent: async (roomId: string, _type: string, content: Record<string, unknown>, txnId: string) => (sent.push({ roomId, content, txnId }), { event_id: '$n1' }) };
    expect(await box.flush(ctx.circle, room, connection)).toBe(1);
    expect(await box.flush(ctx.circle, room, connection)).toBe(0);
    expect(sent).toEqual([{ roomId: room, txnId: chatNoticeTxnId(ctx.voteId), content: expect.objectContaining({ msgtype: 'm.notice', [chatNoticeKey]: { voteId: ctx.voteId, closesAt: ctx.closesAt } }) }]);
    expect(String(sent[0]!.content.body)).toContain('Move to the new server?');
    // The closing time is given in the circle's time zone.
    expect(String(sent[0]!.content.body)).toMatch(/GMT\+1|CET/);
  });

  it('is not sent when another device of the creator already posted it in the room', async () => {
    const ctx = setup();
    ctx.clock.set(t0 + 6 * hour);
    ctx.db
      .prepare("INSERT INTO chat_events (event_id, room_id, pos, type, sender, ts, content, shown) VALUES ('$other', ?, 1, 'm.room.message', ?, ?, ?, 1)")
      .run(room, alice, t0, JSON.stringify({ msgtype: 'm.notice', body: 'x', [chatNoticeKey]: { voteId: ctx.voteId } }));
    const box = notices(ctx);
    expect(box.queueDue(ctx.clock.now(), alice, lead, () => room)).toBe(0);
    expect(box.pendingCount()).toBe(0);
    expect(ctx.db.prepare('SELECT state, event_id FROM sync_vote_notices').all()).toEqual([{ state: 'seen', event_id: '$other' }]);
  });

  it('is never sent after the close', () => {
    const ctx = setup();
    ctx.clock.set(ctx.closesAt);
    expect(notices(ctx).queueDue(ctx.clock.now(), alice, lead, () => room)).toBe(0);
  });
});
