/**
 * The text is written into one reused buffer and read back as a single string: joining the parts
 * with `+` gave a string made of several linked pieces (over 100 bytes each instead of about 48), and
 * a long capture's report holds hundreds of thousands of these times.
 */
const text = Buffer.alloc(27);
/** The last whole second seen: facts arrive in time order, so most share its "YYYY-MM-DDTHH:MM:SS". */
let cachedSecond = NaN;

/** ISO 8601 in UTC with microseconds, the resolution captures usually carry. */
export function isoTime(ts: number): string {
  // A corrupt timestamp must not stop the analysis; years past 9999 are not ISO 8601 either.
  if (!Number.isFinite(ts) || ts < 0 || ts >= 253402300800) ts = 0;
  const whole = Math.floor(ts);
  let micros = Math.round((ts - whole) * 1e6);
  if (micros > 999999) micros = 999999;
  if (whole !== cachedSecond) {
    cachedSecond = whole;
    text.write(new Date(whole * 1000).toISOString().slice(0, 19), 0, 'latin1');
    text[19] = 0x2e; // .
    text[26] = 0x5a; // Z
  }
  for (let i = 25; i >= 20; i--) {
    text[i] = 0x30 + (micros % 10);
    micros = Math.floor(micros / 10);
  }
  return text.toString('latin1', 0, 27);
}
