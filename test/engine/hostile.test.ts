/**
 * Hand-built hostile captures, mostly edits of real packets from the shared captures: DNS compression-pointer
 * loops, overlapping and flooding IPv4 fragments, 1.5 million flows, a TLS ClientHello split over reversed
 * segments, conflicting TCP retransmissions, a 70 KiB HTTP request head, absurd IPv4 header lengths, long IPv6
 * extension-header chains and out-of-range pcapng timestamps. Each must be survived, counted by kind in
 * capture.malformed, and must not stop the rest of the capture from being analysed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import { DEFAULT_MAX_FLOWS, Engine } from '../../src/engine/engine.js';
import type { Facts } from '../../src/engine/facts.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { PcapngBuilder } from '../capture/build-pcapng.js';
import { pcap } from '../helpers/paths.js';
import {
  dnsQuery, ETH_IPV4, ETH_IPV6, ethernet, ipv4, ipv6, ipv6FragBody, layers, PcapFileWriter, pcapFile, PROTO_TCP, PROTO_UDP,
  readFrames, tcp, TCP_ACK, TCP_PSH, TCP_SYN, udp, udp4Frame, type Frame,
} from '../helpers/pcap-writer.js';
import { tsharkFields, tsharkValues } from '../helpers/tshark.js';

const MiB = 1024 * 1024;
const T0 = 1_700_000_000;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'qc-hostile-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes frames as an Ethernet pcap in the temp folder and returns its path. */
function save(name: string, frames: Frame[], linktype = 1): string {
  const file = join(dir, name);
  writeFileSync(file, pcapFile(frames, linktype));
  return file;
}

const client = '192.168.1.23';
const resolver = '192.168.1.1';

/** A DNS query frame whose name proves, in the facts, that packets after the hostile ones were still analysed. */
const canary = (name: string, ts: number, sport = 50000): Frame => ({ ts, data: udp4Frame(client, resolver, sport, 53, dnsQuery(0x4242, name)) });

const queries = (f: Facts): string[] => f.dns.map((d) => d.query);

describe('DNS compression-pointer loops inside real responses', () => {
  it('are counted as dns.name-loop and every other packet is analysed as before', () => {
    const src = pcap('http-wikipedia.pcap');
    const { linktype, frames } = readFrames(src);
    const original = inspectFile(src);
    // Real responses with answers, from the resolver (UDP source port 53).
    const withAnswers = frames
      .map((f, i) => ({ i, l: layers(f.data, linktype) }))
      .filter(({ i, l }) => l !== null && l.proto === PROTO_UDP && l.sport === 53 && frames[i].data.readUInt16BE(l.payload + 6) > 0);
    assert.ok(withAnswers.length >= 2, 'the capture has DNS responses with answers');
    const edited = frames.map((f) => ({ ...f, data: Buffer.from(f.data) }));
    const broken: number[] = [];
    for (const [k, { i, l }] of withAnswers.slice(0, 2).entries()) {
      const b = edited[i].data;
      const msg = l!.payload;
      // Skip the question (uncompressed in these responses) to reach the first answer's owner name.
      let p = msg + 12;
      while (b[p] !== 0) p += b[p] + 1;
      const answer = p + 5;
      assert.equal(b[answer] & 0xc0, 0xc0, 'the first answer name is a compression pointer');
      if (k === 0) {
        // The answer's name points at itself.
        b.writeUInt16BE(0xc000 | (answer - msg), answer);
      } else {
        // A two-step cycle: the question name points forward to the answer name, which points back to it.
        b.writeUInt16BE(0xc000 | (answer - msg), msg + 12);
        b.writeUInt16BE(0xc000 | 12, answer);
      }
      broken.push(i);
    }
    const file = save('dns-loop.pcap', edited, linktype);
    const f = inspectFile(file);
    assert.equal(f.capture.malformed['dns.name-loop'], 2, JSON.stringify(f.capture.malformed));
    assert.equal(f.capture.packets, original.capture.packets);
    // HTTP, TLS and the connections' counters are untouched; only the two responses' answers are missing.
    assert.deepEqual(f.http, original.http);
    assert.deepEqual(f.connections.map(({ names: _n, ...c }) => c), original.connections.map(({ names: _n, ...c }) => c));
    assert.equal(f.dns.length, original.dns.length);
    const changed = f.dns.filter((d, i) => JSON.stringify(d) !== JSON.stringify(original.dns[i]));
    assert.equal(changed.length, 2, 'exactly the two looped responses lost their answers');
    for (const d of changed) {
      assert.equal(d.rcode, null);
      assert.deepEqual(d.answers, []);
    }
    // The looped responses' names are still answered by the later, intact responses for the same names.
    assert.deepEqual(new Set(queries(f)), new Set(queries(original)));
  });
});

