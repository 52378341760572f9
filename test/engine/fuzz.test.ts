/**
 * Fuzzing the whole inspect pipeline (reader → engine → decoders → facts) with mutated real captures.
 *
 * Every shared capture is mutated many times — truncated at random offsets, random bytes flipped (anywhere,
 * or only inside packet data so the container stays valid), record/block length fields overwritten with huge
 * or zero values, records duplicated, reordered, spliced in from other captures, files spliced together,
 * magic/header broken, and combinations — and each mutant is decoded in memory with CaptureStreamParser +
 * Engine (no disk I/O per case). Per case it asserts:
 *   - only CaptureFormatError escapes, and only when the file header itself is broken or missing;
 *   - the facts are valid: JSON round-trips, counts are non-negative integers, connections' packets sum to at
 *     most the capture's packets, timestamps are ISO 8601, damage offsets lie inside the file;
 *   - where the mutation leaves the container predictable, the exact number of packets read, whether the
 *     file counts as truncated, and where the damage is (the rest is still analysed);
 *   - time per case is bounded.
 * Cases run in a worker thread per capture: a hang is caught by a watchdog that terminates the worker, and
 * the worker's heap is capped, so unbounded memory fails the test instead of the machine. RSS is checked
 * after all cases.
 *
 * Deterministic: QC_FUZZ_SEED (default below) and QC_FUZZ_CASES (total over all captures, default 3000)
 * override; the seed is printed. A failure names the seed, capture, case number and mutation to replay.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { CaptureStreamParser } from '../../src/capture/reader.js';
import { CaptureFormatError } from '../../src/capture/types.js';
import { Engine } from '../../src/engine/engine.js';
import type { Facts } from '../../src/engine/facts.js';
import { PCAPS, pcap } from '../helpers/paths.js';

const DEFAULT_SEED = 0x51c0ffee;
const DEFAULT_CASES = 3000;
/** A single case taking longer than this (synchronously, so a worker must be killed) is a hang. */
const HANG_MS = 20_000;
/** Slowest case allowed without being a hang: the largest capture decodes in well under 100 ms. */
const SLOW_CASE_MS = 3_000;
const WORKER_HEAP_MB = 384;
const RSS_LIMIT = 400 * 1024 * 1024;
const MiB = 1024 * 1024;

// ------------------------------------------------------------------------------------------ shared pieces

interface WorkerInput {
  name: string;
  seed: number;
  cases: number;
}

interface CaseFailure {
  index: number;
  mutation: string;
  problem: string;
}

interface WorkerResult {
  cases: number;
  threw: number;
  exact: number;
  maxCaseMs: number;
  totalMs: number;
  rssPeak: number;
  heapGrowth: number | null;
  failures: CaseFailure[];
  failureCount: number;
  malformedKinds: string[];
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
}

/** A small seeded PRNG (32-bit state, integer hash output); uniform in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function getGc(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    return null;
  }
}

const captureNames = (): string[] => readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

// ------------------------------------------------------------------------------------------ container model

interface Unit {
  off: number;
  len: number;
  /** pcapng block type; 0 for pcap records. */
  type: number;
  /** True for a record/block that delivers a frame. */
  packet: boolean;
}

interface Container {
  name: string;
  bytes: Buffer;
  format: 'pcap' | 'pcapng';
  le: boolean;
  /** Bytes that must be intact for the file to be recognised: pcap global header / first pcapng block. */
  headerLen: number;
  /** Units before the first packet unit (pcapng SHB, IDBs); empty for pcap (its header is not a unit). */
  lead: Unit[];
  /** The records/blocks after the lead, in file order, as far as they are whole. */
  units: Unit[];
  /** End of the last whole unit (may be less than bytes.length in a cut capture). */
  unitsEnd: number;
  /** Largest caplen the reader accepts in this pcap (MAX_PCAP_RECORD, or less with a small snaplen). */
  maxCaplen: number;
  packets: number;
}

