// The tray: its icon state and its menu, built by pure functions from app state so they are
// unit-tested; main/shell/tray.ts only turns the model into an Electron Menu.
import type { JoinTarget, MeetingsOverview } from '../../../shared/meetings/types';

export type TrayIconState = 'idle' | 'in-call' | 'offline' | 'unsynced';
export const trayIconStates: readonly TrayIconState[] = ['idle', 'in-call', 'offline', 'unsynced'];

export interface SyncStatus {
  /** Whether the coop server is reachable. */
  online: boolean;
  /** Local changes not yet synced. */
  pendingChanges: number;
}

/** What the sync feature tells the tray; the shell is given one once sync exists. */
export interface SyncStatusSource {
  status(): SyncStatus;
  syncNow(): void;
  subscribe(listener: () => void): () => void;
}

export interface TrayStatus {
  inCall: boolean;
  /** null when no coop server is connected: nothing to be offline from or to sync. */
  sync: SyncStatus | null;
  /** Unread chat messages across the member's rooms (0 or absent: none). */
  unread?: number;
  /** Invitations to rooms waiting for an answer (0 or absent: none). */
  invites?: number;
}

/** A call in progress matters most, then being offline, then unsynced work. */
export function trayIconState(status: TrayStatus): TrayIconState {
  if (status.inCall) return 'in-call';
  if (status.sync && !status.sync.online) return 'offline';
  if (status.sync && status.sync.pendingChanges > 0) return 'unsynced';
  return 'idle';
}

export interface TrayMeeting {
  circleId: string;
  circleName: string;
  roomLabel: string;
  start: number;
  end: number;
  target: JoinTarget;
}

export type TrayAction =
  | { type: 'join'; target: JoinTarget }
  | { type: 'leave' }
  | { type: 'sync' }
  | { type: 'open' }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'item'; id: string; label: string; enabled: boolean; action: TrayAction }
  | { kind: 'header'; label: string }
  | { kind: 'separator' };

