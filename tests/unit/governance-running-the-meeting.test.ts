// Running the meeting: timeboxes, the item the assembly is on (its timer runs from the
// operation's clock), action items that their owners tick off (also after the assembly),
// on Today and in the minutes, and the minutes posted to the circle's chat room.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeStore, remoteOp, alice, bob, carol, ids, t0 } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { minutesMarkdown } from '../../main/core/governance/governance-exports';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import type { CircleDetail } from '../../shared/governance/views';

function setup() {
  const ctx = makeStore();
  const { store, db, clock } = ctx;
  const circle = ids();
  const assemblyId = ids();
  const items = [ids(), ids()];
  store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Care', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' } },
    { type: 'assembly.create', circle, payload: { assemblyId, title: 'AGM' } },
    { type: 'assembly.agenda.set', circle, payload: { assemblyId, itemId: items[0]!, title: 'Budget', position: 0, timeboxMinutes: 15 } },
    { type: 'assembly.agenda.set', circle, payload: { assemblyId, itemId: items[1]!, title: 'Rota', position: 1 } },
  ]);
  const queries = (actor = alice) => new GovernanceQueries(db, () => actor, () => clock.now());
  return { ...ctx, circle, assemblyId, items, queries };
}

const refusal = (reason: string) => expect.objectContaining({ params: expect.objectContaining({ reason }) });

describe('running the meeting', () => {
  it('keeps timeboxes and the current item, whose timer starts when it became current', () => {
    const { store, circle, assemblyId, items, queries, clock } = setup();
    expect(() => store.applyLocal('assembly.agenda.current', circle, { assemblyId, itemId: items[0]! })).toThrow(refusal('assembly_not_open'));
    store.applyLocal('assembly.open', circle, { assemblyId });
    clock.advance(60_000);
    store.applyLocal('assembly.agenda.current', circle, { assemblyId, itemId: items[0]! });
    let assembly = queries().assembly(circle, assemblyId);
    expect(assembly.agenda.map((i) => i.timeboxMinutes)).toEqual([15, null]);
    expect(assembly.currentItem).toEqual({ itemId: items[0], since: t0 + 60_000 });
    clock.advance(900_000);
    store.applyLocal('assembly.agenda.current', circle, { assemblyId, itemId: items[1]! });
    expect(queries().assembly(circle, assemblyId).currentItem).toEqual({ itemId: items[1], since: t0 + 960_000 });
    expect(() => store.applyLocal('assembly.agenda.current', circle, { assemblyId, itemId: ids() })).toThrow(refusal('agenda_item_missing'));
    store.applyLocal('assembly.agenda.current', circle, { assemblyId, itemId: null });
    expect(queries().assembly(circle, assemblyId).currentItem).toBeNull();
    store.applyLocal('assembly.agenda.current', circle, { assemblyId, itemId: items[0]! });
    store.applyLocal('assembly.close', circle, { assemblyId });
    assembly = queries().assembly(circle, assemblyId);
    expect(assembly.currentItem).toBeNull();
  });

  it('lists action items in the assembly, on their owner’s Today and in the minutes; owners tick them off, also afterwards', () => {
    const { store, circle, assemblyId, items, queries, clock } = setup();
    store.applyLocal('assembly.open', circle, { assemblyId });
    const [fix, call] = [ids(), ids()];
    store.applyLocal('assembly.action.set', circle, { assemblyId, actionId: fix, itemId: items[0]!, text: 'Fix the budget sheet', owner: bob, due: '2026-12-01' });
    store.applyLocal('assembly.action.set', circle, { assemblyId, actionId: call, text: 'Call the host', owner: carol });
    expect(() => store.applyLocal('assembly.action.set', circle, { assemblyId, actionId: ids(), text: 'x', owner: '@mallory:elsewhere.example' })).toThrow(refusal('not_member'));
    expect(queries().assembly(circle, assemblyId).actions.map((a) => [a.text, a.ownerName, a.due, a.done])).toEqual([
      ['Fix the budget sheet', 'Bob', '2026-12-01', false],
      ['Call the host', 'Carol', null, false],
    ]);
    expect(queries(bob).myActions().map((a) => [a.text, a.assemblyTitle, a.circleName])).toEqual([['Fix the budget sheet', 'AGM', 'Care']]);
    store.applyLocal('assembly.close', circle, { assemblyId });
    expect(minutesMarkdown(queries().assembly(circle, assemblyId), 'en', 'UTC').text).toContain('## Action items\n\n- [ ] Fix the budget sheet — **Bob**, due 2026-12-01\n- [ ] Call the host — **Carol**');

    // After the assembly, Bob ticks his off on his own computer; Carol's is not his to tick.
    const bobs = makeStore({ actor: bob, now: t0 + 3_600_000 });
    bobs.store.applyRemote(store.opsSince(0, 1000).map((s) => s.op));
    bobs.store.applyLocal('assembly.action.done', circle, { assemblyId, actionId: fix, owner: bob, done: true });
    // Whose it is comes from the item itself (the one authorisation rule), not from what the operation claims.
    expect(() => bobs.store.applyLocal('assembly.action.done', circle, { assemblyId, actionId: call, owner: carol, done: true })).toThrow(refusal('not_action_owner'));
    expect(() => bobs.store.applyLocal('assembly.action.done', circle, { assemblyId, actionId: call, owner: bob, done: true })).toThrow(refusal('not_action_owner'));
    // A facilitator may tick it off, naming its owner as it is.
    expect(() => store.applyLocal('assembly.action.done', circle, { assemblyId, actionId: call, owner: bob, done: true })).toThrow(refusal('action_owner'));
    clock.advance(3_600_000);
    expect(store.applyRemote(bobs.store.opsSince(0, 1000).map((s) => s.op)).rejected).toEqual([]);
    expect(queries(bob).myActions()).toEqual([]);
    expect(minutesMarkdown(queries().assembly(circle, assemblyId), 'en', 'UTC').text).toContain('- [x] Fix the budget sheet — **Bob**');
  });

  it('folds an action ticked off before it was seen', () => {
    const { store, circle, assemblyId, queries } = setup();
    const actionId = ids();
    store.applyRemote([remoteOp('assembly.action.done', circle, { assemblyId, actionId, owner: bob, done: true }, { wall: t0 + 2000, actor: bob })]);
    expect(queries().assembly(circle, assemblyId).actions).toEqual([]);
    store.applyRemote([remoteOp('assembly.action.set', circle, { assemblyId, actionId, text: 'Late', owner: bob }, { wall: t0 + 1000 })]);
    expect(queries().assembly(circle, assemblyId).actions.map((a) => [a.text, a.done])).toEqual([['Late', true]]);
  });
});

