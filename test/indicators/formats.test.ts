import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { detectFormat, parseFeed, parseStixPattern } from '../../src/indicators/formats/index.js';
import { FeedError, type ParseResult } from '../../src/indicators/types.js';
import { INDICATORS } from '../helpers/paths.js';

const read = (p: string): string => readFileSync(join(INDICATORS, p), 'utf8');
const load = (p: string): ParseResult => {
  const text = read(p);
  return parseFeed(text, p, detectFormat(p, text)!);
};

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

const NOT_FEEDS = new Set(['SOURCES.md', 'mvt-indicators/LICENSE', 'stalkerware-indicators/LICENSE.txt']);
const MALFORMED = 'stalkerware-indicators/vendors-spytrac-malformed.yaml';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

describe('every shared indicator file', () => {
  const files = walk(INDICATORS).map((f) => relative(INDICATORS, f)).filter((f) => !NOT_FEEDS.has(f));
  test('the shared data is there', () => assert.ok(files.length >= 20, `found ${files.length} files in ${INDICATORS}`));
  for (const f of files) {
    if (f === MALFORMED) {
      test(`${f} is refused with its line number`, () => {
        assert.throws(() => load(f), (e: unknown) => e instanceof FeedError && /malformed\.yaml:3:1: not valid YAML/.test(e.message));
      });
      continue;
    }
    test(`${f} loads with a detected format`, () => {
      const text = read(f);
      const format = detectFormat(f, text);
      assert.ok(format, `no format detected for ${f}`);
      const r = parseFeed(text, f, format);
      assert.ok(r.indicators.length + r.rules.length + (r.references?.length ?? 0) > 0, `${f} gave nothing`);
      for (const i of r.indicators) assert.ok(i.source.startsWith(f), `source ${i.source} does not name ${f}`);
    });
  }
});

/** What Echap's YAML says, counted directly from the parsed YAML: family → kind → distinct values. */
function echapExpected(text: string): Map<string, Map<string, Set<string>>> {
  const apps = parse(text) as Record<string, unknown>[];
  const out = new Map<string, Map<string, Set<string>>>();
  const put = (fam: string, kind: string, v: string): void => {
    let m = out.get(fam);
    if (!m) out.set(fam, (m = new Map()));
    let s = m.get(kind);
    if (!s) m.set(kind, (s = new Set()));
    s.add(v);
  };
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  for (const a of apps) {
    const fam = String(a.name);
    for (const p of [...list(a.packages), ...list(a.ios_bundles)]) put(fam, 'app-id', p.toLowerCase());
    for (const c of list(a.certificates)) put(fam, 'apk-cert-sha1', c.toLowerCase());
    for (const w of [...list(a.websites), ...list(a.distribution)]) {
      // The same classification the issue asks for: a URL is a URL, an IP is an IP.
      put(fam, w.includes('/') ? 'url' : /^\d+\.\d+\.\d+\.\d+$/.test(w) ? 'ip' : 'website', w.includes('/') ? w : w.toLowerCase());
    }
    const c2 = (a.c2 ?? {}) as Record<string, unknown>;
    for (const d of list(c2.domains)) put(fam, /^\d+\.\d+\.\d+\.\d+$/.test(d) ? 'c2-ip' : 'c2-domain', d.toLowerCase());
    for (const ip of [...list(c2.ips), ...list(c2.ip)]) put(fam, 'c2-ip', ip);
  }
  return out;
}