function parseContainer(name: string, bytes: Buffer): Container {
  const magic = bytes.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) {
    const le = bytes.readUInt32LE(8) === 0x1a2b3c4d;
    const r32 = (p: number): number => (le ? bytes.readUInt32LE(p) : bytes.readUInt32BE(p));
    const lead: Unit[] = [];
    const units: Unit[] = [];
    let p = 0;
    while (p + 12 <= bytes.length) {
      const type = r32(p);
      const len = r32(p + 4);
      if (len < 12 || p + len > bytes.length) break;
      const packet = type === 6 || type === 3 || type === 2;
      const u: Unit = { off: p, len, type, packet };
      if (units.length === 0 && !packet) lead.push(u);
      else units.push(u);
      p += len;
    }
    return {
      name, bytes, format: 'pcapng', le, headerLen: lead[0].len, lead, units, unitsEnd: p, maxCaplen: 0,
      packets: units.filter((u) => u.packet).length,
    };
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const r32 = (p: number): number => (le ? bytes.readUInt32LE(p) : bytes.readUInt32BE(p));
  const snaplen = r32(16);
  const units: Unit[] = [];
  let p = 24;
  while (p + 16 <= bytes.length) {
    const len = 16 + r32(p + 8);
    if (p + len > bytes.length) break;
    units.push({ off: p, len, type: 0, packet: true });
    p += len;
  }
  const maxCaplen = snaplen > 0 ? Math.min(256 * 1024, snaplen + 64 * 1024) : 256 * 1024;
  return { name, bytes, format: 'pcap', le, headerLen: 24, lead: [], units, unitsEnd: p, maxCaplen, packets: units.length };
}

/** What the reader must report for a mutant whose container stayed predictable. */
interface Expect {
  packets?: number;
  /** A lower bound when the exact count depends on what the damaged bytes happen to say. */
  minPackets?: number;
  truncated?: boolean;
  damageOffset?: number | null;
  malformedKind?: string;
}

interface Mutant {
  bytes: Buffer;
  desc: string;
  expect: Expect | null;
}

const slice = (c: Container, u: Unit): Buffer => c.bytes.subarray(u.off, u.off + u.len);
const headOf = (c: Container): Buffer => c.bytes.subarray(0, c.format === 'pcap' ? 24 : c.units[0]?.off ?? c.unitsEnd);

/** A pcap record re-encoded in the target's byte order. */
function recordFor(target: Container, donor: Container, u: Unit): Buffer {
  const rec = Buffer.from(slice(donor, u));
  if (donor.le === target.le) return rec;
  for (let i = 0; i < 16; i += 4) {
    const v = donor.le ? rec.readUInt32LE(i) : rec.readUInt32BE(i);
    if (target.le) rec.writeUInt32LE(v, i);
    else rec.writeUInt32BE(v, i);
  }
  return rec;
}

class Mutator {
  constructor(
    private readonly rnd: () => number,
    private readonly corpus: Container[],
  ) {}

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  mutate(c: Container): Mutant {
    const kinds = ['truncate', 'flip-any', 'flip-packets', 'length-huge', 'length-small', 'wirelen', 'duplicate',
      'reorder', 'splice-records', 'splice-files', 'header', 'combo'] as const;
    const kind = this.pick(kinds);
    switch (kind) {
      case 'truncate': return this.truncate(c);
      case 'flip-any': return this.flipAny(c.bytes, c.name);
      case 'flip-packets': return this.flipPackets(c);
      case 'length-huge': return this.lengthField(c, true);
      case 'length-small': return this.lengthField(c, false);
      case 'wirelen': return this.wirelen(c);
      case 'duplicate': return this.duplicate(c);
      case 'reorder': return this.reorder(c);
      case 'splice-records': return this.spliceRecords(c);
      case 'splice-files': return this.spliceFiles(c);
      case 'header': return this.header(c);
      case 'combo': {
        const first = this.pick([
          (): Mutant => this.duplicate(c), (): Mutant => this.reorder(c),
          (): Mutant => this.spliceRecords(c), (): Mutant => this.flipPackets(c),
        ]);
        let m = first();
        const steps = [m.desc];
        const more = 1 + this.int(2);
        for (let i = 0; i < more; i++) {
          const cur = m.bytes;
          const next = this.pick([
            (): Mutant => this.flipAny(cur, ''),
            (): Mutant => this.truncateBytes(cur),
            (): Mutant => {
              // The previous step may have broken the container beyond what parseContainer understands.
              let parsed: Container;
              try {
                parsed = parseContainer(c.name, cur);
              } catch {
                return this.flipAny(cur, '');
              }
              return this.lengthField(parsed, this.rnd() < 0.5);
            },
          ])();
          steps.push(next.desc);
          m = next;
        }
        return { bytes: m.bytes, desc: `combo[${steps.join(' ; ')}]`, expect: null };
      }
    }
  }

