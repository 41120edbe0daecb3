// What an operator with BBB API credentials can do from Plenary: save and test the
// credentials, start a circle's (or an assembly's) meeting, see which are running with
// whom, end them, import attendees into an assembly's attendance and attach recordings to
// its minutes. The shared secret is read from the SecretStore only to sign requests here;
// no result of these methods contains it.
import { PlenaryError } from '../../../shared/errors';
import { actorIdSchema } from '../../../shared/governance/operation';
import { normalizeBbbApiUrl } from '../../../shared/meetings/api-url';
import { parseWebAddress } from '../../../shared/meetings/room-link';
import type {
  AttendanceImport,
  BbbSettingsView,
  ChecksumAlgorithmName,
  RecordingView,
  RunningMeetingView,
} from '../../../shared/meetings/types';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { BbbClient } from './bbb-client';
import type { BbbConfigStore } from './bbb-config';
import { BbbError, type MeetingInfo } from './bbb-xml';
import type { DirectoryCircle, GovernanceWriter, MeetingDirectory, MemberIdentity } from './meeting-directory';

export const circleMetaKey = 'plenary-circle';
export const assemblyMetaKey = 'plenary-assembly';

export interface OperatorDeps {
  config: BbbConfigStore;
  directory: MeetingDirectory;
  governance: GovernanceWriter;
  identity: MemberIdentity;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
  /** The member's language, passed to BBB so its client speaks it. */
  locale(): string;
}

export interface JoinTicket {
  url: string;
  title: string;
}

/** The meetingID Plenary uses: one per circle, or per assembly when it is an assembly's meeting. */
export function meetingIdFor(circleId: string, assemblyId: string | null): string {
  return assemblyId ? `plenary-${circleId}-${assemblyId}` : `plenary-${circleId}`;
}

/** BBB wants 2-64 characters. */
export function meetingName(circleName: string, assemblyTitle: string | null): string {
  const name = assemblyTitle ? `${circleName}: ${assemblyTitle}` : circleName;
  const trimmed = name.trim().slice(0, 64);
  return trimmed.padEnd(2, '·');
}