export interface TrayMenuInput extends TrayStatus {
  live: readonly TrayMeeting[];
  upcoming: readonly TrayMeeting[];
  locale: string;
  /** The zone times are shown in (the system's; tests pass one). */
  timeZone?: string;
  now: number;
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Upcoming meetings listed, so the menu stays short. */
export const maxUpcomingInTray = 5;

/**
 * The meetings the tray offers: scheduled ones (one entry per room) and meetings started
 * through the BBB API, live first; scheduled meetings without a room cannot be joined, and
 * rooms on a server that is not a meeting host are left out (the tray could not explain why
 * joining them is refused; the main window does).
 */
export function trayMeetings(overview: MeetingsOverview): { live: TrayMeeting[]; upcoming: TrayMeeting[] } {
  const scheduled = (items: MeetingsOverview['live']) =>
    items.flatMap((o) =>
      o.rooms
        .filter((room) => room.hostAllowed)
        .map((room) => ({
        circleId: o.circleId,
        circleName: o.circleName,
        roomLabel: room.label,
        start: o.start,
        end: o.end,
        target: { kind: 'room' as const, circleId: o.circleId, roomId: room.roomId },
      })),
    );
  const running = overview.running.map((m) => ({
    circleId: m.circleId,
    circleName: m.assemblyTitle ? `${m.circleName}: ${m.assemblyTitle}` : m.circleName,
    roomLabel: m.meetingID,
    start: m.createTime,
    end: overview.now,
    target: { kind: 'running' as const, meetingID: m.meetingID },
  }));
  return { live: [...running, ...scheduled(overview.live)], upcoming: scheduled(overview.next) };
}

function targetKey(target: JoinTarget): string {
  return target.kind === 'room' ? `${target.circleId}:${target.roomId}` : target.kind === 'running' ? target.meetingID : target.url;
}

function meetingName(m: TrayMeeting, all: readonly TrayMeeting[]): string {
  // Name the room only when a circle has several, so "Join Stewards" stays short.
  const sameCircle = all.filter((o) => o.circleId === m.circleId && o.start === m.start);
  return sameCircle.length > 1 ? `${m.circleName} · ${m.roomLabel}` : m.circleName;
}

export function buildTrayMenu(input: TrayMenuInput, t: Translate): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  const sameDay = (a: number, b: number) => {
    const f = new Intl.DateTimeFormat('en-CA', { timeZone: input.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    return f.format(a) === f.format(b);
  };
  const time = new Intl.DateTimeFormat(input.locale, { timeZone: input.timeZone, hour: '2-digit', minute: '2-digit' });
  const dayAndTime = new Intl.DateTimeFormat(input.locale, { timeZone: input.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' });

  if (input.inCall) {
    items.push({ kind: 'item', id: 'leave', label: t('meetings:tray.leave'), enabled: true, action: { type: 'leave' } });
    items.push({ kind: 'separator' });
  }
  if (input.live.length > 0) {
    items.push({ kind: 'header', label: t('meetings:tray.liveNow') });
    for (const m of input.live) {
      items.push({
        kind: 'item',
        id: `join:${targetKey(m.target)}`,
        label: t('meetings:tray.join', { name: meetingName(m, input.live) }),
        enabled: !input.inCall,
        action: { type: 'join', target: m.target },
      });
    }
  }
  const upcoming = input.upcoming.filter((m) => m.start > input.now).slice(0, maxUpcomingInTray);
  if (upcoming.length > 0) {
    items.push({ kind: 'header', label: t('meetings:tray.upcoming') });
    for (const m of upcoming) {
      const when = sameDay(m.start, input.now) ? time.format(m.start) : dayAndTime.format(m.start);
      items.push({
        kind: 'item',
        id: `join:${targetKey(m.target)}:${m.start}`,
        label: t('meetings:tray.joinAt', { name: meetingName(m, upcoming), when }),
        enabled: !input.inCall,
        action: { type: 'join', target: m.target },
      });
    }
  }
  if (input.live.length === 0 && upcoming.length === 0) {
    items.push({ kind: 'item', id: 'no-meetings', label: t('meetings:tray.noMeetings'), enabled: false, action: { type: 'open' } });
  }
  items.push({ kind: 'separator' });
  if (input.sync) {
    items.push({
      kind: 'item',
      id: 'sync',
      label: input.sync.pendingChanges > 0 ? t('meetings:tray.syncPending', { count: input.sync.pendingChanges }) : t('meetings:tray.sync'),
      enabled: input.sync.online,
      action: { type: 'sync' },
    });
  }
  items.push({ kind: 'item', id: 'open', label: t('meetings:tray.open'), enabled: true, action: { type: 'open' } });
  items.push({ kind: 'separator' });
  items.push({ kind: 'item', id: 'quit', label: t('meetings:tray.quit'), enabled: true, action: { type: 'quit' } });
  return items;
}

/** The tray icon's tooltip: the app's name and what its state means. */
export function trayTooltip(state: TrayIconState, status: TrayStatus, t: Translate): string {
  const unread = Math.max(0, status.unread ?? 0);
  const invites = Math.max(0, status.invites ?? 0);
  // One tooltip for all: the state first, then the unread count, then invitations, so none hides another.
  const chat = [...(unread > 0 ? [t('chat:unreadCount', { count: unread })] : []), ...(invites > 0 ? [t('chat:invitationCount', { count: invites })] : [])];
  if (state === 'idle') {
    if (unread > 0) return [t('chat:tray.unread', { count: unread }), ...chat.slice(1)].join('\n');
    return invites > 0 ? t('chat:tray.invites', { count: invites }) : t('meetings:tray.tooltipIdle');
  }
  const line =
    state === 'in-call'
      ? t('meetings:tray.tooltipInCall')
      : state === 'offline'
        ? t('meetings:tray.tooltipOffline')
        : t('meetings:tray.tooltipUnsynced', { count: status.sync?.pendingChanges ?? 0 });
  return [line, ...chat].join('\n');
}
