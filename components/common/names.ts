import { i18n } from '#i18n';
import { displayName, type ReviewState } from '../../lib/review/state';

/** A member's name as the UI shows it, with a translated word for someone nameless. */
export function nameOf(state: ReviewState, key: string): string {
  return displayName(state, key, i18n.t('unknownReviewer'));
}
