/**
 * DNS decoder on hostile and hand-made input: compression loops, forward pointers, long names, every
 * truncation and random corruption of real messages, and the text renderings of record data.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { briefOf, decodeDns, decodeDnsBrief, decodeDnsTcpStream, type DnsMessage } from '../../src/decode/dns.js';
import { DecodeError } from '../../src/decode/errors.js';
import { formatIPv4, formatIPv6 } from '../../src/decode/text.js';
import { pcap } from '../helpers/paths.js';

function header(qd: number, an: number, ns = 0, ar = 0, flags = 0x8180): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(0x1234, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  h.writeUInt16BE(ns, 8);
  h.writeUInt16BE(ar, 10);
  return h;
}

function wireName(name: string): Buffer {
  if (name === '') return Buffer.from([0]);
  const parts: Buffer[] = [];
  for (const l of name.split('.')) parts.push(Buffer.from([l.length]), Buffer.from(l, 'latin1'));
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function rr(name: Buffer, type: number, rdata: Buffer, cls = 1, ttl = 300): Buffer {
  const f = Buffer.alloc(10);
  f.writeUInt16BE(type, 0);
  f.writeUInt16BE(cls, 2);
  f.writeUInt32BE(ttl, 4);
  f.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name, f, rdata]);
}

function question(name: Buffer, type = 1, cls = 1): Buffer {
  return Buffer.concat([name, u16(type), u16(cls)]);
}

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DecodeError, `not a DecodeError: ${String(e)}`);
    return e.kind;
  }
  return 'ok';
}

test('a pointer to itself is a loop', () => {
  const msg = Buffer.concat([header(1, 0), Buffer.from([0xc0, 12]), u16(1), u16(1)]);
  assert.equal(kindOf(() => decodeDns(msg, 0, msg.length)), 'dns.name-loop');
});

test('a label followed by a pointer back to it is a loop', () => {
  const msg = Buffer.concat([header(1, 0), Buffer.from([1, 0x61, 0xc0, 12]), u16(1), u16(1)]);
  assert.equal(kindOf(() => decodeDns(msg, 0, msg.length)), 'dns.name-loop');
});

test('two names pointing at each other are a loop', () => {
  // Question 1 at 12 points to question 2's name at 18, which points back to 12.
  const msg = Buffer.concat([header(2, 0), Buffer.from([0xc0, 18]), u16(1), u16(1), Buffer.from([0xc0, 12]), u16(1), u16(1)]);
  assert.equal(kindOf(() => decodeDns(msg, 0, msg.length)), 'dns.name-loop');
});

test('a pointer forward is refused even to a valid name', () => {
  // Question at 12 points to 20, where an answer's valid name starts.
  const q = Buffer.concat([Buffer.from([0xc0, 18]), u16(1), u16(1)]);
  const msg = Buffer.concat([header(1, 1), q, rr(wireName('example.com'), 1, Buffer.from([1, 2, 3, 4]))]);
  assert.equal(msg[18], 7);
  assert.equal(kindOf(() => decodeDns(msg, 0, msg.length)), 'dns.name-loop');
});

test('a pointer backwards into an earlier name works, chained', () => {
  const q = question(wireName('www.example.com'));
  // Answer name "mail" + pointer to "example.com" (offset 16), answer data pointer to the whole question name.
  const an1 = rr(Buffer.from([4, ...Buffer.from('mail'), 0xc0, 16]), 5, Buffer.from([0xc0, 12]));
  const an1Off = 12 + q.length;
  // A second answer whose name points at the first answer's name (itself a pointer chain).
  const an2 = rr(Buffer.from([0xc0, an1Off]), 1, Buffer.from([10, 0, 0, 1]));
  const msg = Buffer.concat([header(1, 2), q, an1, an2]);
  const m = decodeDns(msg, 0, msg.length);
  assert.deepEqual(m.answers.map((r) => [r.name, r.data]), [['mail.example.com', 'www.example.com'], ['mail.example.com', '10.0.0.1']]);
});

test('names longer than 255 octets are refused, 255 is accepted', () => {
  const l63 = 'a'.repeat(63);
  const long = wireName([l63, l63, l63, l63, 'b'.repeat(48)].join('.'));
  assert.ok(long.length > 300);
  const m1 = Buffer.concat([header(1, 0), question(long)]);
  assert.equal(kindOf(() => decodeDns(m1, 0, m1.length)), 'dns.name-too-long');
  const max = wireName([l63, l63, l63, 'c'.repeat(61)].join('.'));
  assert.equal(max.length, 255);
  const m2 = Buffer.concat([header(1, 0), question(max)]);
  assert.equal(decodeDns(m2, 0, m2.length).questions[0].name.length, 253);
  // 256 octets reached through a pointer: "dd." + the 255-octet name less its root... too long.
  const m3 = Buffer.concat([header(2, 0), question(max), question(Buffer.from([2, 0x64, 0x64, 0xc0, 12]))]);
  assert.equal(kindOf(() => decodeDns(m3, 0, m3.length)), 'dns.name-too-long');
});

test('reserved label types are refused', () => {
  const msg = Buffer.concat([header(1, 0), Buffer.from([0x41, 0]), u16(1), u16(1)]);
  assert.equal(kindOf(() => decodeDns(msg, 0, msg.length)), 'dns.label-type');
});

test('label escaping: dot, backslash and non-printable bytes as \\DDD, space kept, root is ""', () => {
  const name = Buffer.from([5, 0x61, 0x2e, 0x62, 0x5c, 0x20, 3, 0x00, 0xe2, 0x7f, 5, ...Buffer.from('local'), 0]);
  const msg = Buffer.concat([header(2, 0), question(name), question(Buffer.from([0]))]);
  const m = decodeDns(msg, 0, msg.length);
  assert.equal(m.questions[0].name, 'a\\046b\\092 .\\000\\226\\127.local');
  assert.equal(m.questions[1].name, '');
});

test('record data renderings', () => {
  const q = question(wireName('example.com'), 255);
  const origin = Buffer.from([0xc0, 12]);
  const soa = Buffer.concat([wireName('ns1.example.com'), wireName('hostmaster.example.com'),
    Buffer.from([0, 0, 0, 1, 0, 0, 0x0e, 0x10, 0, 0, 0x07, 0x08, 0, 0x12, 0x75, 0, 0, 0, 0x01, 0x2c])]);
  const svcParams = Buffer.concat([
    u16(0), u16(4), u16(1), u16(3), // mandatory=alpn,port
    u16(1), u16(6), Buffer.from([2, 0x68, 0x32, 2, 0x68, 0x33]), // alpn=h2,h3
    u16(3), u16(2), u16(8443), // port
    u16(4), u16(8), Buffer.from([192, 0, 2, 1, 192, 0, 2, 2]),
    u16(5), u16(3), Buffer.from([1, 2, 3]),
    u16(6), u16(16), Buffer.from('20010db8000000000000000000000001', 'hex'),
    u16(9), u16(2), Buffer.from([0xab, 0xcd]),
  ]);
  const records = [
    rr(origin, 1, Buffer.from([93, 184, 216, 34])),
    rr(origin, 28, Buffer.from('20010db8000000000001000000000001', 'hex')),
    rr(origin, 15, Buffer.concat([u16(10), wireName('mx.example.com')])),
    rr(origin, 15, Buffer.concat([u16(0), Buffer.from([0])])),
    rr(origin, 16, Buffer.from([5, ...Buffer.from('hello'), 0, 3, 0x61, 0x0a, 0x5c])),
    rr(origin, 33, Buffer.concat([u16(1), u16(2), u16(5060), wireName('sip.example.com')])),
    rr(origin, 6, soa),
    rr(origin, 65, Buffer.concat([u16(1), Buffer.from([0]), svcParams])),
    rr(origin, 64, Buffer.concat([u16(0), wireName('alias.example.net')])),
    rr(origin, 12, origin),
    rr(origin, 99, Buffer.from([0xde, 0xad])),
    rr(Buffer.from([0]), 41, Buffer.from([0, 8, 0, 4, 0, 1, 0x18, 0]), 1232, 0),
  ];
  const msg = Buffer.concat([header(1, records.length - 1, 0, 1), q, ...records]);
  const m = decodeDns(msg, 0, msg.length);
  assert.deepEqual(m.answers.map((r) => r.data), [
    '93.184.216.34',
    '2001:db8::1:0:0:1',
    '10 mx.example.com',
    '0 .',
    'helloa\\010\\092',
    '1 2 5060 sip.example.com',
    'ns1.example.com hostmaster.example.com 1 3600 1800 1209600 300',
    '1 . mandatory=alpn,port alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AQID ipv6hint=2001:db8::1 key9=abcd',
    '0 alias.example.net',
    'example.com',
    'dead',
  ]);
  assert.deepEqual(m.additionals.map((r) => [r.name, r.type, r.class, r.data, r.cacheFlush]), [['', 41, 1232, '0008000400011800', false]]);
});

test('IPv6 formatting follows RFC 5952', () => {
  const cases: [string, string][] = [
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['20010000000000010000000000010001', '2001::1:0:0:1:1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['fe800000000000000000000000000000', 'fe80::'],
    ['20010db8aaaabbbbccccddddeeeeffff', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
    ['20010000000000010000000000000000', '2001:0:0:1::'],
    ['20010db8000000000001000000000000', '2001:db8:0:0:1::'],
  ];
  for (const [hex, text] of cases) assert.equal(formatIPv6(Buffer.from(hex, 'hex'), 0), text, hex);
});

/** DNS payloads of real captures, from tshark. */
function realMessages(): Buffer[] {
  const out: Buffer[] = [];
  for (const file of ['dns-edns-ecs.pcap', 'mdns.pcap', 'http-wikipedia.pcap', 'tls-browsing-mixed.pcap', 'dns-a-aaaa-mx-nsec.pcap']) {
    const text = execFileSync('tshark', ['-r', pcap(file), '-Y', 'dns or mdns or llmnr', '-T', 'fields', '-e', 'udp.payload'],
      { encoding: 'latin1', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of text.split('\n')) if (line.length > 0) out.push(Buffer.from(line, 'hex'));
  }
  return out;
}

/** Decodes [0, len) of `msg` both in an exact-size copy and inside a larger buffer: a read past `len` shows. */
function outcome(msg: Buffer, len: number): string {
  const exact = Buffer.from(msg.subarray(0, len));
  const big = Buffer.alloc(len + 40, 0xc0);
  msg.copy(big, 20, 0, len);
  let a: string;
  let b: string;
  try {
    a = JSON.stringify(decodeDns(exact, 0, len));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    a = e.kind;
  }
  try {
    b = JSON.stringify(decodeDns(big, 20, len));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    b = e.kind;
  }
  assert.equal(b, a, 'result depends on bytes outside the range');
  return a;
}

const messages = realMessages();

test('truncation at every offset of real messages: only DecodeError, never past the range', () => {
  assert.ok(messages.length > 100);
  const t0 = Date.now();
  let errors = 0;
  for (const msg of messages) {
    assert.notEqual(outcome(msg, msg.length).startsWith('dns.'), true);
    for (let cut = 0; cut < msg.length; cut++) if (outcome(msg, cut).startsWith('dns.')) errors++;
  }
  assert.ok(errors > 0);
  assert.ok(Date.now() - t0 < 60_000);
});

/** Small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random byte flips of real messages: only DecodeError escapes, no hang', () => {
  const rand = rng(20240601);
  const t0 = Date.now();
  for (const orig of messages) {
    for (let round = 0; round < 60; round++) {
      const msg = Buffer.from(orig);
      const flips = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < flips; i++) msg[Math.floor(rand() * msg.length)] = Math.floor(rand() * 256);
      const start = Date.now();
      outcome(msg, msg.length);
      // A hang, not a slow machine: a decode of a few hundred bytes takes microseconds, so seconds mean a loop.
      assert.ok(Date.now() - start < 2_000, 'one decode took too long');
    }
  }
  assert.ok(Date.now() - t0 < 60_000);
});

/** The full decode, and the answers-only one, must agree on everything the latter returns, errors included. */
function sameAnswersOnly(msg: Buffer, len: number): boolean {
  const run = (answersOnly: boolean): string => {
    try {
      const m = decodeDns(msg, 0, len, { answersOnly });
      return JSON.stringify({ ...m, authorities: answersOnly ? m.authorities.length : [], additionals: answersOnly ? m.additionals.length : [] });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return e.kind;
    }
  };
  const full = run(false);
  assert.equal(run(true), full.startsWith('dns.') ? full : full.replace(/"authorities":\[\],"additionals":\[\]/, '"authorities":0,"additionals":0'));
  return full.startsWith('dns.');
}

test('answers only: the same questions, answers and errors as the full decode, on every truncation and random corruption', () => {
  const rand = rng(20261206);
  let failed = 0;
  let withOthers = 0;
  for (const orig of messages) {
    if (decodeDns(orig, 0, orig.length).authorities.length + decodeDns(orig, 0, orig.length).additionals.length > 0) withOthers++;
    for (let cut = 0; cut <= orig.length; cut++) if (sameAnswersOnly(orig, cut)) failed++;
    for (let round = 0; round < 30; round++) {
      const msg = Buffer.from(orig);
      const flips = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < flips; i++) msg[Math.floor(rand() * msg.length)] = Math.floor(rand() * 256);
      if (sameAnswersOnly(msg, msg.length)) failed++;
    }
  }
  // The corpus exercises what is skipped: messages with authority or additional records, and damage in them.
  assert.ok(withOthers > 50, `${withOthers} messages with authority or additional records`);
  assert.ok(failed > 0);
});

