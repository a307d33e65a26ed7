import { relativeTime, utc } from '../../lib/page/time';

export function Time({ ms }: { ms: number }) {
  return (
    <time dateTime={new Date(ms).toISOString()} title={utc(ms)}>
      {relativeTime(ms)}
    </time>
  );
}
