/**
 * A horizontal bar chart that is also its own text alternative: each row is a label, a bar drawn
 * with CSS and the number, in a list a screen reader reads as "label: number". No chart library:
 * a few rows of bars cost nothing in the popup.
 */
export function Bars({ label, rows, max }: { label: string; rows: { key: string; label: string; value: number; muted?: boolean }[]; max?: number }) {
  const top = Math.max(1, max ?? Math.max(0, ...rows.map((r) => r.value)));
  return (
    <ul class="bars" aria-label={label}>
      {rows.map((r) => (
        <li key={r.key} class={r.muted ? 'muted' : undefined}>
          <span class="bar-label">{r.label}</span>
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${(100 * r.value) / top}%` }} />
          </span>
          <span class="bar-value">{r.value}</span>
        </li>
      ))}
    </ul>
  );
}

/** Resolved threads over time, as a step line; the text alternative says where it started and ended. */
export function Progress({ points, total, label }: { points: { at: number; resolved: number }[]; total: number; label: string }) {
  if (points.length < 2 || total === 0) return null;
  const t0 = points[0].at;
  const span = Math.max(1, points[points.length - 1].at - t0);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${((p.at - t0) / span) * 200},${40 - (p.resolved / total) * 40}`).join(' ');
  return (
    <svg class="progress-chart" viewBox="0 -2 200 44" role="img" aria-label={label}>
      <title>{label}</title>
      <path d={path} fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}
