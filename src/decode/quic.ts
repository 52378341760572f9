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
  const params = VERSIONS.get(buf.readUInt32BE(off + 1));
  if (params === undefined || ((b0 >> 4) & 3) !== params.initialType) return false;
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

interface CachedKeys extends QuicInitialKeys {
  /**
   * ECB has no chaining, so one cipher object can mask any number of samples as long as final() is never
   * called; this avoids an OpenSSL context setup per packet.
   */
  ecb: Cipher;
}

/** Many datagrams of one connection share keys; a few hundred connections at once is plenty for a phone. */
const KEY_CACHE_MAX = 256;
const keyCache = new Map<string, CachedKeys>();

function cachedKeys(version: number, dcid: Buffer): CachedKeys {
  const id = version.toString(16) + ':' + dcid.toString('hex');
  let k = keyCache.get(id);
  if (k !== undefined) return k;
  const base = quicClientInitialKeys(version, dcid);
  const ecb = createCipheriv('aes-128-ecb', base.hp, null);
  ecb.setAutoPadding(false);
  k = { ...base, ecb };
  if (keyCache.size >= KEY_CACHE_MAX) {
    // Map iterates in insertion order, so this drops the oldest connection.
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  keyCache.set(id, k);
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

/** RFC 9000 §16 variable-length integer; values above 2^53 lose precision, which only matters for bounds checks. */
function readVarint(b: Buffer, pos: number, end: number, what: string): [number, number] {
  if (pos >= end) throw new DecodeError('quic.truncated', what);
  const first = b[pos]!;
  const n = 1 << (first >> 6);
  if (pos + n > end) throw new DecodeError('quic.truncated', what);
  let v = first & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[pos + i]!;
  return [v, pos + n];
}

// ---------------------------------------------------------------------------------------------------------------
// Packets

interface ParsedHeader {
  version: number;
  params: VersionParams;
  dcid: Buffer;
  scid: Buffer;
  token: Buffer;
  pnOffset: number;
  /** Absolute end of this packet in the buffer (start of the next coalesced packet). */
  end: number;
}

function parseInitialHeader(buf: Buffer, start: number, end: number): ParsedHeader {
  if (end - start < 7) throw new DecodeError('quic.truncated', 'long header');
  const b0 = buf[start]!;
  if ((b0 & 0x80) === 0) throw new DecodeError('quic.not-initial', 'short header');
  const version = buf.readUInt32BE(start + 1);
  const params = VERSIONS.get(version);
  if (params === undefined) throw new DecodeError('quic.version', quicVersionName(version));
  if (((b0 >> 4) & 3) !== params.initialType) throw new DecodeError('quic.not-initial', 'long header type');
  let pos = start + 5;
  const dcidLen = buf[pos++]!;
  if (dcidLen > MAX_CID) throw new DecodeError('quic.cid-length', `dcid ${dcidLen}`);
  if (pos + dcidLen + 1 > end) throw new DecodeError('quic.truncated', 'dcid');
  const dcid = buf.subarray(pos, pos + dcidLen);
  pos += dcidLen;
  const scidLen = buf[pos++]!;
  if (scidLen > MAX_CID) throw new DecodeError('quic.cid-length', `scid ${scidLen}`);
  if (pos + scidLen > end) throw new DecodeError('quic.truncated', 'scid');
  const scid = buf.subarray(pos, pos + scidLen);
  pos += scidLen;
  let tokenLen: number;
  [tokenLen, pos] = readVarint(buf, pos, end, 'token length');
  if (tokenLen > end - pos) throw new DecodeError('quic.truncated', 'token');
  const token = buf.subarray(pos, pos + tokenLen);
  pos += tokenLen;
  let length: number;
  [length, pos] = readVarint(buf, pos, end, 'length');
  if (length > end - pos) throw new DecodeError('quic.length', `length ${length} exceeds datagram`);
  // The sample is taken as if the packet number were 4 bytes long (RFC 9001 §5.4.2).
  if (length < 4 + SAMPLE_LEN) throw new DecodeError('quic.length', `length ${length} too short to sample`);
  return { version, params, dcid, scid, token, pnOffset: pos, end: pos + length };
}

/**
 * Removes header protection and decrypts one Initial. Works on copies: the caller's datagram is left as captured
 * so that trying another key stays possible.
 */
function openPacket(buf: Buffer, start: number, h: ParsedHeader, keys: CachedKeys): { pn: number; plain: Buffer } {
  const sampleAt = h.pnOffset + 4;
  const mask = keys.ecb.update(buf.subarray(sampleAt, sampleAt + SAMPLE_LEN));
  const b0 = buf[start]! ^ (mask[0]! & 0x0f);
  const pnLen = (b0 & 3) + 1;
  const headerLen = h.pnOffset + pnLen - start;
  if (h.end - (start + headerLen) < TAG_LEN) throw new DecodeError('quic.length', 'no room for AEAD tag');
  const aad = Buffer.allocUnsafe(headerLen);
  buf.copy(aad, 0, start, start + headerLen);
  aad[0] = b0;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    const p = aad[headerLen - pnLen + i]! ^ mask[1 + i]!;
    aad[headerLen - pnLen + i] = p;
    pn = pn * 256 + p;
  }
  const nonce = Buffer.from(keys.iv);
  // The packet number is at most 32 bits on the wire, so only the last 4 nonce bytes change.
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ pn) >>> 0, 8);
  const ctEnd = h.end - TAG_LEN;
  try {
    const d = createDecipheriv('aes-128-gcm', keys.key, nonce, { authTagLength: TAG_LEN });
    d.setAAD(aad);
    d.setAuthTag(buf.subarray(ctEnd, h.end));
    const first = d.update(buf.subarray(start + headerLen, ctEnd));
    const last = d.final();
    return { pn, plain: last.length === 0 ? first : Buffer.concat([first, last]) };
  } catch {
    // Wrong keys, a damaged packet or a server Initial all look the same to GCM.
    throw new DecodeError('quic.decrypt', 'AEAD authentication failed');
  }
}

