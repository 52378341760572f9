import { crc32 } from 'node:zlib';
import type { CaptureSummary, FrameSink } from '../capture/types.js';
import { forgetRecentNames } from '../decode/dns.js';
import { decodeIp } from '../decode/ip.js';
import { LINK_TRUNCATED, LINKTYPE_ETHERNET, networkOffset, NOT_IP, NOT_IP_NAMES } from '../decode/link.js';
import {
  PacketView, PROTO_ICMP, PROTO_ICMP6, PROTO_TCP, PROTO_UDP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN,
} from '../decode/packet.js';
import { forgetRecentAddresses } from '../decode/text.js';
import { decodeTransport } from '../decode/transport.js';
import { FragmentReassembler } from '../flows/ipfrag.js';
import { DIR_TO_SERVER, FlowTable } from '../flows/table.js';
import type { Facts } from './facts.js';
import { FactCollector } from './collector.js';
import { TcpApps } from './tcp-apps.js';
import { UdpApps } from './udp-apps.js';

export interface EngineOptions {
  /**
   * Most flows tracked; packets of further new flows are counted but not attributed. A phone makes a few
   * thousand connections in a check; the bound keeps a hostile or enormous capture within memory.
   */
  maxFlows?: number;
  /**
   * Keep this many first bytes of each connection's payload in each direction (facts.payloadHeads), for
   * payload-content rules. 0, the default, keeps none.
   */
  keepHeads?: number;
}

export const DEFAULT_MAX_FLOWS = 80_000;
/**
 * Finished flows leave the table, so that a capture of days is read to its end: a TCP connection some
 * seconds after its last FIN or reset, any flow idle for long. Timeouts are in capture time. A flow
 * that resumes after retirement starts a new connection.
 */
const SWEEP_SECONDS = 60;
const CLOSED_LINGER_SECONDS = 10;
const UDP_IDLE_SECONDS = 600;
const TCP_IDLE_SECONDS = 2 * 3600;
/** PCAPdroid's older pcap export: a 32-byte trailer after each packet (magic, uid, label, CRC-32). */
const TRAILER_MAGIC = 0x01072021;
const TRAILER_BYTES = 32;
/** 10000-01-01: later times cannot be written in ISO 8601 and only come from damaged files. */
const MAX_TIMESTAMP = 253402300800;

/**
 * The decoding engine: receives frames from a capture reader and turns them into facts.
 * Link → IP (with fragment reassembly) → TCP/UDP/ICMP → flow table → application decoders.
 * The per-packet path works on one reused PacketView and typed-array flow counters; objects are
 * created only for things worth reporting (a DNS message, a handshake, a request).
 */
export class Engine implements FrameSink {
  readonly flows: FlowTable;
  readonly facts: FactCollector;
  private readonly p = new PacketView();
  private readonly frags = new FragmentReassembler();
  private readonly tcp: TcpApps;
  private readonly udp: UdpApps;
  private readonly malformedCounts = new Map<string, number>();
  /** Frames that are not IP but are counted, so a capture of them is not mistaken for an empty one. */
  private readonly otherFrames = new Map<string, number>();
  private frames = 0;
  private firstTs = Infinity;
  private lastTs = -Infinity;
  private lastExpiry = 0;
  private lastSweep = -Infinity;
  /** The app (AppTable index) of the frame being decoded, -1 when the capture does not say. */
  private frameApp = -1;

