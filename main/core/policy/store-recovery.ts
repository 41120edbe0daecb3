// What the recovery screen offers for each reason the store could not be opened.
//   - A damaged file (corrupt, not a database): restore the newest sound backup, or start
//     empty (and get the circles back from the coop server, if there is one); the damaged
//     file is kept aside either way.
//   - A file that is fine but cannot be used now (unreadable, read-only, locked by another
//     program, a full disk, an I/O error): try again once the cause is fixed. Nothing is moved.
//   - A file a later Plenary upgraded: only quitting; this build must not write to it.
//   - An upgrade that failed: the file was left as it was, and a later build may succeed.
// Quitting is always offered.
import type { RecoveryChoice, StoreProblemKind } from '../../../shared/contract/data';

export function recoveryChoicesFor(problem: StoreProblemKind, hasBackup: boolean): RecoveryChoice[] {
  switch (problem) {
    case 'corrupt':
    case 'not_a_database':
      return [...(hasBackup ? (['restore-backup'] as const) : []), 'start-empty', 'quit'];
    case 'unreadable':
    case 'read_only':
    case 'locked':
    case 'disk_full':
    case 'io_error':
      return ['retry', 'quit'];
    case 'newer_schema':
    case 'upgrade_failed':
      return ['quit'];
  }
}

/** Whether a choice moves the current store file aside (the screen says where it will be kept). */
export function choiceKeepsFileAside(choice: RecoveryChoice): boolean {
  return choice === 'restore-backup' || choice === 'start-empty';
}
