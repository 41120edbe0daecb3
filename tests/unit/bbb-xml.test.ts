// Reading BBB API responses: the documented success shapes, FAILED responses as errors
// carrying messageKey and message, and malformed bodies as clear errors.
import { describe, expect, it } from 'vitest';
import {
  BbbError,
  parseBbbResponse,
  readCreate,
  readMeetingInfo,
  readMeetings,
  readRecordings,
  readRunning,
} from '../../main/core/meetings/bbb-xml';

const failure = (fn: () => unknown): BbbError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof BbbError) return error;
    throw error;
  }
  throw new Error('expected a BbbError');
};

// Shaped after the examples in docs.bigbluebutton.org, development/api.
const meetingInfo = `<?xml version="1.0"?>
<response>
  <returncode>SUCCESS</returncode>
  <meetingName>Technology operations</meetingName>
  <meetingID>plenary-01JD0000000000000000000000</meetingID>
  <internalMeetingID>183f0bf3a0982a127bdb8161e0c44eb696b3e75c-1531240585189</internalMeetingID>
  <createTime>1531240585189</createTime>
  <createDate>Tue Jul 10 16:36:25 UTC 2018</createDate>
  <running>true</running>
  <recording>false</recording>
  <participantCount>2</participantCount>
  <moderatorCount>1</moderatorCount>
  <attendees>
    <attendee>
      <userID>@ana:meet.coop</userID>
      <fullName>Ana Ruiz</fullName>
      <role>MODERATOR</role>
      <isPresenter>true</isPresenter>
      <isListeningOnly>false</isListeningOnly>
      <hasJoinedVoice>true</hasJoinedVoice>
      <hasVideo>true</hasVideo>
      <clientType>HTML5</clientType>
    </attendee>
    <attendee>
      <userID>w_abc</userID>
      <fullName>Guest &amp; friend</fullName>
      <role>VIEWER</role>
      <isPresenter>false</isPresenter>
      <isListeningOnly>true</isListeningOnly>
      <hasJoinedVoice>false</hasJoinedVoice>
      <hasVideo>false</hasVideo>
    </attendee>
  </attendees>
  <metadata>
    <plenary-circle>01JD0000000000000000000000</plenary-circle>
    <bbb-origin>Plenary</bbb-origin>
  </metadata>
</response>`;

