import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeAcquisition } from '../../src/device/analyze.js';
import { Indicators } from '../../src/indicators/matcher.js';
import { worseLevel } from '../../src/device/report/combined.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { writeAcquisition } from '../helpers/android-phone.js';
import { pcap } from '../helpers/paths.js';
import { api, login, removeDir, startTestServer, tempDir, type TestServer } from '../server/helpers.js';

/**
 * Device check records without a phone, through the server: they are rows of the checks store like
 * traffic checks, so restarts, retention, the admin's history, its report link and every kind of
 * deletion treat them alike, and a deletion leaves neither files nor the phone's serial behind.
 */

const dir = tempDir('qc-devchecks-');
const dataDir = join(dir, 'data');
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const SERIAL_A = 'SERIAL-CUT-4411';
const SERIAL_C = 'SERIAL-LEGACY-7733';
let server: TestServer;

function dbBytes(): Buffer {
  return Buffer.concat(readdirSync(dataDir).filter((n) => n.startsWith('quietcheck.sqlite')).map((n) => readFileSync(join(dataDir, n))));
}

before(async () => {
  mkdirSync(dataDir, { recursive: true });
  const store = SqliteStore.inDir(dataDir);
  // A check that was collecting when quietcheck stopped, and one older than the retention period.
  store.createCheck({ id: A, source: 'device', iface: null, device: SERIAL_A, filter: null, durationSeconds: null, lang: 'en', createdAt: '2026-12-01T10:00:00.000Z' });
  store.transitionCheck(A, ['created'], 'capturing');
  store.createCheck({ id: B, source: 'device', iface: null, device: 'OLD', filter: null, durationSeconds: null, lang: 'en', createdAt: '2026-10-01T10:00:00.000Z' });
  store.transitionCheck(B, ['created'], 'done', { level: 'none' });
  mkdirSync(join(dataDir, 'checks', B, 'acquisition'), { recursive: true });
  writeFileSync(join(dataDir, 'checks', B, 'acquisition', 'getprop.txt'), 'x');
  store.close();
  // A finished check kept by an earlier version as a folder of its own, with its record and analysis.
  const legacy = join(dataDir, 'device-checks', C);
  const acq = writeAcquisition(join(legacy, 'acquisition'), { apps: [{ name: 'com.thetruth', installer: null, accessibility: true }] });
  const a = await analyzeAcquisition(acq, { indicators: new Indicators(), feeds: [], config: { ownAdbKeys: [], disabled: [] } });
  // Earlier versions also wrote the check's language into the analysis: it is read all the same.
  writeFileSync(join(legacy, 'analysis.json'), JSON.stringify({ ...a, lang: 'en' }));
  writeFileSync(
    join(legacy, 'check.json'),
    JSON.stringify({ id: C, kind: 'device', state: 'done', serial: SERIAL_C, lang: 'en', createdAt: '2026-12-05T10:00:00.000Z', finishedAt: '2026-12-05T10:01:00.000Z', progress: null, level: a.verdict.level, families: a.verdict.families, partial: false, error: null }),
  );
  mkdirSync(join(dataDir, 'device-checks', '..%2f'), { recursive: true });
  server = await startTestServer({ dataDir, retentionDays: 30, now: () => new Date('2026-12-06T10:00:00.000Z') });
});
after(async () => {
  await server?.close();
  removeDir(dir);
});

