import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readAcquisition } from '../../src/device/acquisition/read.js';
import { AcquisitionError } from '../../src/device/acquisition/source.js';
import { buildZip } from '../helpers/zip-build.js';
import { android } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'qc-acq-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const QF = android('androidqf-mvt');
const qfFile = (name: string): Buffer => readFileSync(join(QF, name));
/** The real acquisition's files, as AndroidQF zips them: under one folder named after the acquisition. */
function qfEntries(prefix = 'e5c7b4f2/'): { name: string; data: Buffer }[] {
  return readdirSync(QF)
    .filter((n) => n !== 'settings_random.txt')
    .map((n) => ({ name: prefix + n, data: qfFile(n) }));
}
function write(name: string, data: Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, data);
  return p;
}

describe('AndroidQF acquisition folder', () => {
  it('reads MVT’s real acquisition into device facts', async () => {
    const f = await readAcquisition(QF);
    assert.equal(f.source.kind, 'folder');
    assert.equal(f.source.partial, false);
    assert.deepEqual(f.source.files, ['dumpsys.txt', 'files.json', 'getprop.txt', 'packages.json', 'ps.txt', 'root_binaries.json']);
    assert.equal(f.apps.length, 7);
    const by = new Map(f.apps.map((a) => [a.name, a]));
    assert.equal(by.get('com.whatsapp')!.source, 'none');
    assert.equal(by.get('app.revanced.manager.flutter')!.source, 'package-installer');
    assert.equal(by.get('org.nuclearfog.apollo')!.source, 'store');
    assert.equal(by.get('com.google.android.youtube')!.source, 'package-installer');
    assert.equal(by.get('com.malware.blah')!.source, 'preinstalled');
    assert.equal(by.get('com.whatsapp')!.certificates[0]!.sha1, '38a0f7d505fe18fec64fbf343ecaaaf310dbd799');
    assert.deepEqual(f.accessibility!.enabled, []);
    assert.equal(f.accessibility!.installed.length, 4);
    assert.equal(f.adb!.keys.length, 1);
    assert.deepEqual(f.root!.binaries, ['/system/bin/su', '/system/xbin/busybox', '/data/local/tmp/magisk', '/system/bin/magiskhide']);
    assert.ok(f.processes!.includes('init'));
    assert.equal(f.device.manufacturer, null, 'this getprop.txt holds only dalvik properties');
    // Files the acquisition did not hold stay unknown, not "none".
    assert.equal(f.notificationListeners, null);
    assert.equal(f.deviceAdmins, null);
    assert.equal(f.developerOptions, null);
  });
  it('reports a file that does not parse and keeps the rest', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    writeFileSync(join(dir, 'packages.json'), '[{"name": "x"');
    writeFileSync(join(dir, 'dumpsys.txt'), qfFile('dumpsys.txt'));
    const f = await readAcquisition(dir);
    assert.equal(f.source.partial, true);
    assert.match(f.source.problems[0]!.message, /packages\.json: not valid JSON/);
    assert.ok(f.apps.length > 0, 'apps still come from dumpsys package');
  });
});

