import type { PacketView } from '../decode/packet.js';

/**
 * The flow table: every conversation (protocol + two endpoints) gets a small integer index, and its
 * counters live in typed arrays indexed by it. Lookups hash the numeric 5-tuple directly — no string
 * keys, no per-packet objects — with open addressing in an Int32Array.
 *
 * Side "c" is the client (the side that opened the connection), side "s" the server.
 */

export const DIR_TO_SERVER = 0;
export const DIR_TO_CLIENT = 1;

const INITIAL_CAPACITY = 1024;

export class FlowTable {
  /** Flow indexes in use so far (a high-water mark): live flows are those below it with `alive` set. */
  count = 0;
  /** Flows in the table now. */
  live = 0;
  /** Flows retired so far (finished or idle, their slots reused). */
  retired = 0;
  /** When set, indexes given to new flows after a retirement are listed in `recycled` for a live reader. */
  trackReuse = false;
  readonly recycled: number[] = [];
  private readonly free: number[] = [];
  /** Set by `lookup`: the direction of the packet just looked up. */
  dir = DIR_TO_SERVER;
  /** Set by `lookup`: whether the flow was created by this packet. */
  created = false;
  /** Packets of new flows refused because the table was full. */
  refused = 0;

  private cap = 0;
  fam = new Uint8Array(0);
  proto = new Uint8Array(0);
  cAddr = new Uint32Array(0);
  sAddr = new Uint32Array(0);
  cPort = new Uint16Array(0);
  sPort = new Uint16Array(0);
  pktsToServer = new Uint32Array(0);
  pktsToClient = new Uint32Array(0);
  bytesToServer = new Float64Array(0);
  bytesToClient = new Float64Array(0);
  first = new Float64Array(0);
  last = new Float64Array(0);
  service = new Uint8Array(0);
  /** Set by application decoders once they have all they want from a flow, so later packets skip them. */
  appDone = new Uint8Array(0);
  alive = new Uint8Array(0);
  /** TCP teardown seen: bit 0 FIN from the client, bit 1 FIN from the server; 3 also for a reset. */
  closed = new Uint8Array(0);
  /** The capture's app (AppTable index + 1) that made the flow; 0 when the capture does not say. */
  app = new Int32Array(0);
  private hashes = new Int32Array(0);
  private slots = new Int32Array(0);
  private mask = 0;

  /** `maxFlows` bounds the flows in the table at once; retired flows leave room for new ones. */
  constructor(readonly maxFlows = 1_000_000) {
    this.grow(INITIAL_CAPACITY);
  }

