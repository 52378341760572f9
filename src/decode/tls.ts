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

/**
 * A bounds-checked cursor over [pos, end) of one buffer. Nested vectors get their own child cursor, so a length
 * that lies about its contents can only ever overrun its own parent, which is caught right there.
 */
class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
    private readonly kind: string,
  ) {}

  get left(): number {
    return this.end - this.pos;
  }

  need(n: number): void {
    if (n > this.end - this.pos) throw new DecodeError(this.kind, `need ${n} bytes, have ${this.end - this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A child cursor over the next n bytes; `kind` names the error if the child itself is malformed. */
  sub(n: number, kind: string): Cursor {
    // An overrun here is the child's own length lying, so it is reported under the child's name.
    if (n > this.end - this.pos) throw new DecodeError(kind, `length ${n} exceeds the ${this.end - this.pos} bytes left`);
    const c = new Cursor(this.buf, this.pos, this.pos + n, kind);
    this.pos += n;
    return c;
  }

  /** Reads a vector of u16 values whose byte length `n` must be even. */
  u16List(n: number, kind: string): number[] {
    if (n % 2 !== 0) throw new DecodeError(kind, `odd length ${n}`);
    const c = this.sub(n, kind);
    const out = new Array<number>(n >> 1);
    for (let i = 0; i < out.length; i++) out[i] = c.u16();
    return out;
  }
}

/** ALPN protocol ids are opaque bytes; latin1 keeps one char per byte so JA4 can look at the raw first/last byte. */
function parseAlpnList(c: Cursor): string[] {
  const list = c.sub(c.u16(), 'tls.bad-alpn');
  const out: string[] = [];
  while (list.left > 0) {
    const n = list.u8();
    out.push(list.bytes(n).toString('latin1'));
  }
  return out;
}

function parseServerName(c: Cursor): string | null {
  // An empty server_name extension is legal (a server's acknowledgement, RFC 6066 §3), and clients resuming a
  // session sometimes echo it; it names nothing.
  if (c.left === 0) return null;
  const list = c.sub(c.u16(), 'tls.bad-sni');
  let name: string | null = null;
  while (list.left > 0) {
    const type = list.u8();
    const value = list.bytes(list.u16());
    // Only host_name (0) is defined; take the first one, as servers do.
    if (type === 0 && name === null) name = value.toString('latin1');
  }
  return name;
}

/**
 * Walks an extensions block and hands each one to `each` with a cursor limited to its data.
 * Fails if the block's declared length overruns the message.
 */
function walkExtensions(c: Cursor, types: number[], each: (type: number, data: Cursor) => void): void {
  // Extensions are optional in TLS ≤ 1.2: a hello that ends right after compression simply has none.
  if (c.left === 0) return;
  const block = c.sub(c.u16(), 'tls.bad-extensions-length');
  while (block.left > 0) {
    const type = block.u16();
    const data = block.sub(block.u16(), 'tls.bad-extension-length');
    types.push(type);
    each(type, data);
  }
}

export function parseClientHello(body: Buffer): ClientHello {
  const c = new Cursor(body, 0, body.length, 'tls.short-client-hello');
  const legacyVersion = c.u16();
  // Copied: the random is tiny, and a view would alias whatever buffer the caller reuses.
  const random = Buffer.from(c.bytes(32));
  const sidLen = c.u8();
  if (sidLen > 32) throw new DecodeError('tls.bad-session-id', `length ${sidLen}`);
  c.bytes(sidLen);
  const ciphers = c.u16List(c.u16(), 'tls.bad-cipher-suites');
  const compression = [...c.bytes(c.u8())];
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
  const seen = new Set<number>();
  walkExtensions(c, ch.extensions, (type, d) => {
    // A repeated extension is a protocol violation (RFC 8446 §4.2); the first one is what a server acts on.
    if (seen.has(type)) return;
    seen.add(type);
    switch (type) {
      case EXT_SERVER_NAME:
        ch.sni = parseServerName(d);
        break;
      case EXT_ALPN:
        ch.alpn = parseAlpnList(d);
        break;
      case EXT_SUPPORTED_VERSIONS:
        ch.supportedVersions = d.u16List(d.u8(), 'tls.bad-supported-versions');
        break;
      case EXT_SUPPORTED_GROUPS:
        ch.groups = d.u16List(d.u16(), 'tls.bad-supported-groups');
        break;
      case EXT_EC_POINT_FORMATS:
        ch.ecPointFormats = [...d.bytes(d.u8())];
        break;
      case EXT_SIGNATURE_ALGORITHMS:
        ch.sigAlgs = d.u16List(d.u16(), 'tls.bad-signature-algorithms');
        break;
      default:
        break;
    }
  });
  return ch;
}

export function parseServerHello(body: Buffer): ServerHello {
  const c = new Cursor(body, 0, body.length, 'tls.short-server-hello');
  const legacyVersion = c.u16();
  c.bytes(32);
  const sidLen = c.u8();
  if (sidLen > 32) throw new DecodeError('tls.bad-session-id', `length ${sidLen}`);
  c.bytes(sidLen);
  const cipher = c.u16();
  c.u8(); // compression method
  const sh: ServerHello = { legacyVersion, cipher, extensions: [], selectedVersion: null, alpn: null };
  const seen = new Set<number>();
  walkExtensions(c, sh.extensions, (type, d) => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type === EXT_SUPPORTED_VERSIONS) {
      if (d.left !== 2) throw new DecodeError('tls.bad-supported-versions', `length ${d.left}`);
      sh.selectedVersion = d.u16();
    } else if (type === EXT_ALPN) {
      // RFC 7301 §3.1: the server's list holds exactly one name; take the first if it sends more.
      sh.alpn = parseAlpnList(d)[0] ?? null;
    }
  });
  return sh;
}

/**
 * The certificate_list of a Certificate message, as DER views into `body`. TLS 1.3 (RFC 8446 §4.4.2) adds a
 * request context before the list and per-entry extensions after each certificate.
 */
export function parseCertificateMessage(body: Buffer, tls13: boolean): Buffer[] {
  const c = new Cursor(body, 0, body.length, 'tls.short-certificate');
  if (tls13) c.bytes(c.u8());
  const list = c.sub(c.u24(), 'tls.bad-certificate-list');
  const out: Buffer[] = [];
  while (list.left > 0) {
    const len = list.u24();
    if (len === 0) throw new DecodeError('tls.bad-certificate-length', 'empty certificate');
    out.push(list.bytes(len));
    if (tls13) list.bytes(list.u16());
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
export class TlsStreamReader {
  private ch: ClientHello | null = null;
  private sh: ServerHello | null = null;
  private certs: Buffer[] = [];
  private isDone = false;
  private err: string | null = null;

  private consumed = 0;
  private readonly hdr = Buffer.alloc(5);
  private hdrLen = 0;
  /** Bytes of the current record's body still to come; 0 when the next byte starts a record header. */
  private recLeft = 0;
  private hs: Buffer = Buffer.alloc(0);
  private hsLen = 0;
  private sawCertificate = false;
  /** Where feed() stopped short, leaving the rest for the caller to push again (rereads mode only). */
  private stoppedAt = -1;

  /**
   * `rereads`: the caller keeps the bytes push() did not take and pushes them again, followed by what
   * came next (a TCP reassembly buffer does). A message cut short inside its record is then left for
   * the next push instead of being copied aside, so most messages are read where they lie.
   */
  constructor(private readonly rereads = false) {}

  get clientHello(): ClientHello | null {
    return this.ch;
  }
  get serverHello(): ServerHello | null {
    return this.sh;
  }
  get certificates(): Buffer[] {
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
        const n = Math.min(5 - this.hdrLen, end - p);
        data.copy(this.hdr, this.hdrLen, p, p + n);
        this.hdrLen += n;
        p += n;
        if (this.hdrLen < 5) return;
        this.hdrLen = 0;
        this.startRecord();
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

  private startRecord(): void {
    const type = this.hdr[0]!;
    if (this.hdr[1] !== 3) throw new DecodeError('tls.bad-record-version', `0x${this.hdr.readUInt16BE(1).toString(16)}`);
    const len = this.hdr.readUInt16BE(3);
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
    if (need > this.hs.length) {
      // Grows geometrically, capped by the budget, so a whole session costs at most one 64 KiB buffer.
      let size = Math.max(this.hs.length * 2, 4096);
      while (size < need) size *= 2;
      const grown = Buffer.allocUnsafe(Math.min(Math.max(size, need), TLS_READER_BUDGET));
      this.hs.copy(grown, 0, 0, this.hsLen);
      this.hs = grown;
    }
    data.copy(this.hs, this.hsLen, p, p + n);
    this.hsLen += n;
  }

  private drainMessages(): void {
    let p = 0;
    while (!this.isDone && this.hsLen - p >= 4) {
      const type = this.hs[p]!;
      const len = (this.hs[p + 1]! << 16) | (this.hs[p + 2]! << 8) | this.hs[p + 3]!;
      if (len + 4 > TLS_READER_BUDGET) {
        // Cannot be completed within the budget; nothing more to learn from this direction.
        this.isDone = true;
        break;
      }
      if (this.hsLen - p - 4 < len) break;
      this.onMessage(type, this.hs, p + 4, len);
      p += 4 + len;
    }
    if (p > 0) {
      // Kept messages were copied out in onMessage, so moving the tail down invalidates nothing.
      this.hs.copy(this.hs, 0, p, this.hsLen);
      this.hsLen -= p;
    }
  }

  /** `buf` may be the caller's: what is kept must be copied out (the hellos' parsers keep no view of it). */
  private onMessage(type: number, buf: Buffer, off: number, len: number): void {
    switch (type) {
      case HS_CLIENT_HELLO:
        if (this.ch === null) this.ch = parseClientHello(buf.subarray(off, off + len));
        return;
      case HS_SERVER_HELLO:
        if (this.sh !== null) return;
        this.sh = parseServerHello(buf.subarray(off, off + len));
        if (serverHelloIsTls13(this.sh)) this.isDone = true;
        return;
      case HS_CERTIFICATE:
        if (this.sawCertificate) return;
        this.sawCertificate = true;
        // One copy of the whole message; the certificates are views into it, so they outlive our buffer reuse.
        this.certs = parseCertificateMessage(Buffer.from(buf.subarray(off, off + len)), false);
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
