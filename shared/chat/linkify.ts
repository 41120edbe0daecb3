// Finds web addresses in a plain-text message so the page can make them clickable, as
// Element does. Only absolute http(s) addresses count (the schemes the shell opens
// outside); bare domains are left alone because "meet.coop" or "v2.1" in a sentence is
// more often prose than a link. Trailing punctuation belongs to the sentence, and a
// closing bracket only to an address that opened one (Wikipedia-style paths).

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const candidate = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const trailing = /[.,;:!?…'"”’»]+$/;

function trimAddress(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(trailing, '');
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
      if (url.endsWith(close) && url.split(close).length > url.split(open).length) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

// scheme://host[:port] then a path, query or fragment, or nothing. The host is DNS labels,
// an IPv4 address or a bracketed IPv6 one; user info ("user@host") is not accepted, since
// https://meet.coop@elsewhere.example reads as one place and goes to another.
const webAddress = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:[/?#][^\s]*)?$/i;

function isWebAddress(text: string): boolean {
  return webAddress.test(text);
}

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(candidate)) {
    const address = trimAddress(match[0]);
    if (!isWebAddress(address)) continue;
    const start = match.index;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: address, href: address });
    last = start + address.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
