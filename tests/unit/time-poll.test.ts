// Time polls: slot labels and their validation (past, duplicate, non-positive, not a slot),
// formatting in two time zones across a DST change, the Element text, the chosen slot
// becoming a one-off meeting (pure and through the store and the meetings directory), and
// the refusals: choosing an open poll's slot, a slot that was not an option, a choice by a
// member who does not facilitate (locally and as a forged operation from the room).
import { describe, expect, it } from 'vitest';
import { makeStore, remoteOp, alice, bob, ids, t0 } from '../helpers/governance';
import {
  chooseSlotProblem,
  elementSlotText,
  formatSlot,
  meetingOfChosenSlot,
  oneOffOccurrences,
  readSlot,
  slotLabel,
  slotProblems,
  slotsOf,
} from '../../shared/governance/time-poll';
import { operationTypes } from '../../shared/governance/operation-types';
import { authorize, type AuthorityFacts } from '../../shared/governance/authorization';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { GovernanceMeetingDirectory } from '../../main/core/meetings/governance-directory';
import { EventBus } from '../../main/core/events';
import { pollForVote } from '../../main/core/sync/poll-mapping';
import { voteResultsMarkdown } from '../../main/core/governance/governance-exports';

const hour = 3_600_000;
const day = 24 * hour;

