/**
 * PCAPdroid captures (made by an app on the phone): the pcapng export with its UID map blocks and
 * per-packet `u-<uid>` comments, and the older pcap with a 32-byte trailer per packet. tshark reads
 * the same files and says which comments, custom blocks and trailers they hold.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Facts } from '../../src/engine/facts.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { MAX_APPS } from '../../src/engine/apps.js';
import { pcap } from '../helpers/paths.js';
import { pcapFile, type Frame } from '../helpers/pcap-writer.js';
import { epbWithComment, ipPackets, trailerFrame, uidMapBody } from '../helpers/pcapdroid.js';
import { tsharkFields } from '../helpers/tshark.js';
import { PcapngBuilder } from './build-pcapng.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-pcapdroid-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const REAL = pcap('pcapdroid-wikipedia.pcapng');

/** `proto src:port dst:port` in a direction-free form, to compare connections with tshark's packets. */
function pairKey(proto: string, a: string, ap: number | string, b: string, bp: number | string): string {
  const x = `${a}:${ap}`;
  const y = `${b}:${bp}`;
  return `${proto} ${x < y ? `${x} ${y}` : `${y} ${x}`}`;
}

function connKeys(f: Facts): Map<string, number | undefined> {
  return new Map(f.connections.filter((c) => c.proto === 'tcp' || c.proto === 'udp').map((c) => [pairKey(c.proto, c.src, c.sport, c.dst, c.dport), c.app]));
}




/** The app of a packet in the built captures: by the lowest port of the packet, so both directions agree. */
function uidFor(ip: Buffer): number {
  const v6 = ip[0]! >> 4 === 6;
  const l4 = v6 ? 40 : (ip[0]! & 15) * 4;
  const lo = Math.min(ip.readUInt16BE(l4), ip.readUInt16BE(l4 + 2));
  return lo === 443 ? 10231 : 1051;
}

