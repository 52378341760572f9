/** Reading must take bounded memory whatever the capture's size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcap } from '../helpers/paths.js';
import { readCaptureFile, readCaptureStream } from '../../src/capture/reader.js';
import type { FrameSink } from '../../src/capture/types.js';
import { writeBigPcap } from './big-capture.js';

const MiB = 1024 * 1024;

/** Touches every frame's bytes so that nothing can be skipped, and keeps nothing. */
class ChecksumSink implements FrameSink {
  frames = 0;
  bytes = 0;
  sum = 0;
  frame(data: Buffer, off: number, caplen: number): void {
    this.frames++;
    this.bytes += caplen;
    this.sum = (this.sum + data[off]! + data[off + caplen - 1]!) | 0;
  }
  malformed(): void {}
}

test('a ~200 MB capture is read in file and push mode with RSS growing by < 64 MB', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-big-'));
  try {
    const file = join(dir, 'big.pcap');
    const big = writeBigPcap(pcap('tls-browsing-mixed.pcap'), file, 200 * MiB);
    assert.ok(big.bytes >= 200 * MiB);

    const base = process.memoryUsage().rss;
    let peak = base;
    const sink = new ChecksumSink();
    const s = readCaptureFile(file, sink, {
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    assert.equal(s.packets, big.packets);
    assert.equal(sink.frames, big.packets);
    assert.equal(s.bytes, big.bytes);
    assert.equal(s.truncated, false);
    // One 1 MiB buffer is all file mode should need.
    assert.ok(peak - base < 16 * MiB, `file mode RSS grew by ${((peak - base) / MiB).toFixed(1)} MiB`);

    const streamSink = new ChecksumSink();
    const s2 = await readCaptureStream(createReadStream(file, { highWaterMark: 1 * MiB }), streamSink, {
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    assert.equal(s2.packets, big.packets);
    assert.equal(streamSink.sum, sink.sum);
    // Push mode also carries the stream's own chunks until they are collected.
    assert.ok(peak - base < 64 * MiB, `push mode RSS grew by ${((peak - base) / MiB).toFixed(1)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
