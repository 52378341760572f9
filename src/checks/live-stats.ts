/**
 * Counters for the live view of a check, fed by the same frames as the decoding engine. The engine
 * keeps its own state; this only reads what it already built (flows, DNS, SNI) so the live screen costs
 * no second decode.
 */
import { isIP } from 'node:net';
import type { FrameSink } from '../capture/types.js';
import type { Indicators } from '../indicators/matcher.js';
import type { Engine } from '../engine/engine.js';

/** A sparkline needs a few minutes, not the whole capture. */
const SERIES_KEEP = 300;

export interface SecondPoint {
  /** Seconds since the capture started. */
  t: number;
  packets: number;
  bytes: number;
}

export interface LiveSnapshot {
  elapsedSeconds: number;
  packets: number;
  bytes: number;
  servers: number;
  deviceSeen: boolean;
  /** The address the device used first (the client side of its first connection), once seen. */
  deviceAddress: string | null;
  series: SecondPoint[];
}

export class LiveStats implements FrameSink {
  packets = 0;
  bytes = 0;
  private readonly series: SecondPoint[] = [];
  private readonly servers = new Set<string>();
  private readonly serverList: string[] = [];
  private serversMatched = 0;
  private flowsSeen = 0;
  private dnsSeen = 0;
  private tlsSeen = 0;
  private quicSeen = 0;
  private httpSeen = 0;
  private readonly hits = new Set<string>();
  private deviceAddress: string | null = null;
  private firstFrame: (() => void) | null;
  /** The last snapshot and what it was made from: polls within the same tenth of a second with no new frame get it again. */
  private memo: { snap: LiveSnapshot; packets: number; tenths: number; servers: number } | null = null;

  /**
   * `device`: the address the check is limited to, when it is given as an IP address. The device is then
   * that address whichever side of a connection it is on: a check of 127.0.0.9 that sees 127.0.0.1 open a
   * connection to it must not name 127.0.0.1 as the phone.
   */
  private readonly device: string | null;

  constructor(
    private readonly engine: Engine,
    private readonly startedAtMs: number,
    onFirstFrame: () => void,
    private readonly now: () => number = Date.now,
    device: string | null = null,
  ) {
    this.firstFrame = onFirstFrame;
    this.device = device !== null && isIP(device.trim()) !== 0 ? canonical(device.trim()) : null;
    // Flows that finish leave the table and their indexes are reused: new flows in them are listed for us.
    engine.flows.trackReuse = true;
  }

  frame(data: Buffer, off: number, caplen: number, wirelen: number, ts: number, linktype: number, uid?: number): void {
    this.packets++;
    this.bytes += wirelen;
    const t = Math.max(0, Math.floor((this.now() - this.startedAtMs) / 1000));
    const last = this.series[this.series.length - 1];
    if (last !== undefined && last.t === t) {
      last.packets++;
      last.bytes += wirelen;
    } else {
      this.series.push({ t, packets: 1, bytes: wirelen });
      if (this.series.length > SERIES_KEEP) this.series.shift();
    }
    this.engine.frame(data, off, caplen, wirelen, ts, linktype, uid);
    if (this.firstFrame !== null) {
      const f = this.firstFrame;
      this.firstFrame = null;
      f();
    }
  }

  malformed(kind: string): void {
    this.engine.malformed(kind);
  }

  app(uid: number, packageName: string, appName: string): void {
    this.engine.app(uid, packageName, appName);
  }

