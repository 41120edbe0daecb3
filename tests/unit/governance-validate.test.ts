import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateOperation, validateOperationWithZod } from '../../shared/governance/validate-operation';
import { fastValidate } from '../../shared/governance/fast-validate';
import { operationTypeNames } from '../../shared/governance/operation-types';
import { formatHlc } from '../../shared/governance/hlc';
import { newId } from '../../shared/governance/ids';

const circle = newId();
const base = { id: newId(), hlc: formatHlc({ wall: Date.UTC(2026, 10, 22), counter: 0, node: 'n1' }), actor: '@alice:meet.coop', circle, v: 1 };
const contribution = { contributionId: newId(), member: '@alice:meet.coop', date: '2026-11-20', minutes: 90, stream: 'care', description: 'Onboarding call', tags: ['onboarding'] };

function error(raw: unknown) {
  const result = validateOperation(raw);
  expect(result.ok).toBe(false);
  return result.ok ? null! : result.error;
}

describe('validateOperation', () => {
  it('accepts a well-formed operation and returns it typed', () => {
    const result = validateOperation({ ...base, type: 'contribution.create', payload: contribution });
    expect(result).toEqual({ ok: true, op: { ...base, type: 'contribution.create', payload: contribution } });
  });

  it('knows every type in the design', () => {
    expect(operationTypeNames).toEqual(
      expect.arrayContaining([
        'circle.create', 'circle.update', 'circle.member.set', 'circle.member.remove', 'circle.room.add', 'circle.room.remove', 'circle.archive',
        'assembly.create', 'assembly.update', 'assembly.open', 'assembly.close', 'assembly.agenda.set', 'assembly.agenda.remove',
        'assembly.attendance.set', 'assembly.minutes.set', 'assembly.decision.link', 'assembly.recording.add',
        'vote.create', 'vote.update', 'vote.ballot', 'vote.count', 'vote.close', 'vote.acceptLate',
        'contribution.create', 'contribution.update', 'contribution.delete',
      ]),
    );
  });

  it('refuses a non-object and a missing envelope field, naming it', () => {
    expect(error(null).code).toBe('invalid_input');
    expect(error('op').code).toBe('invalid_input');
    const { hlc: _hlc, ...noHlc } = base;
    expect(error({ ...noHlc, type: 'circle.archive', payload: {} }).field).toBe('hlc');
    expect(error({ ...base, actor: 'alice', type: 'circle.archive', payload: {} }).field).toBe('actor');
    expect(error({ ...base, id: 'short', type: 'circle.archive', payload: {} }).field).toBe('id');
    expect(error({ ...base, extra: 1, type: 'circle.archive', payload: {} }).code).toBe('invalid_input');
  });

  it('refuses an unknown type, naming the type field', () => {
    const e = error({ ...base, type: 'circle.drop', payload: {} });
    expect(e.field).toBe('type');
    expect(e.message).toContain('unknown operation type "circle.drop"');
  });

  it('refuses other schema versions, telling a newer one to update', () => {
    const newer = error({ ...base, v: 2, type: 'circle.archive', payload: {} });
    expect(newer.field).toBe('v');
    expect(newer.message).toContain('update Plenary');
    expect(error({ ...base, v: 0, type: 'circle.archive', payload: {} }).field).toBe('v');
  });

  it('refuses malformed payloads with the field path', () => {
    expect(error({ ...base, type: 'contribution.create', payload: { ...contribution, minutes: -30 } }).field).toBe('payload.minutes');
    expect(error({ ...base, type: 'contribution.create', payload: { ...contribution, minutes: 0 } }).field).toBe('payload.minutes');
    expect(error({ ...base, type: 'contribution.create', payload: { ...contribution, minutes: 1.5 } }).field).toBe('payload.minutes');
    expect(error({ ...base, type: 'contribution.create', payload: { ...contribution, date: '2026-02-30' } }).field).toBe('payload.date');
    expect(error({ ...base, type: 'contribution.create', payload: { ...contribution, stream: 'paid' } }).field).toBe('payload.stream');
    expect(error({ ...base, type: 'contribution.create', payload: { ...contribution, extra: true } }).code).toBe('invalid_input');
    expect(error({ ...base, type: 'circle.create', payload: { name: '  ', purpose: '', timezone: 'UTC' } }).field).toBe('payload.name');
    expect(error({ ...base, type: 'circle.create', payload: { name: 'x'.repeat(121), purpose: '', timezone: 'UTC' } }).field).toBe('payload.name');
    expect(error({ ...base, type: 'circle.update', payload: { fields: {} } }).field).toBe('payload.fields');
    expect(error({ ...base, type: 'circle.room.add', payload: { roomId: newId(), url: 'javascript:alert(1)', label: 'Room' } }).field).toBe('payload.url');
  });

  it('checks the shape of a vote', () => {
    const vote = { voteId: newId(), question: 'Adopt the budget?', details: '', method: 'single', options: [{ id: newId(), label: 'Yes' }, { id: newId(), label: 'No' }], quorumPercent: 50 };
    expect(validateOperation({ ...base, type: 'vote.create', payload: vote }).ok).toBe(true);
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, options: vote.options.slice(0, 1) } }).field).toBe('payload.options');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, options: [vote.options[0], vote.options[0]] } }).field).toBe('payload.options');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, method: 'consent' } }).field).toBe('payload.options');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, maxChoices: 2 } }).field).toBe('payload.maxChoices');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, method: 'multiple', maxChoices: 3 } }).field).toBe('payload.maxChoices');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, quorumPercent: 101 } }).field).toBe('payload.quorumPercent');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, quorumPercent: 50.5 } }).field).toBe('payload.quorumPercent');
    expect(error({ ...base, type: 'vote.create', payload: { ...vote, method: 'plurality' } }).field).toBe('payload.method');
  });

  it('checks ballot shapes but leaves fitting them to the vote for counting', () => {
    const voteId = newId();
    expect(validateOperation({ ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: 'block', reason: 'Not yet' } }).ok).toBe(true);
    expect(validateOperation({ ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: { [newId()]: 5 } } }).ok).toBe(true);
    expect(error({ ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: { [newId()]: 6 } } }).field).toMatch(/^payload\.choice/);
    expect(error({ ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: 'maybe' } }).field).toMatch(/^payload\.choice/);
    expect(error({ ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: [] } }).field).toMatch(/^payload\.choice/);
  });
});

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

