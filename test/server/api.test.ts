/**
 * The HTTP API against a real server on 127.0.0.1 with a temporary data directory: uploads of real
 * captures and their reports, deletion, retention, the admin account (sessions, CSRF, login rate limit)
 * and bad input, which must get a clear 4xx and change nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { chromiumAvailable } from '../../src/report/pdf.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { pcap, ROOT } from '../helpers/paths.js';
import { IOC_YAML } from '../lab/feeds.js';
import { api, asAdmin, importIndicators, login, removeDir, startTestServer, tempDir, type TestServer } from './helpers.js';

const CAPTURE = pcap('tls-browsing-mixed.pcap');
const PCAP_TYPE = { 'content-type': 'application/vnd.tcpdump.pcap' };

function checkDirs(dataDir: string): string[] {
  const d = join(dataDir, 'checks');
  return existsSync(d) ? readdirSync(d) : [];
}

function rowCount(dataDir: string): number {
  const s = SqliteStore.inDir(dataDir);
  try {
    return s.listChecks().length;
  } finally {
    s.close();
  }
}

async function upload(port: number, file = CAPTURE, query = ''): Promise<any> {
  const r = await api(port, `/api/uploads${query}`, { method: 'POST', headers: PCAP_TYPE, body: readFileSync(file) });
  assert.equal(r.status, 201, r.text);
  return r.json();
}

describe('quietcheck serve: API', () => {
  let srv: TestServer;
  let dir: string;

  before(async () => {
    dir = tempDir();
    await importIndicators(dir, [IOC_YAML]);
    srv = await startTestServer({ dataDir: dir, maxUploadBytes: 4 * 1024 * 1024, loginMaxPerMinute: 100 });
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  test('the data directory is owner-only and the database is in WAL mode at the latest schema', () => {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'checks')).mode & 0o777, 0o700);
    const s = SqliteStore.inDir(dir);
    try {
      assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
      assert.ok(s.schemaVersion >= 2);
    } finally {
      s.close();
    }
  });

  test('the OpenAPI document at /api/docs describes the routes', async () => {
    const r = await api(srv.port, '/api/docs');
    assert.equal(r.status, 200);
    const doc = r.json();
    assert.match(doc.openapi, /^3\./);
    for (const p of ['/api/checks', '/api/checks/{id}', '/api/checks/{id}/events', '/api/checks/{id}/stop', '/api/checks/{id}/report', '/api/uploads', '/api/admin/login', '/api/admin/delete-all']) {
      assert.ok(doc.paths[p], `documents ${p}`);
    }
    assert.deepEqual(doc.paths['/api/checks/{id}/report'].get.parameters.find((x: any) => x.name === 'format').schema.enum, ['html', 'json', 'pdf']);
  });

  test('an uploaded capture is analysed; its report comes as JSON and HTML, in the language asked for', async () => {
    const c = await upload(srv.port);
    assert.equal(c.state, 'done');
    assert.equal(c.source, 'upload');
    assert.ok(c.packets > 1000);
    assert.ok(['high', 'moderate', 'low', 'none', 'inconclusive'].includes(c.result.level));
    assert.equal(statSync(join(dir, 'checks', c.id, 'upload.cap')).size, statSync(CAPTURE).size);

    const status = await api(srv.port, `/api/checks/${c.id}`);
    assert.equal(status.status, 200);
    assert.equal(status.json().state, 'done');

    const json = await api(srv.port, `/api/checks/${c.id}/report?format=json`);
    assert.equal(json.status, 200);
    assert.match(String(json.headers['content-type']), /application\/json/);
    const rep = json.json();
    assert.equal(rep.verdict.level, c.result.level);
    assert.equal(rep.meta.packets, c.packets);
    assert.ok(rep.facts.tls.length > 0, 'the facts of the capture are in the report');

    const en = await api(srv.port, `/api/checks/${c.id}/report`);
    const fr = await api(srv.port, `/api/checks/${c.id}/report?format=html&lang=fr`);
    assert.equal(en.status, 200);
    assert.match(String(en.headers['content-type']), /text\/html/);
    assert.match(en.text, /<html[^>]*lang="en"/);
    assert.match(fr.text, /<html[^>]*lang="fr"/);
    assert.notEqual(en.text, fr.text);
    // Compressed for clients that ask, the same bytes inflated; an unchanged report revalidates with 304.
    const gz = await api(srv.port, `/api/checks/${c.id}/report?format=json`, { headers: { 'accept-encoding': 'gzip, deflate' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.body.length < json.body.length / 3);
    assert.deepEqual(gunzipSync(gz.body), json.body);
    const again = await api(srv.port, `/api/checks/${c.id}/report?format=json`, { headers: { 'if-none-match': String(json.headers.etag) } });
    assert.equal(again.status, 304);
    const frJson = (await api(srv.port, `/api/checks/${c.id}/report?format=json&lang=fr`)).json();
    assert.equal(frJson.meta.language, 'fr');
    assert.notEqual(frJson.verdict.summary, rep.verdict.summary);
  });

  test('a PDF report when Chromium is installed', { skip: chromiumAvailable() ? false : 'no Chromium' }, async () => {
    const c = await upload(srv.port, pcap('dns-a-aaaa-mx-nsec.pcap'));
    const r = await api(srv.port, `/api/checks/${c.id}/report?format=pdf`, { timeoutMs: 120_000 });
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.body.subarray(0, 4).toString('latin1'), '%PDF');
  });

  test('a pcapng upload works as well as pcap', async () => {
    const c = await upload(srv.port, pcap('pcapng-two-interfaces-dns.pcapng'), '?lang=de');
    assert.equal(c.state, 'done');
    assert.equal(c.lang, 'de');
    const rep = (await api(srv.port, `/api/checks/${c.id}/report?format=json`)).json();
    assert.equal(rep.meta.language, 'de');
  });

  test('delete removes the capture, the report and the row', async () => {
    const c = await upload(srv.port, pcap('dns-tcp-multirequest.pcap'));
    assert.ok(existsSync(join(dir, 'checks', c.id, 'analysis.json')));
    const r = await api(srv.port, `/api/checks/${c.id}`, { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.ok(!existsSync(join(dir, 'checks', c.id)));
    assert.equal((await api(srv.port, `/api/checks/${c.id}`)).status, 404);
    assert.equal((await api(srv.port, `/api/checks/${c.id}/report`)).status, 404);
    const s = SqliteStore.inDir(dir);
    try {
      assert.equal(s.getCheck(c.id), null);
    } finally {
      s.close();
    }
    assert.equal((await api(srv.port, `/api/checks/${c.id}`, { method: 'DELETE' })).status, 404);
  });

  describe('bad input gets a clear 4xx and changes nothing', () => {
    const unchanged = async (fn: () => Promise<void>): Promise<void> => {
      const dirs = checkDirs(dir).sort();
      const rows = rowCount(dir);
      await fn();
      assert.deepEqual(checkDirs(dir).sort(), dirs, 'no check folder appeared or vanished');
      assert.equal(rowCount(dir), rows, 'no check row appeared or vanished');
    };

    test('malformed JSON, unknown fields, wrong types, bad device or interface', () =>
      unchanged(async () => {
        const bad = await api(srv.port, '/api/checks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"interface": "lo",' });
        assert.equal(bad.status, 400);
        assert.equal(bad.json().error, 'bad-json');
        for (const body of [{ interface: 'lo', evil: 1 }, { interface: 'lo', durationSeconds: 'ten' }, { interface: 'lo', durationSeconds: 5 }, { interface: 'lo', lang: 'xx' }]) {
          const r = await api(srv.port, '/api/checks', { method: 'POST', body });
          assert.equal(r.status, 400, JSON.stringify(body));
          assert.equal(r.json().error, 'bad-request');
        }
        const dev = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: 'host 1.2.3.4 or port 22' } });
        assert.equal(dev.status, 400);
        assert.equal(dev.json().error, 'bad-device');
        const iface = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: '-w/tmp/x' } });
        assert.equal(iface.status, 400);
        assert.equal(iface.json().error, 'bad-interface');
        const none = await api(srv.port, '/api/checks', { method: 'POST', body: {} });
        assert.equal(none.status, 400);
        assert.equal(none.json().error, 'no-interface');
      }));

    test('a text/plain or form body is refused (what a foreign page could send)', () =>
      unchanged(async () => {
        const r = await api(srv.port, '/api/checks', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"interface":"lo"}' });
        assert.equal(r.status, 415);
        const f = await api(srv.port, '/api/checks', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'interface=lo' });
        assert.equal(f.status, 415);
      }));

    test('cross-site requests and foreign Host names (DNS rebinding) are refused', () =>
      unchanged(async () => {
        const c = await api(srv.port, '/api/uploads', { method: 'POST', headers: { ...PCAP_TYPE, origin: 'https://evil.example' }, body: readFileSync(CAPTURE) });
        assert.equal(c.status, 403);
        assert.equal(c.json().error, 'cross-site');
        const s = await api(srv.port, '/api/uploads', { method: 'POST', headers: { ...PCAP_TYPE, 'sec-fetch-site': 'cross-site' }, body: readFileSync(CAPTURE) });
        assert.equal(s.status, 403);
        const h = await api(srv.port, '/api/health', { headers: { host: 'rebind.evil.example:8080' } });
        assert.equal(h.status, 421);
        const ok = await api(srv.port, '/api/health', { headers: { host: `localhost:${srv.port}` } });
        assert.equal(ok.status, 200);
      }));

    test('a non-capture upload is refused before anything is stored', () =>
      unchanged(async () => {
        const r = await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: readFileSync(join(ROOT, 'README.md')) });
        assert.equal(r.status, 415);
        assert.equal(r.json().error, 'not-a-capture');
        const empty = await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: Buffer.alloc(0) });
        assert.equal(empty.status, 400);
        // The right magic and nothing a reader can use after it.
        const fake = Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), Buffer.alloc(2000, 0x41)]);
        const f = await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: fake });
        assert.equal(f.status, 415);
        assert.equal(f.json().error, 'not-a-capture');
        const ng = Buffer.concat([Buffer.from('0a0d0d0a', 'hex'), Buffer.alloc(2000, 0x41)]);
        assert.equal((await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: ng })).status, 415);
      }));

    test('an oversized upload is refused, whether it declares its size or not', () =>
      unchanged(async () => {
        const big = Buffer.concat([readFileSync(CAPTURE), readFileSync(CAPTURE), readFileSync(CAPTURE)]);
        assert.ok(big.length > 4 * 1024 * 1024);
        const r = await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: big }).catch((e: Error) => e);
        // Refused from Content-Length before any byte is read; the socket may close under the sender.
        if (!(r instanceof Error)) {
          assert.equal(r.status, 413);
          assert.equal(r.json().error, 'too-large');
        }
        const chunked = await new Promise<number>((resolve, reject) => {
          import('node:http').then(({ request }) => {
            const req = request({ host: '127.0.0.1', port: srv.port, path: '/api/uploads', method: 'POST', headers: { ...PCAP_TYPE, host: `127.0.0.1:${srv.port}`, 'transfer-encoding': 'chunked' } }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on('error', reject);
            let off = 0;
            const step = (): void => {
              if (off >= big.length) return void req.end();
              const part = big.subarray(off, off + 256 * 1024);
              off += part.length;
              req.write(part, () => setImmediate(step));
            };
            step();
          }, reject);
        });
        assert.equal(chunked, 413);
      }));

    test('path tricks and unknown ids', () =>
      unchanged(async () => {
        for (const p of ['/api/checks/..%2F..%2F..%2Fetc%2Fpasswd', '/api/checks/..', '/api/checks/ABCDEF0123456789ABCDEF0123456789', '/api/checks/%2e%2e%2fquietcheck.sqlite/report']) {
          const r = await api(srv.port, p);
          assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
          assert.ok(typeof r.json().error === 'string');
        }
        const del = await api(srv.port, '/api/checks/..%2F..%2Fquietcheck.sqlite', { method: 'DELETE' });
        assert.equal(del.status, 400);
        assert.ok(existsSync(join(dir, 'quietcheck.sqlite')));
        const unknown = await api(srv.port, `/api/checks/${'0'.repeat(32)}/report`);
        assert.equal(unknown.status, 404);
        const fmt = await api(srv.port, `/api/checks/${'0'.repeat(32)}/report?format=exe`);
        assert.equal(fmt.status, 400);
      }));

    test('unauthenticated, bad-session and CSRF-less admin calls', () =>
      unchanged(async () => {
        assert.equal((await api(srv.port, '/api/admin/checks')).status, 401);
        assert.equal((await api(srv.port, '/api/admin/checks', { headers: { cookie: 'qc_admin=forged' } })).status, 401);
        const del = await api(srv.port, '/api/admin/delete-all', { method: 'POST', body: { confirm: 'delete all data' } });
        assert.equal(del.status, 401);
        const s = await login(srv.port);
        const noCsrf = await api(srv.port, '/api/admin/delete-all', { method: 'POST', headers: { cookie: s.cookie }, body: { confirm: 'delete all data' } });
        assert.equal(noCsrf.status, 403);
        assert.equal(noCsrf.json().error, 'csrf');
        const wrong = await api(srv.port, '/api/admin/delete-all', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(s.csrf.length) }, body: { confirm: 'delete all data' } });
        assert.equal(wrong.status, 403);
        const noConfirm = await api(srv.port, '/api/admin/delete-all', { method: 'POST', headers: asAdmin(s), body: { confirm: 'yes' } });
        assert.equal(noConfirm.status, 400);
        assert.equal((await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: 'wrong password!' } })).status, 401);
      }));
  });

  test('admin: the session cookie is HttpOnly and SameSite, lists checks with indicator counts, and logs out', async () => {
    const r = await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: 'a long test password' } });
    assert.equal(r.status, 200);
    const cookie = String(r.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    const s = await login(srv.port);
    const list = await api(srv.port, '/api/admin/checks', { headers: { cookie: s.cookie } });
    assert.equal(list.status, 200);
    assert.ok(list.json().length >= 1);
    assert.ok('indicatorHits' in list.json()[0]);
    const kiosk = (await api(srv.port, `/api/checks/${list.json()[0].id}`)).json();
    assert.ok(!('indicatorHits' in kiosk), 'the kiosk view never carries indicator counts');
    const feeds = await api(srv.port, '/api/admin/feeds', { headers: { cookie: s.cookie } });
    assert.ok(feeds.json().some((f: any) => f.indicatorCount > 100), 'the imported Echap feed is stored');
    assert.equal((await api(srv.port, '/api/admin/logout', { method: 'POST', headers: asAdmin(s) })).status, 204);
    assert.equal((await api(srv.port, '/api/admin/checks', { headers: { cookie: s.cookie } })).status, 401);
  });

  test('admin: the allow-list validates entries and applies to the next check', async () => {
    const s = await login(srv.port);
    const bad = await api(srv.port, '/api/admin/allow-list', { method: 'POST', headers: asAdmin(s), body: { kind: 'ip', value: 'not-an-ip' } });
    assert.equal(bad.status, 400);
    const ok = await api(srv.port, '/api/admin/allow-list', { method: 'POST', headers: asAdmin(s), body: { kind: 'domain', value: 'Example.ORG.', note: 'test' } });
    assert.equal(ok.status, 201);
    assert.equal(ok.json().value, 'example.org');
    const c = await upload(srv.port, pcap('dns-a-aaaa-mx-nsec.pcap'));
    const rep = (await api(srv.port, `/api/checks/${c.id}/report?format=json`)).json();
    assert.ok(rep.meta.feeds.some((f: any) => f.name === 'local allow-list' && f.list === 'allow'));
    assert.equal((await api(srv.port, `/api/admin/allow-list/${ok.json().id}`, { method: 'DELETE', headers: asAdmin(s) })).status, 204);
    assert.equal((await api(srv.port, `/api/admin/allow-list/${ok.json().id}`, { method: 'DELETE', headers: asAdmin(s) })).status, 404);
  });

  test('admin: delete all data removes every check, capture and report', async () => {
    await upload(srv.port, pcap('dns-tcp-multirequest.pcap'));
    assert.ok(checkDirs(dir).length > 0);
    const s = await login(srv.port);
    const r = await api(srv.port, '/api/admin/delete-all', { method: 'POST', headers: asAdmin(s), body: { confirm: 'delete all data' } });
    assert.equal(r.status, 200);
    assert.ok(r.json().deleted >= 1);
    assert.deepEqual(checkDirs(dir), []);
    assert.equal(rowCount(dir), 0);
    // The account and the feeds are not "data" about anyone: they stay.
    await login(srv.port);
  });
});

describe('quietcheck serve: login rate limit', () => {
  test('the fourth login attempt in a minute is refused with 429, even with the right password', async () => {
    const srv = await startTestServer({ loginMaxPerMinute: 3 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: `wrong ${i} password` } })).status, 401);
      const r = await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: 'a long test password' } });
      assert.equal(r.status, 429);
      assert.equal(r.json().error, 'rate-limited');
      assert.equal(r.headers['set-cookie'], undefined);
    } finally {
      await srv.close();
      removeDir(srv.dataDir);
    }
  });
});

describe('quietcheck serve: retention', () => {
  test('checks older than the retention are deleted at start, files and rows; newer ones stay', async () => {
    const dir = tempDir();
    try {
      let srv = await startTestServer({ dataDir: dir, retentionDays: 30 });
      const old = await upload(srv.port, pcap('dns-tcp-multirequest.pcap'));
      await srv.close();
      // 20 days later: kept.
      srv = await startTestServer({ dataDir: dir, retentionDays: 30, now: () => new Date(Date.now() + 20 * 86_400_000) });
      assert.equal((await api(srv.port, `/api/checks/${old.id}`)).status, 200);
      const fresh = await upload(srv.port, pcap('dns-a-aaaa-mx-nsec.pcap'));
      await srv.close();
      // 31 days after the first: the first goes, the second (created "now") stays.
      srv = await startTestServer({ dataDir: dir, retentionDays: 30, now: () => new Date(Date.now() + 31 * 86_400_000) });
      try {
        assert.equal((await api(srv.port, `/api/checks/${old.id}`)).status, 404);
        assert.ok(!existsSync(join(dir, 'checks', old.id)));
        assert.equal((await api(srv.port, `/api/checks/${fresh.id}`)).status, 200);
        // The admin shortens the retention: it applies at once.
        const s = await login(srv.port);
        const r = await api(srv.port, '/api/admin/settings', { method: 'PUT', headers: asAdmin(s), body: { retentionDays: 1 } });
        assert.equal(r.status, 200);
        assert.equal(r.json().retentionDays, 1);
        assert.equal((await api(srv.port, `/api/checks/${fresh.id}`)).status, 404);
        assert.deepEqual(checkDirs(dir), []);
      } finally {
        await srv.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
