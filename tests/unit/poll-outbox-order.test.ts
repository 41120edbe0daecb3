// A vote's poll start goes to the server only after the operations that create the vote:
// receivers bind a poll to a vote only when the vote's creator sends it after the vote exists
// (inbound.ts), so a start that overtook its operations (held by a refusal, say) would be
// quarantined everywhere. A vote adopted from a member's proposal publishes no poll at all:
// it already has Element's.
import { describe, expect, it } from 'vitest';
import { Refusals } from '../../main/core/sync/refusals';
import { PollOutbox } from '../../main/core/sync/poll-outbox';
import { Outbox } from '../../main/core/sync/outbox';
import { GovernanceReads } from '../../main/core/sync/governance-reads';
import { createTranslator } from '../../main/core/i18n/translator';
import { createLogger } from '../../main/core/log';
import { ids, makeStore, remoteOp } from '../helpers/governance';

function setup() {
  const { db, store } = makeStore();
  const circle = ids();
  store.applyRemote([remoteOp('circle.create', circle, { name: 'Stewards', purpose: '', timezone: 'UTC' })]);
  const polls = new PollOutbox(db, new GovernanceReads(db), createTranslator('en'), new Refusals(db, () => 0), createLogger('test', () => {}));
  const sent: string[] = [];
  const connection = {
    sendEvent: async (_room: string, type: string) => {
      sent.push(type);
      return { event_id: `$${sent.length}` };
    },
  };
  return { db, circle, polls, sent, connection };
}

describe('poll starts', () => {
  it('wait while operations of their circle are still to be uploaded', async () => {
    const { db, circle, polls, sent, connection } = setup();
    const create = remoteOp('vote.create', circle, { voteId: ids(), question: 'Adopt?', details: '', method: 'single', options: [{ id: ids(), label: 'Yes' }, { id: ids(), label: 'No' }], quorumPercent: 0 });
    new Outbox(db).enqueue(create);
    polls.enqueueFor(create);
    expect(polls.sendable()).toEqual([]);
    expect(await polls.flush(circle, '!room', connection, '@alice:meet.coop')).toBe(0);
    expect(sent).toEqual([]);

    db.prepare('DELETE FROM sync_outbox').run(); // the operations reached the server
    expect(polls.sendable()).toHaveLength(1);
    expect(await polls.flush(circle, '!room', connection, '@alice:meet.coop')).toBe(1);
    expect(sent).toEqual(['org.matrix.msc3381.poll.start']);
  });

  it('are not queued for a vote adopted from a proposal, whose poll exists', () => {
    const { db, circle, polls } = setup();
    const voteId = ids();
    db.prepare("INSERT INTO sync_vote_polls (vote_id, room_id, event_id, creator, answers_json, proposal_json) VALUES (?, '!room', '$poll', '@erin:meet.coop', '{}', '{}')").run(voteId);
    polls.enqueueFor(remoteOp('vote.create', circle, { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: ids(), label: 'Yes' }, { id: ids(), label: 'No' }], quorumPercent: 0 }));
    expect(polls.pendingCount()).toBe(0);
  });
});
