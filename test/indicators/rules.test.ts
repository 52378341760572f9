import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { importFeed, loadIndicators } from '../../src/indicators/feeds.js';
import { parseFeed } from '../../src/indicators/formats/index.js';
import { Indicators, type FeedInfo } from '../../src/indicators/matcher.js';
import type { ParsedIndicator } from '../../src/indicators/types.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { INDICATORS } from '../helpers/paths.js';

/** Suricata/Snort rules that only name a host (DNS query, TLS SNI, HTTP Host) and how they match. */

const RULES_FILE = 'stalkerware-indicators/generated/suricata.rules';
const SURICATA: FeedInfo = { name: 'suricata', version: '1', list: 'block' };
const ECHAP: FeedInfo = { name: 'echap-ioc', version: '1', list: 'block' };

function byValue(inds: readonly ParsedIndicator[], value: string): ParsedIndicator {
  const i = inds.find((x) => x.value === value);
  assert.ok(i, `no indicator ${value} in ${inds.map((x) => x.value).join(', ')}`);
  return i;
}

describe('TLS SNI and HTTP Host rules become domain indicators', () => {
  const sni = 'api.spyzie-c2.example';
  const rules = [
    `alert tls $HOME_NET any -> $EXTERNAL_NET any (msg:"STALKERWARE Spyzie TLS SNI"; flow:established,to_server; tls.sni; content:"${sni}"; bsize:${sni.length}; fast_pattern; metadata:type Spyzie, created_at 2024_05_02; classtype:trojan-activity; sid:3000001; rev:1;)`,
    `alert tls $HOME_NET any -> $EXTERNAL_NET any (msg:"STALKERWARE FlexiSpy TLS SNI"; flow:established,to_server; tls.sni; dotprefix; content:".flexi-c2.example"; nocase; endswith; metadata:type FlexiSpy; classtype:trojan-activity; sid:3000002; rev:3;)`,
    `alert tls $HOME_NET any -> $EXTERNAL_NET any (msg:"STALKERWARE mSpy (legacy tls_sni)"; tls_sni; content:"Sync.MSPY-C2.example"; nocase; startswith; endswith; metadata:type mSpy; sid:3000003; rev:2;)`,
    `alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"STALKERWARE Hoverwatch HTTP Host"; flow:established,to_server; http.host; content:"upload.hover-c2.example"; endswith; metadata:type Hoverwatch; classtype:trojan-activity; sid:3000004; rev:1;)`,
    `alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"STALKERWARE Cocospy HTTP Host (legacy modifier)"; flow:established,to_server; content:"panel.coco-c2.example"; http_host; nocase; metadata:type Cocospy; sid:3000005; rev:1;)`,
    `alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"STALKERWARE Spyic HTTP Host with port"; http.host; content:"gate.spyic-c2.example:8080"; sid:3000006; rev:1;)`,
    // Outside the subset: counted, never half-used.
    `alert tls any any -> any any (msg:"pcre on SNI"; tls.sni; content:"x-c2.example"; pcre:"/^[a-z]{4}\\.x-c2\\.example$/"; sid:3000010; rev:1;)`,
    `alert http any any -> any any (msg:"method and host"; content:"POST"; http_method; content:"y-c2.example"; http_host; sid:3000011; rev:1;)`,
    `alert http any any -> any any (msg:"modifier without content"; http_host; content:"z-c2.example"; sid:3000012; rev:1;)`,
    `alert tls any any -> any any (msg:"size not the name"; tls.sni; content:"w-c2.example"; bsize:40; sid:3000013; rev:1;)`,
  ].join('\n');
  const r = parseFeed(rules, 'sni-host.rules', 'suricata');

  test('each rule naming a host is one domain indicator with msg, sid and metadata kept', () => {
    assert.equal(r.rules.length, 0, 'no host rule may turn into a payload rule');
    assert.deepEqual(
      r.indicators.map((i) => [i.kind, i.value, i.family, i.meta?.sid]),
      [
        ['domain', sni, 'Spyzie', '3000001'],
        ['domain', 'flexi-c2.example', 'FlexiSpy', '3000002'],
        ['domain', 'sync.mspy-c2.example', 'mSpy', '3000003'],
        ['domain', 'upload.hover-c2.example', 'Hoverwatch', '3000004'],
        ['domain', 'panel.coco-c2.example', 'Cocospy', '3000005'],
        ['domain', 'gate.spyic-c2.example', 'Spyic', '3000006'],
      ],
    );
    const first = byValue(r.indicators, sni);
    assert.deepEqual(first.meta, { msg: 'STALKERWARE Spyzie TLS SNI', sid: '3000001', metadata: 'type Spyzie, created_at 2024_05_02', rule: 'exact-name' });
    assert.equal(first.tag, 'stalkerware');
    assert.match(first.source, /^sni-host\.rules:1$/);
    assert.equal(byValue(r.indicators, 'panel.coco-c2.example').meta?.msg, 'STALKERWARE Cocospy HTTP Host (legacy modifier)');
    assert.equal(byValue(r.indicators, 'panel.coco-c2.example').source, 'sni-host.rules:5');
  });

  test('whole-name rules are exact; the others cover sub-domains', () => {
    const rule = (v: string): string | undefined => byValue(r.indicators, v).meta?.rule;
    assert.equal(rule(sni), 'exact-name'); // bsize = length
    assert.equal(rule('sync.mspy-c2.example'), 'exact-name'); // startswith + endswith
    assert.equal(rule('flexi-c2.example'), 'name-suffix'); // dotprefix ".name" endswith
    assert.equal(rule('upload.hover-c2.example'), 'name-suffix');
    assert.equal(rule('panel.coco-c2.example'), 'name-suffix');
  });

  test('rules outside the subset are counted by keyword', () => {
    assert.deepEqual(r.skipped, {
      'suricata:keyword:pcre': 1,
      'suricata:keyword:http_method': 1,
      'suricata:keyword:http_host-without-content': 1,
      'suricata:keyword:bsize': 1,
    });
  });

  test('matching follows the rule: exact names only themselves, suffixes their sub-domains', () => {
    const m = new Indicators();
    for (const i of r.indicators) m.add(i, SURICATA);
    assert.equal(m.matchDomain(sni)[0]?.family, 'Spyzie');
    assert.deepEqual(m.matchDomain(`cdn.${sni}`), []);
    assert.equal(m.matchDomain('SYNC.mspy-c2.example.')[0]?.how, 'exact');
    assert.deepEqual(m.matchDomain('a.sync.mspy-c2.example'), []);
    assert.equal(m.matchDomain('flexi-c2.example')[0]?.family, 'FlexiSpy');
    assert.equal(m.matchDomain('eu.flexi-c2.example')[0]?.how, 'parent');
    assert.equal(m.matchDomain('x.panel.coco-c2.example')[0]?.meta?.sid, '3000005');
    assert.equal(m.hasDomain('gate.spyic-c2.example'), true);
    assert.deepEqual(m.matchDomain('notflexi-c2.example'), []);
  });
});

