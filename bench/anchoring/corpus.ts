/**
 * A seeded corpus of revisions. Each revision of a document carries many comments, as a real
 * draft does: passages are picked in the original, each gets one kind of change in the revised
 * text (or none), and every comment is then re-anchored in that one revised text. Edits never
 * touch another comment's passage or its context, so each comment's expected place is known:
 * where its passage is now, or null when its passage was deleted.
 */
import { describeText } from '../../lib/anchoring';
import { normalize } from '../../lib/anchoring/normalize';
import type { TextPositionSelector, TextQuoteSelector } from '../../lib/anchoring/types';
import type { Rng } from '../support';

export const KINDS = [
  'unchanged',
  'shifted',
  'typo',
  'word-edit',
  'moved',
  'decoy',
  'typography',
  'short-word',
  'deleted',
  'deleted-lookalike',
  // Kinds added for issue 16, none of them tuned for before.
  'synonyms',
  'clause',
  'split-merge',
  'list-reordered',
  'heading-renumbered',
  'table-cell',
  'markup',
] as const;
export type Kind = (typeof KINDS)[number];
/** Kinds whose passage is still there with some of its words replaced or added: "reworded". */
export const REWORDED: readonly Kind[] = ['word-edit', 'synonyms', 'clause', 'split-merge'];

export interface Comment {
  kind: Kind;
  quote: TextQuoteSelector;
  position: TextPositionSelector;
  /** Where the passage is in the revised text, or null when it is gone. */
  expected: { start: number; end: number } | null;
}

export interface Revision {
  doc: string;
  revised: string;
  comments: Comment[];
}

type Span = { start: number; end: number };
const CONTEXT_GUARD = 40;

/** The revised text under construction, with every comment's passage tracked through each edit. */
class Draft {
  spans: (Span | null)[] = [];
  constructor(public text: string) {}

  /** Whether an edit there would leave every other comment's passage and context alone. */
  allowed(at: number, remove: number, owner: number): boolean {
    for (let i = 0; i < this.spans.length; i++) {
      const s = this.spans[i];
      if (!s || i === owner) continue;
      if (at < s.end + CONTEXT_GUARD && at + remove > s.start - CONTEXT_GUARD) return false;
      if (remove === 0 && at > s.start - CONTEXT_GUARD && at < s.end + CONTEXT_GUARD) return false;
    }
    return true;
  }

  /** Refuses edits that would touch another comment's passage or context. */
  splice(at: number, remove: number, insert: string, owner: number): boolean {
    if (!this.allowed(at, remove, owner)) return false;
    this.text = this.text.slice(0, at) + insert + this.text.slice(at + remove);
    for (let i = 0; i < this.spans.length; i++) {
      const s = this.spans[i];
      if (!s || i === owner) continue;
      if (s.start >= at + remove) this.spans[i] = { start: s.start - remove + insert.length, end: s.end - remove + insert.length };
    }
    return true;
  }
}

function sentenceAround(text: string, i: number): Span {
  let s = i;
  while (s > 0 && text[s - 1] !== '\n' && !(text[s - 2] === '.' && text[s - 1] === ' ')) s--;
  let e = i;
  while (e < text.length && text[e] !== '\n' && !(text[e] === '.' && (text[e + 1] === ' ' || text[e + 1] === '\n' || e + 1 === text.length))) e++;
  if (text[e] === '.') e++;
  return { start: s, end: e };
}
function lineAround(text: string, i: number): Span {
  const s = text.lastIndexOf('\n', i - 1) + 1;
  const e = text.indexOf('\n', i);
  return { start: s, end: e === -1 ? text.length : e };
}
function wordStarts(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, text.length); i++) if (/\w/.test(text[i]) && (i === 0 || /\W/.test(text[i - 1]))) out.push(i);
  return out;
}
function wordEnd(text: string, i: number): number {
  while (i < text.length && /\w/.test(text[i])) i++;
  return i;
}
const unique = (text: string, s: string) => text.indexOf(s) === text.lastIndexOf(s);

/** Lines that look like headings: short, no final full stop, followed by a longer line. */
function headingLines(text: string): Span[] {
  const out: Span[] = [];
  let at = 0;
  const lines = text.split('\n');
  lines.forEach((line, k) => {
    const next = lines[k + 1] ?? '';
    if (line.length >= 3 && line.length < 80 && !/[.:;,]$/.test(line) && next.length > 2 * line.length && next.length > 60) out.push({ start: at, end: at + line.length });
    at += line.length + 1;
  });
  return out;
}