describe('Echap YAML', () => {
  for (const file of ['stalkerware-indicators/ioc.yaml', 'stalkerware-indicators/watchware.yaml']) {
    test(`${file}: counts per family and kind match the YAML`, () => {
      const expected = echapExpected(read(file));
      const r = load(file);
      const got = new Map<string, Map<string, number>>();
      for (const i of r.indicators) {
        const m = got.get(i.family!) ?? new Map<string, number>();
        got.set(i.family!, m);
        m.set(i.kind, (m.get(i.kind) ?? 0) + 1);
      }
      assert.equal(got.size, expected.size, 'families');
      for (const [fam, kinds] of expected) {
        for (const [kind, values] of kinds) assert.equal(got.get(fam)?.get(kind) ?? 0, values.size, `${fam} ${kind}`);
      }
      const type = file.includes('watchware') ? 'watchware' : 'stalkerware';
      assert.ok(r.indicators.every((i) => i.tag === type));
    });
  }
  test('ioc.yaml: the c2 "ip:" spelling is read like "ips:", with the line of each value', () => {
    const r = load('stalkerware-indicators/ioc.yaml');
    const apps = parse(read('stalkerware-indicators/ioc.yaml')) as { name: string; c2?: { ip?: string[] } }[];
    const withIp = apps.filter((a) => a.c2?.ip);
    assert.equal(withIp.length, 2);
    for (const a of withIp) for (const ip of a.c2!.ip!) {
      const hit = r.indicators.find((i) => i.kind === 'c2-ip' && i.value === ip && i.family === a.name);
      assert.ok(hit, `${a.name} ${ip}`);
      const line = Number(/ioc\.yaml:(\d+)/.exec(hit.source)![1]);
      assert.match(read('stalkerware-indicators/ioc.yaml').split('\n')[line - 1]!, new RegExp(ip.replace(/\./g, '\\.')));
    }
  });
  test('a YAML document of the wrong shape is refused', () => {
    assert.throws(() => parseFeed('name: x\npackages: [a]\n', 'x.yaml', 'echap-yaml'), /expected a YAML list of apps/);
    assert.throws(() => parseFeed('- packages: [a]\n', 'x.yaml', 'echap-yaml'), /has no name/);
  });
});

describe('STIX 2', () => {
  const PATH_KIND: Record<string, string> = {
    'domain-name:value': 'domain',
    'ipv4-addr:value': 'ip',
    'app:id': 'app-id',
    'app:cert.sha1': 'apk-cert-sha1',
    'app:cert.sha256': 'apk-cert-sha256',
    'file:hashes.sha256': 'file-sha256',
    "file:hashes.'SHA-256'": 'file-sha256',
    'process:name': 'process-name',
    'file:name': 'file-name',
    'file:path': 'file-path',
    'email-addr:value': 'email',
    'android-property:name': 'android-property',
  };
  const bundles = walk(INDICATORS).filter((f) => f.endsWith('.stix2')).map((f) => relative(INDICATORS, f));
  for (const file of bundles) {
    test(`${file}: indicators per family and kind match the bundle`, () => {
      const doc = JSON.parse(read(file)) as { objects: { type: string; id: string; name?: string; pattern?: string; source_ref?: string; target_ref?: string }[] };
      const malware = new Map(doc.objects.filter((o) => o.type === 'malware').map((o) => [o.id, o.name!]));
      const famOf = new Map(doc.objects.filter((o) => o.type === 'relationship').map((o) => [o.source_ref!, malware.get(o.target_ref!)!]));
      const expected = new Set<string>();
      for (const o of doc.objects) {
        if (o.type !== 'indicator') continue;
        const m = /^\[([^=]+?)\s*=\s*'(.*)'\]$/.exec(o.pattern!)!;
        let kind = PATH_KIND[m[1]!]!;
        assert.ok(kind, `unexpected path ${m[1]}`);
        let value = m[2]!;
        if (kind === 'domain' && /^\d+\.\d+\.\d+\.\d+$/.test(value)) kind = 'ip';
        if (kind === 'domain' && value.includes('/')) kind = 'url';
        if (['domain', 'app-id', 'email'].includes(kind) || kind.includes('sha')) value = value.toLowerCase();
        expected.add(`${famOf.get(o.id)}|${kind}|${value}`);
      }
      const r = load(file);
      const got = r.indicators.map((i) => `${i.family}|${i.kind}|${i.kind === 'url' ? i.value.replace(/^/, '') : i.value}`);
      assert.deepEqual(countBy(got, (g) => g.split('|').slice(0, 2).join('|')), countBy([...expected], (g) => g.split('|').slice(0, 2).join('|')));
      assert.deepEqual(r.skipped.duplicate ?? 0, doc.objects.filter((o) => o.type === 'indicator').length - expected.size);
    });
  }
  test('patterns with and without spaces, OR-combinations, IPs as domain names', () => {
    assert.deepEqual(parseStixPattern("[domain-name:value = 'a.com']").comparisons, [{ path: 'domain-name:value', op: '=', value: 'a.com' }]);
    assert.deepEqual(parseStixPattern("[domain-name:value='a.com' OR domain-name:value='b.com']").comparisons.map((c) => c.value), ['a.com', 'b.com']);
    assert.deepEqual(parseStixPattern("[x509-certificate:hashes.'SHA-1' = 'AB']").comparisons[0]!.path, 'x509-certificate:hashes.SHA-1');
    assert.equal(parseStixPattern("[file:name = 'a' AND file:size = 3]").conjunctive, true);
    const bundle = (pattern: string): string => JSON.stringify({ type: 'bundle', objects: [{ type: 'indicator', id: 'indicator--1', pattern, pattern_type: 'stix' }] });
    const r = parseFeed(bundle("[domain-name:value = '176.223.111.131'] OR [url:value='http://A.com/x'] OR [mutex:name='m']"), 'b.stix2', 'stix2');
    assert.deepEqual(r.indicators.map((i) => [i.kind, i.value]), [['ip', '176.223.111.131'], ['url', 'a.com/x']]);
    assert.deepEqual(r.skipped, { 'stix:unknown-kind:mutex:name': 1 });
  });
  test('a bundle with a broken pattern is refused, naming the indicator', () => {
    const doc = JSON.parse(read('mvt-indicators/rcs.stix2')) as { objects: { type: string; pattern?: string }[] };
    const ind = doc.objects.find((o) => o.type === 'indicator')!;
    ind.pattern = ind.pattern!.slice(0, -2); // drops the closing quote and bracket
    assert.throws(() => parseFeed(JSON.stringify(doc), 'rcs.stix2', 'stix2'), (e: unknown) => e instanceof FeedError && /indicator--.* has a broken pattern/.test(e.message));
  });
});

