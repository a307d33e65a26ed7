import { useEffect, useState } from 'preact/hooks';

/**
 * The time at this render, with a render at least every `everyMs` so that countdowns and period
 * phases move on while a view stays open. Any other render (a new state) also reads the clock
 * afresh: a period the chair just closed shows closed at once.
 */
export function useNow(everyMs = 30_000): number {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return Date.now();
}