/** Echap's DNS rules, parsed by hand: name, and whether the rule pins the whole query name. */
function echapDnsRules(): { name: string; exact: boolean }[] {
  const out: { name: string; exact: boolean }[] = [];
  for (const line of readFileSync(join(INDICATORS, RULES_FILE), 'utf8').split('\n')) {
    if (!line.includes('dns.query;')) continue;
    const content = /content:"([^"]+)"/.exec(line)![1]!;
    const depth = /depth:(\d+);/.exec(line);
    out.push({ name: content.toLowerCase(), exact: / endswith;/.test(line) && depth !== null && Number(depth[1]) === content.length });
  }
  return out;
}

describe("Echap's exact-name DNS rules on the real suricata.rules", () => {
  const rules = echapDnsRules();
  const parsed = parseFeed(readFileSync(join(INDICATORS, RULES_FILE), 'utf8'), RULES_FILE, 'suricata');
  const exactNames = rules.filter((x) => x.exact).map((x) => x.name);

  test('every rule with depth = length and endswith is stored as exact-name', () => {
    assert.ok(exactNames.length > 900, `${exactNames.length} exact rules`);
    const stored = parsed.indicators.filter((i) => i.meta?.rule === 'exact-name').map((i) => i.value);
    assert.deepEqual(new Set(stored), new Set(exactNames));
    assert.equal(parsed.indicators.filter((i) => i.kind === 'domain' && i.meta?.rule !== 'exact-name').length, rules.length - exactNames.length);
  });

  test('each name matches itself and none of its sub-domains', () => {
    const m = new Indicators();
    for (const i of parsed.indicators) m.add(i, SURICATA);
    for (const name of exactNames) {
      assert.ok(m.matchDomain(name).some((h) => h.value === name && h.how === 'exact'), name);
      assert.ok(m.hasDomain(name), name);
      const sub = m.matchDomain(`qc-probe.${name}`);
      assert.deepEqual(sub, [], `qc-probe.${name} matched ${sub.map((h) => h.value).join(', ')}`);
      assert.equal(m.hasDomain(`qc-probe.${name}`), false, name);
    }
  });

  test('another feed listing the same domain as a suffix still covers its sub-domains', () => {
    const apps = parse(readFileSync(join(INDICATORS, 'stalkerware-indicators/ioc.yaml'), 'utf8')) as { name: string; c2?: { domains?: string[] } }[];
    const c2 = new Map<string, string>();
    for (const a of apps) for (const d of a.c2?.domains ?? []) c2.set(d.toLowerCase(), a.name);
    const shared = exactNames.filter((n) => c2.has(n));
    assert.ok(shared.length > 100, `${shared.length} names in both files`);
    const m = new Indicators();
    for (const i of parsed.indicators) m.add(i, SURICATA);
    for (const i of parseFeed(readFileSync(join(INDICATORS, 'stalkerware-indicators/ioc.yaml'), 'utf8'), 'ioc.yaml', 'echap-yaml').indicators) m.add(i, ECHAP);
    for (const name of shared) {
      assert.deepEqual([...new Set(m.matchDomain(name).map((h) => h.feed))].sort(), ['echap-ioc', 'suricata'], name);
      const sub = m.matchDomain(`qc-probe.${name}`);
      assert.ok(sub.some((h) => h.feed === 'echap-ioc' && h.how === 'parent' && h.family === c2.get(name)), name);
      assert.ok(!sub.some((h) => h.feed === 'suricata' && h.value === name), name);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'quietcheck-rules-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  test('the exact-name mark survives the database: a matcher built from the store honours it', async () => {
    const store = SqliteStore.inDir(dir);
    try {
      const [o] = await importFeed(store, join(INDICATORS, RULES_FILE));
      assert.equal(o!.status, 'updated');
      const m = loadIndicators(store);
      const name = exactNames[0]!;
      assert.equal(m.matchDomain(name)[0]?.meta?.rule, 'exact-name');
      assert.deepEqual(m.matchDomain(`www.${name}`), []);
    } finally {
      store.close();
    }
  });
});
