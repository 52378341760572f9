/**
 * pcapng: a sequence of sections, each opened by a Section Header Block that fixes the byte
 * order and starts a fresh list of interfaces; packets name their interface by index.
 */
import { formatIPv4, formatIPv6 } from '../decode/text.js';
import { CaptureFormatError } from './types.js';
import { u16be, u16le, u32be, u32le } from './bytes.js';
import {
  MAX_BLOCK_BYTES,
  MAX_KEYLOG_BYTES,
  MAX_NAME_RECORDS,
  MAX_UNKNOWN_BLOCK_KINDS,
  type FormatWalker,
  type WalkState,
} from './state.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2; // obsolete Packet Block, still written by old tools
const SPB = 3;
const NRB = 4;
const ISB = 5;
const EPB = 6;
const JOURNAL = 9;
const DSB = 10;
const CUSTOM = 0x00000bad;
const CUSTOM_NOCOPY = 0x40000bad;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
const SECRETS_TLS_KEY_LOG = 0x544c534b;

const OPT_END = 0;
const OPT_COMMENT = 1;
/** PCAPdroid's private enterprise number, which its custom blocks carry. */
export const PCAPDROID_PEN = 62652;
const PCAPDROID_UID_MAP = 1;
const PCAPDROID_VERSION = 1;
/** The fixed part of PCAPdroid's UID map block: header, PEN, version/type, uid, two lengths. */
const UID_MAP_MIN = 22;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const NRB_IPV4 = 1;
const NRB_IPV6 = 2;

const SHB_MIN = 28;
const IDB_MIN = 20;
const EPB_MIN = 32;
const SPB_MIN = 16;
const DSB_MIN = 20;

const TWO_32 = 4294967296;
/** Below this divisor the exact long division in unitsToSeconds stays within 2^53. */
const EXACT_DIV_LIMIT = 2 ** 37;

/**
 * Seconds (with fraction) from a 64-bit count of 1/div-second units split into hi/lo words.
 * Nanosecond epoch counts (~1.7e18) exceed 2^53, so the whole-seconds part is found by long
 * division in 16-bit steps that stay exact, and only the final fraction is rounded.
 */
export function unitsToSeconds(hi: number, lo: number, div: number): number {
  if (hi < 0x200000) {
    const u = hi * TWO_32 + lo;
    const s = Math.floor(u / div);
    return s + (u - s * div) / div;
  }
  if (div >= EXACT_DIV_LIMIT) return (hi * TWO_32 + lo) / div;
  const b = Math.floor(hi / div);
  const a = hi - b * div;
  const t1 = a * 65536 + (lo >>> 16);
  const q1 = Math.floor(t1 / div);
  const t2 = (t1 - q1 * div) * 65536 + (lo & 0xffff);
  const q2 = Math.floor(t2 / div);
  return b * TWO_32 + q1 * 65536 + q2 + (t2 - q2 * div) / div;
}

export class PcapngWalker implements FormatWalker {
  started = false;
  headerBytes = SHB_MIN;
  private le = true;
  // Parallel arrays indexed by interface id, emptied (not replaced) at each section.
  private readonly ifLinktype: number[] = [];
  private readonly ifSnaplen: number[] = [];
  private readonly ifDiv: number[] = [];
  private readonly ifOffset: number[] = [];
  /**
   * Simple Packet Blocks carry no timestamp; they inherit the previous packet's, because a
   * 1970 timestamp would stretch any flow holding them over half a century.
   */
  private lastTs = 0;

  constructor(private readonly st: WalkState) {}

