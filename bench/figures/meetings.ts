// meetings.today_overview_ms: building Today's overview (live and next meetings, expanded
// from RRULEs in each circle's time zone) for a coop with 100 circles, through the real
// core and SQLite. meetings.rrule_year_ms: expanding one year of a weekday schedule across
// two DST changes. meetings.join_api_ms: start (create + signed join URL) against the
// local BBB test server. Medians of repeated runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../main/core/app-core';
import { createLogger } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { occurrencesOf } from '../../shared/schedule/schedule';
import { MemoryGovernance } from '../../tests/helpers/memory-governance';
import { startBbbTestServer } from '../../tests/servers/bbb-test-server';
import { median, type Report } from '../report';

const zones = ['UTC', 'Europe/Madrid', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Europe/Berlin', 'America/Sao_Paulo', 'Africa/Nairobi', 'Asia/Kolkata'];

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
  const governance = new MemoryGovernance();
  for (let i = 0; i < 100; i++) {
    const id = `C${String(i).padStart(25, '0')}`;
    governance.addCircle(id, `Circle ${i}`, {
      rooms: [{ roomId: `R${i}`, url: `https://meet.example.coop/b/c${String(i).padStart(2, '0')}-abc-def`, label: 'Main' }],
      // 5-9 January 2026 are Monday to Friday: each first meeting is a day its rule picks.
      schedule: { rrule: `DTSTART;TZID=${zones[i % zones.length]!}:2026010${5 + (i % 5)}T${String(8 + (i % 10)).padStart(2, '0')}0000\nRRULE:FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]}`, timezone: zones[i % zones.length]!, durationMinutes: 60 },
    });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bench-meetings-'));
  const server = await startBbbTestServer();
  const core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('bench', () => {}), meetings: { directory: governance, governance } });
  try {
    core.services.meetings.overview(); // warm up Intl formatters
    report.add('meetings.today_overview_ms', time(() => core.services.meetings.overview(), 30), 'ms');
    const spec = { rrule: 'DTSTART;TZID=America/New_York:20260101T093000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', timezone: 'America/New_York', durationMinutes: 30 };
    report.add('meetings.rrule_year_ms', time(() => occurrencesOf(spec, { from: Date.parse('2026-01-01'), to: Date.parse('2027-01-01') }), 50), 'ms');

    await core.services.meetings.operator.saveSettings({ apiUrl: server.apiUrl, algorithm: 'sha256', secret: server.secret });
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await core.services.meetings.start({ circleId: 'C0000000000000000000000000', assemblyId: null, record: false });
      samples.push(performance.now() - start);
    }
    report.add('meetings.join_api_ms', median(samples), 'ms');
  } finally {
    core.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
