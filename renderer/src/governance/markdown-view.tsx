// Minutes as members read them: their Markdown rendered (marked), raw HTML shown as the text
// that was typed (as chat does when sending), then sanitised by DOMPurify before it becomes
// DOM, with links opening outside the app.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noreferrer noopener');
  }
});

const config = {
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  ADD_ATTR: ['target'],
  FORBID_ATTR: ['style'],
  FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'input', 'iframe'],
};

export function markdownHtml(text: string): string {
  return purify.sanitize(markdown.parse(text) as string, config);
}

export function MarkdownView({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => markdownHtml(text), [text]);
  return <div className={className ? `gov-markdown ${className}` : 'gov-markdown'} dangerouslySetInnerHTML={{ __html: html }} />;
}
