/**
 * tshark as the oracle for the TLS decoder tests: it extracts the reassembled bytes of each TCP stream (so the
 * tests do not depend on quietcheck's own capture engine) and the values quietcheck must agree with.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pcap } from '../helpers/paths.js';

const run = promisify(execFile);

/** tshark's stdout. Async, so the several runs a test needs overlap (tshark's start-up dominates small files). */
export async function tshark(file: string, args: string[]): Promise<string> {
  const { stdout } = await run('tshark', ['-r', pcap(file), '-o', 'tcp.reassemble_out_of_order:TRUE', ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** Rows of `-T fields` output, each split into its fields (tab-separated, aggregated values comma-separated). */
export async function tsharkFields(file: string, filter: string, fields: string[]): Promise<string[][]> {
  const out = await tshark(file, ['-Y', filter, '-T', 'fields', '-E', 'occurrence=a', ...fields.flatMap((f) => ['-e', f])]);
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

export interface TcpStreamBytes {
  stream: number;
  /** Bytes sent by "Node 0" (the side tshark saw first) and by the other side, each in stream order. */
  node0: Buffer;
  node1: Buffer;
}

/**
 * The reassembled payload of both directions of the given TCP streams, from one tshark run with one
 * `-z follow,tcp,raw,N` per stream (tshark prints the blocks in the order asked).
 */
export async function followTcp(file: string, streams: number[]): Promise<Map<number, TcpStreamBytes>> {
  const out = new Map<number, TcpStreamBytes>();
  if (streams.length === 0) return out;
  const text = await tshark(file, ['-q', ...streams.flatMap((n) => ['-z', `follow,tcp,raw,${n}`])]);
  let a: Buffer[] = [];
  let b: Buffer[] = [];
  let stream = -1;
  let inBody = false;
  const flush = (): void => {
    if (stream >= 0) out.set(stream, { stream, node0: Buffer.concat(a), node1: Buffer.concat(b) });
    a = [];
    b = [];
    stream = -1;
    inBody = false;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('=====')) {
      if (inBody) flush();
      continue;
    }
    const f = /^Filter: tcp\.stream eq (\d+)/.exec(line);
    if (f) {
      stream = Number(f[1]);
      continue;
    }
    if (/^(Follow|Node \d):/.test(line)) {
      if (line.startsWith('Node 1:')) inBody = true;
      continue;
    }
    if (!inBody || line.trim() === '') continue;
    // Lines of the second node are indented by a tab.
    if (line.startsWith('\t')) b.push(Buffer.from(line.slice(1).trim(), 'hex'));
    else a.push(Buffer.from(line.trim(), 'hex'));
  }
  flush();
  for (const n of streams) if (!out.has(n)) throw new Error(`${file}: tshark gave no bytes for stream ${n}`);
  return out;
}

/** Small deterministic PRNG (mulberry32), so a failing random split can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls `push` with consecutive pieces of `data` of random size 1..maxPiece, each inside a larger buffer. */
export function pushInPieces(
  data: Buffer,
  seed: number,
  maxPiece: number,
  push: (buf: Buffer, off: number, len: number) => void,
): void {
  const r = rng(seed);
  let p = 0;
  while (p < data.length) {
    const n = Math.min(data.length - p, 1 + Math.floor(r() * maxPiece));
    // Padding on both sides and overwriting afterwards checks that the reader honours off/len and copies
    // what it keeps instead of holding views into the caller's (reused) buffer.
    const pad = Math.floor(r() * 8);
    const buf = Buffer.alloc(pad + n + 8, 0xee);
    data.copy(buf, pad, p, p + n);
    push(buf, pad, n);
    buf.fill(0xdd);
    p += n;
  }
}