  walk(buf: Buffer, pos: number, end: number, abs: number): number {
    const st = this.st;
    const sink = st.sink;
    const ifLinktype = this.ifLinktype;
    const ifDiv = this.ifDiv;
    const ifOffset = this.ifOffset;
    let le = this.le;
    // Header fields are read through a view of the chunk: V8 turns its reads into plain loads, where
    // helper functions are calls whenever its inlining budget runs out in this long function.
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let p = pos;
    let packets = 0;
    for (;;) {
      const avail = end - p;
      if (avail < 12) {
        st.need = 12;
        break;
      }
      const type = dv.getUint32(p, le);
      if (type === SHB) {
        // The type reads the same in both orders; the byte-order magic decides.
        const bom = u32le(buf, p + 8);
        if (bom === BYTE_ORDER_MAGIC) le = true;
        else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = false;
        else {
          this.bad('pcapng.bad-section-header', `section header with unknown byte-order magic ${bom.toString(16).padStart(8, '0')}`, abs + (p - pos));
          break;
        }
      }
      const len = dv.getUint32(p + 4, le);
      if (len < 12 || (len & 3) !== 0 || len > MAX_BLOCK_BYTES) {
        this.bad('pcapng.bad-block-length', `block of type ${type} with invalid length ${len}`, abs + (p - pos));
        break;
      }
      if (avail < len) {
        if (type === SHB && !this.started) this.headerBytes = len;
        st.need = len;
        break;
      }
      if (dv.getUint32(p + len - 4, le) !== len) {
        this.bad('pcapng.bad-block-length', `block of type ${type}: trailing length does not match ${len}`, abs + (p - pos));
        break;
      }
      if (type === EPB || type === PB) {
        if (len < EPB_MIN) {
          sink.malformed('pcapng.bad-packet-length');
        } else {
          const ifid = type === EPB ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
          const caplen = dv.getUint32(p + 20, le);
          const linktype = ifid < ifLinktype.length ? ifLinktype[ifid]! : -1;
          if (caplen > len - EPB_MIN) {
            sink.malformed('pcapng.bad-packet-length');
          } else if (linktype < 0) {
            sink.malformed('pcapng.unknown-interface');
          } else {
            const hi = dv.getUint32(p + 12, le);
            const lo = dv.getUint32(p + 16, le);
            const ts = unitsToSeconds(hi, lo, ifDiv[ifid]!) + ifOffset[ifid]!;
            this.lastTs = ts;
            // Options follow the padded packet data; most writers add none, so most blocks skip this.
            const opts = p + 28 + ((caplen + 3) & ~3);
            const uid = opts + 4 <= p + len - 4 ? this.commentUid(buf, opts, p + len - 4, le) : undefined;
            sink.frame(buf, p + 28, caplen, dv.getUint32(p + 24, le), ts, linktype, uid);
            packets++;
          }
        }
      } else if (type === SPB) {
        const linktype = ifLinktype.length > 0 ? ifLinktype[0]! : -1;
        if (len < SPB_MIN) {
          sink.malformed('pcapng.bad-packet-length');
        } else if (linktype < 0) {
          sink.malformed('pcapng.unknown-interface');
        } else {
          const wirelen = dv.getUint32(p + 8, le);
          // The block holds no captured length: it is what fits, limited by the snaplen.
          let caplen = Math.min(wirelen, len - SPB_MIN);
          const snaplen = this.ifSnaplen[0]!;
          if (snaplen > 0 && caplen > snaplen) caplen = snaplen;
          sink.frame(buf, p + 12, caplen, wirelen, this.lastTs, linktype);
          packets++;
        }
      } else {
        this.otherBlock(type, buf, p, len, le, abs + (p - pos));
        if (st.stopped) break;
      }
      p += len;
    }
    this.le = le;
    st.packets += packets;
    return p;
  }

  /** Damage before the first section header means this is not a readable pcapng at all. */
  private bad(kind: string, message: string, offset: number): void {
    if (!this.started) throw new CaptureFormatError('not a readable pcapng file: ' + message, offset);
    this.st.damage(kind, offset);
  }

