/**
 * The admin's settings against a real server and real captures: detection settings (detection.yaml,
 * written from the API and honoured by the next analysis, in the worker and for checks finished after a
 * crash), the kiosk's general settings, and the status page.
 */
import { RULES } from '../../src/detect/registry.js';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import { CATALOGUES } from '../../src/i18n/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { INDICATORS, pcap } from '../helpers/paths.js';
import { api, asAdmin, importIndicators, login, removeDir, startTestServer, tempDir, waitFor, type AdminSession, type TestServer } from './helpers.js';

const PCAP_TYPE = { 'content-type': 'application/vnd.tcpdump.pcap' };
const IOC_YAML = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');
/** A Let's Encrypt certificate: SSL-02 by default. */
const HEISE = pcap('tls12-letsencrypt-heise.pcap');
/** Plain HTTP, mostly downloads: no BEH-UPLOAD with the default thresholds. */
const WIKIPEDIA = pcap('http-wikipedia.pcap');

async function uploadIds(port: number, file: string): Promise<{ id: string; ids: string[] }> {
  const r = await api(port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: readFileSync(file) });
  assert.equal(r.status, 201, r.text);
  const c = r.json();
  assert.equal(c.state, 'done', 'a check is analysed whatever the detection settings');
  const rep = await api(port, `/api/checks/${c.id}/report?format=json`);
  assert.equal(rep.status, 200, rep.text);
  return { id: c.id, ids: rep.json<{ findings: { id: string }[] }>().findings.map((f) => f.id) };
}

function detectionFile(dir: string): string {
  return join(dir, 'detection.yaml');
}

