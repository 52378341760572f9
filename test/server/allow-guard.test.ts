/**
 * The allow-list's guard rails through the API: an entry that would hide a known spyware server is
 * answered 409 with the family and the indicators until the admin confirms; entries allowing
 * everything are refused; what an allow entry silences still shows in the report with its family.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { c2Domains, IOC_YAML, writeDnsCapture } from '../report/fixtures.js';
import { api, asAdmin, importIndicators, login, removeDir, startTestServer, tempDir, type TestServer } from './helpers.js';

describe('allow-list guard rails', () => {
  let srv: TestServer;
  let dir: string;
  const c2 = c2Domains('FlexiSpy', 3).find((d) => d === 'api.flexispy.com') ?? c2Domains('FlexiSpy', 1)[0]!;

  before(async () => {
    dir = tempDir();
    await importIndicators(dir, [IOC_YAML]);
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100 });
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  const post = async (body: Record<string, unknown>) => {
    const s = await login(srv.port);
    return api(srv.port, '/api/admin/allow-list', { method: 'POST', headers: asAdmin(s), body });
  };

  test('entries allowing everything are refused with a reason', async () => {
    for (const [kind, value] of [
      ['cidr', '0.0.0.0/0'],
      ['cidr', '::/0'],
      ['domain', 'com'],
      ['domain', 'COM.'],
      ['domain', 'org'],
    ]) {
      const r = await post({ kind, value, confirm: true });
      assert.equal(r.status, 400, `${value}: ${r.text}`);
      assert.equal(r.json().error, 'too-broad');
    }
    const s = await login(srv.port);
    assert.deepEqual((await api(srv.port, '/api/admin/allow-list', { headers: asAdmin(s) })).json(), []);
  });

  test(`allowing ${c2} needs confirmation naming FlexiSpy; a plain name does not`, async () => {
    const r = await post({ kind: 'domain', value: c2.toUpperCase() });
    assert.equal(r.status, 409, r.text);
    const body = r.json();
    assert.equal(body.error, 'hides-indicators');
    assert.deepEqual(body.families, ['FlexiSpy']);
    assert.ok(body.hides.some((h: any) => h.value === c2 && h.kind === 'c2-domain' && h.level === 'high' && h.family === 'FlexiSpy'), r.text);
    assert.match(body.message, /FlexiSpy/);
    const s = await login(srv.port);
    assert.deepEqual((await api(srv.port, '/api/admin/allow-list', { headers: asAdmin(s) })).json(), [], 'nothing saved without confirmation');
    const plain = await post({ kind: 'domain', value: 'example.org' });
    assert.equal(plain.status, 201, plain.text);
  });

  test('once confirmed, the silenced server still appears in the report, with its family', async () => {
    const ok = await post({ kind: 'domain', value: c2, confirm: true, note: 'test' });
    assert.equal(ok.status, 201, ok.text);
    const file = join(dir, 'c2.pcap');
    writeDnsCapture(file, [c2]);
    const up = await api(srv.port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(file) });
    assert.equal(up.status, 201, up.text);
    const id = up.json().id;
    const rep = (await api(srv.port, `/api/checks/${id}/report?format=json`)).json();
    assert.ok(!rep.findings.some((f: any) => f.host === c2 && f.level === 'high'), 'the admin chose to allow it');
    const hidden = rep.allowed.find((a: any) => a.host === c2);
    assert.ok(hidden, JSON.stringify(rep.allowed));
    assert.equal(hidden.family, 'FlexiSpy');
    assert.equal(hidden.level, 'high');
    assert.equal(hidden.allowedBy.value, c2);
    assert.ok(hidden.indicators.some((i: any) => i.value === c2));
    const html = (await api(srv.port, `/api/checks/${id}/report?format=html`)).text;
    const section = html.slice(html.indexOf('id="hidden-by-allow"'));
    assert.ok(html.includes('id="hidden-by-allow"'), 'the report has its own section for what the allow-list hid');
    assert.match(section.slice(0, 3000), /FlexiSpy/);
    assert.ok(section.slice(0, 3000).includes(c2));
  });
});
