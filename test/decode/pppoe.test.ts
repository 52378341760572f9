/**
 * PPPoE (a home router's uplink), with and without 802.1Q/QinQ tags, built by wrapping the IP packets of
 * the shared captures in PPPoE session frames; tshark says what the wrapped captures contain.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { networkOffset } from '../../src/decode/link.js';
import type { Facts } from '../../src/engine/facts.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { pcap } from '../helpers/paths.js';
import { pcapFile, readFrames, type Frame } from '../helpers/pcap-writer.js';
import { tsharkFields, tsharkOracle } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-pppoe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MACS = Buffer.from('02000000000102000000000200', 'hex').subarray(0, 12);
const SESSION = 0x2a17;

/** Ethernet header with the given tag stack (outer first): [tpid, vlan id]. */
function ethernet(tags: [number, number][], type: number): Buffer {
  const b = Buffer.alloc(12 + tags.length * 4 + 2);
  MACS.copy(b, 0);
  let o = 12;
  for (const [tpid, id] of tags) {
    b.writeUInt16BE(tpid, o);
    b.writeUInt16BE(id, o + 2);
    o += 4;
  }
  b.writeUInt16BE(type, o);
  return b;
}

/** A PPPoE session frame carrying `payload` under PPP protocol `proto` (one byte when compressed). */
function session(tags: [number, number][], proto: number, payload: Buffer, compressed = false): Buffer {
  const ppp = compressed ? Buffer.from([proto]) : Buffer.from([proto >> 8, proto & 0xff]);
  const h = Buffer.alloc(6);
  h[0] = 0x11;
  h.writeUInt16BE(SESSION, 2);
  h.writeUInt16BE(ppp.length + payload.length, 4);
  return Buffer.concat([ethernet(tags, 0x8864), h, ppp, payload]);
}

/** A discovery frame (PADI 0x09, PADO 0x07, PADR 0x19, PADS 0x65, PADT 0xa7) with a Service-Name tag. */
function discovery(tags: [number, number][], code: number, sessionId: number): Buffer {
  const tlv = Buffer.from([0x01, 0x01, 0x00, 0x00]);
  const h = Buffer.alloc(6);
  h[0] = 0x11;
  h[1] = code;
  h.writeUInt16BE(sessionId, 2);
  h.writeUInt16BE(tlv.length, 4);
  return Buffer.concat([ethernet(tags, 0x8863), h, tlv]);
}

/** LCP Configure-Request with a magic number, as a session starts with. */
const LCP = Buffer.from('01010008050612345678', 'hex').subarray(0, 10);

/**
 * The capture `name` as seen on a PPPoE uplink: discovery first, LCP, every IP packet in a session frame,
 * a PADT at the end. Returns the file and how many non-IP frames it holds.
 */
function wrap(name: string, tags: [number, number][], opts: { compressed?: boolean } = {}): { file: string; discovery: number; control: number; ip: number } {
  const src = readFrames(pcap(name));
  const t0 = src.frames[0]!.ts - 1;
  const out: Frame[] = [
    { ts: t0, data: discovery(tags, 0x09, 0) },
    { ts: t0 + 0.01, data: discovery(tags, 0x07, 0) },
    { ts: t0 + 0.02, data: discovery(tags, 0x19, 0) },
    { ts: t0 + 0.03, data: discovery(tags, 0x65, SESSION) },
    { ts: t0 + 0.04, data: session(tags, 0xc021, LCP) },
  ];
  let ip = 0;
  for (const f of src.frames) {
    const net = networkOffset(src.linktype, f.data, 0, f.data.length);
    if (net < 0) continue;
    const packet = f.data.subarray(net);
    const v6 = packet[0]! >> 4 === 6;
    out.push({ ts: f.ts, data: session(tags, v6 ? 0x0057 : 0x0021, packet, opts.compressed) });
    ip++;
  }
  out.push({ ts: src.frames.at(-1)!.ts + 1, data: discovery(tags, 0xa7, SESSION) });
  const file = join(dir, `${name}-${tags.length}tags${opts.compressed ? '-pfc' : ''}.pcap`);
  writeFileSync(file, pcapFile(out));
  return { file, discovery: 5, control: 1, ip };
}

const lower = (xs: Iterable<string>): string[] => [...new Set([...xs].map((x) => x.toLowerCase().replace(/\.$/, '')))].sort();

