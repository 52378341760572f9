/**
 * What quietcheck writes about a phone is owner-only: the data directory is 0700, and the files in it
 * (the SQLite database with its -wal and -shm files, the captures, the stored analyses) are 0600, even
 * under a umask that would let others read them, and even when an older version left them 0644.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ANALYSIS_FILE, CAPTURE_FILE, UPLOAD_FILE } from '../../src/checks/manager.js';
import { DB_FILE, SqliteStore } from '../../src/store/sqlite.js';
import { pcap } from '../helpers/paths.js';
import { api, removeDir, startTestServer, waitFor, type TestServer } from '../server/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'quietcheck-modes-'));
// The usual umask: files SQLite creates on its own would come out 0644.
const umask = process.umask(0o022);
after(() => {
  process.umask(umask);
  rmSync(tmp, { recursive: true, force: true });
});

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
const DB_FILES = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`];

function liveUnavailable(): string | false {
  if (process.platform !== 'linux') return 'live capture needs Linux';
  if (spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0) return 'tcpdump is not installed';
  const probe = spawnSync('tcpdump', ['-i', 'lo', '-c', '1', '-w', '/dev/null', '--immediate-mode', 'udp port 9'], { timeout: 1500, encoding: 'utf8' });
  if (/permission|not permitted/i.test(probe.stderr ?? '')) return 'tcpdump may not capture here (needs root or CAP_NET_RAW)';
  return false;
}

describe('file modes', () => {
  test('a new database and its -wal and -shm files are 0600', () => {
    const dir = mkdtempSync(join(tmp, 'new-'));
    const s = SqliteStore.inDir(dir);
    try {
      s.setSetting('k', 'v'); // a write: the -wal file holds it
      for (const f of DB_FILES) {
        assert.ok(existsSync(join(dir, f)), `${f} exists while the store is open`);
        assert.equal(mode(join(dir, f)), '0600', f);
      }
    } finally {
      s.close();
    }
  });

  test('files an older version left 0644 are narrowed to 0600 when the database is opened', () => {
    const dir = mkdtempSync(join(tmp, 'old-'));
    const first = SqliteStore.inDir(dir);
    try {
      first.setSetting('k', 'v');
      for (const f of DB_FILES) chmodSync(join(dir, f), 0o644);
      // A second connection (the next start, while the -wal and -shm files are still there).
      const second = SqliteStore.inDir(dir);
      try {
        assert.equal(second.getSetting('k'), 'v');
        for (const f of DB_FILES) assert.equal(mode(join(dir, f)), '0600', f);
      } finally {
        second.close();
      }
    } finally {
      first.close();
    }
    // And a database alone, closed cleanly (no -wal or -shm left), opened again.
    chmodSync(join(dir, DB_FILE), 0o644);
    const third = SqliteStore.inDir(dir);
    try {
      for (const f of DB_FILES) assert.equal(mode(join(dir, f)), '0600', f);
    } finally {
      third.close();
    }
  });

  describe('what the server writes', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startTestServer({ dataDir: join(tmp, 'serve') });
    });
    after(async () => {
      await srv.close();
      removeDir(srv.dataDir);
    });

    test('the database, the data directory and the checks folder', () => {
      assert.equal(mode(srv.dataDir), '0700');
      assert.equal(mode(join(srv.dataDir, 'checks')), '0700');
      for (const f of DB_FILES) assert.equal(mode(join(srv.dataDir, f)), '0600', f);
    });

    test('an uploaded capture and its stored analysis are 0600, in a 0700 folder', async () => {
      const r = await api(srv.port, '/api/uploads', { method: 'POST', body: readFileSync(pcap('tls-browsing-mixed.pcap')), headers: { 'content-type': 'application/vnd.tcpdump.pcap' } });
      assert.equal(r.status, 201, r.text);
      const dir = join(srv.dataDir, 'checks', r.json().id);
      assert.equal(mode(dir), '0700');
      assert.deepEqual(readdirSync(dir).sort(), [ANALYSIS_FILE, UPLOAD_FILE].sort());
      assert.equal(mode(join(dir, UPLOAD_FILE)), '0600');
      assert.equal(mode(join(dir, ANALYSIS_FILE)), '0600');
      for (const f of DB_FILES) assert.equal(mode(join(srv.dataDir, f)), '0600', f);
    });

    test('a live capture and its stored analysis are 0600', { skip: liveUnavailable() }, async () => {
      const r = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.0.0.2' } });
      assert.equal(r.status, 201, r.text);
      const id = r.json().id as string;
      const dir = join(srv.dataDir, 'checks', id);
      const file = join(dir, CAPTURE_FILE);
      assert.equal(mode(dir), '0700');
      assert.equal(mode(file), '0600', 'the capture file before any packet');
      const sock = createSocket('udp4');
      await new Promise<void>((res) => sock.bind({ address: '127.0.0.2', port: 0 }, res));
      try {
        await waitFor('packets in the capture file', async () => {
          await new Promise<void>((res, rej) => sock.send(Buffer.alloc(64, 0x61), 9, '127.0.0.3', (e) => (e ? rej(e) : res())));
          return statSync(file).size > 24;
        });
      } finally {
        sock.close();
      }
      assert.equal(mode(file), '0600', 'the capture file while tcpdump writes it');
      const stop = await api(srv.port, `/api/checks/${id}/stop`, { method: 'POST' });
      assert.equal(stop.status, 200, stop.text);
      assert.equal(stop.json().state, 'done');
      assert.deepEqual(readdirSync(dir).sort(), [ANALYSIS_FILE, CAPTURE_FILE].sort());
      assert.equal(mode(file), '0600');
      assert.equal(mode(join(dir, ANALYSIS_FILE)), '0600');
    });
  });
});
