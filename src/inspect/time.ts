/** The ISO prefix of the last whole second seen: facts arrive in time order, so most share it. */
let cachedSecond = NaN;
let cachedPrefix = '';

/** ISO 8601 in UTC with microseconds, the resolution captures usually carry. */
export function isoTime(ts: number): string {
  // A corrupt timestamp must not stop the analysis; years past 9999 are not ISO 8601 either.
  if (!Number.isFinite(ts) || ts < 0 || ts >= 253402300800) ts = 0;
  const whole = Math.floor(ts);
  let micros = Math.round((ts - whole) * 1e6);
  if (micros > 999999) micros = 999999;
  if (whole !== cachedSecond) {
    cachedSecond = whole;
    cachedPrefix = new Date(whole * 1000).toISOString().slice(0, 19); // "YYYY-MM-DDTHH:MM:SS"
  }
  const frac = micros < 100000 ? String(micros + 1000000).slice(1) : String(micros);
  return `${cachedPrefix}.${frac}Z`;
}
