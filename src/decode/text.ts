/**
 * Small text renderings shared by the decoders and the engine. Callers have already checked that the bytes
 * they point at exist: these helpers do no bounds checks of their own, so they stay cheap on the per-packet path.
 */

/** Dotted-quad rendering of the 4 bytes at `off`. */
export function formatIPv4(buf: Buffer, off: number): string {
  const key = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
  const slot = (key ^ (key >>> 11) ^ (key >>> 22)) & (IPV4_SLOTS - 1);
  const known = recentIPv4[slot]!;
  if (recentIPv4Keys[slot] === key && known.length > 0) return known;
  // Written out and read back as one string: a template gave a chain of seven linked pieces, and
  // addresses are kept by the hundred thousand (DNS answers, the names-per-address table).
  const text = addrText.toString('latin1', 0, putIPv4(buf, off, 0));
  recentIPv4[slot] = text;
  recentIPv4Keys[slot] = key;
  return text;
}

/**
 * Dotted-quad rendering of an IPv4 address held as one 32-bit number (the flow table's form), sharing
 * the strings of `formatIPv4`: a flow's addresses are kept by every fact it makes, and most flows
 * share their client or their server with many others.
 */
export function formatIPv4Word(v: number): string {
  const key = v | 0;
  const slot = (key ^ (key >>> 11) ^ (key >>> 22)) & (IPV4_SLOTS - 1);
  const known = recentIPv4[slot]!;
  if (recentIPv4Keys[slot] === key && known.length > 0) return known;
  wordBytes[0] = key >>> 24;
  wordBytes[1] = (key >>> 16) & 255;
  wordBytes[2] = (key >>> 8) & 255;
  wordBytes[3] = key & 255;
  const text = addrText.toString('latin1', 0, putIPv4(wordBytes, 0, 0));
  recentIPv4[slot] = text;
  recentIPv4Keys[slot] = key;
  return text;
}

/** The four bytes of the address `formatIPv4Word` is writing. */
const wordBytes = Buffer.alloc(4);

/**
 * Addresses written lately, by their value: the same few hundred come back in answer after answer, and
 * one remembered string costs less than a new one (and lets the facts share it).
 */
const IPV4_SLOTS = 1024;
const recentIPv4: string[] = new Array<string>(IPV4_SLOTS).fill('');
const recentIPv4Keys = new Int32Array(IPV4_SLOTS);

/** Forgets the addresses remembered so far, for the same reason as the DNS decoder's names. */
export function forgetRecentAddresses(): void {
  recentIPv4.fill('');
  recentIPv4Keys.fill(0);
}

/** Where addresses are written before they become one string; the longest is an IPv6 address, 39 characters. */
const addrText = Buffer.alloc(48);

/** Writes the dotted quad of the 4 bytes at `off` into `addrText` from `w`; returns where it ends. */
function putIPv4(buf: Buffer, off: number, w: number): number {
  for (let i = 0; i < 4; i++) {
    const b = buf[off + i]!;
    if (i > 0) addrText[w++] = 0x2e;
    if (b >= 100) addrText[w++] = 0x30 + Math.floor(b / 100);
    if (b >= 10) addrText[w++] = 0x30 + (Math.floor(b / 10) % 10);
    addrText[w++] = 0x30 + (b % 10);
  }
  return w;
}

/** ASCII codes of the lower-case hex digits. */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * RFC 5952 rendering of the 16 bytes at `off`: lower-case hex, no leading zeros, the longest run of two or
 * more zero groups (the first one on a tie) shortened to "::". IPv4-mapped addresses (::ffff:0:0/96) keep
 * their dotted tail as section 5 recommends, because that is how people recognise them.
 */
