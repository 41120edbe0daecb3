// The meeting hosts allow-list: coop.json's Greenlight and BBB hosts decide alone when they
// exist; otherwise the member's trusted hosts and the operator's BBB server. What a member
// types becomes a normalised pattern, and the setting refuses anything else.
import { describe, expect, it } from 'vitest';
import { normalizeMeetingHostInput } from '../../shared/meetings/meeting-hosts';
import { settingSchemas } from '../../shared/settings';
import { validateCoopConfig } from '../../main/core/config/coop-config';
import { allowedMeetingHosts, coopMeetingHosts, decideMeetingHost, isAllowedMeetingUrl, meetingHostRefusal } from '../../main/core/policy/meeting-hosts';

const coopJson = {
  version: 1,
  coop: { name: 'meet.coop' },
  greenlight: { hosts: ['https://meet.coop'] },
  bbb: { hosts: ['https://*.bbb.meet.coop'] },
};

describe('meeting hosts: who decides', () => {
  it('lets coop.json decide alone when it lists Greenlight or BBB hosts', () => {
    const parsed = validateCoopConfig(coopJson);
    if (!parsed.ok) throw new Error(parsed.messages.join('\n'));
    const hosts = allowedMeetingHosts({ coop: coopMeetingHosts(parsed.config), trusted: ['https://meet.elsewhere.org'], apiUrl: 'https://api.elsewhere.org/bigbluebutton/api' });
    expect(hosts).toEqual({
      decidedBy: 'coop',
      entries: [
        { pattern: 'https://meet.coop', source: 'coop' },
        { pattern: 'https://*.bbb.meet.coop', source: 'coop' },
      ],
    });
    expect(isAllowedMeetingUrl(hosts, 'https://meet.coop/b/abc-def-ghi')).toBe(true);
    expect(isAllowedMeetingUrl(hosts, 'https://bbb3.bbb.meet.coop/html5client/join?sessionToken=x')).toBe(true);
    // Neither the member's list nor the operator's server counts then.
    expect(isAllowedMeetingUrl(hosts, 'https://meet.elsewhere.org/b/abc-def-ghi')).toBe(false);
    expect(isAllowedMeetingUrl(hosts, 'https://api.elsewhere.org/bigbluebutton/api/join?checksum=x')).toBe(false);
  });

  it('uses the member’s trusted hosts and the operator’s BBB server without coop hosts', () => {
    expect(coopMeetingHosts(null)).toEqual([]);
    const hosts = allowedMeetingHosts({ coop: [], trusted: ['https://meet.example.coop'], apiUrl: 'https://bbb.example.coop/bigbluebutton/api' });
    expect(hosts).toEqual({
      decidedBy: 'member',
      entries: [
        { pattern: 'https://meet.example.coop', source: 'member' },
        { pattern: 'https://bbb.example.coop', source: 'api' },
      ],
    });
    // The API server is not listed twice when the member trusts it already.
    expect(allowedMeetingHosts({ coop: [], trusted: ['https://bbb.example.coop'], apiUrl: 'https://bbb.example.coop/bigbluebutton/api' }).entries).toHaveLength(1);
    expect(allowedMeetingHosts({ coop: [], trusted: [], apiUrl: null })).toEqual({ decidedBy: 'member', entries: [] });
  });

  it('matches scheme, host and port exactly, and wildcards one level only', () => {
    const hosts = allowedMeetingHosts({ coop: [], trusted: ['https://meet.example.coop', 'https://*.bbb.example.coop', 'http://127.0.0.1:3000'], apiUrl: null });
    expect(isAllowedMeetingUrl(hosts, 'https://meet.example.coop:443/b/x')).toBe(true);
    expect(isAllowedMeetingUrl(hosts, 'http://meet.example.coop/b/x')).toBe(false);
    expect(isAllowedMeetingUrl(hosts, 'https://meet.example.coop:8443/b/x')).toBe(false);
    expect(isAllowedMeetingUrl(hosts, 'https://meet.example.coop.evil.example/b/x')).toBe(false);
    expect(isAllowedMeetingUrl(hosts, 'https://a.bbb.example.coop/')).toBe(true);
    expect(isAllowedMeetingUrl(hosts, 'https://a.b.bbb.example.coop/')).toBe(false);
    expect(isAllowedMeetingUrl(hosts, 'http://127.0.0.1:3000/b/abc-def-ghi')).toBe(true);
    expect(isAllowedMeetingUrl(hosts, 'javascript:alert(1)')).toBe(false);
  });

  it('refuses with the host and who decides, in a sentence naming the setting', () => {
    const member = allowedMeetingHosts({ coop: [], trusted: [], apiUrl: null });
    const refusal = decideMeetingHost(member, 'https://meet.example:8443/b/abc-def-ghi');
    expect(refusal).toEqual({ allowed: false, host: 'meet.example:8443', origin: 'https://meet.example:8443', decidedBy: 'member' });
    if (refusal.allowed) throw new Error('expected a refusal');
    expect(meetingHostRefusal(refusal)).toBe('meet.example:8443 is not one of your meeting hosts: add it in Settings › Meetings › Trusted hosts.');
    expect(meetingHostRefusal({ ...refusal, decidedBy: 'coop' })).toMatch(/the coop's configuration \(coop\.json\) does not list it/);
  });
});

describe('meeting hosts: what a member types', () => {
  it('accepts a host name, a room link or a wildcard, and stores a normalised pattern', () => {
    expect(normalizeMeetingHostInput(' Meet.Example.Coop ')).toEqual({ ok: true, pattern: 'https://meet.example.coop' });
    expect(normalizeMeetingHostInput('https://meet.example.coop/b/abc-def-ghi?x=1')).toEqual({ ok: true, pattern: 'https://meet.example.coop' });
    expect(normalizeMeetingHostInput('https://meet.example.coop:443')).toEqual({ ok: true, pattern: 'https://meet.example.coop' });
    expect(normalizeMeetingHostInput('https://*.example.coop')).toEqual({ ok: true, pattern: 'https://*.example.coop' });
    expect(normalizeMeetingHostInput('http://localhost:8090/b/x')).toEqual({ ok: true, pattern: 'http://localhost:8090' });
  });

  it('says what is wrong with anything else', () => {
    expect(normalizeMeetingHostInput('  ')).toEqual({ ok: false, problem: 'empty' });
    expect(normalizeMeetingHostInput('http://meet.example.coop')).toEqual({ ok: false, problem: 'insecure' });
    for (const bad of ['ftp://meet.example.coop', 'https://user@meet.example.coop', 'meet example', 'https://-bad.coop', 'javascript:alert(1)']) {
      expect(normalizeMeetingHostInput(bad), bad).toMatchObject({ ok: false });
    }
  });

  it('keeps the setting to valid, distinct patterns', () => {
    expect(settingSchemas.trustedMeetingHosts.parse(['meet.example.coop', 'https://meet.example.coop/b/x'])).toEqual(['https://meet.example.coop']);
    const bad = settingSchemas.trustedMeetingHosts.safeParse(['http://meet.example.coop']);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/is not a meeting host such as https:\/\/meet\.example\.coop \(insecure\)/);
  });
});
