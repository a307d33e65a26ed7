/**
 * Edit distances over UTF-16 code units, in the three shapes the matcher needs. Plain dynamic
 * programming with one reused column: the matcher only ever runs it on short windows it has
 * already located, so the quadratic cost stays small and predictable.
 */
let colA = new Int32Array(1024);
let colB = new Int32Array(1024);

function columns(m: number): [Int32Array, Int32Array] {
  if (colA.length <= m) {
    colA = new Int32Array(m * 2 + 1);
    colB = new Int32Array(m * 2 + 1);
  }
  return [colA, colB];
}

let lastReversed = { from: '', to: '' };
/** The pattern back to front (the last one is kept: the matcher reverses the same pattern often). */
function reversed(s: string): string {
  if (lastReversed.from !== s) lastReversed = { from: s, to: s.split('').reverse().join('') };
  return lastReversed.to;
}

export interface Alignment {
  start: number;
  end: number;
  errors: number;
}

/**
 * Best place of `pattern` inside `text[from, to)`: all of the pattern, any substring of the text,
 * or null when every placement needs more than `maxErrors` edits. Ties between ends go to the
 * one nearest `preferEnd`.
 */
export function alignWithin(pattern: string, text: string, from: number, to: number, preferEnd = to, maxErrors = pattern.length): Alignment | null {
  const m = pattern.length;
  const endAt = scanEnds(pattern, text, from, to, false, preferEnd, maxErrors);
  if (endAt.cost > maxErrors) return null;
  // The start: the same search run backwards from the chosen end.
  const startAt = scanEnds(pattern, text, from, endAt.pos, true, from, maxErrors);
  return { start: startAt.pos, end: endAt.pos, errors: Math.min(endAt.cost, m) };
}

/**
 * Cost and position of the best end (forward) or start (backward) of the pattern in text[from,to).
 * Ukkonen's cut-off: rows of the pattern below the last one still within `k` errors are not
 * computed, so a window that holds no good placement costs O(k) per column instead of O(m).
 */
function scanEnds(pattern: string, text: string, from: number, to: number, backward: boolean, prefer: number, k: number): { pos: number; cost: number } {
  const m = pattern.length;
  // Backward scans read the pattern from its end: reverse it once rather than per cell.
  const p = backward ? reversed(pattern) : pattern;
  let [prev, cur] = columns(m);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let last = Math.min(m, k); // last row whose value may be <= k
  let best = m + 1;
  let bestPos = backward ? to : from;
  if (m <= k) {
    best = m;
  }
  const L = to - from;
  for (let step = 1; step <= L; step++) {
    const j = backward ? to - step : from + step - 1;
    const tc = text.charCodeAt(j);
    cur[0] = 0;
    const rows = Math.min(m, last + 1);
    for (let i = 1; i <= rows; i++) {
      const pc = p.charCodeAt(i - 1);
      const sub = prev[i - 1] + (pc === tc ? 0 : 1);
      const del = i <= last ? prev[i] + 1 : m + 1;
      const ins = cur[i - 1] + 1;
      cur[i] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    for (let i = rows + 1; i <= m && i <= last + 1; i++) cur[i] = m + 1;
    last = rows;
    while (last > 0 && cur[last] > k) last--;
    if (rows === m) {
      const pos = backward ? j : j + 1;
      if (cur[m] < best || (cur[m] === best && Math.abs(pos - prefer) < Math.abs(bestPos - prefer))) {
        best = cur[m];
        bestPos = pos;
      }
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return { pos: bestPos, cost: best };
}

/**
 * Errors aligning all of `pattern` with a piece of text that ends exactly at `end` (backward, for a
 * prefix) or starts exactly at `start` (forward, for a suffix) and may be a little longer or shorter.
 */
export function contextErrors(pattern: string, text: string, at: number, backward: boolean): number {
  const m = pattern.length;
  if (!m) return 0;
  // Most candidates keep their context as it was: no need for the table then.
  if (backward ? text.endsWith(pattern, at) : text.startsWith(pattern, at)) return 0;
  const p = backward ? reversed(pattern) : pattern;
  const slack = 4 + (m >> 3);
  const L = backward ? Math.min(at, m + slack) : Math.min(text.length - at, m + slack);
  let [prev, cur] = columns(m);
  // Row 0 of the pattern side is anchored at `at`: the text may not be skipped there.
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = prev[m];
  for (let step = 1; step <= L; step++) {
    const tc = text.charCodeAt(backward ? at - step : at + step - 1);
    cur[0] = step;
    for (let i = 1; i <= m; i++) {
      const pc = p.charCodeAt(i - 1);
      const sub = prev[i - 1] + (pc === tc ? 0 : 1);
      const del = prev[i] + 1;
      const ins = cur[i - 1] + 1;
      cur[i] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    if (cur[m] < best) best = cur[m];
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(best, m);
}

let codesA = new Uint16Array(1024);
let codesB = new Uint16Array(1024);

/**
 * The code units of `a` and `b` in reused arrays, as `columns` reuses the table's: the band's
 * inner loop reads them far faster than charCodeAt.
 */
function codeUnits(a: string, b: string): [Uint16Array, Uint16Array] {
  if (codesA.length < a.length) codesA = new Uint16Array(a.length * 2);
  if (codesB.length < b.length) codesB = new Uint16Array(b.length * 2);
  for (let i = 0; i < a.length; i++) codesA[i] = a.charCodeAt(i);
  for (let j = 0; j < b.length; j++) codesB[j] = b.charCodeAt(j);
  return [codesA, codesB];
}

/** Global edit distance within a diagonal band; returns `band + 1` or more when it is larger. */
export function bandedDistance(a: string, b: string, band: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > band) return Math.abs(n - m);
  const INF = 1 << 29;
  const [A, B] = codeUnits(a, b);
  let [prev, cur] = columns(m);
  for (let j = 0; j <= m; j++) prev[j] = j <= band ? j : INF;
  for (let i = 1; i <= n; i++) {
    const lo = i - band > 1 ? i - band : 1;
    const hi = i + band < m ? i + band : m;
    cur[0] = i <= band ? i : INF;
    if (lo > 1) cur[lo - 1] = INF;
    const ac = A[i - 1];
    let left = cur[lo - 1];
    for (let j = lo; j <= hi; j++) {
      let v = prev[j - 1] + (ac === B[j - 1] ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (left + 1 < v) v = left + 1;
      cur[j] = v;
      left = v;
    }
    if (hi < m) cur[hi + 1] = INF;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m], INF);
}