test('DNS over TCP: a malformed message is skipped and reported, the next one still decodes', () => {
  const good = Buffer.concat([header(1, 0, 0, 0, 0x0100), question(wireName('ok.example'))]);
  const bad = Buffer.concat([header(1, 0, 0, 0, 0x0100), Buffer.from([0xc0, 12]), u16(1), u16(1)]);
  const stream = Buffer.concat([u16(bad.length), bad, u16(good.length), good, u16(good.length), good.subarray(0, 5)]);
  const r = decodeDnsTcpStream(stream, 0, stream.length);
  assert.deepEqual(r.errors, ['dns.name-loop']);
  assert.deepEqual(r.messages.map((m: DnsMessage) => m.questions[0].name), ['ok.example']);
  assert.equal(r.consumed, 2 + bad.length + 2 + good.length);
  // A zero-length message is malformed but does not stop the stream.
  const z = Buffer.concat([u16(0), u16(good.length), good]);
  const rz = decodeDnsTcpStream(z, 0, z.length);
  assert.deepEqual([rz.errors, rz.messages.length, rz.consumed], [['dns.truncated'], 1, z.length]);
  // Nothing complete: nothing consumed.
  assert.deepEqual(decodeDnsTcpStream(stream, 0, 1), { messages: [], consumed: 0, errors: [] });
});