  /** Cut at a random offset (biased towards the start and towards unit boundaries ± a few bytes). */
  private truncate(c: Container): Mutant {
    const len = c.bytes.length;
    let cut: number;
    const r = this.rnd();
    if (r < 0.15) cut = this.int(Math.min(len, c.headerLen + 8) + 1);
    else if (r < 0.5 && c.units.length > 0) {
      const u = this.pick(c.units);
      cut = Math.max(0, Math.min(len, u.off + this.int(33) - 16));
    } else cut = this.int(len + 1);
    const bytes = Buffer.from(c.bytes.subarray(0, cut));
    const desc = `truncate at ${cut}/${len}`;
    if (cut < c.headerLen || (c.format === 'pcapng' && cut < headOf(c).length)) return { bytes, desc, expect: null };
    // Whole units before the cut are all read; the cut unit (if any) is reported as truncation at its start.
    const whole = c.units.filter((u) => u.off + u.len <= cut);
    const packets = whole.filter((u) => u.packet).length;
    const boundaries = new Set<number>([c.format === 'pcap' ? 24 : headOf(c).length, ...c.units.map((u) => u.off + u.len)]);
    if (boundaries.has(cut)) return { bytes, desc, expect: { packets, truncated: false, damageOffset: null } };
    const damageAt = whole.length > 0 ? whole[whole.length - 1].off + whole[whole.length - 1].len : headOf(c).length;
    return { bytes, desc, expect: { packets, truncated: true, damageOffset: damageAt, malformedKind: 'capture.truncated' } };
  }

  private truncateBytes(b: Buffer): Mutant {
    const cut = this.int(b.length + 1);
    return { bytes: Buffer.from(b.subarray(0, cut)), desc: `truncate at ${cut}`, expect: null };
  }

  private flipAny(src: Buffer, _name: string): Mutant {
    const b = Buffer.from(src);
    const n = 1 + this.int(this.rnd() < 0.8 ? 4 : 64);
    const at: number[] = [];
    for (let i = 0; i < n && b.length > 0; i++) {
      const p = this.int(b.length);
      b[p] ^= 1 + this.int(255);
      at.push(p);
    }
    return { bytes: b, desc: `flip ${n} bytes anywhere at [${at.slice(0, 8).join(',')}${n > 8 ? ',…' : ''}]`, expect: null };
  }

  /** Flips bytes only inside frame data: the container is untouched, so every packet is still read. */
  private flipPackets(c: Container): Mutant {
    const b = Buffer.from(c.bytes);
    const candidates = c.units.filter((u) => u.packet && dataRange(c, u)[1] > dataRange(c, u)[0]);
    if (candidates.length === 0) return this.flipAny(c.bytes, c.name);
    const recs = 1 + this.int(Math.min(8, candidates.length));
    let flipped = 0;
    for (let k = 0; k < recs; k++) {
      const u = this.pick(candidates);
      const [s, e] = dataRange(c, u);
      const n = 1 + this.int(this.rnd() < 0.7 ? 3 : 24);
      for (let i = 0; i < n; i++) {
        const p = s + this.int(e - s);
        // Sometimes set well-known "interesting" values rather than a random XOR.
        b[p] = this.rnd() < 0.3 ? this.pick([0, 0xff, 0x7f, 0x80, 0xc0, 0x3f, 0x01]) : b[p] ^ (1 + this.int(255));
        flipped++;
      }
    }
    return {
      bytes: b, desc: `flip ${flipped} bytes inside ${recs} frames`,
      expect: { packets: c.packets, truncated: c.unitsEnd < c.bytes.length },
    };
  }