describe('IPv4 fragments', () => {
  // A DNS query whose name lies in bytes 20..38 of the UDP datagram; the fragments overlap on bytes 24..31.
  const first = udp(50001, 53, dnsQuery(0x1111, 'first.example.com'));
  const other = udp(50001, 53, dnsQuery(0x1111, 'firzz.zzzzzle.com'));
  assert.equal(first.length, other.length);
  const frag = (payload: Buffer, id: number, offset: number, end: number, mf: boolean, sport: number): Buffer => {
    const p = Buffer.from(payload);
    p.writeUInt16BE(sport, 0);
    return ethernet(ipv4({ src: client, dst: resolver, proto: PROTO_UDP, id, fragOffset: offset, mf, payload: p.subarray(offset, end) }), ETH_IPV4);
  };

  it('overlapping: the first copy received wins, as tshark decides when that copy is also the lowest offset', () => {
    const frames: Frame[] = [
      // Datagram 1: [0,32) then a conflicting [24,43): both rules (first received, lowest offset) keep "first…".
      { ts: T0, data: frag(first, 0x101, 0, 32, true, 50001) },
      { ts: T0 + 0.001, data: frag(other, 0x101, 24, 43, false, 50001) },
      // Datagram 2: the conflicting [24,43) arrives first; quietcheck keeps its bytes.
      { ts: T0 + 0.002, data: frag(other, 0x102, 24, 43, false, 50002) },
      { ts: T0 + 0.003, data: frag(first, 0x102, 0, 32, true, 50002) },
      // Datagram 3: an exact duplicate of a fragment and a late conflicting copy of the whole datagram's tail.
      { ts: T0 + 0.004, data: frag(first, 0x103, 0, 32, true, 50003) },
      { ts: T0 + 0.005, data: frag(first, 0x103, 0, 32, true, 50003) },
      { ts: T0 + 0.006, data: frag(first, 0x103, 24, 43, false, 50003) },
      { ts: T0 + 0.007, data: frag(other, 0x103, 24, 43, false, 50003) },
      canary('after.fragments.example', T0 + 0.01),
    ];
    const file = save('frag-overlap.pcap', frames);
    const f = inspectFile(file);
    // Facts come in the order the datagrams completed: 50001, 50002, 50003, then the canary.
    assert.deepEqual(f.connections.filter((c) => c.proto === 'udp').map((c) => c.sport), [50001, 50002, 50003, 50000]);
    // The late conflicting fragment of datagram 3 arrives after it completed: it starts a datagram that never completes.
    assert.deepEqual(queries(f), ['first.example.com', 'firzz.zzzzzle.com', 'first.example.com', 'after.fragments.example']);
    assert.equal(f.capture.packets, frames.length);
    assert.equal(f.capture.malformed['ip.fragments-incomplete'], 1);
    // tshark on the same file, for the datagram where first-received and lowest-offset agree.
    const theirs = tsharkFields(file, 'dns', ['udp.srcport', 'dns.qry.name']);
    const tshark50001 = theirs.filter((r) => r[0] === '50001').map((r) => r[1]);
    assert.deepEqual(tshark50001, ['first.example.com']);
    // Datagram 2 is where the rules part: tshark rebuilds in offset order (the lowest offset's bytes win, here
    // the later copy), quietcheck keeps the first copy received, as documented in src/flows/ipfrag.ts.
    assert.deepEqual(theirs.filter((r) => r[0] === '50002').map((r) => r[1]), ['first.example.com']);
  });

  it('a flood of 10,000 never-completing datagrams stays bounded, is counted, and later packets are analysed', () => {
    const frames: Frame[] = [];
    const payload = udp(40000, 9999, Buffer.alloc(64, 0x41));
    for (let i = 0; i < 10_000; i++) {
      const src = `10.${(i >> 8) & 255}.${i & 255}.7`;
      frames.push({ ts: T0 + i * 0.001, data: ethernet(ipv4({ src, dst: resolver, proto: PROTO_UDP, id: i & 0xffff, mf: true, payload: payload.subarray(0, 48) }), ETH_IPV4) });
    }
    frames.push(canary('after.flood.example', T0 + 11));
    const file = save('frag-flood.pcap', frames);
    const heap0 = process.memoryUsage().heapUsed;
    const t = performance.now();
    const f = inspectFile(file);
    const ms = performance.now() - t;
    const m = f.capture.malformed;
    const incomplete = m['ip.fragments-incomplete'] ?? 0;
    const dropped = m['ip.fragments-dropped'] ?? 0;
    assert.equal(incomplete + dropped, 10_000, JSON.stringify(m));
    // The reassembler holds a bounded number of datagrams at once.
    assert.ok(incomplete > 0 && incomplete <= 1024, `incomplete ${incomplete}`);
    assert.ok(dropped >= 10_000 - 1024, `dropped ${dropped}`);
    assert.deepEqual(queries(f), ['after.flood.example']);
    assert.equal(f.capture.packets, 10_001);
    // Fragments that never completed belong to no connection.
    assert.equal(f.connections.length, 1);
    assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
    assert.ok(process.memoryUsage().heapUsed - heap0 < 64 * MiB, 'heap stays small');
  });
});

