import { writeSync } from 'node:fs';
import type { Facts } from './facts.js';

/** Text gathered before each write: big enough to keep system calls few, small next to the facts. */
const FLUSH_AT = 1 << 20;
/**
 * Facts turned into text per `JSON.stringify` call. One call per fact spent more time entering and
 * leaving the serializer, and joining the small strings, than serialising; a few hundred at a time
 * keep the text of one call well under a megabyte.
 */
const BATCH = 256;

/**
 * Writes facts as JSON to a file descriptor piece by piece. `JSON.stringify` of a whole large capture's
 * facts would build one string as large as the output (tens of MB) on top of the facts themselves;
 * this holds about a megabyte at a time. The text is the same as `JSON.stringify(facts)`; returns its size.
 */
export function writeFactsJson(fd: number, facts: Facts, connections: Iterable<Facts['connections'][number]> = facts.connections): number {
  const out = new TextWriter(fd);
  out.put('{');
  const keys = Object.keys(facts) as (keyof Facts)[];
  keys.forEach((key, i) => {
    if (i > 0) out.put(',');
    out.put(JSON.stringify(key) + ':');
    const value = facts[key];
    if (key === 'connections') {
      out.put('[');
      let batch: unknown[] = [];
      for (const c of connections) {
        batch.push(c);
        if (batch.length === BATCH) {
          out.items(batch);
          batch = [];
        }
      }
      out.items(batch);
      out.put(']');
    } else if (Array.isArray(value)) {
      out.put('[');
      for (let j = 0; j < value.length; j += BATCH) out.items(value.slice(j, j + BATCH));
      out.put(']');
    } else {
      out.put(JSON.stringify(value));
    }
  });
  out.put('}\n');
  return out.end();
}

/**
 * Text to a file descriptor through one reused byte buffer, written out at about FLUSH_AT bytes: the
 * serializer's strings are encoded straight into it, with no joined string and no new buffer per write.
 */
class TextWriter {
  /** UTF-8 takes at most three bytes per UTF-16 unit: room for FLUSH_AT bytes plus one batch of that size. */
  private readonly buf = Buffer.allocUnsafe(FLUSH_AT + 3 * FLUSH_AT);
  private len = 0;
  private written = 0;
  /** Whether the array being written already holds an element (a comma goes before the next). */
  private inArray = false;

  constructor(private readonly fd: number) {}

  put(s: string): void {
    if (s === '[') this.inArray = false;
    if (this.encode(s) < 0) {
      this.written += writeAllSync(this.fd, s);
      return;
    }
    if (this.len >= FLUSH_AT) this.flush();
  }

  /** Elements of the array being written: the text of the batch as an array, without its brackets. */
  items(batch: unknown[]): void {
    if (batch.length === 0) return;
    const s = JSON.stringify(batch);
    const comma = this.inArray;
    this.inArray = true;
    const at = this.encode(s);
    if (at < 0) {
      // Larger than the buffer could ever hold (a batch of huge facts): written on its own.
      if (comma) this.put(',');
      this.flush();
      this.written += writeAllSync(this.fd, s.substring(1, s.length - 1));
      return;
    }
    // The batch's '[' becomes the comma after the previous element, or is dropped; its ']' is dropped.
    if (comma) {
      this.buf[at] = 0x2c;
      this.len -= 1;
    } else {
      this.buf.copyWithin(at, at + 1, this.len);
      this.len -= 2;
    }
    if (this.len >= FLUSH_AT) this.flush();
  }

  end(): number {
    this.flush();
    return this.written;
  }

  /**
   * Encodes `s` at the end of the buffer, flushing first when it might not fit; returns where its bytes
   * start, or -1 when it could never fit.
   */
  private encode(s: string): number {
    const most = 3 * s.length;
    if (this.len + most > this.buf.length) {
      this.flush();
      if (most > this.buf.length) return -1;
    }
    const at = this.len;
    this.len += this.buf.write(s, at, 'utf8');
    return at;
  }

  private flush(): void {
    if (this.len === 0) return;
    this.written += writeBytesSync(this.fd, this.buf, this.len);
    this.len = 0;
  }
}

/** Writes all of the text to `fd`, waiting out a full non-blocking pipe, and returns its size in bytes. */
export function writeAllSync(fd: number, text: string): number {
  const buf = Buffer.from(text, 'utf8');
  return writeBytesSync(fd, buf, buf.length);
}

/** Writes the first `length` bytes of `buf` to `fd`, waiting out a full non-blocking pipe; returns `length`. */
function writeBytesSync(fd: number, buf: Buffer, length: number): number {
  let off = 0;
  while (off < length) {
    try {
      off += writeSync(fd, buf, off, length - off);
    } catch (err) {
      // A pipe that is full answers EAGAIN when stdout is non-blocking: wait briefly and go on.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  return length;
}
