/**
 * Who may administer a real server, over real sockets: remote administration off and on (calls made
 * from this machine's non-loopback address to a server listening on every address), the Host check,
 * CSRF, changing the password, and updating the indicator feeds from a local file, one of which breaks.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { INDICATORS } from '../helpers/paths.js';
import { api, apiFrom, asAdmin, externalIPv4, login, PASSWORD, removeDir, sleep, startTestServer, tempDir, type AdminSession, type TestServer } from './helpers.js';

const EXTERNAL = externalIPv4();
const NO_EXTERNAL = EXTERNAL === null ? 'this machine has no non-loopback IPv4 address' : false;

/** Logs in from `from` (an address of this machine) to the server at `to`; the session cookie and CSRF token. */
async function loginFrom(from: string, to: string, port: number, password = PASSWORD): Promise<AdminSession> {
  const r = await apiFrom(from, to, port, '/api/admin/login', { method: 'POST', body: { password } });
  assert.equal(r.status, 200, r.text);
  const set = r.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : [set ?? '']).find((c) => c.startsWith('qc_admin='))!;
  return { cookie: line.split(';')[0]!, csrf: r.json().csrfToken };
}

describe('quietcheck serve: remote administration turned off', { skip: NO_EXTERNAL }, () => {
  let srv: TestServer;
  let ip: string;

  before(async () => {
    ip = EXTERNAL!;
    srv = await startTestServer({ listenHost: '0.0.0.0', allowRemoteAdmin: false, loginMaxPerMinute: 100 });
  });
  after(async () => {
    await srv.close();
    removeDir(srv.dataDir);
  });

  test('from another address, logging in and admin calls are refused even with a valid session', async () => {
    const remote = (path: string, opts = {}) => apiFrom(ip, ip, srv.port, path, opts);
    // The name the other machine used is not one this server answers to.
    const byIp = await remote('/api/admin/login', { method: 'POST', body: { password: PASSWORD } });
    assert.equal(byIp.status, 421, byIp.text);
    assert.equal(byIp.json().error, 'bad-host');
    // Claiming to be localhost does not help: the connection's address decides.
    const spoofed = await remote('/api/admin/login', { method: 'POST', headers: { host: 'localhost' }, body: { password: PASSWORD } });
    assert.equal(spoofed.status, 403, spoofed.text);
    assert.equal(spoofed.json().error, 'local-only');
    assert.equal(spoofed.headers['set-cookie'], undefined, 'no session was opened');

    const local = await login(srv.port);
    const stolen = await remote('/api/admin/settings', { headers: asAdmin(local, { host: 'localhost' }) });
    assert.equal(stolen.status, 403, stolen.text);
    assert.equal(stolen.json().error, 'local-only');
    const kiosk = await remote('/api/kiosk/settings', { headers: { host: 'localhost' } });
    assert.equal(kiosk.status, 403, 'the kiosk is this machine only too');
    // The same session from this machine's loopback works: only the address made the difference.
    assert.equal((await api(srv.port, '/api/admin/settings', { headers: asAdmin(local) })).status, 200);
  });
});

describe('quietcheck serve: remote administration turned on', { skip: NO_EXTERNAL }, () => {
  let srv: TestServer;
  let ip: string;

  before(async () => {
    ip = EXTERNAL!;
    srv = await startTestServer({ listenHost: '0.0.0.0', allowRemoteAdmin: true, loginMaxPerMinute: 100 });
  });
  after(async () => {
    await srv.close();
    removeDir(srv.dataDir);
  });

  test('from another address, admin works behind the password and the CSRF token; the kiosk stays local', async () => {
    const remote = (path: string, opts = {}) => apiFrom(ip, ip, srv.port, path, opts);
    assert.equal((await remote('/api/admin/settings')).status, 401, 'a session is still needed');
    const bad = await remote('/api/admin/login', { method: 'POST', body: { password: 'not the password' } });
    assert.equal(bad.status, 401);
    const s = await loginFrom(ip, ip, srv.port);
    const got = await remote('/api/admin/settings', { headers: asAdmin(s) });
    assert.equal(got.status, 200, got.text);
    const noCsrf = await remote('/api/admin/settings', { method: 'PUT', headers: { cookie: s.cookie }, body: { kioskIdleMinutes: 3 } });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.json().error, 'csrf');
    const crossSite = await remote('/api/admin/settings', { method: 'PUT', headers: asAdmin(s, { origin: 'https://evil.example' }), body: { kioskIdleMinutes: 3 } });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.json().error, 'cross-site');
    const ok = await remote('/api/admin/settings', { method: 'PUT', headers: asAdmin(s), body: { kioskIdleMinutes: 3 } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json().kioskIdleMinutes, 3);
    const kiosk = await remote('/api/kiosk/settings');
    assert.equal(kiosk.status, 403);
    assert.equal(kiosk.json().error, 'local-only');
  });
});