describe('quietcheck serve: detection settings', () => {
  let srv: TestServer;
  let dir: string;
  let s: AdminSession;
  const logs: string[] = [];

  before(async () => {
    dir = tempDir();
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100, log: (m) => logs.push(m) });
    s = await login(srv.port);
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  const put = (body: unknown, session = s) =>
    api(srv.port, '/api/admin/detection', { method: 'PUT', headers: asAdmin(session, { 'content-type': 'application/json' }), body: JSON.stringify(body) });

  test('GET shows the defaults in force, no overrides, and every rule id the detectors report', async () => {
    const r = await api(srv.port, '/api/admin/detection', { headers: asAdmin(s) });
    assert.equal(r.status, 200, r.text);
    const v = r.json();
    assert.deepEqual(v.defaults, JSON.parse(JSON.stringify(DEFAULT_DETECTION_CONFIG)));
    assert.deepEqual(v.effective, v.defaults);
    assert.deepEqual(v.overrides, {});
    assert.equal(v.error, null);
    // Every rule of the registry can be switched off here, and the report has words for each of them.
    const worded = Object.keys(CATALOGUES.en)
      .map((k) => /^finding\.([A-Z]+-[A-Z0-9-]+)\.title(?:_other)?$/.exec(k)?.[1])
      .filter((x): x is string => x !== undefined)
      .sort();
    assert.deepEqual(v.rules.map((x: { id: string }) => x.id).sort(), RULES.map((r) => r.id).sort());
    assert.deepEqual(worded, RULES.map((r) => r.id).sort());
    for (const rule of v.rules) assert.equal(rule.family, rule.id.split('-')[0], rule.id);
    assert.deepEqual(v.rules.find((x: { id: string }) => x.id === 'SSL-02'), { id: 'SSL-02', family: 'SSL' });
    const anon = await api(srv.port, '/api/admin/detection');
    assert.equal(anon.status, 401);
  });

  test('a rule turned off through the API is gone from the next upload, and the file is written owner-only as YAML', async () => {
    const first = await uploadIds(srv.port, HEISE);
    assert.ok(first.ids.includes('SSL-02'), `SSL-02 by default: ${first.ids.join(' ')}`);
    assert.ok(first.ids.includes('PROTO-05'));

    const r = await put({ disabled: ['SSL-02'] });
    assert.equal(r.status, 200, r.text);
    const v = r.json();
    assert.deepEqual(v.overrides, { disabled: ['SSL-02'] });
    assert.deepEqual(v.effective.disabled, ['SSL-02']);
    assert.equal(v.effective.beaconMinContacts, DEFAULT_DETECTION_CONFIG.beaconMinContacts);
    assert.equal(statSync(detectionFile(dir)).mode & 0o777, 0o600);
    assert.deepEqual(parse(readFileSync(detectionFile(dir), 'utf8')), { disabled: ['SSL-02'] });
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('detection') && n !== 'detection.yaml'), [], 'no temporary file left beside it');

    const second = await uploadIds(srv.port, HEISE);
    assert.ok(!second.ids.includes('SSL-02'), `SSL-02 is off: ${second.ids.join(' ')}`);
    assert.ok(second.ids.includes('PROTO-05'), 'the other rules still run');
    // The first report was made with the settings of its time and stays as it was.
    const old = await api(srv.port, `/api/checks/${first.id}/report?format=json`);
    assert.ok(old.json<{ findings: { id: string }[] }>().findings.some((f) => f.id === 'SSL-02'));
  });

  test('changed thresholds apply to the next analysis; PUT replaces the whole set of overrides', async () => {
    const before = await uploadIds(srv.port, WIKIPEDIA);
    assert.ok(!before.ids.includes('BEH-UPLOAD'), before.ids.join(' '));
    const r = await put({ uploadMinBytes: 100, uploadRatio: 0.5 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().overrides, { uploadMinBytes: 100, uploadRatio: 0.5 });
    assert.deepEqual(r.json().effective.disabled, [], 'what the new set leaves out is back to its default');
    const after = await uploadIds(srv.port, WIKIPEDIA);
    assert.ok(after.ids.includes('BEH-UPLOAD'), after.ids.join(' '));
    assert.ok((await uploadIds(srv.port, HEISE)).ids.includes('SSL-02'), 'SSL-02 is on again');
  });

  test('bad settings are refused with the reason, and the file is left as it was', async () => {
    const kept = readFileSync(detectionFile(dir), 'utf8');
    const cases: [unknown, RegExp][] = [
      [{ beaconMinContact: 3 }, /unknown setting "beaconMinContact"/],
      [{ beaconMinContacts: '7' }, /"beaconMinContacts" must be a number/],
      [{ disabled: 'SSL-02' }, /"disabled" must be a list/],
      [{ standardTlsPorts: [443, '8443'] }, /"standardTlsPorts" must be a list of numbers/],
      [{ disabled: ['SSL-02', 'SSL-99'] }, /unknown rule ids: SSL-99/],
      [{ hotspotName: 'Cafe' }, /hotspotName.*each check/],
      [[1, 2], /object/],
    ];
    for (const [body, re] of cases) {
      const r = await put(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.match(r.json().message, re, JSON.stringify(body));
    }
    assert.equal(readFileSync(detectionFile(dir), 'utf8'), kept);
  });

  test('a change needs the CSRF token of the session', async () => {
    const kept = readFileSync(detectionFile(dir), 'utf8');
    const none = await api(srv.port, '/api/admin/detection', { method: 'PUT', headers: { cookie: s.cookie }, body: { disabled: ['PROTO-05'] } });
    assert.equal(none.status, 403, none.text);
    assert.equal(none.json().error, 'csrf');
    const wrong = await api(srv.port, '/api/admin/detection', { method: 'PUT', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(s.csrf.length) }, body: { disabled: ['PROTO-05'] } });
    assert.equal(wrong.status, 403);
    assert.equal(readFileSync(detectionFile(dir), 'utf8'), kept);
  });

  test('an empty set of overrides removes the file: back to the defaults', async () => {
    const r = await put({});
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().overrides, {});
    assert.deepEqual(r.json().effective, r.json().defaults);
    assert.equal(existsSync(detectionFile(dir)), false);
  });

  test('a broken detection.yaml does not break checks: the defaults apply, the error is logged and shown', async () => {
    writeFileSync(detectionFile(dir), 'disabeld: [SSL-02]\n');
    const { ids } = await uploadIds(srv.port, HEISE);
    assert.ok(ids.includes('SSL-02'), 'the defaults were used');
    const v = (await api(srv.port, '/api/admin/detection', { headers: asAdmin(s) })).json();
    assert.match(v.error, /unknown setting "disabeld"/);
    assert.deepEqual(v.effective, v.defaults);
    assert.ok(logs.some((m) => /detection settings: .*disabeld.*default/.test(m)), logs.join('\n'));
    // Mended by hand, it applies to the next analysis without a restart.
    writeFileSync(detectionFile(dir), 'disabled: [SSL-02]\n');
    assert.ok(!(await uploadIds(srv.port, HEISE)).ids.includes('SSL-02'));
    assert.equal((await api(srv.port, '/api/admin/detection', { headers: asAdmin(s) })).json().error, null);
    writeFileSync(detectionFile(dir), 'not: [valid\n');
    assert.match((await api(srv.port, '/api/admin/detection', { headers: asAdmin(s) })).json().error, /not valid YAML/);
  });

  test('the OpenAPI document describes the new routes', async () => {
    const doc = (await api(srv.port, '/api/docs')).json();
    assert.ok(doc.paths['/api/admin/detection'].put.requestBody, 'the PUT body is documented');
    for (const p of ['/api/admin/detection', '/api/admin/status', '/api/admin/settings', '/api/kiosk/settings']) assert.ok(doc.paths[p], p);
  });
});

