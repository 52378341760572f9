/**
 * Apps without an icon in AndroidQF acquisitions. AndroidQF's dumpsys.txt holds a full `dumpsys
 * package`, which lists the activities that handle MAIN (an app's start screens) without their intent
 * categories, so it cannot say which of them puts an icon in the app drawer: only an app with no start
 * screen at all is known to have no icon. Where even that table is missing or cut short (the real dumps
 * in ../shared/data/android hold none whole), nothing is said of icons and the report's limits say why.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeAcquisition } from '../../src/device/analyze.js';
import { renderDeviceMessage } from '../../src/device/report/words.js';
import { parsePackageDump } from '../../src/device/parse/package-dump.js';
import { Indicators } from '../../src/indicators/matcher.js';
import { t } from '../../src/i18n/index.js';
import { writeAcquisition, type PhoneSpec } from '../helpers/android-phone.js';
import { android } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'qc-icons-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const opts = { indicators: new Indicators(), feeds: [] };

const SPEC: PhoneSpec = {
  apps: [
    { name: 'com.android.systemui', system: true },
    { name: 'com.whatsapp' },
    // A sideloaded app whose only activities are services' settings: no start screen, so no icon.
    { name: 'org.example.hidden', installer: null },
  ],
};

/** The phone as AndroidQF records it: dumpsys.txt's package section as a full dump prints it, without intent details. */
function androidqfAcquisition(name: string, edit: (packageSection: string) => string): string {
  const dir = writeAcquisition(join(tmp, name), SPEC);
  const dumpsys = readFileSync(join(dir, 'dumpsys.txt'), 'utf8');
  const full = dumpsys.replace(/(DUMP OF SERVICE package:\n)([\s\S]*?)(?=-{20,}\nDUMP OF SERVICE |$)/, (_, head: string, body: string) =>
    head +
    edit(
      body
        .split('\n')
        .filter((l) => !/^\s+(Action|Category): "/.test(l))
        .map((l) => l.replace(/ filter [0-9a-f]+$/, ''))
        .join('\n'),
    ),
  );
  writeFileSync(join(dir, 'dumpsys.txt'), full);
  return dir;
}

const withoutStartScreen = (section: string): string => section.replace(/^ +[0-9a-f]+ org\.example\.hidden\/\.MainActivity\n/m, '');

describe('apps without an icon in AndroidQF acquisitions', () => {
  test('an app with no start screen in the full dump has no icon: DEV-HIDDEN-APP fires, and the limits say what could not be told', async () => {
    const a = await analyzeAcquisition(androidqfAcquisition('full', withoutStartScreen), opts);
    assert.equal(a.facts.launchers, 'start-screens');
    const app = (n: string): boolean | null | undefined => a.facts.apps.find((x) => x.name === n)?.launcher;
    assert.deepEqual([app('org.example.hidden'), app('com.whatsapp')], [false, null], 'no start screen: no icon; a start screen: unknown, not "has an icon"');
    const hidden = a.findings.filter((f) => f.id === 'DEV-HIDDEN-APP');
    assert.deepEqual(hidden.map((f) => [f.host, f.level]), [['org.example.hidden', 'moderate']]);
    const limits = a.verdict.limits.map((m) => renderDeviceMessage('en', m));
    assert.ok(limits.includes(t('en', 'combine.limit.icons.startScreens')), limits.join('\n'));
  });

  test('a dump cut short inside the table says nothing of icons, rather than "no icon" for every app after the cut', async () => {
    const cut = androidqfAcquisition('cut', (s) => s.slice(0, s.indexOf('org.example.hidden/.MainActivity')));
    const a = await analyzeAcquisition(cut, opts);
    assert.equal(a.facts.launchers, null);
    assert.ok(a.facts.apps.every((x) => x.launcher === null));
    assert.equal(a.findings.filter((f) => f.id === 'DEV-HIDDEN-APP').length, 0);
    assert.ok(a.verdict.limits.some((m) => m.key === 'combine.limit.icons.none'));
  });

  test('the real dumps: no whole table of start screens, so no icon is claimed either way and the limit says so', async () => {
    // A real full `dumpsys package` (MVT's test data, trimmed): its Activity Resolver Table has no MAIN entry.
    const real = parsePackageDump(readFileSync(android('dumpsys-mvt', 'dumpsys_packages.txt'), 'latin1'));
    assert.equal(real.launchers, null);
    assert.equal(real.startScreens, null);
    const a = await analyzeAcquisition(android('androidqf-mvt'), opts);
    assert.equal(a.facts.launchers, null);
    assert.ok(a.facts.apps.length > 0 && a.facts.apps.every((x) => x.launcher === null));
    assert.ok(a.verdict.limits.some((m) => m.key === 'combine.limit.icons.none'));
  });

  test('our own collection (launcher_activities.txt) and a dump with categories say which apps show an icon: no icon limit', async () => {
    const dir = writeAcquisition(join(tmp, 'own'), { apps: [{ name: 'com.whatsapp' }, { name: 'org.example.hidden', installer: null, launcher: false }] });
    const a = await analyzeAcquisition(dir, opts);
    assert.equal(a.facts.launchers, 'icons');
    assert.equal(a.facts.apps.find((x) => x.name === 'com.whatsapp')?.launcher, true);
    assert.ok(!a.verdict.limits.some((m) => m.key.startsWith('combine.limit.icons')));
  });
});