describe('time poll slots (pure)', () => {
  it('writes and reads a slot as a UTC start and its minutes', () => {
    const start = Date.UTC(2026, 11, 15, 17, 0);
    expect(slotLabel(start, 90)).toBe('2026-12-15T17:00Z/PT90M');
    expect(readSlot('2026-12-15T17:00Z/PT90M')).toEqual({ ok: true, slot: { start, durationMinutes: 90, end: start + 90 * 60_000 } });
  });

  it('refuses labels that are not slots, non-positive or over-long durations, with clear messages', () => {
    expect(readSlot('next Tuesday')).toEqual(expect.objectContaining({ ok: false, reason: 'not_a_slot' }));
    expect(readSlot('2026-02-30T17:00Z/PT60M')).toEqual(expect.objectContaining({ ok: false, reason: 'not_a_slot', message: expect.stringContaining('not a real date') }));
    expect(readSlot('2026-12-15T17:00Z/PT0M')).toEqual(expect.objectContaining({ ok: false, reason: 'duration_not_positive', message: 'a time slot must last at least one minute' }));
    expect(readSlot('2026-12-15T17:00Z/PT-30M')).toEqual(expect.objectContaining({ ok: false, reason: 'duration_not_positive' }));
    expect(readSlot('2026-12-15T17:00Z/PT1441M')).toEqual(expect.objectContaining({ ok: false, reason: 'duration_too_long' }));
  });

  it('names duplicate slots, past slots (given now) and too few slots', () => {
    const a = slotLabel(t0 + day, 60);
    const b = slotLabel(t0 + 2 * day, 60);
    expect(slotProblems([a, b])).toEqual([]);
    expect(slotProblems([a, b, slotLabel(t0 + day, 30)])).toEqual([{ index: 2, reason: 'duplicate_slot', message: 'slot 3 starts at the same time as slot 1' }]);
    expect(slotProblems([slotLabel(t0 - hour, 60), b], t0)).toEqual([expect.objectContaining({ index: 0, reason: 'slot_in_past' })]);
    // Without a clock (what every replica checks) a past slot is not a structural problem.
    expect(slotProblems([slotLabel(t0 - hour, 60), b])).toEqual([]);
    expect(slotProblems([a])).toEqual([expect.objectContaining({ index: -1, reason: 'too_few_slots' })]);
  });

  it('formats a slot on each member’s clock, across a daylight-saving change', () => {
    // Europe/Madrid leaves summer time on 25 October 2026; New York on 1 November.
    const before = readSlot('2026-10-24T16:00Z/PT60M');
    const after = readSlot('2026-10-26T16:00Z/PT60M');
    if (!before.ok || !after.ok) throw new Error('slots');
    expect(formatSlot(before.slot, 'en-GB', 'Europe/Madrid')).toMatch(/24 Oct 2026, 18:00\s*–\s*19:00 CEST/);
    expect(formatSlot(after.slot, 'en-GB', 'Europe/Madrid')).toMatch(/26 Oct 2026, 17:00\s*–\s*18:00 CET/);
    expect(formatSlot(before.slot, 'en-US', 'America/New_York')).toMatch(/12:00\s*–\s*1:00\s*PM EDT/);
    expect(formatSlot(after.slot, 'en-US', 'America/New_York')).toMatch(/12:00\s*–\s*1:00\s*PM EDT/);
    expect(formatSlot(after.slot, 'ja', 'Asia/Tokyo')).toContain('2026');
    expect(formatSlot(after.slot, 'ja', 'Asia/Tokyo')).toContain('1時00分～2時00分');
  });

  it('shows Element a slot in UTC and the circle’s zone', () => {
    const read = readSlot('2026-10-26T16:00Z/PT90M');
    if (!read.ok) throw new Error('slot');
    expect(elementSlotText(read.slot, 'Europe/Madrid')).toBe('2026-10-26 16:00–17:30 UTC (2026-10-26 17:00–18:30 Europe/Madrid)');
    expect(elementSlotText(read.slot, 'UTC')).toBe('2026-10-26 16:00–17:30 UTC');
    const options = [
      { id: ids(), label: '2026-10-26T16:00Z/PT90M' },
      { id: ids(), label: '2026-10-27T16:00Z/PT90M' },
    ];
    const poll = pollForVote({ method: 'time', question: 'When?', options, maxChoices: null, circleZone: 'Europe/Madrid' }, (p) => p);
    expect(poll.maxSelections).toBe(2);
    expect(poll.answers[0]!.text).toContain('Europe/Madrid');
  });

  it('turns the chosen slot into a meeting, and only an option of a closed time poll can be chosen', () => {
    const options = [
      { id: 'a', label: '2026-12-15T17:00Z/PT90M' },
      { id: 'b', label: '2026-12-16T17:00Z/PT60M' },
    ];
    const vote = { voteId: 'v', question: 'Retreat call', method: 'time', options, chosenOption: 'b' };
    expect(meetingOfChosenSlot(vote)).toEqual({ voteId: 'v', title: 'Retreat call', start: Date.UTC(2026, 11, 16, 17), end: Date.UTC(2026, 11, 16, 18) });
    expect(meetingOfChosenSlot({ ...vote, chosenOption: null })).toBeNull();
    expect(meetingOfChosenSlot({ ...vote, method: 'multiple' })).toBeNull();
    expect(chooseSlotProblem(vote, 'b', true)).toBeNull();
    expect(chooseSlotProblem(vote, 'b', false)?.reason).toBe('poll_open');
    expect(chooseSlotProblem(vote, 'zzz', true)?.reason).toBe('not_an_option');
    expect(chooseSlotProblem({ ...vote, method: 'single' }, 'b', true)?.reason).toBe('not_time_poll');
    expect(slotsOf(options).size).toBe(2);
    const meeting = meetingOfChosenSlot(vote)!;
    expect(oneOffOccurrences([meeting], meeting.end, meeting.end + day)).toEqual([]);
    expect(oneOffOccurrences([meeting], meeting.start - day, meeting.start + 1)).toEqual([meeting]);
  });

  it('is refused by the operation schema when a slot is duplicated or not a slot', () => {
    const base = { voteId: ids(), question: 'When?', details: '', method: 'time', quorumPercent: 0 };
    const dup = operationTypes['vote.create'].schema.safeParse({ ...base, options: [{ id: ids(), label: '2026-12-15T17:00Z/PT60M' }, { id: ids(), label: '2026-12-15T17:00Z/PT30M' }] });
    expect(dup.success).toBe(false);
    expect(JSON.stringify(dup.error?.issues)).toContain('starts at the same time');
    const zero = operationTypes['vote.create'].schema.safeParse({ ...base, options: [{ id: ids(), label: '2026-12-15T17:00Z/PT0M' }, { id: ids(), label: '2026-12-16T17:00Z/PT30M' }] });
    expect(JSON.stringify(zero.error?.issues)).toContain('at least one minute');
  });
});

