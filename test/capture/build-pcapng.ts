/**
 * Tiny writers for synthetic captures, built from the pcap / pcapng specifications so that
 * tests can produce exactly the oddities real captures rarely contain.
 */
import type { FrameSink } from '../../src/capture/types.js';

const pad4 = (n: number): number => (n + 3) & ~3;

export interface OptionValue {
  code: number;
  value: Buffer;
}

export class PcapngBuilder {
  private readonly parts: Buffer[] = [];
  private le = true;

  /** Starts a section; its byte order applies to every block until the next section. */
  shb(opts: { le?: boolean; major?: number } = {}): this {
    this.le = opts.le ?? true;
    const body = Buffer.alloc(16);
    this.u32(body, 0, 0x1a2b3c4d);
    this.u16(body, 4, opts.major ?? 1);
    this.u16(body, 6, 0);
    body.fill(0xff, 8, 16); // section length unknown
    return this.block(0x0a0d0d0a, body);
  }

  /** tsresol is the raw if_tsresol byte (e.g. 9 for ns, 0x80 | 20 for 2^-20 s); tsoffset in seconds. */
  idb(linktype: number, snaplen = 0, opts: { tsresol?: number; tsoffset?: bigint } = {}): this {
    const options: OptionValue[] = [];
    if (opts.tsresol !== undefined) options.push({ code: 9, value: Buffer.from([opts.tsresol]) });
    if (opts.tsoffset !== undefined) {
      const v = Buffer.alloc(8);
      if (this.le) v.writeBigInt64LE(opts.tsoffset);
      else v.writeBigInt64BE(opts.tsoffset);
      options.push({ code: 14, value: v });
    }
    const head = Buffer.alloc(8);
    this.u16(head, 0, linktype);
    this.u32(head, 4, snaplen);
    return this.block(1, Buffer.concat([head, this.options(options)]));
  }

  /** ts is the timestamp in the interface's units. */
  epb(ifid: number, ts: bigint, data: Buffer, wirelen = data.length): this {
    const head = Buffer.alloc(20);
    this.u32(head, 0, ifid);
    this.u32(head, 4, Number(ts >> 32n));
    this.u32(head, 8, Number(ts & 0xffffffffn));
    this.u32(head, 12, data.length);
    this.u32(head, 16, wirelen);
    return this.block(6, Buffer.concat([head, padded(data)]));
  }

  /** Obsolete Packet Block (type 2): a 16-bit interface id and a drops counter. */
  pb(ifid: number, ts: bigint, data: Buffer, wirelen = data.length): this {
    const head = Buffer.alloc(20);
    this.u16(head, 0, ifid);
    this.u16(head, 2, 0);
    this.u32(head, 4, Number(ts >> 32n));
    this.u32(head, 8, Number(ts & 0xffffffffn));
    this.u32(head, 12, data.length);
    this.u32(head, 16, wirelen);
    return this.block(2, Buffer.concat([head, padded(data)]));
  }

  spb(data: Buffer, wirelen = data.length): this {
    const head = Buffer.alloc(4);
    this.u32(head, 0, wirelen);
    return this.block(3, Buffer.concat([head, padded(data)]));
  }

  /** records: addresses as 4 or 16 raw bytes, each with its names. */
  nrb(records: Array<{ address: Buffer; names: string[] }>): this {
    const out: Buffer[] = [];
    for (const r of records) {
      const value = Buffer.concat([r.address, ...r.names.map((n) => Buffer.from(n + '\0', 'utf8'))]);
      const head = Buffer.alloc(4);
      this.u16(head, 0, r.address.length === 4 ? 1 : 2);
      this.u16(head, 2, value.length);
      out.push(head, padded(value));
    }
    out.push(Buffer.alloc(4)); // nrb_record_end
    return this.block(4, Buffer.concat(out));
  }

  dsb(secretsType: number, data: Buffer): this {
    const head = Buffer.alloc(8);
    this.u32(head, 0, secretsType);
    this.u32(head, 4, data.length);
    return this.block(10, Buffer.concat([head, padded(data)]));
  }

