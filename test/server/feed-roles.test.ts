/**
 * Feed roles follow formats, and list changes reach a running server at once: TinyCheck's
 * whitelist.json imports as an allow-list (www.wikipedia.org is then allowed, not a "spyware
 * server"); a role change or removal made by the CLI in another process, or through the API, is
 * used by the very next check; the console's "update now" adds no online list unasked.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { INDICATORS } from '../helpers/paths.js';
import { writeDnsCapture } from '../report/fixtures.js';
import { api, asAdmin, CLI, login, removeDir, startTestServer, tempDir, type TestServer } from './helpers.js';

const run = promisify(execFile);
const WHITELIST = join(INDICATORS, 'tinycheck', 'whitelist.json');

describe('feed roles, removal and a running server', () => {
  let srv: TestServer;
  let dir: string;
  let capture: string;

  before(async () => {
    dir = tempDir();
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100 });
    capture = join(dir, 'wiki.pcap');
    writeDnsCapture(capture, ['www.wikipedia.org']);
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  const check = async (): Promise<any> => {
    const up = await api(srv.port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(capture) });
    assert.equal(up.status, 201, up.text);
    return (await api(srv.port, `/api/checks/${up.json().id}/report?format=json`)).json();
  };
  const wikiFinding = (rep: any): boolean => rep.findings.some((f: any) => f.host === 'www.wikipedia.org');

  test('a fresh box: "update now" adds no online list', async () => {
    const s = await login(srv.port);
    const r = await api(srv.port, '/api/admin/feeds/update', { method: 'POST', headers: asAdmin(s) });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), []);
    assert.deepEqual((await api(srv.port, '/api/admin/feeds', { headers: asAdmin(s) })).json(), []);
    assert.equal(existsSync(join(dir, 'feeds.yaml')), false);
  });

  test('import whitelist.json from the CLI: an allow-list, said so, and used by the running server at once', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'indicators', 'import', WHITELIST, '--data-dir', dir]);
    assert.match(stdout, /import-whitelist: updated, 1\d{3} indicators/);
    assert.match(stdout, /role: allow-list/);
    const rep = await check();
    assert.equal(wikiFinding(rep), false, JSON.stringify(rep.findings.map((f: any) => [f.id, f.host])));
    assert.ok(rep.meta.feeds.some((f: any) => f.name === 'import-whitelist' && f.list === 'allow'), 'the running server loaded it without a restart');
  });

  test('a role change by the CLI reaches the running server; through the API too', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'indicators', 'role', 'import-whitelist', 'block', '--data-dir', dir]);
    assert.match(stdout, /role: block list/);
    assert.equal(wikiFinding(await check()), true, 'as a block list, the whitelist calls Wikipedia a listed server');
    const s = await login(srv.port);
    const put = await api(srv.port, '/api/admin/feeds/import-whitelist', { method: 'PUT', headers: asAdmin(s), body: { list: 'allow' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(wikiFinding(await check()), false);
  });

  test('removing a list through the API removes its indicators; the next check no longer names it', async () => {
    const s = await login(srv.port);
    const del = await api(srv.port, '/api/admin/feeds/import-whitelist', { method: 'DELETE', headers: asAdmin(s) });
    assert.equal(del.status, 200, del.text);
    assert.deepEqual(del.json(), { removed: ['import-whitelist'], disabledInConfig: false });
    const rep = await check();
    assert.ok(!rep.meta.feeds.some((f: any) => f.name === 'import-whitelist'));
    assert.equal((await api(srv.port, '/api/admin/feeds/import-whitelist', { method: 'DELETE', headers: asAdmin(s) })).status, 404);
  });

  test('a configured list removed from the CLI is switched off in feeds.yaml, so an update does not bring it back', async () => {
    await run(process.execPath, [CLI, 'indicators', 'import', WHITELIST, '--data-dir', dir, '--name', 'tinycheck-whitelist']);
    // A default-named list imported by hand stays an import; removing it leaves feeds.yaml alone.
    const { stdout } = await run(process.execPath, [CLI, 'indicators', 'remove', 'tinycheck-whitelist', '--data-dir', dir, '--json']);
    assert.deepEqual(JSON.parse(stdout), { removed: ['tinycheck-whitelist'], disabledInConfig: false });
    // A default list (no feeds.yaml yet): switched off there.
    const off = await run(process.execPath, [CLI, 'indicators', 'remove', 'echap-ioc', '--data-dir', dir, '--json']);
    assert.deepEqual(JSON.parse(off.stdout), { removed: [], disabledInConfig: true });
    const yaml = readFileSync(join(dir, 'feeds.yaml'), 'utf8');
    assert.match(yaml, /name: echap-ioc\n\s+enabled: false/);
    await assert.rejects(run(process.execPath, [CLI, 'indicators', 'remove', 'no-such-list', '--data-dir', dir]), (e: any) => e.code === 2 && /no list named no-such-list/.test(e.stderr));
  });
});
