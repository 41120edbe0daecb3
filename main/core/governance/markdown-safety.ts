// Minutes are Markdown typed by members, and Markdown lets raw HTML through: a viewer of an
// exported file (a forum, a wiki, a Git host) may render `<script>` or `<img onerror=…>`.
// Exports and chat posts therefore neutralise raw HTML: every "<" that would open a tag, a
// comment or a declaration becomes "&lt;", which Markdown shows as the "<" that was typed.
// Code is left as typed (there "<" is shown as text anyway): top-level code blocks found by
// marked's lexer (its tokens' raw text joins back into the source), fenced blocks nested in
// lists or quotes, and inline code spans.
import { Lexer } from 'marked';

const tagStart = /<(?=[A-Za-z!/?])/g;
const fence = /^ {0,3}(`{3,}|~{3,})/;

/** Escapes tag openers outside inline code spans (`…`, with any number of backticks). */
function escapeOutsideCodeSpans(text: string): string {
  let out = '';
  let at = 0;
  const spans = /(`+)[\s\S]*?[^`]\1(?!`)|(`+)\2/g;
  for (const match of text.matchAll(spans)) {
    out += text.slice(at, match.index).replace(tagStart, '&lt;') + match[0];
    at = match.index + match[0].length;
  }
  return out + text.slice(at).replace(tagStart, '&lt;');
}

/** Escapes tag openers in Markdown that is not a code block, leaving nested fenced blocks as typed. */
function escapeProse(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let prose: string[] = [];
  let open: string | null = null;
  const flush = () => {
    if (prose.length > 0) out.push(escapeOutsideCodeSpans(prose.join('\n')));
    prose = [];
  };
  for (const line of lines) {
    // Nested fences may be indented by their list item or prefixed by quote markers.
    const marker = fence.exec(line.replace(/^(\s*(>|[-*+]|\d+[.)])\s?)+/, ''))?.[1];
    if (open === null && marker) {
      flush();
      open = marker;
      out.push(line);
    } else if (open !== null) {
      out.push(line);
      if (marker && marker[0] === open[0] && marker.length >= open.length) open = null;
    } else prose.push(line);
  }
  flush();
  return out.join('\n');
}

export function neutraliseHtml(markdown: string): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  // The lexer's top-level tokens join back into the source; if they ever did not, treat it all as prose.
  if (tokens.map((t) => t.raw).join('') !== markdown) return escapeProse(markdown);
  return tokens.map((t) => (t.type === 'code' ? t.raw : escapeProse(t.raw))).join('');
}
