/**
 * Client and server TLS fingerprints. Stalkerware families ship their own TLS stacks or pinned library
 * versions, so these hashes identify the software behind a connection even where SNI and certificates are
 * generic.
 *
 * JA3/JA3S follow Salesforce's description: decimal values joined by '-', fields joined by ',', MD5 of that.
 * JA4 follows FoxIO's JA4 technical description (technical_details/JA4.md).
 */
import { createHash } from 'node:crypto';
import {
  EXT_ALPN, EXT_SERVER_NAME, EXT_SUPPORTED_VERSIONS, isGrease, tlsVersionName, type ClientHello, type ServerHello,
} from './tls.js';

const dropGrease = (xs: number[]): number[] => xs.filter((x) => !isGrease(x));
/**
 * The same client (one app, one TLS library) sends the same fingerprint in every connection, so the
 * hashes are remembered: a repeat costs a map lookup instead of a digest. Bounded, cleared when full.
 */
const MEMO_LIMIT = 4096;
const memo = new Map<string, string>();
function memoised(key: string, compute: () => string): string {
  let v = memo.get(key);
  if (v === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    v = compute();
    memo.set(key, v);
  }
  return v;
}
const md5 = (s: string): string => memoised('m' + s, () => createHash('md5').update(s, 'latin1').digest('hex'));
const sha256_12 = (s: string): string =>
  memoised('s' + s, () => createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12));
/** Four-digit hex of each 16-bit value, made once: every handshake lists dozens of them. */
const HEX4: string[] = [];
const hex4 = (v: number): string => (HEX4[v] ??= v.toString(16).padStart(4, '0'));

/** The values in ascending order, as a typed array (sorted numerically without a comparator). */
const sorted16 = (xs: number[]): Uint16Array => Uint16Array.from(xs).sort();

/** Values joined by commas as four-digit hex. */
function hexList(xs: ArrayLike<number>): string {
  const parts = new Array<string>(xs.length);
  for (let i = 0; i < xs.length; i++) parts[i] = hex4(xs[i]!);
  return parts.join(',');
}

/** SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats — GREASE removed from every list. */
export function ja3String(ch: ClientHello): string {
  return [
    String(ch.legacyVersion),
    dropGrease(ch.ciphers).join('-'),
    dropGrease(ch.extensions).join('-'),
    dropGrease(ch.groups).join('-'),
    ch.ecPointFormats.join('-'),
  ].join(',');
}

export function ja3(ch: ClientHello): string {
  return md5(ja3String(ch));
}

/** SSLVersion,Cipher,Extensions. Servers do not send GREASE, but a value that looks like it is dropped as in JA3. */
export function ja3sString(sh: ServerHello): string {
  return [String(sh.legacyVersion), String(sh.cipher), dropGrease(sh.extensions).join('-')].join(',');
}

export function ja3s(sh: ServerHello): string {
  return md5(ja3sString(sh));
}

function ja4Version(ch: ClientHello): string {
  let v = ch.legacyVersion;
  // The spec keys on the extension's presence; a supported_versions holding only GREASE falls back as well.
  if (ch.extensions.includes(EXT_SUPPORTED_VERSIONS)) {
    const real = dropGrease(ch.supportedVersions);
    if (real.length > 0) v = Math.max(...real);
  }
  switch (v) {
    case 0x0304:
      return '13';
    case 0x0303:
      return '12';
    case 0x0302:
      return '11';
    case 0x0301:
      return '10';
    case 0x0300:
      return 's3';
    case 0x0002:
      return 's2';
    case 0xfeff:
      return 'd1';
    case 0xfefd:
      return 'd2';
    case 0xfefc:
      return 'd3';
    default:
      return '00';
  }
}

const isAlnum = (b: number): boolean => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** First and last byte of the first ALPN value; their hex digits instead when either is not alphanumeric. */
function ja4Alpn(ch: ClientHello): string {
  const first = ch.alpn[0];
  if (first === undefined || first.length === 0) return '00';
  const a = first.charCodeAt(0) & 0xff;
  const z = first.charCodeAt(first.length - 1) & 0xff;
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a, z);
  return a.toString(16).padStart(2, '0')[0]! + z.toString(16).padStart(2, '0')[1]!;
}

const count2 = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');

/** JA4's three parts before hashing, useful to explain a fingerprint (the spec's "JA4_r"). */
export function ja4Raw(ch: ClientHello, transport: 't' | 'q'): { a: string; b: string; c: string } {
  const ciphers = dropGrease(ch.ciphers);
  const exts = dropGrease(ch.extensions);
  const a =
    transport +
    ja4Version(ch) +
    (exts.includes(EXT_SERVER_NAME) ? 'd' : 'i') +
    count2(ciphers.length) +
    count2(exts.length) +
    ja4Alpn(ch);
  const b = hexList(sorted16(ciphers));
  const hashed = sorted16(exts.filter((e) => e !== EXT_SERVER_NAME && e !== EXT_ALPN));
  const sig = dropGrease(ch.sigAlgs);
  let c = hexList(hashed);
  if (hashed.length > 0 && sig.length > 0) c += '_' + hexList(sig);
  return { a, b: ciphers.length > 0 ? b : '', c: hashed.length > 0 ? c : '' };
}

export function ja4(ch: ClientHello, transport: 't' | 'q'): string {
  const { a, b, c } = ja4Raw(ch, transport);
  const none = '000000000000';
  return `${a}_${b === '' ? none : sha256_12(b)}_${c === '' ? none : sha256_12(c)}`;
}

