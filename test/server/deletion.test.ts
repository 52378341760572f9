/**
 * Deletion that deletes: after DELETE /api/checks/{id}, "delete all" and a retention sweep, nothing of
 * the deleted checks (their ids, the phone's MAC, their result) is left in any file of the data
 * directory — database, WAL, free pages, capture and report files — while the server runs and after a
 * clean shutdown. A kept check is searched for too, so the search is shown to find what is there.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pcap } from '../helpers/paths.js';
import { dnsQuery, ethernet, ETH_IPV4, pcapFile, udp4Frame } from '../helpers/pcap-writer.js';
import { IOC_YAML } from '../lab/feeds.js';
import { api, asAdmin, importIndicators, login, removeDir, ServeProcess, startTestServer, tempDir } from './helpers.js';

const PCAP_TYPE = { 'content-type': 'application/vnd.tcpdump.pcap' };
const PASSWORD = 'a long test password';

/** A phone with its own MAC looking up TheTruthSpy's C2 name: a "high" check with a family and a MAC. */
function phoneCapture(mac: string): Buffer {
  const q = udp4Frame('192.0.2.77', '192.0.2.1', 40_000, 53, dnsQuery(0x4242, 'protocol-a616.copy9.com'));
  return pcapFile([{ ts: 1_700_000_000, data: ethernet(q.subarray(14), ETH_IPV4, '02:00:00:00:00:01', mac) }]);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Every file of the data directory that holds one of the needles, as "file: needle". */
function traces(dir: string, needles: Buffer[]): string[] {
  const hits: string[] = [];
  for (const f of filesUnder(dir)) {
    const bytes = readFileSync(f);
    for (const n of needles) if (bytes.indexOf(n) >= 0) hits.push(`${f.slice(dir.length + 1)}: ${JSON.stringify(n.toString('latin1'))}`);
  }
  return hits;
}

const macBytes = (mac: string): Buffer => Buffer.from(mac.replace(/:/g, ''), 'hex');
function needlesOf(id: string, mac: string): Buffer[] {
  return [Buffer.from(id), Buffer.from(id.slice(0, 8) + '.'), Buffer.from(mac), macBytes(mac)];
}
// The check's stored result, as the checks table holds it (the family alone is in the indicator feed, legitimately).
const RESULT = Buffer.from('["TheTruthSpy"]');

describe('a deleted check leaves nothing in the data directory', () => {
  let dir = '';
  let serve: ServeProcess;
  let port = 0;
  before(async () => {
    dir = tempDir('qc-delete-');
    await importIndicators(dir, [IOC_YAML]);
    serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', PASSWORD]);
    port = Number(new URL(await serve.listening()).port);
  });
  after(async () => {
    await serve.stop();
    removeDir(dir);
  });

  const upload = async (body: Buffer): Promise<any> => {
    const r = await api(port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body });
    assert.equal(r.status, 201, r.text);
    return r.json();
  };

  test('DELETE, then "delete all": searched for with the server running and after a clean shutdown', async () => {
    const kept = await upload(readFileSync(pcap('tls-browsing-mixed.pcap')));
    const victimMac = '02:de:1e:7e:d0:01';
    const victim = await upload(phoneCapture(victimMac));
    assert.equal(victim.result.level, 'high');
    assert.deepEqual(victim.result.families, ['TheTruthSpy']);
    // Reports read (and cached) before deletion.
    for (const f of ['html', 'json']) assert.equal((await api(port, `/api/checks/${victim.id}/report?format=${f}`)).status, 200);
    // A live check on a device given by MAC: the MAC is in its row and its capture filter.
    const liveMac = '02:de:1e:7e:d0:02';
    const live = await api(port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: liveMac } });
    assert.equal(live.status, 201, live.text);
    const liveId = live.json().id as string;
    assert.equal((await api(port, `/api/checks/${liveId}/stop`, { method: 'POST' })).status, 200);

    const needles = [...needlesOf(victim.id, victimMac), ...needlesOf(liveId, liveMac), RESULT];
    assert.ok(traces(dir, needles).length > 0, 'the search finds the checks before they are deleted');

    assert.equal((await api(port, `/api/checks/${victim.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(port, `/api/checks/${liveId}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(port, `/api/checks/${victim.id}`)).status, 404);
    assert.deepEqual(traces(dir, needles), [], 'nothing of the deleted checks while the server runs');
    assert.ok(traces(dir, [Buffer.from(kept.id)]).length > 0, 'the kept check is still found');

    // "Delete all": the kept check goes too, and another result like the victim's.
    const second = await upload(phoneCapture('02:de:1e:7e:d0:03'));
    const s = await login(port);
    const all = await api(port, '/api/admin/delete-all', { method: 'POST', headers: asAdmin(s), body: { confirm: 'delete all data' } });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json().deleted, 2);
    const allNeedles = [...needles, ...needlesOf(second.id, '02:de:1e:7e:d0:03'), Buffer.from(kept.id)];
    assert.deepEqual(traces(dir, allNeedles), [], 'nothing after delete-all while the server runs');

    await serve.stop();
    assert.deepEqual(traces(dir, allNeedles), [], 'nothing after a clean shutdown');
    assert.ok(statSync(join(dir, 'quietcheck.sqlite')).size > 0);
  });
});

describe('retention deletes the same way', () => {
  test('a check past the retention period leaves nothing behind', async () => {
    const dir = tempDir('qc-retention-');
    try {
      await importIndicators(dir, [IOC_YAML]);
      let clock = Date.now();
      const srv = await startTestServer({ dataDir: dir, now: () => new Date(clock) });
      const mac = '02:de:1e:7e:d0:04';
      const r = await api(srv.port, '/api/uploads', { method: 'POST', headers: PCAP_TYPE, body: phoneCapture(mac) });
      assert.equal(r.status, 201, r.text);
      const id = r.json().id as string;
      assert.ok(traces(dir, [Buffer.from(id)]).length > 0);
      clock += 40 * 86_400_000;
      const s = await login(srv.port);
      assert.equal((await api(srv.port, '/api/admin/settings', { method: 'PUT', headers: asAdmin(s), body: { retentionDays: 30 } })).status, 200);
      assert.equal((await api(srv.port, `/api/checks/${id}`)).status, 404);
      assert.deepEqual(traces(dir, [...needlesOf(id, mac), RESULT]), []);
      await srv.close();
      assert.deepEqual(traces(dir, [...needlesOf(id, mac), RESULT]), []);
    } finally {
      removeDir(dir);
    }
  });

  test('a database written before secure deletion is scrubbed once when opened', async () => {
    const dir = tempDir('qc-scrub-');
    try {
      const { default: Database } = await import('better-sqlite3');
      const file = join(dir, 'quietcheck.sqlite');
      writeFileSync(file, '');
      const db = new Database(file);
      db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('" + 'left-behind-secret '.repeat(400) + "'); DELETE FROM t;");
      db.close();
      assert.ok(readFileSync(file).includes('left-behind-secret'), 'plain SQLite keeps the deleted row in a free page');
      const { SqliteStore } = await import('../../src/store/sqlite.js');
      SqliteStore.inDir(dir).close();
      assert.deepEqual(traces(dir, [Buffer.from('left-behind-secret')]), []);
    } finally {
      removeDir(dir);
    }
  });
});
