/** Synthetic pcapng files covering what the shared captures do not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFormatError } from '../../src/capture/types.js';
import { unitsToSeconds } from '../../src/capture/pcapng.js';
import { formatIPv6 } from '../../src/decode/text.js';
import { PcapngBuilder, ipv4Bytes, ipv6Bytes } from './build-pcapng.js';
import { readAllWays, rng } from './harness.js';

const ulp = (x: number): number => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
const pkt = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);
const NS = 1_000_000_000n;

test('big-endian section: interfaces, packets and lengths read in its byte order', () => {
  const b = new PcapngBuilder()
    .shb({ le: false })
    .idb(1, 65535)
    .epb(0, 1_700_000_000_123_456n, pkt(60, 0xaa), 60)
    .epb(0, 1_700_000_001_000_001n, pkt(41, 0xbb), 1500);
  const { summary, sink } = readAllWays(b.build());
  assert.equal(summary.format, 'pcapng');
  assert.equal(summary.packets, 2);
  assert.deepEqual(summary.linktypes, [1]);
  const [f1, f2] = sink.frames;
  assert.equal(f1!.caplen, 60);
  assert.ok(f1!.data.equals(pkt(60, 0xaa)));
  assert.equal(f1!.ts, 1700000000.123456);
  assert.equal(f2!.caplen, 41);
  assert.equal(f2!.wirelen, 1500);
  assert.ok(f2!.data.equals(pkt(41, 0xbb)));
  assert.equal(f2!.ts, 1700000001.000001);
  assert.deepEqual(sink.malformedCounts, {});
});

test('two sections: each has its own byte order and its own interfaces', () => {
  const b = new PcapngBuilder()
    .shb({ le: true })
    .idb(1, 0)
    .idb(113, 0)
    .epb(1, 1_600_000_000_000_000n, pkt(20, 1))
    .shb({ le: false })
    .idb(101, 0, { tsresol: 9 })
    .epb(0, 1_600_000_100n * NS + 5n, pkt(30, 2))
    // Interface 1 belonged to the first section only.
    .epb(1, 1_600_000_100n * NS, pkt(30, 3))
    .epb(0, 1_600_000_101n * NS, pkt(31, 4));
  const { summary, sink } = readAllWays(b.build());
  assert.equal(summary.packets, 3);
  assert.deepEqual(summary.linktypes, [1, 113, 101]);
  assert.deepEqual(
    sink.frames.map((f) => [f.linktype, f.caplen, f.data[0]]),
    [
      [113, 20, 1],
      [101, 30, 2],
      [101, 31, 4],
    ],
  );
  assert.deepEqual(sink.malformedCounts, { 'pcapng.unknown-interface': 1 });
  assert.equal(summary.truncated, false);
});

test('if_tsresol 9 (ns) and 2^-20, and if_tsoffset', () => {
  const ns = 1_767_663_089_500_330_493n;
  const b = new PcapngBuilder()
    .shb()
    .idb(1, 0, { tsresol: 9 })
    .idb(1, 0, { tsresol: 0x80 | 20 })
    .idb(1, 0, { tsresol: 6, tsoffset: 1_000_000_000n })
    .idb(1, 0, { tsresol: 3 })
    .epb(0, ns, pkt(10, 0))
    .epb(1, 1_700_000_000n * 2n ** 20n + 2n ** 19n + 1n, pkt(10, 0))
    .epb(2, 700_000_000_250_000n, pkt(10, 0))
    .epb(3, 1_700_000_000_999n, pkt(10, 0));
  const { sink } = readAllWays(b.build());
  const [a, c, d, e] = sink.frames.map((f) => f.ts);
  const expectA = Number('1767663089.500330493');
  assert.ok(Math.abs(a! - expectA) <= ulp(expectA), `ns: ${a} vs ${expectA}`);
  assert.equal(Math.floor(a!), 1767663089);
  assert.equal(Math.round((a! - 1767663089) * 1e6), 500330);
  // Binary fractions are exact in a double down to its precision.
  assert.equal(c, 1700000000.5 + 2 ** -20);
  assert.equal(d, 1700000000.25);
  assert.equal(e, 1700000000.999);
});

test('unitsToSeconds: whole seconds exact and fraction within one ulp over the 64-bit range', () => {
  const rand = rng(42);
  const divisors = [1, 1000, 1_000_000, 1_000_000_000, 2 ** 20, 2 ** 30, 10 ** 10];
  for (let i = 0; i < 20000; i++) {
    const hi = Math.floor(rand() * 2 ** 32);
    const lo = Math.floor(rand() * 2 ** 32);
    const div = divisors[i % divisors.length]!;
    const u = (BigInt(hi) << 32n) | BigInt(lo);
    const q = u / BigInt(div);
    const r = u % BigInt(div);
    const got = unitsToSeconds(hi, lo, div);
    if (q < 2n ** 52n) {
      // The exact value, rounded once: decimal text is correctly rounded by Number().
      const exact = div % 10 === 0 || div === 1 ? Number(`${q}.${r.toString().padStart(String(div).length - 1, '0')}`) : Number(q) + Number(r) / div;
      assert.ok(Math.abs(got - exact) <= ulp(exact), `hi=${hi} lo=${lo} div=${div}: ${got} vs ${exact}`);
    } else {
      assert.ok(Math.abs(got - Number(q)) <= ulp(Number(q)) * 2, `hi=${hi} lo=${lo} div=${div}`);
    }
  }
  // A nanosecond epoch near 2038: the naive hi*2^32+lo double is off by hundreds of ns.
  assert.equal(unitsToSeconds(0x7fffffff, 0xffffffff, 1e9), 9223372036.854775807);
});

test('Simple Packet Block: interface 0, caplen limited by snaplen and by the block', () => {
  const b = new PcapngBuilder()
    .shb()
    .idb(1, 64)
    .epb(0, 1_700_000_000_000_000n, pkt(50, 9))
    .spb(pkt(100, 7), 100)
    .spb(pkt(60, 8), 1500);
  const { summary, sink } = readAllWays(b.build());
  assert.equal(summary.packets, 3);
  const [, s1, s2] = sink.frames;
  assert.deepEqual([s1!.caplen, s1!.wirelen], [64, 100]);
  assert.ok(s1!.data.equals(pkt(64, 7)));
  assert.deepEqual([s2!.caplen, s2!.wirelen], [60, 1500]);
  assert.ok(s2!.data.equals(pkt(60, 8)));
  // No timestamp in an SPB: the previous packet's is kept.
  assert.equal(s1!.ts, 1700000000);
  assert.equal(s1!.linktype, 1);
});

test('obsolete Packet Block (type 2) is read like an EPB', () => {
  const b = new PcapngBuilder().shb().idb(228, 0).pb(0, 1_700_000_000_000_007n, pkt(33, 5), 40);
  const { sink } = readAllWays(b.build());
  assert.equal(sink.frames.length, 1);
  assert.deepEqual([sink.frames[0]!.caplen, sink.frames[0]!.wirelen, sink.frames[0]!.linktype], [33, 40, 228]);
  assert.equal(sink.frames[0]!.ts, 1700000000.000007);
});

test('Name Resolution Block: IPv4 and IPv6 entries with several names', () => {
  const b = new PcapngBuilder()
    .shb({ le: false })
    .idb(1)
    .nrb([
      { address: ipv4Bytes('192.0.2.7'), names: ['tracker.example', 'cdn.tracker.example'] },
      { address: ipv6Bytes([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), names: ['v6.example'] },
    ])
    .epb(0, 1n, pkt(14, 0));
  const { summary } = readAllWays(b.build());
  assert.deepEqual(summary.nameResolution, [
    { address: '192.0.2.7', names: ['tracker.example', 'cdn.tracker.example'] },
    { address: '2001:db8::1', names: ['v6.example'] },
  ]);
  assert.equal(summary.packets, 1);
});

test('IPv6 text form follows RFC 5952', () => {
  const f = (g: number[]): string => formatIPv6(ipv6Bytes(g), 0);
  assert.equal(f([0, 0, 0, 0, 0, 0, 0, 1]), '::1');
  assert.equal(f([0, 0, 0, 0, 0, 0, 0, 0]), '::');
  assert.equal(f([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]), '2001:db8:0:1::1');
  assert.equal(f([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), '2001:db8::1:0:0:1');
  assert.equal(f([0x2001, 0xdb8, 1, 2, 3, 4, 0, 5]), '2001:db8:1:2:3:4:0:5');
  assert.equal(f([0xfe80, 0, 0, 0, 0x1ff, 0xfe23, 0x4567, 0x890a]), 'fe80::1ff:fe23:4567:890a');
});

test('Decryption Secrets Block: a TLS key log is kept as text, other secrets ignored', () => {
  const keylog =
    'CLIENT_RANDOM 52362c10a2665e323a2adb4b9da0c10d4a8823719272f8b4c97af24f92784812 ' +
    'cf7a0f1a2f2de3a1ac0ff0ac5e7f5bd9e5bfbfd5cb0e0e88e88f93a1a5b1f6d76a9c0c4cfb2f6ef7fb3b4d87ad5b1c3f\n';
  const b = new PcapngBuilder()
    .shb()
    .dsb(0x544c534b, Buffer.from(keylog))
    .dsb(0x57474b4c, Buffer.from('wireguard secrets'))
    .idb(1)
    .epb(0, 1n, pkt(14, 0));
  const { summary, sink } = readAllWays(b.build());
  assert.deepEqual(summary.tlsKeyLogs, [keylog]);
  assert.equal(sink.frames.length, 1);
});

test('unknown block types are skipped and counted; ISB and custom blocks are skipped silently', () => {
  const b = new PcapngBuilder()
    .shb()
    .idb(1)
    .block(0x12345, Buffer.from('whatever'))
    .epb(0, 1n, pkt(14, 1))
    .isb(0)
    .block(0xbad, Buffer.from('custom'))
    .block(0x40000bad, Buffer.from('custom'))
    .block(0x12345, Buffer.alloc(0))
    .block(7, Buffer.alloc(4))
    .epb(0, 2n, pkt(14, 2));
  const { summary, sink } = readAllWays(b.build());
  assert.deepEqual(summary.unknownBlocks, { '74565': 2, '7': 1 });
  assert.equal(sink.frames.length, 2);
  assert.deepEqual(sink.malformedCounts, {});
});

test('EPB naming an undefined interface is counted and skipped', () => {
  const b = new PcapngBuilder().shb().idb(1).epb(3, 1n, pkt(14, 1)).epb(0, 2n, pkt(14, 2));
  const { summary, sink } = readAllWays(b.build());
  assert.equal(summary.packets, 1);
  assert.equal(sink.frames[0]!.data[0], 2);
  assert.deepEqual(sink.malformedCounts, { 'pcapng.unknown-interface': 1 });
});

test('EPB whose captured length overruns its block is counted and skipped', () => {
  const good = new PcapngBuilder().shb().idb(1).build();
  const epb = new PcapngBuilder().epb(0, 1n, pkt(16, 1)).build();
  epb.writeUInt32LE(1000, 20); // caplen beyond the block
  const tail = new PcapngBuilder().epb(0, 2n, pkt(14, 2)).build();
  const { summary, sink } = readAllWays(Buffer.concat([good, epb, tail]));
  assert.equal(summary.packets, 1);
  assert.deepEqual(sink.malformedCounts, { 'pcapng.bad-packet-length': 1 });
  assert.equal(summary.truncated, false);
});

for (const [what, patch] of [
  ['not a multiple of 4', (b: Buffer, at: number) => b.writeUInt32LE(46, at + 4)],
  ['shorter than 12', (b: Buffer, at: number) => b.writeUInt32LE(8, at + 4)],
  ['trailing length mismatch', (b: Buffer, at: number) => b.writeUInt32LE(44, at + 44)],
  ['absurdly large (> 16 MiB)', (b: Buffer, at: number) => b.writeUInt32LE(0x40000000, at + 4)],
] as const) {
  test(`corrupt block length (${what}): damage stops reading at that block`, () => {
    const head = new PcapngBuilder().shb().idb(1).epb(0, 1n, pkt(14, 1)).build();
    const bad = new PcapngBuilder().epb(0, 2n, pkt(16, 2)).build(); // 48 bytes
    assert.equal(bad.length, 48);
    const tail = new PcapngBuilder().epb(0, 3n, pkt(14, 3)).build();
    const bytes = Buffer.concat([head, bad, tail]);
    patch(bytes, head.length);
    const { summary, sink } = readAllWays(bytes);
    assert.equal(summary.packets, 1);
    assert.equal(sink.frames[0]!.data[0], 1);
    assert.equal(summary.truncated, true);
    assert.equal(summary.damageOffset, head.length);
    assert.equal(summary.bytes, head.length);
    assert.deepEqual(sink.malformedCounts, { 'pcapng.bad-block-length': 1 });
  });
}

test('pcapng cut inside a block: earlier blocks delivered, truncation at the cut block', () => {
  const head = new PcapngBuilder().shb().idb(1).epb(0, 1n, pkt(14, 1)).build();
  const last = new PcapngBuilder().epb(0, 2n, pkt(100, 2)).build();
  const bytes = Buffer.concat([head, last.subarray(0, 50)]);
  const { summary, sink } = readAllWays(bytes);
  assert.equal(summary.packets, 1);
  assert.equal(summary.truncated, true);
  assert.equal(summary.damageOffset, head.length);
  assert.equal(summary.bytes, bytes.length);
  assert.deepEqual(sink.malformedCounts, { 'capture.truncated': 1 });
});

test('a pcapng whose first section header is unreadable is not a capture', () => {
  const shb = new PcapngBuilder().shb().build();
  shb.writeUInt32LE(0xdeadbeef, 8);
  assert.throws(() => readAllWays(shb), (e: unknown) => e instanceof CaptureFormatError && e.offset === 0 && /byte-order magic deadbeef/.test(e.message));
  const v2 = new PcapngBuilder().shb({ major: 2 }).build();
  assert.throws(() => readAllWays(v2), (e: unknown) => e instanceof CaptureFormatError && /version 2/.test(e.message));
  const cut = new PcapngBuilder().shb().build().subarray(0, 20);
  assert.throws(() => readAllWays(cut), (e: unknown) => e instanceof CaptureFormatError && e.offset === 0 && /too short/.test(e.message));
});

test('block larger than the read buffer grows it (file mode with a small chunk)', () => {
  const big = pkt(300_000, 0x5a);
  big[299_999] = 1;
  const b = new PcapngBuilder().shb().idb(1, 0).epb(0, 1n, big).epb(0, 2n, pkt(20, 3));
  const { sink } = readAllWays(b.build());
  assert.equal(sink.frames.length, 2);
  assert.ok(sink.frames[0]!.data.equals(big));
});

test('tshark reads the synthetic sections the same way', () => {
  const b = new PcapngBuilder()
    .shb({ le: false })
    .idb(1, 0, { tsresol: 9 })
    .epb(0, 1_767_663_089_500_330_493n, pkt(60, 1))
    .shb({ le: true })
    .idb(1, 0, { tsresol: 0x80 | 20 })
    .idb(1, 0)
    .epb(1, 1_700_000_000_123_456n, pkt(61, 2), 99)
    .epb(0, 1_700_000_000n * 2n ** 20n + 3n, pkt(62, 3))
    .block(0x12345, Buffer.from('unknown'));
  const bytes = b.build();
  const ours = readAllWays(bytes).sink.frames;
  const dir = mkdtempSync(join(tmpdir(), 'qc-ng-'));
  try {
    const file = join(dir, 'x.pcapng');
    writeFileSync(file, bytes);
    const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'], {
      encoding: 'utf8',
    });
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.equal(rows.length, ours.length, r.stderr);
    rows.forEach(([epoch, len, cap], i) => {
      const f = ours[i]!;
      assert.equal(f.wirelen, Number(len));
      assert.equal(f.caplen, Number(cap));
      assert.ok(Math.abs(f.ts - Number(epoch)) <= ulp(f.ts), `${f.ts} vs ${epoch}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
