/** Push mode (pipes) must deliver exactly what file mode delivers, however the bytes are split. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PCAPS, ROOT, pcap } from '../helpers/paths.js';
import { readCaptureFile, readCaptureStream } from '../../src/capture/reader.js';
import { CaptureFormatError } from '../../src/capture/types.js';
import { RecordingSink } from './build-pcapng.js';
import { pushInChunks } from './harness.js';

const files = readdirSync(PCAPS)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();

test('every shared capture pushed in random 1..5000-byte chunks equals file mode', () => {
  let seed = 7;
  for (const name of files) {
    const bytes = readFileSync(pcap(name));
    const fileSink = new RecordingSink();
    const fileSummary = readCaptureFile(pcap(name), fileSink);
    for (let round = 0; round < 3; round++) {
      const { summary, sink } = pushInChunks(bytes, 5000, seed++);
      assert.deepEqual(summary, fileSummary, `${name} round ${round}: summary`);
      assert.equal(sink.frames.length, fileSink.frames.length, `${name}: count`);
      assert.deepEqual(sink.frames, fileSink.frames, `${name} round ${round}: frames`);
      assert.deepEqual(sink.malformedCounts, fileSink.malformedCounts, name);
    }
    // Byte-by-byte, the worst case for the carry buffer.
    if (bytes.length < 50_000) {
      const { sink } = pushInChunks(bytes, 1, 1);
      assert.deepEqual(sink.frames, fileSink.frames, `${name} byte by byte`);
    }
  }
});

test('readCaptureStream over a file stream and over a real pipe', async () => {
  const name = 'tls-browsing-mixed.pcap';
  const fileSink = new RecordingSink();
  const expected = readCaptureFile(pcap(name), fileSink);

  const a = new RecordingSink();
  let progress = 0;
  const viaStream = await readCaptureStream(createReadStream(pcap(name), { highWaterMark: 4093 }), a, {
    onProgress: (n) => (progress = n),
  });
  assert.deepEqual(viaStream, expected);
  assert.deepEqual(a.frames, fileSink.frames);
  assert.equal(progress, readFileSync(pcap(name)).length);

  const child = spawn('cat', [pcap(name)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const b = new RecordingSink();
  const viaPipe = await readCaptureStream(child.stdout, b);
  assert.deepEqual(viaPipe, expected);
  assert.equal(b.frames.length, fileSink.frames.length);
  assert.deepEqual(b.frames, fileSink.frames);
});

test('readCaptureStream of a cut capture reports the truncation like file mode', async () => {
  const expected = readCaptureFile(pcap('http-wikipedia-cut.pcap'), new RecordingSink());
  const s = await readCaptureStream(createReadStream(pcap('http-wikipedia-cut.pcap'), { highWaterMark: 1000 }), new RecordingSink());
  assert.deepEqual(s, expected);
  assert.equal(s.truncated, true);
  assert.equal(s.packets, 81);
});

test('readCaptureStream rejects a stream that is not a capture', async () => {
  await assert.rejects(
    readCaptureStream(createReadStream(join(ROOT, 'package.json')), new RecordingSink()),
    (e: unknown) => e instanceof CaptureFormatError && e.offset === 0,
  );
});
