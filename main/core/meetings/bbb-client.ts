// A BigBlueButton API client (works against BBB and Scalelite). It signs every call with
// the shared secret, which stays in main: join URLs carry only a checksum of it.
// Reference: docs.bigbluebutton.org, development/api.
import { bbbChecksum, encodeQuery, type ChecksumAlgorithm } from './bbb-checksum';
import {
  BbbError,
  parseBbbResponse,
  readCreate,
  readMeetingInfo,
  readMeetings,
  readRecordings,
  readRunning,
  readVersion,
  type BbbResponse,
  type CreatedMeeting,
  type MeetingInfo,
  type Recording,
} from './bbb-xml';

export interface BbbClientOptions {
  /** The API base, e.g. https://bbb.example.coop/bigbluebutton/api/ (trailing slash optional). */
  apiUrl: string;
  secret: string;
  algorithm: ChecksumAlgorithm;
  fetch?: typeof fetch;
  /** Per request; a server that does not answer in time is reported as unreachable. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CreateParams {
  meetingID: string;
  name: string;
  record?: boolean;
  welcome?: string;
  logoutURL?: string;
  duration?: number;
  /** meta_<key>=<value>; keys are lower-case letters, digits and hyphens. */
  meta?: Record<string, string>;
}

export interface JoinParams {
  meetingID: string;
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  /** Must match the meeting's createTime, so a link for an old meeting cannot join a new one. */
  createTime?: number;
  userID?: string;
  avatarURL?: string;
  /** userdata-bbb_<key>=<value> client settings, e.g. { auto_join_audio: true }. */
  userdata?: Record<string, string | boolean | number>;
}

const metaKey = /^[a-z][a-z0-9-]{0,63}$/;
const userdataKey = /^[a-z][a-z0-9_]{0,63}$/;

export function normalizeApiUrl(apiUrl: string): string {
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

/** meetingID rules from the create docs: 2-256 characters, no commas. */
export function checkMeetingId(meetingID: string): void {
  if (meetingID.length < 2 || meetingID.length > 256 || meetingID.includes(',')) {
    throw new BbbError('failed', 'create', `meetingID "${meetingID.slice(0, 40)}" must be 2-256 characters without commas.`, 'invalidMeetingIdentifier');
  }
}

export class BbbClient {
  readonly apiUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BbbClientOptions) {
    this.apiUrl = normalizeApiUrl(options.apiUrl);
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The signed URL of a call. */
  url(call: string, params: ReadonlyArray<readonly [string, string | number | boolean | undefined]>): string {
    const query = encodeQuery(params);
    const checksum = bbbChecksum(call, query, this.options.secret, this.options.algorithm);
    return `${this.apiUrl}${call}?${query === '' ? '' : `${query}&`}checksum=${checksum}`;
  }

  private async get(call: string, url: string): Promise<BbbResponse> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'follow' });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      const host = new URL(this.apiUrl).host;
      throw new BbbError(
        timedOut ? 'timeout' : 'network',
        call,
        timedOut
          ? `${host} did not answer ${call} within ${Math.round(this.timeoutMs / 1000)} s. Check the server, then try again.`
          : `Could not reach ${host} for ${call} (${cause instanceof Error ? cause.message : String(cause)}). Check the API URL and your connection.`,
        undefined,
        { cause },
      );
    }
    const body = await response.text();
    if (!response.ok && !body.trimStart().startsWith('<')) {
      throw new BbbError('http', call, `${new URL(this.apiUrl).host} answered ${call} with HTTP ${response.status}. Check the API URL.`);
    }
    return parseBbbResponse(call, body);
  }

  private signed(call: string, params: ReadonlyArray<readonly [string, string | number | boolean | undefined]>): Promise<BbbResponse> {
    return this.get(call, this.url(call, params));
  }

  /** GET on the API root: the server's version, no checksum needed. */
  async version(): Promise<{ version: string; apiVersion: string }> {
    return readVersion(await this.get('version', this.apiUrl));
  }

  /** Creates the meeting, or returns the running one when called again with the same parameters. */
  async create(params: CreateParams): Promise<CreatedMeeting> {
    checkMeetingId(params.meetingID);
    if (params.name.length < 2 || params.name.length > 64) {
      throw new BbbError('failed', 'create', 'The meeting name must be 2-64 characters.', 'invalidMeetingName');
    }
    const meta = Object.entries(params.meta ?? {}).map(([key, value]) => {
      if (!metaKey.test(key)) throw new BbbError('failed', 'create', `Metadata key "${key}" must be lower-case letters, digits and hyphens.`, 'invalidMetadata');
      return [`meta_${key}`, value] as const;
    });
    const response = await this.signed('create', [
      ['name', params.name],
      ['meetingID', params.meetingID],
      ['record', params.record === undefined ? undefined : String(params.record)],
      ['welcome', params.welcome],
      ['logoutURL', params.logoutURL],
      ['duration', params.duration],
      ...meta,
    ]);
    return readCreate(response);
  }

  /** A signed join URL; nothing is sent until a browser opens it. */
  joinUrl(params: JoinParams): string {
    const userdata = Object.entries(params.userdata ?? {}).map(([key, value]) => {
      if (!userdataKey.test(key)) throw new BbbError('failed', 'join', `Client setting "${key}" must be lower-case letters, digits and underscores.`, 'invalidUserdata');
      return [`userdata-bbb_${key}`, String(value)] as const;
    });
    return this.url('join', [
      ['fullName', params.fullName],
      ['meetingID', params.meetingID],
      ['role', params.role],
      ['createTime', params.createTime],
      ['userID', params.userID],
      ['avatarURL', params.avatarURL],
      ...userdata,
    ]);
  }

  async isMeetingRunning(meetingID: string): Promise<boolean> {
    return readRunning(await this.signed('isMeetingRunning', [['meetingID', meetingID]]));
  }

  async getMeetingInfo(meetingID: string): Promise<MeetingInfo> {
    return readMeetingInfo(await this.signed('getMeetingInfo', [['meetingID', meetingID]]));
  }

  async getMeetings(): Promise<MeetingInfo[]> {
    return readMeetings(await this.signed('getMeetings', []));
  }

  /**
   * Ends a meeting. BBB ends meetings asynchronously, so this polls isMeetingRunning until
   * it says false; a meeting still running after `timeoutMs` is an error.
   */
  async end(meetingID: string, options: { pollMs?: number; timeoutMs?: number } = {}): Promise<void> {
    await this.signed('end', [['meetingID', meetingID]]);
    const pollMs = options.pollMs ?? 500;
    const attempts = Math.max(1, Math.ceil((options.timeoutMs ?? 15_000) / pollMs));
    for (let i = 0; i < attempts; i++) {
      if (!(await this.isMeetingRunning(meetingID))) return;
      await this.sleep(pollMs);
    }
    throw new BbbError('timeout', 'end', `The meeting was asked to end but is still running after ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s. Try again.`);
  }

  async getRecordings(filter: { meetingID?: string[]; recordID?: string[]; meta?: Record<string, string> } = {}): Promise<Recording[]> {
    const params: [string, string | undefined][] = [
      ['meetingID', filter.meetingID?.join(',')],
      ['recordID', filter.recordID?.join(',')],
      ...Object.entries(filter.meta ?? {}).map(([k, v]) => [`meta_${k}`, v] as [string, string]),
    ];
    return readRecordings(await this.signed('getRecordings', params));
  }
}
