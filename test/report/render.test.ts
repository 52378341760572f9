import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles, type IndicatorSources } from '../../src/analysis/indicator-sources.js';
import { renderHtml } from '../../src/report/html.js';
import { chromiumAvailable, htmlToPdf, htmlToPng } from '../../src/report/pdf.js';
import type { Analysis } from '../../src/analysis/types.js';
import { ROOT, pcap } from '../helpers/paths.js';
import { IOC_YAML, WHITELIST, c2Domains, writeDnsCapture } from './fixtures.js';

/**
 * Renders a High and a None report as a phone (390 px) and a desktop (1280 px) show them, into
 * artifacts/ (git-ignored) for a person to look at, and prints one to PDF. Needs Chromium.
 */

const ARTIFACTS = join(ROOT, 'artifacts');
const NO_CHROMIUM = chromiumAvailable() ? false : 'Chromium is not installed at /usr/bin/chromium (Debian package chromium)';

let sources: IndicatorSources;
let dir: string;
let high: Analysis;
let none: Analysis;
let inconclusive: Analysis;

before(async () => {
  sources = await loadIndicatorFiles([IOC_YAML, WHITELIST]);
  dir = mkdtempSync(join(tmpdir(), 'quietcheck-render-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(dir, 'c2.pcap');
  writeDnsCapture(file, [...c2Domains('TheTruthSpy', 2), ...c2Domains('Cerberus', 1)], 6, 45);
  high = await analyzeCapture(file, { ...sources });
  const clean = join(dir, 'clean.pcap');
  // Long and busy enough to say something (see the inconclusive thresholds in the detection settings).
  writeDnsCapture(clean, ['www.google.com', 'www.apple.com'], 12, 20);
  none = await analyzeCapture(clean, { ...sources });
  const short = join(dir, 'short.pcap');
  writeDnsCapture(short, ['www.google.com'], 1, 30);
  inconclusive = await analyzeCapture(short, { ...sources });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the synthetic cases are what the screenshots claim', () => {
  assert.equal(high.verdict.level, 'high');
  assert.ok(high.verdict.families.includes('TheTruthSpy'));
  assert.equal(none.verdict.level, 'none', none.findings.map((f) => `${f.id} ${f.host}`).join(', '));
  assert.equal(inconclusive.verdict.level, 'inconclusive');
  const html = renderHtml(inconclusive, 'en');
  assert.ok(html.includes('v-inconclusive') && !html.includes('M14 25 L21 32 L34 17'), 'a question mark, never the tick');
  assert.ok(html.includes('Not enough was recorded to say'));
});

test('High and None reports render to PNG at phone and desktop widths', { skip: NO_CHROMIUM, timeout: 180_000 }, async () => {
  const cases: [string, Analysis, 'en' | 'fr' | 'de'][] = [
    ['high', high, 'en'],
    ['none', none, 'en'],
    ['high-fr', high, 'fr'],
    ['inconclusive', inconclusive, 'en'],
    ['inconclusive-de', inconclusive, 'de'],
  ];
  for (const [name, a, lang] of cases) {
    const html = renderHtml(a, lang);
    writeFileSync(join(ARTIFACTS, `report-${name}.html`), html);
    for (const width of [390, 1280]) {
      const png = await htmlToPng(html, width, 1600);
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      writeFileSync(join(ARTIFACTS, `report-${name}-${width}.png`), png);
    }
  }
  // The appendix opened, as printed, for looking at the tables and the timeline.
  const open = renderHtml(high, 'en', { openAppendix: true });
  writeFileSync(join(ARTIFACTS, 'report-high-appendix-1280.png'), await htmlToPng(open, 1280, 3200));
  const real = await analyzeCapture(pcap('tls-browsing-mixed.pcap'), { ...sources });
  writeFileSync(join(ARTIFACTS, 'report-browsing-appendix-1280.png'), await htmlToPng(renderHtml(real, 'en', { openAppendix: true }), 1280, 4000));
});

test('the PDF renders and is a PDF', { skip: NO_CHROMIUM, timeout: 120_000 }, async () => {
  const pdf = await htmlToPdf(renderHtml(high, 'en', { openAppendix: true }));
  assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
  assert.ok(pdf.length > 10_000);
  writeFileSync(join(ARTIFACTS, 'report-high.pdf'), pdf);
});

test('a missing Chromium is a clear error, not a crash', async () => {
  await assert.rejects(htmlToPdf('<p>x</p>', { chromium: '/nonexistent/chromium' }), /Chromium not found at \/nonexistent\/chromium/);
});
