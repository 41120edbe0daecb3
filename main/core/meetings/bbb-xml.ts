// Reads BigBlueButton API responses (XML; docs.bigbluebutton.org, development/api). Every
// response is <response><returncode>SUCCESS|FAILED</returncode>…</response>; FAILED ones
// carry <messageKey> and <message>. Anything else (not XML, a DOCTYPE, no returncode) is a
// malformed response, reported as such rather than guessed at.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type BbbErrorKind = 'failed' | 'malformed' | 'network' | 'http' | 'timeout';

/** A BBB call that did not succeed. `messageKey`/`message` are the server's for FAILED responses. */
export class BbbError extends Error {
  constructor(
    readonly kind: BbbErrorKind,
    readonly call: string,
    message: string,
    readonly messageKey?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BbbError';
  }
}

type XmlValue = string | XmlNode | XmlValue[];
interface XmlNode {
  [key: string]: XmlValue;
}

const arrayPaths = new Set([
  'response.meetings.meeting',
  'response.attendees.attendee',
  'response.meetings.meeting.attendees.attendee',
  'response.recordings.recording',
  'response.recordings.recording.playback.format',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => arrayPaths.has(String(jpath)),
});

export interface BbbResponse {
  returncode: 'SUCCESS';
  messageKey?: string;
  message?: string;
  node: XmlNode;
}

/** Parses a response body; FAILED and malformed responses throw BbbError. */
export function parseBbbResponse(call: string, xml: string): BbbResponse {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new BbbError('malformed', call, `The ${call} response contains a DOCTYPE, which BigBlueButton never sends.`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new BbbError('malformed', call, `The ${call} response is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}). Is the API URL right?`);
  }
  const doc = parser.parse(xml) as XmlNode;
  const response = doc.response;
  if (!response || typeof response !== 'object' || Array.isArray(response)) {
    throw new BbbError('malformed', call, `The ${call} response has no <response> element. Is the API URL right?`);
  }
  const returncode = text(response, 'returncode');
  const messageKey = text(response, 'messageKey');
  const message = text(response, 'message');
  if (returncode === 'FAILED') {
    throw new BbbError('failed', call, `BigBlueButton refused ${call}: ${message ?? messageKey ?? 'no reason given'}`, messageKey ?? 'unknown');
  }
  if (returncode !== 'SUCCESS') throw new BbbError('malformed', call, `The ${call} response has no SUCCESS or FAILED returncode.`);
  const result: BbbResponse = { returncode, node: response };
  if (messageKey !== undefined) result.messageKey = messageKey;
  if (message !== undefined) result.message = message;
  return result;
}

function child(node: XmlNode, key: string): XmlValue | undefined {
  return node[key];
}

export function text(node: XmlNode, key: string): string | undefined {
  const value = child(node, key);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function requireText(call: string, node: XmlNode, key: string): string {
  const value = text(node, key);
  if (value === undefined || value === '') throw new BbbError('malformed', call, `The ${call} response lacks <${key}>.`);
  return value;
}

function objectChild(node: XmlNode, key: string): XmlNode | undefined {
  const value = child(node, key);
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function list(node: XmlNode | undefined, key: string): XmlNode[] {
  if (!node) return [];
  const value = child(node, key);
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v));
}

const bool = (value: string | undefined) => value === 'true';
const int = (value: string | undefined) => (value !== undefined && /^-?\d+$/.test(value) ? Number(value) : 0);

