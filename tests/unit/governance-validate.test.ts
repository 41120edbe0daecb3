import { describe, expect, it } from 'vitest';
import { validateOperation } from '../../shared/governance/validate-operation';
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
