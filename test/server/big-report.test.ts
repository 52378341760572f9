/**
 * Very large reports are stored in parts and sent from disk: the analysis of a long capture is written
 * as its facts (as the JSON report prints them), its findings one per line, and a shortened copy for
 * HTML and PDF. The JSON report sent from the parts must be byte for byte the one rendered from the
 * whole analysis, and the HTML from the shortened copy the HTML of the whole; the server must keep only
 * the shortened copy, and send the JSON from disk.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BlobReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { after, before, describe, test } from 'node:test';
import { ANALYSIS_FILE, FACTS_FILE, FINDINGS_FILE, writeStoredAnalysis } from '../../src/checks/stored-analysis.js';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { MINOR_HOSTS_SHOWN, renderHtml } from '../../src/report/html.js';
import { Indicators } from '../../src/indicators/matcher.js';
import { renderJson } from '../../src/report/json.js';
import type { Analysis } from '../../src/analysis/types.js';
import { streamedJsonReport } from '../../src/server/report-stream.js';
import { writeLongCapture, writeManyNamesCapture } from '../helpers/long-capture.js';
import { api, removeDir, ServeProcess } from './helpers.js';

async function bodyOf(r: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('very large reports', () => {
  let dir: string;
  let flows: string;
  let names: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'qc-big-report-'));
    flows = join(dir, 'flows.pcap');
    names = join(dir, 'names.pcap');
    // Two hours of connections to many servers: hundreds of hosts with a minor sign each.
    writeLongCapture(flows, { flows: 4_000, seconds: 7_200, servers: 3_000 });
    writeManyNamesCapture(names, 20_000);
  });
  after(() => removeDir(dir));

  test('stored in parts, the JSON report is the whole one and the HTML from the short copy is the whole one', async () => {
    for (const file of [flows, names]) {
      const whole = await analyzeCapture(file, { indicators: new Indicators(), feeds: [], now: new Date('2026-01-02T03:04:05Z') });
      const out = mkdtempSync(join(dir, 'check-'));
      const stored = writeStoredAnalysis(out, structuredClone(whole), true, 0);
      assert.deepEqual(readdirSync(out).sort(), [ANALYSIS_FILE, FINDINGS_FILE, FACTS_FILE].sort());
      for (const f of readdirSync(out)) assert.equal(statSync(join(out, f)).mode & 0o777, 0o600, f);
      const short = JSON.parse(readFileSync(join(out, ANALYSIS_FILE), 'utf8')) as Analysis;
      assert.equal(stored.jsonBytes, statSync(join(out, ANALYSIS_FILE)).size);
      assert.ok(short.digest !== undefined);
      short.digest.dir = out;
      for (const lang of ['en', 'fr'] as const) {
        const expected = renderJson(whole, lang, { contact: 'Call us', helplines: ['0800 000 000'] });
        const streamed = streamedJsonReport(short, lang, { contact: 'Call us', helplines: ['0800 000 000'] });
        assert.ok((await bodyOf(streamed.open(false))).equals(Buffer.from(expected)), `${file} ${lang}: the JSON report sent from the parts`);
        assert.ok(gunzipSync(await bodyOf(streamed.open(true))).equals(Buffer.from(expected)), `${file} ${lang}: gzip`);
        assert.equal(renderHtml(short, lang), renderHtml(whole, lang), `${file} ${lang}: HTML`);
        const print = { openAppendix: true, print: { paper: 'A4' as const, checkId: 'abc' } };
        assert.equal(renderHtml(short, lang, print), renderHtml(whole, lang, print), `${file} ${lang}: printed HTML`);
      }
      // What is kept in memory is a small part of the whole.
      if (file === names) assert.ok(stored.jsonBytes * 10 < Buffer.byteLength(JSON.stringify(whole)), `short copy ${stored.jsonBytes} B`);
    }
  });

  test('the HTML lists the first hosts with minor signs only, and says how many more the JSON has', async () => {
    const whole = await analyzeCapture(flows, { indicators: new Indicators(), feeds: [] });
    const minorHosts = new Set(whole.findings.filter((f) => f.level === 'low').map((f) => f.host));
    assert.ok(minorHosts.size > MINOR_HOSTS_SHOWN, `${minorHosts.size} hosts with minor signs`);
    const html = renderHtml(whole, 'en');
    const shown = (html.match(/<article class="host l-low">/g) ?? []).length;
    assert.equal(shown, MINOR_HOSTS_SHOWN);
    assert.match(html, new RegExp(`${(minorHosts.size - MINOR_HOSTS_SHOWN).toLocaleString('en')} more servers with only minor signs are not shown here`));
  });

  test('serve keeps the short copy and sends the JSON report from disk', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const serve = new ServeProcess(['--data-dir', data, '--port', '0', '--admin-password', 'a long test password']);
    try {
      const port = Number(new URL(await serve.listening()).port);
      const up = await api(port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(names), timeoutMs: 120_000 });
      assert.equal(up.status, 201, up.text);
      const id = up.json().id as string;
      const checkDir = join(data, 'checks', id);
      const files = readdirSync(checkDir);
      assert.ok(files.includes(FACTS_FILE) && files.includes(FINDINGS_FILE), files.join(' '));
      const kept = statSync(join(checkDir, ANALYSIS_FILE)).size;

      const plain = await api(port, `/api/checks/${id}/report?format=json&lang=fr`, { timeoutMs: 120_000 });
      assert.equal(plain.status, 200);
      const report = plain.json();
      assert.equal(report.meta.language, 'fr');
      assert.equal(report.facts.dns.length, 20_000 - (report.facts.capture.omitted.dns ?? 0));
      assert.ok(plain.body.length > 20 * kept, `report ${plain.body.length} B, analysis kept ${kept} B`);
      // The facts in the report are the stored file's bytes, copied.
      assert.ok(plain.body.includes(readFileSync(join(checkDir, FACTS_FILE))));

      const gz = await api(port, `/api/checks/${id}/report?format=json&lang=fr`, { headers: { 'accept-encoding': 'gzip' }, timeoutMs: 120_000 });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(gunzipSync(gz.body).equals(plain.body));
      const etag = String(plain.headers.etag);
      assert.equal(gz.headers.etag, etag);
      assert.equal((await api(port, `/api/checks/${id}/report?format=json&lang=fr`, { headers: { 'if-none-match': etag } })).status, 304);
      // Another language is another report.
      const en = await api(port, `/api/checks/${id}/report?format=json&lang=en`, { timeoutMs: 120_000 });
      assert.notEqual(en.headers.etag, etag);
      assert.equal(en.json().meta.language, 'en');

      // The evidence archive holds the same JSON report, copied from disk into the ZIP.
      const zip = await api(port, `/api/checks/${id}/export?lang=en`, { timeoutMs: 120_000 });
      assert.equal(zip.status, 200, zip.text);
      const reader = new ZipReader(new BlobReader(new Blob([zip.body])));
      const entry = (await reader.getEntries()).find((e) => e.filename === 'report.json');
      assert.ok(entry !== undefined);
      assert.ok(entry !== undefined && !entry.directory);
      assert.ok(Buffer.from(await entry.getData(new Uint8ArrayWriter())).equals(en.body));
      await reader.close();

      const html = await api(port, `/api/checks/${id}/report?format=html`, { timeoutMs: 120_000 });
      assert.equal(html.status, 200);
      assert.match(html.text, /20[,.\u202f\u00a0]?000/);
    } finally {
      await serve.stop();
      removeDir(data);
    }
  });
});