test('DNS over TCP: random corruption of a real stream never throws', () => {
  const rand = rng(7);
  for (let round = 0; round < 300; round++) {
    const parts: Buffer[] = [];
    for (let i = 0; i < 5; i++) {
      const m = messages[Math.floor(rand() * messages.length)];
      parts.push(u16(m.length), m);
    }
    const s = Buffer.concat(parts);
    for (let i = 0; i < 3; i++) s[Math.floor(rand() * s.length)] = Math.floor(rand() * 256);
    const r = decodeDnsTcpStream(s, 0, s.length);
    assert.ok(r.consumed <= s.length);
  }
});

/** RFC 5952 as first written here, with strings: the reference the byte-writing formatter must match. */
function ipv6Reference(b: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(2 * i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestLen = j - i;
      bestStart = i;
    }
  }
  if (bestLen < 2) bestStart = -1;
  if (bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      parts.push(i === 0 ? ':' : '');
      i += bestLen - 1;
      if (i === 7) parts.push('');
      continue;
    }
    parts.push(groups[i]!.toString(16));
  }
  return parts.join(':');
}

test('IPv6 and IPv4 formatting of random addresses, zero runs and every group width', () => {
  const rand = rng(5952);
  for (let n = 0; n < 20_000; n++) {
    const b = Buffer.alloc(20);
    for (let i = 0; i < 16; i++) {
      // Mostly zeros and small values, so runs, ties and short groups all happen.
      const r = rand();
      b[2 + i] = r < 0.5 ? 0 : r < 0.7 ? Math.floor(rand() * 16) : Math.floor(rand() * 256);
    }
    if (n % 7 === 0) b.fill(0, 2, 12), b[12] = b[13] = 0xff;
    assert.equal(formatIPv6(b, 2), ipv6Reference(b.subarray(2, 18)), b.toString('hex', 2, 18));
    assert.equal(formatIPv4(b, 3), `${b[3]}.${b[4]}.${b[5]}.${b[6]}`);
  }
});