describe('1.5 million distinct UDP flows (default limit of 1,000,000 flows)', () => {
  const N = 1_500_000;
  let file: string;
  let fileBytes = 0;
  let facts: Facts;
  let readRssPeak = 0;
  let rssPeak = 0;
  let rss0 = 0;
  let readMs = 0;
  let finishMs = 0;
  let refusedBeforeFinish = 0;

  before(() => {
    file = join(dir, 'flows.pcap');
    const w = new PcapFileWriter(file);
    // An early flow that carries DNS both before and after the table fills up.
    w.add(canary('early.flow.example', T0 - 1, 50053));
    const tpl = udp4Frame('10.0.0.1', '198.51.100.9', 1024, 9999, Buffer.from([0, 1, 2, 3]));
    for (let i = 0; i < N; i++) {
      // Source address 10.x.y.z and 16 source ports: every frame is a new flow.
      tpl.writeUInt32BE(((10 << 24) | (i >>> 4)) >>> 0, 26);
      tpl.writeUInt16BE(1024 + (i & 15), 34);
      w.add({ ts: T0 + i / 1e5, data: tpl });
    }
    w.add(canary('late.same.flow.example', T0 + 20, 50053));
    fileBytes = w.close();
    global.gc?.();
    rss0 = process.memoryUsage().rss;
    const engine = new Engine();
    let t = performance.now();
    let n = 0;
    const summary = readCaptureFile(file, {
      frame(data, off, caplen, wirelen, ts, lt) {
        engine.frame(data, off, caplen, wirelen, ts, lt);
        if ((++n & 0xffff) === 0) readRssPeak = Math.max(readRssPeak, process.memoryUsage().rss);
      },
      malformed: (k) => engine.malformed(k),
    });
    readRssPeak = Math.max(readRssPeak, process.memoryUsage().rss);
    readMs = performance.now() - t;
    refusedBeforeFinish = engine.flows.refused;
    t = performance.now();
    facts = engine.finish(summary);
    finishMs = performance.now() - t;
    rssPeak = Math.max(readRssPeak, process.memoryUsage().rss);
    rmSync(file);
    console.log(`flows: file ${(fileBytes / MiB).toFixed(0)} MiB; read ${readMs.toFixed(0)} ms, RSS ${(rss0 / MiB).toFixed(0)} → ` +
      `${(readRssPeak / MiB).toFixed(0)} MiB while reading; finish ${finishMs.toFixed(0)} ms, RSS ${(rssPeak / MiB).toFixed(0)} MiB with facts`);
  });

  it('counts flows.table-full for every packet of a flow beyond the limit, and keeps analysing known flows', () => {
    assert.equal(facts.capture.packets, N + 2);
    assert.equal(facts.connections.length, DEFAULT_MAX_FLOWS);
    assert.equal(refusedBeforeFinish, N + 1 - DEFAULT_MAX_FLOWS);
    assert.equal(facts.capture.malformed['flows.table-full'], N + 1 - DEFAULT_MAX_FLOWS);
    // The flow created before the table filled keeps being decoded.
    assert.deepEqual(queries(facts), ['early.flow.example', 'late.same.flow.example']);
    const early = facts.connections.find((c) => c.sport === 50053);
    assert.equal(early?.packets, 2);
  });

  it('reading 1.5 million flows keeps RSS growth under 400 MB and takes well under a minute', () => {
    assert.ok(readRssPeak - rss0 < 400 * MiB, `RSS grew by ${((readRssPeak - rss0) / MiB).toFixed(0)} MiB while reading`);
    assert.ok(readMs < 60_000, `reading took ${readMs.toFixed(0)} ms`);
  });

  it('building the facts of the most connections the table holds stays under 400 MB RSS growth and 10 s', () => {
    assert.ok(rssPeak - rss0 < 400 * MiB, `RSS grew by ${((rssPeak - rss0) / MiB).toFixed(0)} MiB with the facts built`);
    assert.ok(finishMs < 10_000, `finish took ${finishMs.toFixed(0)} ms`);
  });
});

