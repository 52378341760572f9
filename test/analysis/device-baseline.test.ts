import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadIndicatorFiles, type IndicatorSources } from '../../src/analysis/indicator-sources.js';
import type { FeedSummary } from '../../src/analysis/types.js';
import { analyzeAcquisition } from '../../src/device/analyze.js';
import { toDeviceJson } from '../../src/device/report/json.js';
import { dumpsysOf, fakeAdbKey, SERVICES, writeAcquisition, type PhoneSpec, type SpecApp } from '../helpers/android-phone.js';
import { ANDROID, INDICATORS, ROOT } from '../helpers/paths.js';

/**
 * Device checks (the shared AndroidQF acquisition and phones built from Echap's lists) under three
 * sets of lists, compared with what the code gave before the verdict stopped reading facts: findings,
 * verdict, limits and their words must stay what they were. QUIETCHECK_WRITE_BASELINE=1 rewrites the
 * baseline from the code as it is; do that only for an intended change of results.
 */

const BASELINE = join(ROOT, 'test', 'analysis', 'device-baseline.json');
const NOW = new Date('2026-12-01T12:00:00Z');
const ECHAP = join(INDICATORS, 'stalkerware-indicators');
const ME = fakeAdbKey('quietcheck@kiosk');
const BASE: SpecApp[] = [
  { name: 'com.android.systemui', system: true },
  { name: 'com.google.android.gms', system: true, admin: true },
  { name: 'com.google.android.marvin.talkback', accessibility: true },
  { name: 'com.whatsapp', granted: ['android.permission.READ_CONTACTS', 'android.permission.RECORD_AUDIO'], bootReceiver: true },
];

let tmp: string;
const acquisitions: Record<string, () => string> = {};

function phone(name: string, spec: Partial<PhoneSpec>, noApps = false): void {
  acquisitions[name] = () => {
    const full: PhoneSpec = { adbKeys: [ME], ...spec, apps: [...BASE, ...(spec.apps ?? [])] };
    const dir = writeAcquisition(join(tmp, name), full);
    if (noApps) {
      unlinkSync(join(dir, 'packages.json'));
      writeFileSync(join(dir, 'dumpsys.txt'), SERVICES.filter((x) => x !== 'package').map((x) => `-------------------------------------------------------------------------------\nDUMP OF SERVICE ${x}:\n${dumpsysOf(full, x)}`).join(''));
    }
    return dir;
  };
}

const ioc = parse(readFileSync(join(ECHAP, 'ioc.yaml'), 'utf8')) as { name: string; packages?: string[] }[];
const spyPackage = ioc.find((e) => e.name === 'TheTruthSpy')!.packages!.at(-1)!;
acquisitions['androidqf-mvt'] = () => join(ANDROID, 'androidqf-mvt');
acquisitions['androidqf-mvt.zip'] = () => join(ANDROID, 'androidqf-mvt.zip');
phone('clean', {});
phone('spy', { apps: [{ name: spyPackage, installer: null, notificationListener: true, granted: ['android.permission.READ_SMS'] }] });
phone('sideloaded-access', { apps: [{ name: 'com.example.helper', installer: null, accessibility: true, notificationListener: true, launcher: false }] });
phone('no-apps', { apps: [{ name: 'com.example.helper', installer: null, accessibility: true }] }, true);
phone('no-apps-rooted', { rootBinaries: ['/system/xbin/su'] }, true);
phone('strangers-adb', { adbKeys: [ME, fakeAdbKey('someone@laptop')], secure: { adb_wifi_enabled: '1' } });

interface Setting {
  name: string;
  files: string[];
  feeds: (f: FeedSummary, i: number) => FeedSummary;
}
const SETTINGS: Setting[] = [
  { name: 'no-lists', files: [], feeds: (f) => f },
  { name: 'echap-fresh', files: ['ioc.yaml', 'watchware.yaml', 'samples.csv'].map((f) => join(ECHAP, f)), feeds: (f) => ({ ...f, date: '2026-11-28T00:00:00.000Z' }) },
  {
    name: 'echap-stale-failed',
    files: ['ioc.yaml', 'watchware.yaml'].map((f) => join(ECHAP, f)),
    feeds: (f, i) => ({ ...f, date: i === 0 ? '2026-08-01T00:00:00.000Z' : '2026-11-28T00:00:00.000Z', lastError: i === 1 ? 'HTTP 503' : null }),
  },
];

async function run(s: Setting, sources: IndicatorSources, name: string): Promise<unknown> {
  const a = await analyzeAcquisition(acquisitions[name]!(), { indicators: sources.indicators, feeds: sources.feeds, now: NOW, config: { ownAdbKeys: [ME] } });
  const j = toDeviceJson(a, 'fr');
  return {
    findings: a.findings.map((f) => `${f.id} ${f.level} ${f.host} ${f.family ?? '-'}`),
    verdict: { level: a.verdict.level, families: a.verdict.families, summary: a.verdict.summary, limits: a.verdict.limits },
    words: { summary: j.verdict.summary, limits: j.verdict.limits },
  };
}

async function sourcesOf(s: Setting): Promise<IndicatorSources> {
  const loaded = await loadIndicatorFiles(s.files);
  return { indicators: loaded.indicators, feeds: loaded.feeds.map(s.feeds) };
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'quietcheck-device-baseline-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

if (process.env.QUIETCHECK_WRITE_BASELINE === '1') {
  test('write the device baseline', async () => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const s of SETTINGS) {
      const sources = await sourcesOf(s);
      out[s.name] = {};
      for (const name of Object.keys(acquisitions)) out[s.name]![name] = await run(s, sources, name);
    }
    writeFileSync(BASELINE, JSON.stringify(out, null, 1) + '\n');
  });
} else {
  const baseline = existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as Record<string, Record<string, unknown>>) : {};
  test('the settings reach High, Moderate, None and Inconclusive', () => {
    const levels = new Set(Object.values(baseline).flatMap((byName) => Object.values(byName).map((d) => (d as { verdict: { level: string } }).verdict.level)));
    for (const l of ['high', 'moderate', 'none', 'inconclusive']) assert.ok(levels.has(l), l);
  });
  for (const s of SETTINGS) {
    describe(s.name, () => {
      let sources: IndicatorSources;
      before(async () => {
        sources = await sourcesOf(s);
      });
      for (const name of Object.keys(acquisitions)) test(name, async () => assert.deepEqual(await run(s, sources, name), baseline[s.name]?.[name]));
    });
  }
}