describe('device checks in the checks store', () => {
  it('a check cut off by a restart is failed; retention deleted the old one with its folder; an earlier layout is moved in', async () => {
    const list = (await api(server.port, '/api/device/checks')).json() as { id: string; state: string; error: string | null; serial: string; level: string | null }[];
    assert.deepEqual(list.map((c) => c.id), [C, A]);
    assert.equal(list[1]!.state, 'failed');
    assert.match(list[1]!.error!, /restart/);
    assert.equal(list[0]!.state, 'done');
    assert.equal(list[0]!.serial, SERIAL_C);
    assert.ok(!existsSync(join(dataDir, 'checks', B)), 'the old check is shredded');
    assert.ok(existsSync(join(dataDir, 'checks', C, 'acquisition', 'packages.json')));
    for (let i = 0; i < 50 && existsSync(join(dataDir, 'device-checks')); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!existsSync(join(dataDir, 'device-checks')), 'nothing is left in the earlier layout');
    const html = await api(server.port, `/api/device/checks/${C}/report?format=json`);
    assert.equal(html.status, 200, html.text);
    assert.equal(html.json().meta.kind, 'device');
  });

  it("the admin's history lists them with their result, and opens their report", async () => {
    const s = await login(server.port);
    const rows = (await api(server.port, '/api/admin/checks', { headers: { cookie: s.cookie } })).json() as { id: string; source: string; device: string; result: { level: string } | null; state: string }[];
    const c = rows.find((r) => r.id === C)!;
    assert.equal(c.source, 'device');
    assert.equal(c.device, SERIAL_C);
    assert.ok(c.result !== null && c.result.level !== 'none', JSON.stringify(c));
    assert.equal(rows.find((r) => r.id === A)!.state, 'failed');
    assert.equal((await api(server.port, `/api/admin/device-checks/${C}/report`)).status, 401, 'the admin route needs the session');
    const r = await api(server.port, `/api/admin/device-checks/${C}/report`, { headers: { cookie: s.cookie } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/html/);
    // The traffic report of a device check is not something to render.
    assert.notEqual((await api(server.port, `/api/checks/${C}/report`)).status, 200);
  });

  it('a traffic check and a device check of the same phone give one report: the worse verdict, both findings, both limits', async () => {
    assert.deepEqual([worseLevel('low', 'inconclusive'), worseLevel('none', 'low'), worseLevel('inconclusive', 'moderate'), worseLevel('high', 'moderate')], ['inconclusive', 'low', 'moderate', 'high']);
    const up = await api(server.port, '/api/uploads?lang=fr', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('dns-tcp-multirequest.pcap')) });
    assert.equal(up.status, 201, up.text);
    const T = up.json().id as string;
    for (let i = 0; i < 200 && (await api(server.port, `/api/checks/${T}`)).json().state !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
    const traffic = (await api(server.port, `/api/checks/${T}/report?format=json&lang=fr`)).json();
    const device = (await api(server.port, `/api/device/checks/${C}/report?format=json&lang=fr`)).json();
    const r = await api(server.port, '/api/checks/combine', { method: 'POST', body: { traffic: T, device: C, lang: 'fr' } });
    assert.equal(r.status, 200, r.text);
    const j = r.json();
    assert.equal(j.meta.kind, 'combined');
    assert.equal(j.verdict.level, worseLevel(traffic.verdict.level, device.verdict.level));
    // A few seconds of traffic say too little; the device half decides here.
    assert.deepEqual([traffic.verdict.level, j.verdict.level], ['inconclusive', device.verdict.level]);
    assert.deepEqual(j.verdict.families, [...new Set([...device.verdict.families, ...traffic.verdict.families])]);
    assert.ok(j.verdict.summary.includes(traffic.verdict.summary) && j.verdict.summary.includes(device.verdict.summary));
    assert.match(j.verdict.summary, /Ses applications et réglages/);
    for (const l of [...traffic.verdict.limits, ...device.verdict.limits]) assert.ok(j.verdict.limits.includes(l), l);
    assert.equal(j.findings.length, traffic.findings.length + device.findings.length);
    assert.deepEqual(new Set(j.findings.map((f: { check: string }) => f.check)), new Set([...(traffic.findings.length ? ['traffic'] : []), 'device']));
    assert.deepEqual([j.checks.traffic.level, j.checks.device.level], [traffic.verdict.level, device.verdict.level]);
    // The same report as HTML, from POST and from the addresses a kiosk link and the console open.
    const html = await api(server.port, '/api/checks/combine', { method: 'POST', body: { traffic: T, device: C, lang: 'de', format: 'html' } });
    assert.equal(html.status, 200, html.text);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.text, /<html lang="de">/);
    assert.match(html.text, /Prüfbericht zum Telefon: Datenverkehr, Apps und Einstellungen/);
    const link = await api(server.port, `/api/checks/combine/${T}/${C}/report?lang=fr`);
    assert.equal(link.status, 200, link.text);
    assert.ok(link.text.includes(j.verdict.summary.replace(/'/g, '&#39;')), 'the HTML carries the JSON verdict');
    assert.equal((await api(server.port, `/api/admin/checks/combine/${T}/${C}/report`)).status, 401, 'the console copy needs an admin session');
    const s = await login(server.port);
    const admin = await api(server.port, `/api/admin/checks/combine/${T}/${C}/report?format=json`, { headers: { cookie: s.cookie } });
    assert.equal(admin.status, 200, admin.text);
    assert.equal(admin.json().verdict.level, j.verdict.level);
    // The wrong way round, or a check that does not exist, is a clear refusal.
    assert.equal((await api(server.port, '/api/checks/combine', { method: 'POST', body: { traffic: C, device: T } })).status, 404);
    assert.equal((await api(server.port, '/api/checks/combine', { method: 'POST', body: { traffic: T, device: A } })).status, 409, 'a failed device check has no report');
    assert.equal((await api(server.port, '/api/checks/combine', { method: 'POST', body: { traffic: '../x', device: C } })).status, 400);
    assert.equal((await api(server.port, `/api/checks/${T}`, { method: 'DELETE' })).status, 204);
  });

  it('deleted like a traffic check: folder shredded, row gone, serial gone from the database; delete-all covers them', async () => {
    assert.ok(dbBytes().includes(SERIAL_C));
    assert.equal((await api(server.port, `/api/checks/${C}`, { method: 'DELETE' })).status, 204);
    assert.ok(!existsSync(join(dataDir, 'checks', C)));
    assert.equal((await api(server.port, `/api/device/checks/${C}`)).status, 404);
    assert.ok(!dbBytes().includes(SERIAL_C), 'secure_delete and the WAL flush leave no copy of the serial');
    const s = await login(server.port);
    const r = await api(server.port, '/api/admin/delete-all', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: { confirm: 'delete all data' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().deleted, 1);
    assert.deepEqual((await api(server.port, '/api/device/checks')).json(), []);
    assert.ok(!dbBytes().includes(SERIAL_A));
    assert.deepEqual(readdirSync(join(dataDir, 'checks')).filter((n) => !n.startsWith('.')), []);
  });
});