describe('quietcheck serve: admin account and feeds', () => {
  let srv: TestServer;
  let dir: string;
  let src: string;

  before(async () => {
    dir = tempDir();
    src = tempDir('qc-feed-src-');
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100 });
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
    removeDir(src);
  });

  test('a Host header naming another server is refused (DNS rebinding)', async () => {
    const r = await api(srv.port, '/api/admin/login', { method: 'POST', headers: { host: 'attacker.example' }, body: { password: PASSWORD } });
    assert.equal(r.status, 421);
  });

  test('state-changing admin calls without the CSRF token are refused and change nothing', async () => {
    const s = await login(srv.port);
    for (const [method, path, body] of [
      ['PUT', '/api/admin/settings', { retentionDays: 1 }],
      ['POST', '/api/admin/feeds/update', undefined],
      ['POST', '/api/admin/password', { current: PASSWORD, next: 'another long password' }],
      ['POST', '/api/admin/delete-all', { confirm: 'delete all data' }],
    ] as const) {
      const r = await api(srv.port, path, { method, headers: { cookie: s.cookie }, ...(body ? { body } : {}) });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(r.json().error, 'csrf');
    }
    assert.equal((await api(srv.port, '/api/admin/settings', { headers: asAdmin(s) })).json().retentionDays, 30);
    assert.equal((await api(srv.port, '/api/admin/session', { headers: asAdmin(s) })).status, 200, 'the password did not change');
  });

  test('changing the password: the current one is checked, every session ends, only the new one works', async () => {
    const s = await login(srv.port);
    const other = await login(srv.port);
    const next = 'a brand new admin password';
    const wrong = await api(srv.port, '/api/admin/password', { method: 'POST', headers: asAdmin(s), body: { current: 'not the password', next } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json().error, 'bad-password');
    const weak = await api(srv.port, '/api/admin/password', { method: 'POST', headers: asAdmin(s), body: { current: PASSWORD, next: 'short' } });
    assert.equal(weak.status, 400);
    assert.equal(weak.json().error, 'weak-password');
    assert.equal((await api(srv.port, '/api/admin/session', { headers: asAdmin(s) })).status, 200, 'refused changes end nothing');

    const ok = await api(srv.port, '/api/admin/password', { method: 'POST', headers: asAdmin(s), body: { current: PASSWORD, next } });
    assert.equal(ok.status, 204, ok.text);
    assert.match(String(ok.headers['set-cookie']), /qc_admin=;/, 'the cookie is cleared');
    for (const x of [s, other]) assert.equal((await api(srv.port, '/api/admin/session', { headers: asAdmin(x) })).status, 401);
    const old = await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: PASSWORD } });
    assert.equal(old.status, 401);
    const fresh = await login(srv.port, next);
    assert.equal((await api(srv.port, '/api/admin/session', { headers: asAdmin(fresh) })).status, 200);
    // Back to the shared password for the tests that follow.
    const back = await api(srv.port, '/api/admin/password', { method: 'POST', headers: asAdmin(fresh), body: { current: next, next: PASSWORD } });
    assert.equal(back.status, 204);
  });

  test('feeds update from a local file; a source that breaks keeps its previous indicators', async () => {
    const feedFile = join(src, 'ioc.yaml');
    copyFileSync(join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml'), feedFile);
    writeFileSync(
      join(dir, 'feeds.yaml'),
      `defaults: false\nfeeds:\n  - name: echap-local\n    url: ${JSON.stringify(feedFile)}\n    format: echap-yaml\n    refresh: 1s\n`,
    );
    const apps = parse(readFileSync(feedFile, 'utf8')) as { name: string; c2?: { domains?: string[] } }[];
    const withC2 = apps.find((a) => (a.c2?.domains ?? []).length > 0)!;
    const domain = withC2.c2!.domains![0]!;

    const s = await login(srv.port);
    const update = () => api(srv.port, '/api/admin/feeds/update', { method: 'POST', headers: asAdmin(s) });
    const search = async () => (await api(srv.port, `/api/admin/indicators/search?q=${encodeURIComponent(domain)}`, { headers: asAdmin(s) })).json<{ matches: { feed: string; family: string | null }[] }>().matches;

    const first = await update();
    assert.equal(first.status, 200, first.text);
    const out = first.json<{ feed: string; status: string; indicators: number; error: string | null }[]>();
    assert.equal(out.length, 1);
    assert.equal(out[0]!.feed, 'echap-local');
    assert.equal(out[0]!.status, 'updated');
    assert.equal(out[0]!.error, null);
    const count = out[0]!.indicators;
    assert.ok(count > 1000, String(count));
    assert.ok((await search()).some((m) => m.feed === 'echap-local' && m.family === withC2.name), `${domain} is matched as ${withC2.name}`);

    // The source turns into a file that does not parse (a real malformed Echap file), then disappears.
    for (const breakIt of [
      () => copyFileSync(join(INDICATORS, 'stalkerware-indicators', 'vendors-spytrac-malformed.yaml'), feedFile),
      () => rmSync(feedFile),
    ]) {
      breakIt();
      await sleep(1100); // past the feed's refresh interval, so the update really reads the source
      const r = await update();
      assert.equal(r.status, 200, r.text);
      const o = r.json<{ feed: string; status: string; indicators: number; error: string | null }[]>()[0]!;
      assert.equal(o.status, 'failed');
      assert.ok(o.error && o.error.length > 0);
      assert.equal(o.indicators, count, 'the previous set is kept');
      const feeds = (await api(srv.port, '/api/admin/feeds', { headers: asAdmin(s) })).json<{ name: string; lastError: string | null; indicatorCount: number }[]>();
      const f = feeds.find((x) => x.name === 'echap-local')!;
      assert.equal(f.indicatorCount, count);
      assert.equal(f.lastError, o.error);
      assert.ok((await search()).some((m) => m.feed === 'echap-local'), 'its indicators still match');
    }
    const status = (await api(srv.port, '/api/admin/status', { headers: asAdmin(s) })).json();
    assert.equal(status.indicators.total, count);
  });
});