  private lengthField(c: Container, huge: boolean): Mutant {
    if (c.units.length === 0) return this.flipAny(c.bytes, c.name);
    const i = this.int(c.units.length);
    const u = c.units[i];
    const b = Buffer.from(c.bytes);
    const w32 = (p: number, v: number): void => {
      if (c.le) b.writeUInt32LE(v >>> 0, p);
      else b.writeUInt32BE(v >>> 0, p);
    };
    const v = huge
      ? this.pick([0xffffffff, 0x80000000, 0x7fffffff, 0x10000000, 0x01000004, 0x00400000 + 4 * this.int(1 << 20)])
      : this.pick([0, 1, 3, 4, 8, 12, 16, 28, 31, u.len - 4, u.len + 4, u.len + 1, this.int(u.len)]);
    const before = c.units.slice(0, i).filter((x) => x.packet).length;
    if (c.format === 'pcap') {
      w32(u.off + 8, v);
      const desc = `record ${i} caplen := ${v}`;
      // A caplen beyond what the reader accepts is damage right there: everything before it is read.
      if (v > c.maxCaplen) {
        return { bytes: b, desc, expect: { packets: before, truncated: true, damageOffset: u.off, malformedKind: 'pcap.bad-record-length' } };
      }
      return { bytes: b, desc, expect: { minPackets: before } };
    }
    const trailing = this.rnd() < 0.3;
    w32(trailing ? u.off + u.len - 4 : u.off + 4, v);
    const desc = `block ${i} (type ${u.type}) ${trailing ? 'trailing' : 'leading'} length := ${v}`;
    if (v !== u.len && (trailing || v < 12 || (v & 3) !== 0 || v > 16 * MiB)) {
      return { bytes: b, desc, expect: { packets: before, truncated: true, damageOffset: u.off, malformedKind: 'pcapng.bad-block-length' } };
    }
    return { bytes: b, desc, expect: { minPackets: before } };
  }

  /** Absurd wire lengths change no structure: every packet is still read. */
  private wirelen(c: Container): Mutant {
    const b = Buffer.from(c.bytes);
    const n = 1 + this.int(16);
    for (let k = 0; k < n && c.units.length > 0; k++) {
      const u = this.pick(c.units);
      if (!u.packet) continue;
      const p = c.format === 'pcap' ? u.off + 12 : u.type === 3 ? u.off + 8 : u.off + 24;
      const v = this.pick([0, 1, 0xffffffff, 0x7fffffff, this.int(0x100000000)]);
      if (c.le) b.writeUInt32LE(v >>> 0, p);
      else b.writeUInt32BE(v >>> 0, p);
    }
    // An SPB's captured length derives from its wire length, so only pcap and EPB keep every frame whole.
    return { bytes: b, desc: `${n} absurd wire lengths`, expect: { packets: c.packets, truncated: c.unitsEnd < c.bytes.length } };
  }

  private duplicate(c: Container): Mutant {
    if (c.units.length === 0) return this.flipAny(c.bytes, c.name);
    const out: Buffer[] = [];
    let added = 0;
    const storm = this.rnd() < 0.2;
    for (const u of c.units) {
      out.push(slice(c, u));
      if (this.rnd() < (storm ? 0.02 : 0.1)) {
        const times = storm ? 50 + this.int(450) : 1 + this.int(3);
        for (let k = 0; k < times; k++) out.push(slice(c, u));
        if (u.packet) added += times;
      }
    }
    return this.rebuild(c, out, `duplicate records (+${added}${storm ? ', storm' : ''})`, c.packets + added);
  }

  private reorder(c: Container): Mutant {
    const units = c.units.slice();
    if (this.rnd() < 0.5) {
      // Full shuffle.
      for (let i = units.length - 1; i > 0; i--) {
        const j = this.int(i + 1);
        [units[i], units[j]] = [units[j], units[i]];
      }
    } else if (units.length > 1) {
      // Reverse a window.
      const a = this.int(units.length);
      const b = Math.min(units.length, a + 2 + this.int(16));
      units.splice(a, b - a, ...units.slice(a, b).reverse());
    }
    const packetsOk = c.format === 'pcap' || c.units.every((u) => u.packet);
    return this.rebuild(c, units.map((u) => slice(c, u)), 'reorder records', packetsOk ? c.packets : null);
  }

  /** Records of other captures of the same format inserted at random places (byte order fixed up). */
  private spliceRecords(c: Container): Mutant {
    const donors = this.corpus.filter((d) => d.format === c.format && d.units.length > 0);
    const donor = this.pick(donors);
    const out = c.units.map((u) => slice(c, u));
    const n = 1 + this.int(Math.min(40, donor.units.length));
    let added = 0;
    for (let k = 0; k < n; k++) {
      const u = this.pick(donor.units);
      const rec = c.format === 'pcap' ? recordFor(c, donor, u) : Buffer.from(slice(donor, u));
      out.splice(this.int(out.length + 1), 0, rec);
      if (u.packet) added++;
    }
    const exact = c.format === 'pcap' ? c.packets + added : null;
    return this.rebuild(c, out, `splice ${n} records from ${donor.name}`, exact);
  }

