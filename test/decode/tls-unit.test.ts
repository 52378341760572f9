/** Synthetic edge cases of the TLS decoder that the real captures do not exercise. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../src/decode/errors.js';
import {
  TlsStreamReader,
  isGrease,
  looksLikeTls,
  parseCertificateMessage,
  parseClientHello,
  parseServerHello,
  tlsVersionName,
} from '../../src/decode/tls.js';
import {
  alpnExt,
  certificateBody,
  certificateBody13,
  clientHelloBody,
  ext,
  groupsExt,
  handshake,
  pointsExt,
  record,
  serverHelloBody,
  sigAlgsExt,
  sniExt,
  u16,
  versionsExt,
} from './helpers-tls-build.js';

const decodeError = (kind: string) => (e: unknown) => e instanceof DecodeError && e.kind === kind;

describe('tlsVersionName', () => {
  it('names the known versions and prints others in hex', () => {
    assert.equal(tlsVersionName(0x0300), 'SSL 3.0');
    assert.equal(tlsVersionName(0x0301), 'TLS 1.0');
    assert.equal(tlsVersionName(0x0302), 'TLS 1.1');
    assert.equal(tlsVersionName(0x0303), 'TLS 1.2');
    assert.equal(tlsVersionName(0x0304), 'TLS 1.3');
    assert.equal(tlsVersionName(0x7f1c), '0x7f1c');
    assert.equal(tlsVersionName(0x0002), '0x0002');
  });
});

describe('isGrease', () => {
  it('matches exactly the 16 RFC 8701 values', () => {
    const all = [];
    for (let v = 0; v < 0x10000; v++) if (isGrease(v)) all.push(v);
    assert.deepEqual(all, Array.from({ length: 16 }, (_, i) => i * 0x1010 + 0x0a0a));
  });
});

describe('parseClientHello', () => {
  it('reads every field it exposes', () => {
    const body = clientHelloBody({
      version: 0x0303,
      sessionId: Buffer.alloc(32, 7),
      ciphers: [0x0a0a, 0x1301, 0xc02f],
      extensions: [
        ext(0x1a1a, Buffer.alloc(0)),
        sniExt('example.org'),
        alpnExt(['h2', 'http/1.1']),
        versionsExt([0x2a2a, 0x0304, 0x0303]),
        groupsExt([0x3a3a, 0x001d, 0x0017]),
        pointsExt([0]),
        sigAlgsExt([0x0403, 0x0804]),
        ext(0xff01, Buffer.from([0])),
      ],
    });
    const ch = parseClientHello(body);
    assert.equal(ch.legacyVersion, 0x0303);
    assert.deepEqual(ch.random, Buffer.alloc(32, 0x11));
    assert.deepEqual(ch.ciphers, [0x0a0a, 0x1301, 0xc02f]);
    assert.deepEqual(ch.compression, [0]);
    assert.deepEqual(ch.extensions, [0x1a1a, 0, 0x10, 0x2b, 0x0a, 0x0b, 0x0d, 0xff01]);
    assert.equal(ch.sni, 'example.org');
    assert.deepEqual(ch.alpn, ['h2', 'http/1.1']);
    assert.deepEqual(ch.supportedVersions, [0x2a2a, 0x0304, 0x0303]);
    assert.deepEqual(ch.groups, [0x3a3a, 0x001d, 0x0017]);
    assert.deepEqual(ch.ecPointFormats, [0]);
    assert.deepEqual(ch.sigAlgs, [0x0403, 0x0804]);
  });

  it('accepts a hello without an extensions block (TLS ≤ 1.2, SSL 3.0)', () => {
    const ch = parseClientHello(clientHelloBody({ version: 0x0300, ciphers: [0x000a], extensions: null }));
    assert.deepEqual(ch.extensions, []);
    assert.equal(ch.sni, null);
  });

  it('keeps the first of a repeated extension, but lists both', () => {
    const ch = parseClientHello(clientHelloBody({ ciphers: [1], extensions: [sniExt('a.example'), sniExt('b.example')] }));
    assert.equal(ch.sni, 'a.example');
    assert.deepEqual(ch.extensions, [0, 0]);
  });

  it('does not copy views of the caller\'s buffer into the random', () => {
    const body = clientHelloBody({ ciphers: [1], extensions: [] });
    const ch = parseClientHello(body);
    body.fill(0);
    assert.deepEqual(ch.random, Buffer.alloc(32, 0x11));
  });

  it('rejects lying lengths with named kinds', () => {
    const good = clientHelloBody({ ciphers: [1, 2], extensions: [sniExt('x.example')] });
    assert.throws(() => parseClientHello(good.subarray(0, 20)), decodeError('tls.short-client-hello'));
    const oddCiphers = Buffer.from(good);
    oddCiphers.writeUInt16BE(3, 35); // cipher_suites length right after the empty session id
    assert.throws(() => parseClientHello(oddCiphers), decodeError('tls.bad-cipher-suites'));
    const longSid = Buffer.from(good);
    longSid[34] = 33;
    assert.throws(() => parseClientHello(longSid), decodeError('tls.bad-session-id'));
    const extOverrun = Buffer.concat([good.subarray(0, good.length - 2)]);
    assert.throws(() => parseClientHello(extOverrun), (e: unknown) => e instanceof DecodeError && e.kind.startsWith('tls.'));
    const badSni = clientHelloBody({ ciphers: [1], extensions: [ext(0, Buffer.from([0, 9, 0, 0, 3, 0x61]))] });
    assert.throws(() => parseClientHello(badSni), decodeError('tls.bad-sni'));
    const badExtLen = clientHelloBody({ ciphers: [1], extensions: [Buffer.from([0, 0x17, 0, 5, 1])] });
    assert.throws(() => parseClientHello(badExtLen), decodeError('tls.bad-extension-length'));
  });
});

describe('parseServerHello', () => {
  it('reads the selected version, cipher and ALPN', () => {
    const sh = parseServerHello(serverHelloBody(0x0303, 0x1301, [versionsServer(0x0304), alpnExt(['h2']), ext(0x33, Buffer.alloc(36))]));
    assert.equal(sh.legacyVersion, 0x0303);
    assert.equal(sh.cipher, 0x1301);
    assert.equal(sh.selectedVersion, 0x0304);
    assert.equal(sh.alpn, 'h2');
    assert.deepEqual(sh.extensions, [0x2b, 0x10, 0x33]);
  });

  it('has no selected version or ALPN when not sent', () => {
    const sh = parseServerHello(serverHelloBody(0x0301, 0x002f, null));
    assert.equal(sh.selectedVersion, null);
    assert.equal(sh.alpn, null);
    assert.deepEqual(sh.extensions, []);
  });

  it('rejects a supported_versions of the wrong size', () => {
    assert.throws(
      () => parseServerHello(serverHelloBody(0x0303, 1, [ext(0x2b, Buffer.from([3]))])),
      decodeError('tls.bad-supported-versions'),
    );
  });
});

function versionsServer(v: number): Buffer {
  return ext(0x2b, u16(v));
}

describe('parseCertificateMessage', () => {
  const a = Buffer.from('30030201', 'hex');
  const b = Buffer.from('3003020102', 'hex');
  it('reads TLS 1.2 and TLS 1.3 layouts', () => {
    assert.deepEqual(parseCertificateMessage(certificateBody([a, b]), false), [a, b]);
    assert.deepEqual(parseCertificateMessage(certificateBody13([a, b], Buffer.from([1, 2])), true), [a, b]);
    assert.deepEqual(parseCertificateMessage(certificateBody([]), false), []);
  });
  it('rejects lengths beyond the message and empty certificates', () => {
    const body = certificateBody([a, b]);
    assert.throws(() => parseCertificateMessage(body.subarray(0, body.length - 1), false), decodeError('tls.bad-certificate-list'));
    assert.throws(() => parseCertificateMessage(certificateBody([Buffer.alloc(0)]), false), decodeError('tls.bad-certificate-length'));
  });
});

describe('looksLikeTls', () => {
  const ch = record(22, handshake(1, clientHelloBody({ ciphers: [1], extensions: [] })), 0x0301);
  it('accepts ClientHello and ServerHello records', () => {
    assert.equal(looksLikeTls(ch, 0, ch.length), true);
    const sh = record(22, handshake(2, serverHelloBody(0x0303, 1, null)));
    assert.equal(looksLikeTls(sh, 0, sh.length), true);
    const padded = Buffer.concat([Buffer.from('GET '), ch]);
    assert.equal(looksLikeTls(padded, 4, ch.length), true);
  });
  it('refuses other bytes and short or out-of-range windows', () => {
    assert.equal(looksLikeTls(Buffer.from('GET / HTTP/1.1\r\n'), 0, 16), false);
    assert.equal(looksLikeTls(ch, 0, 5), false);
    assert.equal(looksLikeTls(ch, 1, ch.length), false);
    assert.equal(looksLikeTls(ch, -1, 6), false);
    const appData = Buffer.from(ch);
    appData[0] = 23;
    assert.equal(looksLikeTls(appData, 0, appData.length), false);
    const ssh = Buffer.from(ch);
    ssh[1] = 2;
    assert.equal(looksLikeTls(ssh, 0, ssh.length), false);
    const finished = Buffer.from(ch);
    finished[5] = 20;
    assert.equal(looksLikeTls(finished, 0, finished.length), false);
    const huge = Buffer.from(ch);
    huge.writeUInt16BE(0xffff, 3);
    assert.equal(looksLikeTls(huge, 0, huge.length), false);
  });
});

describe('TlsStreamReader', () => {
  const chBody = clientHelloBody({ ciphers: [0x1301], extensions: [sniExt('split.example')] });
  const push = (r: TlsStreamReader, b: Buffer): void => {
    r.push(b, 0, b.length);
  };

  it('joins a handshake message spread over several records, and several messages in one record', () => {
    const msg = handshake(1, chBody);
    const r = new TlsStreamReader();
    push(r, Buffer.concat([record(22, msg.subarray(0, 3)), record(22, msg.subarray(3, 30)), record(22, msg.subarray(30))]));
    assert.equal(r.clientHello?.sni, 'split.example');
    assert.equal(r.done, false);

    const cert = Buffer.from('3003020101', 'hex');
    const s = new TlsStreamReader();
    push(
      s,
      record(
        22,
        Buffer.concat([
          handshake(2, serverHelloBody(0x0303, 0xc02f, [])),
          handshake(11, certificateBody([cert])),
          handshake(12, Buffer.alloc(10)),
          handshake(14, Buffer.alloc(0)),
        ]),
      ),
    );
    assert.equal(s.serverHello?.cipher, 0xc02f);
    assert.deepEqual(s.certificates, [cert]);
    assert.equal(s.done, true);
    assert.equal(s.error, null);
  });

  it('reads a byte at a time', () => {
    const all = record(22, handshake(1, chBody));
    const r = new TlsStreamReader();
    for (let i = 0; i < all.length; i++) r.push(all, i, 1);
    assert.equal(r.clientHello?.sni, 'split.example');
  });

  it('in rereads mode, reads a flight growing a byte at a time the same, taking a cut message only once whole', () => {
    const cert = Buffer.from('3003020101', 'hex');
    // One message across two records (gathered aside), then several in one record (read in place).
    const sh = handshake(2, serverHelloBody(0x0303, 0xc02f, []));
    const flight = Buffer.concat([
      record(22, sh.subarray(0, 20)),
      record(22, Buffer.concat([sh.subarray(20), handshake(11, certificateBody([cert])), handshake(12, Buffer.alloc(300))])),
      record(22, handshake(14, Buffer.alloc(0))),
    ]);
    const whole = new TlsStreamReader();
    push(whole, flight);
    const r = new TlsStreamReader(true);
    // As a TCP reassembly does: the bytes so far stay in one buffer, what was not taken is offered again.
    let fed = 0;
    let shortTakes = 0;
    for (let have = 1; have <= flight.length && !r.done; have++) {
      const took = r.push(flight, fed, have - fed);
      assert.ok(took >= 0 && took <= have - fed);
      if (took < have - fed) shortTakes++;
      fed += took;
    }
    assert.ok(shortTakes > 0, 'a cut message was left for the next push');
    assert.equal(r.done, true);
    assert.equal(r.error, whole.error);
    assert.deepEqual(r.serverHello, whole.serverHello);
    assert.deepEqual(r.certificates, [cert]);
  });

  it('lends certificates read in place until kept, and keeps gathered ones as its own', () => {
    const cert = Buffer.from('3003020101', 'hex');
    const flight = record(22, Buffer.concat([handshake(2, serverHelloBody(0x0303, 0xc02f, [])), handshake(11, certificateBody([cert]))]));
    const lent = new TlsStreamReader(true, true);
    const bytes = Buffer.from(flight);
    lent.push(bytes, 0, bytes.length);
    assert.deepEqual(lent.certificates, [cert]);
    // A view of the pushed bytes: what the caller writes there shows through, until the reader keeps them.
    bytes.fill(0);
    assert.notDeepEqual(lent.certificates, [cert]);
    const kept = new TlsStreamReader(true, true);
    const again = Buffer.from(flight);
    kept.push(again, 0, again.length);
    kept.keepCertificates();
    again.fill(0);
    assert.deepEqual(kept.certificates, [cert]);
    // A message gathered across records sits in the reader's own buffer, which it reuses: always copied.
    const msg = handshake(11, certificateBody([cert]));
    const split = Buffer.concat([record(22, handshake(2, serverHelloBody(0x0303, 0xc02f, []))), record(22, msg.subarray(0, 6)), record(22, msg.subarray(6))]);
    const gathered = new TlsStreamReader(true, true);
    gathered.push(split, 0, split.length);
    split.fill(0);
    assert.deepEqual(gathered.certificates, [cert]);
  });

  it('stops at ChangeCipherSpec, alert and application data', () => {
    for (const ct of [20, 21, 23]) {
      const r = new TlsStreamReader();
      push(r, Buffer.concat([record(ct, Buffer.from([1])), record(22, handshake(1, chBody))]));
      assert.equal(r.done, true);
      assert.equal(r.error, null);
      assert.equal(r.clientHello, null, 'nothing after the stop is read');
    }
  });

  it('stops after a TLS 1.3 ServerHello', () => {
    const r = new TlsStreamReader();
    push(r, record(22, handshake(2, serverHelloBody(0x0303, 0x1301, [versionsServer(0x0304)]))));
    assert.equal(r.done, true);
    assert.equal(r.serverHello?.selectedVersion, 0x0304);
  });

  it('flags malformed records without throwing and ignores later pushes', () => {
    const r = new TlsStreamReader();
    push(r, Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'));
    assert.equal(r.error, 'tls.bad-record-version');
    assert.equal(r.done, true);
    push(r, record(22, handshake(1, chBody)));
    assert.equal(r.clientHello, null);

    const t = new TlsStreamReader();
    push(t, record(99, Buffer.alloc(1)));
    assert.equal(t.error, 'tls.bad-content-type');

    const big = new TlsStreamReader();
    push(big, Buffer.from([22, 3, 3, 0x48, 0x01]));
    assert.equal(big.error, 'tls.record-length');

    const bad = new TlsStreamReader();
    push(bad, record(22, handshake(1, chBody.subarray(0, 40))));
    assert.equal(bad.error, 'tls.short-client-hello');

    const range = new TlsStreamReader();
    assert.doesNotThrow(() => range.push(Buffer.alloc(4), 2, 10));
    assert.equal(range.error, 'tls.bad-push');
  });

  it('gives up after 64 KiB', () => {
    const r = new TlsStreamReader();
    // Unknown handshake messages (type 99) are skipped, so only the budget can end this.
    const rec = record(22, handshake(99, Buffer.alloc(16000)));
    for (let i = 0; i < 5 && !r.done; i++) push(r, rec);
    assert.equal(r.done, true);
    assert.equal(r.error, null);
  });

  it('gives up on a handshake message too large to finish within the budget', () => {
    const r = new TlsStreamReader();
    push(r, record(22, Buffer.from([11, 0x10, 0, 0])));
    assert.equal(r.done, true);
    assert.equal(r.error, null);
  });
});