interface FrameResult {
  crypto: QuicCryptoChunk[];
  closeErrorCode?: number;
}

/** Frames allowed in Initial packets (RFC 9000 §12.4); anything else ends parsing without an error. */
function parseFrames(p: Buffer): FrameResult {
  const out: FrameResult = { crypto: [] };
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
    if (t === 0x02 || t === 0x03) {
      pos++;
      [, pos] = readVarint(p, pos, end, 'ack largest');
      [, pos] = readVarint(p, pos, end, 'ack delay');
      let ranges: number;
      [ranges, pos] = readVarint(p, pos, end, 'ack range count');
      [, pos] = readVarint(p, pos, end, 'ack first range');
      // Each range is at least 2 bytes, so a huge count runs out of payload instead of looping for long.
      if (ranges * 2 > end - pos) throw new DecodeError('quic.truncated', 'ack ranges');
      for (let i = 0; i < ranges; i++) {
        [, pos] = readVarint(p, pos, end, 'ack gap');
        [, pos] = readVarint(p, pos, end, 'ack range');
      }
      if (t === 0x03) {
        for (let i = 0; i < 3; i++) [, pos] = readVarint(p, pos, end, 'ack ecn');
      }
      continue;
    }
    if (t === 0x06) {
      pos++;
      let offset: number, len: number;
      [offset, pos] = readVarint(p, pos, end, 'crypto offset');
      [len, pos] = readVarint(p, pos, end, 'crypto length');
      if (len > end - pos) throw new DecodeError('quic.truncated', 'crypto data');
      out.crypto.push({ offset, data: p.subarray(pos, pos + len) });
      pos += len;
      continue;
    }
    if (t === 0x1c || t === 0x1d) {
      pos++;
      let code: number, len: number;
      [code, pos] = readVarint(p, pos, end, 'close error code');
      if (t === 0x1c) [, pos] = readVarint(p, pos, end, 'close frame type');
      [len, pos] = readVarint(p, pos, end, 'close reason length');
      if (len > end - pos) throw new DecodeError('quic.truncated', 'close reason');
      pos += len;
      out.closeErrorCode = code;
      continue;
    }
    // Not allowed in an Initial; what came before is still good.
    break;
  }
  return out;
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
  if (off < 0 || len < 0 || off > buf.length) throw new DecodeError('quic.truncated', 'bad datagram bounds');
  const end = Math.min(buf.length, off + len);
  const packets: QuicInitialPacket[] = [];
  let start = off;
  while (start < end) {
    let h: ParsedHeader;
    let opened: { pn: number; plain: Buffer };
    let usedDcid: Buffer;
    let frames: FrameResult;
    try {
      h = parseInitialHeader(buf, start, end);
      // RFC 9000 §12.2: coalesced packets with another DCID are not from this connection; ignore them.
      if (packets.length > 0 && (h.version !== packets[0]!.version || !h.dcid.equals(packets[0]!.dcid))) break;
      usedDcid = keyDcid ?? h.dcid;
      try {
        opened = openPacket(buf, start, h, cachedKeys(h.version, usedDcid));
      } catch (e) {
        // After a Retry or a version change the client derives fresh keys from its new DCID.
        if (keyDcid === null || keyDcid.equals(h.dcid) || !(e instanceof DecodeError) || e.kind !== 'quic.decrypt') {
          throw e;
        }
        usedDcid = h.dcid;
        opened = openPacket(buf, start, h, cachedKeys(h.version, usedDcid));
      }
      frames = parseFrames(opened.plain);
    } catch (e) {
      // A damaged or foreign packet after good ones (or trailing junk some stacks pad with) must not cost the
      // Initials already decrypted.
      if (packets.length > 0 && e instanceof DecodeError) break;
      throw e;
    }
    const pkt: QuicInitialPacket = {
      version: h.version,
      dcid: Buffer.from(h.dcid),
      scid: Buffer.from(h.scid),
      packetNumber: opened.pn,
      crypto: frames.crypto,
      keyDcid: Buffer.from(usedDcid),
      token: Buffer.from(h.token),
    };
    if (frames.closeErrorCode !== undefined) pkt.closeErrorCode = frames.closeErrorCode;
    packets.push(pkt);
    start = h.end;
  }
  if (packets.length === 0) throw new DecodeError('quic.truncated', 'empty datagram');
  return packets;
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
  private buf = Buffer.alloc(0);
  /** Sorted, disjoint, non-touching [start, end) ranges already filled. */
  private ranges: Array<[number, number]> = [];
  private done: Buffer | null = null;

  /**
   * Bytes already received win over later copies: retransmissions carry the same bytes, and letting a later
   * datagram overwrite would let a forged one rewrite the SNI.
   */
  add(chunk: QuicCryptoChunk): void {
    if (this.done !== null) return;
    const s = chunk.offset;
    if (!Number.isFinite(s) || s < 0 || s >= QUIC_CRYPTO_LIMIT) return;
    const e = Math.min(s + chunk.data.length, QUIC_CRYPTO_LIMIT);
    if (e <= s) return;
    if (this.buf.length < e) {
      const grown = Buffer.alloc(Math.min(QUIC_CRYPTO_LIMIT, Math.max(e, this.buf.length * 2, 2048)));
      this.buf.copy(grown);
      this.buf = grown;
    }
    // Fill only the gaps between existing ranges.
    let cur = s;
    for (const [rs, re] of this.ranges) {
      if (re <= cur) continue;
      if (rs >= e) break;
      if (rs > cur) chunk.data.copy(this.buf, cur, cur - s, rs - s);
      cur = Math.max(cur, re);
      if (cur >= e) break;
    }
    if (cur < e) chunk.data.copy(this.buf, cur, cur - s, e - s);
    this.merge(s, e);
  }

  private merge(s: number, e: number): void {
    const out: Array<[number, number]> = [];
    let placed = false;
    for (const r of this.ranges) {
      if (r[1] < s) out.push(r);
      else if (r[0] > e) {
        if (!placed) {
          out.push([s, e]);
          placed = true;
        }
        out.push(r);
      } else {
        s = Math.min(s, r[0]);
        e = Math.max(e, r[1]);
      }
    }
    if (!placed) out.push([s, e]);
    this.ranges = out;
  }

  /** Contiguous bytes available from offset 0. */
  get contiguousLength(): number {
    const r = this.ranges[0];
    return r !== undefined && r[0] === 0 ? r[1] : 0;
  }

  clientHelloBody(): Buffer | null {
    if (this.done !== null) return this.done;
    const have = this.contiguousLength;
    if (have < 4 || this.buf[0] !== 1) return null;
    const bodyLen = this.buf.readUIntBE(1, 3);
    if (4 + bodyLen > have) return null;
    this.done = Buffer.from(this.buf.subarray(4, 4 + bodyLen));
    // The stream is no longer needed once the ClientHello is out.
    this.buf = Buffer.alloc(0);
    return this.done;
  }

  /** True when the stream can never yield a ClientHello: it starts with another message or one over the limit. */
  get hopeless(): boolean {
    if (this.done !== null || this.contiguousLength < 4) return false;
    return this.buf[0] !== 1 || 4 + this.buf.readUIntBE(1, 3) > QUIC_CRYPTO_LIMIT;
  }
}
