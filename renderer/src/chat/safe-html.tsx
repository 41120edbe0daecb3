// Shows message HTML that main already sanitized to the Matrix allow-list. DOMPurify runs
// once more here as a second line of defence, since this is where markup becomes DOM.
import DOMPurify from 'dompurify';
import { useMemo } from 'react';

const config = {
  // DOMPurify's own pattern with fewer schemes: DOMPurify also checks non-URL attribute
  // values (target, rel) against it, so scheme-less values must still pass.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|matrix):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  ADD_ATTR: ['target'],
  FORBID_ATTR: ['style'],
  FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'input'],
};

// The same messages are drawn again and again (scrolling, reopening a room, every refresh),
// and sanitising is the costliest part of drawing one: each result is kept for next time.
const sanitized = new Map<string, string>();

function sanitize(html: string): string {
  let clean = sanitized.get(html);
  if (clean === undefined) {
    clean = DOMPurify.sanitize(html, config);
    if (sanitized.size >= 2000) sanitized.clear();
    sanitized.set(html, clean);
  }
  return clean;
}

export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const clean = useMemo(() => sanitize(html), [html]);
  return <div className={className} dangerouslySetInnerHTML={{ __html: clean }} />;
}
