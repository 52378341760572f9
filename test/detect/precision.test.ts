import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { labelCount } from '../../src/detect/context.js';
import { FactsBuilder, ids, only, run } from './facts.js';
import { parsed, realIndicators } from './feeds.js';

/**
 * Issue 8 on the real feeds: an allow-list never hides a more specific indicator, every name of an
 * address is checked, every source of a name is checked on its own, and unanswered queries count.
 */

const ind = realIndicators();
const c2 = parsed('stalkerware-indicators/ioc.yaml').filter((i) => i.kind === 'c2-domain');
const whitelist = parsed('tinycheck/whitelist.json');
const allowedNames = new Set(whitelist.filter((i) => i.kind === 'domain').map((i) => i.value));

/** Each Echap C2 domain with the TinyCheck allow-listed domain it sits under (its longest such parent). */
const underAllowed: { name: string; family: string; parent: string }[] = [];
for (const i of c2) {
  const labels = i.value.split('.');
  for (let k = 1; k < labels.length - 1 + 1; k++) {
    const parent = labels.slice(k).join('.');
    if (allowedNames.has(parent)) {
      underAllowed.push({ name: i.value, family: i.family!, parent });
      break;
    }
  }
}

/** A lookup answered with `ip`, then TLS on port 4443 (which SSL-01 flags, so the allow-list has something to silence). */
function lookupAndTls(b: FactsBuilder, name: string, ip: string): void {
  b.dns(name, { a: [ip] });
  b.tls(ip, name, { port: 4443 });
}

describe('C2 domains under allow-listed parents (computed from ioc.yaml and whitelist.json)', () => {
  test('the feeds do hold such domains', () => {
    assert.ok(underAllowed.length > 0, 'no Echap C2 domain under a TinyCheck allow-listed domain');
    assert.ok(underAllowed.some((u) => u.parent === 'amazonaws.com'));
  });

  for (const u of underAllowed) {
    test(`${u.name} (${u.family}) is high although ${u.parent} is allowed; www.${u.parent} alone is not`, () => {
      const b = new FactsBuilder();
      lookupAndTls(b, u.name, '198.18.0.10');
      const r = run(b, ind);
      const high = r.findings.filter((f) => f.host === u.name && f.level === 'high' && f.id !== 'ADV-01');
      assert.deepEqual(high.map((f) => f.id).sort(), ['IOC-03', 'IOC-SNI']);
      for (const f of high) {
        assert.equal(f.family, u.family);
        assert.ok(f.alsoAllowedBy !== null, 'the report must show both facts');
        assert.ok(labelCount(f.alsoAllowedBy.value) < labelCount(f.indicator!.value));
        assert.ok(underAllowed.some((x) => x.name === u.name && (x.parent === f.alsoAllowedBy!.value || u.name.endsWith('.' + f.alsoAllowedBy!.value))));
      }
      // The heuristic on the same host is silenced by the allow-list, and said so.
      assert.deepEqual(only(r, 'SSL-01'), []);
      assert.deepEqual(r.allowed.find((a) => a.host === u.name)?.silenced, ['SSL-01']);

      const sibling = `www.${u.parent}`;
      const s = new FactsBuilder();
      lookupAndTls(s, sibling, '198.18.0.11');
      const rs = run(s, ind);
      assert.deepEqual(rs.findings, [], `${sibling}: ${JSON.stringify(rs.findings.map((f) => f.id))}`);
      assert.deepEqual(rs.allowed.map((a) => [a.host, a.silenced]), [[sibling, ['SSL-01']]]);
    });
  }

  test('a C2 name on an address inside an allow-listed Google range still gives its finding', () => {
    const fb = c2.find((i) => i.value.endsWith('.firebaseio.com') || i.value.endsWith('.appspot.com'));
    assert.ok(fb, 'the feed has Firebase/App Engine C2 names');
    const cidr = whitelist.find((i) => i.value === '34.64.0.0/11' || i.value.startsWith('34.64.'))!;
    const b = new FactsBuilder();
    b.dns(fb.value, { a: ['34.64.1.2'] });
    b.tls('34.64.1.2', fb.value);
    const r = run(b, ind);
    const allowCidrs = new Set(whitelist.filter((i) => i.kind === 'cidr').map((i) => i.value));
    for (const id of ['IOC-03', 'IOC-SNI']) {
      const f = only(r, id);
      assert.equal(f.length, 1, id);
      assert.equal(f[0]!.level, 'high');
      assert.equal(f[0]!.family, fb.family);
      // The most specific allow-listed range holding the address is named next to the finding.
      assert.equal(f[0]!.alsoAllowedBy?.value, '34.64.0.0/14');
      assert.ok(allowCidrs.has(f[0]!.alsoAllowedBy.value));
    }
    assert.ok(cidr);
  });
});

describe('every name of an address is checked', () => {
  const c2name = underAllowed.find((u) => u.family === 'pcTattletale')?.name ?? underAllowed[0]!.name;

  test('one address, many DNS names: the C2 name among them is reported with the connection', () => {
    const b = new FactsBuilder();
    const ip = '198.18.1.1';
    b.dns('static.cdn-shared.example', { a: [ip] });
    b.dns('www.cdn-shared.example', { a: [ip] });
    b.dns(c2name, { a: [ip], ts: '2024-05-01T09:59:59.000Z' });
    // The phone's connection was opened for the first name; the address serves all three.
    b.tls(ip, 'static.cdn-shared.example');
    const r = run(b, ind);
    const f = only(r, 'IOC-03').find((x) => x.host === c2name);
    assert.ok(f, JSON.stringify(ids(r)));
    assert.ok(f.evidence.some((e) => e.kind === 'connection'), 'the connection to the shared address is evidence');
    assert.ok(!r.findings.some((x) => x.host.endsWith('cdn-shared.example') && x.indicator !== null));
  });

  test('names an address carries without a DNS fact of their own are checked too', () => {
    const b = new FactsBuilder();
    const ip = '198.18.1.2';
    b.facts.addressNames[ip] = ['a.cdn-shared.example', 'b.cdn-shared.example', c2name];
    b.conn(ip, 443, { names: ['a.cdn-shared.example', 'b.cdn-shared.example', c2name] });
    const r = run(b, ind);
    const f = r.findings.filter((x) => x.host === c2name && x.level === 'high');
    assert.equal(f.length, 1, JSON.stringify(r.findings.map((x) => [x.id, x.host])));
    assert.equal(f[0]!.evidence[0]!.kind, 'connection');
  });
});