  private otherBlock(type: number, buf: Buffer, p: number, len: number, le: boolean, offset: number): void {
    switch (type) {
      case SHB:
        this.section(buf, p, len, le, offset);
        return;
      case IDB:
        this.interface(buf, p, len, le);
        return;
      case NRB:
        this.names(buf, p, len, le);
        return;
      case DSB:
        this.secrets(buf, p, len, le);
        return;
      case CUSTOM:
      case CUSTOM_NOCOPY:
        this.custom(buf, p, len, le);
        return;
      case ISB:
      case JOURNAL:
        return;
      default: {
        const st = this.st;
        const key = String(type);
        const seen = st.unknownBlocks[key];
        if (seen !== undefined) st.unknownBlocks[key] = seen + 1;
        else if (st.unknownKinds < MAX_UNKNOWN_BLOCK_KINDS) {
          st.unknownKinds++;
          st.unknownBlocks[key] = 1;
        }
      }
    }
  }

  /**
   * PCAPdroid names the app of every packet in its comment as `u-<uid>`. Returns the uid, or undefined
   * when there is no such comment; a comment that starts so but holds no number is counted.
   */
  private commentUid(buf: Buffer, q: number, optEnd: number, le: boolean): number | undefined {
    while (q + 4 <= optEnd) {
      const code = le ? u16le(buf, q) : u16be(buf, q);
      const olen = le ? u16le(buf, q + 2) : u16be(buf, q + 2);
      const v = q + 4;
      if (code === OPT_END || v + olen > optEnd) return undefined;
      if (code === OPT_COMMENT && olen >= 2 && buf[v] === 0x75 && buf[v + 1] === 0x2d) {
        const text = buf.toString('latin1', v + 2, v + olen);
        if (/^-?\d{1,10}$/.test(text)) {
          const uid = Number(text);
          if (uid >= -0x80000000 && uid <= 0x7fffffff) return uid;
        }
        this.st.sink.malformed('pcapdroid.bad-uid-comment');
        return undefined;
      }
      q = v + ((olen + 3) & ~3);
    }
    return undefined;
  }

  /**
   * Custom blocks: only PCAPdroid's UID map is read (uid, package name, app label). PCAPdroid writes
   * its version and block type as the first and third bytes after the PEN; the lengths inside must fit
   * the block, or the block is counted as malformed and its app left unnamed.
   */
  private custom(buf: Buffer, p: number, len: number, le: boolean): void {
    if (len < 16) return;
    const pen = le ? u32le(buf, p + 8) : u32be(buf, p + 8);
    if (pen !== PCAPDROID_PEN) return;
    const version = buf[p + 12]!;
    const type = buf[p + 13]! !== 0 ? buf[p + 13]! : buf[p + 14]!;
    if (version !== PCAPDROID_VERSION || type !== PCAPDROID_UID_MAP) return;
    const sink = this.st.sink;
    const bodyEnd = p + len - 4;
    if (p + UID_MAP_MIN > bodyEnd) {
      sink.malformed('pcapdroid.bad-uid-map');
      return;
    }
    const uid = le ? buf.readInt32LE(p + 16) : buf.readInt32BE(p + 16);
    const pkgLen = buf[p + 20]!;
    const nameLen = buf[p + 21]!;
    const s = p + UID_MAP_MIN;
    if (s + pkgLen + nameLen > bodyEnd) {
      sink.malformed('pcapdroid.bad-uid-map');
      return;
    }
    sink.app?.(uid, buf.toString('utf8', s, s + pkgLen), buf.toString('utf8', s + pkgLen, s + pkgLen + nameLen));
  }

  private section(buf: Buffer, p: number, len: number, le: boolean, offset: number): void {
    if (len < SHB_MIN) {
      this.bad('pcapng.bad-section-header', `section header block too short (${len} bytes)`, offset);
      return;
    }
    const major = le ? u16le(buf, p + 12) : u16be(buf, p + 12);
    if (major !== 1) {
      this.bad('pcapng.bad-section-header', `unsupported pcapng version ${major}`, offset);
      return;
    }
    this.started = true;
    this.ifLinktype.length = 0;
    this.ifSnaplen.length = 0;
    this.ifDiv.length = 0;
    this.ifOffset.length = 0;
  }

