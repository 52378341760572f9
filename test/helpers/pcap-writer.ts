/**
 * A small pcap writer and frame builder for hand-built hostile captures: Ethernet, IPv4 (with fragments and
 * header-field overrides), IPv6 (with extension headers), UDP and TCP, written as classic little-endian,
 * microsecond pcap. Also reads the frames of a real capture back (through the project's reader) and finds
 * the layers inside them, so tests can edit real packets rather than invent them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { isIP } from 'node:net';
import { readCaptureFile } from '../../src/capture/reader.js';
import type { FrameSink } from '../../src/capture/types.js';

export const LINKTYPE_ETHERNET = 1;
export const ETH_IPV4 = 0x0800;
export const ETH_IPV6 = 0x86dd;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface Frame {
  /** Seconds since the epoch, fraction included (written with microsecond resolution). */
  ts: number;
  data: Buffer;
  /** Length on the wire; defaults to data.length. */
  wirelen?: number;
}

// ---------------------------------------------------------------- pcap files

/** The 24-byte global header of a little-endian microsecond pcap. */
export function pcapHeader(linktype = LINKTYPE_ETHERNET, snaplen = 262144): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(snaplen, 16);
  h.writeUInt32LE(linktype, 20);
  return h;
}

/** One record: 16-byte header and the frame bytes. `caplen` overrides the length field (to build damage). */
export function pcapRecord(f: Frame, caplen = f.data.length): Buffer {
  const r = Buffer.alloc(16 + f.data.length);
  const sec = Math.floor(f.ts);
  r.writeUInt32LE(sec >>> 0, 0);
  r.writeUInt32LE(Math.min(999999, Math.round((f.ts - sec) * 1e6)), 4);
  r.writeUInt32LE(caplen >>> 0, 8);
  r.writeUInt32LE((f.wirelen ?? f.data.length) >>> 0, 12);
  f.data.copy(r, 16);
  return r;
}

export function pcapFile(frames: Iterable<Frame>, linktype = LINKTYPE_ETHERNET, snaplen = 262144): Buffer {
  const parts = [pcapHeader(linktype, snaplen)];
  for (const f of frames) parts.push(pcapRecord(f));
  return Buffer.concat(parts);
}

/** Writes a large pcap to disk through a bounded buffer, for captures too big to build in memory. */
export class PcapFileWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  private len = 0;
  records = 0;
  bytes = 0;

  constructor(path: string, linktype = LINKTYPE_ETHERNET, snaplen = 262144) {
    this.fd = openSync(path, 'w');
    this.put(pcapHeader(linktype, snaplen));
  }

  add(f: Frame): void {
    const need = 16 + f.data.length;
    if (this.len + need > this.buf.length) this.flush();
    const b = this.buf;
    const o = this.len;
    const sec = Math.floor(f.ts);
    b.writeUInt32LE(sec >>> 0, o);
    b.writeUInt32LE(Math.min(999999, Math.round((f.ts - sec) * 1e6)), o + 4);
    b.writeUInt32LE(f.data.length, o + 8);
    b.writeUInt32LE((f.wirelen ?? f.data.length) >>> 0, o + 12);
    f.data.copy(b, o + 16);
    this.len += need;
    this.records++;
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }

  private put(b: Buffer): void {
    if (this.len + b.length > this.buf.length) this.flush();
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  private flush(): void {
    let done = 0;
    while (done < this.len) done += writeSync(this.fd, this.buf, done, this.len - done);
    this.bytes += this.len;
    this.len = 0;
  }
}

// ---------------------------------------------------------------- addresses and checksums

