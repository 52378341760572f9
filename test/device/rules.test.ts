import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { readAcquisition } from '../../src/device/acquisition/read.js';
import { analyzeAcquisition } from '../../src/device/analyze.js';
import { renderDeviceHtml } from '../../src/device/report/html.js';
import { toDeviceJson } from '../../src/device/report/json.js';
import { DEVICE_RULES, detectDevice } from '../../src/device/rules/index.js';
import { CATALOGUES, LANGS } from '../../src/i18n/index.js';
import { loadIndicatorFiles } from '../../src/analysis/indicator-sources.js';
import { dumpsysOf, fakeAdbKey, SERVICES, writeAcquisition, type PhoneSpec, type SpecApp } from '../helpers/android-phone.js';
import { INDICATORS } from '../helpers/paths.js';

const ECHAP = join(INDICATORS, 'stalkerware-indicators');
const tmp = mkdtempSync(join(tmpdir(), 'qc-devrules-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface EchapEntry {
  name: string;
  type: string;
  packages?: string[];
  certificates?: string[];
}
const ioc = parse(readFileSync(join(ECHAP, 'ioc.yaml'), 'utf8')) as EchapEntry[];
const truthspy = ioc.find((e) => e.name === 'TheTruthSpy')!;
/** Packages and certificates that Echap lists for TheTruthSpy alone (some are shared with its clones). */
const onlyTruthspy = (field: 'packages' | 'certificates'): string[] =>
  truthspy[field]!.filter((v) => ioc.filter((e) => (e[field] ?? []).includes(v)).length === 1);
const watch = (parse(readFileSync(join(ECHAP, 'watchware.yaml'), 'utf8')) as EchapEntry[]).find((e) => (e.packages ?? []).length > 0)!;
const sample = readFileSync(join(ECHAP, 'samples.csv'), 'utf8').split('\n')[1]!.split(',');

const sources = await loadIndicatorFiles([join(ECHAP, 'ioc.yaml'), join(ECHAP, 'watchware.yaml'), join(ECHAP, 'samples.csv')]);

/** What every ordinary phone holds: the system UI, Google's services, TalkBack turned on. */
const BASE: SpecApp[] = [
  { name: 'com.android.systemui', system: true },
  { name: 'com.google.android.gms', system: true, admin: true },
  { name: 'com.google.android.marvin.talkback', accessibility: true },
  { name: 'com.whatsapp', granted: ['android.permission.READ_CONTACTS', 'android.permission.RECORD_AUDIO'], bootReceiver: true },
  { name: 'com.google.android.wearable.app', notificationListener: true },
];
const ME = fakeAdbKey('quietcheck@kiosk');

function phone(name: string, spec: Partial<PhoneSpec>): string {
  return writeAcquisition(join(tmp, name), { apps: [...BASE, ...(spec.apps ?? [])], adbKeys: [ME], ...spec, ...(spec.apps ? { apps: [...BASE, ...spec.apps] } : {}) });
}

async function run(dir: string, ownKeys: string[] = [ME]) {
  const facts = await readAcquisition(dir);
  return { facts, ...detectDevice(facts, sources.indicators, { ownAdbKeys: ownKeys }) };
}

describe('device rules on phones built from Echap’s indicators', () => {
  it('an ordinary phone: nothing found, known holders explained', async () => {
    const r = await run(phone('clean', {}));
    assert.deepEqual(r.findings, []);
    const explained = r.explained.map((e) => `${e.app}:${e.access}:${e.reason}`).sort();
    assert.deepEqual(explained, [
      'com.android.systemui:notification:system',
      'com.google.android.gms:admin:findMyDevice',
      'com.google.android.marvin.talkback:accessibility:screenReader',
      'com.google.android.wearable.app:notification:wearable',
    ]);
  });

  it('a TheTruthSpy package installed over USB is high, names the family and what it can read', async () => {
    const pkg = onlyTruthspy('packages')[0]!;
    const r = await run(phone('truthspy', { apps: [{ name: pkg, installer: null, accessibility: true, granted: ['android.permission.READ_SMS', 'android.permission.ACCESS_FINE_LOCATION'], launcher: false }] }));
    const f = r.findings.find((x) => x.id === 'DEV-PACKAGE')!;
    assert.equal(f.level, 'high');
    assert.equal(f.family, 'TheTruthSpy');
    assert.equal(f.host, pkg);
    assert.equal(f.params.capabilities, 'messages,location,screen');
    assert.equal(f.indicator!.kind, 'app-id');
    // Its access is part of that finding, not a second "unknown app" alarm.
    assert.ok(!r.findings.some((x) => x.id === 'DEV-ACCESSIBILITY' || x.id === 'DEV-BEHAVES-LIKE-STALKERWARE'));
  });

  it('matches signing certificates whatever the case (Echap upper, AndroidQF lower)', async () => {
    const cert = onlyTruthspy('certificates')[0]!;
    assert.match(cert, /^[0-9A-F]{40}$/);
    const r = await run(phone('cert', { apps: [{ name: 'com.android.battery.helper', installer: 'com.google.android.packageinstaller', certSha1: cert.toLowerCase() }] }));
    const f = r.findings.find((x) => x.id === 'DEV-CERT')!;
    assert.equal(f.level, 'high');
    assert.equal(f.family, 'TheTruthSpy');
    assert.equal(f.indicator!.value, cert.toLowerCase());
  });

  it('matches an APK’s SHA-256 from samples.csv', async () => {
    const r = await run(phone('hash', { apps: [{ name: 'com.renamed.app', installer: null, apkSha256: sample[0]! }] }));
    const f = r.findings.find((x) => x.id === 'DEV-APK-HASH')!;
    assert.equal(f.level, 'high');
    assert.equal(f.family, sample[4]!.trim());
  });

  it('a watchware app is moderate, never high, even where ioc.yaml also lists its family as stalkerware', async () => {
    assert.equal(ioc.find((e) => e.name === watch.name)?.type, 'stalkerware', 'the conflict this test is about');
    const r = await run(phone('watch', { apps: [{ name: watch.packages![0]! }] }));
    assert.deepEqual(r.findings.map((f) => [f.id, f.level, f.family]), [['DEV-WATCHWARE', 'moderate', watch.name]]);
  });

  it('an unknown sideloaded app with accessibility, notification access and admin behaves like stalkerware', async () => {
    const app: SpecApp = { name: 'com.android.sys.update', installer: null, accessibility: true, notificationListener: true, admin: true, launcher: false, bootReceiver: true, granted: ['android.permission.RECORD_AUDIO'] };
    const r = await run(phone('behaves', { apps: [app] }));
    const ids = r.findings.filter((f) => f.host === app.name).map((f) => `${f.id}:${f.level}`).sort();
    assert.deepEqual(ids, [
      'DEV-ACCESSIBILITY:moderate',
      'DEV-BEHAVES-LIKE-STALKERWARE:high',
      'DEV-BOOT-SENSITIVE:low',
      'DEV-DEVICE-ADMIN:moderate',
      'DEV-HIDDEN-APP:moderate',
      'DEV-NOTIFICATION-LISTENER:moderate',
      'DEV-SIDELOADED:low',
    ]);
    assert.match(r.findings.find((f) => f.id === 'DEV-SIDELOADED')!.evidence[0]!.text, /started by com\.android\.shell/);
    const b = r.findings.find((f) => f.id === 'DEV-BEHAVES-LIKE-STALKERWARE')!;
    assert.equal(b.family, null, 'never names a family');
    // Two kinds of access and an icon: moderate, not high.
    const r2 = await run(phone('behaves2', { apps: [{ ...app, admin: false, launcher: true }] }));
    assert.equal(r2.findings.find((f) => f.id === 'DEV-BEHAVES-LIKE-STALKERWARE')!.level, 'moderate');
    // The same access from Google Play is a low sign each, not "behaves like stalkerware".
    const r3 = await run(phone('play', { apps: [{ ...app, installer: 'com.android.vending' }] }));
    assert.ok(!r3.findings.some((f) => f.id === 'DEV-BEHAVES-LIKE-STALKERWARE'));
    assert.equal(r3.findings.find((f) => f.id === 'DEV-ACCESSIBILITY')!.level, 'low');
  });

  it('phone settings: verification off, root, other trusted computers, wireless debugging', async () => {
    const other = fakeAdbKey('him@laptop');
    const r = await run(
      phone('settings', {
        global: { package_verifier_enable: '0', adb_wifi_enabled: '1' },
        rootBinaries: ['/system/xbin/su'],
        adbKeys: [other, ME],
        apps: [{ name: 'com.topjohnwu.magisk', installer: null }],
      }),
    );
    const phoneIds = r.findings.filter((f) => f.host === 'phone').map((f) => `${f.id}:${f.level}`).sort();
    assert.deepEqual(phoneIds, ['DEV-ADB-KEYS:low', 'DEV-DEVELOPER-OPTIONS:low', 'DEV-ROOT:moderate', 'DEV-VERIFY-OFF:low']);
    const adb = r.findings.find((f) => f.id === 'DEV-ADB-KEYS')!;
    assert.equal(adb.params.count, 1);
    assert.match(adb.evidence[0]!.text, /him@laptop/);
    assert.equal(r.findings.find((f) => f.id === 'DEV-ROOT')!.params.count, 2);
    // Without knowing quietcheck's key, the computer that connected last (the collector) is left out.
    const r2 = await run(join(tmp, 'settings'), []);
    assert.equal(r2.findings.find((f) => f.id === 'DEV-ADB-KEYS')!.params.count, 1);
  });

  it('a work phone’s manager is explained; an unknown device owner is not', async () => {
    const work = await run(phone('work', { deviceOwner: 'com.google.android.apps.work.clouddpc/.receivers.CloudDeviceAdminReceiver' }));
    assert.ok(work.explained.some((e) => e.reason === 'workManager'));
    assert.ok(!work.findings.some((f) => f.id === 'DEV-DEVICE-OWNER'));
    const other = await run(phone('owned', { deviceOwner: 'com.family.control/.Owner' }));
    assert.equal(other.findings.find((f) => f.id === 'DEV-DEVICE-OWNER')!.level, 'moderate');
  });

  it('rules turned off stay off', async () => {
    const facts = await readAcquisition(join(tmp, 'settings'));
    const r = detectDevice(facts, sources.indicators, { ownAdbKeys: [ME], disabled: ['DEV-ROOT', 'DEV-ADB-KEYS'] });
    assert.ok(!r.findings.some((f) => f.id === 'DEV-ROOT' || f.id === 'DEV-ADB-KEYS'));
  });
});

describe('device verdict and reports', () => {
  it('every device rule has its words in every language', () => {
    for (const lang of LANGS) {
      for (const id of DEVICE_RULES) {
        const cat = CATALOGUES[lang];
        assert.ok(`finding.${id}.title` in cat || `finding.${id}.title_other` in cat, `${lang} ${id} title`);
        assert.ok(`finding.${id}.explanation` in cat, `${lang} ${id} explanation`);
      }
    }
  });
  it('high with the family, limits of a device check, in every language', async () => {
    const dir = phone('report', { apps: [{ name: onlyTruthspy('packages')[1]!, installer: null, notificationListener: true, granted: ['android.permission.READ_SMS'] }] });
    // One analysis, read in every language.
    const a = await analyzeAcquisition(dir, { indicators: sources.indicators, feeds: sources.feeds, config: { ownAdbKeys: [ME] } });
    assert.equal(a.verdict.level, 'high');
    assert.deepEqual(a.verdict.families, ['TheTruthSpy']);
    for (const lang of LANGS) {
      const j = toDeviceJson(a, lang);
      assert.ok(j.verdict.summary.includes('TheTruthSpy'), j.verdict.summary);
      assert.ok(j.verdict.limits.length >= 3);
      for (const text of [j.verdict.summary, ...j.verdict.limits, ...j.findings.flatMap((f) => [f.title, f.explanation, f.canRead ?? ''])]) {
        assert.ok(!/\{[a-z]+\}|device\.|finding\./.test(text), `${lang}: unrendered text: ${text}`);
      }
      const html = renderDeviceHtml(a, lang);
      assert.ok(html.includes(CATALOGUES[lang]['device.guidance.devOff.title']!), lang);
      assert.ok(html.includes(CATALOGUES[lang]['device.can.messages']!), lang);
    }
  });
  it('without the list of apps: inconclusive, saying what was missing, in every language; a strong sign still stands', async () => {
    /** The phone's acquisition with neither packages.json nor the package section of dumpsys. */
    const appless = (name: string, spec: Partial<PhoneSpec>): string => {
      const dir = phone(name, spec);
      unlinkSync(join(dir, 'packages.json'));
      const full: PhoneSpec = { apps: [...BASE, ...(spec.apps ?? [])], adbKeys: [ME], ...spec };
      writeFileSync(join(dir, 'dumpsys.txt'), SERVICES.filter((x) => x !== 'package').map((x) => `-------------------------------------------------------------------------------\nDUMP OF SERVICE ${x}:\n${dumpsysOf(full, x)}`).join(''));
      return dir;
    };
    const dir = appless('no-apps', {});
    const a = await analyzeAcquisition(dir, { indicators: sources.indicators, feeds: sources.feeds, config: { ownAdbKeys: [ME] } });
    assert.equal(a.facts.apps.length, 0);
    assert.equal(a.verdict.level, 'inconclusive');
    assert.deepEqual(a.verdict.families, []);
    // Without the list an app's origin is unknown, so its access cannot raise the verdict; it is still shown.
    assert.ok(a.findings.some((f) => f.level === 'moderate' && f.host !== 'phone'), JSON.stringify(a.findings.map((f) => f.id)));
    for (const lang of LANGS) {
      const j = toDeviceJson(a, lang);
      assert.equal(j.verdict.summary, CATALOGUES[lang]['device.summary.inconclusive']);
      assert.ok(j.verdict.limits.includes(CATALOGUES[lang]['device.limit.noApps']!), `${lang}: ${j.verdict.limits.join(' | ')}`);
      for (const text of [j.verdict.summary, ...j.verdict.limits]) assert.ok(!/\{[a-z]+\}|device\.|finding\./.test(text), `${lang}: unrendered text: ${text}`);
      const html = renderDeviceHtml(a, lang);
      assert.ok(html.includes(CATALOGUES[lang]['device.verdict.inconclusive.meaning']!.slice(0, 40)), lang);
    }
    const rooted = await analyzeAcquisition(appless('no-apps-rooted', { rootBinaries: ['/system/xbin/su'] }), { indicators: sources.indicators, feeds: sources.feeds, config: { ownAdbKeys: [ME] } });
    assert.ok(rooted.findings.some((f) => f.id === 'DEV-ROOT'));
    assert.equal(rooted.verdict.level, 'moderate', 'a sign that stands on its own is not hidden behind "inconclusive"');
  });

  it('none on an ordinary phone, with the parts the acquisition lacked named', async () => {
    const a = await analyzeAcquisition(join(tmp, 'clean'), { indicators: sources.indicators, feeds: sources.feeds, config: { ownAdbKeys: [ME] } });
    assert.equal(a.verdict.level, 'none');
    const mvt = await analyzeAcquisition(join(INDICATORS, '..', 'android', 'androidqf-mvt'), { indicators: sources.indicators, feeds: sources.feeds });
    const limits = toDeviceJson(mvt, 'en').verdict.limits.join('\n');
    assert.match(limits, /could not be checked because the collection did not contain them: apps allowed to read notifications, device administrators, and security settings/);
  });
});

describe('STIX app indicators (MVT and Amnesty bundles)', () => {
  it('matches app:id and app:cert.sha256 patterns', async () => {
    const files = [join(INDICATORS, 'amnesty', '2024-12-16_serbia_novispy_novispy.stix2'), join(INDICATORS, 'mvt-indicators', 'wyrmspy_dragonegg.stix2')];
    const stix = await loadIndicatorFiles(files);
    const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const id = /app:id='([^']+)'/.exec(text)![1]!;
    const certFile = files.find((f) => readFileSync(f, 'utf8').includes('app:cert.sha256'));
    const dir = phone('stix', { apps: [{ name: id, installer: null }] });
    const facts = await readAcquisition(dir);
    const byId = detectDevice(facts, stix.indicators, { ownAdbKeys: [ME] });
    assert.equal(byId.findings.find((f) => f.id === 'DEV-PACKAGE')?.level, 'high');
    assert.ok(certFile, 'Amnesty’s NoviSpy bundle carries app:cert.sha256 patterns');
    const cert = /app:cert\.sha256='([0-9a-fA-F]+)'/.exec(readFileSync(certFile, 'utf8'))![1]!;
    const dir2 = phone('stix-cert', { apps: [{ name: 'com.example.plain', installer: null, certSha256: cert.toLowerCase() }] });
    const r = detectDevice(await readAcquisition(dir2), stix.indicators, { ownAdbKeys: [ME] });
    assert.equal(r.findings.find((f) => f.id === 'DEV-CERT')?.level, 'high');
  });
});
