/**
 * Where in a large page one comment can be matched, found in the raw text: around its recorded
 * position, and around every verbatim find of its quote, of either side of its context and of
 * either boundary between them, as many as the matcher would use. A comment on a freshly revised
 * page then needs only those regions normalised (normalize.ts `Normalized.ofRegions`), not the
 * whole page: a few milliseconds instead of twenty on the 1.4 MB draft.
 *
 * The matcher reads the partial text like the whole page, with one blind spot: a place that
 * differs from every raw find in typography or case (the passage retyped and moved) is not seen.
 * So match.ts keeps an answer found this way only on evidence such a place could not outweigh,
 * and otherwise normalises the whole page (see docs/anchoring.md).
 */
import { COMMON } from './gram-index';

export interface Region {
  start: number;
  end: number;
}

/** Pages shorter than this are normalised whole: under a millisecond or two, and then shared. */
export const REGIONS_FROM = 100_000;
/** Places of the whole prefix (or suffix) the matcher tries (match.ts SANDWICH_PREFIXES). */
export const CONTEXT_PLACES = 64;
/** Regions covering more of the page than this are no saving: the page is normalised whole. */
const MOST = 1 / 3;

/**
 * The regions (sorted, disjoint) in which the matcher could find anything for this comment, or
 * null when they would cover most of the page. Around the recorded position, `near` characters
 * either way, or `far` when a side of the context is to be looked for only there.
 */
export function regionsFor(text: string, prefix: string, exact: string, suffix: string, start: number | undefined, reach: { near: number; far: number }): Region[] | null {
  const whole = prefix.length + exact.length + suffix.length;
  // Room around a place for everything the matcher does there: a reworded quote up to twice its
  // length and a clause, an alignment's slack, the context read on either side.
  const margin = 2 * exact.length + 192;
  const regions: Region[] = [];
  const around = (at: number, offset: number) => regions.push({ start: at - offset - margin, end: at - offset + whole + margin });
  // Each string the matcher looks for, with its offset in prefix + exact + suffix and how many
  // finds still say something: the places of the quote, of either side of the context, and of
  // either boundary of quote and context.
  const look = (s: string, offset: number, limit: number) => {
    const found = finds(text, s, limit);
    for (const at of found) around(at, offset);
    return found.length > 0;
  };
  look(exact, prefix.length, COMMON);
  // A side of the context found nowhere, or too often to say anything, is looked for only around
  // the recorded position, and so is its boundary with the quote (where the
  // side is found, the boundary's places are among the side's).
  let sideAround = false;
  if (prefix.length >= 16 && !look(prefix, 0, CONTEXT_PLACES)) {
    sideAround = true;
    look(prefix + exact.slice(0, 16), 0, COMMON);
  }
  if (suffix.length >= 16 && !look(suffix, prefix.length + exact.length, CONTEXT_PLACES)) {
    sideAround = true;
    look(exact.slice(-16) + suffix, prefix.length + exact.length - Math.min(16, exact.length), COMMON);
  }
  if (start !== undefined) {
    // The recorded position: aligned there, and, for a side of the context found nowhere else, searched around it.
    const r = sideAround ? reach.far : reach.near;
    regions.push({ start: start - r - margin, end: start + exact.length + r + margin });
  }
  const merged = merge(regions, text.length);
  const covered = merged.reduce((n, r) => n + r.end - r.start, 0);
  return covered > text.length * MOST ? null : merged;
}

/** Whether `pattern` (global) matches anywhere in `text` not wholly inside one of `regions` (sorted, disjoint). */
export function foundOutside(text: string, pattern: RegExp, regions: readonly Region[]): boolean {
  pattern.lastIndex = 0;
  let k = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    while (k < regions.length && regions[k].end <= m.index) k++;
    if (k === regions.length || m.index < regions[k].start || m.index + m[0].length > regions[k].end) return true;
    pattern.lastIndex = m.index + 1;
  }
  return false;
}

/** Where `s` occurs; none when more than `limit` times, as the matcher ignores such a string. */
function finds(text: string, s: string, limit: number): number[] {
  const out: number[] = [];
  if (!s) return out;
  for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) {
    if (out.length === limit) return [];
    out.push(i);
  }
  return out;
}

/** Clipped to the page, sorted, overlapping or touching regions joined. */
function merge(regions: Region[], length: number): Region[] {
  const sorted = regions
    .map((r) => ({ start: Math.max(0, Math.floor(r.start)), end: Math.min(length, Math.ceil(r.end)) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: Region[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