/** Address text → 4 or 16 bytes (via node:net's parser for the check, own expansion for IPv6). */
export function addr(text: string): Buffer {
  const v = isIP(text);
  if (v === 4) return Buffer.from(text.split('.').map((x) => Number(x)));
  if (v !== 6) throw new Error(`not an IP address: ${text}`);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const hs = head === '' ? [] : head.split(':');
  const ts = tail === null || tail === '' ? [] : tail.split(':');
  const groups = tail === null ? hs : [...hs, ...new Array<string>(8 - hs.length - ts.length).fill('0'), ...ts];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

/** The Internet checksum (RFC 1071) over the given pieces. */
export function inetChecksum(...parts: Buffer[]): number {
  let sum = 0;
  for (const part of parts) {
    for (let i = 0; i + 1 < part.length; i += 2) sum += (part[i] << 8) | part[i + 1];
    if (part.length % 2 === 1) sum += part[part.length - 1] << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// ---------------------------------------------------------------- layers

export function ethernet(payload: Buffer, ethertype: number, dstMac = '02:00:00:00:00:02', srcMac = '02:00:00:00:00:01'): Buffer {
  const h = Buffer.alloc(14);
  Buffer.from(dstMac.replace(/:/g, ''), 'hex').copy(h, 0);
  Buffer.from(srcMac.replace(/:/g, ''), 'hex').copy(h, 6);
  h.writeUInt16BE(ethertype, 12);
  return Buffer.concat([h, payload]);
}

export interface Ipv4Opts {
  src: string;
  dst: string;
  proto: number;
  payload: Buffer;
  id?: number;
  ttl?: number;
  /** More-fragments flag. */
  mf?: boolean;
  dontFragment?: boolean;
  /** Fragment offset in bytes (must be a multiple of 8). */
  fragOffset?: number;
  /** Header length field in 32-bit words, written as given (default 5, or more with `options`). */
  ihlWords?: number;
  /** Header options (padded to 4 bytes). */
  options?: Buffer;
  /** Total length field, written as given (default: the real length). */
  totalLength?: number;
}

export function ipv4(o: Ipv4Opts): Buffer {
  const opts = o.options ?? Buffer.alloc(0);
  const optLen = (opts.length + 3) & ~3;
  const hlen = 20 + optLen;
  const h = Buffer.alloc(hlen);
  h[0] = 0x40 | ((o.ihlWords ?? hlen / 4) & 0x0f);
  h.writeUInt16BE((o.totalLength ?? hlen + o.payload.length) & 0xffff, 2);
  h.writeUInt16BE((o.id ?? 0) & 0xffff, 4);
  const fo = o.fragOffset ?? 0;
  if (fo % 8 !== 0) throw new Error('fragment offset must be a multiple of 8');
  h.writeUInt16BE((o.mf ? 0x2000 : 0) | (o.dontFragment ? 0x4000 : 0) | (fo / 8), 6);
  h[8] = o.ttl ?? 64;
  h[9] = o.proto;
  addr(o.src).copy(h, 12);
  addr(o.dst).copy(h, 16);
  opts.copy(h, 20);
  h.writeUInt16BE(inetChecksum(h), 10);
  return Buffer.concat([h, o.payload]);
}

export interface Ipv6ExtHeader {
  /** Extension header type number (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options, …). */
  type: number;
  /** The header's bytes after next-header and length (padded so the whole is a multiple of 8). */
  body?: Buffer;
}

export interface Ipv6Opts {
  src: string;
  dst: string;
  /** Upper-layer protocol after the extension headers. */
  proto: number;
  payload: Buffer;
  ext?: Ipv6ExtHeader[];
  hopLimit?: number;
  /** Payload length field, written as given (default: the real length). */
  payloadLength?: number;
}

export function ipv6(o: Ipv6Opts): Buffer {
  const exts = o.ext ?? [];
  const parts: Buffer[] = [];
  for (let i = 0; i < exts.length; i++) {
    const next = i + 1 < exts.length ? exts[i + 1].type : o.proto;
    const e = exts[i];
    let body = e.body ?? Buffer.alloc(6);
    if (e.type === 44) {
      const b = Buffer.alloc(8);
      b[0] = next;
      (e.body ?? Buffer.alloc(6)).copy(b, 2, 0, 6);
      parts.push(b);
      continue;
    }
    const total = Math.max(8, (2 + body.length + 7) & ~7);
    body = Buffer.concat([body, Buffer.alloc(total - 2 - body.length)]);
    parts.push(Buffer.concat([Buffer.from([next, total / 8 - 1]), body]));
  }
  const rest = Buffer.concat([...parts, o.payload]);
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE((o.payloadLength ?? rest.length) & 0xffff, 4);
  h[6] = exts.length > 0 ? exts[0].type : o.proto;
  h[7] = o.hopLimit ?? 64;
  addr(o.src).copy(h, 8);
  addr(o.dst).copy(h, 24);
  return Buffer.concat([h, rest]);
}

/** An IPv6 Fragment extension header's body: offset in bytes (multiple of 8), more-fragments flag, id. */
export function ipv6FragBody(offset: number, more: boolean, id: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(offset | (more ? 1 : 0), 0);
  b.writeUInt32BE(id >>> 0, 2);
  return b;
}

/** UDP header and payload; checksum 0 (allowed over IPv4, not checked by tshark by default). */
export function udp(sport: number, dport: number, payload: Buffer, length = 8 + payload.length): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(length & 0xffff, 4);
  return Buffer.concat([h, payload]);
}

export interface TcpOpts {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  payload?: Buffer;
  window?: number;
  /** Data offset field in 32-bit words, written as given (default 5). */
  dataOffsetWords?: number;
}

export function tcp(o: TcpOpts): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(o.sport, 0);
  h.writeUInt16BE(o.dport, 2);
  h.writeUInt32BE(o.seq >>> 0, 4);
  h.writeUInt32BE((o.ack ?? 0) >>> 0, 8);
  h[12] = ((o.dataOffsetWords ?? 5) & 0x0f) << 4;
  h[13] = o.flags;
  h.writeUInt16BE(o.window ?? 65535, 14);
  return Buffer.concat([h, o.payload ?? Buffer.alloc(0)]);
}

/** Ethernet + IPv4 + UDP in one call. */
export function udp4Frame(src: string, dst: string, sport: number, dport: number, payload: Buffer, ip: Partial<Ipv4Opts> = {}): Buffer {
  return ethernet(ipv4({ src, dst, proto: PROTO_UDP, payload: udp(sport, dport, payload), ...ip }), ETH_IPV4);
}

/** Ethernet + IPv4 + TCP in one call. */
export function tcp4Frame(src: string, dst: string, t: TcpOpts, ip: Partial<Ipv4Opts> = {}): Buffer {
  return ethernet(ipv4({ src, dst, proto: PROTO_TCP, payload: tcp(t), ...ip }), ETH_IPV4);
}

// ---------------------------------------------------------------- DNS

/** Encodes a name as uncompressed labels ending with the root. */
export function dnsName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of name.split('.').filter((l) => l.length > 0)) {
    const b = Buffer.from(label, 'latin1');
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A standard query for one name (class IN). */
export function dnsQuery(id: number, name: string, type = 1): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x0100, 2);
  h.writeUInt16BE(1, 4);
  const q = Buffer.alloc(4);
  q.writeUInt16BE(type, 0);
  q.writeUInt16BE(1, 2);
  return Buffer.concat([h, dnsName(name), q]);
}

