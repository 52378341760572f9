/**
 * QUIC Initial decryption on real captures, with tshark (which decrypts Initials itself) as the oracle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pcap } from '../helpers/paths.js';
import { DecodeError } from '../../src/decode/errors.js';
import {
  QUIC_V1,
  QUIC_V2,
  QuicCryptoAssembler,
  decryptClientInitials,
  looksLikeQuicInitial,
  type QuicInitialPacket,
} from '../../src/decode/quic.js';
import { sealClientInitial } from '../../src/decode/quic-seal.js';
import { parseClientHello } from '../../src/decode/tls.js';

const FILES = [
  'quic-chromium-cirrus.pcap',
  'quic-firefox-cloudflare.pcap',
  'quic-multi-sni.pcap',
  'quic-and-tls-ja4-ipv6.pcap',
];

const tsharkCache = new Map<string, string[][]>();

/** tshark output as rows of tab-separated fields; cached, since several tests read the same capture. */
function tshark(file: string, args: string[]): string[][] {
  const key = [file, ...args].join('\0');
  const hit = tsharkCache.get(key);
  if (hit) return hit;
  const out = execFileSync('tshark', ['-r', pcap(file), ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const rows = out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
  tsharkCache.set(key, rows);
  return rows;
}

interface Datagram {
  frame: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  payload: Buffer;
}

function datagrams(file: string): Datagram[] {
  const rows = tshark(file, [
    '-Y', 'udp', '-T', 'fields',
    '-e', 'frame.number', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst',
    '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload',
  ]);
  return rows
    .filter((r) => r[7])
    .map((r) => ({
      frame: Number(r[0]),
      src: (r[1] || r[2])!.split(',')[0]!,
      dst: (r[3] || r[4])!.split(',')[0]!,
      sport: Number(r[5]!.split(',')[0]),
      dport: Number(r[6]!.split(',')[0]),
      payload: Buffer.from(r[7]!.split(',')[0]!, 'hex'),
    }));
}

/** An independent search for the server_name extension, so a SNI check does not rest on one parser alone. */
function sniBySearch(body: Buffer): string | null {
  // version(2) random(32) session id, ciphers, compression, then extensions.
  let p = 34;
  p += 1 + body[p]!;
  p += 2 + body.readUInt16BE(p);
  p += 1 + body[p]!;
  const extEnd = p + 2 + body.readUInt16BE(p);
  p += 2;
  while (p + 4 <= extEnd) {
    const type = body.readUInt16BE(p);
    const len = body.readUInt16BE(p + 2);
    if (type === 0) {
      // list length(2) name type(1) name length(2) name
      const nameLen = body.readUInt16BE(p + 7);
      return body.subarray(p + 9, p + 9 + nameLen).toString('latin1');
    }
    p += 4 + len;
  }
  return null;
}

interface Conn {
  client: string;
  keyDcid: Buffer | null;
  asm: QuicCryptoAssembler;
  /** Frame whose datagram completed the ClientHello. */
  helloFrame: number | null;
  packets: Array<{ frame: number; pkt: QuicInitialPacket }>;
}

/** What an engine would do: find the client by its first Initial, decrypt its Initials, assemble per flow. */
function decodeCapture(file: string): { conns: Map<string, Conn>; serverInitials: Datagram[] } {
  const conns = new Map<string, Conn>();
  const serverInitials: Datagram[] = [];
  for (const d of datagrams(file)) {
    const a = `${d.src}|${d.sport}`;
    const b = `${d.dst}|${d.dport}`;
    const flow = a < b ? `${a}-${b}` : `${b}-${a}`;
    const isInitial = looksLikeQuicInitial(d.payload, 0, d.payload.length);
    let c = conns.get(flow);
    if (c === undefined) {
      if (!isInitial) continue;
      c = { client: a, keyDcid: null, asm: new QuicCryptoAssembler(), helloFrame: null, packets: [] };
      conns.set(flow, c);
    }
    if (!isInitial) continue;
    if (c.client !== a) {
      serverInitials.push(d);
      continue;
    }
    const pkts = decryptClientInitials(d.payload, 0, d.payload.length, c.keyDcid);
    c.keyDcid ??= pkts[0]!.keyDcid;
    for (const pkt of pkts) {
      c.packets.push({ frame: d.frame, pkt });
      for (const ch of pkt.crypto) c.asm.add(ch);
    }
    if (c.helloFrame === null && c.asm.clientHelloBody() !== null) c.helloFrame = d.frame;
  }
  return { conns, serverInitials };
}

for (const file of FILES) {
  test(`${file}: every client Initial decrypts like tshark's, and the SNI/ALPN match`, { timeout: 60_000 }, () => {
    const { conns, serverInitials } = decodeCapture(file);
    assert.ok(conns.size > 0);

    // Packet-level oracle: packet numbers and CRYPTO offsets/lengths per client Initial frame.
    const ours = new Map<number, string>();
    for (const c of conns.values()) {
      for (const { frame, pkt } of c.packets) {
        const prev = ours.get(frame);
        const s = `${pkt.packetNumber}:${pkt.crypto.map((x) => `${x.offset}+${x.data.length}`).join(',')}`;
        ours.set(frame, prev === undefined ? s : `${prev};${s}`);
      }
    }
    const clientSides = new Set([...conns.values()].map((c) => c.client));
    const theirs = new Map<number, string>();
    for (const r of tshark(file, [
      '-Y', 'quic.long.packet_type==0', '-T', 'fields',
      '-e', 'frame.number', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'udp.srcport',
      '-e', 'quic.packet_number', '-e', 'quic.crypto.offset', '-e', 'quic.crypto.length',
    ])) {
      if (!clientSides.has(`${r[1] || r[2]}|${r[3]}`)) continue;
      const offs = r[5] ? r[5].split(',') : [];
      const lens = r[6] ? r[6].split(',') : [];
      // tshark lists fields of coalesced packets flat; captures here have one Initial per client datagram.
      theirs.set(Number(r[0]), `${r[4]}:${offs.map((o, i) => `${o}+${lens[i]}`).join(',')}`);
    }
    assert.deepEqual(ours, theirs);

    // Server Initials use server keys: our client-side decryption must refuse them cleanly.
    for (const d of serverInitials) {
      assert.throws(() => decryptClientInitials(d.payload, 0, d.payload.length, null), { kind: 'quic.decrypt' });
    }

    // Connection-level oracle: SNI, ALPN and the frame where the ClientHello is complete, keyed by first DCID.
    const expected = tshark(file, [
      '-Y', 'quic && tls.handshake.type==1', '-T', 'fields',
      '-e', 'frame.number', '-e', 'tls.handshake.extensions_server_name', '-e', 'quic.dcid',
      '-e', 'tls.handshake.extensions_alpn_str',
    ]).map((r) => ({ frame: Number(r[0]), sni: r[1]!, dcid: r[2]!.split(',')[0]!, alpn: r[3] ? r[3].split(',') : [] }));
    const got = [...conns.values()]
      .filter((c) => c.helloFrame !== null)
      .map((c) => {
        const body = c.asm.clientHelloBody()!;
        const ch = parseClientHello(body);
        assert.equal(sniBySearch(body), ch.sni, 'independent SNI search agrees with parseClientHello');
        return { frame: c.helloFrame!, sni: ch.sni ?? '', dcid: c.keyDcid!.toString('hex'), alpn: ch.alpn };
      });
    const order = (x: { frame: number }, y: { frame: number }): number => x.frame - y.frame;
    assert.deepEqual(got.sort(order), expected.sort(order));
    assert.ok(expected.length > 0);
  });
}

test('quic-multi-sni.pcap: 11 Initials, 9 distinct SNIs', () => {
  const { conns } = decodeCapture('quic-multi-sni.pcap');
  const snis = [...conns.values()].map((c) => parseClientHello(c.asm.clientHelloBody()!).sni);
  assert.equal(snis.length, 11);
  assert.equal(new Set(snis).size, 9);
});

test('quic-firefox-cloudflare.pcap: the Initial sent to the server-chosen DCID decrypts with the first DCID keys', () => {
  const { conns } = decodeCapture('quic-firefox-cloudflare.pcap');
  const [c] = [...conns.values()];
  const switched = c!.packets.filter((p) => !p.pkt.dcid.equals(c!.keyDcid!));
  assert.ok(switched.length >= 1);
  for (const p of switched) assert.deepEqual(p.pkt.keyDcid, c!.keyDcid);
});

/** Real ClientHellos of every capture, with the SNI tshark reports for them. */
function realHellos(): Array<{ body: Buffer; sni: string }> {
  const out: Array<{ body: Buffer; sni: string }> = [];
  for (const file of FILES) {
    for (const c of decodeCapture(file).conns.values()) {
      const body = c.asm.clientHelloBody();
      if (body) out.push({ body, sni: parseClientHello(body).sni! });
    }
  }
  return out;
}

test('a real ClientHello split over two datagrams (v1 and v2, DCID switch, reverse order) is reassembled', () => {
  const hellos = realHellos();
  assert.ok(hellos.length >= 14);
  let n = 0;
  for (const { body, sni } of hellos) {
    for (const version of [QUIC_V1, QUIC_V2]) {
      const msg = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
      const split = 121 + ((n++ * 37) % (msg.length - 122));
      const first = Buffer.from('f1f2f3f4f5f6f7f8', 'hex');
      const chosen = Buffer.from('0a0b0c0d', 'hex');
      // Datagram 1: the start, with the end of the message already shuffled into pieces, like Chrome does.
      const d1 = sealClientInitial({
        version,
        dcid: first,
        scid: Buffer.from('5c1d', 'hex'),
        packetNumber: 0,
        pnLength: 1,
        frames: [
          { crypto: { offset: 120, data: msg.subarray(120, split) } },
          { raw: Buffer.from([1]) },
          { crypto: { offset: 0, data: msg.subarray(0, 120) } },
        ],
        padTo: 1160,
      });
      // Datagram 2: the rest, after the client moved to the server's DCID (keys stay with the first one).
      const d2 = sealClientInitial({
        version,
        dcid: chosen,
        keyDcid: first,
        packetNumber: 1,
        pnLength: 2,
        frames: [{ crypto: { offset: split, data: msg.subarray(split) } }],
        padTo: 1160,
      });
      for (const order of [[d1, d2], [d2, d1]]) {
        const asm = new QuicCryptoAssembler();
        let keyDcid: Buffer | null = order[0] === d1 ? null : first;
        for (const d of order) {
          assert.ok(looksLikeQuicInitial(d!, 0, d!.length));
          const pkts = decryptClientInitials(d!, 0, d!.length, keyDcid);
          keyDcid ??= pkts[0]!.keyDcid;
          for (const p of pkts) for (const c of p.crypto) asm.add(c);
          if (d === order[0]) assert.equal(asm.clientHelloBody(), null, 'not complete after one datagram');
        }
        const got = asm.clientHelloBody();
        assert.deepEqual(got, body);
        assert.equal(parseClientHello(got!).sni, sni);
      }
    }
  }
});

test('fuzz on real Initials: truncation at every offset and random corruption raise only DecodeError', { timeout: 120_000 }, () => {
  const samples: Buffer[] = [];
  for (const file of FILES) {
    const { conns } = decodeCapture(file);
    const clients = new Set([...conns.values()].map((c) => c.client));
    for (const d of datagrams(file)) {
      if (clients.has(`${d.src}|${d.sport}`) && looksLikeQuicInitial(d.payload, 0, d.payload.length)) {
        samples.push(d.payload);
        break;
      }
    }
  }
  assert.equal(samples.length, FILES.length);
  let seed = 1234;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const check = (b: Buffer, len: number): void => {
    try {
      const pkts = decryptClientInitials(b, 0, len, null);
      const asm = new QuicCryptoAssembler();
      for (const p of pkts) for (const c of p.crypto) asm.add(c);
      asm.clientHelloBody();
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  };
  for (const s of samples) {
    for (let n = 0; n <= s.length; n++) {
      check(s, n);
      check(s.subarray(0, n), n);
    }
    for (let i = 0; i < 1500; i++) {
      const q = Buffer.from(s);
      const flips = 1 + rnd(6);
      // Half the flips hit the header, where parsing decisions are made.
      for (let f = 0; f < flips; f++) q[rnd(i % 2 === 0 ? 64 : q.length)] ^= 1 + rnd(255);
      check(q, q.length);
    }
  }
});