  /** Walks only the flows and facts added since the last call. */
  private catchUp(indicators: Indicators | null): void {
    const flows = this.engine.flows;
    const facts = this.engine.facts;
    const fresh: number[] = [];
    for (; this.flowsSeen < flows.count; this.flowsSeen++) fresh.push(this.flowsSeen);
    if (flows.recycled.length > 0) fresh.push(...flows.recycled.splice(0));
    for (const f of fresh) {
      if (flows.alive[f] !== 1) continue;
      let server = facts.serverAddr(f);
      const client = facts.clientAddr(f);
      if (this.device !== null) {
        // The device is known: the other side of each of its connections is the server.
        if (canonical(client) === this.device) this.deviceAddress = client;
        else if (canonical(server) === this.device) {
          this.deviceAddress = server;
          server = client;
        }
      }
      // A phone joining asks DHCP from 0.0.0.0 before it has an address.
      else if (this.deviceAddress === null && !notAHost(client)) this.deviceAddress = client;
      // "Servers contacted" means places the phone talked to: not DHCP broadcasts, multicast
      // discovery (mDNS, SSDP) or the phone itself seen as the server of a reply.
      if (notAHost(server) || server === this.deviceAddress) continue;
      if (!this.servers.has(server)) {
        this.servers.add(server);
        this.serverList.push(server);
      }
    }
    if (indicators === null) return;
    for (; this.serversMatched < this.serverList.length; this.serversMatched++) {
      const server = this.serverList[this.serversMatched]!;
      if (indicators.matchIp(server).length > 0) this.hits.add(`ip:${server}`);
    }
    const domain = (name: string | null | undefined): void => {
      if (name && indicators.matchDomain(name).length > 0) this.hits.add(`domain:${name.toLowerCase()}`);
    };
    for (; this.dnsSeen < facts.dns.length; this.dnsSeen++) domain(facts.dns[this.dnsSeen]!.query);
    for (; this.tlsSeen < facts.tls.length; this.tlsSeen++) domain(facts.tls[this.tlsSeen]!.sni);
    for (; this.quicSeen < facts.quic.length; this.quicSeen++) domain(facts.quic[this.quicSeen]!.sni);
    for (; this.httpSeen < facts.http.length; this.httpSeen++) domain(facts.http[this.httpSeen]!.host);
  }

  /**
   * The live counters now. A status page polled by many screens asks far more often than frames
   * arrive on a quiet phone: an unchanged snapshot is the same (frozen) object, which lets the API reuse
   * what it serialised from it.
   */
  snapshot(): LiveSnapshot {
    this.catchUp(null);
    const tenths = Math.max(0, Math.round((this.now() - this.startedAtMs) / 100));
    const m = this.memo;
    // Every change to the counters comes with a frame, and the device address and the servers only
    // change when the engine's flows do (caught up just above).
    if (m !== null && m.packets === this.packets && m.tenths === tenths && m.servers === this.servers.size && m.snap.deviceAddress === this.deviceAddress) return m.snap;
    const snap: LiveSnapshot = Object.freeze({
      elapsedSeconds: tenths / 10,
      packets: this.packets,
      bytes: this.bytes,
      servers: this.servers.size,
      deviceSeen: this.packets > 0,
      deviceAddress: this.deviceAddress,
      // Copies: frame() keeps adding to the current second's point.
      series: Object.freeze(this.series.slice(-60).map((p) => Object.freeze({ t: p.t, packets: p.packets, bytes: p.bytes }))) as SecondPoint[],
    });
    this.memo = { snap, packets: this.packets, tenths, servers: this.servers.size };
    return snap;
  }

  /**
   * Distinct indicator values matched so far: for the admin view only. The kiosk screen may be watched
   * by the person who installed the spyware, and a rising count would warn them before the worker can
   * plan safely with the survivor.
   */
  indicatorHits(indicators: Indicators): number {
    this.catchUp(indicators);
    return this.hits.size;
  }
}

/** Addresses that are not one host a phone talks to: unspecified, broadcast and multicast. */
function notAHost(addr: string): boolean {
  if (addr.includes(':')) return addr === '::' || addr.toLowerCase().startsWith('ff');
  if (addr === '0.0.0.0' || addr === '255.255.255.255') return true;
  const first = Number(addr.slice(0, addr.indexOf('.')));
  return first >= 224 && first <= 239;
}

/** One spelling per address: IPv6 in lower case (tcpdump's filter and the decoder may differ in case). */
function canonical(addr: string): string {
  return addr.toLowerCase();
}