export function remoteError(error: unknown, field?: string): PlenaryError {
  if (error instanceof PlenaryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const params: Record<string, string> = { detail: message };
  if (error instanceof BbbError && error.messageKey) params.messageKey = error.messageKey;
  return new PlenaryError('remote_error', message, field === undefined ? { params, cause: error } : { field, params, cause: error });
}

export class BbbOperator {
  private running: RunningMeetingView[] = [];
  private checkedAt: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly deps: OperatorDeps) {}

  private client(credentials = this.deps.config.credentials()): BbbClient {
    if (!credentials) {
      throw new PlenaryError('not_supported', 'Starting meetings needs BBB API credentials; an operator adds them in Settings > Meetings.', { params: { feature: 'bbb-api' } });
    }
    return new BbbClient({ ...credentials, ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}) });
  }

  settingsView(): BbbSettingsView {
    return {
      apiUrl: this.deps.config.apiUrl(),
      algorithm: this.deps.config.algorithm(),
      secretStored: this.deps.config.hasSecret(),
      secretPersistence: this.deps.config.secretPersistence(),
      displayName: this.deps.config.displayName(),
    };
  }

  isConfigured(): boolean {
    return this.deps.config.credentials() !== null;
  }

  apiHost(): string | null {
    const url = this.deps.config.apiUrl();
    if (!url) return null;
    const normalized = normalizeBbbApiUrl(url);
    return normalized.ok ? normalized.host : null;
  }

  status(): { running: RunningMeetingView[]; checkedAt: number | null; error: string | null } {
    return { running: this.running, checkedAt: this.checkedAt, error: this.lastError };
  }

  /** Checks the server answers and accepts the secret before anything is stored. */
  async saveSettings(input: { apiUrl: string; algorithm: ChecksumAlgorithmName; secret?: string }): Promise<BbbSettingsView> {
    const normalized = normalizeBbbApiUrl(input.apiUrl);
    if (!normalized.ok) throw new PlenaryError('invalid_input', normalized.message, { field: 'apiUrl', params: { field: 'apiUrl', detail: normalized.message } });
    const secret = input.secret ?? this.deps.config.credentials()?.secret;
    if (!secret) {
      const detail = 'Enter the shared secret (bbb-conf --secret prints it on the server).';
      throw new PlenaryError('invalid_input', detail, { field: 'secret', params: { field: 'secret', detail } });
    }
    const credentials = { apiUrl: normalized.apiUrl, algorithm: input.algorithm, secret };
    const client = this.client(credentials);
    try {
      await client.version();
    } catch (error) {
      throw remoteError(error, 'apiUrl');
    }
    try {
      await client.getMeetings();
    } catch (error) {
      if (error instanceof BbbError && error.messageKey === 'checksumError') {
        const detail = `${normalized.host} refused the secret: check it, and the checksum algorithm (${input.algorithm}); Scalelite does not accept sha384.`;
        throw new PlenaryError('invalid_input', detail, { field: 'secret', params: { field: 'secret', detail } });
      }
      throw remoteError(error, 'apiUrl');
    }
    this.deps.config.save(credentials);
    this.deps.log.info('BBB API credentials saved', { host: normalized.host, algorithm: input.algorithm });
    return this.settingsView();
  }

  setDisplayName(name: string): BbbSettingsView {
    this.deps.config.setDisplayName(name.trim());
    return this.settingsView();
  }

  clearSettings(): BbbSettingsView {
    this.deps.config.clear();
    this.running = [];
    this.checkedAt = null;
    this.lastError = null;
    return this.settingsView();
  }

  private fullName(): string {
    const name = this.deps.config.displayName() || this.deps.identity.displayName() || this.deps.identity.memberId();
    return name.slice(0, 128);
  }

  private joinUrl(client: BbbClient, meetingID: string, createTime: number, role: 'MODERATOR' | 'VIEWER'): string {
    return client.joinUrl({
      meetingID,
      fullName: this.fullName(),
      role,
      createTime,
      userID: this.deps.identity.memberId(),
      // Straight into the call with the microphone, in the member's language.
      userdata: { auto_join_audio: true, listen_only_mode: false, override_default_locale: this.deps.locale() },
    });
  }

  private circle(circleId: string): DirectoryCircle {
    const circle = this.deps.directory.circles().find((c) => c.id === circleId);
    if (!circle) throw new PlenaryError('not_found', `No circle with id ${circleId}`, { field: 'circleId' });
    return circle;
  }

  /** Creates the meeting (idempotently: a second start returns the running one) and a moderator join URL. */
  async start(input: { circleId: string; assemblyId: string | null; record: boolean }): Promise<JoinTicket> {
    const circle = this.circle(input.circleId);
    const assembly = input.assemblyId === null ? null : circle.assemblies.find((a) => a.id === input.assemblyId);
    if (assembly === undefined) throw new PlenaryError('not_found', `The circle has no assembly ${input.assemblyId}`, { field: 'assemblyId' });
    const client = this.client();
    const meetingID = meetingIdFor(circle.id, assembly?.id ?? null);
    const meta: Record<string, string> = { [circleMetaKey]: circle.id, 'bbb-origin': 'Plenary' };
    if (assembly) meta[assemblyMetaKey] = assembly.id;
    let createTime: number;
    try {
      createTime = (await client.create({ meetingID, name: meetingName(circle.name, assembly?.title ?? null), record: input.record, meta })).createTime;
    } catch (error) {
      // Running already with other parameters (the circle was renamed since): join it as it is.
      if (!(error instanceof BbbError && error.messageKey === 'idNotUnique')) throw remoteError(error);
      try {
        createTime = (await client.getMeetingInfo(meetingID)).createTime;
      } catch (inner) {
        throw remoteError(inner);
      }
    }
    this.deps.log.info('started a meeting through the BBB API', { meetingID, record: input.record });
    return { url: this.joinUrl(client, meetingID, createTime, 'MODERATOR'), title: circle.name };
  }

  /** A viewer's join URL for a running meeting of one of the member's circles. */
  async joinRunning(meetingID: string): Promise<JoinTicket> {
    const client = this.client();
    const info = await this.plenaryMeeting(client, meetingID);
    return { url: this.joinUrl(client, meetingID, info.createTime, 'VIEWER'), title: info.meetingName };
  }

  private async plenaryMeeting(client: BbbClient, meetingID: string): Promise<MeetingInfo & { circle: DirectoryCircle }> {
    let info: MeetingInfo;
    try {
      info = await client.getMeetingInfo(meetingID);
    } catch (error) {
      if (error instanceof BbbError && error.messageKey === 'notFound') {
        throw new PlenaryError('not_found', 'That meeting is not running any more.', { field: 'meetingID', cause: error });
      }
      throw remoteError(error);
    }
    const circle = this.deps.directory.circles().find((c) => c.id === info.metadata[circleMetaKey]);
    if (!circle) throw new PlenaryError('forbidden', 'That meeting does not belong to one of your circles.', { field: 'meetingID' });
    return { ...info, circle };
  }

  /** Asks the server which of the member's circles' meetings are running. */
  async refreshRunning(): Promise<void> {
    if (!this.isConfigured()) {
      this.running = [];
      return;
    }
    try {
      const meetings = await this.client().getMeetings();
      const circles = new Map(this.deps.directory.circles().map((c) => [c.id, c]));
      this.running = meetings.flatMap((m) => {
        const circle = circles.get(m.metadata[circleMetaKey] ?? '');
        if (!circle) return [];
        const assemblyId = m.metadata[assemblyMetaKey] ?? null;
        return [
          {
            meetingID: m.meetingID,
            circleId: circle.id,
            circleName: circle.name,
            assemblyId,
            assemblyTitle: circle.assemblies.find((a) => a.id === assemblyId)?.title ?? null,
            createTime: m.createTime,
            participantCount: m.participantCount,
            recording: m.recording,
            attendees: m.attendees.map((a) => ({ name: a.fullName, role: a.role, memberId: actorIdSchema.safeParse(a.userID).success ? a.userID : null })),
          },
        ];
      });
      this.lastError = null;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.deps.log.warn('could not list running meetings', { reason: this.lastError });
    }
    this.checkedAt = this.deps.clock.now();
  }

  /** Ends the meeting and waits until BBB confirms it stopped. */
  async end(meetingID: string): Promise<void> {
    const client = this.client();
    await this.plenaryMeeting(client, meetingID);
    try {
      await client.end(meetingID);
    } catch (error) {
      throw remoteError(error);
    }
    this.deps.log.info('ended a meeting through the BBB API', { meetingID });
  }

  /** Records everyone in the call who joined as a member as present at the assembly. */
  async importAttendance(meetingID: string, assemblyId: string): Promise<AttendanceImport> {
    const info = await this.plenaryMeeting(this.client(), meetingID);
    if (!info.circle.assemblies.some((a) => a.id === assemblyId)) {
      throw new PlenaryError('not_found', `The meeting's circle has no assembly ${assemblyId}`, { field: 'assemblyId' });
    }
    const imported: AttendanceImport['imported'] = [];
    const unmatched: AttendanceImport['unmatched'] = [];
    const seen = new Set<string>();
    for (const attendee of info.attendees) {
      if (!actorIdSchema.safeParse(attendee.userID).success) {
        unmatched.push({ name: attendee.fullName });
        continue;
      }
      if (seen.has(attendee.userID)) continue;
      seen.add(attendee.userID);
      await this.deps.governance.applyLocal('assembly.attendance.set', info.circle.id, { assemblyId, member: attendee.userID, status: 'present' });
      imported.push({ memberId: attendee.userID, name: attendee.fullName });
    }
    this.deps.log.info('imported attendance from a meeting', { meetingID, assemblyId, imported: imported.length, unmatched: unmatched.length });
    return { imported, unmatched };
  }

  async recordings(circleId: string): Promise<RecordingView[]> {
    this.circle(circleId);
    let recordings;
    try {
      recordings = await this.client().getRecordings({ meta: { [circleMetaKey]: circleId } });
    } catch (error) {
      throw remoteError(error);
    }
    return recordings
      .filter((r) => r.metadata[circleMetaKey] === circleId)
      .map((r) => ({
        recordID: r.recordID,
        meetingID: r.meetingID,
        name: r.name,
        startTime: r.startTime,
        endTime: r.endTime,
        circleId,
        assemblyId: r.metadata[assemblyMetaKey] ?? null,
        playback: r.playback.filter((p) => parseWebAddress(p.url).ok).map((p) => ({ type: p.type, url: p.url, minutes: p.length })),
      }));
  }

  async attachRecording(input: { circleId: string; assemblyId: string; recordID: string; url: string; label: string }): Promise<void> {
    const circle = this.circle(input.circleId);
    if (!circle.assemblies.some((a) => a.id === input.assemblyId)) {
      throw new PlenaryError('not_found', `The circle has no assembly ${input.assemblyId}`, { field: 'assemblyId' });
    }
    const address = parseWebAddress(input.url);
    if (!address.ok) throw new PlenaryError('invalid_input', address.message, { field: 'url', params: { field: 'url', detail: address.message } });
    await this.deps.governance.applyLocal('assembly.recording.add', circle.id, {
      assemblyId: input.assemblyId,
      recordingId: input.recordID,
      url: input.url,
      label: input.label,
    });
  }
}
