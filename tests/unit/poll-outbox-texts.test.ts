// The poll events Element users read are written in the facilitator's language: the
// consent answers and the "poll closed" notice must be real translations, never i18n keys.
import { describe, expect, it } from 'vitest';
import { Refusals } from '../../main/core/sync/refusals';
import { PollOutbox } from '../../main/core/sync/poll-outbox';
import { GovernanceReads } from '../../main/core/sync/governance-reads';
import { createTranslator } from '../../main/core/i18n/translator';
import { createLogger } from '../../main/core/log';
import { supportedLocales } from '../../shared/locales';
import { ids, makeStore, remoteOp } from '../helpers/governance';

function queuedTexts(locale: (typeof supportedLocales)[number]) {
  const { db, store } = makeStore();
  const circle = ids();
  const voteId = ids();
  const create = remoteOp('vote.create', circle, { voteId, question: 'Adopt the budget?', details: '', method: 'consent', options: [], quorumPercent: 0 });
  store.applyRemote([remoteOp('circle.create', circle, { name: 'Stewards', purpose: '', timezone: 'UTC' }), create]);
  const outbox = new PollOutbox(db, new GovernanceReads(db), createTranslator(locale), new Refusals(db, () => 0), createLogger('test', () => {}));
  outbox.enqueueFor(create);
  outbox.enqueueFor(remoteOp('vote.close', circle, { voteId }));
  const rows = db.prepare('SELECT kind, content_json FROM sync_poll_outbox ORDER BY kind').all() as { kind: string; content_json: string }[];
  const content = Object.fromEntries(rows.map((r) => [r.kind, JSON.parse(r.content_json)]));
  const answers = (content.start['org.matrix.msc3381.poll.start'].answers as { 'org.matrix.msc1767.text': string }[]).map((a) => a['org.matrix.msc1767.text']);
  return { answers, end: content.end['org.matrix.msc1767.text'] as string };
}

describe('poll texts sent for Element', () => {
  it('are English words, not keys, in English', () => {
    const { answers, end } = queuedTexts('en');
    expect(answers).toEqual(['Agree', 'Abstain', 'Object', 'Block']);
    expect(end).toBe('Poll closed: Adopt the budget?');
  });

  it.each(supportedLocales)('are translated in %s', (locale) => {
    const { answers, end } = queuedTexts(locale);
    for (const text of [...answers, end]) expect(text).not.toMatch(/^(consent\.|pollClosed|sync:|governance:)/);
    expect(end).toContain('Adopt the budget?');
    expect(new Set(answers).size).toBe(4);
  });
});
