/**
 * The benchmark captures, repeated from the shared ones until the file reaches the wanted size, each
 * repetition with its own addresses and later times, so flows, DNS names and handshakes recur the way
 * they would in a long real capture instead of collapsing into the first repetition's flows.
 *  - `all`: every shared capture (every decoder, certificate chains, fragments, DHCP, mDNS…);
 *  - `browsing`: what a phone's day mostly is — web browsing over TLS and QUIC, DNS, a little plain
 *    HTTP, few certificates — and, besides the addresses, each repetition's client ports differ too.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/reader.js';
import type { FrameSink } from '../src/capture/types.js';
import { LINKTYPE_ETHERNET, networkOffset } from '../src/decode/link.js';
import { PCAPS, ROOT } from '../test/helpers/paths.js';

export const BENCH_DATA = join(ROOT, 'bench', 'data');

/** Cut inside its last record: repeating it would put a damaged record in the middle of the file. */
const SKIP = new Set(['http-wikipedia-cut.pcap']);

export type BenchMix = 'all' | 'browsing';

/** The browsing mix: the shared captures of ordinary web use (TLS and QUIC browsing, DNS, plain HTTP). */
const BROWSING = new Set([
  'tls-browsing-mixed.pcap', 'quic-firefox-cloudflare.pcap', 'quic-chromium-cirrus.pcap', 'quic-multi-sni.pcap',
  'quic-and-tls-ja4-ipv6.pcap', 'tls13-rawip.pcap', 'tls13-kyber-split-clienthello.pcap', 'dns-edns-ecs.pcap',
  'dns-tcp-multirequest.pcap', 'dns-a-aaaa-mx-nsec.pcap', 'pcapng-two-interfaces-dns.pcapng', 'http-wikipedia.pcap',
]);

/**
 * Client (ephemeral) ports are at or above this; below it sit the services (53, 443, 5353, 8080…),
 * which must keep their numbers for the decoders to recognise them.
 */
const EPHEMERAL_FROM = 10_000;

/** Repetitions start here (2023-11-14), far from any input's own times, so they never interleave. */
const BASE_SECONDS = 1_700_000_000;
/** Gap between consecutive captures, so a flow of one never looks like a continuation of another's. */
const GAP_SECONDS = 1;

/** Longer than usual flow idle timeouts, so conversations it separates stay separate. */
const MAX_IDLE_SECONDS = 600;

/** Big enough that flushes are rare; the largest EPB must also fit (MAX_BLOCK_BYTES is 16 MiB). */
const OUT_BUFFER_BYTES = 16 * 1024 * 1024;

const SHB_TYPE = 0x0a0d0d0a;
const IDB_TYPE = 1;
const EPB_TYPE = 6;
const EPB_OVERHEAD = 32;
const OPT_SHB_USERAPPL = 4;

const MARKER_PREFIX = 'quietcheck bench capture v4';
/** Fixed width, so the real figures can be patched into the header once the file is written. */
const NUM_WIDTH = 15;

export interface BenchCapture {
  bytes: number;
  packets: number;
}

