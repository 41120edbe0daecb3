// What a member reads about the trust rules of sync, kept apart from the components so a unit
// test can check the words without a DOM: their own changes that the other members' apps
// refused (and that were taken back here too), and rooms claiming a circle that Plenary did
// not join.
import type { TFunction } from 'i18next';
import type { NotAcceptedChange, RoomNotice, SyncStatusView } from '../../../shared/contract/sync';
import { formatSyncTime } from './sync-text';

/** "1 of your changes was not accepted by the other members.", or null. */
export function notAcceptedCountText(t: TFunction, view: SyncStatusView): string | null {
  return view.notAccepted > 0 ? t('sync:notAcceptedCount', { count: view.notAccepted }) : null;
}

/** "1 room claiming to be a circle was not joined.", or null. */
export function roomNoticesCountText(t: TFunction, view: SyncStatusView): string | null {
  return view.roomNotices > 0 ? t('sync:roomNoticesCount', { count: view.roomNotices }) : null;
}

/** Which part of governance an operation type changes, as the list names it. */
function changeKind(type: string): 'circle' | 'assembly' | 'vote' | 'ballot' | 'contribution' {
  if (type === 'vote.ballot') return 'ballot';
  const prefix = type.slice(0, type.indexOf('.'));
  return prefix === 'assembly' || prefix === 'vote' || prefix === 'contribution' ? prefix : 'circle';
}

export function notAcceptedWhatText(t: TFunction, change: NotAcceptedChange): string {
  const circle = change.circleName ?? t('sync:refusals.unknownCircle');
  return t(`sync:notAccepted.what.${changeKind(change.type)}`, { circle });
}

export function notAcceptedReasonText(t: TFunction, change: NotAcceptedChange): string {
  return t('sync:notAccepted.because', { reason: t(`sync:notAccepted.reason.${change.reason}`) });
}

export function notAcceptedWhenText(t: TFunction, change: NotAcceptedChange, locale: string, now?: number): string {
  return t('sync:notAccepted.made', { made: formatSyncTime(change.madeAt, locale, now), withdrawn: formatSyncTime(change.withdrawnAt, locale, now) });
}

export function roomNoticeWhatText(t: TFunction, notice: RoomNotice): string {
  const { roomName: room, circleName: circle } = notice;
  if (room) return circle ? t('sync:roomNotices.what', { room, circle }) : t('sync:roomNotices.whatUnknownCircle', { room });
  return circle ? t('sync:roomNotices.unnamed', { circle }) : t('sync:roomNotices.unnamedUnknownCircle');
}

export function roomNoticeWhoText(t: TFunction, notice: RoomNotice): string {
  return notice.inviter ? t('sync:roomNotices.invitedBy', { inviter: notice.inviter, creator: notice.roomCreator }) : t('sync:roomNotices.madeBy', { creator: notice.roomCreator });
}

export function roomNoticeReasonText(t: TFunction, notice: RoomNotice): string {
  return t(`sync:roomNotices.reason.${notice.reason}`);
}
