import { domainToASCII } from 'node:url';
import { normaliseName } from '../decode/name.js';

/**
 * Canonical forms shared by parsers (when storing) and the matcher (when looking up), so a value
 * written `WWW.Example.COM.` in a feed and `www.example.com` on the wire meet in the same Map key.
 */

function isPlainLowerAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

/**
 * A domain name from a feed as the matcher keys it: the one name form (normaliseName), IDN in punycode
 * (xn--), without a feed's wildcard. Returns null for strings that cannot be a host name, so parsers can
 * count them instead of storing junk.
 */
export function normalizeDomain(input: string): string | null {
  let s = input.trim();
  while (s.endsWith('.')) s = s.slice(0, -1);
  // Feeds sometimes write wildcards; the matcher already covers every sub-domain.
  if (s.startsWith('*.')) s = s.slice(2);
  while (s.startsWith('.')) s = s.slice(1);
  if (s.length === 0 || s.length > 253) return null;
  // Lower-case before the IDN conversion, as the matcher's lookup does: `ẞ` and `EXAMPLE.123` must get the key
  // a name seen on the wire gets, or the entry could never match.
  s = s.toLowerCase();
  if (!isPlainLowerAscii(s)) {
    // domainToASCII applies UTS #46 mapping, so `Ünïcode.Example` and its xn-- form agree.
    const ascii = domainToASCII(s);
    if (!ascii) return null;
    s = ascii;
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f;
    if (!ok) return null;
  }
  if (s.includes('..')) return null;
  // Lower-case ASCII by now; the IDN conversion may still leave the dot of a "。" or "．" at the end.
  const name = normaliseName(s);
  return name.length > 0 ? name : null;
}

/** Dotted-quad to an unsigned 32-bit number; null when not exactly four decimal octets. */
export function parseIPv4(s: string): number | null {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      // A leading zero makes some parsers read octal; refuse rather than guess.
      if (digits === 1 && octet === 0) return null;
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return null;
    } else if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return (value * 256 + octet) >>> 0;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** IPv6 text to a 128-bit BigInt; accepts `::` compression, an embedded dotted quad and a `%zone`. */
export function parseIPv6(input: string): bigint | null {
  let s = input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.length < 2 || !s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** RFC 5952 text: lower case, longest run of zero groups (two or more) compressed. */
export function formatIPv6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export type ParsedAddress = { family: 4; v4: number } | { family: 6; v6: bigint };

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/** Either family; an IPv4-mapped IPv6 address is read as the IPv4 address it carries. */
export function parseIP(s: string): ParsedAddress | null {
  const v4 = parseIPv4(s);
  if (v4 !== null) return { family: 4, v4 };
  const v6 = parseIPv6(s);
  if (v6 === null) return null;
  if (v6 >> 32n === V4_MAPPED_PREFIX >> 32n) return { family: 4, v4: Number(v6 & 0xffffffffn) };
  return { family: 6, v6 };
}

export interface ParsedCidr {
  family: 4 | 6;
  prefix: number;
  /** Network address with host bits cleared. */
  v4: number;
  v6: bigint;
}

export function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

const ALL_ONES_128 = (1n << 128n) - 1n;
export function v6Mask(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL_ONES_128 << BigInt(128 - prefix)) & ALL_ONES_128;
}

/** `a.b.c.d/n` or `x::/n` (a bare address is a full-length prefix); host bits are cleared. */
export function parseCidr(s: string): ParsedCidr | null {
  const slash = s.indexOf('/');
  const addr = parseIP(slash < 0 ? s.trim() : s.slice(0, slash).trim());
  if (!addr) return null;
  const max = addr.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > max) return null;
  }
  if (addr.family === 4) return { family: 4, prefix, v4: (addr.v4 & v4Mask(prefix)) >>> 0, v6: 0n };
  return { family: 6, prefix, v4: 0, v6: addr.v6 & v6Mask(prefix) };
}

export function formatCidr(c: ParsedCidr): string {
  return c.family === 4 ? `${formatIPv4(c.v4)}/${c.prefix}` : `${formatIPv6(c.v6)}/${c.prefix}`;
}

/** Canonical text of an IP or CIDR indicator value: a bare address for full-length prefixes. */
export function normalizeIpValue(s: string): { value: string; cidr: ParsedCidr } | null {
  const c = parseCidr(s);
  if (!c) return null;
  const full = c.family === 4 ? c.prefix === 32 : c.prefix === 128;
  const value = full ? (c.family === 4 ? formatIPv4(c.v4) : formatIPv6(c.v6)) : formatCidr(c);
  return { value, cidr: c };
}

/** Lower-case hex without separators (`AB:CD` and `abcd` are the same fingerprint); null if not hex. */
export function normalizeHex(s: string, lengths?: readonly number[]): string | null {
  const h = s.trim().replace(/[:\s-]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(h)) return null;
  if (lengths && !lengths.includes(h.length)) return null;
  return h;
}

/**
 * A URL as the matcher keys it: no scheme, lower-case host without default port, path kept as written
 * (paths are case-sensitive on most servers), fragment dropped. `example.com/a?b` style input is accepted.
 */
export function normalizeUrl(input: string): string | null {
  let s = input.trim();
  if (!s) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `http://${s}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  const host = u.hostname.startsWith('[') ? u.hostname : normalizeDomain(u.hostname) ?? u.hostname;
  if (!host) return null;
  const port = u.port ? `:${u.port}` : '';
  return `${host}${port}${u.pathname}${u.search}`;
}

/** Which kind of value a user typed into `search`. */
export function looksLikeHex(s: string): boolean {
  return /^[0-9a-fA-F:]+$/.test(s) && normalizeHex(s) !== null && [32, 40, 64].includes(normalizeHex(s)!.length);
}
