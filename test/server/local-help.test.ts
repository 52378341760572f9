/**
 * The service's own contact and helplines, per language, set by the admin: the kiosk reads them,
 * every report (HTML, JSON, PDF through the same HTML) prints them, reports already rendered are
 * redone, and a language without its own keeps the examples.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOGUES } from '../../src/i18n/index.js';
import { writeDnsCapture } from '../report/fixtures.js';
import { api, asAdmin, login, removeDir, startTestServer, tempDir, type TestServer } from './helpers.js';

describe('local help: the service contact and helplines', () => {
  let srv: TestServer;
  let dir: string;
  let id: string;

  before(async () => {
    dir = tempDir();
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100 });
    const file = join(dir, 'c.pcap');
    writeDnsCapture(file, ['www.example.org']);
    const up = await api(srv.port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(file) });
    assert.equal(up.status, 201, up.text);
    id = up.json().id;
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  test('before anything is set, the examples of each language are shown', async () => {
    const k = (await api(srv.port, '/api/kiosk/help?lang=es')).json();
    assert.equal(k.fromService, false);
    assert.equal(k.contact, '');
    assert.deepEqual(k.helplines, CATALOGUES.es['guidance.help.numbers']!.split('\n'));
    const html = (await api(srv.port, `/api/checks/${id}/report?format=html&lang=es`)).text;
    assert.ok(html.includes('016'));
  });

  test('set for Spanish: kiosk, HTML and JSON reports show them (an already rendered report too); French keeps the examples', async () => {
    const s = await login(srv.port);
    const contact = 'Casa Refugio Norte — 600 000 000, de 9 a 18 h';
    const lines = ['Cataluña: 900 900 120', 'Madrid: 012'];
    const put = await api(srv.port, '/api/admin/help', { method: 'PUT', headers: asAdmin(s), body: { lang: 'es', contact, helplines: lines } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json(), { contact, helplines: lines, fromService: true });
    assert.deepEqual((await api(srv.port, '/api/kiosk/help?lang=es')).json(), { contact, helplines: lines, fromService: true });
    const html = (await api(srv.port, `/api/checks/${id}/report?format=html&lang=es`)).text;
    assert.ok(html.includes('Casa Refugio Norte — 600 000 000') && html.includes('Cataluña: 900 900 120') && html.includes('Madrid: 012'));
    assert.ok(!html.includes('016 (no deja rastro'), 'the service replaced the examples');
    const json = (await api(srv.port, `/api/checks/${id}/report?format=json&lang=es`)).json();
    assert.deepEqual(json.help, { contact, helplines: lines });
    const fr = (await api(srv.port, '/api/kiosk/help?lang=fr')).json();
    assert.equal(fr.fromService, false);
    // Empty values bring back the examples.
    await api(srv.port, '/api/admin/help', { method: 'PUT', headers: asAdmin(s), body: { lang: 'es', contact: '', helplines: [] } });
    assert.equal((await api(srv.port, '/api/kiosk/help?lang=es')).json().fromService, false);
  });

  test('bad input is refused and changes nothing', async () => {
    const s = await login(srv.port);
    for (const body of [{ lang: 'xx', contact: '', helplines: [] }, { lang: 'en', contact: 'x'.repeat(501), helplines: [] }, { lang: 'en', contact: '', helplines: Array(13).fill('a') }]) {
      assert.equal((await api(srv.port, '/api/admin/help', { method: 'PUT', headers: asAdmin(s), body })).status, 400);
    }
    assert.equal((await api(srv.port, '/api/kiosk/help?lang=en')).json().fromService, false);
    assert.equal((await api(srv.port, '/api/admin/help', { method: 'PUT', body: { lang: 'en', contact: 'x', helplines: [] } })).status, 401);
  });
});
