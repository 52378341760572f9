/**
 * QUIC client Initial decryption (RFC 9000, RFC 9001, RFC 9369) and ClientHello reassembly.
 *
 * Initial packets are encrypted with keys anyone can derive from the client's first Destination Connection ID,
 * so an on-path observer can read the TLS ClientHello (SNI, ALPN, JA4 inputs). Only the client→server direction
 * is handled: the server's Initials carry nothing quietcheck needs and use other keys.
 */
import { createCipheriv, createDecipheriv, createHmac, type Cipher } from 'node:crypto';
import { DecodeError } from './errors.js';

/** One CRYPTO frame. `data` is a view of the packet's decrypted payload (fresh memory, never the caller's datagram). */
export interface QuicCryptoChunk {
  offset: number;
  data: Buffer;
}

export interface QuicInitialPacket {
  version: number;
  /** Destination Connection ID written in this packet's header. */
  dcid: Buffer;
  scid: Buffer;
  /** The packet number as truncated on the wire (client Initials count from 0, so it is the real one in practice). */
  packetNumber: number;
  crypto: QuicCryptoChunk[];
  /** The DCID the keys were derived from: the caller's keyDcid, or this packet's dcid when that was null or failed. */
  keyDcid: Buffer;
  /** The Initial's token (from a Retry or NEW_TOKEN); empty on a first contact. */
  token: Buffer;
  /** Set when the client sent CONNECTION_CLOSE (error code) in this Initial. */
  closeErrorCode?: number;
}

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;
export const QUIC_DRAFT29 = 0xff00001d;

interface VersionParams {
  salt: Buffer;
  keyLabel: string;
  ivLabel: string;
  hpLabel: string;
  /** Long-header packet type bits (0x30 of the first byte) that mean Initial; v2 reshuffled them against ossification. */
  initialType: number;
}

const VERSIONS = new Map<number, VersionParams>([
  [
    QUIC_V1,
    {
      salt: Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'),
      keyLabel: 'quic key',
      ivLabel: 'quic iv',
      hpLabel: 'quic hp',
      initialType: 0,
    },
  ],
  [
    QUIC_V2,
    {
      salt: Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'),
      keyLabel: 'quicv2 key',
      ivLabel: 'quicv2 iv',
      hpLabel: 'quicv2 hp',
      initialType: 1,
    },
  ],
  [
    QUIC_DRAFT29,
    {
      salt: Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex'),
      keyLabel: 'quic key',
      ivLabel: 'quic iv',
      hpLabel: 'quic hp',
      initialType: 0,
    },
  ],
]);

/** RFC 9000 §17.2: version 1 (and 2) endpoints drop long headers with longer connection IDs. */
const MAX_CID = 20;
/** Header-protection sample size and AEAD tag size of AES-128-GCM. */
const SAMPLE_LEN = 16;
const TAG_LEN = 16;

/** 1 → "QUIC v1", 0x6b3343cf → "QUIC v2", 0xff00001d → "QUIC draft-29", anything else "0x" and 8 hex digits. */
export function quicVersionName(v: number): string {
  switch (v >>> 0) {
    case QUIC_V1:
      return 'QUIC v1';
    case QUIC_V2:
      return 'QUIC v2';
    case QUIC_DRAFT29:
      return 'QUIC draft-29';
    default:
      return '0x' + (v >>> 0).toString(16).padStart(8, '0');
  }
}

/** True when `v` is a version whose Initial keys we can derive. */
export function isDecryptableQuicVersion(v: number): boolean {
  return VERSIONS.has(v >>> 0);
}

