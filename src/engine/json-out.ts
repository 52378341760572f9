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

/** Text to a file descriptor in writes of about FLUSH_AT characters. */
class TextWriter {
  private pending = '';
  private written = 0;
  /** Whether the array being written already holds an element (a comma goes before the next). */
  private inArray = false;

  constructor(private readonly fd: number) {}

  put(s: string): void {
    if (s === '[') this.inArray = false;
    this.pending += s;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  /** Elements of the array being written: the text of the batch as an array, without its brackets. */
  items(batch: unknown[]): void {
    if (batch.length === 0) return;
    const s = JSON.stringify(batch);
    if (this.inArray) this.pending += ',';
    this.inArray = true;
    this.pending += s.substring(1, s.length - 1);
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  end(): number {
    this.flush();
    return this.written;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.written += writeAllSync(this.fd, this.pending);
    this.pending = '';
  }
}

/** Writes all of the text to `fd`, waiting out a full non-blocking pipe, and returns its size in bytes. */
export function writeAllSync(fd: number, text: string): number {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      // A pipe that is full answers EAGAIN when stdout is non-blocking: wait briefly and go on.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  return buf.length;
}