  /** Head of this file at a random offset followed by the tail of another at a random offset. */
  private spliceFiles(c: Container): Mutant {
    const other = this.pick(this.corpus);
    const a = this.int(c.bytes.length + 1);
    const b = this.int(other.bytes.length + 1);
    return {
      bytes: Buffer.concat([c.bytes.subarray(0, a), other.bytes.subarray(b)]),
      desc: `bytes [0,${a}) + ${other.name}[${b},…)`,
      expect: null,
    };
  }

  /** Damage to the file header: magic, version, snaplen, link type, SHB fields. */
  private header(c: Container): Mutant {
    const b = Buffer.from(c.bytes);
    const r = this.int(4);
    if (r === 0) {
      b.writeUInt32LE(this.int(0x100000000) >>> 0, 0);
      return { bytes: b, desc: 'random magic', expect: null };
    }
    if (r === 1) {
      const p = this.int(c.headerLen);
      b[p] ^= 1 + this.int(255);
      return { bytes: b, desc: `header byte ${p} flipped`, expect: null };
    }
    if (c.format === 'pcap') {
      const w = (p: number, v: number): void => (c.le ? b.writeUInt32LE(v >>> 0, p) : b.writeUInt32BE(v >>> 0, p)) as unknown as void;
      if (r === 2) {
        const v = this.pick([0, 1, 16, 0xffffffff, 0x7fffffff]);
        w(16, v);
        return { bytes: b, desc: `snaplen := ${v}`, expect: null };
      }
      const v = this.pick([0, 1, 101, 113, 228, 229, 276, 147, 0xffff, 0xffffffff, this.int(300)]);
      w(20, v);
      return { bytes: b, desc: `linktype := ${v}`, expect: { packets: c.packets, truncated: c.unitsEnd < c.bytes.length } };
    }
    // pcapng: interface block link type / tsresol damage keeps every block whole.
    const idb = c.lead.find((u) => u.type === 1);
    if (!idb) return this.flipAny(c.bytes, c.name);
    if (r === 2) {
      const v = this.pick([0, 101, 0xffff, this.int(300)]);
      if (c.le) b.writeUInt16LE(v, idb.off + 8);
      else b.writeUInt16BE(v, idb.off + 8);
      return { bytes: b, desc: `IDB linktype := ${v}`, expect: { packets: c.packets } };
    }
    // Overwrite the first option of the IDB with if_tsresol or if_tsoffset holding extreme values.
    const optAt = idb.off + 16;
    if (idb.len >= 16 + 4 + 8 + 4) {
      const w16 = (p: number, v: number): void => void (c.le ? b.writeUInt16LE(v, p) : b.writeUInt16BE(v, p));
      if (this.rnd() < 0.5) {
        w16(optAt, 9);
        w16(optAt + 2, 1);
        b[optAt + 4] = this.pick([0, 0x7f, 0x80, 0xff, 19, 100]);
        return { bytes: b, desc: `IDB if_tsresol := ${b[optAt + 4]}`, expect: { packets: c.packets } };
      }
      w16(optAt, 14);
      w16(optAt + 2, 8);
      const v = this.pick([0x7fffffffffffffffn, -0x8000000000000000n, 0x0000ffff00000000n, -1n]);
      if (c.le) b.writeBigInt64LE(v, optAt + 4);
      else b.writeBigInt64BE(v, optAt + 4);
      return { bytes: b, desc: `IDB if_tsoffset := ${v}`, expect: { packets: c.packets } };
    }
    return this.flipAny(c.bytes, c.name);
  }

  private rebuild(c: Container, records: Buffer[], desc: string, packets: number | null): Mutant {
    const tail = c.bytes.subarray(c.unitsEnd);
    const bytes = Buffer.concat([headOf(c), ...records, tail]);
    const truncated = tail.length > 0;
    return { bytes, desc, expect: packets === null ? null : { packets, truncated } };
  }
}

/** Where a packet unit's frame bytes lie. */
function dataRange(c: Container, u: Unit): [number, number] {
  if (c.format === 'pcap') return [u.off + 16, u.off + u.len];
  if (u.type === 3) return [u.off + 12, u.off + u.len - 4];
  const caplen = c.le ? c.bytes.readUInt32LE(u.off + 20) : c.bytes.readUInt32BE(u.off + 20);
  return [u.off + 28, u.off + 28 + caplen];
}

