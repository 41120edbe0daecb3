// The trust rules alongside what else sync does to operations (redactions, clocks ahead,
// reused ids, this replica's own refused changes), with events as the coop server delivers them:
// - what a redacted event established (an entry's author) is forgotten, so a replica that read
//   the event before the redaction and one that only sees its shell judge later changes alike;
// - an operation held because its clock is ahead is judged where its event stands in the
//   room's history, not when it is released: a demotion after it does not refuse it, a
//   promotion after it does not let it in;
// - an earlier-stamped copy of an entry, under a reused operation id or a new one, does not
//   make its sender the entry's author;
// - taking back one's own refused change folds the circle again without what is held or
//   withdrawn, and export carries neither kind of taken-back operation;
// - a poll end closes a vote only when both Element's rule (the poll's sender or power to
//   redact) and the trust rule (the vote's creator or a facilitator) let its sender close it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive, writeArchive } from '../../main/core/store/store-archive';
import { inboundFixture, type InboundFixture } from '../helpers/inbound-fixture';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { redactionType } from '../../main/core/sync/redaction';
import { buildPollEnd, buildPollStart, disclosedKind, pollEndType, pollStartType } from '../../main/core/sync/msc3381';
import { voteFromElementPoll } from '../../main/core/sync/poll-mapping';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import type { GovernanceOperation, OperationType, PayloadOf } from '../../shared/governance/operation-types';
import { newId } from '../../shared/governance/ids';
import { remoteOp } from '../helpers/governance';

const now = Date.UTC(2026, 11, 9, 10);
const roomId = '!circle:meet.coop';
const alice = '@alice:meet.coop';
const dan = '@dan:meet.coop';
const erin = '@erin:meet.coop';
const mallory = '@mallory:meet.coop';