/** A ClientHello's JA3 string, JA3 and JA4 together, and the name of the highest version it offers. */
export interface HelloPrints {
  readonly ja3String: string;
  readonly ja3: string;
  readonly ja4: string;
  readonly offeredVersion: string;
}

/** The highest version a ClientHello offers, GREASE values aside, by name. */
function offeredVersionName(ch: ClientHello): string {
  let best = 0;
  for (const v of ch.supportedVersions) if ((v & 0x0f0f) !== 0x0a0a && v > best) best = v;
  return tlsVersionName(best || ch.legacyVersion);
}

/**
 * Everything the three fingerprints read from a hello, as numbers: the lists with GREASE left out where
 * the fingerprints leave it out, each after its length. Two hellos with equal signatures and equal first
 * ALPN values have equal fingerprints.
 */
const signature: number[] = [];
/** How much of `signature` is the current one: the array is reused and never shrunk, so it is not reallocated. */
let sigLen = 0;

function sigPush(x: number): void {
  // Writing at the array's length appends, so the array stays packed.
  signature[sigLen++] = x;
}

/** The list's length, then its values (GREASE left out if asked). Written out flat: it also runs cold. */
function pushList(xs: number[], withoutGrease: boolean): void {
  const sig = signature;
  let n = sigLen;
  const at = n++;
  sig[at] = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    // isGrease, inline.
    if (withoutGrease && (x & 0x0f0f) === 0x0a0a && x >> 8 === (x & 0xff)) continue;
    sig[n++] = x;
  }
  sig[at] = n - at - 1;
  sigLen = n;
}

/** The hello's lists in signature order; only ecPointFormats keeps GREASE (JA3 keeps it there). */
const HELLO_LISTS = 6;
const POINT_FORMATS = 3;

function helloList(ch: ClientHello, k: number): number[] {
  switch (k) {
    case 0: return ch.ciphers;
    case 1: return ch.extensions;
    case 2: return ch.groups;
    case 3: return ch.ecPointFormats;
    case 4: return ch.sigAlgs;
    default: return ch.supportedVersions;
  }
}

function helloSignature(ch: ClientHello, transport: 't' | 'q'): void {
  sigLen = 0;
  sigPush(transport === 't' ? 0 : 1);
  sigPush(ch.legacyVersion);
  // One call site, so the optimising compiler copies pushList's loop in once rather than six times.
  for (let k = 0; k < HELLO_LISTS; k++) pushList(helloList(ch, k), k !== POINT_FORMATS);
}

/**
 * Values remembered by a list of numbers (and a text), looked up by a checksum of the numbers and
 * confirmed on all of them. Bounded, cleared when full.
 */
class NumbersMemo<T> {
  private readonly buckets = new Map<number, { numbers: number[]; text: string | undefined; value: T }[]>();
  private entries = 0;

  private static checksum(numbers: number[], n: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ numbers[i]!, 0x01000193);
    return h >>> 0;
  }

  /** The value remembered for the first n numbers and the text. */
  get(numbers: number[], n: number, text: string | undefined): T | undefined {
    const bucket = this.buckets.get(NumbersMemo.checksum(numbers, n));
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i]!;
      if (e.text === text && sameNumbers(e.numbers, numbers, n)) return e.value;
    }
    return undefined;
  }

  /** Remembers `value` for a copy of the first n numbers and the text. */
  set(numbers: number[], n: number, text: string | undefined, value: T): void {
    if (this.entries >= MEMO_LIMIT) {
      this.buckets.clear();
      this.entries = 0;
    }
    const h = NumbersMemo.checksum(numbers, n);
    const entry = { numbers: numbers.slice(0, n), text, value };
    const list = this.buckets.get(h);
    if (list === undefined) this.buckets.set(h, [entry]);
    else list.push(entry);
    this.entries++;
  }
}

const helloMemo = new NumbersMemo<HelloPrints>();

/**
 * The fingerprints of a hello. The same client (one app, one TLS library) sends the same lists in every
 * connection, so a repeat costs a checksum over a few dozen numbers instead of building the JA3 string,
 * the JA4 parts and their digests again.
 */
export function helloFingerprints(ch: ClientHello, transport: 't' | 'q'): HelloPrints {
  helloSignature(ch, transport);
  const alpn = ch.alpn[0];
  let prints = helloMemo.get(signature, sigLen, alpn);
  if (prints === undefined) {
    const j3 = ja3String(ch);
    prints = { ja3String: j3, ja3: md5(j3), ja4: ja4(ch, transport), offeredVersion: offeredVersionName(ch) };
    helloMemo.set(signature, sigLen, alpn, prints);
  }
  return prints;
}

const serverHelloMemo = new NumbersMemo<string>();

/** JA3S, remembered by what it reads: a server answers the same way to every connection of a client. */
export function ja3sRemembered(sh: ServerHello): string {
  sigLen = 0;
  sigPush(sh.legacyVersion);
  sigPush(sh.cipher);
  pushList(sh.extensions, true);
  let v = serverHelloMemo.get(signature, sigLen, undefined);
  if (v === undefined) {
    v = ja3s(sh);
    serverHelloMemo.set(signature, sigLen, undefined, v);
  }
  return v;
}

/** Whether a is the first n numbers of b. */
function sameNumbers(a: number[], b: number[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
