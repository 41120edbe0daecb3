// The decision archive's query language, as pure functions: what a member types becomes an
// FTS5 match expression and LIKE patterns that can never be read as syntax, and what the
// index sends back becomes plain text segments (the renderer shows them as text, so nothing
// in a vote or in minutes can ever become markup).
//
// What a member types: words separated by spaces (any Unicode space, including the
// ideographic one Japanese keyboards type), and "quoted phrases". Every word and phrase must
// occur (AND), as a substring anywhere in the question, details, outcome statement, or the
// assembly's title and minutes; case and accents are ignored. Nothing else is syntax: *, :,
// parentheses, NEAR, AND, OR, NOT, ^ and stray quotes are searched for as the characters
// they are.
//
// Why two kinds of term: the index is FTS5's trigram tokenizer, which indexes every run of
// three characters. A term of three characters or more is looked up in the index. A term of
// one or two characters has no trigram, so FTS5 would match nothing: such terms are matched
// with LIKE over the same text instead, which reads every entry (still a few milliseconds at
// archive sizes; Japanese words are often two characters, 予算 "budget", so they must work).
// LIKE folds case for ASCII letters only; for one- or two-letter terms that is enough.

/** Entries the index gives back per page, at most. */
export const archivePageMax = 100;
export const archiveQueryMaxLength = 200;
/** More words than this are refused: each is a condition on every candidate. */
export const archiveQueryMaxTerms = 12;
/** Highlight markers in snippets: private-use characters, stripped from what members type. */
export const highlightOpen = '\uE000';
export const highlightClose = '\uE001';

export interface ArchiveTerms {
  /** Words and phrases of three characters or more: looked up in the trigram index. */
  indexed: string[];
  /** Words of one or two characters: matched with LIKE. */
  short: string[];
}

export interface SnippetSegment {
  text: string;
  match: boolean;
}

/** Characters, counted as the trigram tokenizer counts them (code points, not UTF-16 units). */
const length = (s: string) => Array.from(s).length;

/**
 * Splits what a member typed into terms. Control characters and the highlight markers are
 * dropped; an unclosed quote quotes the rest. Duplicate terms count once.
 */
export function parseArchiveQuery(text: string): ArchiveTerms {
  // eslint-disable-next-line no-control-regex
  const clean = text.normalize('NFC').replace(/[\u0000-\u001f\u007f\uE000\uE001]/g, ' ');
  const terms: string[] = [];
  const pattern = /"([^"]*)"?|[^\s"]+/gu;
  for (const m of clean.matchAll(pattern)) {
    const term = (m[1] !== undefined ? m[1] : m[0]).trim().replace(/\s+/gu, ' ');
    if (term !== '' && !terms.includes(term)) terms.push(term);
  }
  return { indexed: terms.filter((t) => length(t) >= 3), short: terms.filter((t) => length(t) < 3) };
}

/** An FTS5 string literal: double quotes around, inner quotes doubled. Inside one, no character is syntax. */
export function ftsString(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The FTS5 match expression for the indexed terms (all must occur), or null when there are none. */
export function ftsMatchExpression(terms: ArchiveTerms): string | null {
  return terms.indexed.length === 0 ? null : terms.indexed.map(ftsString).join(' AND ');
}

/** A LIKE pattern finding `term` anywhere, for use with ESCAPE '\'. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Splits text carrying highlight markers (FTS5's snippet()) into segments. */
export function snippetSegments(marked: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let match = false;
  let current = '';
  const push = () => {
    if (current !== '') {
      const last = segments[segments.length - 1];
      if (last && last.match === match) last.text += current;
      else segments.push({ text: current, match });
    }
    current = '';
  };
  for (const ch of marked) {
    if (ch === highlightOpen || ch === highlightClose) {
      push();
      match = ch === highlightOpen;
    } else current += ch;
  }
  push();
  return segments;
}

/**
 * A snippet around the first place one of `terms` occurs in the first text that has one
 * (case folded as far as folding keeps lengths), every occurrence inside it highlighted.
 * Used for short terms, which FTS5's snippet() cannot highlight. `width` is in characters.
 */
export function findSnippet(texts: readonly string[], terms: readonly string[], width = 80): SnippetSegment[] {
  const wanted = terms.filter((t) => t !== '');
  const fold = (s: string) => {
    const lower = s.toLowerCase();
    return lower.length === s.length ? lower : s;
  };
  for (const text of texts) {
    const folded = fold(text);
    const hits: [number, number][] = [];
    for (const term of wanted) {
      const needle = fold(term);
      for (let at = folded.indexOf(needle); at !== -1 && needle !== ''; at = folded.indexOf(needle, at + needle.length)) hits.push([at, at + needle.length]);
    }
    if (hits.length === 0) continue;
    hits.sort((a, b) => a[0] - b[0]);
    const first = hits[0]![0];
    const start = Math.max(0, first - Math.floor(width / 3));
    const end = Math.min(text.length, start + width);
    const segments: SnippetSegment[] = [];
    let at = start;
    if (start > 0) segments.push({ text: '…', match: false });
    for (const [from, to] of hits) {
      if (to <= at || from >= end) continue;
      const a = Math.max(from, at);
      if (a > at) segments.push({ text: text.slice(at, a), match: false });
      segments.push({ text: text.slice(a, Math.min(to, end)), match: true });
      at = Math.min(to, end);
    }
    if (at < end) segments.push({ text: text.slice(at, end), match: false });
    if (end < text.length) segments.push({ text: '…', match: false });
    return mergeSegments(segments);
  }
  const first = texts.find((t) => t !== '') ?? '';
  return first === '' ? [] : [{ text: first.length > width ? `${first.slice(0, width)}…` : first, match: false }];
}

function mergeSegments(segments: SnippetSegment[]): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.match === s.match) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
