import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { beaconStats, certNameCovers } from '../../src/detect/index.js';
import { at, cert, FactsBuilder, ids, indicators, only, run } from './facts.js';

/** A lookup and a TLS session with a proper certificate: nothing any rule should mind. */
function clean(b: FactsBuilder, name: string, ip: string): void {
  b.dns(name, { a: [ip] });
  b.tls(ip, name, { certificates: [cert({ subject: `CN=${name}`, san: [name] })] });
}

const SPY = indicators([
  ['c2-domain', 'thetruthspy.com', 'TheTruthSpy', 'stalkerware'],
  ['c2-ip', '203.0.113.7', 'Spyzie', 'stalkerware'],
  ['cidr', '198.51.100.0/24', 'FlexiSpy', 'stalkerware'],
  ['cidr', '100.100.0.0/16', null, 'suspect'],
  ['domain', 'metrics-spy.com', null, 'tracker'],
  ['freedns', 'duckdns.org', null, 'suspect'],
  ['tld', 'zip', null, 'suspect'],
  ['tls-cert-sha1', 'cc'.repeat(20), 'mSpy', 'stalkerware'],
  ['domain', 'relay-onion.net', null, 'tor'],
  ['domain', 'pastebin.example', null, 'dual-use'],
  ['domain', 'doh-resolver.example', null, 'doh'],
  ['ja3', 'ee'.repeat(16), 'Cerberus', 'stalkerware'],
  ['ja4', 't13d1516h2_aaaaaaaaaaaa_bbbbbbbbbbbb', 'Cerberus', 'stalkerware'],
  ['website', 'buy-spyapp.com', 'SpyApp', 'stalkerware'],
  ['url', 'upload.example.net/api/v1/spy', 'SpyApp', 'stalkerware'],
  ['ns', 'ns1.bulletproof.example', null, 'suspect'],
  ['c2-domain', 'watch-kids.com', 'KidWatch', 'watchware'],
]);

describe('baseline', () => {
  test('an ordinary lookup and TLS session give no finding at all', () => {
    const b = new FactsBuilder();
    clean(b, 'www.example.org', '93.184.216.34');
    assert.deepEqual(run(b, SPY).findings, []);
  });
});

