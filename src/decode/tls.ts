/**
 * TLS handshake decoding (RFC 5246 for TLS ≤ 1.2, RFC 8446 for TLS 1.3): just enough of the cleartext start of
 * a connection to learn who the client says it talks to (SNI, ALPN), how it says it (fingerprints) and which
 * certificates the server shows. Everything after the keys are in use is encrypted and out of reach anyway.
 *
 * Every length read from the wire is checked against the enclosing structure before use, so a damaged or
 * hostile packet ends in a DecodeError and never in an out-of-range read or an endless loop.
 */
import { DecodeError } from './errors.js';

export interface ClientHello {
  legacyVersion: number;
  random: Buffer;
  ciphers: number[];
  compression: number[];
  /** Extension types in wire order, GREASE included (fingerprints decide what to drop). */
  extensions: number[];
  sni: string | null;
  alpn: string[];
  supportedVersions: number[];
  groups: number[];
  ecPointFormats: number[];
  sigAlgs: number[];
}

export interface ServerHello {
  legacyVersion: number;
  cipher: number;
  extensions: number[];
  selectedVersion: number | null;
  alpn: string | null;
}

export const HS_CLIENT_HELLO = 1;
export const HS_SERVER_HELLO = 2;
export const HS_CERTIFICATE = 11;
export const HS_SERVER_HELLO_DONE = 14;

export const EXT_SERVER_NAME = 0x0000;
export const EXT_SUPPORTED_GROUPS = 0x000a;
export const EXT_EC_POINT_FORMATS = 0x000b;
export const EXT_SIGNATURE_ALGORITHMS = 0x000d;
export const EXT_ALPN = 0x0010;
export const EXT_SUPPORTED_VERSIONS = 0x002b;

const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPLICATION_DATA = 23;
const CT_HEARTBEAT = 24;

/** TLSCiphertext may be up to 2^14 + 2048 bytes (RFC 5246 §6.2.3); anything larger is not TLS. */
const MAX_RECORD = 16384 + 2048;
/** Beyond this much of one direction, no real handshake still has something cleartext to show. */
export const TLS_READER_BUDGET = 64 * 1024;

/** RFC 8701: GREASE values are 0x?a?a with both bytes equal. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

export function tlsVersionName(v: number): string {
  switch (v) {
    case 0x0300:
      return 'SSL 3.0';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0304:
      return 'TLS 1.3';
    default:
      return '0x' + (v & 0xffff).toString(16).padStart(4, '0');
  }
}

/** Buffer's own latin1 slicer: toString('latin1', a, z) without its argument checks and encoding lookup. */
const latin1 = (b: Buffer, a: number, z: number): string =>
  (b as unknown as { latin1Slice(a: number, z: number): string }).latin1Slice(a, z);

/**
 * Throws `kind` unless n bytes remain in [p, end). The parsers below walk plain offsets, and every length
 * read from the wire goes through here against the end of its enclosing vector before it is used, so a
 * length that lies about its contents can only ever overrun its own parent, which is caught right there
 * and reported under that vector's name.
 */
function need(p: number, end: number, n: number, kind: string): void {
  if (n > end - p) throw new DecodeError(kind, `need ${n} bytes, have ${end - p}`);
}

