/** Data per second over the last minutes, as a line: enough to see that the phone is talking. */
export function Sparkline({ points, label }: { points: { t: number; bytes: number }[]; label: string }) {
  const w = 300;
  const h = 60;
  if (points.length < 2) {
    return (
      <svg class="spark" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} preserveAspectRatio="none">
        <line x1="0" y1={h - 1} x2={w} y2={h - 1} stroke="currentColor" stroke-width="2" opacity="0.35" />
      </svg>
    );
  }
  const t0 = points[0]!.t;
  const t1 = Math.max(points[points.length - 1]!.t, t0 + 10);
  const max = Math.max(...points.map((p) => p.bytes), 1);
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