describe('quietcheck serve: detection settings for checks finished after a crash', () => {
  test("a hotspot check is analysed with its hotspot's name and with detection.yaml", async () => {
    const dir = tempDir();
    try {
      // What a dead server left: two checks caught capturing, one on quietcheck's Wi-Fi, one on an interface.
      mkdirSync(join(dir, 'checks'), { recursive: true, mode: 0o700 });
      const store = SqliteStore.inDir(dir);
      const ids = { hotspot: 'a'.repeat(32), iface: 'b'.repeat(32) };
      for (const [mode, id] of [['hotspot', ids.hotspot], ['interface', ids.iface]] as const) {
        store.createCheck({ id, source: 'live', iface: 'wlan0', device: null, filter: null, durationSeconds: null, lang: 'en', createdAt: new Date().toISOString(), mode, hotspotSsid: mode === 'hotspot' ? 'WikiMedia' : null });
        assert.ok(store.transitionCheck(id, ['created'], 'capturing'));
        mkdirSync(join(dir, 'checks', id), { mode: 0o700 });
        copyFileSync(WIKIPEDIA, join(dir, 'checks', id, 'capture.pcap'));
      }
      store.close();
      writeFileSync(detectionFile(dir), 'disabled: [PROTO-03]\n');

      const srv = await startTestServer({ dataDir: dir });
      try {
        // Recovered checks are finished in the background once the server listens.
        await srv.handle.recovered;
        const report = async (id: string) => {
          // Recovered checks are finished in the background once serve listens.
          await waitFor(`check ${id} finalised`, async () => (await api(srv.port, `/api/checks/${id}`)).json<{ state: string }>().state === 'done');
          const r = await api(srv.port, `/api/checks/${id}/report?format=json`);
          assert.equal(r.status, 200, r.text);
          return r.json<{ findings: { id: string; params: Record<string, unknown> }[] }>().findings;
        };
        const hs = await report(ids.hotspot);
        const leak = hs.find((f) => f.id === 'BEH-HOTSPOT-NAME');
        assert.ok(leak, `the hotspot's name in clear text is found: ${hs.map((f) => f.id).join(' ')}`);
        assert.equal(leak.params.hotspotName, 'WikiMedia');
        assert.ok(!hs.some((f) => f.id === 'PROTO-03'), 'detection.yaml applies to recovered checks');
        const plain = await report(ids.iface);
        assert.ok(!plain.some((f) => f.id === 'BEH-HOTSPOT-NAME'), 'no hotspot, no hotspot name');
        assert.ok(!plain.some((f) => f.id === 'PROTO-03'));
      } finally {
        await srv.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('quietcheck serve: a detection.yaml broken before the start', () => {
  test('is reported when the server starts, and checks still run with the defaults', async () => {
    const dir = tempDir();
    const logs: string[] = [];
    try {
      writeFileSync(detectionFile(dir), 'disabled: [SSL-2]\n');
      const srv = await startTestServer({ dataDir: dir, log: (m) => logs.push(m) });
      try {
        assert.ok(logs.some((m) => m.includes('detection.yaml') && /unknown rule ids: SSL-2/.test(m)), logs.join('\n'));
        const s = await login(srv.port);
        assert.match((await api(srv.port, '/api/admin/detection', { headers: asAdmin(s) })).json().error, /SSL-2/);
        assert.ok((await uploadIds(srv.port, HEISE)).ids.includes('SSL-02'));
      } finally {
        await srv.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('quietcheck serve: general settings and status', () => {
  let srv: TestServer;
  let dir: string;
  let s: AdminSession;

  before(async () => {
    dir = tempDir();
    await importIndicators(dir, [IOC_YAML]);
    srv = await startTestServer({ dataDir: dir, lang: 'fr', loginMaxPerMinute: 100 });
    s = await login(srv.port);
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  const putSettings = (body: unknown) =>
    api(srv.port, '/api/admin/settings', { method: 'PUT', headers: asAdmin(s, { 'content-type': 'application/json' }), body: JSON.stringify(body) });

  test('the defaults, with the language of the serve configuration', async () => {
    const r = await api(srv.port, '/api/admin/settings', { headers: asAdmin(s) });
    assert.equal(r.status, 200, r.text);
    const v = r.json();
    assert.equal(v.retentionDays, 30);
    assert.deepEqual(
      { defaultDurationMinutes: v.defaultDurationMinutes, defaultLang: v.defaultLang, kioskUpload: v.kioskUpload, kioskIdleMinutes: v.kioskIdleMinutes, kioskNetworkChoice: v.kioskNetworkChoice },
      { defaultDurationMinutes: 30, defaultLang: 'fr', kioskUpload: true, kioskIdleMinutes: 10, kioskNetworkChoice: true },
    );
    const k = await api(srv.port, '/api/kiosk/settings');
    assert.equal(k.status, 200, k.text);
    assert.deepEqual(k.json(), { defaultDurationMinutes: 30, defaultLang: 'fr', kioskUpload: true, kioskIdleMinutes: 10, kioskNetworkChoice: true, kioskTitle: 'quietcheck', kioskRevealElsewhere: false });
  });

  test('any subset can be changed; it is stored in the database and the kiosk reads it', async () => {
    const r = await putSettings({ kioskIdleMinutes: 0, defaultLang: 'de', kioskUpload: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().kioskIdleMinutes, 0);
    assert.equal(r.json().defaultLang, 'de');
    assert.equal(r.json().retentionDays, 30, 'what was not sent is unchanged');
    const r2 = await putSettings({ defaultDurationMinutes: 120, kioskNetworkChoice: false, retentionDays: 7 });
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual((await api(srv.port, '/api/kiosk/settings')).json(), {
      defaultDurationMinutes: 120, defaultLang: 'de', kioskUpload: false, kioskIdleMinutes: 0, kioskNetworkChoice: false, kioskTitle: 'quietcheck', kioskRevealElsewhere: false,
    });
    // The header's name and where the result is shown; a title of spaces or control characters is refused.
    const r3 = await putSettings({ kioskTitle: 'Help desk', kioskRevealElsewhere: true });
    assert.equal(r3.status, 200, r3.text);
    assert.equal((await api(srv.port, '/api/kiosk/settings')).json().kioskTitle, 'Help desk');
    assert.equal((await api(srv.port, '/api/kiosk/settings')).json().kioskRevealElsewhere, true);
    for (const bad of ['   ', '', 'x'.repeat(41), 'a\u0007b']) assert.equal((await putSettings({ kioskTitle: bad })).status, 400, JSON.stringify(bad));
    await putSettings({ kioskTitle: 'quietcheck', kioskRevealElsewhere: false });
    assert.equal((await api(srv.port, '/api/admin/settings', { headers: asAdmin(s) })).json().retentionDays, 7);
    const store = SqliteStore.inDir(dir);
    try {
      const all = store.allSettings();
      assert.equal(all.kioskIdleMinutes, '0');
      assert.equal(all.defaultLang, '"de"');
      assert.equal(all.retentionDays, '7');
    } finally {
      store.close();
    }
  });

  test('values out of range, of the wrong kind or unknown are refused and change nothing', async () => {
    const before = (await api(srv.port, '/api/kiosk/settings')).json();
    for (const body of [
      { defaultDurationMinutes: 0 }, { defaultDurationMinutes: 121 }, { defaultDurationMinutes: 2.5 }, { kioskIdleMinutes: -1 }, { kioskIdleMinutes: 121 },
      { defaultLang: 'nl' }, { kioskUpload: 'maybe' }, { kioskTheme: 'dark' }, { kioskIdleMinutes: 3, retentionDays: -2 },
    ]) {
      const r = await putSettings(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json().error, 'bad-request');
    }
    assert.deepEqual((await api(srv.port, '/api/kiosk/settings')).json(), before);
    const anon = await api(srv.port, '/api/admin/settings', { method: 'PUT', body: { kioskIdleMinutes: 3 } });
    assert.equal(anon.status, 401);
  });

  test('a check or an upload that names no language is in the admin’s default language', async () => {
    assert.equal((await putSettings({ defaultLang: 'it' })).status, 200);
    const up = await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: readFileSync(pcap('dns-edns-ecs.pcap')) });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json().lang, 'it');
    const live = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.254.254.254', durationSeconds: 10 } });
    if (live.status === 201) {
      assert.equal(live.json().lang, 'it');
      await api(srv.port, `/api/checks/${live.json().id}`, { method: 'DELETE' });
    } else {
      // No tcpdump allowed to capture here: the request was still taken in the default language up to the capture.
      assert.match(live.json().error, /tcpdump|permission/);
    }
    const named = await api(srv.port, '/api/uploads?lang=pt', { method: 'POST', headers: PCAP_TYPE, body: readFileSync(pcap('dns-edns-ecs.pcap')) });
    assert.equal(named.json().lang, 'pt');
  });

  test('a check that names no mode goes to quietcheck’s own Wi-Fi on a box set up with a hotspot interface and no capture interface', async () => {
    assert.equal((await api(srv.port, '/api/hotspot')).json().configured, false);
    const none = await api(srv.port, '/api/checks', { method: 'POST', body: {} });
    assert.equal(none.status, 400);
    assert.equal(none.json().error, 'no-interface', 'with neither, the kiosk is told to configure one');
    const put = await api(srv.port, '/api/admin/hotspot', { method: 'PUT', headers: asAdmin(s, { 'content-type': 'application/json' }), body: JSON.stringify({ iface: 'qcnone0', mode: 'sinkhole' }) });
    assert.equal(put.status, 200, put.text);
    const kiosk = (await api(srv.port, '/api/hotspot')).json();
    assert.equal(kiosk.configured, true, 'the kiosk is told the own Wi-Fi is set up, so its choice starts there');
    assert.equal(kiosk.defaultMode, 'sinkhole');
    const r = await api(srv.port, '/api/checks', { method: 'POST', body: {} });
    // The interface does not exist here, so the hotspot cannot start: what matters is that the hotspot was tried.
    assert.ok(r.status >= 400, r.text);
    assert.match(r.json().message, /hotspot interface qcnone0/);
    const hs = (await api(srv.port, '/api/admin/hotspot', { headers: asAdmin(s) })).json();
    assert.match(JSON.stringify(hs), /qcnone0/);
    const reset = await api(srv.port, '/api/admin/hotspot', { method: 'PUT', headers: asAdmin(s, { 'content-type': 'application/json' }), body: JSON.stringify({ iface: null }) });
    assert.equal(reset.status, 200, reset.text);
  });

  test('status: disk, what is stored, and the indicators per family', async () => {
    // Earlier tests of this server stored checks too: what these two uploads add is what is measured.
    const earlier = (await api(srv.port, '/api/admin/status', { headers: asAdmin(s) })).json().storage;
    const files = [HEISE, WIKIPEDIA];
    for (const f of files) await uploadIds(srv.port, f);
    const r = await api(srv.port, '/api/admin/status', { headers: asAdmin(s) });
    assert.equal(r.status, 200, r.text);
    const v = r.json();
    assert.equal(v.disk.path, dir);
    assert.ok(v.disk.totalBytes > 0 && v.disk.freeBytes > 0 && v.disk.freeBytes <= v.disk.totalBytes);
    assert.equal(v.storage.checks, earlier.checks + 2);
    assert.equal(v.storage.captureBytes, earlier.captureBytes + files.reduce((n, f) => n + statSync(f).size, 0));
    assert.ok(v.storage.databaseBytes >= statSync(join(dir, 'quietcheck.sqlite')).size);

    // Counted again from the database rows, independently of the matcher.
    const store = SqliteStore.inDir(dir);
    const byFamily = new Map<string, number>();
    let total = 0;
    try {
      store.forEachIndicator((ind) => {
        total++;
        if (ind.family !== null) byFamily.set(ind.family, (byFamily.get(ind.family) ?? 0) + 1);
      });
      const feed = store.listFeeds()[0]!;
      assert.equal(v.indicators.newestUpdate, feed.fetchedAt);
      assert.equal(v.indicators.oldestUpdate, feed.fetchedAt);
    } finally {
      store.close();
    }
    assert.equal(v.indicators.total, total);
    assert.ok(total > 1000);
    const counts = v.indicators.families.map((f: { count: number }) => f.count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most first');
    assert.deepEqual(new Map(v.indicators.families.map((f: { family: string; count: number }) => [f.family, f.count])), byFamily);
    assert.equal((await api(srv.port, '/api/admin/status')).status, 401);
  });
});
