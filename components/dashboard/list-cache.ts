/**
 * The dashboard's last list of reviews, kept in the extension's own localStorage (no page can
 * read it) so that the popup draws its cards at once: the hub's fresh list, a port round trip and
 * an IndexedDB read later, replaces it. A broken or missing copy is no copy.
 */
import type { ReviewRecord } from '../../lib/store/db';

const KEY = 'margins:dashboard-list';

export function cachedList(): ReviewRecord[] | null {
  try {
    const raw = localStorage.getItem(KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : null;
    return Array.isArray(list) ? (list as ReviewRecord[]) : null;
  } catch {
    return null;
  }
}

export function keepList(list: ReviewRecord[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // A full quota only costs the next popup its head start.
  }
}
