/** Times as reviewers in many time zones read them: relative in the list, UTC on hover. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/**
 * "3 min ago", "yesterday", in the browser's language (Intl does the wording, so there are no
 * strings to translate); older than a month, the date.
 */
export function relativeTime(ms: number, now = Date.now(), locale?: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const s = Math.round((ms - now) / 1000);
  if (Math.abs(s) < 45) return rtf.format(0, 'second');
  const m = Math.round(s / 60);
  if (Math.abs(m) < 60) return rtf.format(m, 'minute');
  const h = Math.round(m / 60);
  if (Math.abs(h) < 24) return rtf.format(h, 'hour');
  const d = Math.round(h / 24);
  if (Math.abs(d) < 30) return rtf.format(d, 'day');
  return new Date(ms).toISOString().slice(0, 10);
}
