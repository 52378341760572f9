/**
 * In-order reassembly of the start of one direction of a TCP connection. Handshakes (TLS ClientHello,
 * certificates), HTTP request heads and DNS-over-TCP messages live in the first bytes of a stream and are
 * often split over segments, retransmitted or reordered; this puts them back together up to a limit and
 * then stops, so a long download costs nothing more.
 */

export const STREAM_LIMIT = 64 * 1024;
/** Segments waiting for a gap to be filled; beyond this the stream gives up rather than hoard memory. */
const MAX_PENDING = 128;

/**
 * Stream buffers given back by finished streams, by size (1 KiB, 2 KiB, … up to STREAM_LIMIT), for
 * the next streams to reuse. A new ArrayBuffer per stream and per doubling was most of what a capture
 * of many short TLS connections allocated; a few dozen buffers per size keep that to a handful, for at
 * most a few megabytes held.
 */
const SPARE_PER_SIZE = 32;
const MIN_BUFFER = 1024;
const spare: Buffer[][] = [];

function sizeClass(size: number): number {
  return 31 - Math.clz32(size / MIN_BUFFER);
}

/** A buffer of `size` bytes (a power of two times 1 KiB when it may be given back), contents undefined. */
function takeBuffer(size: number): Buffer {
  if ((size & (size - 1)) === 0 && size >= MIN_BUFFER && size <= STREAM_LIMIT) {
    const b = spare[sizeClass(size)]?.pop();
    if (b !== undefined) return b;
  }
  return Buffer.allocUnsafeSlow(size);
}

/** Gives a buffer from takeBuffer back; nothing may use it afterwards. */
function giveBack(b: Buffer): void {
  const size = b.length;
  if ((size & (size - 1)) !== 0 || size < MIN_BUFFER || size > STREAM_LIMIT) return;
  const list = (spare[sizeClass(size)] ??= []);
  if (list.length < SPARE_PER_SIZE) list.push(b);
}

interface Pending {
  rel: number;
  data: Buffer;
}

export class StreamDirection {
  /** Sequence number of the first payload byte (ISN + 1), once known. */
  private base = 0;
  private haveBase = false;
  /** The contiguous bytes from the start of the stream (allocated with the first payload). */
  buf: Buffer | null = null;
  len = 0;
  /** Made on the first out-of-order segment; most streams never see one. */
  private pending: Pending[] | null = null;
  /** Set once nothing more will be reassembled (limit reached, consumer done, or gave up). */
  closed = false;
  /** Sequence gaps that were never filled when the stream was closed by the limit. */
  gaveUp = false;

  constructor(readonly limit = STREAM_LIMIT) {}

  /** The SYN tells where the stream starts; without it the first data segment seen defines the start. */
  syn(seq: number): void {
    if (!this.haveBase) {
      this.base = (seq + 1) >>> 0;
      this.haveBase = true;
    }
  }

  /**
   * Adds one segment. Returns the number of new contiguous bytes (0 when the segment was old,
   * out of order, or past the limit).
   */
  add(seq: number, data: Buffer, off: number, len: number): number {
    if (this.closed || len === 0) return 0;
    if (!this.haveBase) {
      this.base = seq >>> 0;
      this.haveBase = true;
    }
    // 32-bit sequence arithmetic: relative offsets wrap; anything "negative" is far out of range.
    const rel = ((seq - this.base) >>> 0);
    // Starts before the base (a retransmission overlapping the start): only the part after it counts.
    if (rel >= 0x80000000) return this.addOverlappingStart(0x100000000 - rel, data, off, len);
    if (rel >= this.limit) return 0;
    if (rel + len > this.limit) len = this.limit - rel;
    if (rel > this.len) {
      this.hold(rel, data, off, len);
      return 0;
    }
    const before = this.len;
    this.append(rel, data, off, len);
    if (this.pending !== null && this.pending.length > 0) this.drainPending();
    return this.len - before;
  }

  private addOverlappingStart(back: number, data: Buffer, off: number, len: number): number {
    if (back >= len) return 0;
    return this.add(this.base, data, off + back, len - back);
  }

  /** Keeps a segment that arrived ahead of a gap until the gap is filled. */
  private hold(rel: number, data: Buffer, off: number, len: number): void {
    const pending = (this.pending ??= []);
    if (pending.length >= MAX_PENDING) {
      this.gaveUp = true;
      return;
    }
    const copy = Buffer.allocUnsafe(len);
    data.copy(copy, 0, off, off + len);
    pending.push({ rel, data: copy });
  }

  /**
   * Drops the buffer: the consumer has what it needs. The buffer goes to the next stream, so nothing
   * may keep a view of it past this call.
   */
  close(): void {
    this.closed = true;
    if (this.buf !== null) giveBack(this.buf);
    this.buf = null;
    this.pending = null;
  }

  private append(rel: number, data: Buffer, off: number, len: number): void {
    // First copy wins for bytes already held, as most stacks and analysers do for overlaps.
    const skip = this.len - rel;
    if (skip >= len) return;
    off += skip;
    len -= skip;
    const need = this.len + len;
    let buf = this.buf;
    if (buf === null || need > buf.length) {
      let size = buf === null ? MIN_BUFFER : buf.length * 2;
      while (size < need) size *= 2;
      const bigger = takeBuffer(Math.min(size, this.limit));
      if (buf !== null) {
        bigger.set(new Uint8Array(buf.buffer, buf.byteOffset, this.len));
        giveBack(buf);
      }
      buf = this.buf = bigger;
    }
    // TypedArray set, without Buffer.copy's argument handling; Buffer.copy (which clamps to the
    // source) only for a segment said to reach past its packet, which the decoders should not let by.
    if (off + len <= data.length) buf.set(new Uint8Array(data.buffer, data.byteOffset + off, len), this.len);
    else data.copy(buf, this.len, off, off + len);
    this.len = need;
  }

  private drainPending(): void {
    const pending = this.pending!;
    let progressed = true;
    while (progressed && pending.length > 0) {
      progressed = false;
      for (let i = 0; i < pending.length; i++) {
        const seg = pending[i]!;
        if (seg.rel <= this.len) {
          this.append(seg.rel, seg.data, 0, seg.data.length);
          pending.splice(i, 1);
          progressed = true;
          break;
        }
      }
    }
  }
}