describe('indicator rules', () => {
  test('IOC-01: a connection to a C2 address; not to its neighbour', () => {
    const b = new FactsBuilder();
    b.conn('203.0.113.7', 443, { names: ['x.example'] });
    b.facts.addressNames['203.0.113.7'] = ['x.example'];
    const f = only(run(b, SPY), 'IOC-01');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.level, 'high');
    assert.equal(f[0]!.family, 'Spyzie');
    assert.equal(f[0]!.params.port, 443);
    const n = new FactsBuilder();
    n.conn('203.0.113.8', 443);
    assert.deepEqual(only(run(n, SPY), 'IOC-01'), []);
  });

  test('IOC-02: an address inside a spyware range is high, inside a suspect hosting range low', () => {
    const b = new FactsBuilder();
    b.conn('198.51.100.200', 443);
    b.conn('100.100.5.5', 443);
    b.conn('198.51.101.1', 443);
    const f = only(run(b, SPY), 'IOC-02');
    assert.deepEqual(f.map((x) => [x.host, x.level]), [['198.51.100.200', 'high'], ['100.100.5.5', 'low']]);
  });

  test('IOC-03: a DNS query for a C2 sub-domain, including NXDOMAIN; a look-alike is not one', () => {
    const b = new FactsBuilder();
    b.dns('protocol-a748.thetruthspy.com', { rcode: 'NXDOMAIN' });
    b.dns('notthetruthspy.com', { a: ['93.184.216.34'] });
    b.dns('thetruthspy.com.evil.example', { a: ['93.184.216.35'] });
    const r = run(b, SPY);
    const f = only(r, 'IOC-03');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.host, 'protocol-a748.thetruthspy.com');
    assert.equal(f[0]!.params.rcode, 'NXDOMAIN');
    assert.equal(f[0]!.indicator?.value, 'thetruthspy.com');
    assert.ok(!r.findings.some((x) => x.host.includes('notthetruthspy') || x.host.includes('evil.example')));
  });

  test('IOC-03 on watchware is moderate: a monitoring app that does not hide', () => {
    const b = new FactsBuilder();
    b.dns('api.watch-kids.com', { a: ['93.184.216.40'] });
    assert.equal(only(run(b, SPY), 'IOC-03')[0]?.level, 'moderate');
  });

  test('IOC-04 tracker, IOC-05 free DNS, IOC-06 suspect TLD in DNS; not for other names', () => {
    const b = new FactsBuilder();
    b.dns('a.metrics-spy.com', { a: ['93.184.216.1'] });
    b.dns('home.duckdns.org', { a: ['93.184.216.2'] });
    b.dns('files.zip', { a: ['93.184.216.3'] });
    b.dns('cheap.tk', { a: ['93.184.216.4'] }); // configured TLD, no feed entry
    const r = run(b, SPY);
    assert.deepEqual(only(r, 'IOC-04').map((f) => [f.host, f.level]), [['a.metrics-spy.com', 'moderate']]);
    assert.deepEqual(only(r, 'IOC-05').map((f) => [f.host, f.level]), [['home.duckdns.org', 'moderate']]);
    assert.deepEqual(only(r, 'IOC-06').map((f) => [f.host, f.params.tld, f.params.feed]).sort(), [['cheap.tk', 'tk', 'config'], ['files.zip', 'zip', 'test-block']]);
    const n = new FactsBuilder();
    n.dns('metrics-spy.com.example.org', { a: ['93.184.216.1'] });
    n.dns('zip.example.org', { a: ['93.184.216.3'] });
    assert.deepEqual(run(n, SPY).findings, []);
  });

  test('IOC-07: a certificate whose SHA-1 is listed; another certificate is not', () => {
    const b = new FactsBuilder();
    b.dns('srv.example.org', { a: ['93.184.216.9'] });
    b.tls('93.184.216.9', 'srv.example.org', { certificates: [cert({ subject: 'CN=srv.example.org', san: ['srv.example.org'], sha1: 'cc'.repeat(20) })] });
    const f = only(run(b, SPY), 'IOC-07');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.family, 'mSpy');
    assert.equal(f[0]!.host, 'srv.example.org');
    const n = new FactsBuilder();
    clean(n, 'srv.example.org', '93.184.216.9');
    assert.deepEqual(only(run(n, SPY), 'IOC-07'), []);
  });

  test('IOC-08/09/10: HTTP Host naming a C2, a free-DNS and a suspect-TLD domain (port stripped)', () => {
    const b = new FactsBuilder();
    b.http('93.184.216.20', 'API.TheTruthSpy.com:80');
    b.http('93.184.216.21', 'x.duckdns.org');
    b.http('93.184.216.22', 'dl.files.zip');
    const r = run(b, SPY);
    assert.deepEqual(only(r, 'IOC-08').map((f) => [f.host, f.level, f.family]), [['api.thetruthspy.com', 'high', 'TheTruthSpy']]);
    assert.deepEqual(only(r, 'IOC-09').map((f) => f.host), ['x.duckdns.org']);
    assert.deepEqual(only(r, 'IOC-10').map((f) => f.host), ['dl.files.zip']);
    const n = new FactsBuilder();
    n.http('93.184.216.20', 'www.example.org');
    assert.deepEqual(ids(run(n, SPY)).filter((i) => i.startsWith('IOC')), []);
  });

  test('IOC-11 Tor relay (moderate), IOC-12 dual-use (low), IOC-13 DoH resolver (low)', () => {
    const b = new FactsBuilder();
    b.dns('r1.relay-onion.net', { a: ['93.184.216.30'] });
    b.dns('pastebin.example', { a: ['93.184.216.31'] });
    b.dns('doh-resolver.example', { a: ['93.184.216.32'] });
    const r = run(b, SPY);
    assert.equal(only(r, 'IOC-11')[0]?.level, 'moderate');
    assert.equal(only(r, 'IOC-12')[0]?.level, 'low');
    assert.equal(only(r, 'IOC-13')[0]?.level, 'low');
    const n = new FactsBuilder();
    n.dns('relay-onion.network', { a: ['93.184.216.30'] });
    assert.deepEqual(run(n, SPY).findings, []);
  });

  test('SSL-04: a certificate naming a C2 domain (wildcard included); a clean certificate does not', () => {
    const b = new FactsBuilder();
    b.tls('93.184.216.40', null, { certificates: [cert({ subject: 'CN=*.thetruthspy.com', san: ['*.thetruthspy.com'] })] });
    const f = only(run(b, SPY), 'SSL-04');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.params.certName, 'thetruthspy.com');
    const n = new FactsBuilder();
    n.tls('93.184.216.40', null, { certificates: [cert()] });
    assert.deepEqual(only(run(n, SPY), 'SSL-04'), []);
  });

  test('IOC-SNI and IOC-QUIC-SNI: the name sent in the handshake, with no DNS at all', () => {
    const b = new FactsBuilder();
    b.tls('93.184.216.50', 'panel.thetruthspy.com');
    b.quic('93.184.216.51', 'q.thetruthspy.com');
    const r = run(b, SPY);
    assert.deepEqual(only(r, 'IOC-SNI').map((f) => [f.host, f.level, f.params.port]), [['panel.thetruthspy.com', 'high', 443]]);
    assert.deepEqual(only(r, 'IOC-QUIC-SNI').map((f) => f.host), ['q.thetruthspy.com']);
    const n = new FactsBuilder();
    n.tls('93.184.216.50', 'panel.example.org');
    n.quic('93.184.216.51', 'q.example.org');
    assert.deepEqual(ids(run(n, SPY)).filter((i) => i.startsWith('IOC')), []);
  });

  test('IOC-CNAME: an innocent-looking name resolving through a C2 name', () => {
    const b = new FactsBuilder();
    b.dns('cdn.innocent.example', { cname: ['edge.thetruthspy.com'], a: ['93.184.216.60'] });
    const r = run(b, SPY);
    const f = only(r, 'IOC-CNAME');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.host, 'cdn.innocent.example');
    assert.equal(f[0]!.params.cname, 'edge.thetruthspy.com');
    assert.equal(f[0]!.level, 'high');
    const n = new FactsBuilder();
    n.dns('cdn.innocent.example', { cname: ['edge.cdn.example'], a: ['93.184.216.60'] });
    assert.deepEqual(run(n, SPY).findings, []);
  });

  test('IOC-JA3 / IOC-JA4: listed fingerprints are moderate; others nothing', () => {
    const b = new FactsBuilder();
    b.tls('93.184.216.70', 'a.example.org', { ja3: 'ee'.repeat(16), ja4: 't13d1516h2_aaaaaaaaaaaa_bbbbbbbbbbbb' });
    const r = run(b, SPY);
    assert.equal(only(r, 'IOC-JA3')[0]?.level, 'moderate');
    assert.equal(only(r, 'IOC-JA3')[0]?.params.which, 'ja3');
    assert.equal(only(r, 'IOC-JA4')[0]?.family, 'Cerberus');
    const n = new FactsBuilder();
    n.tls('93.184.216.70', 'a.example.org');
    assert.deepEqual(ids(run(n, SPY)).filter((i) => i.startsWith('IOC-JA')), []);
  });

  test('IOC-WEBSITE: a visit to a vendor shop is low', () => {
    const b = new FactsBuilder();
    b.dns('www.buy-spyapp.com', { a: ['93.184.216.80'] });
    const f = only(run(b, SPY), 'IOC-WEBSITE');
    assert.deepEqual(f.map((x) => [x.level, x.family]), [['low', 'SpyApp']]);
    const n = new FactsBuilder();
    n.dns('www.buy-spyapp.co', { a: ['93.184.216.80'] });
    assert.deepEqual(run(n, SPY).findings, []);
  });

  test('IOC-URL: a listed URL, query string ignored; another path is not', () => {
    const b = new FactsBuilder();
    b.http('93.184.216.90', 'upload.example.net', { uri: '/api/v1/spy?id=1' });
    assert.equal(only(run(b, SPY), 'IOC-URL')[0]?.level, 'high');
    const n = new FactsBuilder();
    n.http('93.184.216.90', 'upload.example.net', { uri: '/api/v1/photos' });
    assert.deepEqual(only(run(n, SPY), 'IOC-URL'), []);
  });

  test('IOC-NS: a domain served by a listed name server; the NS name is no finding as a query', () => {
    const b = new FactsBuilder();
    b.dns('shady.example', { qtype: 'NS', answers: [{ name: 'shady.example', type: 'NS', data: 'ns1.bulletproof.example' }] });
    const r = run(b, SPY);
    assert.deepEqual(only(r, 'IOC-NS').map((f) => [f.host, f.params.nameserver]), [['shady.example', 'ns1.bulletproof.example']]);
    const n = new FactsBuilder();
    n.dns('ns1.bulletproof.example', { a: ['93.184.216.91'] });
    assert.deepEqual(run(n, SPY).findings, []);
  });
});

