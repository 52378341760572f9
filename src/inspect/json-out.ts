import { writeSync } from 'node:fs';
import type { Facts } from './facts.js';

/** Text gathered before each write: big enough to keep system calls few, small next to the facts. */
const FLUSH_AT = 1 << 20;

/**
 * Writes facts as JSON to a file descriptor piece by piece. `JSON.stringify` of a whole large capture's
 * facts would build one string as large as the output (tens of MB) on top of the facts themselves;
 * this holds about a megabyte at a time. The text is the same as `JSON.stringify(facts)`; returns its size.
 */
export function writeFactsJson(fd: number, facts: Facts, connections: Iterable<Facts['connections'][number]> = facts.connections): number {
  let pending = '';
  let written = 0;
  const out = (s: string): void => {
    pending += s;
    if (pending.length >= FLUSH_AT) {
      written += writeAllSync(fd, pending);
      pending = '';
    }
  };
  out('{');
  const keys = Object.keys(facts) as (keyof Facts)[];
  keys.forEach((key, i) => {
    if (i > 0) out(',');
    out(JSON.stringify(key) + ':');
    const value = facts[key];
    if (key === 'connections') {
      out('[');
      let first = true;
      for (const c of connections) {
        out((first ? '' : ',') + JSON.stringify(c));
        first = false;
      }
      out(']');
    } else if (Array.isArray(value)) {
      out('[');
      for (let j = 0; j < value.length; j++) out((j > 0 ? ',' : '') + JSON.stringify(value[j]));
      out(']');
    } else {
      out(JSON.stringify(value));
    }
  });
  out('}\n');
  return written + writeAllSync(fd, pending);
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
