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
      if (key === 'tls') {
        const shared = new SharedLists('certificates');
        for (let j = 0; j < value.length; j += BATCH) out.itemsSharing(value.slice(j, j + BATCH), shared);
      } else {
        for (let j = 0; j < value.length; j += BATCH) out.items(value.slice(j, j + BATCH));
      }
      out.put(']');
    } else {
      out.put(JSON.stringify(value));
    }
  });
  out.put('}\n');
  return out.end();
}

/**
 * A field of the facts holding a list of objects that many facts share: the TLS facts' certificates,
 * which the certificate cache hands out as one object per distinct certificate, so that a server's
 * chain comes back in every handshake with it. Each object is turned into text once.
 */
class SharedLists {
  /** The field as it reads in the text of a fact whose list was swapped for an empty one. */
  readonly emptied: string;
  private readonly texts = new Map<object, string>();

  constructor(readonly field: string) {
    this.emptied = `${JSON.stringify(field)}:[]`;
  }

  /** The text of one element of such a list, as `JSON.stringify` writes it inside an array. */
  text(element: unknown): string {
    if (typeof element !== 'object' || element === null) return JSON.stringify(element) ?? 'null';
    let t = this.texts.get(element);
    if (t === undefined) this.texts.set(element, (t = JSON.stringify(element)));
    return t;
  }
}

/** What a fact's shared list is swapped for while its batch is turned into text. */
const NO_ELEMENTS: readonly unknown[] = [];

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

  /**
   * Elements of the array being written, as `items` writes them, but with the lists of `shared.field`
   * written from the text of their elements made once: the lists are swapped for an empty one while
   * the batch is turned into text, then written in place of the "field":[] of their fact. A quote
   * inside a string is always escaped, so that text can only be the field itself, met fact by fact.
   */
  itemsSharing(batch: unknown[], shared: SharedLists): void {
    if (batch.length === 0) return;
    const field = shared.field;
    // Per fact with the field as a list: the list it held, or null when it was left (already empty).
    const lists: (unknown[] | null)[] = [];
    let swapped = 0;
    let s: string;
    try {
      for (const fact of batch as Record<string, unknown>[]) {
        const list = fact[field];
        if (!Array.isArray(list)) continue;
        if (list.length > 0) {
          fact[field] = NO_ELEMENTS;
          lists.push(list);
          swapped++;
        } else {
          lists.push(null);
        }
      }
      s = JSON.stringify(batch);
    } finally {
      let k = 0;
      for (const fact of batch as Record<string, unknown>[]) if (fact[field] === NO_ELEMENTS) fact[field] = lists[k++]!;
      else if (Array.isArray(fact[field])) k++;
    }
    if (swapped === 0) {
      this.itemsText(s);
      return;
    }
    const pattern = shared.emptied;
    const places: number[] = [];
    for (let at = 0; places.length < lists.length; at += pattern.length) {
      at = s.indexOf(pattern, at);
      if (at < 0) break;
      places.push(at);
    }
    if (places.length < lists.length) {
      // Never seen: without the places of the lists, the batch is written as it is.
      this.items(batch);
      return;
    }
    // The batch's '[' becomes the comma after the previous element, or is dropped; its ']' is dropped.
    if (this.inArray) this.put(',');
    this.inArray = true;
    let from = 1;
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k]!;
      if (list === null) continue;
      // Up to and with the list's '[', its elements, and on from its ']'.
      const open = places[k]! + pattern.length - 1;
      this.text(s.substring(from, open));
      let elements = shared.text(list[0]);
      for (let i = 1; i < list.length; i++) elements += ',' + shared.text(list[i]);
      this.text(elements);
      from = open;
    }
    this.text(s.substring(from, s.length - 1));
    if (this.len >= FLUSH_AT) this.flush();
  }

  /** Elements of the array being written: the text of the batch as an array, without its brackets. */
  items(batch: unknown[]): void {
    if (batch.length === 0) return;
    this.itemsText(JSON.stringify(batch));
  }

  private itemsText(s: string): void {
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

  /** Any text, encoded as UTF-8 (on its own when it could never fit the buffer). */
  private text(s: string): void {
    if (this.encode(s) < 0) {
      this.flush();
      this.written += writeAllSync(this.fd, s);
    }
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