describe('a time poll through the store', () => {
  function setup() {
    const ctx = makeStore({ actor: alice });
    const circle = ids();
    ctx.store.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name: 'Tech', purpose: '', timezone: 'Europe/Madrid' } },
      { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'Europe/Madrid' } },
      { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'Asia/Tokyo' } },
    ]);
    const voteId = ids();
    const options = [1, 2, 3].map((n) => ({ id: ids(), label: slotLabel(t0 + n * day, 60) }));
    ctx.store.applyLocal('vote.create', circle, { voteId, question: 'When shall we meet?', details: '', method: 'time', options, quorumPercent: 0 });
    return { ...ctx, circle, voteId, options };
  }
  const refusal = (reason: string, field?: string) => expect.objectContaining({ params: expect.objectContaining({ reason }), ...(field ? { field } : {}) });

  it('takes ballots, counts each slot, and the chosen slot becomes a meeting of the circle', () => {
    const { store, db, clock, circle, voteId, options } = setup();
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: [options[0]!.id, options[1]!.id] });
    store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: [options[1]!.id] });
    const queries = new GovernanceQueries(db, () => alice, () => clock.now());
    const results = queries.vote(circle, voteId).results;
    expect(JSON.stringify(results)).toContain(options[1]!.id);
    expect(() => store.applyLocal('vote.update', circle, { voteId, fields: { chosenOption: options[1]!.id } })).toThrow(refusal('poll_open', 'payload.fields.chosenOption'));
    store.applyLocal('vote.close', circle, { voteId });
    expect(() => store.applyLocal('vote.update', circle, { voteId, fields: { chosenOption: ids() } })).toThrow(refusal('not_an_option', 'payload.fields.chosenOption'));
    store.applyLocal('vote.update', circle, { voteId, fields: { chosenOption: options[1]!.id } });
    expect(queries.vote(circle, voteId).chosenOption).toBe(options[1]!.id);
    // The exported results read the times, not the stored labels.
    const exported = voteResultsMarkdown(queries.vote(circle, voteId), 'en', 'Europe/Madrid').text;
    expect(exported).toContain('2026-11-24 09:00–10:00 UTC (2026-11-24 10:00–11:00 Europe/Madrid)');
    expect(exported).not.toContain('/PT60M');
    const directory = new GovernanceMeetingDirectory(db, store, new EventBus(), () => clock.now());
    expect(directory.circles()[0]!.oneOff).toEqual([{ voteId, title: 'When shall we meet?', start: t0 + 2 * day, end: t0 + 2 * day + hour }]);
  });

  it('refuses a time poll with a repeated slot arriving from another replica, applying nothing', () => {
    const { store, circle } = setup();
    const voteId = ids();
    const before = store.opsSince(0, 1000).length;
    const payload = { voteId, question: 'When?', details: '', method: 'time' as const, options: [{ id: ids(), label: '2027-01-05T10:00Z/PT60M' }, { id: ids(), label: '2027-01-05T10:00Z/PT90M' }], quorumPercent: 0 };
    const result = store.applyRemote([remoteOp('vote.create', circle, payload, { wall: t0 + 1000 })]);
    expect(result.applied).toEqual([]);
    expect(JSON.stringify(result.rejected)).toContain('starts at the same time');
    expect(store.opsSince(0, 1000).length).toBe(before);
  });

  it('makes no meeting from a choice received for a poll that is still open', () => {
    const { store, db, clock, circle, voteId, options } = setup();
    store.applyRemote([remoteOp('vote.update', circle, { voteId, fields: { chosenOption: options[0]!.id } }, { wall: t0 + 1000 })]);
    const directory = new GovernanceMeetingDirectory(db, store, new EventBus(), () => clock.now());
    expect(directory.circles()[0]!.oneOff).toEqual([]);
  });

  it('refuses slots in the past and the choice of a slot on another vote', () => {
    const { store, circle, voteId } = setup();
    const past = [{ id: ids(), label: slotLabel(t0 - hour, 60) }, { id: ids(), label: slotLabel(t0 + day, 60) }];
    expect(() => store.applyLocal('vote.create', circle, { voteId: ids(), question: 'When?', details: '', method: 'time', options: past, quorumPercent: 0 })).toThrow(
      refusal('slot_in_past', 'payload.options.0.label'),
    );
    const single = ids();
    const yes = ids();
    store.applyLocal('vote.create', circle, { voteId: single, question: 'Yes?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: ids(), label: 'No' }], quorumPercent: 0 });
    store.applyLocal('vote.close', circle, { voteId: single });
    expect(() => store.applyLocal('vote.update', circle, { voteId: single, fields: { chosenOption: yes } })).toThrow(refusal('not_time_poll'));
    expect(voteId).toBeTruthy();
  });

  it('refuses the choice from a member who does not facilitate, on their computer and from the room', () => {
    const { store, clock, circle, voteId, options } = setup();
    store.applyLocal('vote.close', circle, { voteId });
    const bobs = makeStore({ actor: bob, now: clock.now() });
    bobs.store.applyRemote(store.opsSince(0, 100).map((s) => s.op));
    expect(() => bobs.store.applyLocal('vote.update', circle, { voteId, fields: { chosenOption: options[0]!.id } })).toThrow(
      expect.objectContaining({ code: 'forbidden', params: expect.objectContaining({ reason: 'not_facilitator' }) }),
    );
    const facts: AuthorityFacts = { facilitates: (m) => m === alice, contribution: () => null, vote: () => ({ creator: alice }), action: () => null, account: (m) => m };
    const forged = { actor: bob, type: 'vote.update', payload: { voteId, fields: { chosenOption: options[0]!.id } } };
    expect(authorize(forged, bob, facts)).toEqual(expect.objectContaining({ ok: false, reason: 'not_facilitator' }));
    expect(authorize({ ...forged, actor: alice }, bob, facts)).toEqual(expect.objectContaining({ ok: false, reason: 'not_sender' }));
  });
});
