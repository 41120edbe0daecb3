// Which automatic backups to keep, and when the next one is due. Grandfather-father-son with
// two generations: the newest backup of each of the last 7 days that have one, and the
// newest of each of the last 4 weeks that have one (a week starts on Monday, UTC). A backup
// made before an upgrade or an import is kept until a newer one of the same reason exists,
// whatever its age: it is the way back from that step.
import type { BackupReason } from '../../../shared/contract/data';

export interface BackupEntry {
  id: string;
  createdAt: number;
  reason: BackupReason;
}

export const keepDaily = 7;
export const keepWeekly = 4;
export const dayMs = 24 * 60 * 60 * 1000;

function dayOf(ms: number): number {
  return Math.floor(ms / dayMs);
}

/** Days since 1970-01-05, the first Monday, divided into weeks. */
function weekOf(ms: number): number {
  return Math.floor((dayOf(ms) - 4) / 7);
}

function newestPerBucket(entries: readonly BackupEntry[], bucket: (ms: number) => number, count: number): string[] {
  const kept: string[] = [];
  const seen = new Set<number>();
  for (const entry of entries) {
    const key = bucket(entry.createdAt);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(entry.id);
    if (seen.size === count) break;
  }
  return kept;
}

/** The ids to keep; every other backup may be removed. */
export function backupsToKeep(backups: readonly BackupEntry[]): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  const keep = new Set<string>([...newestPerBucket(newestFirst, dayOf, keepDaily), ...newestPerBucket(newestFirst, weekOf, keepWeekly)]);
  for (const reason of ['upgrade', 'before-import'] as const) {
    const newest = newestFirst.find((b) => b.reason === reason);
    if (newest) keep.add(newest.id);
  }
  return keep;
}

/** A daily backup is due when no backup was made in the last 24 hours (or the clock went back past the newest). */
export function dailyBackupDue(newestAt: number | null, now: number): boolean {
  return newestAt === null || now - newestAt >= dayMs || now < newestAt;
}
