import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles } from '../../src/analysis/indicator-sources.js';
import { renderHtml } from '../../src/report/html.js';
import { t } from '../../src/i18n/index.js';
import { paperForLocale, paperFromEnv } from '../../src/report/paper.js';
import { htmlToPdf } from '../../src/report/pdf.js';
import type { Analysis } from '../../src/analysis/types.js';
import { NO_PDF_TOOLS } from '../helpers/pdf-tools.js';
import { IOC_YAML, WHITELIST, c2Domains, writeDnsCapture } from './fixtures.js';

/**
 * The printed report: paper by locale, page numbers and the check id at the foot of every page
 * (CSS page-margin boxes, printed by Chromium), sections that flow, and a typical High result (three
 * servers of two families, six minutes) in at most four pages, in every language and both papers.
 * Read back with poppler's pdfinfo/pdftotext.
 */

const NO_TOOLS = NO_PDF_TOOLS;

let dir: string;
let high: Analysis;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quietcheck-print-'));
  const sources = await loadIndicatorFiles([IOC_YAML, WHITELIST]);
  const file = join(dir, 'c2.pcap');
  writeDnsCapture(file, [...c2Domains('TheTruthSpy', 2), ...c2Domains('Cerberus', 1)], 6, 45);
  high = await analyzeCapture(file, { ...sources });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('paper follows the locale: Letter in the Americas that use it, A4 elsewhere; QUIETCHECK_PAPER overrides', () => {
  assert.equal(paperForLocale('en_US.UTF-8'), 'Letter');
  assert.equal(paperForLocale('es_MX.UTF-8'), 'Letter');
  assert.equal(paperForLocale('fr_CA'), 'Letter');
  assert.equal(paperForLocale('en_GB.UTF-8'), 'A4');
  assert.equal(paperForLocale('pt_BR.UTF-8'), 'A4');
  assert.equal(paperForLocale('de_DE'), 'A4');
  assert.equal(paperForLocale(undefined), 'A4');
  assert.equal(paperFromEnv({ LANG: 'C.UTF-8', LC_PAPER: 'en_US.UTF-8' }), 'Letter');
  assert.equal(paperFromEnv({ LANG: 'en_US.UTF-8', LC_PAPER: 'en_IE.UTF-8' }), 'A4');
  assert.equal(paperFromEnv({ LANG: 'en_US.UTF-8', QUIETCHECK_PAPER: 'a4' }), 'A4');
  assert.equal(paperFromEnv({}), 'A4');
});

test('a typical High fits in four pages, with the page number and the check id on every page', { skip: NO_TOOLS, timeout: 300_000 }, async () => {
  for (const [lang, paper] of [['en', 'A4'], ['en', 'Letter'], ['fr', 'A4'], ['de', 'Letter'], ['es', 'A4'], ['it', 'A4'], ['pt', 'Letter']] as const) {
    const pdf = await htmlToPdf(renderHtml(high, lang, { openAppendix: true, print: { paper, checkId: '3f9a2c7e1b' } }));
    const file = join(dir, `high-${lang}-${paper}.pdf`);
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    assert.ok(pages <= 4, `${lang} ${paper}: ${pages} pages`);
    assert.match(info, paper === 'A4' ? /Page size:\s+59[45](\.\d+)? x 84[12]/ : /Page size:\s+612 x 792/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const perPage = text.split('\f').filter((p) => p.trim().length > 0);
    assert.equal(perPage.length, pages);
    perPage.forEach((p, i) => {
      assert.ok(p.includes(t(lang, 'report.print.page', { page: i + 1, pages })), `${lang} ${paper} page ${i + 1} number`);
      assert.ok(p.includes(t(lang, 'report.print.check', { id: '3f9a2c7e1b' })), `${lang} ${paper} page ${i + 1} check id`);
    });
    // Sections flow: the first page is filled, not just the verdict.
    assert.ok(perPage[0]!.includes(t(lang, 'guidance.heading')), `${lang} ${paper}: the advice starts on page 1`);
  }
});

test('the screen HTML is unchanged by printing options: full evidence and no page rules', () => {
  const screen = renderHtml(high, 'en');
  assert.ok(!screen.includes('@page'));
  const printed = renderHtml(high, 'en', { print: { paper: 'A4', checkId: 'x' } });
  assert.match(printed, /@page\{size:A4/);
});
