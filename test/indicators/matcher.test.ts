import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseFeed } from '../../src/indicators/formats/index.js';
import { Indicators, type FeedInfo } from '../../src/indicators/matcher.js';
import { normalizeDomain } from '../../src/indicators/normalize.js';
import type { IndicatorKind, ParsedIndicator } from '../../src/indicators/types.js';
import { INDICATORS } from '../helpers/paths.js';

const BLOCK: FeedInfo = { name: 'test', version: 'v1', list: 'block' };
const ALLOW: FeedInfo = { name: 'allow', version: 'v1', list: 'allow' };

function ind(kind: IndicatorKind, value: string, family: string | null = 'Fam'): ParsedIndicator {
  return { kind, value, family, tag: 'stalkerware', tlp: 'white', source: `t:${value}` };
}

function real(): Indicators {
  const m = new Indicators();
  for (const [file, format, feed] of [
    ['stalkerware-indicators/ioc.yaml', 'echap-yaml', { name: 'echap-ioc', version: 'a', list: 'block' }],
    ['tinycheck/iocs.json', 'tinycheck-iocs', { name: 'tinycheck-iocs', version: 'b', list: 'block' }],
    ['tinycheck/whitelist.json', 'tinycheck-whitelist', { name: 'tinycheck-whitelist', version: 'c', list: 'allow' }],
  ] as const) {
    const r = parseFeed(readFileSync(join(INDICATORS, file), 'utf8'), file, format);
    for (const i of r.indicators) m.add(i, feed);
    for (const x of r.rules) m.addRule(x, feed);
  }
  return m;
}

describe('domains', () => {
  const m = new Indicators();
  m.add(ind('c2-domain', 'thetruthspy.com', 'TheTruthSpy'), BLOCK);
  m.add(ind('domain', 'xn--bcher-kva.example'), BLOCK);
  m.add(ind('tld', 'zip', null), BLOCK);

  test('a sub-domain matches; a look-alike does not', () => {
    assert.equal(m.matchDomain('thetruthspy.com')[0]?.how, 'exact');
    const sub = m.matchDomain('protocol-a748.thetruthspy.com');
    assert.equal(sub.length, 1);
    assert.equal(sub[0]!.family, 'TheTruthSpy');
    assert.equal(sub[0]!.how, 'parent');
    assert.equal(sub[0]!.value, 'thetruthspy.com');
    assert.deepEqual(m.matchDomain('notthetruthspy.com'), []);
    assert.deepEqual(m.matchDomain('thetruthspy.com.evil.net'), []);
    assert.deepEqual(m.matchDomain('thetruthspy.co'), []);
    assert.equal(m.hasDomain('notthetruthspy.com'), false);
    assert.equal(m.hasDomain('a.b.thetruthspy.com'), true);
  });
  test('case, trailing dot and IDN are normalised', () => {
    assert.equal(m.matchDomain('WWW.TheTruthSpy.COM.').length, 1);
    assert.equal(m.matchDomain('bücher.example').length, 1);
    assert.equal(m.matchDomain('BÜCHER.example.').length, 1);
    assert.equal(m.matchDomain('www.xn--bcher-kva.example').length, 1);
    assert.deepEqual(m.matchDomain('bucher.example'), []);
  });
  test('a feed entry is stored under the key the same spelling is looked up by', () => {
    for (const spelling of ['ẞ.de', 'EXAMPLE.123', 'Bücher.Example', 'bücher.example。', 'MiXeD.Example.']) {
      const stored = normalizeDomain(spelling);
      assert.ok(stored, spelling);
      const one = new Indicators();
      one.add(ind('c2-domain', stored), BLOCK);
      assert.equal(one.matchDomain(spelling).length, 1, spelling);
    }
  });
  test('a TinyCheck tld indicator covers the whole top-level domain only', () => {
    assert.equal(m.matchDomain('anything.zip')[0]?.kind, 'tld');
    assert.deepEqual(m.matchDomain('zip.example'), []);
  });
  test('several feeds listing one domain all answer', () => {
    const two = new Indicators();
    two.add(ind('c2-domain', 'copy9.com', 'TheTruthSpy'), BLOCK);
    two.add(ind('domain', 'copy9.com', null), { name: 'other', version: null, list: 'block' });
    assert.deepEqual(two.matchDomain('x.copy9.com').map((x) => x.feed).sort(), ['other', 'test']);
  });
});

