import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadFeedsConfig, parseFeedsConfig } from '../../src/config/feeds.js';
import { importFeed, isFeedActive, loadIndicators, updateFeeds } from '../../src/indicators/feeds.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { INDICATORS } from '../helpers/paths.js';

/**
 * Disabling or removing a feed in feeds.yaml takes effect when the matcher is next built, without
 * waiting for `update` to delete its stored set.
 */

const IOC = join(INDICATORS, 'stalkerware-indicators/ioc.yaml');
const TINYCHECK = join(INDICATORS, 'tinycheck/iocs.json');
const RULES = join(INDICATORS, 'stalkerware-indicators/generated/suricata.rules');

/** A C2 domain of each feed, read from the files themselves. */
const iocDomain = /c2:\s*\n\s+domains:\s*\n\s+- (\S+)/.exec(readFileSync(IOC, 'utf8'))![1]!;
const tinycheckDomain = (JSON.parse(readFileSync(TINYCHECK, 'utf8')) as { iocs: { type: string; value: string }[] }).iocs.find((i) => i.type === 'domain')!.value;
const rulesIp = /-> \[(\d+\.\d+\.\d+\.\d+)\]/.exec(readFileSync(RULES, 'utf8'))![1]!;

const feedsYaml = (ioc: string, tinycheck: string): string =>
  `defaults: false\nfeeds:\n${ioc ? `  - { name: echap-ioc, url: '${IOC}', format: echap-yaml${ioc} }\n` : ''}${tinycheck ? `  - { name: tinycheck-iocs, url: '${TINYCHECK}', format: tinycheck-iocs${tinycheck} }\n` : ''}`;

describe('the matcher only uses feeds the configuration enables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quietcheck-active-'));
  let store: SqliteStore;
  const feedsOf = (name: string): string[] => loadIndicators(store).search(name).map((m) => m.feed);

  before(async () => {
    store = SqliteStore.inDir(dir);
    writeFileSync(join(dir, 'feeds.yaml'), feedsYaml(' ', ' '));
    const out = await updateFeeds(store, loadFeedsConfig(dir), { force: true });
    assert.deepEqual(out.map((o) => [o.feed, o.status]), [['echap-ioc', 'updated'], ['tinycheck-iocs', 'updated']]);
    await importFeed(store, RULES, { name: 'my-rules' });
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('both configured feeds and the import match while enabled', () => {
    assert.ok(feedsOf(iocDomain).includes('echap-ioc'));
    assert.ok(feedsOf(tinycheckDomain).includes('tinycheck-iocs'));
    assert.ok(feedsOf(rulesIp).includes('my-rules'));
  });

  test('a feed disabled in feeds.yaml stops matching at once; its set is still stored for when it comes back', () => {
    writeFileSync(join(dir, 'feeds.yaml'), feedsYaml(' ', ', enabled: false'));
    assert.ok(!feedsOf(tinycheckDomain).includes('tinycheck-iocs'));
    assert.ok(store.getFeed('tinycheck-iocs')!.indicatorCount > 0);
    assert.equal(loadIndicators(store).stats().byFeed['tinycheck-iocs'], undefined);
    assert.equal(loadIndicators(store).payloadRules.length, 0, "the disabled feed's payload rules go too");
    assert.ok(feedsOf(iocDomain).includes('echap-ioc'));
    assert.ok(feedsOf(rulesIp).includes('my-rules'), 'imports are not configured feeds and stay');
    writeFileSync(join(dir, 'feeds.yaml'), feedsYaml(' ', ' '));
    assert.ok(feedsOf(tinycheckDomain).includes('tinycheck-iocs'));
    assert.ok(loadIndicators(store).payloadRules.length > 0);
  });

  test('a feed removed from feeds.yaml stops matching at once', () => {
    writeFileSync(join(dir, 'feeds.yaml'), feedsYaml('', ' '));
    assert.ok(!feedsOf(iocDomain).includes('echap-ioc'));
    assert.ok(feedsOf(tinycheckDomain).includes('tinycheck-iocs'));
  });

  test('without feeds.yaml the defaults decide (a feed with a default name stays, others go)', () => {
    rmSync(join(dir, 'feeds.yaml'));
    assert.ok(feedsOf(iocDomain).includes('echap-ioc'));
    assert.ok(feedsOf(tinycheckDomain).includes('tinycheck-iocs'));
    writeFileSync(join(dir, 'feeds.yaml'), 'feeds:\n  - { name: echap-ioc, enabled: false }\n');
    assert.ok(!feedsOf(iocDomain).includes('echap-ioc'));
  });

  test('a feeds.yaml that does not parse filters nothing: detection keeps every stored set', () => {
    writeFileSync(join(dir, 'feeds.yaml'), 'feeds: [ { name: echap-ioc, refresh: soon } ]\n');
    assert.throws(() => loadFeedsConfig(dir), /refresh must be/);
    assert.ok(feedsOf(iocDomain).includes('echap-ioc'));
    assert.ok(feedsOf(tinycheckDomain).includes('tinycheck-iocs'));
  });

  test('a configuration given by the caller wins; null means every stored feed', () => {
    writeFileSync(join(dir, 'feeds.yaml'), feedsYaml(' ', ' '));
    const onlyIoc = parseFeedsConfig(feedsYaml(' ', ''), 'x.yaml');
    const m = loadIndicators(store, { configs: onlyIoc });
    assert.deepEqual(Object.keys(m.stats().byFeed).sort(), ['echap-ioc', 'my-rules']);
    assert.deepEqual(Object.keys(loadIndicators(store, { configs: null }).stats().byFeed).sort(), ['echap-ioc', 'my-rules', 'tinycheck-iocs']);
  });

  test('the next update then deletes the set of a disabled feed', async () => {
    writeFileSync(join(dir, 'feeds.yaml'), feedsYaml(' ', ', enabled: false'));
    const out = await updateFeeds(store, loadFeedsConfig(dir), { force: true });
    assert.equal(out.find((o) => o.feed === 'tinycheck-iocs')?.status, 'disabled');
    assert.equal(store.getFeed('tinycheck-iocs'), null);
  });
});

describe('isFeedActive', () => {
  const cfg = parseFeedsConfig('defaults: false\nfeeds:\n  - { name: mvt, url: x, format: mvt-index }\n  - { name: off, url: y, format: lines, enabled: false }\n', 'f.yaml');
  test('configured feeds by name and enabled flag; index children follow their index; imports always', () => {
    assert.equal(isFeedActive({ name: 'mvt', origin: 'config' }, cfg), true);
    assert.equal(isFeedActive({ name: 'mvt/nso-group-pegasus', origin: 'index' }, cfg), true);
    assert.equal(isFeedActive({ name: 'off', origin: 'config' }, cfg), false);
    assert.equal(isFeedActive({ name: 'gone', origin: 'config' }, cfg), false);
    assert.equal(isFeedActive({ name: 'gone/child', origin: 'index' }, cfg), false);
    assert.equal(isFeedActive({ name: 'import-anything', origin: 'import' }, cfg), true);
    const mvtOff = parseFeedsConfig('feeds:\n  - { name: mvt, enabled: false }\n', 'f.yaml');
    assert.equal(isFeedActive({ name: 'mvt/nso-group-pegasus', origin: 'index' }, mvtOff), false);
  });
});
