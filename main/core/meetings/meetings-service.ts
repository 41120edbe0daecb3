// The meetings feature in the core: room links attached to circles, circle schedules and
// their occurrences (what is live and next), joining (a room, a pasted link, or a running
// API meeting), reminders, ICS export, and the operator actions of bbb-operator.ts. Every
// room link added and every join goes through the meeting hosts allow-list
// (policy/meeting-hosts.ts): a refused host is named in the error, and nothing is stored.
// Circles, rooms and schedules belong to governance (meeting-directory.ts): changes are
// recorded through GovernanceWriter.applyLocal so they sync like any other operation.
import { PlenaryError } from '../../../shared/errors';
import { normalizeMeetingHostInput, type MeetingHostsView } from '../../../shared/meetings/meeting-hosts';
import { newId } from '../../../shared/governance/ids';
import { parseRoomLink, type RoomLink } from '../../../shared/meetings/room-link';
import type {
  CircleMeetingsView,
  IcsExport,
  JoinResult,
  JoinTarget,
  MeetingReminder,
  MeetingsOverview,
  OccurrenceView,
  RoomView,
} from '../../../shared/meetings/types';
import { occurrences as scheduleOccurrences, readSchedule, type Schedule } from '../../../shared/schedule/schedule';
import { oneOffOccurrences } from '../../../shared/governance/time-poll';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import { createTranslator, resolveLocale, type Translate } from '../i18n/translator';
import type { Logger } from '../log';
import { buildIcs } from '../schedule/ics';
import { ReminderScheduler, type DueReminder, type UpcomingMeeting } from '../schedule/reminder-scheduler';
import type { SettingsService } from '../settings/settings-service';
import { allowedMeetingHosts, decideMeetingHost, meetingHostRefusal } from '../policy/meeting-hosts';
import { BbbOperator, type JoinTicket } from './bbb-operator';
import type { BbbConfigStore } from './bbb-config';
import type { DirectoryCircle, DirectoryRoom, GovernanceWriter, MeetingDirectory, MemberIdentity } from './meeting-directory';

/** Opens a meeting in the desktop app's meeting window; the browser bridge has none. */
export interface MeetingLauncher {
  open(request: { url: string; title: string }): void;
}

export interface MeetingsDeps {
  directory: MeetingDirectory;
  governance: GovernanceWriter;
  identity: MemberIdentity;
  config: BbbConfigStore;
  settings: SettingsService;
  /** coop.json's Greenlight and BigBlueButton hosts (policy/meeting-hosts.ts coopMeetingHosts); empty: the member's trusted hosts decide. */
  coopMeetingHosts: readonly string[];
  events: EventBus;
  clock: Clock;
  log: Logger;
  /** The system's preferred languages, for text main shows itself. */
  systemLanguages(): readonly string[];
  fetch?: typeof fetch;
}

const day = 86_400_000;
/** Today shows the next week, at most a few meetings per circle; each circle lists its next few. */
export const nextWindowMs = 7 * day;
export const todayPerCircle = 3;
export const occurrencesPerCircle = 5;
/** Running meetings are asked for again when Today looks and the last answer is older than this. */
export const runningMaxAgeMs = 20_000;

export function roomView(room: DirectoryRoom, link: RoomLink, hostAllowed: boolean): RoomView {
  return { roomId: room.roomId, label: room.label, url: link.url, kind: link.kind, host: link.host, hostAllowed };
}

