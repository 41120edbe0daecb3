// SQLite's quick_check, bounded so a large store never holds up the start. A full
// quick_check reads every page: about 1.5 s for a store of 1,000,000 contributions (690 MB)
// on our machines, far beyond what a start may take. So the start checks table by table
// (each table with its indices), starting where the previous start stopped, until a time
// budget is spent; a typical store is checked whole in a few milliseconds, and a huge one
// over a few starts. A table is never split, so the largest one sets the worst start: about
// 450 ms for that store's contributions table. Each table's check stops after a few findings.
import type { Db } from './database';
import { errorMessage } from './store-problem';

export interface IntegrityResult {
  /** quick_check's findings; empty when everything checked is sound. */
  problems: string[];
  /** Tables checked, in order. */
  checked: string[];
  /** Where the next start continues; null when this run reached the end of the list. */
  next: string | null;
}

const maxFindings = 10;

export function boundedQuickCheck(db: Db, options: { budgetMs: number; startAt?: string | null; now?: () => number }): IntegrityResult {
  const now = options.now ?? (() => performance.now());
  // Reading the schema parses sqlite_master: a damaged schema throws SQLITE_CORRUPT here.
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const startIndex = options.startAt ? Math.max(0, tables.findIndex((name) => name >= options.startAt!)) : 0;
  const ordered = [...tables.slice(startIndex), ...tables.slice(0, startIndex)];
  const check = db.prepare(`SELECT * FROM pragma_quick_check(?) LIMIT ${maxFindings}`).pluck();
  const started = now();
  const result: IntegrityResult = { problems: [], checked: [], next: null };
  for (let i = 0; i < ordered.length; i++) {
    const table = ordered[i]!;
    try {
      const findings = (check.all(table) as string[]).filter((line) => line !== 'ok');
      result.problems.push(...findings.map((line) => `${table}: ${line}`));
    } catch (error) {
      result.problems.push(`${table}: ${errorMessage(error)}`);
    }
    result.checked.push(table);
    if (result.problems.length > 0) break;
    if (now() - started >= options.budgetMs && i < ordered.length - 1) {
      result.next = ordered[i + 1]!;
      break;
    }
  }
  return result;
}

/** The whole file, for a backup about to be restored: it is read once, so its cost is paid once. */
export function fullQuickCheck(db: Db): string[] {
  return (db.pragma(`quick_check(${maxFindings})`, { simple: false }) as { quick_check: string }[]).map((r) => r.quick_check).filter((line) => line !== 'ok');
}