describe('protocol rules', () => {
  test('PROTO-01: UDP to an unknown port and data-carrying ICMP; not QUIC, DNS, NTP, mDNS or pings', () => {
    const b = new FactsBuilder();
    b.dns('game.example', { a: ['93.184.216.100'] });
    b.conn('93.184.216.100', 7777, { proto: 'udp' });
    b.conn('93.184.216.101', 0, { proto: 'icmp', bytes: 500_000, packets: 400 });
    const r = run(b);
    assert.deepEqual(only(r, 'PROTO-01').map((f) => f.params.proto).sort(), ['icmp', 'udp']);
    const n = new FactsBuilder();
    n.dns('q.example', { a: ['93.184.216.102'] });
    n.conn('93.184.216.102', 443, { proto: 'udp', service: 'quic' });
    n.conn('192.168.50.1', 53, { proto: 'udp', service: 'dns' });
    n.conn('192.168.50.1', 123, { proto: 'udp', service: 'ntp' });
    n.conn('224.0.0.251', 5353, { proto: 'udp', service: 'mdns' });
    n.conn('192.168.50.1', 0, { proto: 'icmp', bytes: 588, packets: 6 });
    assert.deepEqual(only(run(n), 'PROTO-01'), []);
  });

  test('PROTO-02: raw TCP on a high port; not push channels nor a reversed flow', () => {
    const b = new FactsBuilder();
    b.dns('c.example', { a: ['93.184.216.110'] });
    b.conn('93.184.216.110', 31337);
    assert.deepEqual(only(run(b), 'PROTO-02').map((f) => f.params.port), [31337]);
    const n = new FactsBuilder();
    n.dns('push.example', { a: ['93.184.216.111'] });
    n.conn('93.184.216.111', 5228);
    n.conn('93.184.216.111', 50123, { sport: 443 });
    assert.deepEqual(only(run(n), 'PROTO-02'), []);
  });

  test('PROTO-03 plain HTTP on 80 (low) and PROTO-04 on another port (moderate)', () => {
    const b = new FactsBuilder();
    b.dns('plain.example', { a: ['93.184.216.120'] });
    b.http('93.184.216.120', 'plain.example');
    b.http('93.184.216.120', 'plain.example', { port: 8888 });
    const r = run(b);
    assert.deepEqual(only(r, 'PROTO-03').map((f) => f.level), ['low']);
    assert.deepEqual(only(r, 'PROTO-04').map((f) => [f.level, f.params.port]), [['moderate', 8888]]);
    const n = new FactsBuilder();
    clean(n, 'tls.example', '93.184.216.121');
    assert.deepEqual(ids(run(n)).filter((i) => i === 'PROTO-03' || i === 'PROTO-04'), []);
  });

  test('PROTO-05: a server used without lookup, one finding per address; not after a lookup', () => {
    const b = new FactsBuilder();
    b.conn('93.184.216.130', 443);
    b.conn('93.184.216.130', 443);
    const f = only(run(b), 'PROTO-05');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.params.connections, 2);
    const n = new FactsBuilder();
    n.dns('looked.example', { a: ['93.184.216.130'] });
    n.conn('93.184.216.130', 443);
    assert.deepEqual(only(run(n), 'PROTO-05'), []);
  });
});