/** A passage inside a short line next to other short lines: a table cell or a list item. */
function cellPassage(r: Rng, text: string): Span | null {
  const line = lineAround(text, r.int(0, text.length - 1));
  const len = line.end - line.start;
  if (len < 20 || len > 200) return null;
  const prev = lineAround(text, Math.max(0, line.start - 2));
  const next = lineAround(text, Math.min(text.length - 1, line.end + 1));
  const tabular = text[line.start] === '|' || prev.end - prev.start < 25 || next.end - next.start < 25;
  if (!tabular) return null;
  const starts = wordStarts(text, line.start, line.end);
  if (!starts.length) return null;
  const start = r.pick(starts.slice(0, Math.max(1, starts.length >> 1)));
  const ends = starts.filter((w) => w > start).map((w) => wordEnd(text, w)).filter((e) => e - start >= 20 && e <= line.end);
  return ends.length ? { start, end: r.pick(ends) } : null;
}

function pickPassage(r: Rng, text: string, kind: Kind): Span | null {
  for (let tries = 0; tries < 40; tries++) {
    if (kind === 'heading-renumbered') {
      // The first words after a heading: the heading is in the passage's recorded prefix.
      const headings = headingLines(text);
      if (!headings.length) return null;
      const h = r.pick(headings);
      const start = h.end + 1;
      const line = lineAround(text, start);
      const ends = wordStarts(text, start, line.end).map((w) => wordEnd(text, w)).filter((e) => e - start >= 24 && e - start <= 200);
      if (ends.length) return { start, end: r.pick(ends) };
      continue;
    }
    if (kind === 'table-cell' || kind === 'list-reordered') {
      const p = cellPassage(r, text);
      if (p) return p;
      continue;
    }
    if (kind === 'short-word') {
      const from = r.int(0, Math.max(0, text.length - 200));
      const starts = wordStarts(text, from, from + 200);
      if (!starts.length) continue;
      const w = r.pick(starts);
      const e = wordEnd(text, w);
      if (e - w >= 4 && e - w <= 12) return { start: w, end: e };
      continue;
    }
    const min =
      kind === 'moved' || kind === 'synonyms' || kind === 'clause' || kind === 'split-merge'
        ? 40
        : kind === 'typo' || kind === 'word-edit' || kind === 'decoy' || kind === 'deleted-lookalike' || kind === 'markup'
          ? 24
          : 12;
    const sentence = sentenceAround(text, r.int(0, text.length - 1));
    if (sentence.end - sentence.start < min) continue;
    const starts = wordStarts(text, sentence.start, sentence.end);
    const start = r.pick(starts);
    const ends = starts.filter((w) => w > start).map((w) => wordEnd(text, w)).filter((e) => e - start >= min && e - start <= 300);
    if (ends.length) return { start, end: r.pick(ends) };
  }
  return null;
}

function typographic(r: Rng, s: string): string {
  return s
    .replace(/ /g, () => r.pick([' ', ' ', ' ', '\u00a0', '  ', '\n']))
    .replace(/'/g, '\u2019')
    .replace(/ - /g, ' \u2013 ')
    .replace(/"([^"]*)"/g, '\u201c$1\u201d');
}

const NEW_WORDS = ['revised', 'shall', 'further', 'relevant', 'updated', 'agreed', 'outreach', 'calendar', 'criteria'];

/** Replaces one inner word of `s` (or inserts "revised" before it). */
function editWord(r: Rng, s: string): string | null {
  const inner = wordStarts(s, 1, s.length - 1);
  if (!inner.length) return null;
  const w = r.pick(inner);
  const we = wordEnd(s, w);
  const replacement = r.next() < 0.4 ? 'revised ' + s.slice(w, we) : r.pick(NEW_WORDS.filter((x) => x !== s.slice(w, we)));
  return s.slice(0, w) + replacement + s.slice(we);
}

/**
 * Words a reviser swaps for others of the same sense. Covers the fixture drafts' stock verbs and
 * nouns and common words of any prose; a quote with too few of them gets other words replaced.
 */