interface Frame {
  data: Buffer;
  wirelen: number;
  /** Seconds after the start of a repetition. */
  rel: number;
  linktype: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function loadFrames(mix: BenchMix): { frames: Frame[]; period: number; files: number } {
  const names = readdirSync(PCAPS)
    .filter((n) => (n.endsWith('.pcap') || n.endsWith('.pcapng')) && !SKIP.has(n) && (mix === 'all' || BROWSING.has(n)))
    .sort();
  const frames: Frame[] = [];
  let cursor = 0;
  for (const name of names) {
    const mine: Array<Frame & { ts: number }> = [];
    const sink: FrameSink = {
      frame(data, off, caplen, wirelen, ts, linktype) {
        // One link type for the whole file, so tcpdump (libpcap refuses pcapng interfaces of mixed types)
        // can read it too; the copy is needed anyway because the reader reuses its buffer.
        const eth = toEthernet(data, off, caplen, linktype);
        if (eth === null) return;
        mine.push({ data: eth, wirelen: wirelen - caplen + eth.length, rel: 0, linktype: LINKTYPE_ETHERNET, ts });
      },
      malformed() {},
    };
    readCaptureFile(join(PCAPS, name), sink);
    if (mine.length === 0) continue;
    // Idle stretches are shortened (dns-edns-ecs.pcap spans three years), or a few hundred
    // repetitions would run past the microsecond counts a double holds exactly.
    let shift = 0;
    let prev = mine[0]!.ts;
    let first = Infinity;
    let last = -Infinity;
    for (const f of mine) {
      const gap = f.ts - prev;
      if (gap > MAX_IDLE_SECONDS) shift -= gap - MAX_IDLE_SECONDS;
      prev = f.ts;
      f.ts += shift;
      if (f.ts < first) first = f.ts;
      if (f.ts > last) last = f.ts;
    }
    for (const f of mine) frames.push({ data: f.data, wirelen: f.wirelen, rel: cursor + (f.ts - first), linktype: f.linktype });
    cursor += last - first + GAP_SECONDS;
  }
  return { frames, period: Math.ceil(cursor), files: names.length };
}

/** The frame as Ethernet: other link headers (raw IP, Linux cooked, BSD loopback) are replaced by an Ethernet one. */
function toEthernet(data: Buffer, off: number, caplen: number, linktype: number): Buffer | null {
  if (linktype === LINKTYPE_ETHERNET) return Buffer.from(data.subarray(off, off + caplen));
  const net = networkOffset(linktype, data, off, caplen);
  if (net < 0) return null;
  const ip = data.subarray(net, off + caplen);
  const out = Buffer.alloc(14 + ip.length);
  out.set([0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02], 0);
  out.writeUInt16BE(ip.length > 0 && ip[0] >> 4 === 6 ? 0x86dd : 0x0800, 12);
  ip.copy(out, 14);
  return out;
}

/** Where, in each frame of one repetition, the 16-bit address words to shift are. */
interface Template {
  /** All EPBs of one repetition, back to back, with timestamps still to be filled. */
  blocks: Buffer;
  /** Start of each EPB in `blocks`. */
  starts: Int32Array;
  rel: Float64Array;
  /** Offsets (within `blocks`) of 16-bit big-endian words to XOR with the repetition number. */
  patches: Int32Array;
  /** patches[patchStart[i] .. patchStart[i+1]) belong to frame i. */
  patchStart: Int32Array;
  /** Offsets of client ports to XOR with the repetition number's low bits (the browsing mix only). */
  ports: Int32Array;
  portStart: Int32Array;
  linktypes: number[];
}

function buildTemplate(frames: Frame[], shiftPorts: boolean): Template {
  const linktypes: number[] = [];
  const ifid = new Map<number, number>();
  let size = 0;
  for (const f of frames) {
    if (!ifid.has(f.linktype)) {
      ifid.set(f.linktype, linktypes.length);
      linktypes.push(f.linktype);
    }
    size += EPB_OVERHEAD + pad4(f.data.length);
  }
  const blocks = Buffer.alloc(size);
  const starts = new Int32Array(frames.length);
  const rel = new Float64Array(frames.length);
  const patchStart = new Int32Array(frames.length + 1);
  const patches: number[] = [];
  const portStart = new Int32Array(frames.length + 1);
  const ports: number[] = [];
  let p = 0;
  frames.forEach((f, i) => {
    const caplen = f.data.length;
    const len = EPB_OVERHEAD + pad4(caplen);
    starts[i] = p;
    rel[i] = f.rel;
    blocks.writeUInt32LE(EPB_TYPE, p);
    blocks.writeUInt32LE(len, p + 4);
    blocks.writeUInt32LE(ifid.get(f.linktype)!, p + 8);
    blocks.writeUInt32LE(caplen, p + 20);
    blocks.writeUInt32LE(f.wirelen, p + 24);
    f.data.copy(blocks, p + 28);
    blocks.writeUInt32LE(len, p + len - 4);
    patchStart[i] = patches.length;
    const net = networkOffset(f.linktype, f.data, 0, caplen);
    if (net >= 0 && net < caplen) {
      const version = f.data[net]! >> 4;
      const at = p + 28 + net;
      // The middle of the address: the same host keeps the same network-ish prefix and stays
      // multicast or link-local if it was, while each repetition gets addresses of its own.
      if (version === 4 && net + 20 <= caplen) patches.push(at + 13, at + 17);
      else if (version === 6 && net + 40 <= caplen) patches.push(at + 8 + 6, at + 24 + 6);
    }
    portStart[i] = ports.length;
    if (shiftPorts) {
      const l4 = transportStart(f.data, net, caplen);
      if (l4 >= 0) {
        for (const q of [l4, l4 + 2]) if (f.data.readUInt16BE(q) >= EPHEMERAL_FROM) ports.push(p + 28 + q);
      }
    }
    p += len;
  });
  patchStart[frames.length] = patches.length;
  portStart[frames.length] = ports.length;
  return {
    blocks, starts, rel, patches: Int32Array.from(patches), patchStart, ports: Int32Array.from(ports), portStart, linktypes,
  };
}

/**
 * Where the TCP or UDP header of a frame starts, when the IP header leads straight to it and the frame
 * is not a later fragment (whose bytes are not a header); -1 otherwise.
 */
function transportStart(d: Buffer, net: number, caplen: number): number {
  if (net < 0 || net >= caplen) return -1;
  const version = d[net]! >> 4;
  let l4: number;
  let proto: number;
  if (version === 4 && net + 20 <= caplen) {
    if ((d.readUInt16BE(net + 6) & 0x1fff) !== 0) return -1;
    l4 = net + (d[net]! & 0x0f) * 4;
    proto = d[net + 9]!;
  } else if (version === 6 && net + 40 <= caplen) {
    l4 = net + 40;
    proto = d[net + 6]!;
  } else return -1;
  return (proto === 6 || proto === 17) && l4 + 4 <= caplen ? l4 : -1;
}

function markerText(mix: BenchMix, targetBytes: number, bytes: number, packets: number): string {
  const n = (v: number): string => String(v).padStart(NUM_WIDTH, '0');
  return `${MARKER_PREFIX} (${mix}); target=${n(targetBytes)}; bytes=${n(bytes)}; packets=${n(packets)}`;
}

function headerBlocks(linktypes: number[], marker: string): Buffer {
  const text = Buffer.from(marker, 'latin1');
  const shbLen = 28 + 4 + pad4(text.length) + 4;
  const idbLen = 20;
  const out = Buffer.alloc(shbLen + idbLen * linktypes.length);
  out.writeUInt32LE(SHB_TYPE, 0);
  out.writeUInt32LE(shbLen, 4);
  out.writeUInt32LE(0x1a2b3c4d, 8);
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(0, 14);
  // Section length unknown (-1): the file is written in one pass.
  out.writeInt32LE(-1, 16);
  out.writeInt32LE(-1, 20);
  out.writeUInt16LE(OPT_SHB_USERAPPL, 24);
  out.writeUInt16LE(text.length, 26);
  text.copy(out, 28);
  // opt_endofopt is the zeroed word that follows the padded option.
  out.writeUInt32LE(shbLen, shbLen - 4);
  let p = shbLen;
  for (const lt of linktypes) {
    out.writeUInt32LE(IDB_TYPE, p);
    out.writeUInt32LE(idbLen, p + 4);
    out.writeUInt16LE(lt, p + 8);
    // Snaplen 0: no limit; some inputs have frames larger than 64 KiB (offloaded segments).
    out.writeUInt32LE(0, p + 12);
    out.writeUInt32LE(idbLen, p + 16);
    p += idbLen;
  }
  return out;
}

/** The figures recorded in an existing bench file's header, or null if it is not a finished one. */
function readMarker(path: string, mix: BenchMix, targetBytes: number): BenchCapture | null {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('latin1');
    const m = /target=(\d+); bytes=(\d+); packets=(\d+)/.exec(text);
    if (!text.includes(`${MARKER_PREFIX} (${mix})`) || m === null) return null;
    const [target, bytes, packets] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (target !== targetBytes || bytes !== statSync(path).size || packets === 0) return null;
    return { bytes, packets };
  } finally {
    closeSync(fd);
  }
}

