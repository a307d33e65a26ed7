import { i18n } from '#i18n';
import { countdownParts } from '../review/period';

/** "2 d 4 h", "5 h 12 min", "40 min": the time left, in the reader's language. */
export function countdown(ms: number): string {
  const { days, hours, minutes } = countdownParts(ms);
  if (days) return i18n.t('countdownDays', [String(days), String(hours)]);
  if (hours) return i18n.t('countdownHours', [String(hours), String(minutes)]);
  return i18n.t('countdownMinutes', [String(minutes)]);
}