/** Big-endian 32 bits at `at`, which the caller has bounds-checked; Buffer#readUInt32BE would check again. */
function u32(b: Buffer, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Long-header type bits that mean Initial for version `v`, or -1 when we cannot derive `v`'s keys. */
function initialTypeOf(v: number): number {
  switch (v) {
    case QUIC_V1:
    case QUIC_DRAFT29:
      return 0;
    case QUIC_V2:
      return 1;
    default:
      return -1;
  }
}

/**
 * True for a datagram starting with a long-header Initial of a version we can decrypt (v1, v2, draft-29). Cheap and
 * allocation-free. Server Initials match too: which side is the client is for the caller to know.
 */
export function looksLikeQuicInitial(buf: Buffer, off: number, len: number): boolean {
  const end = Math.min(buf.length, off + len);
  if (off < 0 || end - off < 7) return false;
  const b0 = buf[off]!;
  // The fixed bit is not required: RFC 9287 lets a client grease it.
  if ((b0 & 0x80) === 0) return false;
  const type = initialTypeOf(u32(buf, off + 1));
  if (type < 0 || ((b0 >> 4) & 3) !== type) return false;
  const dcidLen = buf[off + 5]!;
  if (dcidLen > MAX_CID || off + 6 + dcidLen >= end) return false;
  return buf[off + 6 + dcidLen]! <= MAX_CID;
}

// ---------------------------------------------------------------------------------------------------------------
// Key schedule

/** RFC 8446 §7.1 HKDF-Expand-Label with an empty context; every output here fits in one SHA-256 block. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = 'tls13 ' + label;
  const info = Buffer.alloc(2 + 1 + full.length + 1 + 1);
  info.writeUInt16BE(length, 0);
  info[2] = full.length;
  info.write(full, 3, 'latin1');
  info[3 + full.length] = 0; // empty context
  info[4 + full.length] = 1; // HKDF-Expand block counter T(1)
  return createHmac('sha256', secret).update(info).digest().subarray(0, length);
}

export interface QuicInitialKeys {
  secret: Buffer;
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

/** Client Initial secret, AEAD key, IV and header-protection key for `dcid` (RFC 9001 §5.2, RFC 9369 §3.3). */
export function quicClientInitialKeys(version: number, dcid: Buffer): QuicInitialKeys {
  const params = VERSIONS.get(version >>> 0);
  if (params === undefined) throw new DecodeError('quic.version', quicVersionName(version));
  const initialSecret = createHmac('sha256', params.salt).update(dcid).digest();
  const secret = expandLabel(initialSecret, 'client in', 32);
  return {
    secret,
    key: expandLabel(secret, params.keyLabel, 16),
    iv: expandLabel(secret, params.ivLabel, 12),
    hp: expandLabel(secret, params.hpLabel, 16),
  };
}

/** The keys of one (version, DCID), as kept in the cache. */
export interface QuicKeyId {
  readonly version: number;
  /** A private copy; never written to, so callers may keep it as their connection's key DCID. */
  readonly dcid: Buffer;
}

class CachedKeys implements QuicKeyId {
  constructor(
    readonly version: number,
    readonly dcid: Buffer,
    readonly key: Buffer,
    readonly iv: Buffer,
    /**
     * ECB has no chaining, so one cipher object can mask any number of samples as long as final() is never
     * called; this avoids an OpenSSL context setup per packet.
     */
    readonly ecb: Cipher,
  ) {}
}

/** Many datagrams of one connection share keys; a few hundred connections at once is plenty for a phone. */
const KEY_CACHE_MAX = 256;
/**
 * Keyed by a 32-bit hash of version and DCID, checked against the entry's own copy: hashing the bytes in place
 * costs no string or Buffer per packet. A colliding DCID replaces the entry, which only costs a derivation.
 */
const keyCache = new Map<number, CachedKeys>();

function sameBytes(a: Buffer, b: Buffer, off: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== b[off + i]) return false;
  return true;
}

/** Keys for the DCID at buf[off, off+len). */
function keysFor(version: number, buf: Buffer, off: number, len: number): CachedKeys {
  let h = Math.imul(version ^ len, 0x01000193);
  for (let i = 0; i < len; i++) h = Math.imul(h ^ buf[off + i]!, 0x01000193);
  const k = keyCache.get(h);
  if (k !== undefined && k.version === version && sameBytes(k.dcid, buf, off, len)) return k;
  return deriveKeys(version, Buffer.from(buf.subarray(off, off + len)), h);
}