describe('TLS rules', () => {
  const ip = '93.184.216.140';
  function tlsWith(o: Parameters<FactsBuilder['tls']>[2], sni = 'svc.example'): ReturnType<typeof run> {
    const b = new FactsBuilder();
    b.dns(sni, { a: [ip] });
    b.tls(ip, sni, o);
    return run(b);
  }

  test('SSL-01: TLS on a non-standard port; 443 is not', () => {
    assert.deepEqual(only(tlsWith({ port: 4443, certificates: [cert({ san: ['svc.example'] })] }), 'SSL-01').map((f) => f.params.port), [4443]);
    assert.deepEqual(only(tlsWith({ certificates: [cert({ san: ['svc.example'] })] }), 'SSL-01'), []);
  });

  test('SSL-02: free issuer (configurable); a paid one is not', () => {
    const le = cert({ issuer: "C=US, O=Let's Encrypt, CN=R3", san: ['svc.example'] });
    assert.equal(only(tlsWith({ certificates: [le] }), 'SSL-02')[0]?.params.issuer, 'R3');
    assert.deepEqual(only(tlsWith({ certificates: [cert({ san: ['svc.example'] })] }), 'SSL-02'), []);
    const b = new FactsBuilder();
    b.dns('svc.example', { a: [ip] });
    b.tls(ip, 'svc.example', { certificates: [cert({ san: ['svc.example'] })] });
    assert.equal(only(run(b, undefined, { freeIssuers: ['DigiCert'] }), 'SSL-02').length, 1);
  });

  test('SSL-03: self-signed; a CA-issued one is not', () => {
    const self = cert({ subject: 'CN=svc.example', issuer: 'CN=svc.example', san: ['svc.example'], selfSigned: true });
    assert.equal(only(tlsWith({ certificates: [self] }), 'SSL-03')[0]?.level, 'moderate');
    assert.deepEqual(only(tlsWith({ certificates: [cert({ san: ['svc.example'] })] }), 'SSL-03'), []);
  });

  test('SSL-EXPIRED and SSL-NOT-YET-VALID are judged at capture time', () => {
    const old = cert({ san: ['svc.example'], notBefore: at(-86400 * 400), notAfter: at(-86400) });
    const future = cert({ san: ['svc.example'], notBefore: at(86400), notAfter: at(86400 * 400) });
    assert.equal(only(tlsWith({ certificates: [old] }), 'SSL-EXPIRED')[0]?.params.notAfter, old.notAfter);
    assert.equal(only(tlsWith({ certificates: [future] }), 'SSL-NOT-YET-VALID')[0]?.params.notBefore, future.notBefore);
    // Valid at capture time, though long expired today: not a finding.
    const then = cert({ san: ['svc.example'], notBefore: '2019-01-01T00:00:00.000Z', notAfter: '2019-12-31T00:00:00.000Z' });
    assert.deepEqual(ids(tlsWith({ ts: '2019-06-01T00:00:00.000Z', certificates: [then] })).filter((i) => i.startsWith('SSL-')), []);
  });

  test('SSL-NAME-MISMATCH: certificate not covering the SNI; wildcards per RFC 6125', () => {
    assert.equal(only(tlsWith({ certificates: [cert({ san: ['other.example'] })] }), 'SSL-NAME-MISMATCH')[0]?.params.certNames, 'other.example');
    assert.deepEqual(only(tlsWith({ certificates: [cert({ san: ['*.example'] })] }, 'svc.example'), 'SSL-NAME-MISMATCH').length, 1, '*.example is a TLD wildcard: never valid');
    assert.deepEqual(only(tlsWith({ certificates: [cert({ san: ['*.svc.example'] })] }, 'a.svc.example'), 'SSL-NAME-MISMATCH'), []);
    assert.equal(only(tlsWith({ certificates: [cert({ san: ['*.svc.example'] })] }, 'a.b.svc.example'), 'SSL-NAME-MISMATCH').length, 1);
    assert.deepEqual(only(tlsWith({ certificates: [cert({ subject: 'CN=svc.example', san: [] })] }), 'SSL-NAME-MISMATCH'), []);
  });

  test('certNameCovers follows RFC 6125 6.4.3', () => {
    assert.equal(certNameCovers('*.example.com', 'www.example.com'), true);
    assert.equal(certNameCovers('*.example.com', 'example.com'), false);
    assert.equal(certNameCovers('*.example.com', 'a.b.example.com'), false);
    assert.equal(certNameCovers('*.com', 'example.com'), false);
    assert.equal(certNameCovers('w*.example.com', 'www.example.com'), false);
    assert.equal(certNameCovers('www.*.com', 'www.example.com'), false);
    assert.equal(certNameCovers('*.example.com', 'xn--bcher-kva.example.com'), false);
    assert.equal(certNameCovers('WWW.Example.COM.', 'www.example.com'), true);
  });
});

