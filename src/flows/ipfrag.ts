import type { PacketView } from '../decode/packet.js';

/**
 * IPv4/IPv6 fragment reassembly with hard limits, so a flood of fragments or a hostile overlap pattern
 * cannot grow memory or time without bound. Overlapping data: the first copy received wins.
 */

const MAX_DATAGRAMS = 1024;
const MAX_DATAGRAM_SIZE = 65535 + 40;
/** Fragments of one datagram that has not completed within this many seconds are dropped. */
const TIMEOUT_S = 60;
const MAX_FRAGMENTS_PER_DATAGRAM = 64;

interface Piece {
  start: number;
  data: Buffer;
}

interface Datagram {
  pieces: Piece[];
  /** Total length, known once the last fragment (MF clear) arrived. */
  total: number;
  firstTs: number;
  /** Sum of the captured frame lengths of all fragments, for traffic counters. */
  wireBytes: number;
  frames: number;
  /** Some fragments of it overlap: the bytes are then merged one by one, the first copy winning. */
  overlapping: boolean;
}

export interface Reassembled {
  data: Buffer;
  wireBytes: number;
  frames: number;
}

export class FragmentReassembler {
  private readonly table = new Map<string, Datagram>();
  /** Datagrams dropped by limits or timeout, reported as malformed. */
  dropped = 0;
  overlaps = 0;

  /**
   * Adds the fragment in the packet view (its transport bytes are the fragment data).
   * Returns the whole transport payload once complete, else null.
   */
  add(p: PacketView): Reassembled | null {
    const key = `${p.fam}|${p.proto}|${p.src.join(',')}|${p.dst.join(',')}|${p.fragId}`;
    let d = this.table.get(key);
    if (!d) {
      if (this.table.size >= MAX_DATAGRAMS) this.expire(p.ts, true);
      d = { pieces: [], total: -1, firstTs: p.ts, wireBytes: 0, frames: 0, overlapping: false };
      this.table.set(key, d);
    }
    d.wireBytes += p.wirelen;
    d.frames++;
    const start = p.fragOffset;
    const end = start + p.l4Len;
    if (end > MAX_DATAGRAM_SIZE || d.pieces.length >= MAX_FRAGMENTS_PER_DATAGRAM) {
      this.table.delete(key);
      this.dropped++;
      return null;
    }
    if (!p.fragMore) {
      // Take the captured length; a snaplen-cut last fragment simply never completes.
      d.total = end;
    }
    for (const piece of d.pieces) {
      if (start < piece.start + piece.data.length && piece.start < end) {
        this.overlaps++;
        d.overlapping = true;
        break;
      }
    }
    d.pieces.push({ start, data: Buffer.from(p.buf.subarray(p.l4Off, p.l4Off + p.l4Len)) });
    if (d.total < 0) return null;
    // Complete when the pieces cover [0, total) without a hole.
    const sorted = d.pieces.slice().sort((a, b) => a.start - b.start);
    let covered = 0;
    for (const piece of sorted) {
      if (piece.start > covered) return null;
      covered = Math.max(covered, piece.start + piece.data.length);
    }
    if (covered < d.total) return null;
    const out = Buffer.alloc(d.total);
    this.table.delete(key);
    if (!d.overlapping) {
      // Pieces that do not overlap can be copied whole, in any order.
      for (const piece of d.pieces) {
        const n = Math.min(piece.data.length, d.total - piece.start);
        if (n > 0) piece.data.copy(out, piece.start, 0, n);
      }
      return { data: out, wireBytes: d.wireBytes, frames: d.frames };
    }
    const filled = new Uint8Array(d.total);
    // First received wins: write in arrival order, never over bytes already written.
    for (const piece of d.pieces) {
      const n = Math.min(piece.data.length, d.total - piece.start);
      for (let i = 0; i < n; i++) {
        const at = piece.start + i;
        if (!filled[at]) {
          out[at] = piece.data[i];
          filled[at] = 1;
        }
      }
    }
    return { data: out, wireBytes: d.wireBytes, frames: d.frames };
  }

  /** Drops datagrams older than the timeout (or, when `force`, the oldest one to make room). */
  expire(now: number, force = false): void {
    let oldestKey: string | null = null;
    let oldest = Infinity;
    for (const [key, d] of this.table) {
      if (now - d.firstTs > TIMEOUT_S) {
        this.table.delete(key);
        this.dropped++;
      } else if (d.firstTs < oldest) {
        oldest = d.firstTs;
        oldestKey = key;
      }
    }
    if (force && this.table.size >= MAX_DATAGRAMS && oldestKey !== null) {
      this.table.delete(oldestKey);
      this.dropped++;
    }
  }

  /** Datagrams still incomplete at the end of the capture. */
  get incomplete(): number {
    return this.table.size;
  }
}
