/**
 * A real TLS 1.2 session (ClientHello, then a server flight with a certificate chain) cut into TCP segments
 * in many ways: tiny segments, exact and overlapping retransmissions, reordering, a ClientHello finished only
 * after the whole server flight and more than a capture-reading chunk of unrelated packets. Every way must
 * give the facts of the real capture.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TlsFact } from '../../src/engine/facts.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { pcap } from '../helpers/paths.js';
import {
  ETH_IPV4, ethernet, ipv4, layers, pcapFile, PROTO_TCP, readFrames, tcp, TCP_ACK, TCP_PSH, TCP_SYN, udp4Frame, type Frame,
} from '../helpers/pcap-writer.js';

const SOURCE = 'tls12-digicert-chain.pcap';
const T0 = 1_700_000_000;
const cli = '10.1.1.2', srv = '203.0.113.80';
const CLIENT_ISN = 1000, SERVER_ISN = 900_000;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'qc-tls-seg-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The bytes of each direction of the capture's only TCP connection, put in order by sequence number. */
function streams(): { client: Buffer; server: Buffer } {
  const { linktype, frames } = readFrames(pcap(SOURCE));
  const parts = { client: new Map<number, Buffer>(), server: new Map<number, Buffer>() };
  for (const f of frames) {
    const l = layers(f.data, linktype);
    if (!l || l.proto !== PROTO_TCP || l.payloadEnd <= l.payload) continue;
    (l.dport === 443 ? parts.client : parts.server).set(l.seq, f.data.subarray(l.payload, l.payloadEnd));
  }
  const join = (m: Map<number, Buffer>): Buffer => {
    const seqs = [...m.keys()].sort((a, b) => a - b);
    const out: Buffer[] = [];
    let next = seqs[0]!;
    for (const s of seqs) {
      const b = m.get(s)!;
      if (s + b.length <= next) continue;
      out.push(b.subarray(next - s));
      next = s + b.length;
    }
    return Buffer.concat(out);
  };
  return { client: join(parts.client), server: join(parts.server) };
}

/** One segment: `at` is the offset in its direction's stream. */
interface Piece {
  fromClient: boolean;
  at: number;
  data: Buffer;
}

function frames(sport: number, ts: number, pieces: Piece[], filler = 0): Frame[] {
  const seg = (fromClient: boolean, seq: number, flags: number, payload?: Buffer): Frame => ({
    ts: (ts += 0.001),
    data: ethernet(ipv4({
      src: fromClient ? cli : srv, dst: fromClient ? srv : cli, proto: PROTO_TCP,
      payload: tcp(fromClient ? { sport, dport: 443, seq, flags, payload } : { sport: 443, dport: sport, seq, flags, payload }),
    }), ETH_IPV4),
  });
  const out = [
    seg(true, CLIENT_ISN, TCP_SYN),
    seg(false, SERVER_ISN, TCP_SYN | TCP_ACK),
    seg(true, CLIENT_ISN + 1, TCP_ACK),
  ];
  for (const p of pieces) {
    if (p.data.length === 0 && filler > 0) {
      // A burst of unrelated datagrams, so any view of an earlier packet's bytes would now see others.
      for (let i = 0; i < filler; i++) {
        out.push({ ts: (ts += 0.0001), data: udp4Frame('10.9.9.9', '10.9.9.8', 40000 + i, 9999, Buffer.alloc(1400, i & 0xff)) });
      }
      continue;
    }
    out.push(seg(p.fromClient, (p.fromClient ? CLIENT_ISN : SERVER_ISN) + 1 + p.at, TCP_ACK | TCP_PSH, p.data));
  }
  return out;
}

/** Cuts `data` into pieces of the sizes `size(i)` returns. */
function cut(data: Buffer, fromClient: boolean, size: (i: number) => number): Piece[] {
  const out: Piece[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.max(1, size(i));
    out.push({ fromClient, at, data: data.subarray(at, at + n) });
    at += n;
  }
  return out;
}