const TAGS: Record<string, [number, number][]> = {
  untagged: [],
  '802.1Q': [[0x8100, 7]],
  QinQ: [[0x88a8, 100], [0x8100, 7]],
  'six tags': [[0x88a8, 1], [0x8100, 2], [0x8100, 3], [0x9100, 4], [0x8100, 5], [0x8100, 6]],
};
const SOURCES = ['tls12-letsencrypt-heise.pcap', 'dns-a-aaaa-mx-nsec.pcap', 'quic-and-tls-ja4-ipv6.pcap', 'http-wikipedia.pcap'];

describe('PPPoE uplink captures agree with tshark', () => {
  for (const [label, tags] of Object.entries(TAGS)) {
    for (const name of SOURCES) {
      test(`${name}, ${label}`, () => {
        const w = wrap(name, tags);
        const facts: Facts = inspectFile(w.file);
        const o = tsharkOracle(w.file);
        assert.equal(facts.capture.packets, o.packets);
        assert.deepEqual(lower(facts.dns.filter((d) => d.seen !== 'announcement').map((d) => d.query)), lower(o.dnsQuestions));
        assert.deepEqual(lower(facts.dns.flatMap((d) => d.answers.filter((a) => a.type === 'A' || a.type === 'AAAA').map((a) => a.data))), lower(o.dnsAnswers));
        assert.deepEqual(lower(facts.tls.flatMap((t) => (t.sni ? [t.sni] : []))), lower(o.tlsSni));
        assert.deepEqual(lower(facts.quic.flatMap((q) => (q.sni ? [q.sni] : []))), lower(o.quicSni));
        const theirs = o.certificates.map((hex) => createHash('sha1').update(Buffer.from(hex.replace(/:/g, ''), 'hex')).digest('hex'));
        assert.deepEqual(lower(facts.tls.flatMap((t) => t.certificates.map((c) => c.sha1))), lower(theirs));
        assert.deepEqual(lower(facts.http.map((h) => h.host)), lower(o.httpHosts));
        assert.equal(facts.connections.filter((c) => c.proto === 'tcp').length, o.convTcp);
        assert.equal(facts.connections.filter((c) => c.proto === 'udp').length, o.convUdp);
        // Discovery and LCP are counted as what they are, never decoded as IP nor called damage.
        const pppoed = tsharkFields(w.file, 'pppoed', ['frame.number']).length;
        const lcp = tsharkFields(w.file, 'lcp', ['frame.number']).length;
        assert.deepEqual(facts.capture.otherFrames, { 'ppp-control': lcp, 'pppoe-discovery': pppoed });
        assert.equal(pppoed, w.discovery);
        assert.deepEqual(facts.capture.malformed, inspectFile(pcap(name)).capture.malformed);
        // And the connections are those of the original capture.
        const key = (f: Facts): string[] => f.connections.map((c) => `${c.proto} ${c.src}:${c.sport} ${c.dst}:${c.dport} ${c.packets}`).sort();
        assert.deepEqual(key(facts), key(inspectFile(pcap(name))));
      });
    }
  }

  test('the compressed one-byte PPP protocol field (PFC) is read too', () => {
    const w = wrap('tls12-letsencrypt-heise.pcap', [[0x8100, 7]], { compressed: true });
    const facts = inspectFile(w.file);
    const o = tsharkOracle(w.file);
    assert.deepEqual(lower(facts.tls.flatMap((t) => (t.sni ? [t.sni] : []))), lower(o.tlsSni));
    assert.ok(o.tlsSni.length > 0);
    assert.equal(facts.tls.length, inspectFile(pcap('tls12-letsencrypt-heise.pcap')).tls.length);
  });

  test('cut-short PPPoE headers are damage; other Ethertypes and session codes are not read as IP', () => {
    const ipPacket = readFrames(pcap('dns-a-aaaa-mx-nsec.pcap')).frames[0]!;
    const full = session([[0x8100, 1]], 0x0021, ipPacket.data.subarray(14));
    const frames: Frame[] = [
      { ts: 1, data: full.subarray(0, 18 + 5) }, // PPPoE header cut
      { ts: 2, data: full.subarray(0, 18 + 7) }, // PPP protocol cut after its first (even) byte
      { ts: 3, data: Buffer.concat([full.subarray(0, 18), Buffer.from([0x12]), full.subarray(19)]) }, // version 1, type 2: not PPPoE as we know it
    ];
    const file = join(dir, 'hostile.pcap');
    writeFileSync(file, pcapFile(frames));
    const facts = inspectFile(file);
    assert.equal(facts.capture.malformed['link.truncated'], 2);
    assert.equal(facts.connections.length, 0);
    assert.deepEqual(facts.capture.otherFrames, {});
  });
});
