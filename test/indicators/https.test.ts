import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { redirectTarget } from '../../src/indicators/fetch.js';

/**
 * https feeds that redirect: a step down to plain http is refused. Node's fetch takes no CA option,
 * so the download runs in a child process that trusts a throw-away self-signed certificate through
 * NODE_EXTRA_CA_CERTS; the child loads the same fetch module (TypeScript under tsx, or the build).
 */

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'quietcheck-https-'));
const FEED = 'evil-c2.example\n';

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const plainHits: string[] = [];
let https: HttpsServer | null = null;
let http: HttpServer | null = null;
let httpsBase = '';
let httpBase = '';

/** One fetchFeed call in a child that trusts the test certificate; its outcome as JSON. */
async function childFetch(url: string, opts: Record<string, unknown>): Promise<{ ok: boolean; text?: string; url?: string; error?: string }> {
  const script = join(dir, 'fetch-once.mjs');
  writeFileSync(
    script,
    `const { fetchFeed } = await import(process.argv[2]);
try {
  const r = await fetchFeed(process.argv[3], JSON.parse(process.argv[4]));
  console.log(JSON.stringify(r.status === 'ok' ? { ok: true, text: r.bytes.toString('utf8'), url: r.url } : { ok: true }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: e.message }));
}
`,
  );
  const moduleUrl = new URL('../../src/indicators/fetch.js', import.meta.url).href;
  const { stdout } = await run(process.execPath, [...process.execArgv, script, moduleUrl, url, JSON.stringify({ timeoutMs: 5000, ...opts })], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok: boolean; text?: string; url?: string; error?: string };
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe('an https feed redirecting to http', { skip: haveOpenssl() ? false : 'openssl is not installed' }, () => {
  before(async () => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    http = createHttpServer((req, res) => {
      plainHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(FEED);
    });
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
    httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      if (req.url === '/feed.txt') res.writeHead(200, { 'content-type': 'text/plain' }).end(FEED);
      else if (req.url === '/to-https') res.writeHead(302, { location: '/feed.txt' }).end();
      else if (req.url === '/to-http') res.writeHead(301, { location: `${httpBase}/feed.txt` }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => https!.listen(0, '127.0.0.1', r));
    httpsBase = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });
  after(() => {
    https?.close();
    http?.close();
  });

  test('control: the certificate is trusted and an https-to-https redirect is followed', async () => {
    // The test servers are on this machine: the feed is marked local, as an admin would for a mirror.
    const r = await childFetch(`${httpsBase}/to-https`, { allowLocal: true });
    assert.deepEqual(r, { ok: true, text: FEED, url: `${httpsBase}/feed.txt` });
  });

  test('the step down to http is refused and the http server is never asked', async () => {
    plainHits.length = 0;
    const r = await childFetch(`${httpsBase}/to-http`, { allowLocal: true });
    assert.equal(r.ok, false);
    assert.match(r.error!, /redirected from https to plain http/);
    assert.deepEqual(plainHits, []);
  });

  test('even with loopback http allowed for tests, a downgrade from https is refused', async () => {
    plainHits.length = 0;
    const r = await childFetch(`${httpsBase}/to-http`, { allowLoopbackHttp: true });
    assert.equal(r.ok, false);
    assert.match(r.error!, /redirected from https to plain http/);
    assert.deepEqual(plainHits, []);
    // The same http URL asked for directly is allowed with that option: only the downgrade is refused.
    const direct = await childFetch(`${httpBase}/feed.txt`, { allowLoopbackHttp: true });
    assert.equal(direct.text, FEED);
  });
});

describe('redirectTarget', () => {
  const from = new URL('https://feeds.example/a/ioc.yaml');
  test('relative and https targets are followed', () => {
    assert.equal(redirectTarget(from, '../b/ioc.yaml').href, 'https://feeds.example/b/ioc.yaml');
    assert.equal(redirectTarget(from, 'https://cdn.example/ioc.yaml').href, 'https://cdn.example/ioc.yaml');
  });
  test('https to http is refused, loopback or not', () => {
    assert.throws(() => redirectTarget(from, 'http://feeds.example/ioc.yaml'), /redirected from https to plain http/);
    assert.throws(() => redirectTarget(new URL('https://127.0.0.1:8443/x'), 'http://127.0.0.1:8080/x', { allowLoopbackHttp: true }), /from https to plain http/);
    assert.throws(() => redirectTarget(from, 'ftp://feeds.example/ioc.yaml'), /unsupported URL scheme/);
  });
  test('loopback http to loopback http only with the test option', () => {
    const local = new URL('http://127.0.0.1:8080/a');
    assert.equal(redirectTarget(local, '/b', { allowLoopbackHttp: true }).href, 'http://127.0.0.1:8080/b');
    assert.throws(() => redirectTarget(local, '/b'), /only https/);
  });
  test('a request carrying an API key never follows a redirect to another server', () => {
    assert.throws(() => redirectTarget(from, 'https://elsewhere.example/login', { authorization: 'k' }), /another server.*API key is not sent/);
    assert.equal(redirectTarget(from, '/attributes/restSearch/', { authorization: 'k' }).href, 'https://feeds.example/attributes/restSearch/');
  });
});