// ---------------------------------------------------------------- reading real captures back

export interface ReadCapture {
  linktype: number;
  frames: Frame[];
}

/** Every frame of a capture file (copied), with the first link type seen. */
export function readFrames(file: string): ReadCapture {
  const frames: Frame[] = [];
  let linktype = -1;
  const sink: FrameSink = {
    frame(data, off, caplen, wirelen, ts, lt) {
      if (linktype < 0) linktype = lt;
      frames.push({ ts, data: Buffer.from(data.subarray(off, off + caplen)), wirelen });
    },
    malformed() {},
  };
  readCaptureFile(file, sink);
  return { linktype, frames };
}

export interface Layers {
  /** Offset of the IP header in the frame. */
  ip: number;
  fam: 4 | 6;
  proto: number;
  /** Offset of the transport header. */
  l4: number;
  sport: number;
  dport: number;
  /** Transport payload [payload, payloadEnd). */
  payload: number;
  payloadEnd: number;
  /** TCP only. */
  seq: number;
  flags: number;
}

/**
 * Finds IP and TCP/UDP inside an Ethernet (optionally one 802.1Q tag), raw-IP or Linux SLL frame.
 * Only whole, unfragmented IPv4/IPv6 packets without IPv6 extension headers; null for anything else.
 */
export function layers(frame: Buffer, linktype: number): Layers | null {
  let ip: number;
  if (linktype === LINKTYPE_ETHERNET) {
    let et = frame.readUInt16BE(12);
    ip = 14;
    if (et === 0x8100) {
      et = frame.readUInt16BE(16);
      ip = 18;
    }
    if (et !== ETH_IPV4 && et !== ETH_IPV6) return null;
  } else if (linktype === 101 || linktype === 228 || linktype === 229) {
    ip = 0;
  } else if (linktype === 113) {
    ip = 16;
  } else {
    return null;
  }
  if (frame.length < ip + 20) return null;
  const version = frame[ip] >> 4;
  let proto: number, l4: number, end: number;
  if (version === 4) {
    const fo = frame.readUInt16BE(ip + 6);
    if ((fo & 0x3fff) !== 0) return null;
    proto = frame[ip + 9];
    l4 = ip + (frame[ip] & 0x0f) * 4;
    end = Math.min(frame.length, ip + frame.readUInt16BE(ip + 2));
  } else if (version === 6) {
    proto = frame[ip + 6];
    l4 = ip + 40;
    end = Math.min(frame.length, l4 + frame.readUInt16BE(ip + 4));
  } else {
    return null;
  }
  if (proto === PROTO_UDP && end - l4 >= 8) {
    return {
      ip, fam: version === 4 ? 4 : 6, proto, l4, sport: frame.readUInt16BE(l4), dport: frame.readUInt16BE(l4 + 2),
      payload: l4 + 8, payloadEnd: end, seq: 0, flags: 0,
    };
  }
  if (proto === PROTO_TCP && end - l4 >= 20) {
    const hl = (frame[l4 + 12] >> 4) * 4;
    return {
      ip, fam: version === 4 ? 4 : 6, proto, l4, sport: frame.readUInt16BE(l4), dport: frame.readUInt16BE(l4 + 2),
      payload: l4 + hl, payloadEnd: end, seq: frame.readUInt32BE(l4 + 4), flags: frame[l4 + 13],
    };
  }
  return null;
}