function deriveKeys(version: number, dcid: Buffer, h: number): CachedKeys {
  const base = quicClientInitialKeys(version, dcid);
  const ecb = createCipheriv('aes-128-ecb', base.hp, null);
  ecb.setAutoPadding(false);
  const k = new CachedKeys(version, dcid, base.key, base.iv, ecb);
  if (keyCache.size >= KEY_CACHE_MAX && !keyCache.has(h)) {
    // Map iterates in insertion order, so this drops the oldest connection.
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  keyCache.set(h, k);
  return k;
}

/** The 5-byte header-protection mask AES-ECB(hp, sample)[0..5] (RFC 9001 §5.4.3). */
export function quicHeaderProtectionMask(hp: Buffer, sample: Buffer): Buffer {
  const c = createCipheriv('aes-128-ecb', hp, null);
  c.setAutoPadding(false);
  return c.update(sample.subarray(0, SAMPLE_LEN)).subarray(0, 5);
}

// ---------------------------------------------------------------------------------------------------------------
// Byte reading

/** Where the last readVarint stopped; a second return value without an array per call. */
let varintEnd = 0;

/** RFC 9000 §16 variable-length integer; values above 2^53 lose precision, which only matters for bounds checks. */
function readVarint(b: Buffer, pos: number, end: number, what: string): number {
  if (pos >= end) throw new DecodeError('quic.truncated', what);
  const first = b[pos]!;
  const n = 1 << (first >> 6);
  if (pos + n > end) throw new DecodeError('quic.truncated', what);
  let v = first & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[pos + i]!;
  varintEnd = pos + n;
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Packets

/** The long header being read, as offsets into the datagram. One instance is reused: datagrams are read one at a time. */
class Header {
  version = 0;
  dcidOff = 0;
  dcidLen = 0;
  scidOff = 0;
  scidLen = 0;
  tokenOff = 0;
  tokenLen = 0;
  pnOffset = 0;
  /** Absolute end of this packet in the buffer (start of the next coalesced packet). */
  end = 0;
}
const hdr = new Header();

function parseInitialHeader(buf: Buffer, start: number, end: number): void {
  if (end - start < 7) throw new DecodeError('quic.truncated', 'long header');
  const b0 = buf[start]!;
  if ((b0 & 0x80) === 0) throw new DecodeError('quic.not-initial', 'short header');
  const version = u32(buf, start + 1);
  const type = initialTypeOf(version);
  if (type < 0) throw new DecodeError('quic.version', quicVersionName(version));
  if (((b0 >> 4) & 3) !== type) throw new DecodeError('quic.not-initial', 'long header type');
  let pos = start + 5;
  const dcidLen = buf[pos++]!;
  if (dcidLen > MAX_CID) throw new DecodeError('quic.cid-length', `dcid ${dcidLen}`);
  if (pos + dcidLen + 1 > end) throw new DecodeError('quic.truncated', 'dcid');
  hdr.dcidOff = pos;
  hdr.dcidLen = dcidLen;
  pos += dcidLen;
  const scidLen = buf[pos++]!;
  if (scidLen > MAX_CID) throw new DecodeError('quic.cid-length', `scid ${scidLen}`);
  if (pos + scidLen > end) throw new DecodeError('quic.truncated', 'scid');
  hdr.scidOff = pos;
  hdr.scidLen = scidLen;
  pos += scidLen;
  const tokenLen = readVarint(buf, pos, end, 'token length');
  pos = varintEnd;
  if (tokenLen > end - pos) throw new DecodeError('quic.truncated', 'token');
  hdr.tokenOff = pos;
  hdr.tokenLen = tokenLen;
  pos += tokenLen;
  const length = readVarint(buf, pos, end, 'length');
  pos = varintEnd;
  if (length > end - pos) throw new DecodeError('quic.length', `length ${length} exceeds datagram`);
  // The sample is taken as if the packet number were 4 bytes long (RFC 9001 §5.4.2).
  if (length < 4 + SAMPLE_LEN) throw new DecodeError('quic.length', `length ${length} too short to sample`);
  hdr.version = version;
  hdr.pnOffset = pos;
  hdr.end = pos + length;
}

/** Shared by assemblers with nothing buffered; never written to. */
const EMPTY = new Uint8Array(0);
const EMPTY_BUFFER = Buffer.alloc(0);

/** Packet number of the last packet openPacket opened. */
let openedPn = 0;
/** The AEAD nonce; createDecipheriv copies it, so one array serves every packet. */
const nonce = new Uint8Array(12);

/** buf[at, at+len) as a plain view: Node's crypto takes any view, and Buffer#subarray costs more. */
function view(buf: Buffer, at: number, len: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + at, len);
}

/**
 * Removes header protection and decrypts the Initial described by `hdr`. Works on copies: the caller's datagram is
 * left as captured so that trying another key stays possible.
 */
function openPacket(buf: Buffer, start: number, keys: CachedKeys): Buffer {
  const aad = unprotectHeader(buf, start, keys);
  const ctStart = start + aad.length;
  const ctEnd = hdr.end - TAG_LEN;
  try {
    return gcmOpen(keys, aad, view(buf, ctStart, ctEnd - ctStart), view(buf, ctEnd, TAG_LEN));
  } catch {
    // Wrong keys, a damaged packet or a server Initial all look the same to GCM.
    throw new DecodeError('quic.decrypt', 'AEAD authentication failed');
  }
}

/**
 * The unprotected header (the AEAD's associated data); sets openedPn and the nonce. Small functions like this one
 * run about once per connection, too few times for V8 to spend an optimizing compile on them.
 */
function unprotectHeader(buf: Buffer, start: number, keys: CachedKeys): Uint8Array {
  const mask = keys.ecb.update(view(buf, hdr.pnOffset + 4, SAMPLE_LEN));
  const b0 = buf[start]! ^ (mask[0]! & 0x0f);
  const pnLen = (b0 & 3) + 1;
  const headerLen = hdr.pnOffset + pnLen - start;
  if (hdr.end - (start + headerLen) < TAG_LEN) throw new DecodeError('quic.length', 'no room for AEAD tag');
  const aad = new Uint8Array(headerLen);
  aad.set(view(buf, start, headerLen));
  aad[0] = b0;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    const p = aad[headerLen - pnLen + i]! ^ mask[1 + i]!;
    aad[headerLen - pnLen + i] = p;
    pn = pn * 256 + p;
  }
  setNonce(keys.iv, pn);
  return aad;
}

