/**
 * Synthetic long captures for the memory bounds: a phone's connections spread over hours (each TCP
 * connection opened and closed, each UDP exchange a query and its answer), or one lookup each for a
 * great many distinct names. Written as a stream of pcap records, so millions of flows never sit in
 * memory; the same generator serves the bench (at full size) and the tests (small).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface LongCaptureOptions {
  /** Connections in all. */
  flows: number;
  /** Seconds the capture spans; connections start evenly over it. */
  seconds: number;
  /** Distinct servers the connections go to (by address). */
  servers: number;
  /** One in this many connections is a UDP exchange (a DNS lookup of a name of its own), the rest TCP. */
  udpEvery?: number;
  /** Start of the capture, seconds since the epoch. */
  start?: number;
}

const PHONE = 0x0a000002; // 10.0.0.2
const RESOLVER = 0x0a000001; // 10.0.0.1

class PcapStream {
  private readonly fd: number;
  private buf = Buffer.alloc(8 << 20);
  private pos = 0;
  bytes = 0;
  packets = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(65535, 16);
    h.writeUInt32LE(101, 20); // raw IP
    this.put(h);
  }

  /** One raw IPv4 packet: header, then `l4` bytes already written by `fill` at the given offset. */
  packet(ts: number, src: number, dst: number, proto: number, l4len: number, fill: (b: Buffer, off: number) => void): void {
    const len = 20 + l4len;
    if (this.pos + 16 + len > this.buf.length) this.flush();
    const b = this.buf;
    let o = this.pos;
    const sec = Math.floor(ts);
    b.writeUInt32LE(sec, o);
    b.writeUInt32LE(Math.round((ts - sec) * 1e6) % 1e6, o + 4);
    b.writeUInt32LE(len, o + 8);
    b.writeUInt32LE(len, o + 12);
    o += 16;
    b.fill(0, o, o + len);
    b[o] = 0x45;
    b.writeUInt16BE(len, o + 2);
    b[o + 8] = 64;
    b[o + 9] = proto;
    b.writeUInt32BE(src >>> 0, o + 12);
    b.writeUInt32BE(dst >>> 0, o + 16);
    fill(b, o + 20);
    this.pos = o + len;
    this.packets++;
  }

  private put(x: Buffer): void {
    if (this.pos + x.length > this.buf.length) this.flush();
    x.copy(this.buf, this.pos);
    this.pos += x.length;
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function tcp(b: Buffer, o: number, sport: number, dport: number, seq: number, ack: number, flags: number, payload: number): void {
  b.writeUInt16BE(sport, o);
  b.writeUInt16BE(dport, o + 2);
  b.writeUInt32BE(seq >>> 0, o + 4);
  b.writeUInt32BE(ack >>> 0, o + 8);
  b[o + 12] = 5 << 4;
  b[o + 13] = flags;
  b.writeUInt16BE(65535, o + 14);
  if (payload > 0) b.fill(0x61, o + 20, o + 20 + payload);
}

function dnsName(b: Buffer, o: number, labels: string[]): number {
  for (const l of labels) {
    b[o++] = l.length;
    o += b.write(l, o, 'latin1');
  }
  b[o++] = 0;
  return o;
}

/** A DNS query (or its answer with one A record) for `name`, as a UDP datagram at b[o]. */
function dns(b: Buffer, o: number, sport: number, id: number, name: string, answer: number | null): void {
  const labels = name.split('.');
  b.writeUInt16BE(sport, o);
  b.writeUInt16BE(53, o + 2);
  if (answer !== null) {
    b.writeUInt16BE(53, o);
    b.writeUInt16BE(sport, o + 2);
  }
  const d = o + 8;
  b.writeUInt16BE(id, d);
  b.writeUInt16BE(answer === null ? 0x0100 : 0x8180, d + 2);
  b.writeUInt16BE(1, d + 4);
  b.writeUInt16BE(answer === null ? 0 : 1, d + 6);
  let q = dnsName(b, d + 12, labels);
  b.writeUInt16BE(1, q);
  b.writeUInt16BE(1, q + 2);
  q += 4;
  if (answer !== null) {
    b.writeUInt16BE(0xc00c, q);
    b.writeUInt16BE(1, q + 2);
    b.writeUInt16BE(1, q + 4);
    b.writeUInt32BE(300, q + 6);
    b.writeUInt16BE(4, q + 10);
    b.writeUInt32BE(answer >>> 0, q + 12);
    q += 16;
  }
  b.writeUInt16BE(q - o, o + 4);
}

function dnsLength(name: string, answer: boolean): number {
  return 8 + 12 + name.length + 2 + 4 + (answer ? 16 : 0);
}

const serverAddr = (i: number): number => (0x64400000 + i) >>> 0; // 100.64.0.0/10

/** A fixed integer hash: the same capture every run. */
function scramble(i: number): number {
  let h = Math.imul(i ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * A day (or any span) of a phone's traffic: `flows` connections, each a whole TCP connection
 * (SYN, SYN-ACK, request, answer, FIN both ways) or a DNS lookup with its answer. Returns the file's
 * size and packet count.
 */
export function writeLongCapture(path: string, o: LongCaptureOptions): { bytes: number; packets: number } {
  const out = new PcapStream(path);
  const start = o.start ?? 1_700_000_000;
  const step = o.seconds / o.flows;
  const udpEvery = o.udpEvery ?? 5;
  for (let i = 0; i < o.flows; i++) {
    const t = start + i * step;
    // Servers in a scrambled order, so that contacts to one server are irregular, as a phone's are (a
    // strict rotation would make every server look polled on a timer); source ports cycle.
    const server = serverAddr(scramble(i) % o.servers);
    const sport = 1024 + (i % 60000);
    if (i % udpEvery === 0) {
      const name = `h${i.toString(36)}.example.net`;
      out.packet(t, PHONE, RESOLVER, 17, dnsLength(name, false), (b, x) => dns(b, x, sport, i & 0xffff, name, null));
      out.packet(t + 0.01, RESOLVER, PHONE, 17, dnsLength(name, true), (b, x) => dns(b, x, sport, i & 0xffff, name, server));
      continue;
    }
    const c = i * 7919;
    const s = i * 104729;
    out.packet(t, PHONE, server, 6, 20, (b, x) => tcp(b, x, sport, 443, c, 0, 0x02, 0));
    out.packet(t + 0.02, server, PHONE, 6, 20, (b, x) => tcp(b, x, 443, sport, s, c + 1, 0x12, 0));
    out.packet(t + 0.03, PHONE, server, 6, 20 + 100, (b, x) => tcp(b, x, sport, 443, c + 1, s + 1, 0x18, 100));
    out.packet(t + 0.05, server, PHONE, 6, 20 + 200, (b, x) => tcp(b, x, 443, sport, s + 1, c + 101, 0x18, 200));
    out.packet(t + 0.06, PHONE, server, 6, 20, (b, x) => tcp(b, x, sport, 443, c + 101, s + 201, 0x11, 0));
    out.packet(t + 0.08, server, PHONE, 6, 20, (b, x) => tcp(b, x, 443, sport, s + 201, c + 102, 0x11, 0));
  }
  out.close();
  return { bytes: out.bytes, packets: out.packets };
}

/** `count` lookups of distinct names, each answered with an address of its own: what inflates names per address. */
export function writeManyNamesCapture(path: string, count: number, opts: { sameAddress?: boolean; longNames?: boolean } = {}): { bytes: number; packets: number } {
  const out = new PcapStream(path);
  for (let i = 0; i < count; i++) {
    const t = 1_700_000_000 + i * 0.01;
    const filler = opts.longNames ? Array(4).fill('x'.repeat(58)).join('.') : 'x'.repeat(20);
    const name = `n${i.toString(36)}-${filler}.example.org`;
    const addr = opts.sameAddress ? serverAddr(1) : serverAddr(i % 4_000_000);
    const sport = 1024 + (i % 60000);
    out.packet(t, PHONE, RESOLVER, 17, dnsLength(name, false), (b, x) => dns(b, x, sport, i & 0xffff, name, null));
    out.packet(t + 0.001, RESOLVER, PHONE, 17, dnsLength(name, true), (b, x) => dns(b, x, sport, i & 0xffff, name, addr));
  }
  out.close();
  return { bytes: out.bytes, packets: out.packets };
}
