import type { Migration } from './types';
import { storedSchedule } from '../governance-fold';
import type { Schedule } from '../../../../shared/governance/operation-types';

// Circle schedules were stored in two forms ("FREQ=…;BYHOUR=18;BYMINUTE=0" from the Circles
// page, "DTSTART:…\nRRULE:…" from Today); each reader refused the other's. This step rewrites
// every stored schedule into the one format, exactly as the fold now stores the operation
// that set it (the same function, anchored on the same stamp), so a replica that migrates and
// one that folds the same operations afresh hold the same text. A schedule that cannot be
// read stays as it was: readers report its problem, naming the field, and nothing is lost.
// The values are only re-spelled, not changed in meaning, so this stays additive in spirit.
export const migration: Migration = {
  id: '20261207T1500-one-schedule-format',
  rewrites: [{ table: 'gov_circles', column: 'schedule' }],
  up(db) {
    const rows = db.prepare('SELECT circle, schedule, schedule_v FROM gov_circles WHERE schedule IS NOT NULL').all() as { circle: string; schedule: string; schedule_v: string }[];
    const update = db.prepare('UPDATE gov_circles SET schedule = ? WHERE circle = ?');
    for (const row of rows) {
      let schedule: Schedule;
      try {
        schedule = JSON.parse(row.schedule) as Schedule;
      } catch {
        continue;
      }
      if (typeof schedule !== 'object' || schedule === null || typeof schedule.rrule !== 'string' || typeof schedule.timezone !== 'string') continue;
      const stored = storedSchedule(schedule, row.schedule_v || '0000000000000');
      if (stored !== schedule) update.run(JSON.stringify(stored), row.circle);
    }
  },
};
