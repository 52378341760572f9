/**
 * JA3 of QUIC ClientHellos (and the JA3 string of every ClientHello), with tshark's
 * `tls.handshake.ja3`/`ja3_full` as the oracle, and JA3 indicators matched on QUIC.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detect, mergeConfig } from '../../src/detect/index.js';
import { Indicators } from '../../src/indicators/matcher.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { pcap } from '../helpers/paths.js';
import { tsharkFields } from '../helpers/tshark.js';

const QUIC = ['quic-chromium-cirrus.pcap', 'quic-firefox-cloudflare.pcap', 'quic-multi-sni.pcap', 'quic-and-tls-ja4-ipv6.pcap'];
const TLS = ['tls-browsing-mixed.pcap', 'tls13-kyber-split-clienthello.pcap', 'tls10-no-sigalgs-ja4.pcap', 'quic-and-tls-ja4-ipv6.pcap'];

const rows = (file: string, filter: string): string[] =>
  tsharkFields(file, `${filter} && tls.handshake.type == 1`, ['tls.handshake.ja3', 'tls.handshake.ja3_full', 'tls.handshake.extensions_server_name'])
    .map((r) => r.join(' '))
    .sort();

describe('QUIC JA3 as tshark computes it', () => {
  for (const name of QUIC) {
    test(name, () => {
      const facts = inspectFile(pcap(name));
      const theirs = rows(pcap(name), 'quic');
      assert.ok(theirs.length > 0);
      assert.deepEqual(facts.quic.map((q) => `${q.ja3} ${q.ja3String} ${q.sni ?? ''}`).sort(), theirs);
    });
  }
});

describe('the JA3 string of TLS ClientHellos as tshark writes it', () => {
  for (const name of TLS) {
    test(name, () => {
      const facts = inspectFile(pcap(name));
      const theirs = rows(pcap(name), 'tcp');
      assert.ok(theirs.length > 0);
      assert.deepEqual(facts.tls.map((t) => `${t.ja3} ${t.ja3String} ${t.sni ?? ''}`).sort(), theirs);
    });
  }
});

describe('JA3 indicators', () => {
  test('a JA3 listed by a feed is found on a QUIC connection (IOC-JA3), an unlisted one is not', () => {
    const facts = inspectFile(pcap('quic-chromium-cirrus.pcap'));
    const [ja3] = tsharkFields(pcap('quic-chromium-cirrus.pcap'), 'quic && tls.handshake.type == 1', ['tls.handshake.ja3'])[0]!;
    const m = new Indicators();
    m.add({ kind: 'ja3', value: ja3!, family: 'Cerberus', tag: 'stalkerware', tlp: null, source: 'test' }, { name: 'feed', version: null, list: 'block' });
    const found = detect({ facts, indicators: m, config: mergeConfig({}) }).findings.filter((f) => f.id === 'IOC-JA3');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.family, 'Cerberus');
    assert.equal(found[0]!.params.fingerprint, ja3);
    const other = new Indicators();
    other.add({ kind: 'ja3', value: 'ee'.repeat(16), family: 'Cerberus', tag: 'stalkerware', tlp: null, source: 'test' }, { name: 'feed', version: null, list: 'block' });
    assert.equal(detect({ facts, indicators: other, config: mergeConfig({}) }).findings.filter((f) => f.id === 'IOC-JA3').length, 0);
  });
});