/** The packet number is at most 32 bits on the wire, so only the last 4 nonce bytes change. */
function setNonce(iv: Buffer, pn: number): void {
  nonce.set(iv);
  nonce[8] = iv[8]! ^ (pn >>> 24);
  nonce[9] = iv[9]! ^ ((pn >>> 16) & 0xff);
  nonce[10] = iv[10]! ^ ((pn >>> 8) & 0xff);
  nonce[11] = iv[11]! ^ (pn & 0xff);
  openedPn = pn;
}

function gcmOpen(keys: CachedKeys, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array): Buffer {
  const d = createDecipheriv('aes-128-gcm', keys.key, nonce, { authTagLength: TAG_LEN });
  d.setAAD(aad);
  d.setAuthTag(tag);
  const first = d.update(ct);
  const last = d.final();
  return last.length === 0 ? first : Buffer.concat([first, last]);
}

/**
 * CRYPTO frames of the last parsed payload as (stream offset, start, end) triples into the payload; kept aside until
 * the whole payload parses, so a packet that fails adds nothing.
 */
const chunkRecs: number[] = [];
let chunkCount = 0;
/** CONNECTION_CLOSE error code of the last parsed payload, or -1. */
let closeCode = -1;

/** Frames allowed in Initial packets (RFC 9000 §12.4); anything else ends parsing without an error. */
function parseFrames(p: Buffer): void {
  chunkCount = 0;
  closeCode = -1;
  const end = p.length;
  let pos = 0;
  if (end === 0) throw new DecodeError('quic.frame', 'empty payload');
  while (pos < end) {
    const t = p[pos]!;
    if (t === 0x00) {
      pos++;
      while (pos < end && p[pos] === 0) pos++;
      continue;
    }
    if (t === 0x01) {
      pos++;
      continue;
    }
    if (t === 0x06) {
      const offset = readVarint(p, pos + 1, end, 'crypto offset');
      const len = readVarint(p, varintEnd, end, 'crypto length');
      pos = varintEnd;
      if (len > end - pos) throw new DecodeError('quic.truncated', 'crypto data');
      const i = chunkCount++ * 3;
      chunkRecs[i] = offset;
      chunkRecs[i + 1] = pos;
      chunkRecs[i + 2] = pos + len;
      pos += len;
      continue;
    }
    if (t === 0x02 || t === 0x03) {
      pos = skipAck(p, pos, end, t);
      continue;
    }
    if (t === 0x1c || t === 0x1d) {
      pos = skipClose(p, pos, end, t);
      continue;
    }
    // Not allowed in an Initial; what came before is still good.
    break;
  }
}

