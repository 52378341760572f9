/**
 * One report for one phone checked both ways, in HTML and PDF: the combined verdict (the worse of the
 * two) with the families and what they can read, each check's own answer, the guidance of the single
 * guidance list, both checks' limits and both checks' evidence; printed with page numbers and its
 * headings kept with what follows them. Also the device report's own polish: an inconclusive device
 * check shows no finding level its verdict does not stand behind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeAcquisition, type DeviceAnalysis } from '../../src/device/analyze.js';
import { renderCombinedHtml } from '../../src/device/report/combined-html.js';
import { renderDeviceHtml } from '../../src/device/report/html.js';
import { toDeviceJson } from '../../src/device/report/json.js';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles } from '../../src/analysis/indicator-sources.js';
import { combineReports } from '../../src/device/report/combined.js';
import { guidance } from '../../src/report/guidance.js';
import { esc } from '../../src/report/html.js';
import { LANGS, t } from '../../src/i18n/index.js';
import { toJsonReport } from '../../src/report/json.js';
import { htmlToPdf } from '../../src/report/pdf.js';
import type { Analysis } from '../../src/analysis/types.js';
import { writeAcquisition } from '../helpers/android-phone.js';
import { NO_PDF_TOOLS } from '../helpers/pdf-tools.js';
import { IOC_YAML, c2Domains, writeDnsCapture } from './fixtures.js';

const NO_TOOLS = NO_PDF_TOOLS;

/** The step ids of the guidance section, in page order. */
function stepIds(html: string): string[] {
  const g = /<section class="guidance">([\s\S]*?)<\/section>/.exec(html);
  assert.ok(g, 'no guidance section');
  return [...g[1]!.matchAll(/<li data-step="([^"]+)">/g)].map((m) => m[1]!);
}

function limitsOf(html: string): string[] {
  const l = /<section class="limits-section">[\s\S]*?<ul class="limits">([\s\S]*?)<\/ul><\/section>/.exec(html);
  assert.ok(l, 'no limits section');
  return [...l[1]!.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
}

/** Text per page of a PDF (pdftotext), with the page count from pdfinfo. */
function pdfPages(dir: string, name: string, pdf: Buffer): string[] {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim().length > 0);
  assert.equal(text.length, pages);
  return text;
}

/** The page a heading is on, and that the first words after it are on the same page: no heading left alone at a page's foot. */
function assertKeptWithContent(pages: string[], heading: string, next: string, at: string): void {
  const squash = (s: string): string => s.replace(/\s+/g, ' ');
  const i = pages.findIndex((p) => squash(p).includes(squash(heading)));
  assert.ok(i >= 0, `${at}: "${heading}" not printed`);
  assert.ok(squash(pages[i]!).includes(squash(next).slice(0, 40)), `${at}: "${heading}" is on page ${i + 1} without what follows it`);
}

