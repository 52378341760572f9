import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseFeedsConfig, type FeedConfig } from '../../src/config/feeds.js';
import { importFeed, loadIndicators, updateFeeds, type FeedOutcome } from '../../src/indicators/feeds.js';
import { parseFeed } from '../../src/indicators/formats/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { INDICATORS } from '../helpers/paths.js';

/**
 * MISP as a feed (manifest.json + one file per event, from a folder and over HTTP) and as an
 * instance (`/attributes/restSearch` with an API key), both serving Echap's real event.
 */

interface Attr {
  uuid: string;
  type: string;
  value: string;
  category: string;
  to_ids: boolean;
  object_relation?: string;
  comment?: string;
  disable_correlation?: boolean;
}
interface Ev {
  uuid: string;
  info: string;
  distribution: string;
  published: boolean;
  Attribute: Attr[];
  Object: { name: string; uuid: string; Attribute: Attr[] }[];
}

const event = JSON.parse(readFileSync(join(INDICATORS, 'stalkerware-indicators/generated/misp_event.json'), 'utf8')) as Ev;
const KEY = 'k3y-for-tests-0123456789abcdef0123456789abcdef';
const KEY_ENV = 'QUIETCHECK_TEST_MISP_KEY';

/** What the event holds, counted straight from its JSON: family|kind → distinct values. */
function expectedFromEvent(onlyToIds = false): Map<string, number> {
  const KIND: Record<string, string> = { domain: 'domain', sha256: 'file-sha256', certificate: 'apk-cert-sha1', appid: 'app-id' };
  const seen = new Set<string>();
  for (const o of event.Object) {
    const fam = o.Attribute.find((a) => a.object_relation === 'name')!.value;
    for (const a of o.Attribute) {
      if (onlyToIds && !a.to_ids) continue;
      const kind = KIND[a.object_relation ?? ''];
      if (kind) seen.add(`${fam}|${kind}|${a.value.toLowerCase()}`);
    }
  }
  const out = new Map<string, number>();
  for (const k of seen) {
    const fk = k.split('|').slice(0, 2).join('|');
    out.set(fk, (out.get(fk) ?? 0) + 1);
  }
  return out;
}

