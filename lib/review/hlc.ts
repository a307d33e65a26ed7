/**
 * Hybrid logical clock: wall-clock milliseconds plus a counter, so that an event made after
 * seeing another always sorts after it, even when the two machines' clocks disagree.
 */
export interface Hlc {
  /** Milliseconds since the epoch (UTC), never less than any clock value seen before. */
  t: number;
  /** Tie-breaker among events within the same millisecond. */
  c: number;
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.t - b.t || a.c - b.c;
}

/** The clock value for a new event, given the latest value seen anywhere in the review. */
export function nextHlc(latest: Hlc | undefined, now: number): Hlc {
  if (!latest || now > latest.t) return { t: now, c: 0 };
  return { t: latest.t, c: latest.c + 1 };
}