const SYNONYMS: Record<string, string[]> = {
  proposed: ['suggested', 'put forward'], support: ['backing'], importance: ['significance', 'value'], concern: ['worry', 'unease'],
  strengthen: ['reinforce', 'improve'], review: ['examine', 'revisit'], meeting: ['session', 'gathering'], prepare: ['draft', 'produce'],
  coordinate: ['organise', 'lead'], noted: ['observed', 'remarked on'], stressed: ['underlined', 'emphasised'], endorsed: ['backed', 'approved'],
  asked: ['requested', 'invited'], input: ['feedback', 'contributions'], received: ['gathered', 'collected'], circulate: ['share', 'distribute'],
  recommends: ['advises', 'suggests'], reaffirmed: ['confirmed', 'restated'], expressed: ['voiced', 'raised'], need: ['necessity', 'requirement'],
  discussion: ['debate', 'exchange'], strategy: ['plan', 'approach'], broader: ['wider', 'greater'], next: ['following', 'coming'],
  possible: ['feasible', 'practicable'], existing: ['current', 'available'], shared: ['posted', 'circulated'], comments: ['remarks', 'observations'],
  page: ['document', 'draft'], shows: ['displays', 'presents'], uses: ['relies on', 'employs'], each: ['every'],
  makes: ['creates', 'produces'], keeps: ['retains', 'holds'], finds: ['locates', 'discovers'], small: ['little', 'modest'], large: ['big', 'sizeable'],
  first: ['initial', 'earliest'], new: ['fresh', 'novel'], old: ['former', 'previous'], fast: ['quick', 'rapid'], slow: ['sluggish', 'unhurried'],
  change: ['alteration', 'modification'], changes: ['alterations', 'edits'], time: ['duration', 'period'], whole: ['entire', 'complete'],
  text: ['wording', 'content'], because: ['since', 'as'], only: ['solely', 'just'], often: ['frequently', 'regularly'], never: ['not ever', 'at no time'],
  same: ['identical', 'unchanged'], other: ['different', 'further'], reads: ['says', 'states'], must: ['has to', 'needs to'], also: ['as well', 'too'],
  commentaire: ['remarque', 'observation'], commentaires: ['remarques', 'observations'], texte: ['document', 'brouillon'], relecture: ['révision', 'lecture'],
  passage: ['extrait'], ouvrir: ['afficher'], modifications: ['changements'], serveur: ['service'], navigateur: ['logiciel de navigation'],
};
const CLAUSES = ['as agreed at the previous meeting, ', '(where appropriate) ', 'in particular ', 'subject to the available resources, ', 'once again ', 'as a matter of priority ', 'for the time being '];

/** Replaces two to four of the words of `s` by synonyms (or, failing those, other words). */
function synonyms(r: Rng, s: string): string | null {
  const starts = wordStarts(s, 0, s.length);
  const known = starts.filter((w) => SYNONYMS[s.slice(w, wordEnd(s, w)).toLowerCase()]);
  const others = starts.filter((w) => !known.includes(w) && wordEnd(s, w) - w >= 4 && w > 0);
  const want = r.int(2, Math.min(4, Math.max(2, Math.floor(starts.length / 4))));
  const chosen = [...known].sort(() => r.next() - 0.5).slice(0, want);
  while (chosen.length < want && others.length) chosen.push(others.splice(r.int(0, others.length - 1), 1)[0]);
  if (chosen.length < 2) return null;
  let out = s;
  for (const w of chosen.sort((a, b) => b - a)) {
    const word = out.slice(w, wordEnd(out, w));
    const options = SYNONYMS[word.toLowerCase()] ?? NEW_WORDS.filter((x) => x !== word);
    let replacement = r.pick(options);
    if (/^[A-Z]/.test(word)) replacement = replacement[0].toUpperCase() + replacement.slice(1);
    out = out.slice(0, w) + replacement + out.slice(w + word.length);
  }
  return out;
}

/** A clause added inside `s`, at one of its inner word starts. */
function clause(r: Rng, s: string): string | null {
  const inner = wordStarts(s, 1, s.length - 1);
  if (!inner.length) return null;
  const w = r.pick(inner);
  return s.slice(0, w) + r.pick(CLAUSES) + s.slice(w);
}

