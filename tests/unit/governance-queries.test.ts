// Contribution filters in the core: tags match whatever their case, as the renderer sends them.
import { describe, expect, it } from 'vitest';
import { makeStore, alice, ids } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';

describe('contribution tag filter', () => {
  it('matches tags case-insensitively, beyond ASCII too', () => {
    const { store, db, clock } = makeStore();
    const circle = ids();
    store.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name: 'Tech', purpose: '', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    ]);
    const log = (tags: string[]) =>
      store.applyLocal('contribution.create', circle, { contributionId: ids(), member: alice, date: '2026-11-20', minutes: 30, stream: 'care', description: '', tags });
    log(['Infra']);
    log(['ÉQUIPE', 'infra']);
    log(['other']);
    const queries = new GovernanceQueries(db, () => alice, () => clock.now());
    const total = (tag: string) => queries.contributions({ tag }, 10, 0).total;
    expect(total('infra')).toBe(2);
    expect(total('INFRA')).toBe(2);
    expect(total('équipe')).toBe(1);
    expect(total('Équipe')).toBe(1);
    expect(total('care')).toBe(0);
  });
});
