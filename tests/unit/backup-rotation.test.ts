// Which backups are kept (7 daily, 4 weekly, and the way back from the last upgrade and
// import), when the daily one is due, and what the recovery screen offers for each problem.
import { describe, expect, it } from 'vitest';
import { backupsToKeep, dailyBackupDue, dayMs, type BackupEntry } from '../../main/core/policy/backup-rotation';
import { recoveryChoicesFor } from '../../main/core/policy/store-recovery';
import { backupFileName, parseBackupFileName } from '../../main/core/store/backup-names';
import type { BackupReason } from '../../shared/contract/data';

const at = (iso: string) => Date.parse(iso);
const entry = (iso: string, reason: BackupReason = 'daily'): BackupEntry => ({ id: backupFileName(at(iso), reason), createdAt: at(iso), reason });

describe('backup rotation', () => {
  it('keeps the newest backup of each of the last 7 days and of each of the last 4 weeks', () => {
    // One daily backup at 09:00 every day of December 2026 up to Thursday the 31st.
    const all = Array.from({ length: 31 }, (_, i) => entry(`2026-12-${String(i + 1).padStart(2, '0')}T09:00:00Z`));
    const kept = [...backupsToKeep(all)].sort();
    const days = ['25', '26', '27', '28', '29', '30', '31'].map((d) => entry(`2026-12-${d}T09:00:00Z`).id);
    // Weeks start on Monday: the 31st (week of the 28th), Sunday the 27th, the 20th, the 13th.
    const weeks = ['31', '27', '20', '13'].map((d) => entry(`2026-12-${d}T09:00:00Z`).id);
    expect(kept).toEqual([...new Set([...days, ...weeks])].sort());
    expect(kept).toHaveLength(9);
  });

  it('keeps only the newest of several backups on one day', () => {
    const all = [entry('2026-12-07T08:00:00Z', 'manual'), entry('2026-12-07T12:00:00Z'), entry('2026-12-07T18:30:00Z', 'manual')];
    expect([...backupsToKeep(all)]).toEqual([entry('2026-12-07T18:30:00Z', 'manual').id]);
  });

  it('keeps the newest backup made before an upgrade and before an import, however old', () => {
    const upgrade = entry('2025-01-01T00:00:00Z', 'upgrade');
    const olderUpgrade = entry('2024-06-01T00:00:00Z', 'upgrade');
    const imported = entry('2025-02-01T00:00:00Z', 'before-import');
    const recent = Array.from({ length: 40 }, (_, i) => entry(new Date(at('2026-12-31T09:00:00Z') - i * dayMs).toISOString().replace('.000', '')));
    const kept = backupsToKeep([upgrade, olderUpgrade, imported, ...recent]);
    expect(kept.has(upgrade.id)).toBe(true);
    expect(kept.has(imported.id)).toBe(true);
    expect(kept.has(olderUpgrade.id)).toBe(false);
  });

  it('makes the daily backup when none was made in the last 24 hours, or the clock went back', () => {
    const now = at('2026-12-07T10:00:00Z');
    expect(dailyBackupDue(null, now)).toBe(true);
    expect(dailyBackupDue(now - dayMs + 1, now)).toBe(false);
    expect(dailyBackupDue(now - dayMs, now)).toBe(true);
    expect(dailyBackupDue(now + 60_000, now)).toBe(true);
  });

  it('names backups so that the name alone gives their time and reason', () => {
    const name = backupFileName(at('2026-12-07T10:30:05Z'), 'before-import');
    expect(name).toBe('plenary-2026-12-07T10-30-05Z-before-import.sqlite');
    expect(parseBackupFileName(name)).toEqual({ createdAt: at('2026-12-07T10:30:05Z'), reason: 'before-import' });
    expect(parseBackupFileName('plenary-2026-12-07T10-30-05Z-weekly.sqlite')).toBeNull();
    expect(parseBackupFileName('plenary-2026-12-07T10-30-05Z-daily.sqlite.partial')).toBeNull();
    expect(parseBackupFileName('../plenary-2026-12-07T10-30-05Z-daily.sqlite')).toBeNull();
  });
});

describe('recovery choices', () => {
  it('offers a backup and starting empty for a damaged file, retrying for a file that cannot be used now, and only quitting for a newer one', () => {
    expect(recoveryChoicesFor('corrupt', true)).toEqual(['restore-backup', 'start-empty', 'quit']);
    expect(recoveryChoicesFor('not_a_database', false)).toEqual(['start-empty', 'quit']);
    for (const problem of ['unreadable', 'read_only', 'locked', 'disk_full', 'io_error'] as const) expect(recoveryChoicesFor(problem, true)).toEqual(['retry', 'quit']);
    expect(recoveryChoicesFor('newer_schema', true)).toEqual(['quit']);
    expect(recoveryChoicesFor('upgrade_failed', true)).toEqual(['quit']);
  });
});
