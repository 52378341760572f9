/**
 * A large upload is analysed in a worker thread: while it is, the API keeps answering (health and the
 * check's status within 200 ms each), and the report is the one `quietcheck analyze` writes for the
 * same file with the same stored indicators. The ~150 MB capture is built in a temporary folder by
 * repeating a shared one and removed afterwards; it is never part of the repository.
 *
 * The server runs as `quietcheck serve` in a child process: in-process, a blocked event loop would
 * block this test's client as well, and the stall would fall between two reads instead of inside one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeBigPcap } from '../capture/big-capture.js';
import { pcap } from '../helpers/paths.js';
import { IOC_YAML } from '../lab/feeds.js';
import { api, asAdmin, CLI, importIndicators, login, PASSWORD, removeDir, ServeProcess, sleep, tempDir } from './helpers.js';

const TARGET_BYTES = 150 * 1024 * 1024;
const LIMIT_MS = 200;

/** Streams a file as an upload (a 150 MB Buffer in the test process would only add to its pauses). */
function uploadFile(port: number, file: string, sent: () => void): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/uploads?lang=en',
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/vnd.tcpdump.pcap', 'content-length': String(statSync(file).size) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('finish', sent);
    createReadStream(file).pipe(req);
  });
}

/** The JSON report without what differs by construction: when it was made and the name shown for the file. */
function comparable(report: any): any {
  const r = structuredClone(report);
  delete r.meta.generatedAt;
  delete r.meta.capture.name;
  return r;
}

describe('quietcheck serve: a large upload is analysed off the main thread', () => {
  let work: string;
  let dataDir: string;
  let big: string;
  let serve: ServeProcess;
  let port: number;

  before(async () => {
    work = tempDir('qc-offthread-');
    dataDir = join(work, 'data');
    big = join(work, 'big.pcap');
    writeBigPcap(pcap('tls-browsing-mixed.pcap'), big, TARGET_BYTES);
    await importIndicators(dataDir, [IOC_YAML]);
    serve = new ServeProcess(['--data-dir', dataDir, '--port', '0', '--admin-password', PASSWORD, '--max-upload-mb', '512']);
    port = Number(new URL(await serve.listening()).port);
  });
  after(async () => {
    await serve?.stop();
    removeDir(work);
  });

  test('health and status answer within 200 ms during the analysis; the report equals `quietcheck analyze`', { timeout: 180_000 }, async (t) => {
    const admin = await login(port);
    let sentAt: number | null = null;
    const uploading = uploadFile(port, big, () => (sentAt = performance.now()));
    let finished = false;
    void uploading.finally(() => (finished = true));

    // The check exists from the first bytes of the body on; its analysis starts once the body is on disk.
    let id: string | null = null;
    while (id === null && !finished) {
      const list = await api(port, '/api/admin/checks', { headers: asAdmin(admin) });
      id = list.json<{ id: string; source: string }[]>().find((x) => x.source === 'upload')?.id ?? null;
      if (id === null) await sleep(20);
    }
    assert.ok(id !== null, 'the upload created a check');
    while (sentAt === null && !finished) await sleep(5);

    // From the moment the whole body is sent until the answer: the server is storing the tail of the
    // file, then analysing it. Reads go one after another, each timed from its own start.
    const reads: { kind: string; at: number; ms: number; state?: string }[] = [];
    while (!finished) {
      for (const path of ['/api/health', `/api/checks/${id}`]) {
        const t0 = performance.now();
        const r = await api(port, path, { timeoutMs: 10_000 });
        assert.equal(r.status, 200, `${path}: ${r.status} ${r.text}`);
        reads.push({ kind: path === '/api/health' ? 'health' : 'status', at: t0 - sentAt!, ms: performance.now() - t0, state: r.json().state });
      }
      await sleep(25);
    }
    const up = await uploading;
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.equal(up.json.state, 'done');
    assert.equal(up.json.id, id);

    const health = reads.filter((r) => r.kind === 'health');
    const status = reads.filter((r) => r.kind === 'status');
    const analysing = status.filter((r) => r.state === 'analysing').length;
    const worst = (xs: typeof reads): number => Math.max(...xs.map((r) => r.ms));
    t.diagnostic(
      `after the body was sent: ${health.length} health reads, worst ${worst(health).toFixed(1)} ms; ${status.length} status reads ` +
        `(${analysing} while analysing), worst ${worst(status).toFixed(1)} ms; answer after ${(performance.now() - sentAt!).toFixed(0)} ms`,
    );
    const slow = reads.filter((r) => r.ms >= LIMIT_MS).map((r) => `${r.kind} at +${r.at.toFixed(0)} ms took ${r.ms.toFixed(0)} ms`);
    // The analysis of 150 MB takes seconds: enough reads were made while it ran for the bound to mean something.
    assert.ok(analysing >= 5, `only ${analysing} status reads saw the check analysing`);
    // On a shared two-core CI machine the scheduler alone delays an idle event loop by 100–150 ms now
    // and then; one such read is tolerated, bounded. Analysing on the main thread stalls reads for the
    // whole decoding (about 2 s for this file), far beyond both bounds.
    assert.ok(slow.length <= 1 && reads.every((r) => r.ms < 2.5 * LIMIT_MS), `reads slower than ${LIMIT_MS} ms while the upload was analysed: ${slow.join('; ')}`);

    const served = await api(port, `/api/checks/${id}/report?format=json`, { timeoutMs: 30_000 });
    assert.equal(served.status, 200);
    const cli = spawnSync(process.execPath, [CLI, 'analyze', big, '--format', 'json', '--lang', 'en', '--data-dir', dataDir, '--no-progress'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.equal(cli.status, 0, cli.stderr);
    const mine = served.json();
    const theirs = JSON.parse(cli.stdout);
    assert.ok(mine.meta.feeds.length > 0, 'the stored indicators took part');
    assert.equal(mine.meta.packets, theirs.meta.packets);
    assert.deepEqual(comparable(mine), comparable(theirs));
  });
});
