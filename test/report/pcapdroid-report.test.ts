/**
 * A capture made on the phone with PCAPdroid: a package on Echap's list is a finding of its own
 * (IOC-APP), every finding names the app that made its connections, and the report says in plain words
 * where the recording came from and what the abuser might notice — in every language.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles, type IndicatorSources } from '../../src/analysis/indicator-sources.js';
import { esc, renderHtml } from '../../src/report/html.js';
import { LANGS, t } from '../../src/i18n/index.js';
import { toJsonReport } from '../../src/report/json.js';
import type { Analysis } from '../../src/analysis/types.js';
import { pcap } from '../helpers/paths.js';
import { pcapdroidPcapng } from '../helpers/pcapdroid.js';
import { IOC_YAML, WHITELIST } from './fixtures.js';

const SYNC = { uid: 10231, pkg: 'com.vvt.android.syncmanager', name: 'Sync Services' };
const DNS = { uid: 1051, pkg: 'android.uid.dns', name: 'DNS' };

let dir: string;
let sources: IndicatorSources;
let spy: Analysis;
let plain: Analysis;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qc-pcapdroid-report-'));
  sources = await loadIndicatorFiles([IOC_YAML, WHITELIST]);
  // heise.de's TLS sessions made by FlexiSpy's package (on Echap's list), the rest by Android's resolver.
  const file = join(dir, 'spy.pcapng');
  writeFileSync(file, pcapdroidPcapng('tls12-letsencrypt-heise.pcap', [SYNC, DNS], () => SYNC.uid));
  spy = await analyzeCapture(file, { ...sources });
  plain = await analyzeCapture(pcap('tls12-letsencrypt-heise.pcap'), { ...sources });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("a package on Echap's list is found by its name alone (IOC-APP), with its family", () => {
  const app = spy.findings.filter((f) => f.id === 'IOC-APP');
  assert.equal(app.length, 1);
  assert.equal(app[0]!.level, 'high');
  assert.equal(app[0]!.family, 'FlexiSpy');
  assert.equal(app[0]!.params.package, SYNC.pkg);
  assert.equal(app[0]!.params.appName, SYNC.name);
  assert.ok(app[0]!.evidence.length > 0 && app[0]!.evidence.every((e) => e.kind === 'connection'));
  assert.equal(spy.verdict.level, 'high');
  assert.ok(spy.verdict.families.includes('FlexiSpy'));
  // The same traffic recorded on the network names no app and gives no such finding.
  assert.equal(plain.findings.filter((f) => f.id === 'IOC-APP').length, 0);
  assert.ok(plain.findings.every((f) => f.apps === undefined));
});

test('every finding about the connections names the app that made them', () => {
  const others = spy.findings.filter((f) => f.id !== 'IOC-APP');
  assert.deepEqual(others.map((f) => f.id).sort(), plain.findings.map((f) => f.id).sort());
  for (const f of spy.findings) assert.deepEqual(f.apps, [{ uid: SYNC.uid, package: SYNC.pkg, name: SYNC.name }], f.id);
  const json = toJsonReport(spy, 'en');
  const ssl = json.findings.find((f) => f.id === 'SSL-02')!;
  assert.deepEqual(ssl.madeBy, [`Made by the app ${SYNC.pkg} ("${SYNC.name}") on the phone.`]);
  assert.equal(json.facts.apps!.find((a) => a.uid === SYNC.uid)!.package, SYNC.pkg);
});

test('the report says the recording came from the phone, the risk of PCAPdroid being noticed, and names the app, in every language', async () => {
  for (const lang of LANGS) {
    const html = renderHtml(spy, lang);
    for (const key of ['report.onPhone.heading', 'report.onPhone.text', 'report.onPhone.risk', 'appendix.apps.heading']) {
      assert.ok(html.includes(esc(t(lang, key))), `${lang}: ${key}`);
    }
    assert.ok(html.includes(esc(t(lang, 'report.finding.byApp', { package: SYNC.pkg, appName: SYNC.name }))), `${lang}: by the app`);
    assert.ok(html.includes(esc(t(lang, 'finding.IOC-APP.title'))), `${lang}: IOC-APP title`);
    // Where the recording came from is said before the findings.
    assert.ok(html.indexOf(esc(t(lang, 'report.onPhone.heading'))) < html.indexOf(esc(t(lang, 'report.findings.heading'))));
  }
  const html = renderHtml(plain, 'en');
  assert.ok(!html.includes(esc(t('en', 'report.onPhone.heading'))));
});

test('the streamed JSON report is the same text as the one made in memory', async () => {
  const { writeJsonReport, renderJson } = await import('../../src/report/json.js');
  const { openSync, closeSync, readFileSync } = await import('node:fs');
  for (const a of [spy, plain]) {
    const file = join(dir, 'report.json');
    const fd = openSync(file, 'w');
    writeJsonReport(fd, a, 'en');
    closeSync(fd);
    assert.equal(readFileSync(file, 'utf8'), renderJson(a, 'en'));
  }
});