function storedCounts(store: SqliteStore, feed: string): Map<string, number> {
  const out = new Map<string, number>();
  store.forEachIndicator((i) => {
    if (i.feed !== feed) return;
    const k = `${i.family}|${i.kind}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  });
  return out;
}

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** The event as a MISP instance's attribute search returns it: flat attributes pointing at their object. */
function restSearchAttributes(): Record<string, unknown>[] {
  let id = 1000;
  const eventRef = { org_id: '1', distribution: event.distribution, id: '17', info: event.info, orgc_id: '1', uuid: event.uuid };
  const flat = (a: Attr, objectId: string): Record<string, unknown> => ({
    id: String(id++),
    event_id: '17',
    object_id: objectId,
    object_relation: a.object_relation ?? null,
    category: a.category,
    type: a.type,
    to_ids: a.to_ids,
    uuid: a.uuid,
    timestamp: '1700000000',
    distribution: '5',
    sharing_group_id: '0',
    comment: a.comment ?? '',
    deleted: false,
    disable_correlation: a.disable_correlation ?? false,
    first_seen: null,
    last_seen: null,
    value: a.value,
    Event: eventRef,
  });
  return [...event.Attribute.map((a) => flat(a, '0')), ...event.Object.flatMap((o, i) => o.Attribute.map((a) => flat(a, String(500 + i))))];
}

const routes = new Map<string, { body: Buffer; type: string; etag?: string }>();
const apiRequests: { authorization: string | undefined; method: string; body: Record<string, unknown> | null }[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    if (path === '/misp/attributes/restSearch') {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = null;
      }
      apiRequests.push({ authorization: req.headers.authorization, method: req.method ?? '', body });
      if (req.method !== 'POST' || body === null) {
        res.writeHead(405, { 'content-type': 'application/json' }).end('{"name":"Method not allowed"}');
        return;
      }
      if (req.headers.authorization !== KEY) {
        // What MISP answers a request with a wrong or missing key.
        const msg = 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ name: msg, message: msg, url: '/attributes/restSearch' }));
        return;
      }
      const wantIds = body.to_ids === true || body.to_ids === 1 || body.to_ids === '1';
      const attrs = restSearchAttributes().filter((a) => !wantIds || a.to_ids === true);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ response: { Attribute: attrs } }));
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
    res.writeHead(200, { 'content-type': r.type, ...(r.etag ? { etag: r.etag } : {}) }).end(r.body);
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'quietcheck-misp-'));
let base = '';
const feedDir = join(tmp, 'feed');
const manifest = Buffer.from(
  JSON.stringify({
    [event.uuid]: {
      info: event.info,
      Orgc: { name: 'Echap', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      Tag: [],
      date: '2024-01-01',
      analysis: '2',
      threat_level_id: '3',
      timestamp: '1700000000',
    },
  }),
);
// A feed publishes each event wrapped as {"Event": {…}}, unlike Echap's bare export.
const eventFile = Buffer.from(JSON.stringify({ Event: event }));

before(async () => {
  mkdirSync(feedDir);
  writeFileSync(join(feedDir, 'manifest.json'), manifest);
  writeFileSync(join(feedDir, `${event.uuid}.json`), eventFile);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set('/misp/feed/manifest.json', { body: manifest, type: 'application/json', etag: '"manifest-1"' });
  routes.set(`/misp/feed/${event.uuid}.json`, { body: eventFile, type: 'application/json' });
});
after(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const opts = { allowLoopbackHttp: true, force: true, timeoutMs: 5000 };
const byName = (o: FeedOutcome[], n: string): FeedOutcome => o.find((x) => x.feed === n)!;

/** A known C2 domain of the event and its family, read from the JSON. */
function knownDomain(): { domain: string; family: string } {
  const o = event.Object.find((x) => x.Attribute.some((a) => a.object_relation === 'domain'))!;
  return { domain: o.Attribute.find((a) => a.object_relation === 'domain')!.value, family: o.Attribute.find((a) => a.object_relation === 'name')!.value };
}

describe('MISP feed: manifest.json and event files', () => {
  let store: SqliteStore;
  before(() => {
    store = SqliteStore.inDir(mkdtempSync(join(tmp, 'feed-store-')));
  });
  after(() => store.close());

  const configs = (): FeedConfig[] =>
    parseFeedsConfig(
      `defaults: false\nfeeds:\n  - { name: misp-folder, url: '${feedDir}', format: misp-feed }\n  - { name: misp-url, url: '${base}/misp/feed', format: misp-feed }\n`,
      'feeds.yaml',
    );

  test('the event shape a feed publishes is still detected as MISP', () => {
    assert.equal(parseFeed(eventFile.toString(), 'x.json', 'misp-event').indicators.length > 0, true);
  });

  test('from a folder and from a URL, every attribute of the event is stored with its family', async () => {
    const expected = expectedFromEvent();
    assert.ok(sum(expected) > 5000, `the event holds ${sum(expected)} indicators`);
    const out = await updateFeeds(store, configs(), opts);
    for (const name of ['misp-folder', 'misp-url']) {
      const o = byName(out, name);
      assert.equal(o.status, 'updated', o.error ?? '');
      assert.equal(o.indicators, sum(expected));
      assert.deepEqual(storedCounts(store, name), expected);
      // The event-level "link" attribute is not an indicator, and a value listed twice for one
      // family is stored once: both are reported.
      const usable = event.Object.flatMap((x) => x.Attribute).filter((a) => ['domain', 'sha256', 'certificate', 'appid'].includes(a.object_relation ?? '')).length;
      const skipped: Record<string, number> = { 'misp:type:link': event.Attribute.filter((a) => a.type === 'link').length };
      if (usable > sum(expected)) skipped.duplicate = usable - sum(expected);
      assert.deepEqual(o.skipped, skipped);
    }
    const { domain, family } = knownDomain();
    const m = loadIndicators(store, { configs: configs() });
    const hits = m.matchDomain(`x.${domain}`);
    assert.deepEqual(hits.map((h) => h.feed).sort(), ['misp-folder', 'misp-url']);
    assert.ok(hits.every((h) => h.family === family && h.source.includes(`${event.uuid}.json Event.Object[`)));
  });

  test('an unchanged manifest costs a 304 and nothing else', async () => {
    const out = await updateFeeds(store, configs(), { ...opts, only: ['misp-url'] });
    assert.equal(byName(out, 'misp-url').status, 'unchanged');
  });

  test('a missing event file fails the whole feed and keeps the previous set', async () => {
    const before = store.getFeed('misp-url')!;
    const good = routes.get(`/misp/feed/${event.uuid}.json`)!;
    routes.delete(`/misp/feed/${event.uuid}.json`);
    routes.set('/misp/feed/manifest.json', { body: manifest, type: 'application/json', etag: '"manifest-2"' });
    try {
      const o = byName(await updateFeeds(store, configs(), { ...opts, only: ['misp-url'] }), 'misp-url');
      assert.equal(o.status, 'failed');
      assert.match(o.error!, new RegExp(`${event.uuid}\\.json: HTTP 404`));
      assert.equal(store.getFeed('misp-url')!.version, before.version);
      assert.equal(o.indicators, before.indicatorCount);
    } finally {
      routes.set(`/misp/feed/${event.uuid}.json`, good);
    }
  });

  test('importing the folder recognises it as a MISP feed', async () => {
    const [o] = await importFeed(store, feedDir, { name: 'import-misp' });
    assert.equal(o!.status, 'updated');
    assert.equal(store.getFeed('import-misp')!.format, 'misp-feed');
    assert.equal(o!.indicators, sum(expectedFromEvent()));
  });
});

describe('MISP instance: /attributes/restSearch with an API key', () => {
  let store: SqliteStore;
  before(() => {
    store = SqliteStore.inDir(mkdtempSync(join(tmp, 'api-store-')));
  });
  after(() => store.close());

  const configs = (extra = ''): FeedConfig[] =>
    parseFeedsConfig(`defaults: false\nfeeds:\n  - { name: misp-api, url: '${base}/misp', format: misp-api, apiKeyEnv: ${KEY_ENV}${extra} }\n`, 'feeds.yaml');

  test('the search answer is read: same indicators and families as the event itself', async () => {
    apiRequests.length = 0;
    const out = await updateFeeds(store, configs(`, filter: { eventid: '17' }`), { ...opts, env: { [KEY_ENV]: KEY } });
    const o = byName(out, 'misp-api');
    assert.equal(o.status, 'updated', o.error ?? '');
    assert.equal(apiRequests.length, 1);
    assert.equal(apiRequests[0]!.method, 'POST');
    assert.equal(apiRequests[0]!.authorization, KEY);
    assert.deepEqual(apiRequests[0]!.body, { returnFormat: 'json', eventid: '17' });
    const expected = expectedFromEvent();
    assert.deepEqual(storedCounts(store, 'misp-api'), expected);
    assert.equal(o.indicators, sum(expected));
    const { domain, family } = knownDomain();
    const hit = loadIndicators(store, { configs: configs() }).matchDomain(domain).find((h) => h.feed === 'misp-api');
    assert.equal(hit?.family, family);
    assert.match(hit!.source, /attributes\/restSearch response\.Attribute\[\d+\] [0-9a-f-]{36}$/);
  });

  test('with to_ids asked for, only those attributes come back', async () => {
    const out = await updateFeeds(store, configs(`, filter: { to_ids: true }`), { ...opts, env: { [KEY_ENV]: KEY } });
    const o = byName(out, 'misp-api');
    assert.equal(o.status, 'updated', o.error ?? '');
    // Family names are `to_ids: false` text attributes in Echap's event, so they are not sent.
    const expected = new Map<string, number>();
    const distinct = new Set<string>();
    const KIND: Record<string, string> = { domain: 'domain', sha256: 'file-sha256', certificate: 'apk-cert-sha1' };
    for (const ob of event.Object) for (const a of ob.Attribute) if (a.to_ids && KIND[a.object_relation!]) distinct.add(`${KIND[a.object_relation!]}|${a.value.toLowerCase()}`);
    for (const k of distinct) expected.set(`null|${k.split('|')[0]}`, (expected.get(`null|${k.split('|')[0]}`) ?? 0) + 1);
    assert.deepEqual(storedCounts(store, 'misp-api'), expected);
  });

  test('a wrong key is refused: the update fails saying so and the previous set stays', async () => {
    await updateFeeds(store, configs(), { ...opts, env: { [KEY_ENV]: KEY } });
    const good = store.getFeed('misp-api')!;
    assert.equal(good.indicatorCount, sum(expectedFromEvent()));
    const wrong = 'not-the-key-0000000000000000000000000000';
    apiRequests.length = 0;
    const o = byName(await updateFeeds(store, configs(), { ...opts, env: { [KEY_ENV]: wrong } }), 'misp-api');
    assert.equal(apiRequests[0]!.authorization, wrong);
    assert.equal(o.status, 'failed');
    assert.match(o.error!, new RegExp(`refused the API key from ${KEY_ENV} \\(HTTP 403\\)`));
    assert.ok(!o.error!.includes(wrong) && !o.error!.includes(KEY), 'the key itself is never in the message');
    const after = store.getFeed('misp-api')!;
    assert.equal(after.version, good.version);
    assert.equal(after.indicatorCount, good.indicatorCount);
    assert.equal(o.indicators, good.indicatorCount);
    assert.match(after.lastError!, /refused the API key/);
    const { domain, family } = knownDomain();
    assert.equal(loadIndicators(store, { configs: configs() }).matchDomain(domain).find((h) => h.feed === 'misp-api')?.family, family);
  });

  test('no key in the environment: nothing is sent, and the message says what to set', async () => {
    apiRequests.length = 0;
    const o = byName(await updateFeeds(store, configs(), { ...opts, env: {} }), 'misp-api');
    assert.equal(o.status, 'failed');
    assert.match(o.error!, /API key missing/);
    assert.equal(apiRequests.length, 0);
    assert.ok(o.indicators > 0);
  });
});
