/**
 * The built UI as `quietcheck serve` hands it out: content types, cache headers, the app for every
 * screen address, nothing outside dist/web, the API's own 404s intact; and the size budget.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CATALOGUES } from '../../src/i18n/index.js';
import { ROOT } from '../helpers/paths.js';
import { NO_WEB_BUILD, serve, type Served } from './harness.js';

const WEB = join(ROOT, 'dist', 'web');
const SESSION_BUDGET = 90 * 1024;
const WORDS_BUDGET = 24 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** A raw GET: the path is sent as written (no URL normalisation), as an attacker would. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * What one kiosk session downloads: the app and its shared chunks, and the words of one language (the
 * largest, as the worst case) — the other languages' chunks are only fetched by a browser that switches.
 * Each language is bounded on its own too, so a new screen's words cannot grow without being noticed.
 */
test('the UI’s JavaScript for one session is under 90 KB gzipped, each language’s words under 24 KB', { skip: NO_WEB_BUILD }, () => {
  const js = files(WEB).filter((f) => /\.m?js$/.test(f));
  assert.ok(js.length > 0);
  const gz = (f: string): number => gzipSync(readFileSync(f), { level: 9 }).length;
  const isWords = (f: string): boolean => new RegExp(`^(${Object.keys(CATALOGUES).join('|')})-[\\w-]+\\.js$`).test(f.split('/').pop()!);
  const words = js.filter(isWords);
  assert.equal(words.length, Object.keys(CATALOGUES).length, 'one chunk of words per language');
  const app = js.filter((f) => !isWords(f)).reduce((n, f) => n + gz(f), 0);
  const largest = Math.max(...words.map(gz));
  const session = app + largest;
  console.log(`web UI JavaScript: app ${(app / 1024).toFixed(1)} KB + largest language ${(largest / 1024).toFixed(1)} KB = ${(session / 1024).toFixed(1)} KB gzipped (budget ${SESSION_BUDGET / 1024} KB)`);
  assert.ok(session < SESSION_BUDGET, `${session} bytes gzipped`);
  for (const f of words) assert.ok(gz(f) < WORDS_BUDGET, `${f}: ${gz(f)} bytes gzipped`);
});

test('the built UI loads nothing from elsewhere: no CDN, no external font, no inline script', { skip: NO_WEB_BUILD }, () => {
  for (const f of files(WEB).filter((x) => /\.(html|js|css)$/.test(x))) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /https?:\/\/(?!www\.w3\.org\/)[a-z0-9.-]+\.[a-z]{2,}\//i, `${f} names an outside address`);
    assert.doesNotMatch(text, /@import|@font-face|fonts\.googleapis/, f);
  }
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline script in index.html');
});

test('every word the UI asks for is in the catalogues', () => {
  const src = join(ROOT, 'web', 'src');
  if (!existsSync(src)) return;
  const en = CATALOGUES.en;
  const has = (k: string): boolean => k in en || `${k}_other` in en;
  for (const f of files(src).filter((x) => /\.tsx?$/.test(x))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'((?:ui|guidance|level|verdict|size)\.[a-zA-Z0-9_.-]+)'/g)) {
      assert.ok(has(m[1]!), `${f}: ${m[1]} is missing from the catalogues`);
    }
  }
  // Keys built at run time: tabs, states, feed update outcomes.
  for (const k of ['status', 'feeds', 'allow', 'checks', 'settings', 'password']) assert.ok(has(`ui.admin.tab.${k}`), k);
  for (const k of ['created', 'waiting-for-device', 'capturing', 'analysing', 'done', 'failed']) assert.ok(has(`ui.state.${k}`), k);
  for (const k of ['updated', 'unchanged', 'fresh', 'failed', 'disabled', 'removed']) assert.ok(has(`ui.admin.feeds.status.${k}`), k);
  for (const k of ['interface', 'hotspot', 'sinkhole']) assert.ok(has(`ui.welcome.mode.${k}`) && has(`ui.welcome.mode.${k}Help`), k);
  for (const k of ['domain', 'ip', 'cidr']) assert.ok(has(`ui.admin.allow.${k}`), k);
});

describe('static files from quietcheck serve', { skip: NO_WEB_BUILD, timeout: 60_000 }, () => {
  let srv: Served;
  before(async () => {
    srv = await serve();
  });
  after(async () => srv?.close());

  test('/ and every screen address answer with the app, not cached, with a CSP that allows only its own files', async () => {
    const index = readFileSync(join(WEB, 'index.html'));
    for (const p of ['/', '/upload', '/admin', '/admin/feeds', `/result/${'a'.repeat(32)}`, '/check/whatever']) {
      const r = await get(srv.port, p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8', p);
      assert.equal(r.headers['cache-control'], 'no-cache', p);
      assert.deepEqual(r.body, index, p);
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
  });

  test('hashed assets: right content type, cached for a year, gzip when asked, 304 on a matching ETag', async () => {
    const assets = readdirSync(join(WEB, 'assets'));
    const js = assets.find((a) => a.endsWith('.js'))!;
    const css = assets.find((a) => a.endsWith('.css'))!;
    const r = await get(srv.port, `/assets/${js}`, { 'accept-encoding': 'gzip' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(r.headers['content-encoding'], 'gzip');
    const again = await get(srv.port, `/assets/${js}`, { 'if-none-match': String(r.headers.etag) });
    assert.equal(again.status, 304);
    const c = await get(srv.port, `/assets/${css}`);
    assert.equal(c.headers['content-type'], 'text/css; charset=utf-8');
    assert.deepEqual(c.body, readFileSync(join(WEB, 'assets', css)));
    const icon = await get(srv.port, '/favicon.svg');
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
  });

  test('nothing outside dist/web: dot-dot, encoded or not, hidden files; a missing asset is a 404', async () => {
    for (const p of ['/../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../../package.json', '/..%5c..%5cpackage.json', '/.env', '/assets/nope.js', '/%00']) {
      const r = await get(srv.port, p);
      const text = r.body.toString();
      assert.doesNotMatch(text, /"name": "quietcheck"/, p);
      assert.ok(r.status === 404 || (r.status === 200 && text.includes('<div id="app">')) || r.status === 400, `${p}: ${r.status}`);
    }
    assert.equal((await get(srv.port, '/assets/nope.js')).status, 404);
  });

  test('the API keeps its JSON 404 and its own headers', async () => {
    const r = await get(srv.port, '/api/nothing-here');
    assert.equal(r.status, 404);
    assert.deepEqual(JSON.parse(r.body.toString()), { error: 'not-found', message: 'no such route' });
    assert.equal(r.headers['cache-control'], 'no-store');
    const h = await get(srv.port, '/api/health');
    assert.equal(h.status, 200);
    assert.equal(h.headers['cache-control'], 'no-store');
  });

  test('a foreign Host header is refused for the UI as for the API', async () => {
    const r = await get(srv.port, '/', { host: 'evil.example' });
    assert.equal(r.status, 421);
  });
});