describe('TCP reassembly against hostile segmenting', () => {
  /** The first client payload of a real TCP stream that starts with `prefix`, with its connection's endpoints. */
  function realPayload(name: string, test: (p: Buffer) => boolean): { payload: Buffer; linktype: number } {
    const { linktype, frames } = readFrames(pcap(name));
    for (const f of frames) {
      const l = layers(f.data, linktype);
      if (!l || l.proto !== PROTO_TCP || l.payloadEnd <= l.payload) continue;
      const p = f.data.subarray(l.payload, l.payloadEnd);
      if (test(p)) return { payload: Buffer.from(p), linktype };
    }
    throw new Error(`no such payload in ${name}`);
  }

  const cli = '10.1.1.2', srv = '203.0.113.80';
  const seg = (ts: number, sport: number, dport: number, seq: number, flags: number, payload?: Buffer, fromClient = true): Frame => ({
    ts,
    data: ethernet(ipv4({
      src: fromClient ? cli : srv, dst: fromClient ? srv : cli, proto: PROTO_TCP,
      payload: tcp(fromClient ? { sport, dport, seq, flags, payload } : { sport: dport, dport: sport, seq, flags, payload }),
    }), ETH_IPV4),
  });
  const handshake = (ts: number, sport: number, dport: number, isn: number): Frame[] => [
    seg(ts, sport, dport, isn, TCP_SYN),
    seg(ts + 0.01, sport, dport, 9000, TCP_SYN | TCP_ACK, undefined, false),
    seg(ts + 0.02, sport, dport, isn + 1, TCP_ACK),
  ];

  it('a real ClientHello split in 3 segments delivered in reverse order still yields its SNI and JA3 (as tshark)', () => {
    const src = 'tls12-letsencrypt-heise.pcap';
    const { payload: hello } = realPayload(src, (p) => p[0] === 0x16 && p[5] === 0x01);
    const reference = inspectFile(pcap(src)).tls.find((t) => t.sni === 'heise.de');
    assert.ok(reference, 'the real capture has the heise.de handshake');
    const isn = 1000;
    const a = Math.floor(hello.length / 3), b = Math.floor((2 * hello.length) / 3);
    const frames = [
      ...handshake(T0, 51000, 443, isn),
      seg(T0 + 0.03, 51000, 443, isn + 1 + b, TCP_ACK | TCP_PSH, hello.subarray(b)),
      seg(T0 + 0.04, 51000, 443, isn + 1 + a, TCP_ACK, hello.subarray(a, b)),
      seg(T0 + 0.05, 51000, 443, isn + 1, TCP_ACK, hello.subarray(0, a)),
    ];
    const file = save('tls-reversed.pcap', frames);
    const f = inspectFile(file);
    assert.equal(f.tls.length, 1);
    assert.equal(f.tls[0].sni, 'heise.de');
    assert.equal(f.tls[0].ja3, reference.ja3);
    assert.equal(f.tls[0].ja4, reference.ja4);
    assert.deepEqual(f.capture.malformed, {});
    assert.deepEqual(tsharkValues(file, 'tls.handshake.type == 1', 'tls.handshake.extensions_server_name'), ['heise.de']);
  });

  it('retransmissions: exact duplicates report one request; a conflicting overlapping copy loses to the first', () => {
    const { payload: req } = realPayload('http-wikipedia.pcap', (p) => p.subarray(0, 4).toString('latin1') === 'GET ');
    const text = req.toString('latin1');
    const hostAt = text.indexOf('\r\nHost: ') + 8;
    assert.ok(hostAt > 8, 'the real request has a Host header');
    const host = text.slice(hostAt, text.indexOf('\r\n', hostAt));
    // A copy of the request where the Host value's bytes are replaced by as many 'x'.
    const evil = Buffer.from(req);
    evil.fill(0x78, hostAt, hostAt + host.length);
    const isn = 5000;
    const cut = hostAt + 2;
    const frames = [
      ...handshake(T0, 52000, 80, isn),
      // First copy of the first part, then an exact retransmission of it.
      seg(T0 + 0.03, 52000, 80, isn + 1, TCP_ACK, req.subarray(0, cut)),
      seg(T0 + 0.04, 52000, 80, isn + 1, TCP_ACK, req.subarray(0, cut)),
      // A retransmission overlapping the first part (from byte 10) with different Host bytes, covering the rest.
      seg(T0 + 0.05, 52000, 80, isn + 1 + 10, TCP_ACK | TCP_PSH, evil.subarray(10)),
      // And the genuine rest, late.
      seg(T0 + 0.06, 52000, 80, isn + 1 + cut, TCP_ACK | TCP_PSH, req.subarray(cut)),
      seg(T0 + 0.07, 52000, 80, isn + 1 + cut, TCP_ACK | TCP_PSH, req.subarray(cut)),
    ];
    const f = inspectFile(save('tcp-retrans.pcap', frames));
    assert.equal(f.http.length, 1, JSON.stringify(f.http));
    // Bytes [10, cut) came first from the genuine copy; the conflicting copy supplied the rest of the Host value.
    const expected = host.slice(0, 2) + 'x'.repeat(host.length - 2);
    assert.equal(f.http[0].host, expected);
    assert.deepEqual(f.capture.malformed, {});
  });

  it('a 70 KiB HTTP request head: only the first 64 KiB are kept, the error is counted, other connections are analysed', () => {
    const head = Buffer.from(`GET /big HTTP/1.1\r\nHost: big.example\r\nCookie: ${'a'.repeat(70 * 1024)}\r\n\r\n`, 'latin1');
    const isn = 7000;
    const frames: Frame[] = handshake(T0, 53000, 80, isn);
    for (let off = 0, k = 0; off < head.length; off += 1400, k++) {
      frames.push(seg(T0 + 0.03 + k * 0.001, 53000, 80, isn + 1 + off, TCP_ACK, head.subarray(off, off + 1400)));
    }
    const ok = Buffer.from('GET /small HTTP/1.1\r\nHost: small.example\r\nUser-Agent: t\r\n\r\n', 'latin1');
    frames.push(...handshake(T0 + 1, 53001, 80, 100), seg(T0 + 1.03, 53001, 80, 101, TCP_ACK | TCP_PSH, ok));
    const heap0 = process.memoryUsage().heapUsed;
    const f = inspectFile(save('http-huge-head.pcap', frames));
    assert.equal(f.capture.malformed['http.head-too-large'], 1, JSON.stringify(f.capture.malformed));
    assert.deepEqual(f.http.map((h) => h.host), ['small.example']);
    const big = f.connections.find((c) => c.sport === 53000);
    assert.equal(big?.packets, frames.length - 4);
    assert.ok(process.memoryUsage().heapUsed - heap0 < 32 * MiB);
  });
});