describe('AndroidQF zip', () => {
  it('reads MVT’s real zip (files under one folder)', async () => {
    const f = await readAcquisition(android('androidqf-mvt.zip'));
    assert.equal(f.source.kind, 'zip');
    assert.deepEqual(f.source.files, ['getprop.txt']);
    assert.equal(f.source.partial, false);
  });
  it('reads a whole acquisition zipped, stored or deflated', async () => {
    const p = write('whole.zip', buildZip(qfEntries().map((e, i) => ({ ...e, store: i % 2 === 0 }))));
    const f = await readAcquisition(p);
    assert.equal(f.apps.length, 7);
    assert.equal(f.source.partial, false);
  });
  it('refuses names that climb out of the archive and reads the rest', async () => {
    const p = write('slip.zip', buildZip([...qfEntries(), { name: '../../etc/packages.json', data: Buffer.from('[]') }, { name: '/abs/ps.txt', data: Buffer.from('x') }]));
    const f = await readAcquisition(p);
    assert.equal(f.apps.length, 7);
    assert.deepEqual(
      f.source.problems.map((x) => x.file),
      ['../../etc/packages.json', '/abs/ps.txt'],
    );
    assert.equal(f.source.partial, true);
  });
  it('stops a zip bomb at its declared size and by its ratio, never unpacking it', async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const ratio = write('bomb1.zip', buildZip([{ name: 'a/dumpsys.txt', data: zeros }, { name: 'a/packages.json', data: qfFile('packages.json') }]));
    const f1 = await readAcquisition(ratio);
    assert.match(f1.source.problems[0]!.message, /zip bomb/);
    assert.equal(f1.apps.length, 7);
    const lying = write('bomb2.zip', buildZip([{ name: 'a/dumpsys.txt', data: zeros.subarray(0, 2 * 1024 * 1024), declaredSize: 1000 }]));
    const f2 = await readAcquisition(lying);
    assert.match(f2.source.problems[0]!.message, /zip bomb/);
  });
  it('reads a zip cut short up to the cut and marks the result partial', async () => {
    const whole = buildZip(qfEntries());
    const cut = write('cut.zip', whole.subarray(0, Math.floor(whole.length * 0.85)));
    const f = await readAcquisition(cut);
    assert.equal(f.source.partial, true);
    assert.match(f.source.damage!, /cut short/);
    assert.ok(f.source.files.length >= 1 && f.source.files.length < 6, `read ${f.source.files.join(',')}`);
  });
  it('says clearly when a file is not a zip, or nothing in it can be read', async () => {
    await assert.rejects(readAcquisition(write('not.zip', Buffer.from('hello world, not a zip'))), (e: Error) => e instanceof AcquisitionError && /neither an acquisition folder nor/.test(e.message));
    await assert.rejects(readAcquisition(write('stub.zip', Buffer.from('PK\u0003\u0004'))), (e: Error) => e instanceof AcquisitionError && /no file in it could be read/.test(e.message));
  });
  it('reports a damaged entry (bad checksum) and keeps the others', async () => {
    const z = buildZip([{ name: 'a/getprop.txt', data: qfFile('getprop.txt'), store: true }, { name: 'a/ps.txt', data: qfFile('ps.txt') }]);
    z[30 + 'a/getprop.txt'.length + 5] ^= 0xff;
    const f = await readAcquisition(write('crc.zip', z));
    assert.deepEqual(f.source.files, ['ps.txt']);
    assert.match(f.source.problems[0]!.message, /checksum/);
  });
});

describe('age-encrypted acquisition', () => {
  const key = join(tmp, 'key.txt');
  execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
  const recipient = /public key: (\S+)/.exec(readFileSync(key, 'utf8'))![1]!;
  const zipPath = write('enc.zip', buildZip(qfEntries()));
  const agePath = join(tmp, 'enc.zip.age');
  execFileSync('age', ['-r', recipient, '-o', agePath, zipPath]);

  it('decrypts with the key file, in memory', async () => {
    const f = await readAcquisition(agePath, { keyFile: key });
    assert.equal(f.source.kind, 'zip-age');
    assert.equal(f.apps.length, 7);
  });
  it('asks for the key, and says when the key is wrong', async () => {
    await assert.rejects(readAcquisition(agePath), /encrypted with age: give the key file/);
    const other = join(tmp, 'other.txt');
    execFileSync('age-keygen', ['-o', other], { stdio: 'ignore' });
    await assert.rejects(readAcquisition(agePath, { keyFile: other }), /could not be decrypted with this key/);
  });
});

describe('large and binary dumps', () => {
  // 11 000 packages in 50 MB, far beyond a real phone; the bench holds the 2 s figure for 500 apps. The
  // bound here only catches a pathological slow-down on a machine shared with other tests.
  it('reads a 50 MB dumpsys with binary bytes, all its packages', async () => {
    const dir = mkdtempSync(join(tmp, 'big-'));
    const real = qfFile('dumpsys.txt');
    const pkgSection = readFileSync(android('dumpsys-mvt', 'dumpsys_packages.txt'), 'utf8');
    const packageBlock = pkgSection.slice(pkgSection.indexOf('  Package [com.sec.android.app.DataCreate]'), pkgSection.indexOf('Receiver Resolver'));
    const parts: string[] = ['DUMP OF SERVICE package:\nPackages:\n'];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const block = packageBlock.replace('com.sec.android.app.DataCreate', `com.example.app${i}`);
      parts.push(block);
      size += block.length;
    }
    writeFileSync(join(dir, 'dumpsys.txt'), Buffer.concat([real, Buffer.from(parts.join(''))]));
    const t0 = performance.now();
    const f = await readAcquisition(dir);
    const ms = performance.now() - t0;
    assert.ok(f.apps.length > 10_000);
    assert.equal(f.adb!.keys.length, 1);
    assert.ok(ms < 10_000, `${ms} ms`);
  });
});
