import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { detect, mergeConfig } from '../../src/detect/index.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { PCAPS, pcap } from '../helpers/paths.js';
import { realIndicators } from './feeds.js';

/**
 * The real benign captures against every shared feed: none may give a high finding. Where a
 * heuristic fires, the table says which and why that is the right answer for that capture; a capture
 * not in the table must give no finding at all.
 */
const EXPECTED: Record<string, { ids: string[]; why: string }> = {
  'http-vlan.pcap': {
    ids: ['ADV-01', 'PROTO-03', 'PROTO-05'],
    why: 'one plain-HTTP request to bro.org whose lookup is not in the excerpt: both facts are true, both low',
  },
  'http-wikipedia.pcap': {
    ids: ['PROTO-05'],
    why: 'a TCP connection to 173.192.163.128 that no DNS answer in the capture explains (the browser had it cached)',
  },
  'pcapdroid-wikipedia.pcapng': { ids: ['PROTO-05'], why: 'http-wikipedia.pcap as PCAPdroid records it on the phone: the same connection without its lookup' },
  'quic-and-tls-ja4-ipv6.pcap': { ids: ['PROTO-05'], why: 'the excerpt starts at the handshakes; the lookup happened before it' },
  'quic-chromium-cirrus.pcap': { ids: ['PROTO-05'], why: 'a lone QUIC session without its lookup' },
  'tcp-snaplen-truncated.pcap': { ids: ['PROTO-05'], why: 'an SMTP session to a bare address: mail relays are often configured by address' },
  'tls10-no-sigalgs-ja4.pcap': { ids: ['PROTO-05'], why: 'a lone TLS 1.0 session without its lookup' },
  'tls12-digicert-chain.pcap': { ids: ['PROTO-05'], why: 'a lone session to example.com without its lookup' },
  'tls12-letsencrypt-heise.pcap': {
    ids: ['ADV-01', 'PROTO-05', 'SSL-02'],
    why: "heise.de does use a Let's Encrypt certificate (SSL-02, low) and the lookup is not in the excerpt",
  },
  'tls12-letsencrypt-heise-bigendian.pcap': { ids: ['ADV-01', 'PROTO-05', 'SSL-02'], why: 'the same capture re-encoded' },
  'tls-browsing-mixed.pcap': {
    ids: ['ADV-01', 'PROTO-03', 'SSL-02', 'SSL-03', 'SSL-EXPIRED'],
    why:
      'real browsing: Danish shops over plain HTTP (PROTO-03) and with Let\'s Encrypt (SSL-02); mamzon.ru really served a ' +
      'self-signed certificate that expired in 2017 (SSL-03, SSL-EXPIRED, moderate): a typosquat a specialist should look at',
  },
};

describe('real benign captures', () => {
  const ind = realIndicators();
  const files = readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f));
  test('the captures are there', () => assert.ok(files.length >= 25));
  for (const file of files) {
    test(file, () => {
      const r = detect({ facts: inspectFile(pcap(file)), indicators: ind, config: mergeConfig() });
      assert.deepEqual(
        r.findings.filter((f) => f.level === 'high').map((f) => [f.id, f.host]),
        [],
      );
      const exp = EXPECTED[file] ?? { ids: [], why: 'nothing unusual in it' };
      assert.deepEqual([...new Set(r.findings.map((f) => f.id))].sort(), exp.ids, exp.why);
      for (const f of r.findings) {
        assert.ok(f.evidence.length > 0 || f.id === 'ADV-01', `${f.id} without evidence`);
        assert.ok(f.evidence.every((e) => e.ts !== null), `${f.id} evidence without time`);
      }
    });
  }

  test('mamzon.ru in tls-browsing-mixed: the self-signed, expired certificate is judged at capture time', () => {
    const r = detect({ facts: inspectFile(pcap('tls-browsing-mixed.pcap')), indicators: ind, config: mergeConfig() });
    const exp = r.findings.find((f) => f.id === 'SSL-EXPIRED');
    assert.equal(exp?.host, 'mamzon.ru');
    assert.ok(String(exp.params.notAfter) < String(exp.params.seenAt));
    // Allow-listed infrastructure (OCSP, Windows Update) is kept out and listed as allowed.
    assert.ok(r.allowed.some((a) => a.host === 'ocsp.digicert.com' && a.silenced.includes('PROTO-03')));
  });
});
