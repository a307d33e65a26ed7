/**
 * The draft's sidebar asks the background to open the dashboard at a review's export menu: the
 * export itself runs in an extension page, where the draft's page cannot see the file or its text.
 */
import { browser } from 'wxt/browser';
import { REVIEW_ID } from '../review/events';

export const OPEN_EXPORT = 'margins:open-export';

export function requestExport(review: string): Promise<unknown> {
  return browser.runtime.sendMessage({ type: OPEN_EXPORT, review });
}

/** The dashboard's address for exporting `review`, or null for anything that is not a review id. */
export function exportPageUrl(message: unknown): string | null {
  const review = (message as { review?: unknown })?.review;
  if (typeof review !== 'string' || !REVIEW_ID.test(review)) return null;
  return `${browser.runtime.getURL('/dashboard.html')}#export=${encodeURIComponent(review)}`;
}
