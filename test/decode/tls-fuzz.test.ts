/**
 * Damaged real handshakes: every truncation and many random byte flips of real ClientHello, ServerHello and
 * Certificate messages. Parsers may only fail with DecodeError, TlsStreamReader.push may not fail at all, and
 * certificateFacts may only fail with DecodeError('x509.bad-der').
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DecodeError } from '../../src/decode/errors.js';
import { ja3, ja4 } from '../../src/decode/fingerprint.js';
import { TlsStreamReader, parseCertificateMessage, parseClientHello, parseServerHello } from '../../src/decode/tls.js';
import { certificateFacts } from '../../src/decode/x509.js';
import { followTcp, pushInPieces, rng } from './helpers-tls.js';

/** The handshake messages of one direction (type and body), joined across records; for test inputs only. */
function messages(stream: Buffer): { type: number; body: Buffer }[] {
  const hs: Buffer[] = [];
  for (let p = 0; p + 5 <= stream.length; ) {
    const len = stream.readUInt16BE(p + 3);
    if (stream[p] === 22) hs.push(stream.subarray(p + 5, p + 5 + len));
    else break;
    p += 5 + len;
  }
  const all = Buffer.concat(hs);
  const out: { type: number; body: Buffer }[] = [];
  for (let p = 0; p + 4 <= all.length; ) {
    const len = all.readUIntBE(p + 1, 3);
    out.push({ type: all[p]!, body: all.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

function onlyDecodeError(f: () => unknown, what: string): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DecodeError)) assert.fail(`${what}: threw ${String(e)}`);
    assert.match(e.kind, /^(tls|x509)\.[a-z0-9-]+$/, what);
  }
}

function flip(buf: Buffer, r: () => number): Buffer {
  const b = Buffer.from(buf);
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * b.length);
    // Half the time a single bit, half a whole random byte: lengths get both near and wild values.
    b[at] = r() < 0.5 ? b[at]! ^ (1 << Math.floor(r() * 8)) : Math.floor(r() * 256);
  }
  return b;
}

let client13: Buffer; // Chrome, TLS 1.3 with Kyber: many extensions, large key share
let client12: Buffer;
let server12: Buffer; // ServerHello + Let's Encrypt chain
let chBodies: Buffer[];
let shBody: Buffer;
let certBody: Buffer;

before(async () => {
  const kyber = (await followTcp('tls13-kyber-split-clienthello.pcap', [0])).get(0)!;
  const heise = (await followTcp('tls12-letsencrypt-heise.pcap', [0])).get(0)!;
  client13 = kyber.node0;
  client12 = heise.node0;
  server12 = heise.node1;
  chBodies = [messages(client13)[0]!.body, messages(client12)[0]!.body];
  const sm = messages(server12);
  shBody = sm.find((m) => m.type === 2)!.body;
  certBody = sm.find((m) => m.type === 11)!.body;
  assert.ok(chBodies.every((b) => b.length > 200) && shBody.length > 40 && certBody.length > 1000);
});

describe('damaged handshake messages', () => {
  it('ClientHello: every truncation, 3000 flips each', () => {
    for (const body of chBodies) {
      for (let i = 0; i < body.length; i++) onlyDecodeError(() => parseClientHello(body.subarray(0, i)), `truncated at ${i}`);
      const r = rng(42);
      for (let k = 0; k < 3000; k++) {
        const b = flip(body, r);
        onlyDecodeError(() => {
          // Whatever parses must also fingerprint.
          const ch = parseClientHello(b);
          ja3(ch);
          ja4(ch, 't');
        }, `flip ${k}`);
      }
    }
  });

  it('ServerHello and Certificate: every truncation, 2000 flips each', () => {
    for (const [name, body, parse] of [
      ['ServerHello', shBody, (b: Buffer) => parseServerHello(b)],
      ['Certificate', certBody, (b: Buffer) => parseCertificateMessage(b, false)],
      ['Certificate as 1.3', certBody, (b: Buffer) => parseCertificateMessage(b, true)],
    ] as const) {
      for (let i = 0; i < body.length; i++) onlyDecodeError(() => parse(body.subarray(0, i)), `${name} truncated at ${i}`);
      const r = rng(7);
      for (let k = 0; k < 2000; k++) onlyDecodeError(() => parse(flip(body, r)), `${name} flip ${k}`);
    }
  });

  it('certificateFacts: every truncation and 500 flips of a real certificate', () => {
    const [leaf] = parseCertificateMessage(certBody, false);
    assert.ok(leaf);
    for (let i = 0; i < leaf.length; i++) onlyDecodeError(() => certificateFacts(leaf.subarray(0, i)), `cert truncated at ${i}`);
    const r = rng(99);
    for (let k = 0; k < 500; k++) onlyDecodeError(() => certificateFacts(flip(leaf, r)), `cert flip ${k}`);
  });
});

describe('TlsStreamReader on damaged streams', () => {
  const check = (data: Buffer, seed: number, what: string): TlsStreamReader => {
    const reader = new TlsStreamReader();
    assert.doesNotThrow(() => pushInPieces(data, seed, 200, (b, o, l) => reader.push(b, o, l)), what);
    assert.ok(reader.error === null || /^tls\.[a-z0-9-]+$/.test(reader.error), `${what}: ${reader.error}`);
    if (reader.error !== null) assert.equal(reader.done, true, what);
    return reader;
  };

  it('never throws on truncated streams, and finds the hello exactly when it is complete', () => {
    const chEnd = 5 + client13.readUInt16BE(3); // Chrome's hello here fits one record
    for (let i = 0; i <= Math.min(client13.length, chEnd + 50); i++) {
      const r = check(client13.subarray(0, i), i, `client truncated at ${i}`);
      assert.equal(r.clientHello !== null, i >= chEnd, `truncated at ${i}`);
      assert.equal(r.error, null);
    }
    for (let i = 0; i <= server12.length; i += 7) check(server12.subarray(0, i), i, `server truncated at ${i}`);
  });

  it('never throws on flipped streams or noise', () => {
    const r = rng(5);
    for (let k = 0; k < 1500; k++) {
      check(flip(client13, r), k, `client13 flip ${k}`);
      check(flip(client12, r), k, `client12 flip ${k}`);
      check(flip(server12, r), k, `server12 flip ${k}`);
    }
    for (let k = 0; k < 200; k++) {
      const noise = Buffer.alloc(1 + Math.floor(r() * 3000));
      for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(r() * 256);
      // Noise that starts like a handshake record reaches the deeper parsers.
      if (k % 2 === 0 && noise.length > 5) noise.set([22, 3, 1], 0);
      check(noise, k, `noise ${k}`);
    }
  });
});
