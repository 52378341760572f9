import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { detectFormat, parseFeed } from '../../src/indicators/formats/index.js';
import { Indicators, type FeedInfo } from '../../src/indicators/matcher.js';
import { computeVerdict } from '../../src/detect/verdict.js';
import { INDICATORS } from '../helpers/paths.js';
import { FactsBuilder, indicators, run } from './facts.js';
import { parsed } from './feeds.js';

/**
 * Feed precedence by meaning: with every default feed loaded (Echap's YAML and STIX, watchware,
 * TinyCheck's IOCs and allow-list), a vendor's sales site is a visit (low), while a server name
 * that a feed classifies as C2 stays high whichever other feed also lists it.
 */

/** The default feeds' shared copies (the STIX bundle is Echap's dated snapshot of the same data). */
const DEFAULT_FEED_FILES: { file: string; list: FeedInfo['list'] }[] = [
  { file: 'stalkerware-indicators/generated/stalkerware-2023-05.stix2', list: 'block' },
  { file: 'stalkerware-indicators/ioc.yaml', list: 'block' },
  { file: 'stalkerware-indicators/watchware.yaml', list: 'block' },
  { file: 'tinycheck/iocs.json', list: 'block' },
  { file: 'tinycheck/whitelist.json', list: 'allow' },
];

function load(files: { file: string; list: FeedInfo['list'] }[]): Indicators {
  const m = new Indicators();
  for (const { file, list } of files) {
    const text = readFileSync(join(INDICATORS, file), 'utf8');
    const r = parseFeed(text, file, detectFormat(file, text)!);
    for (const i of r.indicators) m.add(i, { name: file, version: 'shared', list });
  }
  return m;
}

const all = load(DEFAULT_FEED_FILES);
const echapOnly = load([{ file: 'stalkerware-indicators/ioc.yaml', list: 'block' }]);

function visit(ind: Indicators, name: string) {
  const b = new FactsBuilder();
  // An hour of ordinary traffic: long and busy enough for a verdict (not "inconclusive").
  b.facts.capture.bytes = 20_000_000;
  b.facts.capture.packets = 30_000;
  b.dns(name, { a: ['198.18.9.1'] });
  b.tls('198.18.9.1', name);
  const r = run(b, ind);
  const v = computeVerdict({ findings: r.findings, notes: r.notes });
  return { r, v };
}

describe('a vendor site against every default feed', () => {
  test('cart.mspy.com is a low visit naming mSpy, and says which feed said what', () => {
    const { r, v } = visit(all, 'cart.mspy.com');
    assert.equal(v.level, 'low');
    assert.deepEqual(r.findings.map((f) => [f.id, f.level, f.family]), [['IOC-WEBSITE', 'low', 'mSpy']]);
    const f = r.findings[0]!;
    assert.equal(f.params.precedence, 'website');
    const said = (f.listings ?? []).map((l) => `${l.feed}:${l.value}:${l.kind}`);
    assert.ok(said.includes('stalkerware-indicators/ioc.yaml:cart.mspy.com:website'), said.join(' '));
    assert.ok(said.includes('tinycheck/iocs.json:mspy.com:domain'), said.join(' '));
    // The same capture with Echap alone: the same answer.
    assert.equal(visit(echapOnly, 'cart.mspy.com').v.level, 'low');
  });

  test('a C2 name on both Echap and TinyCheck is high with its family', () => {
    const { r, v } = visit(all, 'my.mspyonline.com');
    assert.equal(v.level, 'high');
    assert.deepEqual(v.families, ['mSpy']);
    const c2 = r.findings.find((f) => f.id === 'IOC-03')!;
    assert.equal(c2.indicator?.kind, 'c2-domain');
    assert.equal(c2.params.precedence, undefined);
    assert.ok((c2.listings ?? []).some((l) => l.feed === 'tinycheck/iocs.json'));
  });

  // Every name Echap classifies as a vendor's site and that no feed lists (as exactly or more
  // specifically) as a server: a visit, never more, whatever TinyCheck or STIX say about it.
  const c2 = new Set(parsed('stalkerware-indicators/ioc.yaml').filter((i) => i.kind === 'c2-domain').map((i) => i.value));
  const sites = parsed('stalkerware-indicators/ioc.yaml').filter((i) => i.kind === 'website');
  const pureSites = sites.filter((s) => !c2.has(s.value));
  test(`all ${pureSites.length} pure vendor sites are low with every default feed`, () => {
    assert.ok(pureSites.length > 100);
    const wrong: string[] = [];
    for (const s of pureSites) {
      const { v } = visit(all, s.value);
      if (v.level !== 'low') wrong.push(`${s.value} (${s.family}) → ${v.level}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('every Echap C2 name stays high with every default feed', () => {
    const wrong: string[] = [];
    for (const name of [...c2].slice(0, 2000)) {
      const { v } = visit(all, name);
      if (v.level !== 'high') wrong.push(`${name} → ${v.level}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('the precedence rule on small lists', () => {
  const feedless = (kind: 'c2-domain' | 'website' | 'domain', value: string, family: string | null, tag: string | null) => [kind, value, family, tag] as [typeof kind, string, string | null, string | null];

  test('a plain entry of the same family never outranks the site; an exact C2 entry does', () => {
    const ind = indicators([feedless('website', 'shop.example', 'Acme', 'stalkerware'), feedless('domain', 'shop.example', null, 'stalkerware')]);
    assert.deepEqual(visit(ind, 'shop.example').r.findings.map((f) => [f.id, f.level]), [['IOC-WEBSITE', 'low']]);
    const withC2 = indicators([feedless('website', 'shop.example', 'Acme', 'stalkerware'), feedless('c2-domain', 'api.shop.example', 'Acme', 'stalkerware')]);
    assert.equal(visit(withC2, 'api.shop.example').v.level, 'high');
    assert.equal(visit(withC2, 'shop.example').v.level, 'low');
  });

  test('a C2 entry for a parent of the site does not turn the site into a server', () => {
    const ind = indicators([feedless('website', 'buy.acme.example', 'Acme', 'stalkerware'), feedless('c2-domain', 'acme.example', 'Acme', 'stalkerware')]);
    assert.equal(visit(ind, 'buy.acme.example').v.level, 'low');
    assert.equal(visit(ind, 'data.acme.example').v.level, 'high');
  });

  test('a plain entry naming another family as specific as the site still counts', () => {
    const ind = indicators([feedless('website', 'shop.example', 'Acme', 'stalkerware'), feedless('domain', 'shop.example', 'Pegasus', null)]);
    assert.equal(visit(ind, 'shop.example').v.level, 'high');
  });
});
