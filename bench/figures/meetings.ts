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
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bench-meetings-'));
  const server = await startBbbTestServer();
  const core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('bench', () => {}) });
  const call = async (name: string, input: unknown) => {
    const outcome = await core.dispatch(name, input, { transport: 'test' });
    if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
    return outcome.value as { id: string };
  };
  // 100 circles made in the app, each with a room and a weekly schedule in its own zone.
  let firstCircle = '';
  for (let i = 0; i < 100; i++) {
    const timezone = zones[i % zones.length]!;
    const { id } = await call('governance.createCircle', { name: `Circle ${i}`, purpose: '', timezone, displayName: 'Bench', memberTimezone: timezone });
    firstCircle ||= id;
    await call('meetings.addRoom', { circleId: id, url: `https://meet.example.coop/b/c${String(i).padStart(2, '0')}-abc-def`, label: 'Main' });
    // 5-9 January 2026 are Monday to Friday: each first meeting is a day its rule picks.
    const rrule = `DTSTART;TZID=${timezone}:2026010${5 + (i % 5)}T${String(8 + (i % 10)).padStart(2, '0')}0000\nRRULE:FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]}`;
    await call('meetings.setSchedule', { circleId: id, schedule: { rrule, timezone, durationMinutes: 60 } });
  }
  try {
    core.services.meetings.overview(); // warm up Intl formatters
    report.add('meetings.today_overview_ms', time(() => core.services.meetings.overview(), 30), 'ms');
    const spec = { rrule: 'DTSTART;TZID=America/New_York:20260101T093000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', timezone: 'America/New_York', durationMinutes: 30 };
    report.add('meetings.rrule_year_ms', time(() => occurrencesOf(spec, { from: Date.parse('2026-01-01'), to: Date.parse('2027-01-01') }), 50), 'ms');

    await core.services.meetings.operator.saveSettings({ apiUrl: server.apiUrl, algorithm: 'sha256', secret: server.secret });
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await core.services.meetings.start({ circleId: firstCircle, assemblyId: null, record: false });
      samples.push(performance.now() - start);
    }
    report.add('meetings.join_api_ms', median(samples), 'ms');
  } finally {
    core.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
