import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { noteMeta } from '../../src/detect/registry.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles, type IndicatorSources } from '../../src/analysis/indicator-sources.js';
import { loadIndicatorStore } from '../../src/cli/stored-indicators.js';
import { renderHtml } from '../../src/report/html.js';
import { toJsonReport } from '../../src/report/json.js';
import { PCAPS, pcap } from '../helpers/paths.js';
import { IOC_YAML, WHITELIST, c2Domains, writeDnsCapture, writeHostileCapture } from './fixtures.js';

let sources: IndicatorSources;
let dir: string;

before(async () => {
  sources = await loadIndicatorFiles([IOC_YAML, WHITELIST]);
  dir = mkdtempSync(join(tmpdir(), 'quietcheck-report-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const keysOf = (o: object): string[] => Object.keys(o).sort();

test('indicator files: Echap YAML blocks, TinyCheck whitelist allows, each with version and date', () => {
  const [ioc, wl] = sources.feeds;
  assert.equal(ioc?.name, 'ioc.yaml');
  assert.equal(ioc?.list, 'block');
  assert.ok(ioc!.indicators > 1000);
  assert.equal(wl?.list, 'allow');
  for (const f of sources.feeds) {
    assert.match(f.version ?? '', /^[0-9a-f]{16}$/);
    assert.ok(f.date && !Number.isNaN(Date.parse(f.date)));
  }
});

test('a data directory without a database gives no lists and creates nothing', () => {
  const empty = join(dir, 'nothing-here');
  const s = loadIndicatorStore(empty);
  assert.equal(s.feeds.length, 0);
  assert.throws(() => readdirSync(empty));
});

test('JSON report of a real capture has exactly the documented shape, with inspect --json facts', async () => {
  const file = pcap('tls-browsing-mixed.pcap');
  const a = await analyzeCapture(file, { ...sources });
  const j = JSON.parse(JSON.stringify(toJsonReport(a, 'en'))) as Record<string, any>;
  assert.deepEqual(keysOf(j), ['allowed', 'facts', 'findings', 'help', 'meta', 'verdict']);
  assert.deepEqual(keysOf(j.help), ['contact', 'helplines']);
  assert.deepEqual(keysOf(j.verdict), ['families', 'level', 'limits', 'notes', 'summary']);
  // Every note with words is one limit, in the same order.
  const worded = j.verdict.notes.filter((id: string) => noteMeta(id)?.message);
  assert.equal(worded.length, j.verdict.limits.length);
  assert.deepEqual(j.verdict.notes.slice(0, 1), ['NOTE-CAPTURE']);
  assert.ok(['high', 'moderate', 'low', 'none', 'inconclusive'].includes(j.verdict.level));
  assert.equal(typeof j.verdict.summary, 'string');
  assert.ok(j.verdict.limits.every((s: unknown) => typeof s === 'string' && s.length > 0));
  assert.ok(j.findings.length > 0);
  for (const f of j.findings) {
    for (const k of ['id', 'level', 'title', 'explanation', 'host', 'family', 'indicator', 'evidence']) assert.ok(k in f, `finding lacks ${k}`);
    assert.ok(['high', 'moderate', 'low'].includes(f.level));
    assert.ok(typeof f.title === 'string' && !f.title.startsWith('finding.'), `untranslated title for ${f.id}`);
    assert.ok(typeof f.explanation === 'string' && !/\{[a-zA-Z]+\}/.test(f.explanation), `unfilled placeholder in ${f.id}: ${f.explanation}`);
    assert.ok(f.family === null || typeof f.family === 'string');
    if (f.indicator !== null) for (const k of ['value', 'kind', 'feed', 'feedVersion']) assert.ok(k in f.indicator);
    assert.ok(Array.isArray(f.evidence));
  }
  assert.ok(Array.isArray(j.allowed));
  assert.deepEqual(j.facts, JSON.parse(JSON.stringify(inspectFile(file))));
  assert.match(j.meta.sha256, /^[0-9a-f]{64}$/);
  assert.equal(j.meta.language, 'en');
  assert.equal(j.meta.packets, j.facts.capture.packets);
  assert.ok(j.meta.duration > 0);
  assert.deepEqual(j.meta.feeds.map((f: { name: string }) => f.name), ['ioc.yaml', 'whitelist.json']);
  assert.match(j.meta.version, /^\d+\.\d+\.\d+/);
});

test('the JSON is rendered in the chosen language', async () => {
  const a = await analyzeCapture(pcap('tls-browsing-mixed.pcap'), { ...sources });
  const j = toJsonReport(a, 'de');
  assert.match(j.verdict.limits.join(' '), /Aufzeichnung/);
  assert.equal(j.meta.language, 'de');
});

test('no real benign capture is High', async () => {
  const files = readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f));
  assert.ok(files.length >= 25);
  for (const f of files) {
    const a = await analyzeCapture(join(PCAPS, f), { ...sources });
    // Public test traces of web browsing, DNS and DHCP: a self-signed or expired certificate, plain HTTP
    // and the like may make them Moderate or Low, but none talks to a stalkerware server.
    assert.notEqual(a.verdict.level, 'high', `${f}: ${a.findings.filter((x) => x.level === 'high').map((x) => `${x.id} ${x.host}`).join(', ')}`);
  }
});

test('DNS queries for real TheTruthSpy C2 names give High with the family named, and the indicator source', async () => {
  const names = c2Domains('TheTruthSpy', 3);
  assert.equal(names.length, 3);
  const file = join(dir, 'c2.pcap');
  writeDnsCapture(file, names);
  const a = await analyzeCapture(file, { ...sources });
  assert.equal(a.verdict.level, 'high');
  assert.deepEqual(a.verdict.families, ['TheTruthSpy']);
  const j = toJsonReport(a, 'en');
  assert.equal(j.verdict.summary, 'This phone contacted 3 servers used by TheTruthSpy.');
  const ioc = j.findings.filter((f) => f.id === 'IOC-03');
  assert.equal(ioc.length, 3);
  for (const f of ioc) {
    assert.equal(f.indicator?.feed, 'ioc.yaml');
    assert.equal(f.indicator?.feedVersion, sources.feeds[0]!.version);
    assert.ok(f.indicator?.feedDate);
  }
});

test('a hostile HTTP Host header is escaped in the HTML, and the HTML references nothing outside itself', async () => {
  const host = '<script>alert(1)</script>.example';
  const file = join(dir, 'hostile.pcap');
  writeHostileCapture(file, host);
  const a = await analyzeCapture(file, { ...sources });
  assert.ok(a.facts.http.some((h) => h.host === host), 'the decoder saw the Host header');
  const html = renderHtml(a, 'en', { openAppendix: true });
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(!/<img|<svg onload/i.test(html), 'no injected element');
  assert.ok(html.includes('&lt;img/src=x/onerror=alert(2)&gt;'), 'the URI is shown as text');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;.example'), 'the host is shown as text');
  assertSelfContained(html);
});

export function assertSelfContained(html: string): void {
  assert.ok(!/\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html), 'no src/href to a remote URL');
  assert.ok(!/@import/i.test(html), 'no @import');
  assert.ok(!/url\(\s*["']?\s*(?:https?:)?\/\//i.test(html), 'no url(http…)');
  assert.ok(!/<(?:script|link|iframe|object|embed|img)\b/i.test(html), 'no external-loading elements');
  // URLs may appear as escaped text (evidence of a plain-HTTP request); only references would load anything.
}

test('reports of every language are self-contained and complete', async () => {
  const a = await analyzeCapture(pcap('tls12-selfsigned-sslh.pcap'), { ...sources });
  for (const lang of ['en', 'fr', 'es', 'de', 'it', 'pt'] as const) {
    const html = renderHtml(a, lang);
    assertSelfContained(html);
    assert.match(html, new RegExp(`<html lang="${lang}">`));
    assert.ok(!/\{[a-zA-Z]+\}/.test(html.replace(/<style>[\s\S]*<\/style>/, '')), `${lang}: unfilled placeholder`);
  }
});
