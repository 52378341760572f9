/** Synthetic pcap files: byte orders, resolutions, damage and files that are not captures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFormatError } from '../../src/capture/types.js';
import { CaptureStreamParser, readCaptureFile } from '../../src/capture/reader.js';
import { ROOT } from '../helpers/paths.js';
import { RecordingSink, buildPcap, pcapHeader, pcapRecord } from './build-pcapng.js';
import { readAllWays } from './harness.js';

const data = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);

for (const le of [true, false]) {
  for (const nsec of [false, true]) {
    test(`pcap ${le ? 'little' : 'big'}-endian, ${nsec ? 'ns' : 'µs'} timestamps`, () => {
      const bytes = buildPcap(
        [
          { sec: 1700000000, frac: nsec ? 123456789 : 123456, data: data(60, 1) },
          { sec: 1700000001, frac: nsec ? 999999999 : 999999, data: data(54, 2), wirelen: 1514 },
          { sec: 0xfffffff0, frac: 0, data: data(1, 3) }, // unsigned seconds, past 2038
        ],
        { le, nsec, linktype: 101 },
      );
      const { summary, sink } = readAllWays(bytes);
      assert.equal(summary.format, 'pcap');
      assert.equal(summary.packets, 3);
      assert.deepEqual(summary.linktypes, [101]);
      assert.equal(summary.bytes, bytes.length);
      const [a, b, c] = sink.frames;
      assert.equal(a!.ts, nsec ? 1700000000 + 123456789 / 1e9 : 1700000000.123456);
      assert.equal(b!.ts, nsec ? 1700000001 + 999999999 / 1e9 : 1700000001.999999);
      assert.equal(c!.ts, 0xfffffff0);
      assert.deepEqual([b!.caplen, b!.wirelen, b!.linktype], [54, 1514, 101]);
      assert.ok(b!.data.equals(data(54, 2)));
    });
  }
}

test('FCS bits above the link type are masked off', () => {
  const bytes = buildPcap([{ sec: 1, frac: 0, data: data(20, 0) }], { linktype: 0x1000_0000 | (4 << 28) | 1 });
  const { summary, sink } = readAllWays(bytes);
  assert.deepEqual(summary.linktypes, [1]);
  assert.equal(sink.frames[0]!.linktype, 1);
});

test('a header-only pcap is a valid, empty capture', () => {
  const { summary, sink } = readAllWays(pcapHeader());
  assert.equal(summary.packets, 0);
  assert.equal(summary.truncated, false);
  assert.equal(sink.frames.length, 0);
  assert.deepEqual(summary.linktypes, [1]);
});

for (const [what, caplen, snaplen] of [
  ['above 256 KiB', 0x7fffffff, 262144],
  ['far above the snaplen', 70000 + 4096 + 65536, 70000],
  ['just above 256 KiB', 262145, 0],
] as const) {
  test(`record length ${what} is damage: reading stops there`, () => {
    const good = [
      { sec: 1, frac: 0, data: data(60, 1) },
      { sec: 2, frac: 0, data: data(70, 2) },
    ];
    const head = buildPcap(good, { snaplen });
    const bad = pcapRecord({ sec: 3, frac: 0, data: data(40, 3), caplen });
    const after = pcapRecord({ sec: 4, frac: 0, data: data(40, 4) });
    const { summary, sink } = readAllWays(Buffer.concat([head, bad, after]));
    assert.equal(summary.packets, 2);
    assert.equal(summary.truncated, true);
    assert.equal(summary.damageOffset, head.length);
    assert.equal(summary.bytes, head.length);
    assert.deepEqual(sink.malformedCounts, { 'pcap.bad-record-length': 1 });
  });
}

test('a record over the snaplen by a little (writers understate it) is still read', () => {
  const bytes = buildPcap([{ sec: 1, frac: 0, data: data(65550, 1) }], { snaplen: 65535 });
  const { summary, sink } = readAllWays(bytes);
  assert.equal(summary.packets, 1);
  assert.equal(sink.frames[0]!.caplen, 65550);
});

test('a file ending inside a record header is truncated at that record', () => {
  const head = buildPcap([{ sec: 1, frac: 0, data: data(60, 1) }]);
  const partial = pcapRecord({ sec: 2, frac: 0, data: data(60, 2) }).subarray(0, 10);
  const { summary, sink } = readAllWays(Buffer.concat([head, partial]));
  assert.equal(summary.packets, 1);
  assert.equal(summary.truncated, true);
  assert.equal(summary.damageOffset, head.length);
  assert.deepEqual(sink.malformedCounts, { 'capture.truncated': 1 });
});

test('a file that is not a capture (JSON) is a CaptureFormatError at offset 0 naming what was found', () => {
  const file = join(ROOT, 'package.json');
  assert.throws(
    () => readCaptureFile(file, new RecordingSink()),
    (e: unknown) =>
      e instanceof CaptureFormatError &&
      e.offset === 0 &&
      /offset 0/.test(e.message) &&
      /7b 0a 20 20/.test(e.message) &&
      /not a pcap or pcapng/.test(e.message),
  );
  const parser = new CaptureStreamParser(new RecordingSink());
  assert.throws(() => parser.push(Buffer.from('{"a": 1}')), (e: unknown) => e instanceof CaptureFormatError && e.offset === 0);
});

test('empty and too-short files are CaptureFormatErrors at offset 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-short-'));
  try {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /empty file/],
      [Buffer.from([0xd4, 0xc3]), /too short for a capture header: only 2 bytes/],
      [pcapHeader().subarray(0, 20), /too short for a pcap header \(24 bytes\): only 20 bytes/],
    ];
    for (const [bytes, re] of cases) {
      const file = join(dir, 'x');
      writeFileSync(file, bytes);
      assert.throws(
        () => readCaptureFile(file, new RecordingSink()),
        (e: unknown) => e instanceof CaptureFormatError && e.offset === 0 && re.test(e.message),
        re.source,
      );
      assert.throws(() => readAllWays(bytes), (e: unknown) => e instanceof CaptureFormatError && re.test(e.message));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Kuznetzov "modified" pcap is reported as unsupported', () => {
  const h = pcapHeader();
  h.writeUInt32LE(0xa1b2cd34, 0);
  assert.throws(() => readAllWays(h), (e: unknown) => e instanceof CaptureFormatError && /modified/.test(e.message));
});

test('onProgress reports bytes read against the file size', () => {
  const bytes = buildPcap(Array.from({ length: 1000 }, (_, i) => ({ sec: i, frac: 0, data: data(100, i & 0xff) })));
  const dir = mkdtempSync(join(tmpdir(), 'qc-prog-'));
  try {
    const file = join(dir, 'x.pcap');
    writeFileSync(file, bytes);
    const calls: Array<[number, number]> = [];
    const s = readCaptureFile(file, new RecordingSink(), { chunkSize: 10_000, onProgress: (r, t) => calls.push([r, t]) });
    assert.equal(s.packets, 1000);
    assert.ok(calls.length >= 11);
    assert.deepEqual(calls.at(-1), [bytes.length, bytes.length]);
    assert.ok(calls.every(([r], i) => i === 0 || r > calls[i - 1]![0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the parser refuses use after end()', () => {
  const p = new CaptureStreamParser(new RecordingSink());
  p.push(pcapHeader());
  p.end();
  assert.throws(() => p.push(pcapHeader()), /after end/);
  assert.throws(() => p.end(), /twice/);
});