describe('PCAPdroid pcapng', () => {
  test('the shared example: every app of the UID map blocks, every connection with the app its packets name', () => {
    const facts = inspectFile(REAL);
    // tshark shows each custom block as a frame with its PEN and bytes; decode them here from the layout.
    const theirApps = tsharkFields(REAL, 'frame.cb_pen == 62652', ['data.data']).map(([hex]) => {
      const b = Buffer.from(hex!, 'hex');
      const pl = b[8]!;
      const nl = b[9]!;
      return { uid: b.readInt32LE(4), package: b.toString('utf8', 10, 10 + pl), name: b.toString('utf8', 10 + pl, 10 + pl + nl) };
    });
    assert.ok(theirApps.length >= 4);
    assert.deepEqual(facts.apps!.map(({ uid, package: p, name }) => ({ uid, package: p, name })).sort((a, b) => a.uid - b.uid), theirApps.sort((a, b) => a.uid - b.uid));
    const rows = tsharkFields(REAL, '!frame.cb_pen && (tcp || udp)', ['frame.comment', 'ip.src', 'ipv6.src', 'tcp.srcport', 'udp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'udp.dstport']);
    const want = new Map<string, number>();
    for (const [comment, s4, s6, ts, us, d4, d6, td, ud] of rows) {
      const key = pairKey(ts ? 'tcp' : 'udp', s4 || s6!, ts || us!, d4 || d6!, td || ud!);
      if (!want.has(key)) want.set(key, Number(comment!.replace(/^u-/, '')));
    }
    assert.deepEqual(new Map([...connKeys(facts)].sort()), new Map([...want].sort()));
    for (const a of facts.apps!) assert.equal(a.connections, facts.connections.filter((c) => c.app === a.uid).length);
    // The facts made from those connections carry the same app.
    assert.ok(facts.http.length > 0 && facts.http.every((h) => h.app !== undefined));
    assert.ok(facts.dns.filter((d) => !d.multicast).every((d) => d.app === 1051));
    assert.deepEqual(facts.capture.malformed, {});
    // And nothing else changes: the same facts as the capture it was made from.
    const plain = inspectFile(pcap('http-wikipedia.pcap'));
    assert.deepEqual(facts.http.map(({ app: _a, ...h }) => h), plain.http);
    assert.equal(facts.connections.length, plain.connections.length);
  });

  test('built from the byte layout, with TLS: apps on connections, TLS facts and the table; tshark reads the comments', () => {
    const b = new PcapngBuilder().shb().idb(101, 0xffff);
    b.block(0xbad, uidMapBody(10231, 'com.vvt.android.syncmanager', 'Sync Services'));
    b.block(0xbad, uidMapBody(1051, 'android.uid.dns', 'DNS'));
    const packets = ipPackets('tls12-letsencrypt-heise.pcap');
    for (const p of packets) epbWithComment(b, p.ts, p.ip, `u-${uidFor(p.ip)}`);
    const file = join(dir, 'built.pcapng');
    writeFileSync(file, b.build());
    const comments = tsharkFields(file, '!frame.cb_pen', ['frame.comment']).map((r) => r[0]);
    assert.deepEqual(comments, packets.map((p) => `u-${uidFor(p.ip)}`));
    assert.equal(tsharkFields(file, 'frame.cb_pen == 62652', ['frame.number']).length, 2);
    const facts = inspectFile(file);
    assert.deepEqual(facts.capture.malformed, {});
    const sync = facts.apps!.find((a) => a.uid === 10231)!;
    assert.deepEqual({ ...sync, connections: 0 }, { uid: 10231, package: 'com.vvt.android.syncmanager', name: 'Sync Services', connections: 0 });
    assert.ok(sync.connections > 0);
    assert.ok(facts.tls.length > 0 && facts.tls.every((t) => t.app === 10231));
    assert.ok(facts.connections.every((c) => c.app === (c.dport === 443 ? 10231 : 1051)));
  });

  test('hostile UID maps and comments are counted, never a crash', () => {
    const b = new PcapngBuilder().shb().idb(101, 0xffff);
    b.block(0xbad, uidMapBody(5, 'com.ok.app', 'OK'));
    b.block(0xbad, uidMapBody(6, 'com.bad', 'Bad', [200, 200])); // lengths past the block's end
    b.block(0xbad, Buffer.from([0xbc, 0xf4, 0, 0, 1, 0, 1, 0])); // too short to hold a map
    b.block(0xbad, Buffer.concat([Buffer.from([0x01, 0x02, 0x03, 0x04]), Buffer.alloc(20)])); // someone else's PEN: ignored
    const packets = ipPackets('dns-a-aaaa-mx-nsec.pcap');
    packets.forEach((p, i) => epbWithComment(b, p.ts, p.ip, i === 0 ? 'u-5' : i === 1 ? 'u-77' : i === 2 ? 'u-x9' : i === 3 ? 'u-' + '9'.repeat(40) : null));
    const file = join(dir, 'hostile.pcapng');
    writeFileSync(file, b.build());
    const facts = inspectFile(file);
    assert.equal(facts.capture.malformed['pcapdroid.bad-uid-map'], 2);
    assert.equal(facts.capture.malformed['pcapdroid.bad-uid-comment'], 2);
    // uid 77 named by a packet but never mapped, uid 6 whose map was damaged.
    assert.equal(facts.capture.malformed['pcapdroid.uid-without-map'], 1);
    assert.deepEqual(facts.apps!.map((a) => [a.uid, a.package]), [[5, 'com.ok.app'], [77, null]]);
    assert.equal(facts.dns.length, inspectFile(pcap('dns-a-aaaa-mx-nsec.pcap')).dns.length);
  });

  test('100k distinct uids: the table stops at its bound, the rest is counted, every packet still decoded', () => {
    const b = new PcapngBuilder().shb().idb(101, 0xffff);
    const [first] = ipPackets('dns-a-aaaa-mx-nsec.pcap');
    const name = 'x'.repeat(255);
    for (let uid = 0; uid < 100_000; uid++) {
      b.block(0xbad, uidMapBody(uid, `com.app${uid}.${name}`.slice(0, 255), name));
      const ip = Buffer.from(first!.ip);
      epbWithComment(b, first!.ts + uid, ip, `u-${uid}`);
    }
    const file = join(dir, 'many.pcapng');
    writeFileSync(file, b.build());
    const facts = inspectFile(file);
    assert.equal(facts.capture.packets, 100_000);
    assert.ok(facts.apps!.length <= MAX_APPS);
    assert.equal(facts.capture.malformed['pcapdroid.too-many-apps'], 100_000 - facts.apps!.length + (100_000 - facts.apps!.length));
  });
});


describe('PCAPdroid pcap with trailers', () => {
  test('apps from the trailers, the trailer not read as payload; tshark sees the same trailers', () => {
    const packets = ipPackets('tls12-letsencrypt-heise.pcap');
    const frames: Frame[] = packets.map((p, i) => ({ ts: p.ts, data: trailerFrame(p.ip, uidFor(p.ip), uidFor(p.ip) === 10231 ? 'Sync Services' : 'DNS', { crcLe: i % 2 === 0 }) }));
    const file = join(dir, 'trailer.pcap');
    writeFileSync(file, pcapFile(frames));
    // tshark shows the trailer as an Ethernet trailer whose last 4 bytes it takes for a frame check sequence.
    const trailers = tsharkFields(file, 'eth.trailer', ['eth.trailer']).map(([hex]) => Buffer.from(hex!.replace(/:/g, ''), 'hex').subarray(-28));
    assert.equal(trailers.length, packets.length);
    trailers.forEach((t, i) => {
      assert.equal(t.readUInt32BE(0), 0x01072021);
      assert.equal(t.readInt32BE(4), uidFor(packets[i]!.ip));
    });
    const facts = inspectFile(file);
    const plain = inspectFile(pcap('tls12-letsencrypt-heise.pcap'));
    assert.deepEqual(facts.capture.malformed, {});
    assert.deepEqual(facts.apps!.map((a) => [a.uid, a.package, a.name]), [[10231, null, 'Sync Services']]);
    assert.deepEqual(facts.tls.map(({ app: _a, ...t }) => t), plain.tls);
    assert.ok(facts.tls.every((t) => t.app === 10231));
    assert.deepEqual(
      facts.connections.map((c) => [c.src, c.sport, c.dst, c.dport, c.packets]),
      plain.connections.map((c) => [c.src, c.sport, c.dst, c.dport, c.packets]),
    );
    // The trailer's 32 bytes are not counted as traffic.
    const frameBytes = frames.reduce((n, f) => n + f.data.length, 0);
    assert.equal(facts.connections.reduce((n, c) => n + c.bytes, 0), frameBytes - 32 * frames.length);
  });

  test('a wrong magic or a wrong checksum is counted and the packet is still decoded without an app', () => {
    const packets = ipPackets('tls12-letsencrypt-heise.pcap');
    const frames: Frame[] = packets.map((p, i) => ({ ts: p.ts, data: trailerFrame(p.ip, 10231, 'Sync', i === 0 ? { magic: 0x01072022 } : i === 1 ? { breakCrc: true } : {}) }));
    const file = join(dir, 'trailer-bad.pcap');
    writeFileSync(file, pcapFile(frames));
    const facts = inspectFile(file);
    assert.equal(facts.capture.malformed['pcapdroid.trailer-bad-magic'], 1);
    assert.equal(facts.capture.malformed['pcapdroid.trailer-bad-checksum'], 1);
    assert.equal(facts.tls.length, inspectFile(pcap('tls12-letsencrypt-heise.pcap')).tls.length);
  });
});

test('Ethernet frames with all-zero addresses and no trailer (a loopback capture) are not taken for PCAPdroid', () => {
  const packets = ipPackets('tls12-letsencrypt-heise.pcap');
  const frames: Frame[] = packets.map((p) => {
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    // Segmentation offload writes 0 as the IPv4 length: the frame's end is the datagram's.
    const ip = Buffer.from(p.ip);
    ip.writeUInt16BE(0, 2);
    return { ts: p.ts, data: Buffer.concat([eth, ip]) };
  });
  const file = join(dir, 'loopback.pcap');
  writeFileSync(file, pcapFile(frames));
  const facts = inspectFile(file);
  assert.deepEqual(facts.capture.malformed, {});
  assert.deepEqual(facts.apps, []);
  assert.equal(facts.tls.length, inspectFile(pcap('tls12-letsencrypt-heise.pcap')).tls.length);
});
