/**
 * The serve process stays under 400 MB while it serves many large reports: a phone that looked up ten
 * thousand names gives a JSON report of several MB, and a cache kept by count (64 reports) would hold
 * hundreds of MB of them. The resident size of the real serve process is sampled while every report is
 * read in every language, twice.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { dnsQuery, pcapFile, udp4Frame } from '../helpers/pcap-writer.js';
import { api, removeDir, ServeProcess, sleep, tempDir } from './helpers.js';

const LIMIT_MB = 400;

function capture(salt: string, names: number): Buffer {
  const frames = [];
  for (let i = 0; i < names; i++) {
    frames.push({ ts: 1_700_000_000 + i / 1000, data: udp4Frame('192.0.2.7', '192.0.2.1', 10_000 + (i % 50_000), 53, dnsQuery(i & 0xffff, `${salt}-${i}.example${i % 997}.org`)) });
  }
  return pcapFile(frames);
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return m ? Number(m[1]) / 1024 : 0;
}

describe('serve memory', () => {
  test(`stays under ${LIMIT_MB} MB serving many large reports`, async () => {
    const dir = tempDir('qc-mem-');
    const serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', 'a long test password']);
    try {
      const port = Number(new URL(await serve.listening()).port);
      const ids: string[] = [];
      for (let k = 0; k < 10; k++) {
        const r = await api(port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: capture(`c${k}`, 10_000), timeoutMs: 120_000 });
        assert.equal(r.status, 201, r.text);
        ids.push(r.json().id);
      }
      let peak = 0;
      const pid = serve.child.pid!;
      process.stderr.write(`# serve RSS before serving: ${rssMb(pid).toFixed(0)} MB\n`);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 25);
      let biggest = 0;
      try {
        for (let round = 0; round < 2; round++) {
          for (const id of ids) {
            for (const lang of ['en', 'fr', 'de', 'es', 'it', 'pt']) {
              const r = await api(port, `/api/checks/${id}/report?format=json&lang=${lang}`, { timeoutMs: 120_000 });
              assert.equal(r.status, 200);
              biggest = Math.max(biggest, r.body.length);
            }
            assert.equal((await api(port, `/api/checks/${id}/report?format=html`, { timeoutMs: 120_000 })).status, 200);
          }
        }
        await sleep(100);
      } finally {
        clearInterval(sampler);
      }
      assert.ok(biggest > 4 * 1024 * 1024, `reports are large: the biggest JSON is ${(biggest / 2 ** 20).toFixed(1)} MB`);
      assert.ok(peak > 0);
      assert.ok(peak < LIMIT_MB, `serve's resident size peaked at ${peak.toFixed(0)} MB while serving ${ids.length * 7 * 2} reports`);
      process.stderr.write(`# serve peak RSS while serving: ${peak.toFixed(0)} MB (biggest report ${(biggest / 2 ** 20).toFixed(1)} MB)\n`);
    } finally {
      await serve.stop();
      removeDir(dir);
    }
  });
});