// ------------------------------------------------------------------------------------------ checking one case

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function decode(bytes: Buffer, rnd: () => number): Facts {
  const engine = new Engine();
  const parser = new CaptureStreamParser(engine);
  // Feed in random chunk sizes, as a pipe would; the parser must not care.
  let off = 0;
  while (off < bytes.length) {
    const n = rnd() < 0.5 ? bytes.length - off : 1 + Math.floor(rnd() * 4096);
    parser.push(bytes.subarray(off, off + n));
    off += n;
  }
  return engine.finish(parser.end());
}

/** Returns a list of violated properties (empty when the facts are sound). */
function checkFacts(f: Facts, size: number, expect: Expect | null): string[] {
  const bad: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) bad.push(what);
  };
  const count = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  let json: string;
  try {
    json = JSON.stringify(f);
    const back = JSON.parse(json) as Facts;
    check(back.connections.length === f.connections.length, 'JSON round trip lost connections');
  } catch (err) {
    bad.push(`JSON.stringify failed: ${String(err)}`);
  }
  const c = f.capture;
  check(c.format === 'pcap' || c.format === 'pcapng', `format ${String(c.format)}`);
  check(count(c.packets), `capture.packets ${c.packets}`);
  check(count(c.bytes) && c.bytes <= size, `capture.bytes ${c.bytes} of ${size}`);
  check(typeof c.truncated === 'boolean', 'truncated not boolean');
  check(c.damageOffset === null || (count(c.damageOffset) && c.damageOffset <= size), `damageOffset ${c.damageOffset}`);
  check(c.damageOffset === null || c.truncated, 'damageOffset set but not truncated');
  for (const [k, n] of Object.entries(c.malformed)) check(count(n) && n > 0, `malformed[${k}] = ${n}`);
  check((c.firstSeen === null) === (c.lastSeen === null), 'firstSeen/lastSeen only one null');
  for (const t of [c.firstSeen, c.lastSeen]) check(t === null || ISO.test(t), `capture time ${t}`);
  if (c.firstSeen !== null && c.lastSeen !== null && ISO.test(c.firstSeen) && ISO.test(c.lastSeen)) {
    check(c.firstSeen <= c.lastSeen, `firstSeen ${c.firstSeen} after lastSeen ${c.lastSeen}`);
  }
  check(c.packets === 0 || c.firstSeen !== null, 'packets but no firstSeen');
  let sum = 0;
  for (const conn of f.connections) {
    sum += conn.packets;
    check(count(conn.packets) && conn.packets >= 1, `connection packets ${conn.packets}`);
    check(count(conn.bytesToServer) && count(conn.bytesToClient), 'connection byte counters');
    check(conn.bytes === conn.bytesToServer + conn.bytesToClient, 'connection bytes ≠ sum of directions');
    check(count(conn.sport) && conn.sport <= 65535 && count(conn.dport) && conn.dport <= 65535, 'ports');
    check(ISO.test(conn.firstSeen) && ISO.test(conn.lastSeen), `connection times ${conn.firstSeen} ${conn.lastSeen}`);
    check(Array.isArray(conn.names), 'names');
  }
  check(sum <= c.packets, `connections hold ${sum} packets of ${c.packets}`);
  const tcpConns = f.connections.filter((x) => x.proto === 'tcp').length;
  const udpConns = f.connections.filter((x) => x.proto === 'udp').length;
  check(f.tls.length <= tcpConns, `${f.tls.length} TLS handshakes on ${tcpConns} TCP connections`);
  check(f.quic.length <= udpConns, `${f.quic.length} QUIC handshakes on ${udpConns} UDP connections`);
  for (const x of [...f.dns, ...f.tls, ...f.quic, ...f.http, ...f.dhcp]) check(ISO.test(x.ts), `fact time ${x.ts}`);
  if (expect !== null) {
    if (expect.packets !== undefined) check(c.packets === expect.packets, `packets ${c.packets}, expected ${expect.packets}`);
    if (expect.minPackets !== undefined) check(c.packets >= expect.minPackets, `packets ${c.packets} < ${expect.minPackets}`);
    if (expect.truncated !== undefined) check(c.truncated === expect.truncated, `truncated ${c.truncated}, expected ${expect.truncated}`);
    if (expect.damageOffset !== undefined) check(c.damageOffset === expect.damageOffset, `damageOffset ${c.damageOffset}, expected ${expect.damageOffset}`);
    if (expect.malformedKind !== undefined) check((c.malformed[expect.malformedKind] ?? 0) >= 1, `malformed lacks ${expect.malformedKind}: ${JSON.stringify(c.malformed)}`);
  }
  return bad;
}

