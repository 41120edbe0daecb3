// The sync status in words, kept apart from the components so a unit test can check what a
// member reads for every state and problem code without a DOM.
import type { TFunction } from 'i18next';
import type { SyncStatusView } from '../../../shared/contract/sync';

/** Problem codes the core's sync service emits (main/core/sync); others read as "unknown". */
export const knownProblems = ['offline', 'paused', 'signed_out', 'forbidden', 'remote_error', 'internal'] as const;

/** A time of day today, or a date and time otherwise, in the member's language. */
export function formatSyncTime(ms: number, locale: string, now: number = Date.now()): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function syncStateText(t: TFunction, view: SyncStatusView): string {
  return t(`sync:state.${view.state}`);
}

/** The problem in words; the core's detail is added unless it only repeats the code. */
export function syncProblemText(t: TFunction, problem: SyncStatusView['problem']): string | null {
  if (!problem) return null;
  const code = (knownProblems as readonly string[]).includes(problem.code) ? problem.code : 'unknown';
  const text = t(`sync:problems.${code}`);
  const detail = problem.detail.trim();
  return detail && detail !== problem.code ? t('sync:problemWithDetail', { problem: text, detail }) : text;
}

export function syncPendingText(t: TFunction, view: SyncStatusView): string {
  return view.pending === 0 ? t('sync:nothingPending') : t('sync:pending', { count: view.pending });
}

export function syncLastText(t: TFunction, view: SyncStatusView, locale: string, now?: number): string {
  return view.lastSyncedAt === null ? t('sync:neverSynced') : t('sync:lastSynced', { time: formatSyncTime(view.lastSyncedAt, locale, now) });
}
