import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readAcquisition } from '../../src/device/acquisition/read.js';
import { AdbClient, isReadOnly } from '../../src/device/adb/client.js';
import { CollectionError, collectDevice } from '../../src/device/adb/collect.js';
import { listDevices } from '../../src/device/adb/devices.js';
import { EmulatedPhone } from '../helpers/adb-device.js';
import { apkPath, fakeAdbKey, type PhoneSpec } from '../helpers/android-phone.js';
import { makeSignedApks, type SignedApk } from '../helpers/apks.js';
import { INDICATORS, ROOT } from '../helpers/paths.js';

/**
 * End to end with Debian's real adb client and server against an emulated phone (no phone on these
 * machines): its own adb server port and its own HOME (so its own adb key), nothing shared with
 * another test or a developer's adb.
 */

const tmp = mkdtempSync(join(tmpdir(), 'qc-adb-'));
const home = join(tmp, 'home');
mkdirSync(home);
const serverPort = 20000 + Math.floor(Math.random() * 20000);
const env = { ...process.env, HOME: home, ANDROID_SDK_HOME: home, ADB_MDNS: '0' };
const client = new AdbClient({ serverPort, env });
const phones: EmulatedPhone[] = [];
let apks: SignedApk[] = [];

before(() => {
  apks = makeSignedApks(join(tmp, 'apks'));
});
after(async () => {
  await client.killServer();
  for (const p of phones) await p.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function start(opts: Partial<ConstructorParameters<typeof EmulatedPhone>[0]> & { spec: PhoneSpec }): Promise<EmulatedPhone> {
  const p = new EmulatedPhone({ autoAccept: true, ...opts });
  await p.listen();
  phones.push(p);
  await client.connect(p.serial);
  return p;
}

/** The CLI in a child process, awaited without blocking: the emulated phone lives in this process. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function waitState(serial: string, state: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    last = (await listDevices(client)).find((d) => d.serial === serial)?.state ?? 'absent';
    if (last === state) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

/** A phone with 150 apps someone installed (their APKs signed v1, v2 or v3) and 50 preinstalled. */
function bigPhone(): { spec: PhoneSpec; files: Map<string, string> } {
  const spec: PhoneSpec = {
    apps: [
      ...Array.from({ length: 150 }, (_, i) => ({ name: `com.user.app${i}`, installer: i % 10 === 0 ? null : 'com.android.vending', launcher: i % 25 !== 0, granted: i % 3 === 0 ? ['android.permission.CAMERA'] : [] })),
      ...Array.from({ length: 50 }, (_, i) => ({ name: `com.android.sys${i}`, system: true })),
      { name: 'com.android.systemui', system: true },
    ],
    adbKeys: [fakeAdbKey('someone@else')],
  };
  const files = new Map<string, string>();
  spec.apps.forEach((a, i) => {
    if (!a.system) files.set(apkPath(a), apks[i % 3]!.path);
  });
  return { spec, files };
}

describe('emulated phone through the real adb', () => {
  it('lists states: unauthorized until the prompt is accepted, then ready; offline when it never answers', async () => {
    const waiting = await start({ spec: { apps: [] }, autoAccept: false });
    assert.equal(await waitState(waiting.serial, 'unauthorized'), 'unauthorized');
    const r = await cli('device', 'list', '--adb-port', String(serverPort), '--lang', 'en');
    assert.match(r.stdout, new RegExp(`${waiting.serial}\\s.*unauthorized\\s+waiting: unlock the phone and accept the prompt on it`));
    const c = await cli('device', 'collect', '--serial', waiting.serial, '--adb-port', String(serverPort), '--lang', 'en', '-o', join(tmp, 'never'));
    assert.equal(c.status, 2);
    assert.match(c.stderr, /has not allowed this computer yet: unlock it and tap “Allow”/);
    waiting.acceptPrompt();
    assert.equal(await waitState(waiting.serial, 'device'), 'device');

    const silent = await start({ spec: { apps: [] }, offline: true });
    assert.equal(await waitState(silent.serial, 'offline'), 'offline');
  });

  it('collects a 150-app phone with read-only commands; certificates match apksigner, hashes match the files', async () => {
    const { spec, files } = bigPhone();
    const phone = await start({ spec, files, latencyMs: 2 });
    assert.equal(await waitState(phone.serial, 'device'), 'device');
    const out = join(tmp, 'acq');
    const r = await collectDevice({ client, serial: phone.serial, outDir: out });
    console.log(`# collection of an emulated phone with ${r.thirdParty} apps installed by someone (${r.apps} in all): ${r.seconds.toFixed(1)} s, ${phone.commands.length} adb commands`);
    assert.equal(r.thirdParty, 150);
    assert.equal(r.partial, false);
    assert.ok(r.seconds < 60, `${r.seconds} s`);
    for (const c of phone.commands) assert.ok(isReadOnly(c), `not read-only: ${c}`);
    assert.ok(!phone.commands.some((c) => /\b(install|uninstall|push|clear|put|rm|am )\b/.test(c)));

    const pkgs = JSON.parse(readFileSync(join(out, 'packages.json'), 'utf8')) as { name: string; files: { sha256: string; certificate: { Sha1: string; Sha256: string; Subject: string } | null }[] }[];
    for (let i = 0; i < 150; i++) {
      const p = pkgs.find((x) => x.name === `com.user.app${i}`)!;
      const apk = apks[i % 3]!;
      assert.equal(p.files[0]!.certificate?.Sha256, apk.certSha256, `${apk.scheme} certificate of app${i}`);
      assert.equal(p.files[0]!.certificate?.Sha1, apk.certSha1);
      assert.equal(p.files[0]!.sha256, createHash('sha256').update(readFileSync(apk.path)).digest('hex'));
    }
    // Only the acquisition's files, each complete (written under a temporary name, then renamed).
    assert.deepEqual(readdirSync(out).sort(), [
      'acquisition.json', 'dumpsys.txt', 'getprop.txt', 'launcher_activities.txt', 'packages.json', 'root_binaries.json', 'settings_global.txt', 'settings_secure.txt', 'settings_system.txt',
    ]);
    assert.deepEqual(readdirSync(tmp).sort(), ['acq', 'apks', 'home'], 'nothing written beside the folder');
    const facts = await readAcquisition(out);
    assert.equal(facts.source.partial, false);
    assert.equal(facts.apps.filter((a) => a.thirdParty).length, 150);
    assert.equal(facts.apps.find((a) => a.name === 'com.user.app0')!.source, 'none');
    assert.equal(facts.apps.find((a) => a.name === 'com.user.app25')!.launcher, false);
    assert.equal(facts.adb!.keys.length, 2, 'the other computer and this one');
  });

  it('a phone unplugged half-way: a clear error, what was read kept and marked partial', async () => {
    const { spec, files } = bigPhone();
    const phone = await start({ spec, files, unplugAfter: 20 });
    assert.equal(await waitState(phone.serial, 'device'), 'device');
    const out = join(tmp, 'cut');
    await assert.rejects(collectDevice({ client, serial: phone.serial, outDir: out }), (e: Error) => {
      assert.ok(e instanceof CollectionError);
      assert.equal(e.result.partial, true);
      return /stopped answering/.test(e.message);
    });
    const info = JSON.parse(readFileSync(join(out, 'acquisition.json'), 'utf8')) as { partial: boolean };
    assert.equal(info.partial, true);
    const facts = await readAcquisition(out);
    assert.equal(facts.source.partial, true);
    assert.match(facts.source.problems.map((p) => p.message).join(' '), /interrupted/);
    // The list of apps was written before the cable went: where each app came from is kept.
    assert.equal(facts.apps.filter((a) => a.thirdParty).length, 150);
    assert.equal(facts.apps.find((a) => a.name === 'com.user.app0')!.source, 'none');
  });

  it('device check with the phone unplugged half-way still reports, marked incomplete, and exits 2', async () => {
    const { spec, files } = bigPhone();
    const phone = await start({ spec, files, unplugAfter: 30 });
    assert.equal(await waitState(phone.serial, 'device'), 'device');
    const report = join(tmp, 'cut.json');
    const keep = join(tmp, 'cut-check');
    const r = await cli('device', 'check', '--serial', phone.serial, '--adb-port', String(serverPort), '--lang', 'en', '--format', 'json', '-o', report, '--keep', keep, '--indicators', join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml'));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /The phone was disconnected before the end/);
    const j = JSON.parse(readFileSync(report, 'utf8')) as { verdict: { limits: string[] } };
    assert.match(j.verdict.limits.join('\n'), /The collection is incomplete/);
  });

  it('device check end to end: collect, analyse, report, with this computer’s key left out', async () => {
    const phone = await start({ spec: { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.user.notes' }], adbKeys: [fakeAdbKey('him@laptop')] } });
    assert.equal(await waitState(phone.serial, 'device'), 'device');
    const r = await cli('device', 'check', '--serial', phone.serial, '--adb-port', String(serverPort), '--lang', 'en', '--format', 'json', '--indicators', join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml'));
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { verdict: { level: string }; meta: { kind: string }; findings: { id: string; params: { count?: number }; evidence: { text: string }[] }[]; facts: { adb: { keys: unknown[] } } };
    assert.equal(j.meta.kind, 'device');
    // The phone trusts two computers: this one (left out) and one other.
    assert.equal(j.facts.adb.keys.length, 2);
    assert.deepEqual(j.findings.map((f) => f.id), ['DEV-ADB-KEYS']);
    assert.equal(j.findings[0]!.params.count, 1);
    assert.match(j.findings[0]!.evidence[0]!.text, /him@laptop/);
    assert.equal(j.verdict.level, 'low');
    assert.match(r.stderr, /Reading app signatures|Listing installed apps/);
    assert.match(r.stderr, /Nothing on the phone was changed/);
  });
});