/** An ACK frame's end. */
function skipAck(p: Buffer, pos: number, end: number, t: number): number {
  readVarint(p, pos + 1, end, 'ack largest');
  readVarint(p, varintEnd, end, 'ack delay');
  const ranges = readVarint(p, varintEnd, end, 'ack range count');
  readVarint(p, varintEnd, end, 'ack first range');
  pos = varintEnd;
  // Each range is at least 2 bytes, so a huge count runs out of payload instead of looping for long.
  if (ranges * 2 > end - pos) throw new DecodeError('quic.truncated', 'ack ranges');
  for (let i = 0; i < ranges; i++) {
    readVarint(p, pos, end, 'ack gap');
    readVarint(p, varintEnd, end, 'ack range');
    pos = varintEnd;
  }
  if (t === 0x03) {
    for (let i = 0; i < 3; i++) {
      readVarint(p, pos, end, 'ack ecn');
      pos = varintEnd;
    }
  }
  return pos;
}

/** A CONNECTION_CLOSE frame's end; its error code goes to closeCode. */
function skipClose(p: Buffer, pos: number, end: number, t: number): number {
  const code = readVarint(p, pos + 1, end, 'close error code');
  pos = varintEnd;
  if (t === 0x1c) {
    readVarint(p, pos, end, 'close frame type');
    pos = varintEnd;
  }
  const len = readVarint(p, pos, end, 'close reason length');
  pos = varintEnd;
  if (len > end - pos) throw new DecodeError('quic.truncated', 'close reason');
  closeCode = code;
  return pos + len;
}

/**
 * Decrypts every client Initial coalesced in one UDP datagram, stopping at the first short header, non-Initial long
 * header or packet for another DCID. `keyDcid` is the DCID of the connection's first client Initial (null for the
 * first datagram; then pass the returned `keyDcid`). If those keys fail, the packet's own DCID is tried, which is
 * what a client does after a Retry. Throws DecodeError('quic.…') when the first packet cannot be parsed or
 * authenticated; a bad packet after good ones only ends the datagram.
 */
export function decryptClientInitials(
  buf: Buffer,
  off: number,
  len: number,
  keyDcid: Buffer | null,
): QuicInitialPacket[] {
  const packets: QuicInitialPacket[] = [];
  readClientInitials(buf, off, len, keyDcid, null, packets);
  return packets;
}

/**
 * decryptClientInitials for the engine: the same packets and errors, but the CRYPTO data goes straight into
 * `assembler` and no packet objects are made. Returns the version and key DCID of the datagram's first Initial.
 */
export function addClientInitials(
  buf: Buffer,
  off: number,
  len: number,
  keyDcid: Buffer | null,
  assembler: QuicCryptoAssembler,
): QuicKeyId {
  return readClientInitials(buf, off, len, keyDcid, assembler, null);
}

/** Each opened packet's frames go to `assembler`, or as a packet object to `packets`. */
function readClientInitials(
  buf: Buffer,
  off: number,
  len: number,
  keyDcid: Buffer | null,
  assembler: QuicCryptoAssembler | null,
  packets: QuicInitialPacket[] | null,
): CachedKeys {
  if (off < 0 || len < 0 || off > buf.length) throw new DecodeError('quic.truncated', 'bad datagram bounds');
  const end = Math.min(buf.length, off + len);
  if (off >= end) throw new DecodeError('quic.truncated', 'empty datagram');
  const first = openInitial(buf, off, end, keyDcid);
  if (assembler !== null) assembler.addRecords(openedPlain, chunkRecs, chunkCount);
  else if (packets !== null) packets.push(packetObject(buf, openedPlain, first));
  // Padding or a 1-RTT packet after the Initial, the usual case, ends the datagram at once.
  if (hdr.end < end && (buf[hdr.end]! & 0x80) !== 0) readCoalesced(buf, end, keyDcid, assembler, packets);
  return first;
}

/**
 * Opens the header at `start`, decrypts it (with keyDcid's keys, or its own DCID's after a Retry) and parses its
 * frames into chunkRecs; returns the keys used, leaves the plaintext in openedPlain and the header in hdr.
 */