export class MeetingsService {
  readonly operator: BbbOperator;
  readonly reminders: ReminderScheduler;
  private launcher: MeetingLauncher | null = null;
  private readonly reminderListeners = new Set<(reminder: MeetingReminder) => void>();
  private refreshing: Promise<void> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: MeetingsDeps) {
    this.operator = new BbbOperator({
      config: deps.config,
      directory: deps.directory,
      governance: deps.governance,
      identity: deps.identity,
      clock: deps.clock,
      log: deps.log,
      locale: () => this.locale(),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    this.reminders = new ReminderScheduler({
      clock: deps.clock,
      upcoming: (from, to) => this.upcoming(from, to),
      reminderMinutes: () => deps.settings.read('reminderMinutes'),
      doNotDisturb: () => deps.settings.read('doNotDisturb'),
      notify: (due) => this.remind(due),
      log: deps.log,
    });
    this.unsubscribe = deps.directory.subscribe(() => deps.events.emit('meetings.changed', { reason: 'rooms' }));
  }

  /** The Electron shell sets this so joins open its meeting window. */
  attachLauncher(launcher: MeetingLauncher | null): void {
    this.launcher = launcher;
  }

  /** Extra listeners for reminders (the desktop shell shows them as system notifications). */
  onReminder(listener: (reminder: MeetingReminder) => void): () => void {
    this.reminderListeners.add(listener);
    return () => this.reminderListeners.delete(listener);
  }

  /** Starts the reminder timer; close() stops it. */
  startBackgroundWork(): void {
    this.reminders.start();
  }

  close(): void {
    this.reminders.stop();
    this.unsubscribe();
  }

  locale(): string {
    return resolveLocale(this.deps.settings.read('locale'), this.deps.systemLanguages());
  }

  /** The locale for dates and times: the system's regional variant when it speaks the same language (en-GB, not en). */
  formatLocale(): string {
    const language = this.locale();
    const regional = this.deps.systemLanguages().find((tag) => tag.toLowerCase().split(/[-_]/)[0] === language);
    try {
      return regional ? (Intl.DateTimeFormat.supportedLocalesOf([regional.replace('_', '-')])[0] ?? language) : language;
    } catch {
      return language;
    }
  }

  translator(): Translate {
    return createTranslator(resolveLocale(this.deps.settings.read('locale'), this.deps.systemLanguages()), 'meetings');
  }

  private circles(): DirectoryCircle[] {
    return this.deps.directory.circles();
  }

  private circle(circleId: string): DirectoryCircle {
    const circle = this.circles().find((c) => c.id === circleId);
    if (!circle) throw new PlenaryError('not_found', `No circle with id ${circleId}`, { field: 'circleId' });
    return circle;
  }

  private rooms(circle: DirectoryCircle): RoomView[] {
    const hosts = this.hosts();
    return circle.rooms.flatMap((room) => {
      const parsed = parseRoomLink(room.url);
      if (parsed.ok) return [roomView(room, parsed.link, decideMeetingHost(hosts, parsed.link.url).allowed)];
      this.deps.log.warn('skipped a stored room link that no longer parses', { circleId: circle.id, roomId: room.roomId, reason: parsed.message });
      return [];
    });
  }

  // --- rooms and schedules -------------------------------------------------------------

  async addRoom(circleId: string, url: string, label: string): Promise<RoomView> {
    const circle = this.circle(circleId);
    const parsed = parseRoomLink(url);
    if (!parsed.ok) {
      throw new PlenaryError('invalid_input', parsed.message, { field: 'url', params: { field: 'url', detail: parsed.message, problem: parsed.problem } });
    }
    this.requireAllowedHost(parsed.link.url);
    const existing = this.rooms(circle).find((r) => r.url === parsed.link.url);
    if (existing) {
      const detail = `This room is already attached to ${circle.name} as “${existing.label}”.`;
      throw new PlenaryError('conflict', detail, { field: 'url', params: { detail } });
    }
    const room = { roomId: newId(this.deps.clock.now()), url: parsed.link.url, label: label.trim() };
    await this.deps.governance.applyLocal('circle.room.add', circle.id, room);
    this.deps.events.emit('meetings.changed', { reason: 'rooms' });
    return roomView(room, parsed.link, true);
  }

  async removeRoom(circleId: string, roomId: string): Promise<void> {
    const circle = this.circle(circleId);
    if (!circle.rooms.some((r) => r.roomId === roomId)) throw new PlenaryError('not_found', `The circle has no room ${roomId}`, { field: 'roomId' });
    await this.deps.governance.applyLocal('circle.room.remove', circle.id, { roomId });
    this.deps.events.emit('meetings.changed', { reason: 'rooms' });
  }

  async setSchedule(circleId: string, schedule: Schedule | null): Promise<void> {
    const circle = this.circle(circleId);
    if (schedule) {
      const parsed = readSchedule(schedule);
      if (!parsed.ok) {
        const field = `schedule.${parsed.field}`;
        throw new PlenaryError('invalid_input', parsed.message, { field, params: { field, detail: parsed.message } });
      }
    }
    await this.deps.governance.applyLocal('circle.update', circle.id, { fields: { schedule } });
    this.deps.events.emit('meetings.changed', { reason: 'schedule' });
  }

  // --- what is live and next -----------------------------------------------------------

  /** Scheduled meetings overlapping [from, to) across the member's circles, soonest first. */
  occurrences(from: number, to: number, perCircle = 50): OccurrenceView[] {
    const now = this.deps.clock.now();
    const all: OccurrenceView[] = [];
    for (const circle of this.circles()) {
      const oneOff = oneOffOccurrences(circle.oneOff ?? [], from, to);
      const parsed = circle.schedule ? readSchedule(circle.schedule) : null;
      if (!parsed?.ok && oneOff.length === 0) continue;
      const rooms = this.rooms(circle);
      for (const o of oneOff) {
        all.push({ circleId: circle.id, circleName: circle.name, start: o.start, end: o.end, live: o.start <= now && now < o.end, rooms, title: o.title });
      }
      if (!parsed?.ok) continue;
      for (const o of scheduleOccurrences(parsed.schedule, { from, to, limit: perCircle })) {
        all.push({ circleId: circle.id, circleName: circle.name, start: o.start, end: o.end, live: o.start <= now && now < o.end, rooms });
      }
    }
    return all.sort((a, b) => a.start - b.start || a.circleName.localeCompare(b.circleName));
  }

  private upcoming(from: number, to: number): UpcomingMeeting[] {
    return this.occurrences(from, to).map((o) => ({ circleId: o.circleId, circleName: o.circleName, start: o.start, end: o.end, roomId: o.rooms[0]?.roomId ?? null }));
  }

  overview(): MeetingsOverview {
    const now = this.deps.clock.now();
    const occurrences = this.occurrences(now, now + nextWindowMs, todayPerCircle);
    const circles: CircleMeetingsView[] = this.circles().map((circle) => {
      const view: CircleMeetingsView = { circleId: circle.id, circleName: circle.name, rooms: this.rooms(circle), schedule: null, next: [], assemblies: circle.assemblies };
      if (circle.schedule) {
        const parsed = readSchedule(circle.schedule);
        view.schedule = { ...circle.schedule, problem: parsed.ok ? null : `schedule.${parsed.field}: ${parsed.message}` };
        if (parsed.ok) view.next = scheduleOccurrences(parsed.schedule, { from: now, to: now + 400 * day, limit: occurrencesPerCircle });
      }
      // Meetings chosen in time polls come among the circle's next ones.
      const oneOff = oneOffOccurrences(circle.oneOff ?? [], now, now + 400 * day).map((m) => ({ start: m.start, end: m.end }));
      if (oneOff.length > 0) view.next = [...view.next, ...oneOff].sort((a, b) => a.start - b.start).slice(0, occurrencesPerCircle);
      return view;
    });
    const status = this.operator.status();
    return {
      now,
      live: occurrences.filter((o) => o.live),
      next: occurrences.filter((o) => !o.live && o.start > now).slice(0, 20),
      running: status.running,
      circles,
      api: { configured: this.operator.isConfigured(), host: this.operator.apiHost(), checkedAt: status.checkedAt, error: status.error },
    };
  }

  /** Asks BBB again which meetings run, when the last answer is stale; tells listeners when done. */
  refreshRunningIfStale(): void {
    if (!this.operator.isConfigured() || this.refreshing) return;
    const checkedAt = this.operator.status().checkedAt;
    if (checkedAt !== null && this.deps.clock.now() - checkedAt < runningMaxAgeMs) return;
    void this.refreshRunning();
  }

  async refreshRunning(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.operator.refreshRunning().finally(() => {
        this.refreshing = null;
        this.deps.events.emit('meetings.changed', { reason: 'running' });
      });
    }
    await this.refreshing;
  }

  // --- the meeting hosts allow-list ----------------------------------------------------

  /** Where meetings may run now: coop.json's hosts, or the member's trusted hosts and the operator's BBB server. */
  hosts(): MeetingHostsView {
    return allowedMeetingHosts({ coop: this.deps.coopMeetingHosts, trusted: this.deps.settings.read('trustedMeetingHosts'), apiUrl: this.deps.config.apiUrl() });
  }

  /** Throws a refusal naming the host and the setting when the URL's server is not allowed. */
  requireAllowedHost(url: string): void {
    const decision = decideMeetingHost(this.hosts(), url);
    if (decision.allowed) return;
    this.deps.log.warn('refused a room on a host that is not a meeting host', { host: decision.host, decidedBy: decision.decidedBy });
    throw new PlenaryError('forbidden', meetingHostRefusal(decision), {
      field: 'url',
      params: { reason: 'host_not_allowed', host: decision.host, origin: decision.origin, decidedBy: decision.decidedBy, url },
    });
  }

  /** Adds a host to the member's trusted hosts (a room link or "meet.example.coop"); refused when coop.json decides. */
  trustHost(input: string): MeetingHostsView {
    if (this.hosts().decidedBy === 'coop') {
      throw new PlenaryError('forbidden', "The coop's configuration (coop.json) decides the meeting hosts; ask the coop to add this one.", {
        field: 'host',
        params: { reason: 'coop_decides' },
      });
    }
    const normalized = normalizeMeetingHostInput(input);
    if (!normalized.ok) {
      const detail = `"${input.slice(0, 80)}" is not a meeting host such as https://meet.example.coop.`;
      throw new PlenaryError('invalid_input', detail, { field: 'host', params: { field: 'host', detail, problem: normalized.problem } });
    }
    const trusted = this.deps.settings.read('trustedMeetingHosts');
    if (!trusted.includes(normalized.pattern)) {
      this.deps.settings.write({ key: 'trustedMeetingHosts', value: [...trusted, normalized.pattern] });
      this.deps.log.info('the member trusted a meeting host', { host: normalized.pattern });
      this.deps.events.emit('meetings.changed', { reason: 'settings' });
    }
    return this.hosts();
  }

  /** Removes a host from the member's trusted hosts; coop.json's cannot be removed here. */
  forgetHost(pattern: string): MeetingHostsView {
    const trusted = this.deps.settings.read('trustedMeetingHosts');
    if (!trusted.includes(pattern)) throw new PlenaryError('not_found', `${pattern} is not one of your trusted meeting hosts.`, { field: 'pattern' });
    this.deps.settings.write({ key: 'trustedMeetingHosts', value: trusted.filter((p) => p !== pattern) });
    this.deps.events.emit('meetings.changed', { reason: 'settings' });
    return this.hosts();
  }

  // --- joining -------------------------------------------------------------------------

  private launch(ticket: JoinTicket): JoinResult {
    this.requireAllowedHost(ticket.url);
    if (this.launcher) {
      this.launcher.open(ticket);
      return { url: ticket.url, openedIn: 'meeting-window' };
    }
    return { url: ticket.url, openedIn: 'caller' };
  }

  async join(target: JoinTarget): Promise<JoinResult> {
    switch (target.kind) {
      case 'room': {
        const circle = this.circle(target.circleId);
        const room = this.rooms(circle).find((r) => r.roomId === target.roomId);
        if (!room) throw new PlenaryError('not_found', `The circle has no room ${target.roomId}`, { field: 'roomId' });
        this.deps.log.info('joining a room', { circleId: circle.id, host: room.host, kind: room.kind });
        return this.launch({ url: room.url, title: circle.name });
      }
      case 'link': {
        const parsed = parseRoomLink(target.url);
        if (!parsed.ok) {
          throw new PlenaryError('invalid_input', parsed.message, { field: 'url', params: { field: 'url', detail: parsed.message, problem: parsed.problem } });
        }
        this.deps.log.info('joining a room by link', { host: parsed.link.host, kind: parsed.link.kind });
        return this.launch({ url: parsed.link.url, title: parsed.link.host });
      }
      case 'running':
        return this.launch(await this.operator.joinRunning(target.meetingID));
    }
  }

  /** A room by id alone (plenary://join?room=…), searched across the member's circles. */
  findRoom(roomId: string): { circleId: string; roomId: string; url: string } | null {
    for (const circle of this.circles()) {
      const room = this.rooms(circle).find((r) => r.roomId === roomId);
      if (room) return { circleId: circle.id, roomId, url: room.url };
    }
    return null;
  }

  async start(input: { circleId: string; assemblyId: string | null; record: boolean }): Promise<JoinResult> {
    const ticket = await this.operator.start(input);
    void this.refreshRunning();
    return this.launch(ticket);
  }

  // --- reminders and calendar export ---------------------------------------------------

  private remind(due: DueReminder): void {
    const t = this.translator();
    const time = new Intl.DateTimeFormat(this.formatLocale(), { hour: '2-digit', minute: '2-digit' }).format(due.start);
    const reminder: MeetingReminder = {
      circleId: due.circleId,
      circleName: due.circleName,
      start: due.start,
      roomId: due.roomId,
      title: due.minutesBefore > 0 ? t('meetings:reminder.title', { circle: due.circleName, count: due.minutesBefore }) : t('meetings:reminder.titleNow', { circle: due.circleName }),
      body: due.roomId ? t('meetings:reminder.bodyJoin', { time }) : t('meetings:reminder.body', { time }),
    };
    this.showReminder(reminder);
  }

  /**
   * Shows a reminder the way meeting reminders are shown: in the page and, in the desktop
   * app, as a system notification (onReminder). Vote reminders use it too (vote-reminder-service.ts).
   */
  showReminder(reminder: MeetingReminder): void {
    this.deps.events.emit('meetings.reminder', reminder);
    for (const listener of this.reminderListeners) listener(reminder);
  }

  exportIcs(circleId: string): IcsExport {
    const circle = this.circle(circleId);
    if (!circle.schedule) throw new PlenaryError('not_found', `${circle.name} has no meeting schedule to export`, { field: 'circleId' });
    const parsed = readSchedule(circle.schedule);
    if (!parsed.ok) throw new PlenaryError('invalid_input', parsed.message, { field: `schedule.${parsed.field}` });
    const t = this.translator();
    const content = buildIcs({
      circleId: circle.id,
      circleName: circle.name,
      schedule: parsed.schedule,
      rooms: this.rooms(circle).map((r) => ({ label: r.label, url: r.url })),
      now: this.deps.clock.now(),
      describeRoom: (label, url) => t('meetings:ics.joinRoom', { label, url }),
    });
    const slug = circle.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'circle';
    return { filename: `${slug}-meetings.ics`, content };
  }
}