  /**
   * Finds (or creates) the flow of this packet. Returns its index, or -1 when the table is full.
   * `clientIsSrc` decides the orientation of a new flow.
   */
  lookup(p: PacketView, clientIsSrc: boolean): number {
    const s = p.src, d = p.dst;
    const hs = mix(mix(mix(mix(p.sport, s[0]), s[1]), s[2]), s[3]);
    const hd = mix(mix(mix(mix(p.dport, d[0]), d[1]), d[2]), d[3]);
    // XOR makes the hash the same in both directions, so one probe sequence finds the flow either way.
    const h = mix(hs ^ hd, p.proto | (p.fam << 8)) | 0;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const slot = this.slots[i];
      if (slot === 0) break;
      const f = slot - 1;
      if (this.hashes[f] === h && this.proto[f] === p.proto && this.fam[f] === p.fam) {
        const o = f * 4;
        if (this.cPort[f] === p.sport && this.sPort[f] === p.dport &&
            this.cAddr[o + 3] === s[3] && this.sAddr[o + 3] === d[3] &&
            this.cAddr[o] === s[0] && this.cAddr[o + 1] === s[1] && this.cAddr[o + 2] === s[2] &&
            this.sAddr[o] === d[0] && this.sAddr[o + 1] === d[1] && this.sAddr[o + 2] === d[2]) {
          this.dir = DIR_TO_SERVER;
          this.created = false;
          return f;
        }
        if (this.cPort[f] === p.dport && this.sPort[f] === p.sport &&
            this.cAddr[o + 3] === d[3] && this.sAddr[o + 3] === s[3] &&
            this.cAddr[o] === d[0] && this.cAddr[o + 1] === d[1] && this.cAddr[o + 2] === d[2] &&
            this.sAddr[o] === s[0] && this.sAddr[o + 1] === s[1] && this.sAddr[o + 2] === s[2]) {
          this.dir = DIR_TO_CLIENT;
          this.created = false;
          return f;
        }
      }
      i = (i + 1) & mask;
    }
    if (this.live >= this.maxFlows) {
      this.refused++;
      return -1;
    }
    let f: number;
    if (this.free.length > 0) {
      f = this.free.pop()!;
      this.pktsToServer[f] = 0;
      this.pktsToClient[f] = 0;
      this.bytesToServer[f] = 0;
      this.bytesToClient[f] = 0;
      this.service[f] = 0;
      this.appDone[f] = 0;
      this.closed[f] = 0;
      this.app[f] = 0;
      if (this.trackReuse) this.recycled.push(f);
    } else {
      if (this.count === this.cap) {
        this.grow(this.cap * 2);
        return this.lookup(p, clientIsSrc);
      }
      f = this.count++;
    }
    this.live++;
    this.alive[f] = 1;
    this.slots[i] = f + 1;
    this.hashes[f] = h;
    this.fam[f] = p.fam;
    this.proto[f] = p.proto;
    const o = f * 4;
    const c = clientIsSrc ? s : d;
    const v = clientIsSrc ? d : s;
    this.cAddr[o] = c[0]; this.cAddr[o + 1] = c[1]; this.cAddr[o + 2] = c[2]; this.cAddr[o + 3] = c[3];
    this.sAddr[o] = v[0]; this.sAddr[o + 1] = v[1]; this.sAddr[o + 2] = v[2]; this.sAddr[o + 3] = v[3];
    this.cPort[f] = clientIsSrc ? p.sport : p.dport;
    this.sPort[f] = clientIsSrc ? p.dport : p.sport;
    this.first[f] = p.ts;
    this.last[f] = p.ts;
    this.dir = clientIsSrc ? DIR_TO_SERVER : DIR_TO_CLIENT;
    this.created = true;
    return f;
  }

  /**
   * Takes flow f out of the table (its caller has kept what it needs): the 5-tuple is no longer found
   * and the index is given to a later flow. Linear probing needs the entries after the hole moved up.
   */
  retire(f: number): void {
    if (this.alive[f] !== 1) return;
    const mask = this.mask;
    let i = this.hashes[f]! & mask;
    while (this.slots[i] !== f + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = this.slots[j]!;
      if (s === 0) break;
      const k = this.hashes[s - 1]! & mask;
      // The entry at j may move into the hole at i only if its home slot k is not in (i, j].
      if (i <= j ? k <= i || k > j : k <= i && k > j) {
        this.slots[i] = s;
        i = j;
      }
    }
    this.slots[i] = 0;
    this.alive[f] = 0;
    this.live--;
    this.retired++;
    this.free.push(f);
  }

  /** Adds one packet to the counters of flow f in direction `dir`. */
  count1(f: number, dir: number, bytes: number, ts: number): void {
    if (dir === DIR_TO_SERVER) {
      this.pktsToServer[f]++;
      this.bytesToServer[f] += bytes;
    } else {
      this.pktsToClient[f]++;
      this.bytesToClient[f] += bytes;
    }
    if (ts > this.last[f]) this.last[f] = ts;
    if (ts < this.first[f]) this.first[f] = ts;
  }

  private grow(cap: number): void {
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.fam = copy(this.fam, cap);
    this.proto = copy(this.proto, cap);
    this.cAddr = copy(this.cAddr, cap * 4);
    this.sAddr = copy(this.sAddr, cap * 4);
    this.cPort = copy(this.cPort, cap);
    this.sPort = copy(this.sPort, cap);
    this.pktsToServer = copy(this.pktsToServer, cap);
    this.pktsToClient = copy(this.pktsToClient, cap);
    this.bytesToServer = copy(this.bytesToServer, cap);
    this.bytesToClient = copy(this.bytesToClient, cap);
    this.first = copy(this.first, cap);
    this.last = copy(this.last, cap);
    this.service = copy(this.service, cap);
    this.appDone = copy(this.appDone, cap);
    this.app = copy(this.app, cap);
    this.alive = copy(this.alive, cap);
    this.closed = copy(this.closed, cap);
    this.hashes = copy(this.hashes, cap);
    this.cap = cap;
    // Keep the load factor at or below one half.
    const size = cap * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let f = 0; f < this.count; f++) {
      if (this.alive[f] !== 1) continue;
      let i = this.hashes[f] & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = f + 1;
    }
  }
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}