describe('behaviour rules', () => {
  test('BEH-BEACON: a contact every 60 s ±3 s is found with its period; browsing is not', () => {
    const b = new FactsBuilder();
    b.dns('poll.example', { a: ['93.184.216.150'] });
    const jitter = [0, 2, -3, 1, -1, 3, 0];
    jitter.forEach((j, i) => b.conn('93.184.216.150', 443, { firstSeen: at(60 * i + j), lastSeen: at(60 * i + j + 1) }));
    const f = only(run(b), 'BEH-BEACON');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.params.count, 7);
    assert.ok(Math.abs((f[0]!.params.period as number) - 60) < 2);
    assert.ok((f[0]!.params.jitter as number) < 0.2);
    const n = new FactsBuilder();
    n.dns('browse.example', { a: ['93.184.216.151'] });
    for (const s of [0, 3, 40, 41, 200, 215, 900]) n.conn('93.184.216.151', 443, { firstSeen: at(s) });
    assert.deepEqual(only(run(n), 'BEH-BEACON'), []);
  });

  test('beaconStats merges parallel connections into one contact', () => {
    const s = beaconStats([0, 100, 200, 30_000, 30_050, 60_000], 2);
    assert.equal(s?.contacts, 3);
    assert.equal(s?.period, 30);
  });

  test('BEH-UPLOAD: 5 MB up for 20 kB down; a download is not', () => {
    const b = new FactsBuilder();
    b.dns('drop.example', { a: ['93.184.216.160'] });
    b.conn('93.184.216.160', 443, { bytesToServer: 5_000_000, bytesToClient: 20_000 });
    const f = only(run(b), 'BEH-UPLOAD');
    assert.deepEqual(f.map((x) => [x.level, x.params.bytesUp, x.params.bytesDown]), [['moderate', 5_000_000, 20_000]]);
    const n = new FactsBuilder();
    n.dns('video.example', { a: ['93.184.216.161'] });
    n.conn('93.184.216.161', 443, { bytesToServer: 2_000_000, bytesToClient: 50_000_000 });
    assert.deepEqual(only(run(n), 'BEH-UPLOAD'), []);
  });

  test('BEH-DOT and BEH-DOH: encrypted DNS is reported even to allowed resolvers', () => {
    const b = new FactsBuilder();
    b.conn('8.8.8.8', 853, { service: 'tls' });
    b.tls('1.1.1.1', 'mozilla.cloudflare-dns.com');
    const allowAll = indicators([], [['cidr', '8.8.8.0/24'], ['domain', 'cloudflare-dns.com']]);
    const r = run(b, allowAll);
    assert.equal(only(r, 'BEH-DOT').length, 1);
    assert.equal(only(r, 'BEH-DOT')[0]!.alsoAllowedBy?.value, '8.8.8.0/24');
    assert.equal(only(r, 'BEH-DOH')[0]?.params.resolver, 'cloudflare-dns.com');
    const n = new FactsBuilder();
    n.dns('dns.example', { a: ['93.184.216.170'] });
    n.tls('93.184.216.170', 'dns.example');
    assert.deepEqual(ids(run(n)).filter((i) => i === 'BEH-DOT' || i === 'BEH-DOH'), []);
  });

  test('BEH-DEVICE-NAME: the DHCP name in a URL or a lookup; a generic name is not', () => {
    const b = new FactsBuilder();
    b.dhcp("Mary's Galaxy S21");
    b.http('93.184.216.180', 'collect.example', { uri: "/r?device=Mary's%20Galaxy%20S21" });
    b.dns("mary-s-galaxy-s21.lan".replace('mary-s', "mary's").replace(/'/g, '-'), { a: ['192.168.50.99'] });
    const f = only(run(b), 'BEH-DEVICE-NAME');
    assert.deepEqual(f.map((x) => x.params.where).sort(), ['dns', 'http-uri']);
    const n = new FactsBuilder();
    n.dhcp('iPhone');
    n.http('93.184.216.180', 'collect.example', { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)' });
    assert.deepEqual(only(run(n), 'BEH-DEVICE-NAME'), []);
  });

  test('BEH-HOTSPOT-NAME: the Wi-Fi name in clear text (moderate); absent when not sent', () => {
    const b = new FactsBuilder();
    b.http('93.184.216.181', 'loc.example', { uri: '/ping?ssid=QuietCheck-7F2A' });
    const f = only(run(b, undefined, { hotspotName: 'QuietCheck-7F2A' }), 'BEH-HOTSPOT-NAME');
    assert.deepEqual(f.map((x) => [x.level, x.params.where]), [['moderate', 'http-uri']]);
    assert.deepEqual(only(run(b), 'BEH-HOTSPOT-NAME'), []);
  });

  test('BEH-VPN: WireGuard and OpenVPN ports; plain HTTPS is not', () => {
    const b = new FactsBuilder();
    b.conn('93.184.216.190', 51820, { proto: 'udp' });
    b.conn('93.184.216.191', 1194, { proto: 'udp' });
    assert.deepEqual(only(run(b), 'BEH-VPN').map((f) => f.params.protocol).sort(), ['OpenVPN', 'WireGuard']);
    const n = new FactsBuilder();
    clean(n, 'x.example', '93.184.216.192');
    assert.deepEqual(only(run(n), 'BEH-VPN'), []);
  });

  test('BEH-TOR: Tor-style random names never looked up; a real www name is not', () => {
    const b = new FactsBuilder();
    b.tls('93.184.216.200', 'www.q5mfz4wbyg3zmvkp.com', { port: 9001, certificates: [cert({ subject: 'CN=www.ab3cdefghij7kl.net', issuer: 'CN=www.zyxwvuts2mnop.com', san: [] })] });
    assert.equal(only(run(b), 'BEH-TOR')[0]?.level, 'moderate');
    const n = new FactsBuilder();
    clean(n, 'www.wikipediaorg.com', '93.184.216.201');
    assert.deepEqual(only(run(n), 'BEH-TOR'), []);
  });
});

describe('assembly', () => {
  test('ADV-01: a host with several findings gets one summary at its worst level', () => {
    const b = new FactsBuilder();
    b.dns('panel.thetruthspy.com', { a: ['93.184.216.210'] });
    b.tls('93.184.216.210', 'panel.thetruthspy.com', { port: 8443, certificates: [cert({ subject: 'CN=panel.thetruthspy.com', san: [], selfSigned: true })] });
    const r = run(b, SPY);
    const adv = only(r, 'ADV-01');
    assert.equal(adv.length, 1);
    assert.equal(adv[0]!.level, 'high');
    assert.equal(adv[0]!.family, 'TheTruthSpy');
    assert.ok((adv[0]!.params.count as number) >= 3, String(adv[0]!.params.rules));
    assert.equal(r.findings[0]!.id, 'ADV-01', 'the summary leads its host');
    const n = new FactsBuilder();
    n.dns('panel.thetruthspy.com', { a: ['93.184.216.210'] });
    assert.deepEqual(only(run(n, SPY), 'ADV-01'), []);
  });

  test('findings are sorted by level then host, merged per rule+host+indicator, evidence capped', () => {
    const b = new FactsBuilder();
    for (let i = 0; i < 30; i++) b.dns('x.thetruthspy.com', { rcode: i % 2 ? 'SERVFAIL' : null, ts: at(i) });
    b.http('93.184.216.220', 'plain.example');
    b.dns('plain.example', { a: ['93.184.216.220'] });
    const r = run(b, SPY, { maxEvidence: 5 });
    const f = only(r, 'IOC-03');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.params.queries, 30);
    assert.equal(f[0]!.params.evidenceCount, 30);
    assert.equal(f[0]!.evidence.length, 5);
    assert.equal(f[0]!.params.rcode, 'none, SERVFAIL');
    assert.equal(f[0]!.evidence[0]!.ts, at(0));
    const levels = r.findings.map((x) => x.level);
    assert.deepEqual(levels, [...levels].sort((a, b) => ['high', 'moderate', 'low'].indexOf(a) - ['high', 'moderate', 'low'].indexOf(b)));
  });

  test('disabled rules are not run and not summarised', () => {
    const b = new FactsBuilder();
    b.http('93.184.216.230', 'plain.example');
    assert.deepEqual(ids(run(b, undefined, { disabled: ['PROTO-03', 'PROTO-05'] })), []);
    assert.deepEqual(ids(run(b)), ['ADV-01', 'PROTO-03', 'PROTO-05']);
  });
});