  private interface(buf: Buffer, p: number, len: number, le: boolean): void {
    if (len < IDB_MIN) {
      // Keep the slot so later interface ids still point at the right interfaces.
      this.st.sink.malformed('pcapng.bad-interface-block');
      this.ifLinktype.push(-1);
      this.ifSnaplen.push(0);
      this.ifDiv.push(1e6);
      this.ifOffset.push(0);
      return;
    }
    const linktype = le ? u16le(buf, p + 8) : u16be(buf, p + 8);
    const snaplen = le ? u32le(buf, p + 12) : u32be(buf, p + 12);
    let div = 1e6;
    let offset = 0;
    const optEnd = p + len - 4;
    let q = p + 16;
    while (q + 4 <= optEnd) {
      const code = le ? u16le(buf, q) : u16be(buf, q);
      const olen = le ? u16le(buf, q + 2) : u16be(buf, q + 2);
      const v = q + 4;
      if (code === OPT_END || v + olen > optEnd) break;
      if (code === IF_TSRESOL && olen >= 1) {
        const r = buf[v]!;
        div = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      } else if (code === IF_TSOFFSET && olen >= 8) {
        const hi = le ? buf.readInt32LE(v + 4) : buf.readInt32BE(v);
        const lo = le ? u32le(buf, v) : u32be(buf, v + 4);
        offset = hi * TWO_32 + lo;
      }
      q = v + ((olen + 3) & ~3);
    }
    this.ifLinktype.push(linktype);
    this.ifSnaplen.push(snaplen);
    this.ifDiv.push(div);
    this.ifOffset.push(offset);
    this.st.addLinktype(linktype);
  }

  private names(buf: Buffer, p: number, len: number, le: boolean): void {
    const st = this.st;
    const blockEnd = p + len - 4;
    let q = p + 8;
    while (q + 4 <= blockEnd) {
      const rtype = le ? u16le(buf, q) : u16be(buf, q);
      const rlen = le ? u16le(buf, q + 2) : u16be(buf, q + 2);
      const v = q + 4;
      if (rtype === 0) return;
      if (v + rlen > blockEnd) {
        st.sink.malformed('pcapng.bad-name-record');
        return;
      }
      const addrLen = rtype === NRB_IPV4 ? 4 : rtype === NRB_IPV6 ? 16 : 0;
      if (addrLen > 0) {
        if (rlen < addrLen) st.sink.malformed('pcapng.bad-name-record');
        else if (st.nameResolution.length >= MAX_NAME_RECORDS) st.sink.malformed('pcapng.too-many-names');
        else {
          const address = addrLen === 4 ? formatIPv4(buf, v) : formatIPv6(buf, v);
          const names: string[] = [];
          let s = v + addrLen;
          const e = v + rlen;
          while (s < e) {
            let z = buf.indexOf(0, s);
            if (z < 0 || z > e) z = e;
            if (z > s) names.push(buf.toString('utf8', s, z));
            s = z + 1;
          }
          st.nameResolution.push({ address, names });
        }
      }
      q = v + ((rlen + 3) & ~3);
    }
  }

  private secrets(buf: Buffer, p: number, len: number, le: boolean): void {
    const st = this.st;
    if (len < DSB_MIN) {
      st.sink.malformed('pcapng.bad-secrets-block');
      return;
    }
    const stype = le ? u32le(buf, p + 8) : u32be(buf, p + 8);
    const slen = le ? u32le(buf, p + 12) : u32be(buf, p + 12);
    if (slen > len - DSB_MIN) {
      st.sink.malformed('pcapng.bad-secrets-block');
      return;
    }
    // Other secret kinds (WireGuard, ZigBee…) are of no use to a TLS-level check.
    if (stype !== SECRETS_TLS_KEY_LOG) return;
    if (st.keyLogBytes + slen > MAX_KEYLOG_BYTES) {
      st.sink.malformed('pcapng.too-many-secrets');
      return;
    }
    st.keyLogBytes += slen;
    st.tlsKeyLogs.push(buf.toString('utf8', p + 16, p + 16 + slen));
  }
}