function openInitial(buf: Buffer, start: number, end: number, keyDcid: Buffer | null): CachedKeys {
  parseInitialHeader(buf, start, end);
  const keys = openWithFallback(buf, start, keyDcid);
  parseFrames(openedPlain);
  return keys;
}

let openedPlain: Buffer = EMPTY_BUFFER;

function openWithFallback(buf: Buffer, start: number, keyDcid: Buffer | null): CachedKeys {
  if (keyDcid === null) {
    const own = keysFor(hdr.version, buf, hdr.dcidOff, hdr.dcidLen);
    openedPlain = openPacket(buf, start, own);
    return own;
  }
  const keys = keysFor(hdr.version, keyDcid, 0, keyDcid.length);
  try {
    openedPlain = openPacket(buf, start, keys);
    return keys;
  } catch (e) {
    // After a Retry or a version change the client derives fresh keys from its new DCID.
    if (sameBytes(keyDcid, buf, hdr.dcidOff, hdr.dcidLen) || !(e instanceof DecodeError) || e.kind !== 'quic.decrypt') {
      throw e;
    }
  }
  const own = keysFor(hdr.version, buf, hdr.dcidOff, hdr.dcidLen);
  openedPlain = openPacket(buf, start, own);
  return own;
}

/**
 * Initials coalesced after the first (RFC 9000 §12.2), up to the first one that is not a client Initial of the same
 * version and DCID. A damaged or foreign packet after good ones (or trailing junk some stacks pad with) must not
 * cost the Initials already decrypted, so its errors only end the datagram.
 */
function readCoalesced(
  buf: Buffer,
  end: number,
  keyDcid: Buffer | null,
  assembler: QuicCryptoAssembler | null,
  packets: QuicInitialPacket[] | null,
): void {
  const version = hdr.version, dcidOff = hdr.dcidOff, dcidLen = hdr.dcidLen;
  let start = hdr.end;
  while (start < end && (buf[start]! & 0x80) !== 0) {
    let keys: CachedKeys;
    try {
      parseInitialHeader(buf, start, end);
      if (hdr.version !== version || !sameRange(buf, dcidOff, dcidLen, hdr.dcidOff, hdr.dcidLen)) return;
      keys = openWithFallback(buf, start, keyDcid);
      parseFrames(openedPlain);
    } catch (e) {
      if (e instanceof DecodeError) return;
      throw e;
    }
    if (assembler !== null) assembler.addRecords(openedPlain, chunkRecs, chunkCount);
    else if (packets !== null) packets.push(packetObject(buf, openedPlain, keys));
    start = hdr.end;
  }
}