/** The brief decode must give what the answers-only decode gives, in the facts' form, errors included. */
function sameBrief(msg: Buffer, len: number): boolean {
  let full: string;
  let brief: string;
  try {
    full = JSON.stringify(briefOf(decodeDns(msg, 0, len, { answersOnly: true })));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    full = e.kind;
  }
  try {
    brief = JSON.stringify(decodeDnsBrief(msg, 0, len));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    brief = e.kind;
  }
  assert.equal(brief, full);
  return full.startsWith('dns.');
}

test('brief decode: the same questions, answers and errors as the full decode, on every truncation and random corruption', () => {
  const rand = rng(20261207);
  let failed = 0;
  for (const orig of messages) {
    for (let cut = 0; cut <= orig.length; cut++) if (sameBrief(orig, cut)) failed++;
    for (let round = 0; round < 30; round++) {
      const msg = Buffer.from(orig);
      const flips = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < flips; i++) msg[Math.floor(rand() * msg.length)] = Math.floor(rand() * 256);
      if (sameBrief(msg, msg.length)) failed++;
    }
  }
  assert.ok(failed > 0);
});

test('brief decode: answer names shared through pointers, chains up to the pointer limit and past it', () => {
  const q = question(wireName('www.example.com'));
  // Several answers pointing at the question, then at an answer's own name, then a chain of pointers
  // each to the previous answer's name: the 127th pointer followed is the last one allowed.
  const build = (chain: number): Buffer => {
    const parts = [header(1, 0), q];
    let off = 12 + q.length;
    const a1 = rr(Buffer.from([0xc0, 12]), 1, Buffer.from([10, 0, 0, 1]));
    const a2 = rr(Buffer.from([3, ...Buffer.from('cdn'), 0xc0, 16]), 5, Buffer.from([0xc0, 12]));
    const a2Off = off + a1.length;
    const a3 = rr(Buffer.from([0xc0, a2Off]), 28, Buffer.alloc(16, 1));
    const a4 = rr(Buffer.from([0xc0, a2Off]), 1, Buffer.from([10, 0, 0, 2]));
    const a5 = rr(Buffer.from([0xc0, 12]), 1, Buffer.from([10, 0, 0, 3]));
    parts.push(a1, a2, a3, a4, a5);
    off += a1.length + a2.length + a3.length + a4.length + a5.length;
    let prev = a2Off;
    for (let i = 0; i < chain; i++) {
      const r = rr(Buffer.from([0xc0 | (prev >> 8), prev & 0xff]), 1, Buffer.from([10, 1, i >> 8, i & 0xff]));
      parts.push(r);
      prev = off;
      off += r.length;
    }
    const msg = Buffer.concat(parts);
    msg.writeUInt16BE(5 + chain, 6);
    return msg;
  };
  const ok = build(126);
  const b = decodeDnsBrief(ok, 0, ok.length);
  assert.deepEqual(b.answers.slice(0, 5).map((a) => ({ ...a })), [
    { name: 'www.example.com', type: 'A', data: '10.0.0.1' },
    { name: 'cdn.example.com', type: 'CNAME', data: 'www.example.com' },
    { name: 'cdn.example.com', type: 'AAAA', data: '101:101:101:101:101:101:101:101' },
    { name: 'cdn.example.com', type: 'A', data: '10.0.0.2' },
    { name: 'www.example.com', type: 'A', data: '10.0.0.3' },
  ]);
  assert.equal(b.answers.length, 131);
  assert.ok(sameBrief(ok, ok.length) === false);
  const tooMany = build(127);
  assert.equal(kindOf(() => decodeDnsBrief(tooMany, 0, tooMany.length)), 'dns.name-loop');
  assert.ok(sameBrief(tooMany, tooMany.length));
});

