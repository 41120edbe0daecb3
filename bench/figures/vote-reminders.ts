// reminders.tick_100k_votes_ms: one reminder tick (closing-soon and due-for-review, for the
// member using this Plenary) in a store of 100,000 votes, 20 of them closing within the lead
// time and 20 with an outcome due for review. reminders.notice_scan_100k_votes_ms: the room
// notice check sync runs after every read from the server, on the same store. Medians.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../main/core/app-core';
import { createLogger } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { newId } from '../../shared/governance/ids';
import type { LocalChange } from '../../main/core/store/governance-store';
import { median, type Report } from '../report';

function time(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function run(report: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bench-reminders-'));
  const core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('bench', () => {}) });
  try {
    const { services } = core;
    const me = services.localActor;
    const circle = newId();
    services.governance.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name: 'Bench', purpose: '', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: me, displayName: 'Me', role: 'facilitator', timezone: 'UTC' } },
    ]);
    const now = Date.now();
    const options = [
      { id: newId(), label: 'Yes' },
      { id: newId(), label: 'No' },
    ];
    const total = 100_000;
    for (let start = 0; start < total; start += 2_000) {
      const batch: LocalChange[] = [];
      for (let i = start; i < start + 2_000; i++) {
        // Most close in a month or later; 20 within the day.
        const closesAt = i % 5_000 === 0 ? now + 3_600_000 : now + (30 + (i % 300)) * 86_400_000;
        batch.push({ type: 'vote.create', circle, payload: { voteId: newId(), question: `Vote ${i}`, details: '', method: 'single', options, quorumPercent: 0, closesAt } });
      }
      services.governance.applyLocalBatch(batch);
    }
    const reviewed = services.db.prepare('SELECT vote_id FROM gov_votes LIMIT 20').all() as { vote_id: string }[];
    services.db.prepare(`UPDATE gov_votes SET review_on = '2000-01-01' WHERE vote_id IN (${reviewed.map(() => '?').join(', ')})`).run(...reviewed.map((r) => r.vote_id));
    // Ticks after the first show nothing new: what is measured is the reading, every tick.
    services.voteReminders.tick();
    report.add('reminders.tick_100k_votes_ms', time(() => services.voteReminders.tick(), 20), 'ms');
    report.add('reminders.notice_scan_100k_votes_ms', time(() => services.sync.notices.queueDue(Date.now(), me, 24 * 3_600_000, () => null), 50), 'ms');
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
