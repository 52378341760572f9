/**
 * The text's character codes, rewritten in place and turned into one flat string per call: joining
 * parts with `+` gave a string made of several linked pieces (over 100 bytes each instead of about
 * 48), and a long capture's report holds hundreds of thousands of these times.
 */
const codes: number[] = Array.from('0000-00-00T00:00:00.000000Z', (c) => c.charCodeAt(0));
/** The last whole second written into `codes`: facts mostly arrive in time order, so most share it. */
let cachedSecond = NaN;

const ZERO = 0x30;
const SECONDS_PER_DAY = 86400;
/** 10000-01-01T00:00:00Z: later times cannot be written with four digits of year. */
const MAX_SECONDS = 253402300800;

/**
 * ISO 8601 in UTC with microseconds, the resolution captures usually carry. A formatter of its own:
 * `Date#toISOString` cost ten times as much, and connections leave the flow table out of time order,
 * so the cached second often changes.
 */
export function isoTime(ts: number): string {
  // A corrupt timestamp must not stop the analysis; years past 9999 are not ISO 8601 either.
  if (!(ts >= 0 && ts < MAX_SECONDS)) ts = 0;
  const whole = Math.floor(ts);
  let micros = Math.round((ts - whole) * 1e6);
  if (micros > 999999) micros = 999999;
  if (whole !== cachedSecond) {
    cachedSecond = whole;
    writeSecond(whole);
  }
  for (let i = 25; i >= 20; i--) {
    const q = Math.floor(micros / 10);
    codes[i] = ZERO + (micros - q * 10);
    micros = q;
  }
  return String.fromCharCode.apply(null, codes);
}

/**
 * Writes "YYYY-MM-DDTHH:MM:SS" for `seconds` since 1970 (0 ≤ seconds < MAX_SECONDS): the proleptic
 * Gregorian date from the day number, counted in 400-year eras whose days repeat, with the year
 * starting on 1 March so that the leap day falls last.
 */
function writeSecond(seconds: number): void {
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  let rest = seconds - days * SECONDS_PER_DAY;
  const z = days + 719468; // days since 0000-03-01
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153); // month counted from March
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  digits(0, 4, year);
  digits(5, 2, month);
  digits(8, 2, day);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  digits(11, 2, hours);
  digits(14, 2, minutes);
  digits(17, 2, rest - minutes * 60);
}

function digits(at: number, width: number, value: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    const q = Math.floor(value / 10);
    codes[i] = ZERO + (value - q * 10);
    value = q;
  }
}