/** A small seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const comparable = (t: TlsFact) => ({
  sni: t.sni, alpn: t.alpn, version: t.version, ja3: t.ja3, ja3s: t.ja3s, ja4: t.ja4, certificates: t.certificates,
});

describe('TLS handshakes however TCP cuts them', () => {
  const { client, server } = streams();
  const reference = inspectFile(pcap(SOURCE)).tls[0]!;

  it('the real capture gives a full server flight to compare with', () => {
    assert.ok(reference.ja3s, 'a ServerHello');
    assert.ok(reference.certificates.length >= 2, 'a certificate chain');
    assert.ok(server.length > 3000, 'a flight that spans segments');
  });

  const hello = (): Piece[] => cut(client, true, () => client.length);
  const random = rng(0x5eed);
  const cases: [string, () => Piece[], number?][] = [
    ['MSS-sized segments in order', () => [...hello(), ...cut(server, false, () => 1448)]],
    ['one byte at a time, then small segments', () => [...hello(), ...cut(server, false, (i) => (i < 120 ? 1 : 97))]],
    ['each segment sent twice', () => [...hello(), ...cut(server, false, () => 700).flatMap((p) => [p, p])]],
    ['retransmissions overlapping what was already read', () => [
      ...hello(),
      ...cut(server, false, () => 600).flatMap((p) => (p.at >= 300 ? [{ ...p, at: p.at - 300, data: server.subarray(p.at - 300, p.at + p.data.length) }] : [p])),
    ]],
    ['pairs of segments swapped', () => {
      const s = cut(server, false, () => 500);
      for (let i = 0; i + 1 < s.length; i += 2) [s[i], s[i + 1]] = [s[i + 1]!, s[i]!];
      return [...hello(), ...s];
    }],
    ['the whole flight in reverse', () => [...hello(), ...cut(server, false, () => 800).reverse()]],
    ['random sizes with random duplicates', () => [
      ...hello(),
      ...cut(server, false, () => 1 + Math.floor(random() * 1500)).flatMap((p) => (random() < 0.2 ? [p, p] : [p])),
    ]],
    ['the ClientHello completed after the server flight and a burst of other packets', () => {
      // The client's first record is its ClientHello.
      const helloEnd = 5 + client.readUInt16BE(3);
      const [first, last] = [client.subarray(0, helloEnd - 10), client.subarray(helloEnd - 10, helloEnd)];
      return [
        { fromClient: true, at: 0, data: first },
        // The whole flight in one segment (as captured with segmentation offload): its certificates are read
        // before there is a fact to take them, so they must be kept apart from any reused buffer.
        { fromClient: false, at: 0, data: server },
        { fromClient: true, at: 0, data: Buffer.alloc(0) },
        { fromClient: true, at: first.length, data: last },
      ];
    }, 1000],
  ];

  for (const [name, pieces, filler] of cases) {
    it(`${name}: the facts of the real capture`, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.pcap`);
      writeFileSync(file, pcapFile(frames(50000, T0, pieces(), filler)));
      const f = inspectFile(file);
      assert.deepEqual(f.capture.malformed, {});
      assert.equal(f.tls.length, 1);
      assert.deepEqual(comparable(f.tls[0]!), comparable(reference));
    });
  }

  it('many such connections in one capture each keep their own certificates', () => {
    const all: Frame[] = [];
    for (let k = 0; k < 40; k++) all.push(...frames(41000 + k, T0 + k, [...hello(), ...cut(server, false, (i) => 300 + ((i * 37 + k * 11) % 1200))]));
    const file = join(dir, 'many.pcap');
    writeFileSync(file, pcapFile(all));
    const f = inspectFile(file);
    assert.equal(f.tls.length, 40);
    for (const t of f.tls) assert.deepEqual(comparable(t), comparable(reference));
  });
});
