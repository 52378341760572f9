/**
 * After a crash the server listens at once: an upload a SIGKILL caught mid-analysis is analysed again
 * in the background, shown as "analysing" meanwhile, while every other request is answered.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ensureDataDir } from '../../src/config/paths.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { dnsQuery, pcapHeader, pcapRecord, udp4Frame } from '../helpers/pcap-writer.js';
import { api, removeDir, ServeProcess, tempDir, waitFor } from './helpers.js';

/** A capture of `n` DNS queries, each for a different name: slow enough to analyse to be caught at it. */
function writeBigCapture(path: string, n: number): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, pcapHeader());
    const batch: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const frame = udp4Frame('192.0.2.7', '192.0.2.1', 10_000 + (i % 50_000), 53, dnsQuery(i & 0xffff, `n${i}.example${i % 997}.org`));
      batch.push(pcapRecord({ ts: 1_700_000_000 + i / 1000, data: frame }));
      if (batch.length === 10_000) writeSync(fd, Buffer.concat(batch.splice(0)));
    }
    if (batch.length > 0) writeSync(fd, Buffer.concat(batch));
  } finally {
    closeSync(fd);
  }
}

describe('recovery after a crash', () => {
  test('serve listens at once and finishes the interrupted analysis in the background', async () => {
    const dir = tempDir('qc-recover-');
    let serve: ServeProcess | null = null;
    try {
      // What a SIGKILL during an upload's analysis leaves: the row in "analysing", the file on disk.
      ensureDataDir(dir);
      const store = SqliteStore.inDir(dir);
      const id = 'ab'.repeat(16);
      const now = new Date().toISOString();
      store.createCheck({ id, source: 'upload', iface: null, device: null, filter: null, durationSeconds: null, lang: 'en', createdAt: now });
      store.transitionCheck(id, ['created'], 'analysing', { startedAt: now, stoppedAt: now });
      store.close();
      mkdirSync(join(dir, 'checks', id), { recursive: true, mode: 0o700 });
      writeBigCapture(join(dir, 'checks', id, 'upload.cap'), 400_000);

      const t0 = Date.now();
      serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', 'a long test password']);
      const port = Number(new URL(await serve.listening(60_000)).port);
      const listenedMs = Date.now() - t0;
      const health = await api(port, '/api/health');
      assert.equal(health.status, 200);
      const first = (await api(port, `/api/checks/${id}`)).json();
      assert.equal(first.state, 'analysing', 'the recovered check is still being analysed when serve already answers');
      assert.equal((await api(port, `/api/checks/${id}/report?format=json`)).status, 409);
      const done = await waitFor(
        'the recovered check done',
        async () => {
          const s = (await api(port, `/api/checks/${id}`)).json();
          return s.state === 'done' ? s : null;
        },
        120_000,
      );
      const doneMs = Date.now() - t0;
      assert.equal(done.recovered, true);
      assert.equal(done.packets, 400_000);
      assert.ok(doneMs > listenedMs, `listened after ${listenedMs} ms, finished after ${doneMs} ms`);
      assert.equal((await api(port, `/api/checks/${id}/report?format=json`)).status, 200);
    } finally {
      await serve?.stop();
      removeDir(dir);
    }
  });
});