describe('BBB responses', () => {
  it('reads create, including the duplicateWarning of an idempotent repeat', () => {
    const created = readCreate(parseBbbResponse('create', '<response><returncode>SUCCESS</returncode><meetingID>m1</meetingID><internalMeetingID>i-1</internalMeetingID><createTime>1700000000000</createTime><messageKey></messageKey></response>'));
    expect(created).toEqual({ meetingID: 'm1', internalMeetingID: 'i-1', createTime: 1700000000000, duplicate: false });
    const repeat = readCreate(parseBbbResponse('create', '<response><returncode>SUCCESS</returncode><meetingID>m1</meetingID><createTime>1700000000000</createTime><messageKey>duplicateWarning</messageKey><message>This conference was already in existence.</message></response>'));
    expect(repeat.duplicate).toBe(true);
  });

  it('reads getMeetingInfo with attendees and metadata', () => {
    const info = readMeetingInfo(parseBbbResponse('getMeetingInfo', meetingInfo));
    expect(info).toMatchObject({ meetingName: 'Technology operations', running: true, participantCount: 2, moderatorCount: 1, createTime: 1531240585189 });
    expect(info.attendees).toEqual([
      { userID: '@ana:meet.coop', fullName: 'Ana Ruiz', role: 'MODERATOR', isPresenter: true, isListeningOnly: false, hasJoinedVoice: true, hasVideo: true },
      { userID: 'w_abc', fullName: 'Guest & friend', role: 'VIEWER', isPresenter: false, isListeningOnly: true, hasJoinedVoice: false, hasVideo: false },
    ]);
    expect(info.metadata).toEqual({ 'plenary-circle': '01JD0000000000000000000000', 'bbb-origin': 'Plenary' });
  });

  it('reads a meeting with an empty attendee list', () => {
    const info = readMeetingInfo(parseBbbResponse('getMeetingInfo', '<response><returncode>SUCCESS</returncode><meetingID>m</meetingID><running>false</running><attendees/><metadata/></response>'));
    expect(info.attendees).toEqual([]);
    expect(info.metadata).toEqual({});
  });

  it('reads getMeetings with one, several or no meetings', () => {
    const one = `<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a</meetingID><running>true</running><attendees><attendee><userID>u</userID><fullName>U</fullName><role>VIEWER</role></attendee></attendees></meeting></meetings></response>`;
    expect(readMeetings(parseBbbResponse('getMeetings', one)).map((m) => [m.meetingID, m.attendees.length])).toEqual([['a', 1]]);
    const two = `<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a</meetingID></meeting><meeting><meetingID>b</meetingID></meeting></meetings></response>`;
    expect(readMeetings(parseBbbResponse('getMeetings', two)).map((m) => m.meetingID)).toEqual(['a', 'b']);
    const none = '<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey><message>no meetings were found on this server</message></response>';
    expect(readMeetings(parseBbbResponse('getMeetings', none))).toEqual([]);
  });

  it('reads isMeetingRunning and refuses a value that is neither true nor false', () => {
    expect(readRunning(parseBbbResponse('isMeetingRunning', '<response><returncode>SUCCESS</returncode><running>true</running></response>'))).toBe(true);
    expect(readRunning(parseBbbResponse('isMeetingRunning', '<response><returncode>SUCCESS</returncode><running>false</running></response>'))).toBe(false);
    const error = failure(() => readRunning(parseBbbResponse('isMeetingRunning', '<response><returncode>SUCCESS</returncode><running>maybe</running></response>')));
    expect(error.kind).toBe('malformed');
  });

  it('reads getRecordings with playback formats, and the noRecordings answer', () => {
    const xml = `<response><returncode>SUCCESS</returncode><recordings><recording>
      <recordID>ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124</recordID><meetingID>c637ba21adcd0191f48f5c4bf23fab0f96ed5c18</meetingID>
      <name>Fred's Room</name><published>true</published><state>published</state><startTime>1530718721124</startTime><endTime>1530718810456</endTime>
      <participants>3</participants><metadata><plenary-assembly>A1</plenary-assembly></metadata>
      <playback><format><type>presentation</type><url>https://demo.bigbluebutton.org/playback/presentation/2.0/playback.html?meetingId=ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124</url><processingTime>7177</processingTime><length>0</length></format>
      <format><type>video</type><url>https://demo.bigbluebutton.org/podcast/ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124/meeting.mp4</url><length>2</length></format></playback>
    </recording></recordings></response>`;
    const [recording] = readRecordings(parseBbbResponse('getRecordings', xml));
    expect(recording).toMatchObject({ recordID: 'ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124', name: "Fred's Room", published: true, participants: 3, metadata: { 'plenary-assembly': 'A1' } });
    expect(recording!.playback.map((p) => p.type)).toEqual(['presentation', 'video']);
    expect(recording!.playback[0]!.url).toContain('/playback/presentation/2.0/playback.html?meetingId=');
    const none = '<response><returncode>SUCCESS</returncode><recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message></response>';
    expect(readRecordings(parseBbbResponse('getRecordings', none))).toEqual([]);
  });

  it('turns FAILED into an error carrying messageKey and message', () => {
    const error = failure(() =>
      parseBbbResponse('create', '<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey><message>Checksums do not match</message></response>'),
    );
    expect(error).toMatchObject({ kind: 'failed', call: 'create', messageKey: 'checksumError' });
    expect(error.message).toBe('BigBlueButton refused create: Checksums do not match');
    const bare = failure(() => parseBbbResponse('end', '<response><returncode>FAILED</returncode></response>'));
    expect(bare).toMatchObject({ kind: 'failed', messageKey: 'unknown' });
  });

  it.each([
    ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>', /no <response> element/],
    ['truncated XML', '<response><returncode>SUCCESS</returncode><meetingID>', /not well-formed XML/],
    ['plain text', 'Service Unavailable', /not well-formed XML|no <response>/],
    ['an empty body', '', /no <response> element|not well-formed/],
    ['no returncode', '<response><meetingID>x</meetingID></response>', /no SUCCESS or FAILED returncode/],
    ['an entity bomb', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><response><returncode>&lol2;</returncode></response>', /DOCTYPE/],
  ])('reports %s as malformed', (_name, body, message) => {
    const error = failure(() => parseBbbResponse('getMeetings', body));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(message);
  });

  it('reports a SUCCESS create without its required fields as malformed', () => {
    const error = failure(() => readCreate(parseBbbResponse('create', '<response><returncode>SUCCESS</returncode></response>')));
    expect(error).toMatchObject({ kind: 'malformed', message: 'The create response lacks <meetingID>.' });
  });
});