/** Two sentences of `s` merged into one, or one split in two. */
function splitOrMerge(r: Rng, s: string): string | null {
  const merges = [...s.matchAll(/\. ([A-Z])/g)].map((m) => m.index!);
  if (merges.length) {
    const at = r.pick(merges);
    return s.slice(0, at) + r.pick([', and ', '; ', ', while ']) + s[at + 2].toLowerCase() + s.slice(at + 3);
  }
  const splits = [...s.matchAll(/(, | and | which | but )([a-z])/g)].filter((m) => m.index! > 8 && m.index! < s.length - 12);
  if (!splits.length) return null;
  const m = r.pick(splits);
  const lead = m[1] === ', ' ? '' : m[1].trim() === 'which' ? 'This ' : m[1].trim() === 'but ' ? 'However, ' : 'It also ';
  const next = lead ? m[2] : m[2].toUpperCase();
  return s.slice(0, m.index!) + '. ' + lead + next + s.slice(m.index! + m[0].length);
}

/**
 * What a change of markup does to the extracted text, once or twice over `s`: an inline element
 * made a block ("Note</b>:" → "Note\n:"), a space lost at an element's edge, a footnote mark or
 * a bullet added, a line broken where a space was.
 */
function markup(r: Rng, s: string): string | null {
  let out = s;
  for (let k = r.int(1, 2); k > 0; k--) {
    const op = r.int(0, 3);
    if (op === 0) {
      const at = [...out.matchAll(/\w[,:;)]/g)].map((m) => m.index! + 1);
      if (at.length) {
        const i = r.pick(at);
        out = out.slice(0, i) + '\n' + out.slice(i);
        continue;
      }
    }
    if (op <= 1) {
      const at = [...out.matchAll(/[,.:;)] \S/g)].map((m) => m.index! + 1);
      if (at.length) {
        const i = r.pick(at);
        out = out.slice(0, i) + out.slice(i + 1);
        continue;
      }
    }
    const inner = wordStarts(out, 1, out.length - 1);
    if (!inner.length) return null;
    const w = r.pick(inner);
    if (op === 2) {
      const e = wordEnd(out, w);
      out = out.slice(0, e) + r.pick(['[1]', '*', '\u2020', '(2)']) + out.slice(e);
    } else out = out.slice(0, w - 1) + '\n' + out.slice(w);
  }
  return out === s ? null : out;
}

/** A line boundary far (a fifth of the text or more) from `at`. */
function farBoundary(r: Rng, text: string, at: number): number {
  for (let tries = 0; tries < 40; tries++) {
    const p = text.indexOf('\n', r.int(0, text.length - 1));
    if (p !== -1 && Math.abs(p - at) > text.length / 5) return p;
  }
  return -1;
}