describe('the combined report (traffic and device check of one phone)', () => {
  let dir: string;
  let traffic: Analysis;
  let quiet: Analysis;
  let device: DeviceAnalysis;
  let clean: DeviceAnalysis;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-combined-'));
    const sources = await loadIndicatorFiles([IOC_YAML]);
    const high = join(dir, 'high.pcap');
    writeDnsCapture(high, [...c2Domains('TheTruthSpy', 2)], 6, 45);
    traffic = await analyzeCapture(high, { ...sources });
    const short = join(dir, 'short.pcap');
    writeDnsCapture(short, ['example.org'], 1);
    quiet = await analyzeCapture(short, { ...sources });
    const phone = writeAcquisition(join(dir, 'phone'), {
      apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.whatsapp' }, { name: 'com.thetruth', installer: null, accessibility: true, launcher: false }],
    });
    device = await analyzeAcquisition(phone, { indicators: sources.indicators, feeds: sources.feeds });
    const tidy = writeAcquisition(join(dir, 'tidy'), { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.whatsapp' }] });
    clean = await analyzeAcquisition(tidy, { indicators: sources.indicators, feeds: sources.feeds });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('one verdict with the family, what it can read, each check, the combined guidance and both limits; the same as the JSON', () => {
    assert.equal(traffic.verdict.level, 'high');
    assert.equal(device.verdict.level, 'high');
    const json = combineReports(toJsonReport(traffic, 'en'), toDeviceJson(device, 'en'), 'en');
    const html = renderCombinedHtml(traffic, device, 'en');
    assert.match(html, /<title>Phone check report: traffic, apps and settings — High<\/title>/);
    assert.match(html, /<section class="verdict v-high"/);
    assert.ok(html.includes(esc(json.verdict.summary)), 'the JSON summary');
    assert.ok(html.includes(esc(t('en', 'report.finding.family', { family: json.verdict.families.join(', ') }))));
    assert.deepEqual(json.verdict.families, ['TheTruthSpy']);
    // What it can read: the family's capabilities and the app's own access.
    const canRead = /<section class="can-read">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    assert.match(canRead, /TheTruthSpy/);
    assert.match(canRead, /com\.thetruth<\/span> — What this app can see or do: /);
    assert.deepEqual(json.verdict.canRead.map((c) => [c.kind, c.name]), [['family', 'TheTruthSpy'], ['app', 'com.thetruth']]);
    for (const c of json.verdict.canRead) assert.ok(canRead.includes(esc(c.text)), c.text);
    // Each check's own answer.
    const halves = /<section class="halves-section">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    for (const v of [json.checks.device, json.checks.traffic]) assert.ok(halves.includes(esc(v.summary)), v.summary);
    // The guidance is the single list's, for both checks: the device's care and the traffic's plan.
    const blocks = guidance({ level: 'high', kind: 'combined', trafficLevel: 'high', help: null, limits: json.verdict.limits });
    assert.deepEqual(stepIds(html), [...(blocks[0]!.kind === 'steps' ? blocks[0]!.steps.map((s) => s.id) : []), 'help']);
    assert.deepEqual(stepIds(html), ['noRush', 'plan', 'evidence', 'device', 'trust', 'devOff', 'help']);
    assert.deepEqual(limitsOf(html), json.verdict.limits.map(esc));
    for (const l of [...json.checks.device.limits, ...json.checks.traffic.limits]) assert.ok(limitsOf(html).includes(esc(l)), l);
    // Both checks' findings, the phone's first, each under its own heading; every finding of the JSON shown.
    const onPhone = html.indexOf(esc(t('en', 'combine.findings.device')));
    const inTraffic = html.indexOf(esc(t('en', 'combine.findings.traffic')));
    assert.ok(onPhone > 0 && inTraffic > onPhone);
    for (const f of json.findings) assert.ok(html.includes(esc(f.title)), f.title);
    assert.ok(html.includes(esc(t('en', 'combine.appendix.device'))) && html.includes(esc(t('en', 'combine.appendix.traffic'))));
  });

  test('every language: its own words, the same steps', () => {
    for (const lang of LANGS) {
      const html = renderCombinedHtml(traffic, device, lang);
      assert.match(html, new RegExp(`<html lang="${lang}">`));
      assert.ok(html.includes(esc(t(lang, 'combine.report.title'))), lang);
      assert.ok(html.includes(esc(t(lang, 'combine.checks.heading'))), lang);
      assert.ok(html.includes(esc(t(lang, 'device.guidance.devOff.title'))), lang);
      assert.ok(!html.includes('combine.'), `${lang}: a key shown instead of words`);
    }
  });

  test('the worse half decides: a clean phone with too little traffic is inconclusive and asks to record again', () => {
    assert.equal(quiet.verdict.level, 'inconclusive');
    assert.equal(clean.verdict.level, 'none');
    const html = renderCombinedHtml(quiet, clean, 'en');
    assert.match(html, /<section class="verdict v-inconclusive"/);
    assert.deepEqual(stepIds(html), ['recordAgain', 'devOff', 'trust', 'plan', 'evidence', 'help']);
    // The meaning is the traffic's (it decided), not the device check's "the list of apps could not be read".
    assert.ok(html.includes(esc(t('en', 'verdict.inconclusive.meaning'))));
    assert.ok(!html.includes(esc(t('en', 'device.verdict.inconclusive.meaning'))));
    assert.ok(!/<section class="can-read">/.test(html), 'nothing to read out for a result that found nothing');
  });

  test('the service help replaces the examples, and markup from the capture or the phone is escaped', () => {
    const help = { contact: 'Shelter <Nord>, 01 23 45 67 89', helplines: ['Line A: 3919'] };
    const hostile = { ...device, acquisition: { ...device.acquisition, name: '<script>x</script>' } };
    const html = renderCombinedHtml(traffic, hostile, 'en', { help });
    assert.ok(html.includes(esc(help.contact)) && html.includes('Line A: 3919'));
    assert.ok(!html.includes('<script>x</script>'));
  });

  test('printed: page number and id on every page, headings kept with what follows them', { skip: NO_TOOLS, timeout: 300_000 }, async () => {
    for (const [lang, paper] of [['en', 'A4'], ['fr', 'Letter']] as const) {
      const html = renderCombinedHtml(traffic, device, lang, { openAppendix: true, print: { paper, checkId: 'aa11 + bb22' } });
      const pages = pdfPages(dir, `both-${lang}.pdf`, await htmlToPdf(html));
      assert.ok(pages.length >= 2 && pages.length <= 8, `${lang}: ${pages.length} pages`);
      pages.forEach((p, i) => {
        assert.ok(p.includes(t(lang, 'report.print.page', { page: i + 1, pages: pages.length })), `${lang} page ${i + 1} number`);
        assert.ok(p.includes(t(lang, 'report.print.check', { id: 'aa11 + bb22' })), `${lang} page ${i + 1} id`);
      });
      const json = combineReports(toJsonReport(traffic, lang), toDeviceJson(device, lang), lang);
      assertKeptWithContent(pages, t(lang, 'report.limits.heading'), json.verdict.limits[0]!, `${lang} combined`);
      assertKeptWithContent(pages, t(lang, 'combine.checks.heading'), t(lang, 'combine.checks.device'), `${lang} combined`);
    }
  });

  test('the device PDF keeps its limits heading with its first limit, at any length of what comes before', { skip: NO_TOOLS, timeout: 300_000 }, async () => {
    // Longer and shorter help lists move the limits section across the page boundary.
    for (const n of [0, 4, 8, 12]) {
      const help = { contact: 'Service', helplines: Array.from({ length: n }, (_, i) => `Helpline ${i + 1}: 0800 000 00${i}`) };
      const html = renderDeviceHtml(device, 'en', { openAppendix: true, help, print: { paper: 'A4', checkId: 'dev1' } });
      const pages = pdfPages(dir, `device-${n}.pdf`, await htmlToPdf(html));
      const first = toDeviceJson(device, 'en').verdict.limits[0]!;
      assertKeptWithContent(pages, t('en', 'report.limits.heading'), first, `device, ${n} helplines`);
      // The sections flow instead of jumping whole to the next page: unprinted, this report took four pages.
      assert.ok(pages.length <= 3, `device, ${n} helplines: ${pages.length} pages`);
      pages.forEach((p, i) => assert.ok(p.includes(t('en', 'report.print.page', { page: i + 1, pages: pages.length })), `page ${i + 1} number`));
    }
  });
});

describe('an inconclusive device report shows no level its verdict does not stand behind', () => {
  let dir: string;
  let a: DeviceAnalysis;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-devincon-'));
    const phone = writeAcquisition(join(dir, 'phone'), { apps: [{ name: 'org.example.watch', installer: null, accessibility: true, notificationListener: true }] });
    // The list of apps is missing: neither packages.json nor the package section of dumpsys.txt.
    rmSync(join(phone, 'packages.json'));
    const dumpsys = readFileSync(join(phone, 'dumpsys.txt'), 'utf8');
    writeFileSync(join(phone, 'dumpsys.txt'), dumpsys.replace(/-{20,}\nDUMP OF SERVICE package:\n[\s\S]*?(?=-{20,}\nDUMP OF SERVICE )/, ''));
    a = await analyzeAcquisition(phone, { indicators: (await loadIndicatorFiles([IOC_YAML])).indicators, feeds: [] });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('findings the verdict could not weigh are marked so, folded away, and "weighed": false in JSON', () => {
    assert.equal(a.verdict.level, 'inconclusive');
    const strong = a.findings.filter((f) => f.level !== 'low');
    assert.ok(strong.length > 0, 'the app holding accessibility access is found');
    const html = renderDeviceHtml(a, 'en');
    const findings = html.slice(html.indexOf(`<h2>${esc(t('en', 'report.findings.heading'))}</h2>`));
    for (const level of ['high', 'moderate', 'low'] as const) assert.ok(!findings.includes(`class="badge b-${level}"`), `a ${level} badge in an inconclusive report`);
    assert.ok(findings.includes(`<span class="badge b-inconclusive">${esc(t('en', 'combine.unweighed'))}</span>`));
    assert.ok(findings.includes(esc(t('en', 'combine.unweighed.intro'))));
    assert.match(findings, /<details class="minor"><summary>[^<]*could not be weighed without the list of apps/);
    const json = toDeviceJson(a, 'en');
    assert.ok(json.findings.length > 0);
    for (const f of json.findings) assert.equal(f.weighed, false, f.id);
    // A conclusive report weighs every finding.
    assert.ok(toDeviceJson({ ...a, verdict: { ...a.verdict, level: 'moderate' } }, 'en').findings.every((f) => f.weighed));
  });
});
