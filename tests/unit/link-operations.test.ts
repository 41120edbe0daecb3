// The forum and file operations (shared/governance/link-operation-types.ts): their local
// rules (what they point at must exist; who may make them), how they fold (registers and
// element sets, any order), and how the coop server's copies are authorised.
import { describe, expect, it } from 'vitest';
import { alice, bob, makeStore, remoteOp, t0 } from '../helpers/governance';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { newId } from '../../shared/governance/ids';
import { operationTypes } from '../../shared/governance/operation-types';
import { validateOperation } from '../../shared/governance/validate-operation';
import { authorize, type AuthorityFacts } from '../../shared/governance/authorization';
import { circleLinks } from '../../main/core/forum/circle-links';
import { sanitizeCookedHtml } from '../../main/core/forum/cooked-html';
import { retryDelayMs } from '../../main/core/forum/post-queue';

function circleWithVote() {
  const made = makeStore({ actor: alice });
  const circle = newId();
  made.store.applyLocal('circle.create', circle, { name: 'Tech', purpose: '', timezone: 'UTC' });
  made.store.applyLocal('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' });
  made.store.applyLocal('circle.member.set', circle, { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' });
  const voteId = newId();
  made.store.applyLocal('vote.create', circle, { voteId, question: 'Q?', details: '', method: 'consent', options: [], quorumPercent: 0 });
  return { ...made, circle, voteId };
}

describe('forum and file operations', () => {
  it('refuse links to things that do not exist, naming the field', () => {
    const { store, circle } = circleWithVote();
    const thread = { topicId: 12, url: 'https://forum.meet.coop/t/a/12', title: 'A' };
    expect(() => store.applyLocal('forum.thread.set', circle, { subject: { kind: 'vote', voteId: newId() }, thread })).toThrow(expect.objectContaining({ field: 'payload.voteId', params: expect.objectContaining({ reason: 'vote_missing' }) }));
    expect(() => store.applyLocal('attachment.add', circle, { attachmentId: newId(), subject: { kind: 'agenda', assemblyId: newId(), itemId: newId() }, name: 'a.pdf', url: 'https://cloud.meet.coop/s/x', sizeBytes: 1 })).toThrow(
      expect.objectContaining({ params: expect.objectContaining({ reason: 'assembly_missing' }) }),
    );
    expect(() => store.applyLocal('attachment.remove', circle, { attachmentId: newId() })).toThrow(expect.objectContaining({ params: expect.objectContaining({ reason: 'attachment_missing' }) }));
  });

  it('refuse addresses that are not https, except on this computer', () => {
    const base = { id: newId(), hlc: '1795000000000-000000-n1', actor: alice, circle: newId(), v: 1, type: 'attachment.add' };
    const payload = { attachmentId: newId(), subject: { kind: 'vote', voteId: newId() }, name: 'a.pdf', sizeBytes: 1 };
    expect(validateOperation({ ...base, payload: { ...payload, url: 'http://cloud.meet.coop/s/x' } })).toMatchObject({ ok: false, error: { field: 'payload.url' } });
    expect(validateOperation({ ...base, payload: { ...payload, url: 'javascript:alert(1)' } })).toMatchObject({ ok: false });
    expect(validateOperation({ ...base, payload: { ...payload, url: 'http://127.0.0.1:8080/s/x' } }).ok).toBe(true);
  });

  it('let any member attach a file, and only a facilitator link threads or remove files', () => {
    const { db, clock, circle, voteId } = circleWithVote();
    const asBob = new GovernanceStore(db, { actor: bob, now: () => clock.now() });
    const attachmentId = newId();
    asBob.applyLocal('attachment.add', circle, { attachmentId, subject: { kind: 'vote', voteId }, name: 'plan.pdf', url: 'https://cloud.meet.coop/s/abc', sizeBytes: 2048 });
    expect(circleLinks(db, circle).attachments).toEqual([{ attachmentId, subject: { kind: 'vote', voteId }, name: 'plan.pdf', url: 'https://cloud.meet.coop/s/abc', sizeBytes: 2048, addedBy: bob }]);
    expect(() => asBob.applyLocal('attachment.remove', circle, { attachmentId })).toThrow(expect.objectContaining({ params: expect.objectContaining({ reason: 'not_facilitator' }) }));
    expect(() => asBob.applyLocal('circle.forum.set', circle, { category: { id: 5, slug: 'tech', name: 'Tech' } })).toThrow(expect.objectContaining({ params: expect.objectContaining({ reason: 'not_facilitator' }) }));
    expect(operationTypes['attachment.add'].facilitatorOnly).toBe(false);
    for (const type of ['circle.forum.set', 'forum.thread.set', 'forum.post.add', 'attachment.remove'] as const) expect(operationTypes[type].facilitatorOnly, type).toBe(true);
  });

  it('fold a removal that arrives before its add, and the newest category, in any order', () => {
    const { db, store, circle, voteId } = circleWithVote();
    const attachmentId = newId();
    const add = remoteOp('attachment.add', circle, { attachmentId, subject: { kind: 'vote', voteId }, name: 'a.pdf', url: 'https://cloud.meet.coop/s/a', sizeBytes: 1 }, { wall: t0 });
    const remove = remoteOp('attachment.remove', circle, { attachmentId }, { wall: t0 + 1000 });
    const older = remoteOp('circle.forum.set', circle, { category: { id: 5, slug: 'tech', name: 'Tech' } }, { wall: t0 });
    const newer = remoteOp('circle.forum.set', circle, { category: null }, { wall: t0 + 1000 });
    expect(store.applyRemote([remove, newer, add, older]).rejected).toEqual([]);
    expect(circleLinks(db, circle)).toMatchObject({ category: null, attachments: [] });
  });

  it('need facilitator power in the room when they come from the coop server, except attaching a file', () => {
    const op = (type: string, payload: Record<string, unknown>) => ({ id: newId(), hlc: '1795000000000-000000-n1', actor: bob, circle: newId(), v: 1, type, payload });
    // The facts of the room's history at the event: only the sender's power level matters here.
    const facts = (level: number): AuthorityFacts => ({ facilitates: () => level >= 50, contribution: () => null, vote: () => null, action: () => null, account: (m) => m });
    expect(authorize(op('attachment.add', {}), bob, facts(0))).toEqual({ ok: true });
    for (const type of ['circle.forum.set', 'forum.thread.set', 'forum.post.add', 'attachment.remove']) {
      expect(authorize(op(type, {}), bob, facts(0)), type).toMatchObject({ ok: false, reason: 'not_facilitator' });
      expect(authorize(op(type, {}), bob, facts(50)).ok, type).toBe(true);
    }
  });
});

describe('forum posts and topics', () => {
  it('keep what chat keeps of cooked HTML, with links made absolute on the forum', () => {
    const html = sanitizeCookedHtml(
      '<p>Hi <a class="mention" href="/u/ana">@ana</a> <a href="javascript:alert(1)">x</a></p><img src="/uploads/a.png"><script>alert(1)</script><aside class="onebox"><p onmouseover="x()">box</p></aside>',
      'https://forum.meet.coop',
    );
    expect(html).toBe('<p>Hi <a href="https://forum.meet.coop/u/ana" target="_blank" rel="noopener noreferrer">@ana</a> <a>x</a></p><p>box</p>');
  });

  it('wait longer after each failed try, at most 15 minutes', () => {
    expect([1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 900_000]);
  });
});