describe('fastValidate', () => {
  const voteId = newId();
  const option = newId();
  const samples: Record<string, unknown>[] = [
    { ...base, type: 'contribution.create', payload: contribution },
    { ...base, type: 'contribution.update', payload: { contributionId: newId(), fields: { minutes: 30, tags: ['x'] } } },
    { ...base, type: 'contribution.delete', payload: { contributionId: newId() } },
    { ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: [option, newId()], reason: 'why' } },
    { ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: { [option]: 3 } } },
    { ...base, type: 'vote.ballot', payload: { voteId, voter: '@bob:meet.coop', choice: 'block' } },
    { ...base, type: 'assembly.attendance.set', payload: { assemblyId: newId(), member: '@bob:meet.coop', status: 'apologies' } },
    { ...base, type: 'assembly.agenda.set', payload: { assemblyId: newId(), itemId: newId(), title: 'Budget', position: 3 } },
    { ...base, type: 'assembly.minutes.set', payload: { assemblyId: newId(), itemId: newId(), markdown: '# Notes' } },
    { ...base, type: 'assembly.create', payload: { assemblyId: newId(), title: 'AGM', scheduledAt: 1_790_000_000_000 } },
    {
      ...base,
      type: 'vote.create',
      payload: { voteId, assemblyId: newId(), itemId: newId(), question: 'Which?', details: '', method: 'multiple', options: [{ id: option, label: 'A' }, { id: newId(), label: 'B' }, { id: newId(), label: 'C' }], maxChoices: 2, quorumPercent: 50, closesAt: 1_790_000_000_000 },
    },
    { ...base, type: 'vote.create', payload: { voteId, question: 'Adopt?', details: 'x', method: 'consent', options: [], quorumPercent: 0 } },
  ];

  it('takes the common operations and leaves the rest to zod', () => {
    for (const sample of samples) expect(fastValidate(sample)).toEqual(sample);
    expect(fastValidate({ ...base, type: 'circle.archive', payload: {} })).toBeNull();
  });

  // Values a mutation may put anywhere: right and wrong types, edges of every limit.
  const weird = fc.oneof(
    fc.constantFrom<unknown>(undefined, null, 0, -1, 1.5, 10_000, 10_001, 44_640, 44_641, 1e21, NaN, '', ' ', 'x'.repeat(201), 'x'.repeat(1001), 'x'.repeat(16_001), 'care', 'paid', 'block', 'present', 'late', 'valueOf', 'constructor', '__proto__', 'consent', 'ranked-irv', 'single', 2, 3, 20, 21, 100, 101, '2026-02-29', '2026-02-28', '0050-01-01', '2000-02-29', '1900-02-29', [], [''], ['x'.repeat(41)], {}, []),
    fc.string(),
    fc.integer(),
    fc.constant(newId()),
    fc.constant('@x:y'),
    fc.array(fc.constant(newId()), { maxLength: 22 }),
    fc.dictionary(fc.constantFrom(newId(), 'k'), fc.integer({ min: -1, max: 6 })),
  );
  const paths = (value: unknown, prefix: string[] = []): string[][] =>
    value && typeof value === 'object' ? [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))] : [prefix];

  it('never accepts what the zod schemas refuse, and returns exactly what zod returns', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.oneof(weird, fc.constant(Symbol.for('delete'))), fc.string({ maxLength: 8 }), (sample, pick, value, extraKey) => {
        const copy = structuredClone(sample);
        const all = paths(copy).filter((p) => p.length > 0);
        const path = all[pick % all.length]!;
        let parent = copy as Record<string, unknown>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
        const last = path[path.length - 1]!;
        if (value === Symbol.for('delete')) delete parent[last];
        // An extra key, except an array's length: setting that is the test breaking its own copy
        // (a RangeError), not a value an operation can carry.
        else if (pick % 7 === 0 && !(Array.isArray(parent) && extraKey === 'length')) parent[extraKey] = value;
        else parent[last] = value;
        const fast = fastValidate(copy);
        if (fast) {
          const zodResult = validateOperationWithZod(copy);
          expect(zodResult.ok, JSON.stringify({ copy, zodResult })).toBe(true);
          // Compared as stored: JSON with sorted keys (an extra property on an array is not data).
          expect(canonical(fast)).toBe(canonical(zodResult.ok ? zodResult.op : null));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