describe('IP addresses', () => {
  const m = new Indicators();
  m.add(ind('cidr', '10.0.0.0/8', 'wide'), BLOCK);
  m.add(ind('cidr', '10.1.0.0/16', 'narrow'), BLOCK);
  m.add(ind('c2-ip', '10.1.2.3', 'exact'), BLOCK);
  m.add(ind('cidr', '2001:db8::/32', 'v6wide'), BLOCK);
  m.add(ind('cidr', '2001:db8:aa::/48', 'v6narrow'), BLOCK);
  m.add(ind('ip', '2001:db8:aa::1', 'v6exact'), BLOCK);

  test('IPv4: exact first, then containing networks, longest prefix first', () => {
    assert.deepEqual(m.matchIp('10.1.2.3').map((x) => [x.family, x.prefix, x.how]), [['exact', 32, 'exact'], ['narrow', 16, 'prefix'], ['wide', 8, 'prefix']]);
    assert.deepEqual(m.matchIp('10.2.0.1').map((x) => x.family), ['wide']);
    assert.deepEqual(m.matchIp(0x0a010203).map((x) => x.family), ['exact', 'narrow', 'wide']);
    assert.deepEqual(m.matchIp('11.0.0.1'), []);
    assert.deepEqual(m.matchIp('10.1.2.300'), []);
    assert.equal(m.matchIp('10.1.2.3')[1]!.value, '10.1.0.0/16');
  });
  test('IPv6: the same, in any spelling; a v4-mapped address is its IPv4', () => {
    assert.deepEqual(m.matchIp('2001:DB8:AA:0::1').map((x) => x.family), ['v6exact', 'v6narrow', 'v6wide']);
    assert.deepEqual(m.matchIp('2001:db8:bb::1').map((x) => x.family), ['v6wide']);
    assert.deepEqual(m.matchIp('2001:db9::1'), []);
    assert.deepEqual(m.matchIp('::ffff:10.1.2.3').map((x) => x.family), ['exact', 'narrow', 'wide']);
  });
});

describe('hashes, apps, URLs, JA3', () => {
  const m = new Indicators();
  m.add(ind('tls-cert-sha1', 'be580f8cfaaf14b504669f9197efc1c84741b74e'), BLOCK);
  m.add(ind('apk-cert-sha1', '31a6ececd97cf39bc4126b8745cd94a7c30bf81c'), BLOCK);
  m.add(ind('app-id', 'com.thetruth'), BLOCK);
  m.add(ind('url', 'evil.com/iphone/new_android_services/sms_v2'), BLOCK);
  m.add(ind('ja3', 'e7d705a3286e19ea42f587b344ee6865'), BLOCK);
  test('a TLS certificate fingerprint in any spelling; an APK certificate is not a TLS one', () => {
    assert.equal(m.matchCertificate('BE:58:0F:8C:FA:AF:14:B5:04:66:9F:91:97:EF:C1:C8:47:41:B7:4E').length, 1);
    assert.deepEqual(m.matchCertificate('31A6ECECD97CF39BC4126B8745CD94A7C30BF81C'), []);
    assert.equal(m.matchHash('31A6ECECD97CF39BC4126B8745CD94A7C30BF81C')[0]?.kind, 'apk-cert-sha1');
  });
  test('app ids, URLs (query ignored when needed) and JA3', () => {
    assert.equal(m.matchAppId('com.TheTruth').length, 1);
    assert.equal(m.matchUrl('http://EVIL.com/iphone/new_android_services/sms_v2?x=1').length, 1);
    assert.deepEqual(m.matchUrl('http://evil.com/iphone/'), []);
    assert.equal(m.matchJa3('E7D705A3286E19EA42F587B344EE6865').length, 1);
  });
});

describe('the real feeds together', () => {
  const m = real();
  test('a known C2 domain returns its family, with provenance', () => {
    const apps = readFileSync(join(INDICATORS, 'stalkerware-indicators/ioc.yaml'), 'utf8');
    assert.match(apps, /- 1ca43\.appspot\.com/);
    const hit = m.matchDomain('1ca43.appspot.com').find((x) => x.feed === 'echap-ioc')!;
    assert.equal(hit.family, 'TheTruthSpy');
    assert.equal(hit.kind, 'c2-domain');
    assert.equal(hit.feedVersion, 'a');
    assert.match(hit.source, /^stalkerware-indicators\/ioc\.yaml:\d+ TheTruthSpy c2\.domains\[\d+\]$/);
  });
  test('a whitelisted domain is reported as allowed, and is not a finding', () => {
    const wl = JSON.parse(readFileSync(join(INDICATORS, 'tinycheck/whitelist.json'), 'utf8')) as { elements: { type: string; element: string }[] };
    const name = wl.elements.find((e) => e.type === 'domain')!.element;
    assert.equal(m.isAllowedDomain(`www.${name}`), true);
    assert.deepEqual(m.matchDomain(`www.${name}`).filter((x) => x.list === 'block' && !x.allowed), []);
    const s = m.search(name);
    assert.ok(s.length > 0 && s.every((x) => x.allowed));
    assert.equal(m.isAllowedDomain('thetruthspy.com'), false);
  });
  test('TinyCheck payload rules fire on the first bytes they describe, and only there', () => {
    const req = new TextEncoder().encode('POST /iphone/new_android_services/sms_v2 HTTP/1.1\r\nHost: x\r\n\r\n');
    const hits = m.matchPayload({ proto: 'tcp', sport: 40000, dport: 80, toServer: true }, req);
    assert.ok(hits.some((h) => h.rule.msg.includes('HighsterSpyApp')));
    assert.deepEqual(m.matchPayload({ proto: 'tcp', sport: 40000, dport: 80, toServer: false }, req).filter((h) => h.rule.msg.includes('HighsterSpyApp')), []);
    const late = new TextEncoder().encode(`${'X'.repeat(100)}/iphone/new_android_services/sms_v2`);
    assert.deepEqual(m.matchPayload({ proto: 'tcp', sport: 40000, dport: 80, toServer: true }, late).filter((h) => h.rule.msg.includes('HighsterSpyApp')), []);
  });
});