function metadata(node: XmlNode): Record<string, string> {
  const meta = objectChild(node, 'metadata');
  if (!meta) return {};
  return Object.fromEntries(Object.entries(meta).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export interface CreatedMeeting {
  meetingID: string;
  internalMeetingID: string;
  createTime: number;
  /** True when the meeting already existed (BBB's duplicateWarning). */
  duplicate: boolean;
}

export function readCreate(response: BbbResponse): CreatedMeeting {
  const n = response.node;
  return {
    meetingID: requireText('create', n, 'meetingID'),
    internalMeetingID: text(n, 'internalMeetingID') ?? '',
    createTime: int(requireText('create', n, 'createTime')),
    duplicate: response.messageKey === 'duplicateWarning',
  };
}

export interface Attendee {
  userID: string;
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  isPresenter: boolean;
  isListeningOnly: boolean;
  hasJoinedVoice: boolean;
  hasVideo: boolean;
}

export interface MeetingInfo {
  meetingID: string;
  meetingName: string;
  internalMeetingID: string;
  createTime: number;
  running: boolean;
  participantCount: number;
  moderatorCount: number;
  recording: boolean;
  attendees: Attendee[];
  metadata: Record<string, string>;
}

function readMeetingNode(call: string, n: XmlNode): MeetingInfo {
  return {
    meetingID: requireText(call, n, 'meetingID'),
    meetingName: text(n, 'meetingName') ?? '',
    internalMeetingID: text(n, 'internalMeetingID') ?? '',
    createTime: int(text(n, 'createTime')),
    running: bool(text(n, 'running')),
    participantCount: int(text(n, 'participantCount')),
    moderatorCount: int(text(n, 'moderatorCount')),
    recording: bool(text(n, 'recording')),
    attendees: list(objectChild(n, 'attendees'), 'attendee').map((a) => ({
      userID: text(a, 'userID') ?? '',
      fullName: text(a, 'fullName') ?? '',
      role: text(a, 'role') === 'MODERATOR' ? 'MODERATOR' : 'VIEWER',
      isPresenter: bool(text(a, 'isPresenter')),
      isListeningOnly: bool(text(a, 'isListeningOnly')),
      hasJoinedVoice: bool(text(a, 'hasJoinedVoice')),
      hasVideo: bool(text(a, 'hasVideo')),
    })),
    metadata: metadata(n),
  };
}

export function readMeetingInfo(response: BbbResponse): MeetingInfo {
  return readMeetingNode('getMeetingInfo', response.node);
}

export function readMeetings(response: BbbResponse): MeetingInfo[] {
  return list(objectChild(response.node, 'meetings'), 'meeting').map((m) => readMeetingNode('getMeetings', m));
}

export function readRunning(response: BbbResponse): boolean {
  const running = requireText('isMeetingRunning', response.node, 'running');
  if (running !== 'true' && running !== 'false') throw new BbbError('malformed', 'isMeetingRunning', `<running> is "${running}", not true or false.`);
  return running === 'true';
}

export interface PlaybackFormat {
  type: string;
  url: string;
  /** Minutes. */
  length: number;
}

export interface Recording {
  recordID: string;
  meetingID: string;
  name: string;
  published: boolean;
  state: string;
  startTime: number;
  endTime: number;
  participants: number;
  playback: PlaybackFormat[];
  metadata: Record<string, string>;
}

export function readRecordings(response: BbbResponse): Recording[] {
  return list(objectChild(response.node, 'recordings'), 'recording').map((r) => ({
    recordID: requireText('getRecordings', r, 'recordID'),
    meetingID: text(r, 'meetingID') ?? '',
    name: text(r, 'name') ?? '',
    published: bool(text(r, 'published')),
    state: text(r, 'state') ?? '',
    startTime: int(text(r, 'startTime')),
    endTime: int(text(r, 'endTime')),
    participants: int(text(r, 'participants')),
    playback: list(objectChild(r, 'playback'), 'format').map((f) => ({
      type: text(f, 'type') ?? '',
      url: text(f, 'url') ?? '',
      length: int(text(f, 'length')),
    })),
    metadata: metadata(r),
  }));
}

export function readVersion(response: BbbResponse): { version: string; apiVersion: string } {
  return { version: text(response.node, 'version') ?? '', apiVersion: text(response.node, 'apiVersion') ?? '' };
}
