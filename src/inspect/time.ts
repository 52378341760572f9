/** ISO 8601 in UTC with microseconds, the resolution captures usually carry. */
export function isoTime(ts: number): string {
  if (!Number.isFinite(ts)) return new Date(0).toISOString();
  const whole = Math.floor(ts);
  const micros = Math.min(999999, Math.round((ts - whole) * 1e6));
  const base = new Date(whole * 1000).toISOString(); // "YYYY-MM-DDTHH:MM:SS.000Z"
  return `${base.slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}