export function benchCapturePath(targetBytes: number, mix: BenchMix = 'all'): string {
  return join(BENCH_DATA, `bench-${mix === 'all' ? '' : `${mix}-`}${Math.round(targetBytes / 1e6)}MB.pcapng`);
}

/**
 * Writes (or reuses) a pcapng of at least `targetBytes`, made of whole repetitions of the shared
 * captures of the mix. Repetition k XORs k into the middle 16 bits of every IPv4 and IPv6 address
 * (in the browsing mix also k's low 10 bits into every port from 10000 up, which keeps it a high
 * port) and is `period` seconds later than repetition k-1. Checksums are left as they were: neither quietcheck
 * nor tshark validates them by default. Written to a temporary name first, so an interrupted run
 * never leaves a file that looks finished.
 */
export function makeBenchCapture(
  path: string, targetBytes: number, log: (s: string) => void = () => {}, mix: BenchMix = 'all',
): BenchCapture {
  if (existsSync(path)) {
    const known = readMarker(path, mix, targetBytes);
    if (known !== null) return known;
  }
  mkdirSync(join(path, '..'), { recursive: true });
  const { frames, period, files } = loadFrames(mix);
  if (frames.length === 0) throw new Error(`no frames found in ${PCAPS}`);
  const t = buildTemplate(frames, mix === 'browsing');
  log(`bench capture: ${files} shared captures, ${frames.length} frames, ${(t.blocks.length / 1e6).toFixed(2)} MB per repetition`);

  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w');
  try {
    const header = headerBlocks(t.linktypes, markerText(mix, targetBytes, 0, 0));
    writeSync(fd, header);
    let bytes = header.length;
    let packets = 0;
    const out = Buffer.allocUnsafe(Math.max(OUT_BUFFER_BYTES, t.blocks.length));
    let used = 0;
    const { blocks, starts, rel, patches, patchStart, ports, portStart } = t;
    const n = starts.length;
    for (let k = 0; bytes + used < targetBytes; k++) {
      // Whole repetitions only: a repetition is ~3 MB, so the overshoot is small.
      if (used + blocks.length > out.length) {
        writeSync(fd, out, 0, used);
        bytes += used;
        used = 0;
      }
      blocks.copy(out, used);
      const x = k & 0xffff;
      const base = BASE_SECONDS + k * period;
      for (let i = 0; i < n; i++) {
        const at = used + starts[i]!;
        // Microseconds since the epoch stay below 2^53, so this integer is exact.
        const us = Math.round((base + rel[i]!) * 1e6);
        out.writeUInt32LE(Math.floor(us / 4294967296), at + 12);
        out.writeUInt32LE(us % 4294967296, at + 16);
        if (x !== 0) {
          for (let j = patchStart[i]!; j < patchStart[i + 1]!; j++) {
            const w = used + patches[j]!;
            out.writeUInt16BE(out.readUInt16BE(w) ^ x, w);
          }
          for (let j = portStart[i]!; j < portStart[i + 1]!; j++) {
            const w = used + ports[j]!;
            out.writeUInt16BE(out.readUInt16BE(w) ^ (x & 0x3ff), w);
          }
        }
      }
      used += blocks.length;
      packets += n;
      if (k > 0 && k % 50 === 0) log(`bench capture: ${((bytes + used) / 1e6).toFixed(0)} / ${(targetBytes / 1e6).toFixed(0)} MB`);
    }
    if (used > 0) {
      writeSync(fd, out, 0, used);
      bytes += used;
    }
    // Same length as the placeholder, so every offset after it is unchanged.
    const final = headerBlocks(t.linktypes, markerText(mix, targetBytes, bytes, packets));
    writeSync(fd, final, 0, final.length, 0);
    closeSync(fd);
    renameSync(tmp, path);
    return { bytes, packets };
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    throw err;
  }
}
