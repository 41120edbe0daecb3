// Web addresses in plain-text messages become links; the sentence around them does not.
import { describe, expect, it } from 'vitest';
import { linkify } from '../../shared/chat/linkify';

const links = (text: string) => linkify(text).filter((s) => s.kind === 'link').map((s) => s.text);

describe('linkify', () => {
  it('finds http and https addresses and keeps the text around them', () => {
    expect(linkify('see https://meet.coop/status now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://meet.coop/status', href: 'https://meet.coop/status' },
      { kind: 'text', text: ' now' },
    ]);
    expect(links('a http://bbb.example.coop:8080/b/x?y=1&z=2#top b')).toEqual(['http://bbb.example.coop:8080/b/x?y=1&z=2#top']);
    expect(links('two: https://a.coop and https://b.coop')).toEqual(['https://a.coop', 'https://b.coop']);
  });

  it('leaves sentence punctuation and unmatched brackets outside the link', () => {
    expect(links('Look at https://meet.coop/faq.')).toEqual(['https://meet.coop/faq']);
    expect(links('(details at https://meet.coop/about)')).toEqual(['https://meet.coop/about']);
    expect(links('https://en.wikipedia.org/wiki/Cooperative_(disambiguation), see')).toEqual(['https://en.wikipedia.org/wiki/Cooperative_(disambiguation)']);
    expect(links('“https://meet.coop/”!?')).toEqual(['https://meet.coop/']);
    const parts = linkify('Look at https://meet.coop/faq.');
    expect(parts.at(-1)).toEqual({ kind: 'text', text: '.' });
  });

  it('links no other scheme and no bare domain', () => {
    expect(links('javascript:alert(1) data:text/html,x ftp://x.coop file:///etc/passwd')).toEqual([]);
    expect(links('meet.coop and www.meet.coop and v2.1')).toEqual([]);
    expect(links('https:// alone, http://')).toEqual([]);
    // User info makes an address read as one place and go to another.
    expect(links('https://meet.coop@elsewhere.example/login')).toEqual([]);
  });

  it('keeps every character of the message, in order', () => {
    const text = 'a https://x.coop/(y) b, http://z.coop. c';
    expect(linkify(text).map((s) => s.text).join('')).toBe(text);
    expect(linkify('')).toEqual([]);
  });
});
