// Results anyone can re-count, through a real Synapse: a facilitator closes a vote and her
// app publishes its count (vote.digest); both replicas recount from their own stores and read
// "verified". A count forged by a member who may not close the vote is kept aside on every
// replica. A copy of a replica's store with one ballot changed in its log reads as a mismatch
// that says what differs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { opsEvent } from '../helpers/room-ops';
import { newId } from '../../shared/governance/ids';
import { formatHlc } from '../../shared/governance/hlc';
import { operationSchemaVersion } from '../../shared/governance/operation';
import { storeFileName } from '../../main/core/store/store-files';
import type { VoteDetail } from '../../shared/governance/views';

let server: SynapseServer;
let users: Record<'alice' | 'bob', RegisteredUser>;
const clients: PlenaryClient[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  // Relaxed limits: this test is about the digest, not about pacing uploads.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  users = { alice: await server.register('alice'), bob: await server.register('bob') };
});

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

describe('a closed vote anyone can re-count', () => {
  it('verifies on both replicas, refuses a forged count and shows a tampered copy as a mismatch', async () => {
    const alice = await startPlenaryClient('alice');
    clients.push(alice);
    await alice.signIn(server, users.alice);
    const circle = newId();
    const [voteId, yes, no] = [newId(), newId(), newId()];
    alice.core.services.governance.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name: 'Hosting', purpose: '', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: users.alice.userId, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: users.bob.userId, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
      { type: 'vote.create', circle, payload: { voteId, question: 'Move?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 } },
      { type: 'vote.ballot', circle, payload: { voteId, voter: users.alice.userId, choice: yes } },
    ]);
    await alice.syncNow();
    const bob = await startPlenaryClient('bob');
    clients.push(bob);
    await bob.signIn(server, users.bob);
    await converge([alice, bob]);
    await bob.call('governance.apply', { type: 'vote.ballot', circle, payload: { voteId, voter: users.bob.userId, choice: yes } });
    await converge([alice, bob]);

    // Alice closes the vote in Plenary: her app publishes its count with the close.
    await alice.call('governance.apply', { type: 'vote.close', circle, payload: { voteId } });
    await converge([alice, bob]);
    for (const client of [alice, bob]) {
      const vote = await client.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
      expect(vote.status, client.name).toBe('closed');
      expect(vote.recount, client.name).toMatchObject({ verified: true, differences: [], published: { by: users.alice.userId, byName: 'Alice' } });
    }
    const aliceDigest = (await alice.call<VoteDetail>('governance.vote', { circleId: circle, voteId })).recount!.sha256;
    expect((await bob.call<VoteDetail>('governance.vote', { circleId: circle, voteId })).recount!.sha256).toBe(aliceDigest);
    expect((await bob.call<VoteDetail>('governance.vote', { circleId: circle, voteId })).recount!.canPublish).toBe(false);

    // Bob's own client sends a later count saying No won: he may not close the vote, so no
    // replica takes it (had it been taken, as the newest count it would read as a mismatch).
    const roomId = alice.core.services.sync.rooms.roomOf(circle)!;
    const wall = Date.now();
    const forged = {
      id: newId(wall),
      hlc: formatHlc({ wall, counter: 0, node: 'bob-client' }),
      actor: users.bob.userId,
      circle,
      type: 'vote.digest',
      payload: { voteId, sha256: 'f'.repeat(64), ballots: 2, totals: { [yes]: 0, [no]: 2 }, winners: [no] },
      v: operationSchemaVersion,
    };
    const event = opsEvent(circle, [forged]);
    const sent = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(event.type)}/${newId()}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${users.bob.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(event.content),
    });
    expect(sent.status).toBe(200);
    await expect.poll(async () => (await alice.syncNow()).quarantined, { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await bob.syncNow()).quarantined, { timeout: 20_000 }).toBe(1);
    for (const client of [alice, bob]) {
      expect((await client.call<VoteDetail>('governance.vote', { circleId: circle, voteId })).recount, client.name).toMatchObject({ verified: true, published: { by: users.alice.userId } });
    }

    // A copy of Bob's store, with Alice's ballot changed in the log, no longer matches.
    const copyDir = mkdtempSync(join(tmpdir(), 'plenary-bob-copy-'));
    dirs.push(copyDir);
    await bob.core.services.db.backup(join(copyDir, storeFileName));
    const file = new Database(join(copyDir, storeFileName));
    const changed = file
      .prepare("UPDATE ops SET payload = json_set(payload, '$.choice', ?) WHERE type = 'vote.ballot' AND json_extract(payload, '$.voter') = ?")
      .run(no, users.alice.userId);
    expect(changed.changes).toBe(1);
    file.close();
    const copy = await startPlenaryClient('bob-copy', { dataDir: copyDir });
    clients.push(copy);
    const tampered = await copy.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
    expect(tampered.recount).toMatchObject({
      verified: false,
      published: { by: users.alice.userId, sha256: aliceDigest },
      differences: [
        { kind: 'total', option: yes, published: 2, here: 1 },
        { kind: 'total', option: no, published: 0, here: 1 },
        { kind: 'winners', published: [yes], here: [no, yes].sort() },
      ],
    });
    expect(tampered.recount!.sha256).not.toBe(aliceDigest);
  });
});