function sameRange(buf: Buffer, a: number, aLen: number, b: number, bLen: number): boolean {
  if (aLen !== bLen) return false;
  for (let i = 0; i < aLen; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/** The opened packet `hdr` describes, with copies of its header fields so it keeps no view of the datagram. */
function packetObject(buf: Buffer, plain: Buffer, keys: CachedKeys): QuicInitialPacket {
  const crypto: QuicCryptoChunk[] = [];
  for (let i = 0; i < chunkCount * 3; i += 3) {
    crypto.push({ offset: chunkRecs[i]!, data: plain.subarray(chunkRecs[i + 1]!, chunkRecs[i + 2]!) });
  }
  const pkt: QuicInitialPacket = {
    version: hdr.version,
    dcid: Buffer.from(buf.subarray(hdr.dcidOff, hdr.dcidOff + hdr.dcidLen)),
    scid: Buffer.from(buf.subarray(hdr.scidOff, hdr.scidOff + hdr.scidLen)),
    packetNumber: openedPn,
    crypto,
    keyDcid: Buffer.from(keys.dcid),
    token: Buffer.from(buf.subarray(hdr.tokenOff, hdr.tokenOff + hdr.tokenLen)),
  };
  if (closeCode >= 0) pkt.closeErrorCode = closeCode;
  return pkt;
}

// ---------------------------------------------------------------------------------------------------------------
// CRYPTO stream reassembly

/** A ClientHello bigger than this is not something a browser or app sends; it bounds memory per connection. */
export const QUIC_CRYPTO_LIMIT = 64 * 1024;


/**
 * Collects CRYPTO chunks of one connection (any order, overlaps, duplicates, across packets and datagrams) and
 * yields the ClientHello body (after the 4-byte handshake header) once every byte of it from offset 0 is present.
 * Data beyond 64 KiB is ignored.
 */
export class QuicCryptoAssembler {
  /** A plain typed array: growing it and copying into it stays out of Buffer's JavaScript. */
  private buf = EMPTY;
  /** Sorted, disjoint, non-touching [start, end) ranges already filled, as start, end pairs. */
  private ranges: number[] = [];
  private done: Buffer | null = null;

  /**
   * Bytes already received win over later copies: retransmissions carry the same bytes, and letting a later
   * datagram overwrite would let a forged one rewrite the SNI.
   */
  add(chunk: QuicCryptoChunk): void {
    this.addFrom(chunk.offset, chunk.data, 0, chunk.data.length);
  }

  /** add() of `count` chunks of `src` given as (stream offset, start, end) triples in `recs`. */
  addRecords(src: Buffer, recs: number[], count: number): void {
    for (let i = 0; i < count * 3; i += 3) this.addFrom(recs[i]!, src, recs[i + 1]!, recs[i + 2]!);
  }

  /** add() of the chunk at stream offset `offset` whose bytes are src[srcStart, srcEnd). */
  addFrom(offset: number, src: Buffer, srcStart: number, srcEnd: number): void {
    if (this.done !== null) return;
    const s = offset;
    if (!Number.isFinite(s) || s < 0 || s >= QUIC_CRYPTO_LIMIT) return;
    const e = Math.min(s + (srcEnd - srcStart), QUIC_CRYPTO_LIMIT);
    if (e <= s) return;
    if (this.buf.length < e) this.grow(e);
    // Ranges ending before s stay; those touching or overlapping [s, e) are folded into one, and only the gaps
    // between them are filled.
    const r = this.ranges;
    const at = srcStart - s;
    let i = 0;
    while (i < r.length && r[i + 1]! < s) i += 2;
    let j = i, cur = s, lo = s, hi = e;
    while (j < r.length && r[j]! <= e) {
      const rs = r[j]!, re = r[j + 1]!;
      if (rs > cur) this.buf.set(view(src, at + cur, rs - cur), cur);
      if (re > cur) cur = re;
      if (rs < lo) lo = rs;
      if (re > hi) hi = re;
      j += 2;
    }
    if (cur < e) this.buf.set(view(src, at + cur, e - cur), cur);
    if (j === i) {
      r.splice(i, 0, lo, hi);
      return;
    }
    r[i] = lo;
    r[i + 1] = hi;
    const drop = j - i - 2;
    if (drop > 0) {
      for (let k = j; k < r.length; k++) r[k - drop] = r[k]!;
      r.length -= drop;
    }
  }

  private grow(e: number): void {
    const grown = new Uint8Array(Math.min(QUIC_CRYPTO_LIMIT, Math.max(e, this.buf.length * 2, 2048)));
    grown.set(this.buf);
    this.buf = grown;
  }

  /** Contiguous bytes available from offset 0. */
  get contiguousLength(): number {
    const r = this.ranges;
    return r.length > 0 && r[0] === 0 ? r[1]! : 0;
  }

  clientHelloBody(): Buffer | null {
    if (this.done !== null) return this.done;
    const have = this.contiguousLength;
    if (have < 4 || this.buf[0] !== 1) return null;
    const bodyLen = this.bodyLength();
    if (4 + bodyLen > have) return null;
    this.done = Buffer.from(this.buf.subarray(4, 4 + bodyLen));
    // The stream is no longer needed once the ClientHello is out.
    this.buf = EMPTY;
    return this.done;
  }

  /** True when the stream can never yield a ClientHello: it starts with another message or one over the limit. */
  get hopeless(): boolean {
    if (this.done !== null || this.contiguousLength < 4) return false;
    return this.buf[0] !== 1 || 4 + this.bodyLength() > QUIC_CRYPTO_LIMIT;
  }

  /** The 24-bit handshake message length after the type byte. */
  private bodyLength(): number {
    const b = this.buf;
    return (b[1]! << 16) | (b[2]! << 8) | b[3]!;
  }
}
