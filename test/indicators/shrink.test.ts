/**
 * Feed updates that cannot shrink silently: cut-off, emptied and short-delivered copies of Echap's real
 * ioc.yaml are refused and the stored set stays; an admin can accept a real shrink with the counts
 * shown (library, CLI and API); every attempt is recorded with its counts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parseFeedsConfig, type FeedConfig } from '../../src/config/feeds.js';
import { loadIndicators, updateFeeds, type FeedOutcome } from '../../src/indicators/feeds.js';
import { parseFeed } from '../../src/indicators/formats/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { INDICATORS, ROOT } from '../helpers/paths.js';
import { api, asAdmin, login, startTestServer } from '../server/helpers.js';

const run = promisify(execFile);
const IOC = readFileSync(join(INDICATORS, 'stalkerware-indicators/ioc.yaml'));
const tmp = mkdtempSync(join(tmpdir(), 'quietcheck-shrink-'));

/** The body the feed server sends for /ioc.yaml, and the Content-Length it announces (null: the true one). */
let body: Buffer = IOC;
let announce: number | null = null;
let base = '';
// A raw TCP server: it must be able to announce one length and send another, which node:http refuses to do.
const server: Server = createTcpServer((sock) => {
  sock.once('data', () => {
    const len = announce ?? body.length;
    sock.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${len}\r\nconnection: close\r\n\r\n`);
    sock.end(body);
  });
  sock.on('error', () => {});
});

function configs(): FeedConfig[] {
  return parseFeedsConfig(`defaults: false\nfeeds:\n  - { name: echap-ioc, url: ${base}/ioc.yaml, format: echap-yaml }\n`, 'feeds.yaml');
}
const opts = { allowLoopbackHttp: true, force: true, timeoutMs: 5000 };
const one = (o: FeedOutcome[]): FeedOutcome => o.find((x) => x.feed === 'echap-ioc')!;

/** A cut at the last line break before `at`: valid YAML, just a shorter list. */
function cutAtLine(at: number): Buffer {
  return IOC.subarray(0, IOC.lastIndexOf(0x0a, at) + 1);
}

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a feed update cannot shrink the stored set silently', () => {
  let store: SqliteStore;
  let full = 0;
  before(async () => {
    store = SqliteStore.inDir(mkdtempSync(join(tmp, 'lib-')));
    body = IOC;
    const o = one(await updateFeeds(store, configs(), opts));
    assert.equal(o.status, 'updated', o.error ?? '');
    full = o.indicators;
    assert.ok(full > 2000, `the real ioc.yaml holds thousands of indicators, got ${full}`);
  });
  after(() => store.close());

  const assertKept = (o: FeedOutcome, why: RegExp): void => {
    assert.equal(o.status, 'failed');
    assert.match(o.error!, why);
    assert.equal(o.indicators, full);
    assert.equal(store.getFeed('echap-ioc')!.indicatorCount, full);
    let n = 0;
    store.forEachIndicator((i) => void (i.feed === 'echap-ioc' && n++));
    assert.equal(n, full);
  };

  test('a copy cut inside a domain is refused, and the fragment never becomes an indicator', async () => {
    const domain = 'protocol-a616.copy9.com';
    const at = IOC.indexOf(domain);
    assert.ok(at > 0, 'the real file lists this TheTruthSpy C2 domain');
    body = IOC.subarray(0, at + 'protocol-a616.co'.length); // cut inside the name: "…protocol-a616.co"
    const o = one(await updateFeeds(store, configs(), opts));
    assertKept(o, /stops in the middle of a line.*protocol-a616\.co/);
    assert.equal(o.shrinkRefused, false);
    assert.ok(loadIndicators(store).matchDomain('protocol-a616.co').length === 0);
    assert.ok(loadIndicators(store).matchDomain(domain).length > 0);
  });

  test('a fragment is not an indicator even where a cut lands on a line end', () => {
    // The same cut with its line closed: the name ends in a one-letter "TLD" no server can have.
    const r = parseFeed('- name: X\n  type: stalkerware\n  c2:\n    domains:\n    - protocol-a616.c\n    - 12.34.56.78\n    - ok.example.com\n', 'cut.yaml', 'echap-yaml');
    assert.deepEqual(r.indicators.map((i) => i.value), ['12.34.56.78', 'ok.example.com']);
    assert.equal(r.skipped['invalid-c2-domain'], 1);
  });

  test('a plain list cut in its last line keeps every whole line and counts the cut one', () => {
    const r = parseFeed('copy9.com\nthetruthspy.com\nprotocol-a616.co', 'list.txt', 'lines');
    assert.deepEqual(r.indicators.map((i) => i.value), ['copy9.com', 'thetruthspy.com']);
    assert.equal(r.skipped['cut-off-last-line'], 1);
  });

  test('a copy cut at byte 40,000 (on a line end, valid YAML) is refused with both counts', async () => {
    body = cutAtLine(40_000);
    const o = one(await updateFeeds(store, configs(), opts));
    assertKept(o, /holds \d+ indicators where the stored set has \d+ \(\d+ % fewer, more than the 20 % allowed\)/);
    assert.equal(o.shrinkRefused, true);
    assert.equal(o.previousCount, full);
    assert.ok(o.offeredCount! > 0 && o.offeredCount! < full * 0.8);
  });

  for (const empty of ['[]', '[]\n', '# nothing here\n[]\n']) {
    test(`a copy holding ${JSON.stringify(empty)} is refused`, async () => {
      body = Buffer.from(empty);
      const o = one(await updateFeeds(store, configs(), opts));
      assertKept(o, /holds no indicators|stops in the middle of a line/);
    });
  }

  test('a download shorter than its Content-Length is refused, even when cut on a line end', async () => {
    body = cutAtLine(90_000);
    announce = IOC.length;
    try {
      const o = one(await updateFeeds(store, configs(), opts));
      assertKept(o, /cut off|incomplete|announced/);
    } finally {
      announce = null;
    }
  });

  test('a loss within the allowed share passes; a larger one passes only when an admin accepts it', async () => {
    body = cutAtLine(IOC.length - 3000);
    const small = one(await updateFeeds(store, configs(), opts));
    assert.equal(small.status, 'updated');
    assert.equal(small.forced, false);
    const shrunk = small.indicators;
    assert.ok(shrunk < full && shrunk > full * 0.8);
    body = IOC;
    assert.equal(one(await updateFeeds(store, configs(), opts)).indicators, full);

    body = cutAtLine(40_000);
    const refused = one(await updateFeeds(store, configs(), { ...opts, acceptShrink: ['another-feed'] }));
    assert.equal(refused.shrinkRefused, true);
    const forced = one(await updateFeeds(store, configs(), { ...opts, acceptShrink: ['echap-ioc'] }));
    assert.equal(forced.status, 'updated');
    assert.equal(forced.forced, true);
    assert.equal(forced.previousCount, full);
    assert.equal(forced.indicators, forced.offeredCount);
    assert.equal(store.getFeed('echap-ioc')!.indicatorCount, forced.indicators);

    const history = store.feedUpdates('echap-ioc');
    assert.deepEqual(history.slice(0, 5).map((h) => h.outcome), ['forced', 'refused', 'updated', 'updated', 'failed']);
    assert.equal(history[0]!.previousCount, full);
    assert.equal(history[0]!.newCount, forced.indicators);
    assert.equal(history[1]!.newCount, forced.indicators);
    assert.match(history[1]!.reason!, /fewer/);
    body = IOC;
    assert.equal(one(await updateFeeds(store, configs(), opts)).indicators, full);
  });
});

describe('the CLI and the API show the counts and let an admin accept a shrink', () => {
  const cli = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const q = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const r = await run(process.execPath, [cli, 'indicators', ...args], { env: { ...process.env, QUIETCHECK_DATA_DIR: dataDir } });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };
  let dataDir = '';
  before(() => {
    dataDir = mkdtempSync(join(tmp, 'cli-'));
    writeFileSync(join(dataDir, 'feeds.yaml'), `defaults: false\nfeeds:\n  - { name: echap-ioc, url: '${base}/ioc.yaml', format: echap-yaml }\n`);
  });

  test('update --help says what happens to a short or shrunken download', async () => {
    const h = await q('update', '--help');
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--accept-shrink/);
    assert.match(h.stdout, /--max-shrink <percent>/);
    assert.match(h.stdout, /holds no indicators, or more than --max-shrink percent \(default 20\) fewer/);
    assert.match(h.stdout, /shorter or longer than the server announced/);
  });

  test('a refused shrink exits 2 with both counts; --accept-shrink stores it; history lists both', async () => {
    body = IOC;
    const first = await q('update', '--allow-http-loopback');
    assert.equal(first.code, 0, first.stderr);
    body = cutAtLine(40_000);
    try {
      const refused = await q('update', '--allow-http-loopback', '--force');
      assert.equal(refused.code, 2);
      assert.match(refused.stdout, /echap-ioc: FAILED — echap-ioc: the new version holds \d+ indicators where the stored set has \d+[\s\S]*--accept-shrink[\s\S]*keeping the previous set/);
      const forced = await q('update', '--allow-http-loopback', '--force', '--accept-shrink', '--json');
      assert.equal(forced.code, 0, forced.stderr);
      const o = (JSON.parse(forced.stdout) as { feeds: FeedOutcome[] }).feeds[0]!;
      assert.equal(o.forced, true);
      const hist = JSON.parse((await q('history', '--json')).stdout) as { outcome: string; previousCount: number; newCount: number }[];
      assert.deepEqual(hist.map((h) => h.outcome), ['forced', 'refused', 'updated']);
      assert.equal(hist[0]!.newCount, o.indicators);
      assert.match((await q('history')).stdout, /echap-ioc: refused, \d+ → \d+/);
      assert.equal((await q('update', '--max-shrink', '120')).code, 2);
    } finally {
      body = IOC;
    }
  });

  test('POST /api/admin/feeds/update refuses with counts, then accepts the named feed', async () => {
    const dir = mkdtempSync(join(tmp, 'api-'));
    const feedFile = join(dir, 'ioc-copy.yaml');
    writeFileSync(feedFile, IOC);
    writeFileSync(join(dir, 'feeds.yaml'), `defaults: false\nfeeds:\n  - { name: echap-ioc, url: '${feedFile}', format: echap-yaml }\n`);
    const srv = await startTestServer({ dataDir: dir });
    try {
      const s = await login(srv.port);
      const up = (b: object = {}) => api(srv.port, '/api/admin/feeds/update', { method: 'POST', headers: asAdmin(s), body: { force: true, ...b } });
      const first = await up();
      assert.equal(first.status, 200, first.text);
      const full = first.json<FeedOutcome[]>()[0]!.indicators;
      writeFileSync(feedFile, cutAtLine(40_000));
      const refused = (await up()).json<FeedOutcome[]>()[0]!;
      assert.equal(refused.status, 'failed');
      assert.equal(refused.shrinkRefused, true);
      assert.equal(refused.previousCount, full);
      assert.ok(refused.offeredCount! < full * 0.8);
      assert.equal(refused.indicators, full);
      const accepted = (await up({ acceptShrink: ['echap-ioc'] })).json<FeedOutcome[]>()[0]!;
      assert.equal(accepted.status, 'updated');
      assert.equal(accepted.forced, true);
      assert.equal(accepted.indicators, refused.offeredCount);
      const hist = (await api(srv.port, '/api/admin/feeds/history?feed=echap-ioc', { headers: asAdmin(s) })).json<{ outcome: string }[]>();
      assert.deepEqual(hist.map((h) => h.outcome), ['forced', 'refused', 'updated']);
    } finally {
      await srv.close();
    }
  });
});