describe('TinyCheck', () => {
  const TYPE_KIND: Record<string, string> = { domain: 'domain', freedns: 'freedns', ip4addr: 'ip', ip6addr: 'ip', cidr: 'cidr', sha1cert: 'tls-cert-sha1', ns: 'ns', tld: 'tld' };
  test('iocs.json: counts per type and tag match; snort rules become domains, IPs or payload rules', () => {
    const raw = JSON.parse(read('tinycheck/iocs.json')) as { iocs: { type: string; tag: string; value: string }[] };
    const r = load('tinycheck/iocs.json');
    const fromRules = r.indicators.filter((i) => i.meta?.msg !== undefined);
    const plain = r.indicators.filter((i) => i.meta?.msg === undefined);
    const expected = countBy(raw.iocs.filter((i) => i.type !== 'snort'), (i) => `${TYPE_KIND[i.type]}|${i.tag}`);
    assert.deepEqual(countBy(plain, (i) => `${i.kind}|${i.tag}`), expected);
    const snort = raw.iocs.filter((i) => i.type === 'snort');
    const skippedRules = Object.entries(r.skipped).filter(([k]) => k.startsWith('suricata:')).reduce((a, [, v]) => a + v, 0);
    assert.equal(fromRules.length + r.rules.length + skippedRules, snort.length);
    // The DNS rules carry the query in wire format: |05|mfy60|03|com.
    assert.ok(fromRules.some((i) => i.kind === 'domain' && i.value === 'mfy60.com' && i.meta?.sid === '10000117'));
    assert.ok(fromRules.some((i) => i.kind === 'ip' && i.value === '199.223.235.173'));
    const tcp22222 = raw.iocs.filter((i) => i.type === 'snort' && /-> \S+ 22222 /.test(i.value));
    for (const t of tcp22222) assert.ok(r.rules.some((x) => x.dstPorts?.includes(22222) && x.msg && t.value.includes(x.msg)));
  });
  test('whitelist.json: counts per type match', () => {
    const raw = JSON.parse(read('tinycheck/whitelist.json')) as { elements: { type: string; element: string }[] };
    const r = load('tinycheck/whitelist.json');
    assert.deepEqual(countBy(r.indicators, (i) => i.kind), countBy(raw.elements, (e) => TYPE_KIND[e.type]!));
  });
  test('truncated JSON says it looks truncated', () => {
    const text = read('tinycheck/iocs.json');
    assert.throws(() => parseFeed(text.slice(0, text.length / 2), 'iocs.json', 'tinycheck-iocs'), /not valid JSON.*truncated/);
  });
  test('an HTML error page is refused as such', () => {
    assert.throws(() => parseFeed('<!DOCTYPE html><html><body>404</body></html>', 'iocs.json', 'tinycheck-iocs'), /HTML page/);
  });
});