// ------------------------------------------------------------------------------------------ worker side

function runCases(input: WorkerInput, post: (m: unknown) => void): WorkerResult {
  const corpus = captureNames().map((n) => parseContainer(n, readFileSync(pcap(n))));
  const target = corpus.find((c) => c.name === input.name);
  if (!target) throw new Error(`no capture ${input.name}`);
  const rnd = prng(input.seed);
  const mut = new Mutator(rnd, corpus);
  const gc = getGc();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const res: WorkerResult = {
    cases: 0, threw: 0, exact: 0, maxCaseMs: 0, totalMs: 0, rssPeak: process.memoryUsage().rss,
    heapGrowth: null, failures: [], failureCount: 0, malformedKinds: [],
  };
  const kinds = new Set<string>();
  const fail = (index: number, mutation: string, problem: string): void => {
    res.failureCount++;
    if (res.failures.length < 12) res.failures.push({ index, mutation, problem });
  };
  const t0 = performance.now();
  for (let i = 0; i < input.cases; i++) {
    const m = mut.mutate(target);
    post({ type: 'case', index: i, desc: m.desc });
    const start = performance.now();
    try {
      const facts = decode(m.bytes, rnd);
      const problems = checkFacts(facts, m.bytes.length, m.expect);
      if (problems.length > 0) fail(i, m.desc, problems.join('; '));
      if (m.expect !== null) res.exact++;
      for (const k of Object.keys(facts.capture.malformed)) kinds.add(k);
    } catch (err) {
      res.threw++;
      if (!(err instanceof CaptureFormatError)) {
        fail(i, m.desc, `escaped ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      } else {
        // Only a broken or missing file header may stop the whole analysis.
        const head = target.bytes.subarray(0, target.headerLen);
        const intact = m.bytes.length >= target.headerLen && m.bytes.subarray(0, target.headerLen).equals(head);
        if (intact) fail(i, m.desc, `CaptureFormatError with an intact header: ${err.message}`);
        if (err.offset !== 0) fail(i, m.desc, `CaptureFormatError at offset ${err.offset}, not in the header`);
      }
    }
    const ms = performance.now() - start;
    if (ms > res.maxCaseMs) res.maxCaseMs = ms;
    if (ms > SLOW_CASE_MS) fail(i, m.desc, `took ${ms.toFixed(0)} ms`);
    res.cases++;
    if (i % 16 === 0) res.rssPeak = Math.max(res.rssPeak, process.memoryUsage().rss);
  }
  res.totalMs = performance.now() - t0;
  res.rssPeak = Math.max(res.rssPeak, process.memoryUsage().rss);
  if (gc) {
    gc();
    res.heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  }
  res.malformedKinds = [...kinds].sort();
  return res;
}

if (!isMainThread && (workerData as { qcFuzz?: WorkerInput } | null)?.qcFuzz) {
  const input = (workerData as { qcFuzz: WorkerInput }).qcFuzz;
  const port = parentPort!;
  const result = runCases(input, (m) => port.postMessage(m));
  port.postMessage({ type: 'done', result });
}

// ------------------------------------------------------------------------------------------ main side

interface RunOutcome {
  result: WorkerResult | null;
  error: string | null;
}

function runWorker(input: WorkerInput): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const w = new Worker(new URL(import.meta.url), {
      workerData: { qcFuzz: input },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    let last = { index: -1, desc: '(before the first case)' };
    let settled = false;
    const finish = (o: RunOutcome): void => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      resolve(o);
    };
    let lastBeat = Date.now();
    const watch = setInterval(() => {
      if (Date.now() - lastBeat > HANG_MS) {
        void w.terminate();
        finish({ result: null, error: `hang: case ${last.index} (${last.desc}) ran for more than ${HANG_MS} ms` });
      }
    }, 500);
    w.on('message', (m: { type: string; index?: number; desc?: string; result?: WorkerResult }) => {
      lastBeat = Date.now();
      if (m.type === 'case') last = { index: m.index!, desc: m.desc! };
      else if (m.type === 'done') {
        finish({ result: m.result!, error: null });
        void w.terminate();
      }
    });
    w.on('error', (err) => finish({ result: null, error: `worker died at case ${last.index} (${last.desc}): ${err.stack ?? String(err)}` }));
    w.on('exit', (code) => finish({ result: null, error: `worker exited (${code}) at case ${last.index} (${last.desc})` }));
  });
}

if (isMainThread) {
  const seed = envInt('QC_FUZZ_SEED', DEFAULT_SEED) >>> 0;
  const total = envInt('QC_FUZZ_CASES', DEFAULT_CASES);
  const names = captureNames();
  const perFile = Math.max(1, Math.ceil(total / names.length));
  const header = `fuzz: QC_FUZZ_SEED=${seed} QC_FUZZ_CASES=${total} (${perFile} cases × ${names.length} captures)`;
  console.log(header);

  /**
   * Captures whose fuzzing currently finds a src/ bug, with the reason (see the report to the lead).
   * The test still runs and reports; it just does not fail the suite until the fix lands.
   */
  const KNOWN: Record<string, string> = {
  };

  describe(`fuzzing the inspect pipeline with mutated real captures (seed ${seed})`, () => {
    const summaries: string[] = [];
    let rssPeak = 0;
    let casesRun = 0;
    after(() => {
      console.log(`${header}: ${casesRun} cases run, worker RSS peak ${(rssPeak / MiB).toFixed(0)} MiB`);
      for (const s of summaries) console.log('  ' + s);
    });

    for (const [i, name] of names.entries()) {
      const todo = KNOWN[name];
      it(`${name}: ${perFile} mutants, nothing escapes, facts stay sound`, { timeout: 300_000, ...(todo ? { todo } : {}) }, async (t) => {
        const fileSeed = (seed ^ fnv1a(name) ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
        t.diagnostic(`seed ${seed}, capture seed ${fileSeed}`);
        const out = await runWorker({ name, seed: fileSeed, cases: perFile });
        assert.equal(out.error, null, `${out.error} [QC_FUZZ_SEED=${seed}]`);
        const r = out.result!;
        casesRun += r.cases;
        rssPeak = Math.max(rssPeak, r.rssPeak);
        summaries.push(`${name}: ${r.cases} cases (${r.exact} with exact expectations, ${r.threw} CaptureFormatError), ` +
          `${r.totalMs.toFixed(0)} ms, slowest ${r.maxCaseMs.toFixed(1)} ms, RSS peak ${(r.rssPeak / MiB).toFixed(0)} MiB` +
          (r.heapGrowth !== null ? `, heap growth ${(r.heapGrowth / MiB).toFixed(1)} MiB` : ''));
        t.diagnostic(summaries[summaries.length - 1]);
        const report = r.failures.map((f) => `  case ${f.index} [${f.mutation}]: ${f.problem.slice(0, 1500)}`).join('\n');
        assert.equal(r.failureCount, 0, `${r.failureCount} of ${r.cases} cases failed (QC_FUZZ_SEED=${seed}, capture ${name}):\n${report}`);
        assert.equal(r.cases, perFile);
        // Most mutants must still be analysed rather than rejected as a whole.
        assert.ok(r.threw < r.cases / 2, `${r.threw} of ${r.cases} mutants were rejected outright`);
        assert.ok(r.rssPeak < RSS_LIMIT, `RSS reached ${(r.rssPeak / MiB).toFixed(0)} MiB`);
        if (r.heapGrowth !== null) assert.ok(r.heapGrowth < 32 * MiB, `heap grew by ${(r.heapGrowth / MiB).toFixed(1)} MiB over ${r.cases} cases`);
      });
    }

    it('the process RSS after all cases stays bounded', () => {
      getGc()?.();
      const rss = process.memoryUsage().rss;
      console.log(`fuzz: main process RSS after all cases ${(rss / MiB).toFixed(0)} MiB`);
      assert.ok(rss < RSS_LIMIT, `RSS ${(rss / MiB).toFixed(0)} MiB`);
      assert.ok(casesRun >= Math.min(total, names.length), `only ${casesRun} cases ran`);
    });
  });
}