  constructor(opts: EngineOptions = {}) {
    forgetRecent();
    this.flows = new FlowTable(opts.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.facts = new FactCollector(this.flows);
    const bad = (kind: string): void => this.malformed(kind);
    const keepHeads = Math.max(0, Math.min(opts.keepHeads ?? 0, 64 * 1024));
    this.tcp = new TcpApps(this.flows, this.facts, bad, keepHeads);
    this.udp = new UdpApps(this.flows, this.facts, bad, keepHeads);
  }

  malformed(kind: string): void {
    this.malformedCounts.set(kind, (this.malformedCounts.get(kind) ?? 0) + 1);
  }

  /** An app the capture file names (PCAPdroid's UID map). */
  app(uid: number, packageName: string, appName: string): void {
    this.facts.apps.define(uid, packageName, appName);
  }

  frame(data: Buffer, off: number, caplen: number, wirelen: number, ts: number, linktype: number, uid?: number): void {
    this.frames++;
    if (!(ts >= 0 && ts < MAX_TIMESTAMP)) {
      // A damaged timestamp would wreck durations and timelines: take the previous frame's time instead.
      this.malformed('capture.bad-timestamp');
      ts = this.lastTs > -Infinity ? this.lastTs : 0;
    }
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
    const net = networkOffset(linktype, data, off, caplen);
    if (net < 0) {
      if (net === LINK_TRUNCATED) this.malformed('link.truncated');
      else if (net !== NOT_IP) {
        const name = NOT_IP_NAMES[net]!;
        this.otherFrames.set(name, (this.otherFrames.get(name) ?? 0) + 1);
      }
      return;
    }
    this.frameApp = uid === undefined ? -1 : this.facts.apps.indexOf(uid);
    // PCAPdroid's trailer sits behind the IP datagram of a frame with an all-zero Ethernet header.
    if (linktype === LINKTYPE_ETHERNET && caplen >= 14 + 20 + TRAILER_BYTES && net === off + 14 && zeroMacs(data, off)) {
      const end = off + caplen;
      if (end - ipDatagramEnd(data, net, end) >= TRAILER_BYTES) {
        const t = end - TRAILER_BYTES;
        if (data.readUInt32BE(t) !== TRAILER_MAGIC) this.malformed('pcapdroid.trailer-bad-magic');
        else if (!trailerChecksumOk(data, off, end)) this.malformed('pcapdroid.trailer-bad-checksum');
        else {
          let z = data.indexOf(0, t + 8);
          if (z < 0 || z > t + 28) z = t + 28;
          this.frameApp = this.facts.apps.label(data.readInt32BE(t + 4), data.toString('utf8', t + 8, z));
          caplen -= TRAILER_BYTES;
          wirelen = Math.max(0, wirelen - TRAILER_BYTES);
        }
      }
    }
    const p = this.p;
    p.ts = ts;
    p.wirelen = wirelen;
    const err = decodeIp(p, data, net, off + caplen);
    if (err !== null) {
      this.malformed(err);
      return;
    }
    if (p.isFragment) {
      this.fragment(p);
      return;
    }
    this.transport(p, wirelen);
  }

  private fragment(p: PacketView): void {
    if (p.ts - this.lastExpiry > 10) {
      this.frags.expire(p.ts);
      this.lastExpiry = p.ts;
    }
    const whole = this.frags.add(p);
    if (whole === null) return;
    p.buf = whole.data;
    p.l4Off = 0;
    p.l4Len = whole.data.length;
    p.l4WireLen = whole.data.length;
    p.isFragment = false;
    this.transport(p, whole.wireBytes);
  }

  private transport(p: PacketView, bytes: number): void {
    const proto = p.proto;
    if (proto !== PROTO_TCP && proto !== PROTO_UDP && proto !== PROTO_ICMP && proto !== PROTO_ICMP6) return;
    const err = decodeTransport(p);
    if (err !== null) {
      this.malformed(err);
      return;
    }
    let clientIsSrc: boolean;
    if (proto === PROTO_TCP) {
      const f = p.tcpFlags;
      clientIsSrc = (f & TCP_SYN) !== 0 ? (f & TCP_ACK) === 0 : !looksLikeServerPort(p.sport, p.dport);
    } else if (proto === PROTO_UDP) {
      clientIsSrc = !looksLikeServerPort(p.sport, p.dport);
    } else {
      // ICMP: one conversation per pair of hosts; the first sender is taken as the client.
      p.sport = 0;
      p.dport = 0;
      clientIsSrc = true;
    }
    const flows = this.flows;
    if (p.ts - this.lastSweep >= SWEEP_SECONDS) this.sweep(p.ts);
    let f = flows.lookup(p, clientIsSrc);
    if (f < 0) {
      // A full table: retire what has finished now rather than at the next sweep, and try once more
      // (at most once a second of capture time: a flood of new flows must not make every packet a sweep).
      if (p.ts - this.lastSweep < 1 || this.sweep(p.ts) === 0) return;
      flows.refused--;
      f = flows.lookup(p, clientIsSrc);
      if (f < 0) return;
    }
    const dir = flows.dir;
    if (proto === PROTO_TCP) {
      const fl = p.tcpFlags;
      if ((fl & TCP_RST) !== 0) flows.closed[f] = 3;
      else if ((fl & TCP_FIN) !== 0) flows.closed[f] |= dir === DIR_TO_SERVER ? 1 : 2;
      else if ((fl & TCP_SYN) !== 0 && (fl & TCP_ACK) === 0) flows.closed[f] = 0;
    }
    if (this.frameApp >= 0 && flows.app[f] === 0) flows.app[f] = this.frameApp + 1;
    flows.count1(f, dir, bytes, p.ts);
    if (proto === PROTO_TCP) this.tcp.packet(p, f, dir);
    else if (proto === PROTO_UDP && p.payLen > 0) this.udp.packet(p, f, dir);
  }

  /** Retires the flows that have finished by capture time `now`; returns how many. */
  private sweep(now: number): number {
    this.lastSweep = now;
    const flows = this.flows;
    let n = 0;
    for (let f = 0; f < flows.count; f++) {
      if (flows.alive[f] !== 1) continue;
      const idle = now - flows.last[f]!;
      const done = flows.proto[f] === PROTO_TCP
        ? (flows.closed[f] === 3 && idle >= CLOSED_LINGER_SECONDS) || idle >= TCP_IDLE_SECONDS
        : idle >= UDP_IDLE_SECONDS;
      if (!done) continue;
      this.tcp.retire(f);
      this.udp.retire(f);
      this.facts.retire(f);
      flows.retire(f);
      n++;
    }
    return n;
  }

  /** Builds the facts once the reader has finished. */
  finish(summary: CaptureSummary, opts: { connections?: boolean } = {}): Facts {
    if (this.frags.incomplete > 0) this.malformedCounts.set('ip.fragments-incomplete', this.frags.incomplete);
    if (this.frags.dropped > 0) this.malformedCounts.set('ip.fragments-dropped', this.frags.dropped);
    if (this.flows.refused > 0) this.malformedCounts.set('flows.table-full', this.flows.refused);
    const apps = this.facts.apps;
    if (apps.overflow > 0) this.malformedCounts.set('pcapdroid.too-many-apps', apps.overflow);
    const unnamed = apps.unnamed();
    if (unnamed > 0) this.malformedCounts.set('pcapdroid.uid-without-map', unnamed);
    this.tcp.finish();
    forgetRecent();
    const malformed: Record<string, number> = {};
    const kinds = [...this.malformedCounts.keys()].sort();
    for (const k of kinds) malformed[k] = this.malformedCounts.get(k)!;
    return this.facts.build({
      format: summary.format,
      packets: summary.packets,
      bytes: summary.bytes,
      linktypes: summary.linktypes,
      truncated: summary.truncated,
      damageOffset: summary.damageOffset,
      malformed,
      otherFrames: Object.fromEntries([...this.otherFrames].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      firstTs: this.frames > 0 ? this.firstTs : null,
      lastTs: this.frames > 0 ? this.lastTs : null,
    }, opts);
  }
}

/**
 * Empties the decoders' tables of recently made names and addresses, which live as long as the process:
 * at the start of a capture (nothing of another check's capture is reused) and once it is decoded
 * (a server does not keep a survivor's names in memory between checks).
 */
function forgetRecent(): void {
  forgetRecentNames();
  forgetRecentAddresses();
}

function zeroMacs(b: Buffer, off: number): boolean {
  for (let i = off; i < off + 12; i++) if (b[i] !== 0) return false;
  return true;
}

/** Where the IP datagram at `net` ends by its own length field (the frame end when it cannot say). */
function ipDatagramEnd(b: Buffer, net: number, end: number): number {
  const v = b[net]! >> 4;
  // A length of 0 (segmentation offload, jumbograms) says nothing: no trailer is looked for.
  if (v === 4 && net + 4 <= end) {
    const total = (b[net + 2]! << 8) | b[net + 3]!;
    return total < 20 ? end : net + total;
  }
  if (v === 6 && net + 6 <= end) {
    const payload = (b[net + 4]! << 8) | b[net + 5]!;
    return payload === 0 ? end : net + 40 + payload;
  }
  return end;
}

/**
 * The trailer's CRC-32 covers the frame up to the checksum itself. PCAPdroid stores it in the phone's
 * byte order (little-endian) while the rest of the trailer is in network order: either is accepted.
 */
function trailerChecksumOk(b: Buffer, off: number, end: number): boolean {
  const c = crc32(b.subarray(off, end - 4)) >>> 0;
  return b.readUInt32BE(end - 4) === c || b.readUInt32LE(end - 4) === c;
}

/** Ports below 1024 belong to servers; when only the source has one, the packet came from the server. */
function looksLikeServerPort(sport: number, dport: number): boolean {
  return sport < 1024 && sport < dport;
}
