/**
 * Data per second over the last minutes, as a line: enough to see that the phone is talking. With `now`
 * (seconds since the capture started) the line runs up to the present, so a phone that went quiet shows
 * a flat end rather than its last burst at the right edge.
 */
const WINDOW_SECONDS = 300;

export function Sparkline({ points, label, now }: { points: { t: number; bytes: number }[]; label: string; now?: number }) {
  const w = 300;
  const h = 60;
  const end = Math.max(points.length > 0 ? points[points.length - 1]!.t : 0, Math.floor(now ?? 0));
  if (points.length === 0 || (points.length < 2 && end <= points[0]!.t)) {
    return (
      <svg class="spark" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} preserveAspectRatio="none">
        <line x1="0" y1={h - 1} x2={w} y2={h - 1} stroke="currentColor" stroke-width="2" opacity="0.35" />
      </svg>
    );
  }
  // The last five minutes at most: a burst long ago is not squeezed into the left edge.
  const t0 = Math.max(points[0]!.t, end - WINDOW_SECONDS);
  const t1 = Math.max(end, t0 + 10);
  const max = Math.max(...points.filter((p) => p.t >= t0).map((p) => p.bytes), 1);
  // Seconds without traffic are not in the series: they are drawn as zero.
  const byT = new Map(points.map((p) => [p.t, p.bytes]));
  const xs: string[] = [];
  for (let s = t0; s <= t1; s++) {
    const x = ((s - t0) / (t1 - t0)) * w;
    const y = h - 2 - ((byT.get(s) ?? 0) / max) * (h - 6);
    xs.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return (
    <svg class="spark" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} preserveAspectRatio="none">
      <polyline points={`0,${h} ${xs.join(' ')} ${w},${h}`} fill="currentColor" opacity="0.15" stroke="none" />
      <polyline points={xs.join(' ')} fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke" />
    </svg>
  );
}