export function formatIPv6(buf: Buffer, off: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const zero = buf[off + 2 * i] === 0 && buf[off + 2 * i + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
      const runLen = i - runStart + 1;
      if (runLen > bestLen) {
        bestLen = runLen;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  // A single zero group stays "0": RFC 5952 4.2.2 forbids "::" for one group.
  if (bestLen < 2) bestStart = -1;

  let w = 0;
  if (bestStart === 0 && bestLen === 5 && buf[off + 10] === 0xff && buf[off + 11] === 0xff) {
    // "::ffff:"
    addrText[0] = addrText[1] = addrText[6] = 0x3a;
    addrText[2] = addrText[3] = addrText[4] = addrText[5] = 0x66;
    return addrText.toString('latin1', 0, putIPv4(buf, off + 12, 7));
  }
  // Written into one buffer and read back as one string, like IPv4 addresses above.
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      addrText[w++] = 0x3a;
      addrText[w++] = 0x3a;
      i += bestLen - 1;
      continue;
    }
    if (w > 0 && addrText[w - 1] !== 0x3a) addrText[w++] = 0x3a;
    const hi = buf[off + 2 * i]!;
    const lo = buf[off + 2 * i + 1]!;
    if (hi >= 16) addrText[w++] = HEX_DIGITS[hi >> 4]!;
    if (hi > 0) addrText[w++] = HEX_DIGITS[hi & 15]!;
    if (hi > 0 || lo >= 16) addrText[w++] = HEX_DIGITS[lo >> 4]!;
    addrText[w++] = HEX_DIGITS[lo & 15]!;
  }
  return addrText.toString('latin1', 0, w);
}

/** Lower-case hex of bytes [start, end). */
export function toHex(buf: Buffer, start: number, end: number): string {
  return buf.toString('hex', start, end);
}

/** "aa:bb:cc:…" (lower case) of bytes [start, end). */
export function formatMac(buf: Buffer, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const b = buf[i];
    out += (i === start ? '' : ':') + (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}

/**
 * Whether byte `b` must be written as \DDD. Printable ASCII (space to "~") stays as it is, except the
 * backslash itself, so that the escaped form can be read back without ambiguity; `escapeDot` also escapes
 * "." because inside a DNS label it would otherwise look like a label boundary.
 */
function needsEscape(b: number, escapeDot: boolean): boolean {
  return b < 0x20 || b > 0x7e || b === 0x5c || (escapeDot && b === 0x2e);
}

/**
 * Bytes [start, end) as text, with every byte outside printable ASCII (and "\", and "." if `escapeDot`)
 * written as a backslash and three decimal digits, as in RFC 1035 master files ("\032" is not used for
 * space: space is printable and kept). The common all-printable case costs one scan and one latin1 slice.
 */
export function escapeBytes(buf: Buffer, start: number, end: number, escapeDot: boolean): string {
  let i = start;
  while (i < end && !needsEscape(buf[i], escapeDot)) i++;
  if (i === end) return buf.toString('latin1', start, end);
  let out = buf.toString('latin1', start, i);
  let runStart = i;
  for (; i < end; i++) {
    const b = buf[i];
    if (!needsEscape(b, escapeDot)) continue;
    if (runStart < i) out += buf.toString('latin1', runStart, i);
    out += '\\' + (b < 100 ? (b < 10 ? '00' : '0') : '') + b;
    runStart = i + 1;
  }
  if (runStart < end) out += buf.toString('latin1', runStart, end);
  return out;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Free text chosen by a device (DHCP host names, vendor classes): UTF-8 when the bytes are valid UTF-8,
 * since phones put their owner's name there ("Anna’s iPhone"), otherwise latin1; trailing NULs, which some
 * clients add as C terminators, are dropped; control characters and "\" become \DDD so that a report or a
 * terminal cannot be fooled by them.
 */
export function deviceText(buf: Buffer, start: number, end: number): string {
  while (end > start && buf[end - 1] === 0) end--;
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i] > 0x7e || buf[i] < 0x20 || buf[i] === 0x5c) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.toString('latin1', start, end);
  let text: string;
  try {
    text = utf8Strict.decode(buf.subarray(start, end));
  } catch {
    text = buf.toString('latin1', start, end);
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c || (c >= 0x80 && c < 0xa0)) {
      out += '\\' + (c < 100 ? (c < 10 ? '00' : '0') : '') + c;
    } else {
      out += text[i];
    }
  }
  return out;
}