/** Applies comment i's change to the draft; false when it cannot be made without touching others. */
function change(r: Rng, d: Draft, i: number, kind: Kind, original: string): boolean {
  const span = d.spans[i]!;
  const exact = d.text.slice(span.start, span.end);
  switch (kind) {
    case 'unchanged':
      return true;
    case 'shifted':
    case 'short-word': {
      // Text added before the passage (most revisions add more than they remove).
      const at = d.text.lastIndexOf('\n', r.int(0, Math.max(0, span.start - 1)));
      const filler = ' ' + sentencesFrom(r, original, exact, r.int(2, 12));
      if (at <= 0 || !d.splice(at, 0, filler, i)) return false;
      d.spans[i] = { start: span.start + filler.length, end: span.end + filler.length };
      return true;
    }
    case 'typo': {
      let q = exact;
      for (let k = r.int(1, 2); k > 0; k--) {
        const j = r.int(2, q.length - 3);
        const op = r.int(0, 2);
        q = op === 0 ? q.slice(0, j) + r.pick([...'abcdefghijklmnopqrstuvwxyz']) + q.slice(j + 1) : op === 1 ? q.slice(0, j) + q.slice(j + 1) : q.slice(0, j) + q[j + 1] + q[j] + q.slice(j + 2);
      }
      d.splice(span.start, exact.length, q, i);
      d.spans[i] = { start: span.start, end: span.start + q.length };
      return true;
    }
    case 'word-edit':
    case 'decoy': {
      const q = editWord(r, exact);
      if (!q) return false;
      let start = span.start;
      if (kind === 'decoy') {
        // An unedited copy of the old words elsewhere, in other surroundings.
        const at = farBoundary(r, d.text, span.start);
        const copy = '\nAs the annex recalls, ' + exact + ' (see the earlier report).';
        if (at === -1 || !d.splice(at, 0, copy, i)) return false;
        if (at < span.start) start += copy.length; // the owner's span is not moved by splice
      }
      d.splice(start, exact.length, q, i);
      d.spans[i] = { start, end: start + q.length };
      return true;
    }
    case 'moved': {
      const line = lineAround(d.text, span.start);
      const para = d.text.slice(line.start, line.end);
      if (line.end >= d.text.length || !unique(d.text, para)) return false;
      const at = farBoundary(r, d.text, line.start);
      if (at === -1 || (at >= line.start - 1 && at <= line.end + 1)) return false;
      // Reserve: remove and reinsert as one owner operation, checking others' guards both times.
      const offset = span.start - line.start;
      if (!d.allowed(line.start, line.end - line.start + 1, i) || !d.allowed(at, 0, i)) return false;
      d.splice(line.start, line.end - line.start + 1, '', i);
      const target = at > line.start ? at - (line.end - line.start + 1) : at;
      d.splice(target, 0, '\n' + para, i);
      d.spans[i] = { start: target + 1 + offset, end: target + 1 + offset + exact.length };
      return true;
    }
    case 'typography': {
      const from = Math.max(0, span.start - 30);
      const to = Math.min(d.text.length, span.end + 30);
      const before = typographic(r, d.text.slice(from, span.start));
      const q = typographic(r, exact);
      const after = typographic(r, d.text.slice(span.end, to));
      d.splice(from, to - from, before + q + after, i);
      d.spans[i] = { start: from + before.length, end: from + before.length + q.length };
      return true;
    }
    case 'synonyms':
    case 'clause':
    case 'split-merge':
    case 'markup': {
      const q = kind === 'synonyms' ? synonyms(r, exact) : kind === 'clause' ? clause(r, exact) : kind === 'split-merge' ? splitOrMerge(r, exact) : markup(r, exact);
      if (!q || q === exact) return false;
      d.splice(span.start, exact.length, q, i);
      d.spans[i] = { start: span.start, end: span.start + q.length };
      if (kind === 'markup' && r.next() < 0.5) {
        // The block before the passage's own line merged into it, or a bullet put before it.
        const lineStart = d.text.lastIndexOf('\n', span.start - 1);
        if (lineStart > 0 && span.start - lineStart < 32 && d.allowed(lineStart, 1, i)) {
          const with_ = r.next() < 0.5 ? ' ' : '\n\u2022 ';
          d.splice(lineStart, 1, with_, i);
          d.spans[i] = { start: span.start - 1 + with_.length, end: span.start - 1 + with_.length + q.length };
        }
      }
      return true;
    }
    case 'list-reordered': {
      // The passage's line and the next one change places.
      const line = lineAround(d.text, span.start);
      if (line.end >= d.text.length) return false;
      const next = lineAround(d.text, line.end + 1);
      if (next.end - next.start < 2 || !d.allowed(line.start, next.end - line.start, i)) return false;
      const a = d.text.slice(line.start, line.end);
      const b = d.text.slice(next.start, next.end);
      if (a === b) return false;
      d.splice(line.start, next.end - line.start, b + '\n' + a, i);
      const start = span.start + b.length + 1;
      d.spans[i] = { start, end: start + exact.length };
      return true;
    }
    case 'heading-renumbered': {
      // The heading above the passage gets another number (or one where it had none).
      const heading = lineAround(d.text, span.start - 2);
      const title = d.text.slice(heading.start, heading.end);
      const num = /^(\d+)/.exec(title);
      const renamed = num ? String(Number(num[1]) + r.int(1, 3)) + title.slice(num[1].length) : `${r.int(2, 9)}. ${title}`;
      if (!d.allowed(heading.start, heading.end - heading.start, i)) return false;
      d.splice(heading.start, heading.end - heading.start, renamed, i);
      const start = span.start + renamed.length - title.length;
      d.spans[i] = { start, end: start + exact.length };
      return true;
    }
    case 'table-cell': {
      // A word of the cell edited, and the next cell's too when nothing else is in the way.
      const q = editWord(r, exact);
      if (!q) return false;
      d.splice(span.start, exact.length, q, i);
      d.spans[i] = { start: span.start, end: span.start + q.length };
      const line = lineAround(d.text, span.start);
      if (line.end < d.text.length) {
        const next = lineAround(d.text, line.end + 1);
        const cell = d.text.slice(next.start, next.end);
        const edited = cell.length > 6 ? editWord(r, cell) : null;
        if (edited && d.allowed(next.start, cell.length, i)) d.splice(next.start, cell.length, edited, i);
      }
      return true;
    }
    case 'deleted':
    case 'deleted-lookalike': {
      const s = sentenceAround(d.text, span.start);
      const e = sentenceAround(d.text, Math.max(span.start, span.end - 1)).end;
      const sentence = d.text.slice(s.start, e);
      if (!unique(original, sentence)) return false;
      let alike: string | null = null;
      if (kind === 'deleted-lookalike') {
        // A similar sentence elsewhere: the same frame with one word of the passage and one word
        // within its recorded context changed (or a second word of the passage when the passage
        // is the whole sentence), as drafts written from templates have.
        const inPassage = editWord(r, exact);
        if (!inPassage) return false;
        const at = span.start - s.start;
        const local = sentence.slice(0, at) + inPassage + sentence.slice(at + exact.length);
        const after = at + inPassage.length;
        const near = [...wordStarts(local, Math.max(1, at - 32), at - 1), ...wordStarts(local, after + 1, after + 32)].filter((w) => wordEnd(local, w) < local.length);
        if (near.length) {
          const w = r.pick(near);
          alike = local.slice(0, w) + r.pick(NEW_WORDS) + local.slice(wordEnd(local, w));
        } else {
          alike = local.slice(0, at) + (editWord(r, inPassage) ?? inPassage) + local.slice(after);
        }
      }
      if (!d.splice(s.start, e - s.start, '', i)) return false;
      d.spans[i] = null;
      if (alike) {
        const at = farBoundary(r, d.text, s.start);
        if (at !== -1) d.splice(at, 0, '\n' + alike, i);
      }
      return true;
    }
  }
}