describe('Suricata rules, MISP, plain lists', () => {
  test('suricata.rules: every DNS rule is a domain, every IP rule an IP, with msg and sid', () => {
    const lines = read('stalkerware-indicators/generated/suricata.rules').split('\n').filter((l) => l.startsWith('alert'));
    const dns = lines.filter((l) => l.includes('dns.query'));
    const ip = lines.filter((l) => l.startsWith('alert ip'));
    const r = load('stalkerware-indicators/generated/suricata.rules');
    assert.equal(r.indicators.filter((i) => i.kind === 'domain').length, dns.length);
    assert.equal(r.indicators.filter((i) => i.kind === 'ip').length, ip.length);
    const first = r.indicators[0]!;
    assert.equal(first.value, /content:"([^"]+)"/.exec(dns[0]!)![1]);
    assert.equal(first.family, 'TheTruthSpy');
    assert.equal(first.meta?.sid, /sid:(\d+)/.exec(dns[0]!)![1]);
  });
  test('rules using keywords outside the subset are counted, not half-used', () => {
    const r = parseFeed(
      'alert tcp any any -> any 80 (msg:"x"; content:"a"; pcre:"/b/"; sid:1;)\nalert tcp any any -> any 80 (msg:"y"; content:"GET"; depth:3; sid:2;)\n',
      'x.rules',
      'suricata',
    );
    assert.deepEqual(r.skipped, { 'suricata:keyword:pcre': 1 });
    assert.equal(r.rules.length, 1);
  });
  test('misp_event.json: attributes per kind and family match the event', () => {
    const ev = JSON.parse(read('stalkerware-indicators/generated/misp_event.json')) as { Object: { Attribute: { object_relation: string; value: string }[] }[] };
    const KIND: Record<string, string> = { domain: 'domain', sha256: 'file-sha256', certificate: 'apk-cert-sha1', appid: 'app-id' };
    const expected = new Set<string>();
    for (const o of ev.Object) {
      const fam = o.Attribute.find((a) => a.object_relation === 'name')!.value;
      for (const a of o.Attribute) if (KIND[a.object_relation]) expected.add(`${fam}|${KIND[a.object_relation]}|${a.value.toLowerCase()}`);
    }
    const r = load('stalkerware-indicators/generated/misp_event.json');
    assert.deepEqual(countBy(r.indicators, (i) => `${i.family}|${i.kind}`), countBy([...expected], (e) => e.split('|').slice(0, 2).join('|')));
  });
  test('network.csv, hosts and a one-per-line list', () => {
    const csv = read('stalkerware-indicators/generated/network.csv').split(/\r?\n/).slice(1).filter(Boolean);
    const r = load('stalkerware-indicators/generated/network.csv');
    const distinct = new Set(csv.map((l) => l.toLowerCase()));
    assert.equal(r.indicators.length, distinct.size);
    assert.equal(r.indicators.find((i) => i.value === 'copy9.com')?.family, 'TheTruthSpy');
    const hosts = read('stalkerware-indicators/generated/hosts').split('\n').filter(Boolean);
    assert.equal(load('stalkerware-indicators/generated/hosts').indicators.length, new Set(hosts).size);
    const l = parseFeed('# comment\nEvil.example.\n10.0.0.0/8\n2001:db8::1\n', 'list.txt', 'lines');
    assert.deepEqual(l.indicators.map((i) => [i.kind, i.value]), [['domain', 'evil.example'], ['cidr', '10.0.0.0/8'], ['ip', '2001:db8::1']]);
  });
  test('mvt indicators.yaml lists its STIX feeds as GitHub raw URLs', () => {
    const r = load('mvt-indicators/indicators.yaml');
    const paths = [...read('mvt-indicators/indicators.yaml').matchAll(/^\s+path: (\S+)/gm)].map((m) => m[1]);
    assert.equal(r.references!.length, paths.length);
    assert.ok(r.references!.some((x) => x.url === 'https://raw.githubusercontent.com/AmnestyTech/investigations/master/2021-07-18_nso/pegasus.stix2'));
  });
});
