// The governance calls through the real dispatcher: strict inputs, reads, the change event,
// and the exported CSV and Markdown.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import { csvCell } from '../../main/core/governance/governance-exports';
import { newId } from '../../shared/governance/ids';
import type { CircleDetail, ContributionPage, ExportFile, VoteDetail, ContributionSummaryRow, AssemblyDetail } from '../../shared/governance/views';
import { alice, bob, carol, remoteOp, t0 } from '../helpers/governance';

const dirs: string[] = [];
let core: Core;

function start() {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-gov-'));
  dirs.push(dataDir);
  const clock = new FakeClock(t0);
  core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock });
  const events: unknown[] = [];
  core.events.subscribe((name, payload) => name === 'governance.changed' && events.push(payload));
  return { clock, events };
}

async function call<T>(channel: string, input: unknown): Promise<T> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as T;
}

async function failure(channel: string, input: unknown) {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  expect(outcome.ok).toBe(false);
  return outcome.ok ? null! : outcome.error;
}

afterEach(() => {
  core?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function circleWithMembers() {
  const circle = await call<CircleDetail>('governance.createCircle', { name: 'Tech ops', purpose: 'Servers', timezone: 'Europe/Madrid', displayName: 'Alice', memberTimezone: 'Europe/Madrid' });
  for (const [member, displayName, timezone] of [
    [bob, 'Bob', 'America/Toronto'],
    [carol, '=Carol, "the admin"', 'Asia/Tokyo'],
  ] as const) {
    await call('governance.apply', { type: 'circle.member.set', circle: circle.id, payload: { member, displayName, role: 'member', timezone } });
  }
  return circle;
}

describe('governance calls', () => {
  it('creates a circle with the local user as facilitator and announces the change', async () => {
    const { events } = start();
    const circle = await circleWithMembers();
    expect(circle).toMatchObject({ name: 'Tech ops', myRole: 'facilitator', canFacilitate: true, memberCount: 1 });
    expect(circle.members[0]).toMatchObject({ member: core.services.localActor, displayName: 'Alice', role: 'facilitator' });
    const detail = await call<CircleDetail>('governance.circle', { circleId: circle.id });
    expect(detail.members.map((m) => m.displayName)).toEqual(['=Carol, "the admin"', 'Alice', 'Bob']);
    expect(events).toContainEqual({ circles: [circle.id] });
  });

  it('refuses loose or malformed input, naming the field', async () => {
    start();
    const circle = await circleWithMembers();
    expect((await failure('governance.apply', { type: 'circle.archive', circle: circle.id, payload: {}, extra: 1 })).code).toBe('invalid_input');
    expect((await failure('governance.apply', { type: 'vote.explode', circle: circle.id, payload: {} })).code).toBe('invalid_input');
    const minutes = await failure('governance.apply', {
      type: 'contribution.create',
      circle: circle.id,
      payload: { contributionId: newId(), member: bob, date: '2026-11-20', minutes: -5, stream: 'care', description: '', tags: [] },
    });
    expect(minutes.field).toBe('payload.minutes');
    expect((await failure('governance.circle', { circleId: newId() })).code).toBe('not_found');
    expect((await failure('governance.contributions', { filter: {}, limit: 10_000, offset: 0 })).field).toBe('limit');
    // A time zone that is not one carries a reason the interface translates, in the call and in an operation.
    const zone = await failure('governance.createCircle', { name: 'Care', purpose: '', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'アナ' });
    expect(zone).toMatchObject({ code: 'invalid_input', field: 'memberTimezone', params: { reason: 'unknown_time_zone' } });
    const member = await failure('governance.apply', { type: 'circle.member.set', circle: circle.id, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'Nowhere Land' } });
    expect(member).toMatchObject({ field: 'payload.timezone', params: { reason: 'unknown_time_zone' } });
  });

  it('runs an assembly with a consent vote and exports minutes with the tally', async () => {
    const { clock } = start();
    const circle = await circleWithMembers();
    const assemblyId = newId();
    const itemId = newId();
    const voteId = newId();
    const apply = (type: string, payload: unknown) => call('governance.apply', { type, circle: circle.id, payload });
    await apply('assembly.create', { assemblyId, title: 'November all-hands', scheduledAt: t0 });
    await apply('assembly.agenda.set', { assemblyId, itemId, title: 'Budget | 2027', position: 0 });
    await apply('assembly.open', { assemblyId });
    await apply('assembly.attendance.set', { assemblyId, member: core.services.localActor, status: 'present' });
    await apply('assembly.attendance.set', { assemblyId, member: bob, status: 'present' });
    await apply('assembly.attendance.set', { assemblyId, member: carol, status: 'apologies' });
    await apply('vote.create', { voteId, assemblyId, itemId, question: 'Adopt the 2027 budget?', details: '', method: 'consent', options: [], quorumPercent: 50 });
    await apply('vote.ballot', { voteId, voter: core.services.localActor, choice: 'agree' });
    await apply('vote.ballot', { voteId, voter: bob, choice: 'object', reason: 'Too little for care work' });
    await apply('assembly.minutes.set', { assemblyId, itemId, markdown: 'Discussed the **budget**.\n\n- Bob objected.' });
    clock.advance(60_000);
    await apply('vote.close', { voteId });
    await apply('vote.update', { voteId, fields: { outcome: 'Adopted with a review in March.' } });
    await apply('assembly.recording.add', { assemblyId, recordingId: newId(), url: 'https://meet.coop/playback/presentation/2.3/abc', label: 'Main room' });
    await apply('assembly.close', { assemblyId });

    const vote = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
    expect(vote).toMatchObject({ status: 'closed', results: { consent: { outcome: 'passes', positions: { agree: 1, object: 1 } }, quorum: { required: 2, turnout: 2, met: true } } });
    expect(vote.ballots.map((b) => [b.voterName, b.actorName, b.state])).toEqual([
      ['Alice', 'Alice', 'counted'],
      ['Bob', 'Alice', 'counted'],
    ]);
    expect(vote.undecided.map((m) => m.member)).toEqual([carol]);

    const assembly = await call<AssemblyDetail>('governance.assembly', { circleId: circle.id, assemblyId });
    expect(assembly.status).toBe('closed');
    const minutes = await call<ExportFile>('governance.exportMinutes', { circleId: circle.id, assemblyId, locale: 'en' });
    expect(minutes.filename).toBe('minutes-2026-11-22-november-all-hands.md');
    // Times name the circle's zone.
    expect(minutes.text).toContain('**Tech ops** · November 22, 2026 at 10:00 AM (Europe/Madrid) · Closed');
    expect(minutes.text).toMatch(/Closed November 22, 2026 at \d+:\d\d [AP]M \(Europe\/Madrid\)\./);
    expect(minutes.text).toContain('# November all-hands');
    expect(minutes.text).toContain('- **Present** (2): Alice, Bob');
    expect(minutes.text).toContain('- **Apologies** (1): =Carol, "the admin"');
    expect(minutes.text).toContain('### 1. Budget \\| 2027');
    expect(minutes.text).toContain('Discussed the **budget**.');
    expect(minutes.text).toContain('#### Decision: Adopt the 2027 budget?');
    expect(minutes.text).toContain('- Result: **Passes**');
    expect(minutes.text).toContain('| Object | 1 |');
    expect(minutes.text).toContain('- Bob (Object): Too little for care work');
    expect(minutes.text).toContain('**Outcome:** Adopted with a review in March.');
    expect(minutes.text).toContain('## Recordings\n\n- [Main room](<https://meet.coop/playback/presentation/2.3/abc>)');

    const results = await call<ExportFile>('governance.exportVoteResults', { circleId: circle.id, voteId, locale: 'de' });
    expect(results.text).toContain('# Adopt the 2027 budget?');
    expect(results.text).toContain('| Bob (erfasst von Alice) | Einwand | Too little for care work |');
  });

  it('takes a show-of-hands count and accepts a late ballot only when a facilitator says so', async () => {
    const { clock } = start();
    const circle = await circleWithMembers();
    const apply = (type: string, payload: unknown) => call('governance.apply', { type, circle: circle.id, payload });
    const [yes, no] = [newId(), newId()];
    const options = [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }];
    const counted = newId();
    await apply('vote.create', { voteId: counted, question: 'Hands up?', details: '', method: 'counted', options, quorumPercent: 50 });
    expect((await failure('governance.apply', { type: 'vote.ballot', circle: circle.id, payload: { voteId: counted, voter: bob, choice: yes } })).params?.reason).toBe('counted_vote');
    expect((await failure('governance.apply', { type: 'vote.count', circle: circle.id, payload: { voteId: counted, totals: { [newId()]: 1 } } })).code).toBe('invalid_input');
    await apply('vote.count', { voteId: counted, totals: { [yes]: 2, [no]: 0 }, abstain: 1 });
    const hands = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId: counted });
    expect(hands.results).toMatchObject({ winners: [yes], abstain: 1, quorum: { turnout: 3, required: 2, met: true } });
    expect(hands.count).toEqual({ totals: { [yes]: 2, [no]: 0 }, abstain: 1 });

    const single = newId();
    await apply('vote.create', { voteId: single, question: 'Pick one', details: '', method: 'single', options, quorumPercent: 0 });
    expect((await failure('governance.apply', { type: 'vote.count', circle: circle.id, payload: { voteId: single, totals: { [yes]: 1 } } })).params?.reason).toBe('not_counted_vote');
    await apply('vote.ballot', { voteId: single, voter: bob, choice: no });
    clock.advance(1000);
    await apply('vote.close', { voteId: single });
    // Carol's ballot was cast offline before she heard the vote had closed; it syncs in late.
    const late = remoteOp('vote.ballot', circle.id, { voteId: single, voter: carol, choice: yes }, { wall: clock.now() + 1000, actor: carol });
    core.services.governance.applyRemote([late]);
    let vote = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId: single });
    expect(vote.ballots.map((b) => [b.voterName, b.state])).toEqual([
      ['Bob', 'counted'],
      ['=Carol, "the admin"', 'late'],
    ]);
    expect(vote.results).toMatchObject({ winners: [no], late: 1 });
    const early = vote.ballots[0]!.opId;
    expect((await failure('governance.apply', { type: 'vote.acceptLate', circle: circle.id, payload: { voteId: single, ballotOpId: early } })).params?.reason).toBe('ballot_not_late');
    await apply('vote.acceptLate', { voteId: single, ballotOpId: late.id });
    vote = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId: single });
    expect(vote.results).toMatchObject({ winners: [yes, no], tie: true, late: 0 });
  });

  it('summarises contributions from running totals and exports safe CSV', async () => {
    start();
    const circle = await circleWithMembers();
    const log = (member: string, date: string, minutes: number, stream: string, description: string) =>
      call('governance.apply', { type: 'contribution.create', circle: circle.id, payload: { contributionId: newId(), member, date, minutes, stream, description, tags: ['ops'] } });
    await log(core.services.localActor, '2026-10-05', 90, 'livelihood', 'Server upgrade');
    await log(bob, '2026-11-02', 30, 'care', '=HYPERLINK("http://evil")');
    await log(carol, '2026-11-03', 45, 'commons', 'Docs, "handbook"\nsecond line');

    const page = await call<ContributionPage>('governance.contributions', { filter: { circleId: circle.id }, limit: 2, offset: 0 });
    expect(page).toMatchObject({ total: 3, totalMinutes: 165 });
    expect(page.items.map((i) => i.date)).toEqual(['2026-11-03', '2026-11-02']);
    expect((await call<ContributionPage>('governance.contributions', { filter: { text: 'handbook' }, limit: 10, offset: 0 })).total).toBe(1);
    expect((await call<ContributionPage>('governance.contributions', { filter: { tag: 'ops', from: '2026-11-01' }, limit: 10, offset: 0 })).total).toBe(2);

    const summary = await call<ContributionSummaryRow[]>('governance.contributionSummary', { groupBy: ['month', 'stream'], filter: {} });
    expect(summary).toEqual([
      { month: '2026-10', stream: 'livelihood', minutes: 90, entries: 1 },
      { month: '2026-11', stream: 'care', minutes: 30, entries: 1 },
      { month: '2026-11', stream: 'commons', minutes: 45, entries: 1 },
    ]);
    const byMember = await call<ContributionSummaryRow[]>('governance.contributionSummary', { groupBy: ['member'], filter: { fromMonth: '2026-11' } });
    expect(byMember.map((r) => [r.memberName, r.minutes])).toEqual([
      ['Bob', 30],
      ['=Carol, "the admin"', 45],
    ]);

    const csv = await call<ExportFile>('governance.exportContributions', { filter: {}, locale: 'en' });
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('Date,Member,Member ID,Circle,Value stream,Minutes,Hours,Description,Tags');
    // Matrix ids stay as they are; formulas are defused.
    expect(lines).toContain(`2026-11-02,Bob,${bob},Tech ops,Care,30,0.50,"'=HYPERLINK(""http://evil"")",ops`);
    expect(csv.text).toContain(`2026-11-03,"'=Carol, ""the admin""",${carol},Tech ops,Commons,45,0.75,"Docs, ""handbook""\nsecond line",ops\r\n`);
  });

  it('quotes and defuses CSV cells by RFC 4180 and OWASP rules', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    for (const start of ['=', '+', '-', '@', '\t']) expect(csvCell(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    // A whole Matrix id is kept intact; anything else starting with @ is still defused.
    for (const id of ['@bob:meet.coop', '@ana.m_2=x/y+z:matrix.example.org:8448', '@x:[::1]:8008']) expect(csvCell(id)).toBe(id);
    for (const text of ['@SUM(A1)', '@bob:meet.coop|cmd', '@a:b c', "@x:y'!A0"]) expect(csvCell(text).replace(/^"/, '')).toMatch(/^'@/);
    expect(csvCell('')).toBe('—');
  });
});

void alice;
