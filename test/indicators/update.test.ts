import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parseFeedsConfig, type FeedConfig } from '../../src/config/feeds.js';
import { loadIndicators, updateFeeds, type FeedOutcome } from '../../src/indicators/feeds.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { INDICATORS, ROOT } from '../helpers/paths.js';

const run = promisify(execFile);
const file = (p: string): Buffer => readFileSync(join(INDICATORS, p));

/** What the local server answers per path; tests swap bodies to simulate a feed going bad. */
const routes = new Map<string, { body: Buffer; type: string; etag?: string }>();
const requests: { path: string; ifNoneMatch: string | undefined }[] = [];
const hanging: ServerResponse[] = [];
let base = '';
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = req.url ?? '/';
  requests.push({ path, ifNoneMatch: req.headers['if-none-match'] });
  if (path === '/hang') {
    hanging.push(res); // never answers: the client's timeout must end it
    return;
  }
  const r = routes.get(path);
  if (!r) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  if (r.etag && req.headers['if-none-match'] === r.etag) {
    res.writeHead(304, { etag: r.etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': r.type, 'content-length': r.body.length, ...(r.etag ? { etag: r.etag } : {}) }).end(r.body);
});

const tmp = mkdtempSync(join(tmpdir(), 'quietcheck-update-'));
const HTML = Buffer.from('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');

function serveReal(): void {
  routes.set('/ioc.yaml', { body: file('stalkerware-indicators/ioc.yaml'), type: 'text/plain', etag: '"ioc-1"' });
  routes.set('/watchware.yaml', { body: file('stalkerware-indicators/watchware.yaml'), type: 'text/plain', etag: '"ww-1"' });
  routes.set('/stalkerware.stix2', { body: file('stalkerware-indicators/generated/stalkerware-2023-05.stix2'), type: 'application/octet-stream', etag: '"stix-1"' });
  routes.set('/iocs.json', { body: file('tinycheck/iocs.json'), type: 'application/json', etag: '"tc-1"' });
  routes.set('/whitelist.json', { body: file('tinycheck/whitelist.json'), type: 'application/json' });
}

function configs(): FeedConfig[] {
  const yaml = `
defaults: false
feeds:
  - { name: echap-stix2, url: ${base}/stalkerware.stix2, format: stix2 }
  - { name: echap-ioc, url: ${base}/ioc.yaml, format: echap-yaml }
  - { name: echap-watchware, url: ${base}/watchware.yaml, format: echap-yaml }
  - { name: tinycheck-iocs, url: ${base}/iocs.json, format: tinycheck-iocs }
  - { name: tinycheck-whitelist, url: ${base}/whitelist.json, format: tinycheck-whitelist, list: allow }
`;
  return parseFeedsConfig(yaml, 'feeds.yaml');
}

const byName = (o: FeedOutcome[], n: string): FeedOutcome => o.find((x) => x.feed === n)!;

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  serveReal();
});
after(() => {
  for (const r of hanging) r.destroy();
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('indicators update against a local server', () => {
  let store: SqliteStore;
  before(() => {
    store = SqliteStore.inDir(mkdtempSync(join(tmp, 'lib-')));
  });
  after(() => store.close());
  const opts = { allowLoopbackHttp: true, force: true, timeoutMs: 2000 };

  test('every default-style feed loads from the network, and matching works on the result', async () => {
    const out = await updateFeeds(store, configs(), opts);
    assert.deepEqual(out.map((o) => o.status), ['updated', 'updated', 'updated', 'updated', 'updated']);
    const m = loadIndicators(store);
    assert.equal(m.matchDomain('1ca43.appspot.com').find((x) => x.feed === 'echap-ioc')?.family, 'TheTruthSpy');
    assert.equal(m.search('google.com').every((x) => x.allowed), true);
  });

  test('an unchanged feed costs a 304: the stored ETag is sent back', async () => {
    requests.length = 0;
    const out = await updateFeeds(store, configs(), opts);
    assert.equal(byName(out, 'echap-ioc').status, 'unchanged');
    assert.equal(requests.find((r) => r.path === '/ioc.yaml')?.ifNoneMatch, '"ioc-1"');
    // No ETag from the server: the bytes are compared instead.
    assert.equal(byName(out, 'tinycheck-whitelist').status, 'unchanged');
  });

  test('without a refresh due and without --force nothing is fetched', async () => {
    requests.length = 0;
    const out = await updateFeeds(store, configs(), { ...opts, force: false });
    assert.ok(out.every((o) => o.status === 'fresh'));
    assert.equal(requests.length, 0);
  });

  const corruptions: [string, string, { body: Buffer; type: string }, RegExp][] = [
    ['tinycheck-iocs', '/iocs.json', { body: file('tinycheck/iocs.json').subarray(0, 50_000), type: 'application/json' }, /not valid JSON.*truncated/],
    ['echap-ioc', '/ioc.yaml', { body: Buffer.from('apps:\n  thetruthspy: [copy9.com]\n'), type: 'text/plain' }, /expected a YAML list of apps/],
    ['echap-stix2', '/stalkerware.stix2', { body: Buffer.from(file('stalkerware-indicators/generated/stalkerware-2023-05.stix2').toString().replace("[domain-name:value='copy9.com']", "[domain-name:value='copy9.com'")), type: 'application/octet-stream' }, /broken pattern/],
    ['echap-watchware', '/watchware.yaml', { body: HTML, type: 'text/html; charset=utf-8' }, /HTML page/],
    ['tinycheck-whitelist', '/whitelist.json', { body: HTML, type: 'text/plain' }, /HTML page/],
  ];
  for (const [feed, path, bad, why] of corruptions) {
    test(`${feed}: a corrupt download (${why.source}) is refused and the previous set stays`, async () => {
      const beforeState = store.getFeed(feed)!;
      assert.ok(beforeState.indicatorCount > 0);
      const good = routes.get(path)!;
      routes.set(path, bad);
      try {
        const out = await updateFeeds(store, configs(), { ...opts, only: [feed] });
        const o = byName(out, feed);
        assert.equal(o.status, 'failed');
        assert.match(o.error!, why);
        assert.equal(o.indicators, beforeState.indicatorCount);
        const after = store.getFeed(feed)!;
        assert.equal(after.version, beforeState.version);
        assert.equal(after.indicatorCount, beforeState.indicatorCount);
        assert.match(after.lastError!, why);
        let n = 0;
        store.forEachIndicator((i) => void (i.feed === feed && n++));
        assert.equal(n, beforeState.indicatorCount);
      } finally {
        routes.set(path, good);
      }
    });
  }

  test('a server that never answers times out; a feed over the size cap is stopped', async () => {
    const cfg = parseFeedsConfig(`defaults: false\nfeeds:\n  - { name: slow, url: ${base}/hang, format: lines }\n  - { name: big, url: ${base}/stalkerware.stix2, format: stix2 }\n`, 'f.yaml');
    const t0 = Date.now();
    const out = await updateFeeds(store, cfg, { ...opts, timeoutMs: 500, maxBytes: 100_000 });
    assert.ok(Date.now() - t0 < 5000);
    assert.match(byName(out, 'slow').error!, /no answer within 0.5 s/);
    assert.match(byName(out, 'big').error!, /over the 100000-byte limit/);
    // Feeds dropped from the configuration no longer match.
    assert.equal(store.getFeed('echap-ioc'), null);
  });

  test('plain http is refused unless it is loopback and the test option says so', async () => {
    const cfg = parseFeedsConfig(`defaults: false\nfeeds:\n  - { name: plain, url: ${base}/ioc.yaml, format: echap-yaml }\n  - { name: remote, url: 'http://example.org/ioc.yaml', format: echap-yaml }\n`, 'f.yaml');
    const out = await updateFeeds(store, cfg, { force: true, timeoutMs: 2000 });
    assert.match(byName(out, 'plain').error!, /only https/);
    const out2 = await updateFeeds(store, cfg, { ...opts });
    assert.match(byName(out2, 'remote').error!, /only https/);
    assert.equal(byName(out2, 'plain').status, 'updated');
  });

  test('an MVT index brings in every feed it lists, each on its own', async () => {
    routes.set('/mvt/indicators.yaml', { body: file('mvt-indicators/indicators.yaml'), type: 'text/plain' });
    routes.set('/gh/AmnestyTech/investigations/master/2021-07-18_nso/pegasus.stix2', { body: file('amnesty/2021-07-18_nso_pegasus.stix2'), type: 'text/plain' });
    routes.set('/gh/mvt-project/mvt-indicators/main/2022-06-23_rcs_lab/rcs.stix2', { body: file('mvt-indicators/rcs.stix2'), type: 'text/plain' });
    const cfg = parseFeedsConfig(`defaults: false\nfeeds:\n  - { name: mvt, url: ${base}/mvt/indicators.yaml, format: mvt-index, mirror: ${base}/gh/ }\n`, 'f.yaml');
    const out = await updateFeeds(store, cfg, opts);
    const listed = [...file('mvt-indicators/indicators.yaml').toString().matchAll(/^\s+path: /gm)].length;
    assert.equal(out.filter((o) => o.feed.startsWith('mvt/')).length, listed);
    const ok = out.filter((o) => o.status === 'updated').map((o) => o.feed);
    assert.deepEqual(ok.sort(), ['mvt', 'mvt/nso-group-pegasus-indicators-of-compromise', 'mvt/rcs-lab-spyware-indicators-of-compromise']);
    assert.ok(out.filter((o) => o.status === 'failed').every((o) => /HTTP 404/.test(o.error!)));
    // The store's folder has no feeds.yaml, so its defaults (MVT off) would hide the index: the
    // configuration this update ran with decides instead.
    assert.equal(loadIndicators(store, { configs: cfg }).matchDomain('weather4free.com')[0]?.family, 'Pegasus');
    assert.deepEqual(loadIndicators(store).matchDomain('weather4free.com'), []);
  });
});

describe('the quietcheck indicators CLI', () => {
  const cli = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const dataDir = join(tmp, 'cli');
  const q = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const r = await run(process.execPath, [cli, 'indicators', ...args], { env: { ...process.env, QUIETCHECK_DATA_DIR: dataDir }, cwd: tmp });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };
  before(() => {
    assert.ok(existsSync(cli), `build first: ${cli} is missing (npm run build)`);
    rmSync(dataDir, { recursive: true, force: true });
    serveReal();
  });

  test('update, then search a C2 domain, a look-alike and a whitelisted domain (--json)', async () => {
    const empty = await q('list', '--json');
    assert.equal(empty.code, 0);
    assert.deepEqual(JSON.parse(empty.stdout), []);
    writeFileSync(join(dataDir, 'feeds.yaml'), `defaults: false\nfeeds:\n${configs().map((c) => `  - { name: ${c.name}, url: '${c.url}', format: ${c.format}, list: ${c.list} }`).join('\n')}\n`);
    const up = await q('update', '--json', '--allow-http-loopback');
    assert.equal(up.code, 0, up.stderr);
    const res = JSON.parse(up.stdout) as { feeds: FeedOutcome[] };
    assert.equal(byName(res.feeds, 'echap-ioc').status, 'updated');

    const s = await q('search', 'protocol-a748.thetruthspy.com', '--json');
    assert.equal(s.code, 0);
    const matches = JSON.parse(s.stdout) as { value: string; kind: string; family: string | null; tag: string | null; feed: string; allowed: boolean }[];
    assert.ok(matches.some((m) => m.family === 'TheTruthSpy' && m.kind === 'c2-domain' && m.feed === 'echap-ioc' && m.allowed === false));
    for (const m of matches) for (const k of ['value', 'kind', 'family', 'tag', 'feed', 'allowed']) assert.ok(k in m, k);

    assert.deepEqual(JSON.parse((await q('search', 'notthetruthspy.com', '--json')).stdout), []);
    const allowed = JSON.parse((await q('search', 'google.com', '--json')).stdout) as { allowed: boolean }[];
    assert.ok(allowed.length > 0 && allowed.every((m) => m.allowed));
  });

  test('list and stats report feeds and counts; a failed feed shows why', async () => {
    routes.set('/iocs.json', { body: HTML, type: 'text/html' });
    const up = await q('update', '--force', '--feed', 'tinycheck-iocs', '--allow-http-loopback');
    assert.equal(up.code, 2);
    assert.match(up.stdout, /tinycheck-iocs: FAILED .*HTML page[\s\S]*keeping the previous set/);
    const list = JSON.parse((await q('list', '--json')).stdout) as { name: string; lastError: string | null; indicatorCount: number }[];
    const tc = list.find((f) => f.name === 'tinycheck-iocs')!;
    assert.match(tc.lastError!, /HTML page/);
    assert.ok(tc.indicatorCount > 3000);
    const stats = JSON.parse((await q('stats', '--json')).stdout) as { total: number; byKind: Record<string, number> };
    assert.equal(stats.total, list.reduce((a, f) => a + f.indicatorCount, 0));
    assert.ok(stats.byKind['c2-domain']! > 900);
  });

  test('import a local file; bad input exits 2', async () => {
    const imp = await q('import', join(INDICATORS, 'stalkerware-indicators/generated/suricata.rules'), '--json');
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal((JSON.parse(imp.stdout) as { feeds: FeedOutcome[] }).feeds[0]!.indicators, 990);
    const s = JSON.parse((await q('search', '69.64.74.239', '--json')).stdout) as { feed: string; family: string }[];
    assert.ok(s.some((m) => m.feed === 'import-suricata' && m.family === 'TheTruthSpy'));
    assert.equal((await q('import', join(INDICATORS, 'stalkerware-indicators/vendors-spytrac-malformed.yaml'))).code, 2);
    assert.equal((await q('import', join(tmp, 'missing.txt'))).code, 2);
    assert.equal((await q('search')).code, 2);
    assert.equal((await q('update', '--timeout', 'soon')).code, 2);
    const help = await q('search', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /notcopy9\.com never matches copy9\.com/);
  });
});