describe('each source of a name is checked on its own and merged per host', () => {
  test('DNS, TLS SNI and HTTP Host of one C2 name give three findings under one host and one ADV-01', () => {
    const name = 'media-sync-a.thetruthspy.com';
    const b = new FactsBuilder();
    b.dns(name, { rcode: 'NXDOMAIN' });
    b.tls('198.18.2.1', name);
    b.http('198.18.2.1', name, { uri: '/upload' });
    const r = run(b, ind);
    const mine = r.findings.filter((f) => f.host === name);
    assert.deepEqual(
      mine.filter((f) => f.level === 'high').map((f) => f.id),
      ['ADV-01', 'IOC-03', 'IOC-08', 'IOC-SNI'],
    );
    assert.ok(mine.every((f) => f.id === 'ADV-01' || f.family === 'TheTruthSpy' || f.level !== 'high'));
  });
});

describe('queries without connections count', () => {
  const name = 'media-sync-a100.thetruthspy.com';
  for (const [label, o] of [
    ['NXDOMAIN', { rcode: 'NXDOMAIN' }],
    ['SERVFAIL', { rcode: 'SERVFAIL' }],
    ['no reply', { rcode: null }],
    ['NOERROR without answer', { rcode: 'NOERROR' }],
    ['answered, never used', { a: ['198.18.3.1'] }],
    ['response without its query', { a: ['198.18.3.2'], seen: 'response-only' }],
  ] as [string, { rcode?: string | null; a?: string[]; seen?: 'response-only' }][]) {
    test(label, () => {
      const b = new FactsBuilder();
      b.dns(name, { ...o });
      const f = only(run(b, ind), 'IOC-03');
      assert.equal(f.length, 1);
      assert.equal(f[0]!.level, 'high');
      assert.equal(f[0]!.params.rcode, 'rcode' in o ? (o.rcode ?? 'none') : 'NOERROR');
    });
  }
});

describe('label boundaries on the real feeds', () => {
  test('notthetruthspy.com is not thetruthspy.com; the vendor site and its C2 are told apart', () => {
    const b = new FactsBuilder();
    b.dns('notthetruthspy.com', { a: ['198.18.4.1'] });
    b.dns('www.notthetruthspy.com', { a: ['198.18.4.1'] });
    b.tls('198.18.4.1', 'notthetruthspy.com');
    assert.deepEqual(run(b, ind).findings, []);
    // TinyCheck lists thetruthspy.com itself as plain stalkerware while Echap classifies it as the
    // vendor's website and lists no server of that exact name: a visit, with both listings shown.
    const t = new FactsBuilder();
    t.dns('thetruthspy.com', { a: ['198.18.4.2'] });
    const rt = run(t, ind);
    assert.deepEqual(ids(rt), ['IOC-WEBSITE']);
    assert.deepEqual(rt.findings[0]!.listings?.map((l) => l.feed).sort(), ['stalkerware-indicators/ioc.yaml', 'tinycheck/iocs.json']);
  });

  test('a vendor website that no feed lists as a server gives only the low IOC-WEBSITE', () => {
    const site = parsed('stalkerware-indicators/ioc.yaml').find((i) => i.kind === 'website' && ind.matchDomain(i.value).every((m) => m.kind === 'website'));
    assert.ok(site);
    const v = new FactsBuilder();
    v.dns(site.value, { a: ['198.18.4.3'] });
    v.tls('198.18.4.3', site.value);
    const r = run(v, ind);
    assert.deepEqual(r.findings.map((f) => [f.id, f.level, f.family]), [['IOC-WEBSITE', 'low', site.family]]);
  });
});

describe('an upload to a C2 name under an allow-listed cloud parent', () => {
  test('the indicator findings stay high; the upload heuristic is silenced by the allow-list and listed', () => {
    const u = underAllowed.find((x) => x.parent === 'amazonaws.com')!;
    const b = new FactsBuilder();
    b.dns(u.name, { a: ['198.18.5.1'] });
    b.tls('198.18.5.1', u.name, { conn: { bytesToServer: 8_000_000, bytesToClient: 30_000 } });
    const r = run(b, ind);
    assert.deepEqual(r.findings.filter((f) => f.host === u.name && f.level === 'high').map((f) => f.id), ['ADV-01', 'IOC-03', 'IOC-SNI']);
    assert.deepEqual(only(r, 'BEH-UPLOAD'), []);
    assert.deepEqual(r.allowed.find((a) => a.host === u.name)?.silenced, ['BEH-UPLOAD']);
    // The same upload to a name nobody allowed is a finding.
    const n = new FactsBuilder();
    n.dns('uploads.unknown-host.example', { a: ['198.18.5.2'] });
    n.tls('198.18.5.2', 'uploads.unknown-host.example', { conn: { bytesToServer: 8_000_000, bytesToClient: 30_000 } });
    assert.equal(only(run(n, ind), 'BEH-UPLOAD').length, 1);
  });
});
