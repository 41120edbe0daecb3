// A forum post's cooked HTML, made safe exactly as chat messages are (chat/html-sanitizer.ts):
// the same allow-list, links only to absolute http(s) and mailto addresses, no images. Links
// Discourse writes relative to itself (mentions "/u/ana", topic links "/t/slug/12") are made
// absolute against the forum first, so they stay links and open on the forum.
import sanitizeHtml from 'sanitize-html';
import { sanitizeMatrixHtml } from '../chat/html-sanitizer';

export function sanitizeCookedHtml(cooked: string, site: string): string | null {
  // This first pass only rewrites hrefs and keeps every tag; the chat pass below is the one
  // that decides what stays, so letting script and style through here is safe.
  const absolute = sanitizeHtml(cooked, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: {
      a: (tagName, attribs) => {
        const href = attribs.href?.trim();
        if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return { tagName, attribs };
        try {
          return { tagName, attribs: { ...attribs, href: new URL(href, site.replace(/\/*$/, '/')).toString() } };
        } catch {
          return { tagName, attribs: { ...attribs, href: '' } };
        }
      },
    },
  });
  return sanitizeMatrixHtml(absolute);
}
