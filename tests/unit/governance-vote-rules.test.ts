// What a facilitator cannot get wrong when running votes: options that repeat one another,
// an abstention offered as a show-of-hands option, and more hands than the circle has.
import { describe, expect, it } from 'vitest';
import { makeStore, alice, bob, carol, ids } from '../helpers/governance';
import { duplicateOptionIndexes, isAbstainLabel, optionKey } from '../../shared/governance/option-labels';

function setup() {
  const ctx = makeStore();
  const circle = ids();
  ctx.store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Tech', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' } },
  ]);
  const create = (method: string, labels: string[]) => {
    const voteId = ids();
    const options = labels.map((label) => ({ id: ids(), label }));
    ctx.store.applyLocal('vote.create', circle, { voteId, question: 'Q?', details: '', method, options, quorumPercent: 0 });
    return { voteId, options };
  };
  return { ...ctx, circle, create };
}

const refusal = (reason: string, field?: string) => expect.objectContaining({ params: expect.objectContaining({ reason }), ...(field ? { field } : {}) });

describe('vote options', () => {
  it('compares labels ignoring case, spaces and full-width forms', () => {
    expect(optionKey(' Bruno ')).toBe(optionKey('bruno'));
    expect(optionKey('Ｂｒｕｎｏ')).toBe('bruno');
    expect(duplicateOptionIndexes(['Bruno', 'Ana', ' bruno', '', ''])).toEqual([2]);
    expect(duplicateOptionIndexes(['Ana María', 'AnaMaría'])).toEqual([1]);
  });

  it('knows abstentions in every interface language', () => {
    for (const label of ['Abstain', 'abstentions', 'Abstención', 'Abstenció', 'Abstention', 'Enthaltung', '棄権']) expect(isAbstainLabel(label), label).toBe(true);
    for (const label of ['Yes', 'No', 'Abstract art']) expect(isAbstainLabel(label), label).toBe(false);
  });

  it('refuses a vote whose options repeat, naming the repeated option', () => {
    const { create } = setup();
    expect(() => create('single', ['Bruno', 'Ana', 'BRUNO '])).toThrow(refusal('duplicate_option', 'payload.options.2.label'));
  });

  it('refuses an abstention as a show-of-hands option, but not in other methods', () => {
    const { create } = setup();
    expect(() => create('counted', ['Yes', 'No', 'Abstain'])).toThrow(refusal('abstain_option', 'payload.options.2.label'));
    expect(() => create('single', ['Yes', 'No', 'Abstain'])).not.toThrow();
  });
});

describe('a show of hands', () => {
  it('takes no more hands than the circle has members, abstentions included', () => {
    const { store, circle, create } = setup();
    const { voteId, options } = create('counted', ['Yes', 'No']);
    const count = (yes: number, no: number, abstain: number) => store.applyLocal('vote.count', circle, { voteId, totals: { [options[0]!.id]: yes, [options[1]!.id]: no }, abstain });
    expect(() => count(10, 2, 0)).toThrow(refusal('too_many_hands', 'payload.totals'));
    expect(() => count(2, 1, 1)).toThrow(refusal('too_many_hands'));
    expect(() => count(2, 0, 1)).not.toThrow();
  });
});
