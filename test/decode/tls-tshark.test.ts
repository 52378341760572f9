/**
 * quietcheck's TLS decoding against tshark on real captures: every TLS-over-TCP session's bytes are taken from
 * tshark's own reassembly (`-z follow,tcp,raw`), pushed into TlsStreamReader in random pieces, and the results
 * compared with tshark's dissection of the same session.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ja3, ja3String, ja3s, ja3sString, ja4 } from '../../src/decode/fingerprint.js';
import { TlsStreamReader, looksLikeTls, tlsVersionName } from '../../src/decode/tls.js';
import { certificateFacts } from '../../src/decode/x509.js';
import { followTcp, pushInPieces, type TcpStreamBytes } from './helpers-tls.js';
import { oracleSessions, type OracleSession } from './helpers-tls-oracle.js';

interface Ours {
  client: TlsStreamReader;
  server: TlsStreamReader;
}

function isHelloOf(buf: Buffer, type: number): boolean {
  return looksLikeTls(buf, 0, buf.length) && buf[5] === type;
}

function readSession(bytes: TcpStreamBytes, seed: number): Ours {
  const [c, s] = isHelloOf(bytes.node0, 1) ? [bytes.node0, bytes.node1] : [bytes.node1, bytes.node0];
  const client = new TlsStreamReader();
  const server = new TlsStreamReader();
  pushInPieces(c, seed, 97, (b, o, l) => client.push(b, o, l));
  pushInPieces(s, seed + 1, 1500, (b, o, l) => server.push(b, o, l));
  return { client, server };
}

const bytesCache = new Map<string, Promise<Map<number, TcpStreamBytes>>>();
async function sessionBytes(file: string, stream: number): Promise<TcpStreamBytes> {
  let m = bytesCache.get(file);
  if (!m) {
    m = oracleSessions(file).then((os) => followTcp(file, os.map((o) => o.stream)));
    bytesCache.set(file, m);
  }
  return (await m).get(stream)!;
}

async function compareSession(file: string, o: OracleSession, seed: number): Promise<Ours> {
  const ours = readSession(await sessionBytes(file, o.stream), seed);
  const where = `${file} stream ${o.stream}`;
  const ch = ours.client.clientHello;
  assert.equal(ours.client.error, null, where);
  assert.ok(ch, `${where}: no ClientHello`);
  assert.equal(ch.sni, o.sni, `${where}: SNI`);
  assert.deepEqual(ch.alpn, o.alpn, `${where}: ALPN`);
  assert.equal(ja3String(ch), o.ja3Full, `${where}: JA3 string`);
  assert.equal(ja3(ch), o.ja3, `${where}: JA3`);
  assert.equal(ja4(ch, 't'), o.ja4FromFields, `${where}: JA4`);

  assert.equal(ours.server.error, null, where);
  const sh = ours.server.serverHello;
  if (o.ja3s === null) {
    assert.equal(sh, null, `${where}: ServerHello tshark did not see`);
  } else {
    assert.ok(sh, `${where}: no ServerHello`);
    assert.equal(ja3sString(sh), o.ja3sFull, `${where}: JA3S string`);
    assert.equal(ja3s(sh), o.ja3s, `${where}: JA3S`);
    assert.equal(sh.alpn, o.serverAlpn, `${where}: server ALPN`);
  }

  const certs = ours.server.certificates;
  assert.equal(certs.length, o.certs.length, `${where}: certificate count`);
  certs.forEach((der, i) => {
    const want = o.certs[i]!;
    const facts = certificateFacts(der);
    assert.equal(facts.sha1, createHash('sha1').update(want.der).digest('hex'), `${where}: cert ${i} sha1`);
    assert.equal(facts.sha256, createHash('sha256').update(want.der).digest('hex'), `${where}: cert ${i} sha256`);
    assert.equal(/(?:^|, )CN=((?:[^,\\]|\\.)*)/.exec(facts.subject)?.[1] ?? null, want.subjectCN, `${where}: cert ${i} subject CN`);
    assert.equal(/(?:^|, )CN=((?:[^,\\]|\\.)*)/.exec(facts.issuer)?.[1] ?? null, want.issuerCN, `${where}: cert ${i} issuer CN`);
    assert.deepEqual(facts.san, want.san, `${where}: cert ${i} SAN`);
  });
  return ours;
}

const FILES = [
  'tls12-letsencrypt-heise.pcap',
  'tls12-digicert-chain.pcap',
  'tls12-selfsigned-sslh.pcap',
  'tls12-clienthello-mtu300.pcap',
  'tls12-server-flight-ooo.pcap',
  'tls13-kyber-split-clienthello.pcap',
  'tls13-rawip.pcap',
  'tls10-no-sigalgs-ja4.pcap',
  'quic-and-tls-ja4-ipv6.pcap',
  'tls-browsing-mixed.pcap',
];

describe('TLS sessions agree with tshark', { concurrency: 4 }, () => {
  for (const file of FILES) {
    it(file, async () => {
      const sessions = await oracleSessions(file);
      assert.ok(sessions.length > 0, 'tshark found no TLS session');
      for (const [i, o] of sessions.entries()) {
        // Several seeds: the split points move, the outcome must not.
        for (const seed of [1, 2, 3]) await compareSession(file, o, seed * 1000 + i);
      }
    });
  }
});

describe('specific sessions', { concurrency: 4 }, () => {
  const one = async (file: string): Promise<{ o: OracleSession; ours: Ours }> => {
    const [o] = await oracleSessions(file);
    assert.ok(o);
    return { o, ours: await compareSession(file, o, 7) };
  };

  it('heise.de: leaf and Let\'s Encrypt R3, TLS 1.2', async () => {
    const { ours } = await one('tls12-letsencrypt-heise.pcap');
    const [leaf, r3] = ours.server.certificates.map(certificateFacts);
    assert.equal(leaf?.subject, 'CN=heise.de');
    assert.equal(leaf?.issuer, "C=US, O=Let's Encrypt, CN=R3");
    assert.equal(leaf?.selfSigned, false);
    assert.ok(leaf?.san.includes('heise.de'));
    assert.equal(r3?.subject, "C=US, O=Let's Encrypt, CN=R3");
    assert.equal(r3?.issuer, 'O=Digital Signature Trust Co., CN=DST Root CA X3');
    assert.equal(r3?.selfSigned, false);
    assert.equal(tlsVersionName(ours.server.serverHello!.legacyVersion), 'TLS 1.2');
    // The server flight ends with ServerHelloDone; the client stops at its ChangeCipherSpec.
    assert.equal(ours.server.done, true);
    assert.equal(ours.client.done, true);
  });

  it('DigiCert chain: JA3S as Suricata expects', async () => {
    const { ours } = await one('tls12-digicert-chain.pcap');
    assert.equal(ja3s(ours.server.serverHello!), '5d79edf64e03689ff559a54e9d9487bc');
    assert.equal(ours.client.clientHello!.sni, 'example.com');
    assert.ok(ours.server.certificates.length >= 2);
  });

  it('sslh: self-signed CN=x230', async () => {
    const { ours } = await one('tls12-selfsigned-sslh.pcap');
    const facts = ours.server.certificates.map(certificateFacts);
    assert.equal(facts.length, 1);
    assert.match(facts[0]!.subject, /(^|, )CN=x230$/);
    assert.equal(facts[0]!.subject, facts[0]!.issuer);
    assert.equal(facts[0]!.selfSigned, true);
  });

  it('MTU 300: ClientHello over three segments, chain over many', async () => {
    const { ours } = await one('tls12-clienthello-mtu300.pcap');
    assert.equal(ours.client.clientHello!.sni, 'www.google.com');
    assert.ok(ours.server.certificates.length >= 2);
  });

  it('Chrome with X25519Kyber768: TLS 1.3, reader stops after the ServerHello', async () => {
    const { ours } = await one('tls13-kyber-split-clienthello.pcap');
    const ch = ours.client.clientHello!;
    assert.ok(ch.groups.includes(0x6399), 'X25519Kyber768Draft00 offered');
    assert.equal(ours.server.serverHello!.selectedVersion, 0x0304);
    assert.equal(tlsVersionName(ours.server.serverHello!.selectedVersion!), 'TLS 1.3');
    assert.equal(ours.server.done, true);
    assert.deepEqual(ours.server.certificates, [], 'TLS 1.3 certificates are encrypted');
  });

  it('TLS over TCP JA4 as Suricata expects (cloudflare-quic.com)', async () => {
    const { ours } = await one('quic-and-tls-ja4-ipv6.pcap');
    assert.equal(ja4(ours.client.clientHello!, 't'), 't13d1516h2_8daaf6152771_e5627efa2ab1');
  });

  it('TLS 1.0 without signature_algorithms: JA4 c part has no underscore', async () => {
    const { ours } = await one('tls10-no-sigalgs-ja4.pcap');
    const ch = ours.client.clientHello!;
    assert.deepEqual(ch.sigAlgs, []);
    // FoxIO JA4.md: without signature algorithms "the string ends without an underscore and is hashed":
    // sorted extensions 0005,000a,000b,0017,0023,ff01; ciphers 002f,0035,000a,c009,c00a,c013,c014 sorted.
    const c = createHash('sha256').update('0005,000a,000b,0017,0023,ff01').digest('hex').slice(0, 12);
    const b = createHash('sha256').update('000a,002f,0035,c009,c00a,c013,c014').digest('hex').slice(0, 12);
    assert.equal(ja4(ch, 't'), `t10i070600_${b}_${c}`);
  });
});
