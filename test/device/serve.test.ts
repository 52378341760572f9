import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobReader, ZipReader } from '@zip.js/zip.js';
import { AdbClient } from '../../src/device/adb/client.js';
import { listDevices } from '../../src/device/adb/devices.js';
import { EmulatedPhone } from '../helpers/adb-device.js';
import { fakeAdbKey } from '../helpers/android-phone.js';
import { INDICATORS } from '../helpers/paths.js';
import { api, importIndicators, readEvents, startTestServer, tempDir, type TestServer } from '../server/helpers.js';

/**
 * The device check through `quietcheck serve`'s API, end to end: an emulated phone reached by Debian's
 * real adb server (its own port and key, set before the server starts, as an operator would), the
 * collection, analysis with the stored indicator lists, the report, export and deletion.
 */

const home = tempDir('qc-serve-adb-');
const adbPort = 20000 + Math.floor(Math.random() * 20000);
process.env.HOME = home;
process.env.ANDROID_SDK_HOME = home;
process.env.ANDROID_ADB_SERVER_PORT = String(adbPort);
const client = new AdbClient();
let server: TestServer;
const phones: EmulatedPhone[] = [];

before(async () => {
  const dataDir = join(home, 'data');
  mkdirSync(dataDir);
  await importIndicators(dataDir, [join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml')]);
  server = await startTestServer({ dataDir });
});
after(async () => {
  await server?.close();
  await client.killServer();
  for (const p of phones) await p.close();
  rmSync(home, { recursive: true, force: true });
});

async function phone(opts: ConstructorParameters<typeof EmulatedPhone>[0]): Promise<EmulatedPhone> {
  const p = new EmulatedPhone(opts);
  await p.listen();
  phones.push(p);
  await client.connect(p.serial);
  return p;
}

async function state(serial: string, want: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await listDevices(client)).find((d) => d.serial === serial)?.state === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${serial} never became ${want}`);
}

describe('device checks through the serve API', () => {
  it('no phone: a clear refusal', async () => {
    const r = await api(server.port, '/api/device/checks', { method: 'POST', body: {} });
    assert.equal(r.status, 409);
    assert.equal(r.json().error, 'no-phone');
  });

  it('an unauthorized phone is listed with what to do, and a check is refused until the prompt is accepted', async () => {
    const p = await phone({ spec: { apps: [] }, autoAccept: false });
    await state(p.serial, 'unauthorized');
    const list = (await api(server.port, '/api/device/phones?lang=fr')).json();
    assert.deepEqual(list.map((x: { state: string }) => x.state), ['unauthorized']);
    assert.match(list[0].advice, /acceptez la demande/);
    const r = await api(server.port, '/api/device/checks', { method: 'POST', body: { serial: p.serial } });
    assert.equal(r.status, 409);
    assert.equal(r.json().error, 'unauthorized');
    await p.close();
    await client.run(['disconnect', p.serial]);
  });

  it('start, follow, report in two languages, export, delete', async () => {
    const p = await phone({
      spec: { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.thetruth', installer: null, accessibility: true }], adbKeys: [fakeAdbKey('him@laptop')] },
      autoAccept: true,
    });
    await state(p.serial, 'device');
    const start = await api(server.port, '/api/device/checks', { method: 'POST', body: { serial: p.serial, lang: 'en' } });
    assert.equal(start.status, 202, start.text);
    const id = start.json().id as string;
    const events = await readEvents(server.port, `/api/device/checks/${id}/events`);
    const states = events.map((e) => e.data?.state);
    assert.equal(states[states.length - 1], 'done', JSON.stringify(events.slice(-2)));
    assert.ok(events.some((e) => e.data?.progress?.step === 'services'), 'progress steps are streamed');
    const check = (await api(server.port, `/api/device/checks/${id}`)).json();
    assert.equal(check.level, 'high');
    assert.deepEqual(check.families, ['TheTruthSpy']);

    const json = (await api(server.port, `/api/device/checks/${id}/report?format=json`)).json();
    assert.equal(json.meta.kind, 'device');
    assert.ok(json.findings.some((f: { id: string }) => f.id === 'DEV-PACKAGE'));
    assert.ok(json.findings.some((f: { id: string }) => f.id === 'DEV-ADB-KEYS'), 'the other computer, not this one');
    const html = await api(server.port, `/api/device/checks/${id}/report?lang=es`);
    assert.equal(html.status, 200);
    assert.match(html.text, /Después de la revisión, vuelva a desactivar la depuración USB/);

    const exp = await api(server.port, `/api/device/checks/${id}/export`, { method: 'POST', body: { passphrase: 'a long passphrase' } });
    assert.equal(exp.status, 200, exp.text);
    const entries = await new ZipReader(new BlobReader(new Blob([exp.body]))).getEntries();
    const names = entries.map((e) => e.filename).sort();
    assert.ok(names.includes('acquisition/packages.json') && names.includes('report.html'), names.join(','));
    assert.ok(entries.every((e) => e.encrypted));

    const dir = join(server.dataDir, 'checks', id);
    assert.ok(existsSync(join(dir, 'acquisition', 'packages.json')));
    assert.equal((await api(server.port, `/api/device/checks/${id}`, { method: 'DELETE' })).status, 204);
    assert.ok(!existsSync(dir));
    assert.equal((await api(server.port, `/api/device/checks/${id}`)).status, 404);
    assert.deepEqual(readdirSync(join(server.dataDir, 'checks')), []);
    assert.ok(!existsSync(join(server.dataDir, 'device-checks')));
  });
});
