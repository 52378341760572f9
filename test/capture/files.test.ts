/**
 * Every real capture in the shared folder, read by quietcheck and by tshark (the oracle, run
 * here rather than stored), must agree frame by frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCAPS, pcap } from '../helpers/paths.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import { RecordingSink } from './build-pcapng.js';

interface OracleFrame {
  sec: number;
  nanos: number;
  wirelen: number;
  caplen: number;
  iface: number;
}

function tshark(file: string): { frames: OracleFrame[]; stderr: string } {
  // tshark exits non-zero on a cut file but still prints the packets before the cut.
  const r = spawnSync(
    'tshark',
    // Custom blocks (PCAPdroid's app maps) are frames to tshark but hold no packet.
    ['-r', file, '-Y', '!frame.cb_pen', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.error) throw r.error;
  const frames = r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [epoch, len, cap, iface] = line.split('\t');
      const [s, f = ''] = epoch!.split('.');
      return {
        sec: Number(s),
        nanos: Number(f.padEnd(9, '0').slice(0, 9)),
        wirelen: Number(len),
        caplen: Number(cap),
        iface: iface === undefined || iface === '' ? 0 : Number(iface),
      };
    });
  return { frames, stderr: r.stderr };
}

const ulp = (x: number): number => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

function assertTimestamp(ts: number, o: OracleFrame, where: string): void {
  const expected = o.sec + o.nanos / 1e9;
  assert.ok(Math.abs(ts - expected) <= ulp(expected), `${where}: ts ${ts} vs tshark ${o.sec}.${String(o.nanos).padStart(9, '0')}`);
  assert.equal(Math.floor(ts), o.sec, `${where}: whole seconds`);
  if (o.nanos % 1000 === 0) {
    // ts - sec is exact in doubles, so the microseconds must come out exactly.
    assert.equal(Math.round((ts - o.sec) * 1e6), o.nanos / 1000, `${where}: microseconds`);
  }
}

const files = readdirSync(PCAPS)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();

test('the shared folder holds the captures this suite relies on', () => {
  assert.ok(files.length >= 30, `found ${files.length} captures`);
});

for (const name of files) {
  test(`${name}: frames equal tshark's (count, caplen, wirelen, timestamp)`, () => {
    const sink = new RecordingSink();
    const summary = readCaptureFile(pcap(name), sink);
    const oracle = tshark(pcap(name));
    assert.ok(oracle.frames.length > 0, 'tshark read frames');
    assert.equal(summary.packets, oracle.frames.length, 'packet count');
    assert.equal(sink.frames.length, oracle.frames.length);
    for (let i = 0; i < oracle.frames.length; i++) {
      const f = sink.frames[i]!;
      const o = oracle.frames[i]!;
      assert.equal(f.caplen, o.caplen, `frame ${i + 1} caplen`);
      assert.equal(f.wirelen, o.wirelen, `frame ${i + 1} wirelen`);
      assert.equal(f.data.length, f.caplen);
      assertTimestamp(f.ts, o, `frame ${i + 1}`);
    }
    assert.equal(summary.format, name.endsWith('.pcapng') ? 'pcapng' : 'pcap');
    assert.ok(summary.linktypes.length >= 1);
    if (name === 'http-wikipedia-cut.pcap') {
      assert.match(oracle.stderr, /cut short/);
    } else {
      assert.equal(summary.truncated, false, 'not truncated');
      assert.equal(summary.damageOffset, null);
      assert.deepEqual(sink.malformedCounts, {});
    }
  });
}

test('every capture re-encoded by editcap (pcap ⇄ pcapng) yields the same frames, bytes included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-editcap-'));
  try {
    for (const name of files) {
      if (name === 'http-wikipedia-cut.pcap') continue; // editcap refuses a cut file
      if (name === 'pcapdroid-wikipedia.pcapng') continue; // editcap cannot put custom blocks in a pcap
      const other = join(dir, name.endsWith('.pcapng') ? 'x.pcap' : 'x.pcapng');
      const r = spawnSync('editcap', ['-F', name.endsWith('.pcapng') ? 'pcap' : 'pcapng', pcap(name), other], { encoding: 'utf8' });
      assert.equal(r.status, 0, `editcap ${name}: ${r.stderr}`);
      const a = new RecordingSink();
      const b = new RecordingSink();
      readCaptureFile(pcap(name), a);
      readCaptureFile(other, b);
      assert.equal(b.frames.length, a.frames.length, `${name}: count`);
      for (let i = 0; i < a.frames.length; i++) {
        const x = a.frames[i]!;
        const y = b.frames[i]!;
        assert.ok(x.data.equals(y.data), `${name} frame ${i + 1}: bytes`);
        assert.equal(y.wirelen, x.wirelen);
        assert.equal(y.linktype, x.linktype, `${name} frame ${i + 1}: linktype`);
        // pcapng → pcap goes down to microseconds when the source had nanoseconds.
        const tolerance = name.endsWith('.pcapng') ? 1e-6 : ulp(x.ts);
        assert.ok(Math.abs(y.ts - x.ts) <= tolerance, `${name} frame ${i + 1}: ts ${y.ts} vs ${x.ts}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('big-endian pcap equals its little-endian original', () => {
  const le = new RecordingSink();
  const be = new RecordingSink();
  const sLe = readCaptureFile(pcap('tls12-letsencrypt-heise.pcap'), le);
  const sBe = readCaptureFile(pcap('tls12-letsencrypt-heise-bigendian.pcap'), be);
  assert.deepEqual(sBe, sLe);
  assert.ok(le.frames.length > 10);
  assert.deepEqual(be.frames, le.frames);
  assert.deepEqual(sLe.linktypes, [1]);
});

test('nanosecond pcap: timestamps keep nanoseconds as far as doubles allow', () => {
  const sink = new RecordingSink();
  const s = readCaptureFile(pcap('dns-a-aaaa-mx-nsec.pcap'), sink);
  const oracle = tshark(pcap('dns-a-aaaa-mx-nsec.pcap')).frames;
  assert.equal(s.packets, oracle.length);
  assert.equal(sink.frames[0]!.ts, 1494364058.364077);
  for (let i = 0; i < oracle.length; i++) assertTimestamp(sink.frames[i]!.ts, oracle[i]!, `frame ${i + 1}`);
});

test('pcapng with two interfaces: per-interface link type and timestamp resolution', () => {
  const sink = new RecordingSink();
  const s = readCaptureFile(pcap('pcapng-two-interfaces-dns.pcapng'), sink);
  const oracle = tshark(pcap('pcapng-two-interfaces-dns.pcapng')).frames;
  assert.equal(s.format, 'pcapng');
  assert.ok(new Set(oracle.map((o) => o.iface)).size === 2, 'tshark sees two interfaces');
  assert.deepEqual(s.linktypes, [1]);
  // Interface 0 stamps in nanoseconds: the first frame is .500330493 s.
  assert.equal(oracle[0]!.nanos, 500330493);
  assertTimestamp(sink.frames[0]!.ts, oracle[0]!, 'frame 1');
  assert.ok(Math.abs(sink.frames[0]!.ts - 1767663089.500330493) < 2.5e-7);
  assert.deepEqual(s.unknownBlocks, {});
});

test('a capture cut inside a packet: whole records delivered, truncation reported at that record', () => {
  const sink = new RecordingSink();
  const s = readCaptureFile(pcap('http-wikipedia-cut.pcap'), sink);
  assert.equal(s.packets, 81);
  assert.equal(sink.frames.length, 81);
  assert.equal(s.truncated, true);
  // The file ends with a 16-byte record header and 20 bytes of its data.
  assert.equal(s.damageOffset, 16593 - 16 - 20);
  assert.equal(s.bytes, 16593);
  assert.deepEqual(sink.malformedCounts, { 'capture.truncated': 1 });
  const whole = new RecordingSink();
  readCaptureFile(pcap('http-wikipedia.pcap'), whole);
  assert.deepEqual(sink.frames, whole.frames.slice(0, 81));
});

test('snaplen-truncated packets arrive with caplen < wirelen', () => {
  const sink = new RecordingSink();
  const s = readCaptureFile(pcap('tcp-snaplen-truncated.pcap'), sink);
  assert.equal(s.truncated, false);
  const cut = sink.frames.filter((f) => f.caplen < f.wirelen);
  assert.ok(cut.length > 0);
  assert.ok(sink.frames.every((f) => f.caplen <= 68), 'snaplen is 68');
  assert.equal(sink.frames[0]!.caplen, 68);
  assert.equal(sink.frames[0]!.wirelen, 74);
});

test('link types pass through from the global header', () => {
  const expect: Record<string, number> = {
    'dns-cname-additional-rawip4.pcap': 228,
    'http-sll.pcap': 113,
    'http-sll2.pcap': 276,
    'http-ipv6-null.pcap': 0,
    'tls13-rawip.pcap': 101,
    'http-vlan.pcap': 1,
  };
  for (const [name, lt] of Object.entries(expect)) {
    const sink = new RecordingSink();
    const s = readCaptureFile(pcap(name), sink);
    assert.deepEqual(s.linktypes, [lt], name);
    assert.ok(sink.frames.every((f) => f.linktype === lt), name);
  }
});
