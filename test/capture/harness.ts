/** Reads a capture every way the readers offer and insists that all ways agree. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureStreamParser, readCaptureFile } from '../../src/capture/reader.js';
import type { CaptureSummary } from '../../src/capture/types.js';
import { RecordingSink } from './build-pcapng.js';

export interface ReadResult {
  summary: CaptureSummary;
  sink: RecordingSink;
}

/** Deterministic generator so that a failing chunking can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function pushInChunks(bytes: Buffer, maxChunk: number, seed: number): ReadResult {
  const sink = new RecordingSink();
  const parser = new CaptureStreamParser(sink);
  const rand = rng(seed);
  for (let off = 0; off < bytes.length; ) {
    const n = Math.min(bytes.length - off, 1 + Math.floor(rand() * maxChunk));
    // A fresh copy per chunk, as a pipe would deliver, so no frame can alias the source.
    parser.push(Buffer.from(bytes.subarray(off, off + n)));
    off += n;
  }
  return { summary: parser.end(), sink };
}

function outcome(fn: () => ReadResult): ReadResult | Error {
  try {
    return fn();
  } catch (err) {
    return err as Error;
  }
}

/**
 * File mode with the default buffer, file mode with a tiny buffer (every record straddles a
 * refill), push mode whole and in random chunks: all must give the same frames, summary,
 * malformed counts, or the same error.
 */
export function readAllWays(bytes: Buffer): ReadResult {
  const dir = mkdtempSync(join(tmpdir(), 'qc-cap-'));
  try {
    const file = join(dir, 'x.cap');
    writeFileSync(file, bytes);
    const fileRead = (chunkSize?: number) => (): ReadResult => {
      const sink = new RecordingSink();
      return { summary: readCaptureFile(file, sink, chunkSize === undefined ? {} : { chunkSize }), sink };
    };
    const ways: Array<[string, ReadResult | Error]> = [
      ['file', outcome(fileRead())],
      ['file/64', outcome(fileRead(64))],
      ['file/100', outcome(fileRead(100))],
      ['push whole', outcome(() => pushInChunks(bytes, bytes.length || 1, 1))],
      ['push 1..7', outcome(() => pushInChunks(bytes, 7, 2))],
      ['push 1..300', outcome(() => pushInChunks(bytes, 300, 3))],
    ];
    const [, first] = ways[0]!;
    for (const [name, r] of ways.slice(1)) {
      if (first instanceof Error) {
        assert.ok(r instanceof Error, `${name}: expected an error like file mode (${first.message})`);
        assert.equal(r.constructor, first.constructor, name);
        assert.equal(r.message, first.message, name);
      } else {
        assert.ok(!(r instanceof Error), `${name}: unexpected error ${r instanceof Error ? r.message : ''}`);
        assert.deepEqual(r.summary, first.summary, `${name}: summary`);
        assert.deepEqual(r.sink.frames, first.sink.frames, `${name}: frames`);
        assert.deepEqual(r.sink.malformedCounts, first.sink.malformedCounts, `${name}: malformed`);
      }
    }
    if (first instanceof Error) throw first;
    return first;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