function u16at(b: Buffer, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

function u24at(b: Buffer, p: number): number {
  return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
}

/** A vector of u16 values of byte length n (which must be even) at p, within end. */
function u16List(b: Buffer, p: number, end: number, n: number, kind: string): number[] {
  if (n % 2 !== 0) throw new DecodeError(kind, `odd length ${n}`);
  if (n > end - p) throw new DecodeError(kind, `length ${n} exceeds the ${end - p} bytes left`);
  const out: number[] = [];
  for (let q = p; q < p + n; q += 2) out.push((b[q]! << 8) | b[q + 1]!);
  return out;
}

/** The n bytes at p as numbers (already checked to lie within their vector). */
function byteList(b: Buffer, p: number, n: number): number[] {
  const out: number[] = [];
  for (let q = p; q < p + n; q++) out.push(b[q]!);
  return out;
}

/** An extension's data is its own vector: its inner lengths overrunning it are reported under this name. */
const EXT_DATA = 'tls.bad-extension-length';

/** ALPN protocol ids are opaque bytes; latin1 keeps one char per byte so JA4 can look at the raw first/last byte. */
function alpnAt(b: Buffer, p: number, end: number): string[] {
  need(p, end, 2, EXT_DATA);
  const n = u16at(b, p);
  p += 2;
  if (n > end - p) throw new DecodeError('tls.bad-alpn', `length ${n} exceeds the ${end - p} bytes left`);
  const listEnd = p + n;
  const out: string[] = [];
  while (p < listEnd) {
    const len = b[p++]!;
    need(p, listEnd, len, 'tls.bad-alpn');
    out.push(latin1(b, p, p + len));
    p += len;
  }
  return out;
}

function serverNameAt(b: Buffer, p: number, end: number): string | null {
  // An empty server_name extension is legal (a server's acknowledgement, RFC 6066 §3), and clients resuming a
  // session sometimes echo it; it names nothing.
  if (p === end) return null;
  need(p, end, 2, EXT_DATA);
  const n = u16at(b, p);
  p += 2;
  if (n > end - p) throw new DecodeError('tls.bad-sni', `length ${n} exceeds the ${end - p} bytes left`);
  const listEnd = p + n;
  let name: string | null = null;
  while (p < listEnd) {
    need(p, listEnd, 3, 'tls.bad-sni');
    const type = b[p]!;
    const len = u16at(b, p + 1);
    p += 3;
    need(p, listEnd, len, 'tls.bad-sni');
    // Only host_name (0) is defined; take the first one, as servers do.
    if (type === 0 && name === null) name = latin1(b, p, p + len);
    p += len;
  }
  return name;
}

/** A bit per extension the hello parsers read, to act on the first of repeated ones only; 0 for the rest. */
function extBit(type: number): number {
  switch (type) {
    case EXT_SERVER_NAME: return 1;
    case EXT_SUPPORTED_GROUPS: return 2;
    case EXT_EC_POINT_FORMATS: return 4;
    case EXT_SIGNATURE_ALGORITHMS: return 8;
    case EXT_ALPN: return 16;
    case EXT_SUPPORTED_VERSIONS: return 32;
    default: return 0;
  }
}

/**
 * Where the extensions block starting at p ends, or -1 when the hello has none: they are optional in
 * TLS ≤ 1.2, and a hello that ends right after compression simply has none.
 */
function extensionsEnd(b: Buffer, p: number, end: number, kind: string): number {
  if (p === end) return -1;
  need(p, end, 2, kind);
  const n = u16at(b, p);
  if (n > end - p - 2) throw new DecodeError('tls.bad-extensions-length', `length ${n} exceeds the ${end - p - 2} bytes left`);
  return p + 2 + n;
}

/** Checks the type and length of the extension at p within its block; returns where its data ends. */
function extensionDataEnd(b: Buffer, p: number, blockEnd: number): number {
  need(p, blockEnd, 4, 'tls.bad-extensions-length');
  const n = u16at(b, p + 2);
  if (n > blockEnd - p - 4) throw new DecodeError(EXT_DATA, `length ${n} exceeds the ${blockEnd - p - 4} bytes left`);
  return p + 4 + n;
}

export function parseClientHello(body: Buffer): ClientHello {
  return clientHelloAt(body, 0, body.length);
}

function clientHelloAt(b: Buffer, p: number, end: number): ClientHello {
  const kind = 'tls.short-client-hello';
  // legacy_version, random, session id length
  need(p, end, 35, kind);
  const legacyVersion = u16at(b, p);
  // Copied: the random is tiny, and a view would alias whatever buffer the caller reuses.
  const random = Buffer.allocUnsafe(32);
  random.set(new Uint8Array(b.buffer, b.byteOffset + p + 2, 32));
  const sidLen = b[p + 34]!;
  if (sidLen > 32) throw new DecodeError('tls.bad-session-id', `length ${sidLen}`);
  p += 35;
  need(p, end, sidLen + 2, kind);
  p += sidLen;
  const cipherBytes = u16at(b, p);
  p += 2;
  const ciphers = u16List(b, p, end, cipherBytes, 'tls.bad-cipher-suites');
  p += cipherBytes;
  need(p, end, 1, kind);
  const compressionLen = b[p++]!;
  need(p, end, compressionLen, kind);
  const compression = byteList(b, p, compressionLen);
  p += compressionLen;
  const ch: ClientHello = {
    legacyVersion,
    random,
    ciphers,
    compression,
    extensions: [],
    sni: null,
    alpn: [],
    supportedVersions: [],
    groups: [],
    ecPointFormats: [],
    sigAlgs: [],
  };
  const blockEnd = extensionsEnd(b, p, end, kind);
  if (blockEnd < 0) return ch;
  p += 2;
  // A repeated extension is a protocol violation (RFC 8446 §4.2); the first one is what a server acts on.
  let seen = 0;
  while (p < blockEnd) {
    const dataEnd = extensionDataEnd(b, p, blockEnd);
    const type = u16at(b, p);
    ch.extensions.push(type);
    const bit = extBit(type);
    if (bit !== 0 && (seen & bit) === 0) {
      seen |= bit;
      clientExtension(ch, type, b, p + 4, dataEnd);
    }
    p = dataEnd;
  }
  return ch;
}

function clientExtension(ch: ClientHello, type: number, b: Buffer, p: number, end: number): void {
  switch (type) {
    case EXT_SERVER_NAME:
      ch.sni = serverNameAt(b, p, end);
      return;
    case EXT_ALPN:
      ch.alpn = alpnAt(b, p, end);
      return;
    case EXT_SUPPORTED_VERSIONS:
      need(p, end, 1, EXT_DATA);
      ch.supportedVersions = u16List(b, p + 1, end, b[p]!, 'tls.bad-supported-versions');
      return;
    case EXT_SUPPORTED_GROUPS:
      need(p, end, 2, EXT_DATA);
      ch.groups = u16List(b, p + 2, end, u16at(b, p), 'tls.bad-supported-groups');
      return;
    case EXT_EC_POINT_FORMATS: {
      need(p, end, 1, EXT_DATA);
      const n = b[p]!;
      need(p + 1, end, n, EXT_DATA);
      ch.ecPointFormats = byteList(b, p + 1, n);
      return;
    }
    case EXT_SIGNATURE_ALGORITHMS:
      need(p, end, 2, EXT_DATA);
      ch.sigAlgs = u16List(b, p + 2, end, u16at(b, p), 'tls.bad-signature-algorithms');
      return;
    default:
      return;
  }
}

export function parseServerHello(body: Buffer): ServerHello {
  return serverHelloAt(body, 0, body.length);
}

function serverHelloAt(b: Buffer, p: number, end: number): ServerHello {
  const kind = 'tls.short-server-hello';
  // legacy_version, random, session id length
  need(p, end, 35, kind);
  const legacyVersion = u16at(b, p);
  const sidLen = b[p + 34]!;
  if (sidLen > 32) throw new DecodeError('tls.bad-session-id', `length ${sidLen}`);
  p += 35;
  // session id, cipher suite, compression method
  need(p, end, sidLen + 3, kind);
  p += sidLen;
  const cipher = u16at(b, p);
  p += 3;
  const sh: ServerHello = { legacyVersion, cipher, extensions: [], selectedVersion: null, alpn: null };
  const blockEnd = extensionsEnd(b, p, end, kind);
  if (blockEnd < 0) return sh;
  p += 2;
  let seen = 0;
  while (p < blockEnd) {
    const dataEnd = extensionDataEnd(b, p, blockEnd);
    const type = u16at(b, p);
    sh.extensions.push(type);
    const bit = type === EXT_SUPPORTED_VERSIONS || type === EXT_ALPN ? extBit(type) : 0;
    if (bit !== 0 && (seen & bit) === 0) {
      seen |= bit;
      if (type === EXT_SUPPORTED_VERSIONS) {
        if (dataEnd - p - 4 !== 2) throw new DecodeError('tls.bad-supported-versions', `length ${dataEnd - p - 4}`);
        sh.selectedVersion = u16at(b, p + 4);
      } else {
        // RFC 7301 §3.1: the server's list holds exactly one name; take the first if it sends more.
        sh.alpn = alpnAt(b, p + 4, dataEnd)[0] ?? null;
      }
    }
    p = dataEnd;
  }
  return sh;
}

/**
 * The certificate_list of a Certificate message, as DER views into `body`. TLS 1.3 (RFC 8446 §4.4.2) adds a
 * request context before the list and per-entry extensions after each certificate.
 */
export function parseCertificateMessage(body: Buffer, tls13: boolean): Buffer[] {
  return certificatesAt(body, 0, body.length, tls13);
}

function certificatesAt(body: Buffer, p: number, end: number, tls13: boolean): Buffer[] {
  const kind = 'tls.short-certificate';
  if (tls13) {
    need(p, end, 1, kind);
    const n = body[p++]!;
    need(p, end, n, kind);
    p += n;
  }
  need(p, end, 3, kind);
  const n = u24at(body, p);
  p += 3;
  if (n > end - p) throw new DecodeError('tls.bad-certificate-list', `length ${n} exceeds the ${end - p} bytes left`);
  const listEnd = p + n;
  const out: Buffer[] = [];
  while (p < listEnd) {
    need(p, listEnd, 3, 'tls.bad-certificate-list');
    const len = u24at(body, p);
    p += 3;
    if (len === 0) throw new DecodeError('tls.bad-certificate-length', 'empty certificate');
    need(p, listEnd, len, 'tls.bad-certificate-list');
    out.push(body.subarray(p, p + len));
    p += len;
    if (tls13) {
      need(p, listEnd, 2, 'tls.bad-certificate-list');
      const ext = u16at(body, p);
      p += 2;
      need(p, listEnd, ext, 'tls.bad-certificate-list');
      p += ext;
    }
  }
  return out;
}

/** True when the ServerHello chose TLS 1.3 (or a draft of it), after which the handshake is encrypted. */
export function serverHelloIsTls13(sh: ServerHello): boolean {
  return sh.selectedVersion !== null && sh.selectedVersion > 0x0303;
}

export function looksLikeTls(buf: Buffer, off: number, len: number): boolean {
  if (off < 0 || len < 6 || off + len > buf.length) return false;
  if (buf[off] !== CT_HANDSHAKE || buf[off + 1] !== 3 || buf[off + 2]! > 4) return false;
  const recLen = buf.readUInt16BE(off + 3);
  if (recLen < 4 || recLen > MAX_RECORD) return false;
  const hsType = buf[off + 5];
  return hsType === HS_CLIENT_HELLO || hsType === HS_SERVER_HELLO;
}

/**
 * Streams records of one direction. Handshake bytes are gathered in a private buffer (so messages that span
 * records, or records holding several messages, come out whole) and only the messages we keep are copied out.
 * Record bodies themselves are never buffered: only the 5-byte header can straddle two pushes.
 */
/** Shared by every reader until it reads a Certificate message: most readers (the clients') never do. */
const NO_CERTIFICATES: readonly Buffer[] = [];

export class TlsStreamReader {
  private ch: ClientHello | null = null;
  private sh: ServerHello | null = null;
  private certs: readonly Buffer[] = NO_CERTIFICATES;
  private isDone = false;
  private err: string | null = null;

  private consumed = 0;
  /** A record header cut by the end of a push: its bytes so far, the type apart and the other four packed. */
  private hdrLen = 0;
  private hdrType = 0;
  private hdrRest = 0;
  /** Bytes of the current record's body still to come; 0 when the next byte starts a record header. */
  private recLeft = 0;
  /** Allocated only when a message spans pushes or records; most sessions never need it. */
  private hs: Buffer | null = null;
  private hsLen = 0;
  private sawCertificate = false;
  /** Where feed() stopped short, leaving the rest for the caller to push again (rereads mode only). */
  private stoppedAt = -1;

  /** The certificates are views of the caller's bytes (see lendCertificates), until keepCertificates. */
  private certsLent = false;

  /**
   * `rereads`: the caller keeps the bytes push() did not take and pushes them again, followed by what
   * came next (a TCP reassembly buffer does). A message cut short inside its record is then left for
   * the next push instead of being copied aside, so most messages are read where they lie.
   *
   * `lendCertificates`: the certificates may be views of the bytes the caller pushed, valid only until
   * the caller changes or reuses them; a caller that needs them longer calls keepCertificates first.
   * Most certificates are known already and only compared, so most need no copy at all.
   */
  constructor(
    private readonly rereads = false,
    private readonly lendCertificates = false,
  ) {}

  /** Makes the certificates the reader's own copies, after which the pushed bytes may be reused. */
  keepCertificates(): void {
    if (!this.certsLent) return;
    this.certsLent = false;
    this.certs = this.certs.map((c) => copyOf(c, 0, c.length));
  }

  get clientHello(): ClientHello | null {
    return this.ch;
  }
  get serverHello(): ServerHello | null {
    return this.sh;
  }
  get certificates(): readonly Buffer[] {
    return this.certs;
  }
  get done(): boolean {
    return this.isDone;
  }
  get error(): string | null {
    return this.err;
  }

  /**
   * Reads the next bytes of the direction. Returns how many it took: all of them, except in rereads
   * mode where a message cut short may be left for the next push (and once done, when nothing is taken).
   */
  push(data: Buffer, off: number, len: number): number {
    if (this.isDone) return len;
    try {
      if (off < 0 || len < 0 || off + len > data.length) throw new DecodeError('tls.bad-push', 'range outside buffer');
      // Only the bytes within the budget are looked at; what lies beyond cannot change the outcome.
      const room = TLS_READER_BUDGET - this.consumed;
      const take = Math.min(len, room);
      this.stoppedAt = -1;
      this.feed(data, off, take);
      const taken = this.stoppedAt < 0 ? take : this.stoppedAt - off;
      this.consumed += taken;
      // Every byte within the budget offered: the same moment as without rereads.
      if (!this.isDone && this.consumed + (take - taken) >= TLS_READER_BUDGET) this.isDone = true;
      return this.isDone ? len : taken;
    } catch (e) {
      this.err = e instanceof DecodeError ? e.kind : 'tls.internal';
      this.isDone = true;
      return len;
    }
  }

  private feed(data: Buffer, off: number, len: number): void {
    const end = off + len;
    let p = off;
    while (p < end && !this.isDone) {
      if (this.recLeft === 0) {
        if (this.hdrLen === 0 && end - p >= 5) {
          this.startRecord(data[p]!, data[p + 1]!, data[p + 2]!, (data[p + 3]! << 8) | data[p + 4]!);
          p += 5;
          continue;
        }
        while (this.hdrLen < 5 && p < end) {
          if (this.hdrLen === 0) this.hdrType = data[p]!;
          else this.hdrRest = ((this.hdrRest << 8) | data[p]!) >>> 0;
          this.hdrLen++;
          p++;
        }
        if (this.hdrLen < 5) return;
        this.hdrLen = 0;
        const rest = this.hdrRest;
        this.hdrRest = 0;
        this.startRecord(this.hdrType, rest >>> 24, (rest >>> 16) & 0xff, rest & 0xffff);
        continue;
      }
      let n = Math.min(this.recLeft, end - p);
      if (this.hsLen === 0) {
        // Nothing held back: whole messages are read where they lie, and only a message cut by the end
        // of the pushed bytes or of its record is gathered in the private buffer. Most handshakes are
        // one record per flight, so most sessions never copy a byte here.
        const used = this.messagesInPlace(data, p, n);
        this.recLeft -= used;
        p += used;
        n -= used;
        if (n === 0 || this.isDone) continue;
        if (this.rereads && this.restFitsRecord(data, p, n)) {
          this.stoppedAt = p;
          return;
        }
      }
      this.appendHandshake(data, p, n);
      this.recLeft -= n;
      p += n;
      this.drainMessages();
    }
  }

  /** Whether the message starting at data[p] (n bytes of it here) ends inside the current record. */
  private restFitsRecord(data: Buffer, p: number, n: number): boolean {
    if (n < 4) return this.recLeft >= 4;
    const len = (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!;
    return 4 + len <= this.recLeft;
  }

  /**
   * The whole messages at the start of data[p, p + n), handed to onMessage in place; returns the bytes
   * they took. Does what appending them and draining would, without the copy.
   */
  private messagesInPlace(data: Buffer, p: number, n: number): number {
    const start = p;
    const end = p + n;
    while (!this.isDone && end - p >= 4) {
      const type = data[p]!;
      const len = (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!;
      if (len + 4 > TLS_READER_BUDGET) {
        this.isDone = true;
        break;
      }
      if (end - p - 4 < len) break;
      this.onMessage(type, data, p + 4, len);
      p += 4 + len;
    }
    return p - start;
  }

  private startRecord(type: number, major: number, minor: number, len: number): void {
    if (major !== 3) throw new DecodeError('tls.bad-record-version', `0x${((major << 8) | minor).toString(16)}`);
    if (len > MAX_RECORD) throw new DecodeError('tls.record-length', String(len));
    switch (type) {
      case CT_HANDSHAKE:
        this.recLeft = len;
        return;
      case CT_CHANGE_CIPHER_SPEC:
      case CT_ALERT:
      case CT_APPLICATION_DATA:
      case CT_HEARTBEAT:
        // From here on the peer either encrypts or gives up; neither yields handshake facts.
        this.isDone = true;
        return;
      default:
        throw new DecodeError('tls.bad-content-type', String(type));
    }
  }

  private appendHandshake(data: Buffer, p: number, n: number): void {
    const need = this.hsLen + n;
    let hs = this.hs;
    const capacity = hs === null ? 0 : hs.length;
    if (need > capacity) {
      // Grows geometrically, capped by the budget, so a whole session costs at most one 64 KiB buffer.
      let size = Math.max(capacity * 2, 4096);
      while (size < need) size *= 2;
      const grown = Buffer.allocUnsafe(Math.min(Math.max(size, need), TLS_READER_BUDGET));
      if (hs !== null) hs.copy(grown, 0, 0, this.hsLen);
      hs = this.hs = grown;
    }
    data.copy(hs!, this.hsLen, p, p + n);
    this.hsLen += n;
  }

  private drainMessages(): void {
    const hs = this.hs!;
    let p = 0;
    while (!this.isDone && this.hsLen - p >= 4) {
      const type = hs[p]!;
      const len = (hs[p + 1]! << 16) | (hs[p + 2]! << 8) | hs[p + 3]!;
      if (len + 4 > TLS_READER_BUDGET) {
        // Cannot be completed within the budget; nothing more to learn from this direction.
        this.isDone = true;
        break;
      }
      if (this.hsLen - p - 4 < len) break;
      this.onMessage(type, hs, p + 4, len);
      p += 4 + len;
    }
    if (p > 0) {
      // Kept messages were copied out in onMessage, so moving the tail down invalidates nothing.
      hs.copy(hs, 0, p, this.hsLen);
      this.hsLen -= p;
    }
  }

  /** `buf` may be the caller's: what is kept must be copied out (the hellos' parsers keep no view of it). */
  private onMessage(type: number, buf: Buffer, off: number, len: number): void {
    switch (type) {
      case HS_CLIENT_HELLO:
        if (this.ch === null) this.ch = clientHelloAt(buf, off, off + len);
        return;
      case HS_SERVER_HELLO:
        if (this.sh !== null) return;
        this.sh = serverHelloAt(buf, off, off + len);
        if (serverHelloIsTls13(this.sh)) this.isDone = true;
        return;
      case HS_CERTIFICATE:
        if (this.sawCertificate) return;
        this.sawCertificate = true;
        if (this.lendCertificates && buf !== this.hs) {
          this.certs = certificatesAt(buf, off, off + len, false);
          this.certsLent = this.certs.length > 0;
          return;
        }
        // One copy of the whole message; the certificates are views into it, so they outlive our buffer reuse.
        this.certs = parseCertificateMessage(copyOf(buf, off, len), false);
        return;
      case HS_SERVER_HELLO_DONE:
        // The server's first flight is complete; its next records are ChangeCipherSpec and encrypted data.
        this.isDone = true;
        return;
      default:
        return;
    }
  }
}

/** A copy of buf[off, off + len) that owes nothing to buf. */
function copyOf(buf: Buffer, off: number, len: number): Buffer {
  const out = Buffer.allocUnsafe(len);
  buf.copy(out, 0, off, off + len);
  return out;
}