/** New sentences made of the document's own words in a random order: new text, not copies. */
function sentencesFrom(r: Rng, text: string, _avoid: string, n: number): string {
  const words = text.slice(0, 20_000).split(/\s+/).filter((w) => /^[a-z]{3,}$/.test(w));
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const len = r.int(8, 20);
    const s = Array.from({ length: len }, () => r.pick(words)).join(' ');
    out.push(s[0].toUpperCase() + s.slice(1) + '.');
  }
  return out.join(' ');
}

/** One revision of `text` carrying `perKind` comments of each kind. */
export function buildRevision(r: Rng, doc: string, text: string, perKind: number): Revision {
  const d = new Draft(text);
  const folded = normalize(text).text;
  const distinct = (s: string) => unique(folded, normalize(s).text);
  const picked: { kind: Kind; sel: ReturnType<typeof describeText> }[] = [];
  // Pick passages in the original: not overlapping each other's passage or context.
  for (const kind of KINDS) {
    let made = 0;
    for (let tries = 0; made < perKind && tries < perKind * 30; tries++) {
      const p = pickPassage(r, text, kind);
      if (!p) continue;
      if (d.spans.some((s) => s && p.start < s.end + CONTEXT_GUARD * 2 && p.end > s.start - CONTEXT_GUARD * 2)) continue;
      const sel = describeText(text, p.start, p.end);
      // The passage must be identifiable by its quote and either side of its context alone. The
      // fixture drafts are built from templates: a phrase and one side of its context often recur
      // verbatim, and no matcher can tell such a copy from the passage by the selectors alone.
      // (24 of the 32 characters of each side: a copy whose context differs only at its far end
      // is not told apart by a matcher either.)
      if (!distinct(sel.quote.prefix!.slice(-24) + sel.quote.exact) || !distinct(sel.quote.exact + sel.quote.suffix!.slice(0, 24))) continue;
      d.spans.push(p);
      picked.push({ kind, sel });
      made++;
    }
  }
  // Apply the changes in random order; a change that cannot be made leaves its passage unchanged
  // and the comment is dropped from the revision (its kind would be wrong).
  const keep = picked.map(() => true);
  for (const i of picked.map((_, k) => k).sort(() => r.next() - 0.5)) {
    if (!change(r, d, i, picked[i].kind, text)) keep[i] = false;
  }
  const comments: Comment[] = [];
  picked.forEach((p, i) => {
    if (!keep[i]) return;
    comments.push({ kind: p.kind, quote: p.sel.quote, position: p.sel.position, expected: d.spans[i] });
  });
  return { doc, revised: d.text, comments };
}
