// Sanitizes formatted_body HTML to the allow-list the Matrix client-server spec suggests
// (section "m.room.message msgtypes", HTML: tags, attributes per tag, and a nesting limit
// of 100). Differences on purpose: links only to absolute https, http and mailto URLs, the
// same rule the shell applies before opening one in the system browser (no relative links,
// which would resolve against Plenary's own pages; no matrix:, ftp or magnet); any other
// link keeps its text as plain text; colours only as hex #rrggbb (or #rgb); images are dropped
// because mxc:// media needs an authenticated download Plenary does not do yet; the reply
// fallback (<mx-reply>) is removed since replies are shown from the replied-to event.
import sanitizeHtml from 'sanitize-html';
import { isSafeExternalUrl } from '../policy/app-window-policy';

const colour = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
const colourAttributes = ['data-mx-bg-color', 'data-mx-color', 'color'];

/** Keeps the tag's attributes, minus colours that are not #rrggbb. */
function withValidColours(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) if (!colourAttributes.includes(name) || colour.test(value.trim())) attrs[name] = value.trim();
  return { tagName, attribs: attrs };
}

export const maxNestingDepth = 100;

const allowedTags = [
  'font', 'del', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'p', 'a', 'ul', 'ol', 'sup', 'sub', 'li',
  'b', 'i', 'u', 'strong', 'em', 's', 'strike', 'code', 'hr', 'br', 'div', 'table', 'thead', 'tbody', 'tr',
  'th', 'td', 'caption', 'pre', 'span', 'details', 'summary',
];

const options: sanitizeHtml.IOptions = {
  allowedTags,
  allowedAttributes: {
    font: ['data-mx-bg-color', 'data-mx-color', 'color'],
    span: ['data-mx-bg-color', 'data-mx-color', 'data-mx-spoiler'],
    a: ['name', 'target', 'href', 'rel'],
    ol: ['start'],
    code: ['class'],
  },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  // Dropped together with everything inside them.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'mx-reply', 'title', 'head', 'iframe', 'object', 'svg', 'math'],
  disallowedTagsMode: 'discard',
  nestingLimit: maxNestingDepth,
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href?.trim();
      // A link the shell would refuse to open is no link at all: its text stays, as text.
      if (href !== undefined && !isSafeExternalUrl(href)) return { tagName: 'span', attribs: {} };
      const attrs: Record<string, string> = {};
      if (attribs.name) attrs.name = attribs.name;
      if (href) {
        attrs.href = href;
        attrs.target = '_blank';
        attrs.rel = 'noopener noreferrer';
      }
      return { tagName, attribs: attrs };
    },
    font: withValidColours,
    span: withValidColours,
  },
  // A link whose scheme was refused keeps its text but loses its href; an <a> with
  // nothing left to do is unwrapped.
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href && !frame.attribs.name && frame.text.trim() === '',
};

/** Returns safe HTML for the renderer, or null when nothing displayable is left. */
export function sanitizeMatrixHtml(html: string): string | null {
  const clean = sanitizeHtml(html, options).trim();
  return clean === '' ? null : clean;
}
