import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, describe, test } from 'node:test';
import { ensureDataDir, resolveDataDir, defaultDataDir } from '../../src/config/paths.js';
import type { ParsedIndicator } from '../../src/indicators/types.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { NewSet } from '../../src/store/store.js';

const tmp = mkdtempSync(join(tmpdir(), 'quietcheck-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function set(values: string[], version: string): NewSet {
  return {
    indicators: values.map((v, i): ParsedIndicator => ({ kind: 'domain', value: v, family: 'F', tag: null, tlp: null, source: `f:${i}`, meta: { msg: 'm' } })),
    rules: [{ proto: 'tcp', src: 'any', dst: 'any', srcPorts: null, dstPorts: [22222], direction: null, contents: [{ bytes: Uint8Array.of(0, 1, 0xff), offset: 2, depth: 10, nocase: false }], msg: 'r', sid: 1, family: null, tag: null, tlp: null, source: 's' }],
    skipped: { duplicate: 1 },
    version,
    etag: '"e"',
    lastModified: null,
    fetchedAt: new Date(0).toISOString(),
  };
}

describe('SQLite store', () => {
  test('migrates to the latest schema in WAL mode, and reopens without migrating again', () => {
    const s = SqliteStore.inDir(tmp);
    assert.equal(s.schemaVersion, MIGRATIONS.length);
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    s.close();
    const again = SqliteStore.inDir(tmp);
    assert.equal(again.schemaVersion, MIGRATIONS.length);
    again.close();
  });

  test('schema 6 keeps the traffic checks of a schema 5 database and accepts device checks', () => {
    const dir = mkdtempSync(join(tmp, 'v5-'));
    const file = join(dir, 'quietcheck.sqlite');
    const old = new Database(file);
    old.transaction(() => {
      for (const m of MIGRATIONS.slice(0, 5)) old.exec(m);
      old.pragma('user_version = 5');
    })();
    old.prepare("INSERT INTO checks (id, source, state, lang, created_at, level, families, mode, hotspot_ssid) VALUES ('x', 'live', 'done', 'fr', '2026-01-01', 'high', '[\"F\"]', 'hotspot', 'qc-1')").run();
    assert.throws(() => old.prepare("INSERT INTO checks (id, source, state, lang, created_at) VALUES ('y', 'device', 'done', 'fr', '2026-01-01')").run(), /CHECK constraint/);
    old.close();
    const s = new SqliteStore(file);
    assert.equal(s.schemaVersion, 6);
    const x = s.getCheck('x')!;
    assert.deepEqual([x.source, x.state, x.level, x.families, x.mode, x.hotspotSsid, x.lang], ['live', 'done', 'high', ['F'], 'hotspot', 'qc-1', 'fr']);
    s.createCheck({ id: 'y', source: 'device', iface: null, device: 'SERIAL', filter: null, durationSeconds: null, lang: 'en', createdAt: '2026-01-02' });
    assert.deepEqual(s.listChecks().map((c) => [c.id, c.source, c.device]), [['y', 'device', 'SERIAL'], ['x', 'live', null]]);
    assert.ok(s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'checks_created'").get());
    s.close();
  });

  test('a set is stored with its counts and read back, payload bytes included', () => {
    const s = SqliteStore.inDir(tmp);
    s.upsertFeed({ name: 'a', url: '/x', format: 'lines', list: 'block', origin: 'import' });
    s.replaceSet('a', set(['one.com', 'two.com'], 'v1'));
    const f = s.getFeed('a')!;
    assert.deepEqual([f.version, f.indicatorCount, f.ruleCount, f.kinds, f.skipped, f.etag], ['v1', 2, 1, { domain: 2 }, { duplicate: 1 }, '"e"']);
    const got: string[] = [];
    s.forEachIndicator((i) => got.push(`${i.feed}:${i.value}:${i.meta?.msg}`));
    assert.deepEqual(got.sort(), ['a:one.com:m', 'a:two.com:m']);
    assert.deepEqual([...s.payloadRules()[0]!.rule.contents[0]!.bytes], [0, 1, 0xff]);
    s.close();
  });

  test('a swap that fails half-way leaves the previous set in place', () => {
    const s = SqliteStore.inDir(tmp);
    const bad = set(['three.com', 'four.com'], 'v2');
    // An indicator that SQLite refuses (NOT NULL source) after one row has been written.
    (bad.indicators as ParsedIndicator[])[1] = { ...bad.indicators[1]!, source: null as unknown as string };
    assert.throws(() => s.replaceSet('a', bad));
    const f = s.getFeed('a')!;
    assert.equal(f.version, 'v1');
    const got: string[] = [];
    s.forEachIndicator((i) => got.push(i.value));
    assert.deepEqual(got.sort(), ['one.com', 'two.com']);
    s.recordFailure('a', new Date(1).toISOString(), 'why');
    assert.equal(s.getFeed('a')!.lastError, 'why');
    assert.equal(s.getFeed('a')!.indicatorCount, 2);
    s.close();
  });

  test('removing a feed removes its indicators', () => {
    const s = SqliteStore.inDir(tmp);
    assert.equal(s.removeFeed('a'), true);
    let n = 0;
    s.forEachIndicator(() => n++);
    assert.equal(n, 0);
    assert.equal(s.payloadRules().length, 0);
    s.close();
  });

  test('the data directory: option, then QUIETCHECK_DATA_DIR, then XDG, created owner-only', () => {
    assert.equal(resolveDataDir('/a/b', { QUIETCHECK_DATA_DIR: '/c' }), '/a/b');
    assert.equal(resolveDataDir(undefined, { QUIETCHECK_DATA_DIR: '/c' }), '/c');
    assert.equal(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux'), '/xdg/quietcheck');
    assert.match(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux'), /\.local\/share\/quietcheck$/);
    const d = ensureDataDir(join(tmp, 'new', 'dir'));
    assert.equal(statSync(d).mode & 0o777, 0o700);
  });
});