test('names remembered between messages: names differing in one byte anywhere, or only in case, stay apart', () => {
  const base = 'abcdefghij.example.com';
  const seen: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (let at = 0; at < base.length; at++) {
      if (base[at] === '.') continue;
      for (const c of ['x', 'X', '\\']) {
        const name = base.slice(0, at) + c + base.slice(at + 1);
        const msg = Buffer.concat([header(1, 0, 0, 0, 0x0100), question(wireName(name))]);
        const want = name.replace(/\\/g, '\\092');
        assert.equal(decodeDnsBrief(msg, 0, msg.length).questions[0]!.name, want);
        assert.equal(decodeDns(msg, 0, msg.length).questions[0]!.name, want);
        if (round === 0) seen.push(want);
      }
    }
  }
  assert.equal(new Set(seen).size, seen.length);
});

test('record data written as hex is the same text whether it was seen before or not, and never another record\'s', () => {
  // Signatures that start and end alike and differ only in the middle, and the same one again.
  const sig = (middle: number, len: number): Buffer => {
    const b = Buffer.alloc(len, 0xab);
    b[len >> 1] = middle;
    return b;
  };
  const datas = [sig(1, 64), sig(2, 64), sig(1, 64), sig(1, 65), sig(3, 15), sig(3, 15), sig(4, 1024), sig(5, 1025), sig(5, 1025)];
  for (const data of datas) {
    const msg = Buffer.concat([header(0, 1), rr(wireName('example.com'), 46, data)]);
    const brief = decodeDnsBrief(msg, 0, msg.length);
    assert.equal(brief.answers[0]!.data, data.toString('hex'));
    assert.equal(decodeDns(msg, 0, msg.length).answers[0]!.data, data.toString('hex'));
  }
});