describe('absurd IP headers', () => {
  it('IPv4 IHL and total-length lies are counted by kind and do not stop the analysis', () => {
    const dns = udp(50010, 53, dnsQuery(7, 'lie.example'));
    const v4 = (o: Partial<Parameters<typeof ipv4>[0]>): Buffer =>
      ethernet(ipv4({ src: client, dst: resolver, proto: PROTO_UDP, payload: dns, ...o }), ETH_IPV4);
    const frames: Frame[] = [
      { ts: T0, data: v4({ ihlWords: 15 }) },                 // a 60-byte header in a 57-byte datagram
      { ts: T0 + 1, data: v4({ ihlWords: 2 }) },              // header length below 20 bytes
      { ts: T0 + 2, data: v4({ ihlWords: 0 }) },
      { ts: T0 + 3, data: v4({ totalLength: 10 }) },          // total length below the header length
      { ts: T0 + 4, data: v4({ totalLength: 19 }) },
      { ts: T0 + 5, data: v4({ totalLength: 20 + 4 }) },      // total length cuts the UDP header
      // Header length 60 in a frame that ends 8 bytes after a 20-byte header.
      { ts: T0 + 6, data: ethernet(ipv4({ src: client, dst: resolver, proto: PROTO_UDP, payload: Buffer.alloc(8), ihlWords: 15 }), ETH_IPV4) },
      // Total length 0 (TCP segmentation offload on the capturing host): taken as captured, the query is decoded.
      { ts: T0 + 7, data: v4({ totalLength: 0 }) },
      // Total length far beyond the frame: what was captured is decoded.
      { ts: T0 + 8, data: v4({ totalLength: 0xffff }) },
      canary('after.ipv4.example', T0 + 9),
    ];
    const f = inspectFile(save('ipv4-lies.pcap', frames));
    const m = f.capture.malformed;
    assert.equal(m['ipv4.bad-header-length'], 2, JSON.stringify(m));
    assert.equal(m['ipv4.bad-total-length'], 2, JSON.stringify(m));
    assert.equal(m['udp.truncated-header'], 1, JSON.stringify(m));
    // IHL 60 over a 57-byte datagram, and over a 28-byte one: both claim header bytes the frame lacks.
    assert.equal(m['ipv4.truncated-header'], 2, JSON.stringify(m));
    assert.equal(Object.values(m).reduce((a, b) => a + b, 0), 7, JSON.stringify(m));
    assert.deepEqual(queries(f), ['lie.example', 'lie.example', 'after.ipv4.example']);
    assert.equal(f.capture.packets, frames.length);
  });

  it('IPv6 extension headers: an absurd header length is counted; 8 headers are walked to the DNS query', () => {
    const dns = (name: string, sport: number): Buffer => udp(sport, 53, dnsQuery(9, name));
    const v6 = (payload: Buffer, ext: { type: number; body?: Buffer }[]): Buffer =>
      ethernet(ipv6({ src: 'fd00::23', dst: 'fd00::1', proto: PROTO_UDP, payload, ext }), ETH_IPV6);
    const absurd = v6(dns('absurd.example', 50020), [{ type: 0 }]);
    // Hdr Ext Len 255: 2048 bytes announced in a packet that has 8.
    absurd[14 + 40 + 1] = 255;
    const eight = v6(dns('eight.example', 50021), Array.from({ length: 8 }, (_, i) => ({ type: i % 2 === 0 ? 60 : 43 })));
    const fragmentHdr = v6(dns('atomic.fragment.example', 50022), [{ type: 60 }, { type: 44, body: ipv6FragBody(0, false, 77) }]);
    const frames: Frame[] = [
      { ts: T0, data: absurd },
      { ts: T0 + 1, data: eight },
      { ts: T0 + 2, data: fragmentHdr },
      canary('after.ipv6.example', T0 + 3),
    ];
    const file = save('ipv6-ext.pcap', frames);
    const f = inspectFile(file);
    assert.equal(f.capture.malformed['ipv6.truncated-extension'], 1, JSON.stringify(f.capture.malformed));
    assert.deepEqual(queries(f), ['eight.example', 'atomic.fragment.example', 'after.ipv6.example']);
    // tshark walks the same chains to the same queries.
    assert.deepEqual(tsharkValues(file, 'dns', 'dns.qry.name'), ['eight.example', 'atomic.fragment.example', 'after.ipv6.example']);
  });

  it('IPv6 with a chain of 20 extension headers is decoded (as tshark does) or counted as malformed, never silently dropped', () => {
    const payload = udp(50030, 53, dnsQuery(9, 'twenty.example'));
    const ext = Array.from({ length: 20 }, () => ({ type: 60 }));
    const frames: Frame[] = [
      { ts: T0, data: ethernet(ipv6({ src: 'fd00::23', dst: 'fd00::1', proto: PROTO_UDP, payload, ext }), ETH_IPV6) },
      canary('after.twenty.example', T0 + 1),
    ];
    const file = save('ipv6-20ext.pcap', frames);
    assert.ok(tsharkValues(file, 'dns', 'dns.qry.name').includes('twenty.example'), 'tshark decodes the query');
    const f = inspectFile(file);
    const decoded = queries(f).includes('twenty.example');
    const counted = Object.keys(f.capture.malformed).some((k) => k.startsWith('ipv6.'));
    assert.ok(decoded || counted, `neither decoded nor counted: ${JSON.stringify(f.capture.malformed)}, queries ${queries(f)}`);
    assert.ok(queries(f).includes('after.twenty.example'));
  });
});

describe('pcapng timestamps out of range', () => {
  it('an EPB timestamp or if_tsoffset beyond what a Date holds neither crashes nor prints a non-ISO time', () => {
    const frame = udp4Frame(client, resolver, 50040, 53, dnsQuery(1, 'far.future.example'));
    const cases: Buffer[] = [
      new PcapngBuilder().shb().idb(1, 65535).epb(0, 0xffffffff_00000000n, frame).build(),
      new PcapngBuilder().shb().idb(1, 65535).epb(0, 0x0400_0000_0000_0000n, frame).build(),
      new PcapngBuilder().shb().idb(1, 65535, { tsoffset: -0x7fffffffffffffffn }).epb(0, 1n, frame).build(),
    ];
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
    for (const [i, bytes] of cases.entries()) {
      const file = join(dir, `far-${i}.pcapng`);
      writeFileSync(file, bytes);
      const f = inspectFile(file);
      assert.equal(f.capture.packets, 1);
      assert.deepEqual(queries(f), ['far.future.example']);
      for (const t of [f.capture.firstSeen, f.capture.lastSeen, f.dns[0].ts, f.connections[0].firstSeen]) {
        assert.match(String(t), iso, `case ${i}`);
      }
    }
  });
});