let n = 0;
let wall = now - 60_000;
const event = (type: string, sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({
  event_id: `$h${n++}`,
  type,
  sender,
  origin_server_ts: now + n,
  content,
  ...extra,
});
const levels = (users: Record<string, number>) => event('m.room.power_levels', alice, { users, users_default: 0 }, { state_key: '' });
const sync = (timeline: MatrixRawEvent[], state: MatrixRawEvent[] = []): SyncResponse => ({ next_batch: 's', rooms: { join: { [roomId]: { state: { events: state }, timeline: { events: timeline } } } } });

function circleOf() {
  const circle = newId(now);
  const op = <T extends OperationType>(type: T, payload: PayloadOf<T>, actor: string, at = wall++) => remoteOp(type, circle, payload, { wall: at, actor, node: actor.replace(/[^a-z]/g, '').slice(0, 5) });
  const opsOf = (sender: string, ops: GovernanceOperation[]) => event(opsEventType, sender, encodeOpsContent(newId(now), circle, ops as Operation[]) as unknown as Record<string, unknown>);
  const create = event('m.room.create', alice, { room_version: '12', 'coop.meet.plenary.circle': circle }, { state_key: '' });
  const setupOps = [
    op('circle.create', { name: 'Tech ops', purpose: '', timezone: 'UTC' }, alice),
    op('circle.member.set', { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, alice),
    op('circle.member.set', { member: dan, displayName: 'Dan', role: 'facilitator', timezone: 'UTC' }, alice),
    op('circle.member.set', { member: erin, displayName: 'Erin', role: 'member', timezone: 'UTC' }, alice),
    op('circle.member.set', { member: mallory, displayName: 'Mallory', role: 'member', timezone: 'UTC' }, alice),
  ];
  // The same operations for every replica (each call is the event as another replica reads it).
  const setup = () => opsOf(alice, setupOps);
  const entry = (contributionId: string, member: string, at?: number) =>
    op('contribution.create', { contributionId, member, date: '2026-12-08', minutes: 30, stream: 'care', description: 'Answered support', tags: [] }, member, at);
  const replica = (self: string, clock: number | (() => number) = now): InboundFixture => {
    const f = inboundFixture({ self, now: clock });
    f.rooms.remember(circle, roomId);
    return f;
  };
  return { circle, op, opsOf, create, setup, entry, replica };
}

const quarantined = (f: InboundFixture) => f.db.prepare('SELECT reason FROM sync_quarantine ORDER BY id').pluck().all() as string[];
const minutesOf = (f: InboundFixture, contributionId: string) => f.db.prepare('SELECT minutes FROM gov_contributions WHERE contribution_id = ? AND created_v IS NOT NULL').pluck().get(contributionId);

describe('what a redacted event established', () => {
  it('is forgotten, so replicas that read the event before and after its redaction refuse the same later change', async () => {
    const c = circleOf();
    const contributionId = newId(now);
    const logged = c.opsOf(erin, [c.entry(contributionId, erin)]);
    const redaction = event(redactionType, erin, { redacts: logged.event_id, reason: 'logged in the wrong circle' });
    const edit = c.opsOf(erin, [c.op('contribution.update', { contributionId, fields: { minutes: 45 } }, erin)]);

    // One replica reads the entry, then its redaction, then Erin's edit of it.
    const before = c.replica(alice);
    await before.inbound.onSync(sync([c.setup(), logged], [c.create, levels({ [alice]: 100, [dan]: 50 })]));
    expect(minutesOf(before, contributionId)).toBe(30);
    await before.inbound.onSync(sync([redaction, edit]));

    // Another only ever sees the redacted shell.
    const after = c.replica(dan);
    const shell: MatrixRawEvent = { ...logged, content: {}, unsigned: { redacted_because: redaction } };
    await after.inbound.onSync(sync([c.setup(), shell, redaction, edit], [c.create, levels({ [alice]: 100, [dan]: 50 })]));

    for (const f of [before, after]) {
      expect(minutesOf(f, contributionId)).toBeUndefined();
      expect(quarantined(f)).toEqual([expect.stringContaining(`no contribution ${contributionId} is known at this point`)]);
      expect(f.db.prepare('SELECT count(*) FROM sync_history_contributions WHERE contribution_id = ?').pluck().get(contributionId)).toBe(0);
    }
    expect(before.store.stateDigest()).toBe(after.store.stateDigest());
  });

  it('keeps what the operations still live establish', async () => {
    const c = circleOf();
    const contributionId = newId(now);
    const created = c.entry(contributionId, erin);
    const logged = c.opsOf(erin, [created]);
    // The same operation sent again in a second event (a retry from a new login): one redaction leaves it live.
    const again = c.opsOf(erin, [created]);
    const f = c.replica(alice);
    await f.inbound.onSync(sync([c.setup(), logged, again, event(redactionType, erin, { redacts: logged.event_id })], [c.create, levels({ [alice]: 100 })]));
    await f.inbound.onSync(sync([c.opsOf(erin, [c.op('contribution.update', { contributionId, fields: { minutes: 45 } }, erin)])]));
    expect(minutesOf(f, contributionId)).toBe(45);
    expect(quarantined(f)).toEqual([]);
  });
});

describe('an operation held because its clock is ahead', () => {
  it('is judged where its event stands in the room’s history, not when it is released', async () => {
    const c = circleOf();
    let clock = now;
    const f = c.replica(erin, () => clock);
    const ahead = now + 3_600_000;
    // Dan, a facilitator when he sends it, renames the circle from a clock an hour ahead; then he is demoted.
    const renamed = c.opsOf(dan, [c.op('circle.update', { fields: { name: 'Dan’s ops' } }, dan, ahead)]);
    // Mallory, a member when she sends it, does the same; then she is promoted.
    const forged = c.opsOf(mallory, [c.op('circle.update', { fields: { purpose: 'Mallory’s now' } }, mallory, ahead + 1)]);
    await f.inbound.onSync(sync([c.setup(), renamed, forged, levels({ [alice]: 100, [mallory]: 50 })], [c.create, levels({ [alice]: 100, [dan]: 50 })]));
    expect(f.reads.circle(c.circle)?.name).toBe('Tech ops');
    expect(f.store.heldSummary()).toEqual({ count: 1, until: expect.any(Number) });
    expect(quarantined(f)).toEqual([expect.stringContaining('circle.update needs facilitator rights')]);

    clock = ahead;
    expect(f.store.releaseDue()).toBe(1);
    expect(f.reads.circle(c.circle)).toMatchObject({ name: 'Dan’s ops', purpose: '' });
  });
});

describe('an earlier-stamped copy of someone’s entry', () => {
  it('does not make its sender the entry’s author, under a reused operation id or a new one', async () => {
    const c = circleOf();
    const contributionId = newId(now);
    const real = c.entry(contributionId, erin);
    const f = c.replica(alice);
    await f.inbound.onSync(sync([c.setup(), c.opsOf(erin, [real])], [c.create, levels({ [alice]: 100 })]));

    // Same operation id, other content (Mallory's, stamped before Erin's); then a new id, also earlier.
    const reused = { ...c.entry(contributionId, mallory, now - 3_600_000), id: real.id };
    const fresh = c.entry(contributionId, mallory, now - 3_600_000);
    const takeOver = c.op('contribution.delete', { contributionId }, mallory);
    await f.inbound.onSync(sync([c.opsOf(mallory, [reused]), c.opsOf(mallory, [fresh]), c.opsOf(mallory, [takeOver])]));

    expect(f.db.prepare('SELECT author, member FROM sync_history_contributions WHERE contribution_id = ?').get(contributionId)).toEqual({ author: erin, member: erin });
    expect(minutesOf(f, contributionId)).toBe(30);
    expect(quarantined(f)).toEqual([
      expect.stringContaining(`operation id ${real.id} was already received with other content`),
      expect.stringContaining(`the entry was already logged by ${erin}`),
      expect.stringContaining('needs its member, its author or a facilitator'),
    ]);
  });
});

describe('taking back this replica’s own refused change', () => {
  it('folds the circle again without what is held or withdrawn, and export carries neither', async () => {
    const c = circleOf();
    const self = dan;
    const f = c.replica(self);
    const contributionId = newId(now);
    const logged = c.opsOf(erin, [c.entry(contributionId, erin)]);
    const held = c.opsOf(alice, [c.op('circle.update', { fields: { purpose: 'From a clock an hour ahead' } }, alice, now + 3_600_000)]);
    await f.inbound.onSync(sync([c.setup(), logged, held, event(redactionType, erin, { redacts: logged.event_id })], [c.create, levels({ [alice]: 100, [dan]: 50 })]));
    expect(minutesOf(f, contributionId)).toBeUndefined();

    // Dan renames the circle offline while he is demoted; his event comes back refused.
    const renamed = f.store.applyLocal('circle.update', c.circle, { fields: { name: 'Dan’s ops' } });
    await f.inbound.onSync(sync([levels({ [alice]: 100 }), c.opsOf(dan, [renamed])]));

    expect(f.withdrawn.list()).toEqual([expect.objectContaining({ opId: renamed.id, reason: 'not_facilitator' })]);
    expect(f.reads.circle(c.circle)).toMatchObject({ name: 'Tech ops', purpose: '' });
    expect(minutesOf(f, contributionId)).toBeUndefined();
    expect(f.store.heldSummary()).toEqual({ count: 1, until: expect.any(Number) });

    const file = join(mkdtempSync(join(tmpdir(), 'plenary-trust-')), 'export.plenary');
    await writeArchive(f.db, file, { appVersion: '0.1.0-test', now });
    const exported: string[] = [];
    await readArchive(file, (lines) => {
      for (const line of lines) if (line.t === 'op') exported.push(line.op.id);
    });
    const withdrawnEntry = f.db.prepare("SELECT id FROM ops WHERE type = 'contribution.create' AND withdrawn = 1").pluck().get() as string;
    expect(exported.length).toBeGreaterThan(0);
    expect(exported).not.toContain(renamed.id);
    expect(exported).not.toContain(withdrawnEntry);
    rmSync(dirname(file), { recursive: true, force: true });
  });
});

describe('the end of a vote’s poll', () => {
  it('closes the vote only when both Element and the trust rule let its sender end it', async () => {
    const c = circleOf();
    const f = c.replica(erin);
    const poll = { question: 'Lunch?', answers: [{ id: 's', text: 'Soup' }, { id: 'l', text: 'Salad' }], maxSelections: 1, kind: disclosedKind };
    const start = event(pollStartType, dan, buildPollStart(poll));
    const voteId = voteFromElementPoll(start.event_id, start.origin_server_ts, poll).voteId;
    // Anyone may redact others' events in this room (Element accepts Mallory's end); only Alice and Dan facilitate.
    const roomLevels = event('m.room.power_levels', alice, { users: { [alice]: 100, [dan]: 50 }, users_default: 0, redact: 0 }, { state_key: '' });
    await f.inbound.onSync(sync([c.setup(), start, event(pollEndType, mallory, buildPollEnd(start.event_id, 'ended'))], [c.create, roomLevels]));
    expect(f.reads.vote(voteId)).toMatchObject({ createdBy: dan });
    expect(f.db.prepare('SELECT closed_v FROM gov_votes WHERE vote_id = ?').pluck().get(voteId)).toBeNull();
    expect(quarantined(f)).toEqual([expect.stringContaining(`${mallory} may not end this poll: only the vote's creator (${dan}) or a facilitator may close it`)]);

    await f.inbound.onSync(sync([event(pollEndType, alice, buildPollEnd(start.event_id, 'ended'))]));
    expect(f.db.prepare('SELECT closed_by FROM gov_votes WHERE vote_id = ?').pluck().get(voteId)).toBe(alice);
  });
});