  isb(ifid: number): this {
    const body = Buffer.alloc(12);
    this.u32(body, 0, ifid);
    return this.block(5, body);
  }

  block(type: number, body: Buffer): this {
    const len = 12 + pad4(body.length);
    const b = Buffer.alloc(len);
    this.u32(b, 0, type);
    this.u32(b, 4, len);
    body.copy(b, 8);
    this.u32(b, len - 4, len);
    this.parts.push(b);
    return this;
  }

  /** Appends bytes as they are, to build damage. */
  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }

  private options(opts: OptionValue[]): Buffer {
    if (opts.length === 0) return Buffer.alloc(0);
    const out: Buffer[] = [];
    for (const o of opts) {
      const head = Buffer.alloc(4);
      this.u16(head, 0, o.code);
      this.u16(head, 2, o.value.length);
      out.push(head, padded(o.value));
    }
    out.push(Buffer.alloc(4)); // opt_endofopt
    return Buffer.concat(out);
  }

  private u16(b: Buffer, off: number, v: number): void {
    if (this.le) b.writeUInt16LE(v, off);
    else b.writeUInt16BE(v, off);
  }

  private u32(b: Buffer, off: number, v: number): void {
    if (this.le) b.writeUInt32LE(v >>> 0, off);
    else b.writeUInt32BE(v >>> 0, off);
  }
}

function padded(data: Buffer): Buffer {
  const n = pad4(data.length);
  return n === data.length ? data : Buffer.concat([data, Buffer.alloc(n - data.length)]);
}

export interface PcapRecord {
  sec: number;
  /** µs or ns, following the file's resolution */
  frac: number;
  data: Buffer;
  wirelen?: number;
  /** overrides the caplen field, to build damage */
  caplen?: number;
}

export function pcapHeader(opts: { le?: boolean; nsec?: boolean; snaplen?: number; linktype?: number } = {}): Buffer {
  const le = opts.le ?? true;
  const b = Buffer.alloc(24);
  const w32 = (v: number, off: number): number => (le ? b.writeUInt32LE(v >>> 0, off) : b.writeUInt32BE(v >>> 0, off));
  const w16 = (v: number, off: number): number => (le ? b.writeUInt16LE(v, off) : b.writeUInt16BE(v, off));
  w32(opts.nsec ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(2, 4);
  w16(4, 6);
  w32(opts.snaplen ?? 262144, 16);
  w32(opts.linktype ?? 1, 20);
  return b;
}

export function pcapRecord(r: PcapRecord, le = true): Buffer {
  const b = Buffer.alloc(16 + r.data.length);
  const w32 = (v: number, off: number): number => (le ? b.writeUInt32LE(v >>> 0, off) : b.writeUInt32BE(v >>> 0, off));
  w32(r.sec, 0);
  w32(r.frac, 4);
  w32(r.caplen ?? r.data.length, 8);
  w32(r.wirelen ?? r.data.length, 12);
  r.data.copy(b, 16);
  return b;
}

export function buildPcap(
  records: PcapRecord[],
  opts: { le?: boolean; nsec?: boolean; snaplen?: number; linktype?: number } = {},
): Buffer {
  return Buffer.concat([pcapHeader(opts), ...records.map((r) => pcapRecord(r, opts.le ?? true))]);
}

export interface RecordedFrame {
  data: Buffer;
  caplen: number;
  wirelen: number;
  ts: number;
  linktype: number;
}

/** A sink that keeps copies of everything, for assertions (tests only: it allocates per frame). */
export class RecordingSink implements FrameSink {
  readonly frames: RecordedFrame[] = [];
  readonly malformedCounts: Record<string, number> = {};

  frame(data: Buffer, off: number, caplen: number, wirelen: number, ts: number, linktype: number): void {
    this.frames.push({ data: Buffer.from(data.subarray(off, off + caplen)), caplen, wirelen, ts, linktype });
  }

  malformed(kind: string): void {
    this.malformedCounts[kind] = (this.malformedCounts[kind] ?? 0) + 1;
  }
}

/** Address bytes from text, for NRB records in tests. */
export function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

export function ipv6Bytes(groups: number[]): Buffer {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, 2 * i));
  return b;
}
