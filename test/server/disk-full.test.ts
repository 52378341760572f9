/**
 * A full disk is a state, on a real small file system: a tmpfs mounted by the test holds the data
 * directory. With the disk already full, starting a check or uploading is refused with 507 and nothing
 * is left behind; a disk that fills during a live capture (tcpdump on lo) ends the check as "failed: the
 * disk is full" with what was recorded analysed and its report readable; the admin status warns.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fillDisk } from '../helpers/full-disk.js';
import { pcap } from '../helpers/paths.js';
import { dnsQuery } from '../helpers/pcap-writer.js';
import { IOC_YAML } from '../lab/feeds.js';
import { api, asAdmin, importIndicators, login, startTestServer, waitFor, type TestServer } from './helpers.js';

const root = process.getuid?.() === 0;

/** An upload sent in chunks with no Content-Length, so it cannot be refused up front for its size. */
function chunkedUpload(port: number, head: Buffer, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/uploads', headers: { 'content-type': 'application/vnd.tcpdump.pcap', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(head);
    const chunk = Buffer.alloc(256 * 1024);
    let sent = head.length;
    const more = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', more);
      }
      req.end();
    };
    more();
  });
}

async function sendDns(from: string, name: string, n: number, pad = 0): Promise<void> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, from, r));
  const q = dnsQuery(0x1234, name);
  const body = pad > 0 ? Buffer.concat([q, Buffer.alloc(pad)]) : q;
  for (let i = 0; i < n; i++) await new Promise<void>((r) => s.send(body, 53, '127.0.0.1', () => r()));
  s.close();
}

describe('a full disk', { skip: root ? false : 'needs root to mount a tmpfs' }, () => {
  test('is refused up front, ends a live capture as "the disk is full" with its report, and is warned about', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 'qc-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'qc-disk-full-test', mnt]);
    let srv: TestServer | null = null;
    const filler = join(mnt, 'filler');
    try {
      const dataDir = join(mnt, 'data');
      await importIndicators(dataDir, [IOC_YAML]);
      srv = await startTestServer({ dataDir, log: (m) => process.stderr.write(`[serve] ${m}\n`) });
      const port = srv.port;
      const admin = await login(port);
      const status = async (): Promise<any> => (await api(port, '/api/admin/status', { headers: asAdmin(admin) })).json().disk;
      assert.equal((await status()).level, 'warn', 'a 48 MB disk is small for checks');

      // ---- Already full: refused with 507, nothing created.
      fillDisk(filler);
      assert.equal((await status()).level, 'fail');
      const start = await api(port, '/api/checks', { method: 'POST', body: { interface: 'lo' } });
      assert.equal(start.status, 507, start.text);
      assert.equal(start.json().error, 'disk-full');
      assert.match(start.json().message, /the disk is full/);
      const up = await api(port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('dns-tcp-multirequest.pcap')) });
      assert.equal(up.status, 507, up.text);
      assert.equal(up.json().error, 'disk-full');
      assert.deepEqual((await api(port, '/api/admin/checks', { headers: asAdmin(admin) })).json(), []);
      assert.deepEqual(readdirSync(join(dataDir, 'checks')), [], 'no folder left behind');
      unlinkSync(filler);

      // ---- Fills during a live capture.
      const dev = '127.0.0.77';
      const c = await api(port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: dev } });
      assert.equal(c.status, 201, c.text);
      const id = c.json().id as string;
      await sendDns(dev, 'protocol-a616.copy9.com', 5);
      await waitFor('5 packets captured', async () => (await api(port, `/api/checks/${id}`)).json().live?.packets >= 5);
      fillDisk(filler);
      // Enough traffic that tcpdump's next bytes meet the full disk.
      const ended = await waitFor(
        'the check ends',
        async () => {
          await sendDns(dev, 'after-full.example.org', 20, 1200);
          const s = (await api(port, `/api/checks/${id}`)).json();
          return s.state === 'failed' || s.state === 'done' ? s : null;
        },
        20_000,
      );
      assert.equal(ended.state, 'failed');
      assert.match(ended.error, /^the disk is full: the capture stopped after \d+ packets; what was recorded is kept/);
      assert.ok(ended.packets >= 5, `${ended.packets} packets recorded`);
      const stop = await api(port, `/api/checks/${id}/stop`, { method: 'POST' });
      assert.equal(stop.status, 200);
      assert.equal(stop.json().state, 'failed');
      const report = await api(port, `/api/checks/${id}/report?format=json`);
      assert.equal(report.status, 200, report.text);
      assert.match(report.text, /TheTruthSpy/);
      assert.match(report.text, /protocol-a616\.copy9\.com/);
      assert.equal((await status()).level, 'fail');

      // An upload that fills the disk while it arrives: 507, and nothing of it left.
      unlinkSync(filler);
      fillDisk(filler);
      truncateSync(filler, Math.max(0, statSync(filler).size - 20 * 1024 * 1024));
      const head = readFileSync(pcap('dns-tcp-multirequest.pcap'));
      const big = await chunkedUpload(port, head, 40 * 1024 * 1024);
      assert.equal(big.status, 507, big.body);
      assert.equal(JSON.parse(big.body).error, 'disk-full');
      assert.deepEqual(
        (await api(port, '/api/admin/checks', { headers: asAdmin(admin) })).json().map((x: { id: string }) => x.id),
        [id],
        'only the check cut short by the full disk is kept',
      );
      assert.deepEqual(readdirSync(join(dataDir, 'checks')), [id]);

      // Space freed: checks start again.
      unlinkSync(filler);
      const again = await api(port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: dev } });
      assert.equal(again.status, 201, again.text);
      assert.equal((await api(port, `/api/checks/${again.json().id}/stop`, { method: 'POST' })).status, 200);
    } finally {
      await srv?.close().catch(() => undefined);
      if (existsSync(filler)) unlinkSync(filler);
      execFileSync('umount', [mnt]);
      rmdirSync(mnt);
    }
  });
});