describe('posting the minutes to the circle’s chat', () => {
  const dirs: string[] = [];
  let core: Core;
  afterEach(() => {
    core?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the minutes as one message to the circle’s room, and says what is missing when it cannot', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-post-'));
    dirs.push(dataDir);
    core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock: new FakeClock(t0) });
    const call = async (channel: string, input: unknown) => core.dispatch(channel, input, { transport: 'test' });
    const circle = ((await call('governance.createCircle', { name: 'Care', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' })) as { value: CircleDetail }).value;
    const assemblyId = ids();
    await call('governance.apply', { type: 'assembly.create', circle: circle.id, payload: { assemblyId, title: 'AGM' } });
    const post = () => call('governance.postMinutes', { circleId: circle.id, assemblyId, locale: 'en' });
    expect(await post()).toMatchObject({ ok: false, error: { code: 'forbidden', params: { reason: 'signed_out' } } });

    // Stand-ins for a signed-in session and the chat (the real ones need a homeserver).
    vi.spyOn(core.services.matrix, 'session').mockReturnValue({ userId: '@alice:meet.coop' } as ReturnType<typeof core.services.matrix.session>);
    expect(await post()).toMatchObject({ ok: false, error: { code: 'not_found', field: 'circleId', params: { reason: 'no_circle_room' } } });
    vi.spyOn(core.services.sync.rooms, 'roomOf').mockReturnValue('!care:meet.coop');
    const send = vi.spyOn(core.services.chat, 'send').mockReturnValue({ txnId: 'txn-1' });
    expect(await post()).toEqual({ ok: true, value: { txnId: 'txn-1' } });
    expect(send).toHaveBeenCalledWith({ roomId: '!care:meet.coop', text: expect.stringContaining('# AGM\n\n**Care**') });
  });
});
