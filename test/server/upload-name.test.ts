/**
 * An upload keeps its original file name in the report (last path part only), also after the check
 * is analysed again at a restart (the name is kept beside the capture); the served PDF carries the check id and the page number on every page.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { uploadDisplayName } from '../../src/checks/manager.js';
import { chromiumAvailable } from '../../src/report/pdf.js';
import { pcap } from '../helpers/paths.js';
import { api, removeDir, startTestServer, tempDir, type TestServer } from './helpers.js';

describe('uploads keep their name; printed reports carry the check id', () => {
  let srv: TestServer;
  let dir: string;

  before(async () => {
    dir = tempDir();
    srv = await startTestServer({ dataDir: dir });
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
  });

  test('the display name is the last path part, without control characters', () => {
    assert.equal(uploadDisplayName('C:\\Users\\maria\\Desktop\\phone 2024.pcapng'), 'phone 2024.pcapng');
    assert.equal(uploadDisplayName('/home/sam/captures/tel\u0007.pcap'), 'tel.pcap');
    assert.equal(uploadDisplayName('..'), null);
    assert.equal(uploadDisplayName('   '), null);
    assert.equal(uploadDisplayName('a'.repeat(300))!.length, 120);
  });

  test('an upload named by the browser is reported under that name', async () => {
    const name = 'Téléphone de Maria (1).pcap';
    const up = await api(srv.port, `/api/uploads?name=${encodeURIComponent(`C:\\fakepath\\${name}`)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.tcpdump.pcap' },
      body: readFileSync(pcap('tls-browsing-mixed.pcap')),
    });
    assert.equal(up.status, 201, up.text);
    const id = up.json().id;
    const rep = (await api(srv.port, `/api/checks/${id}/report?format=json`)).json();
    assert.equal(rep.meta.capture.name, name);
    const html = (await api(srv.port, `/api/checks/${id}/report?format=html`)).text;
    assert.ok(html.includes('Téléphone de Maria (1).pcap'), 'the HTML names it');
    if (chromiumAvailable() && spawnSync('pdftotext', ['-v']).status === 0) {
      const pdf = await api(srv.port, `/api/checks/${id}/report?format=pdf`);
      assert.equal(pdf.status, 200);
      const file = join(dir, 'r.pdf');
      writeFileSync(file, pdf.body);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      const pages = text.split('\f').filter((p) => p.trim());
      assert.ok(pages.length >= 1);
      for (const p of pages) assert.ok(p.includes(id), 'the check id on every page');
    }
  });

  test('without a name, the check is named after its id', async () => {
    const up = await api(srv.port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('dns-a-aaaa-mx-nsec.pcap')) });
    const id = up.json().id;
    const rep = (await api(srv.port, `/api/checks/${id}/report?format=json`)).json();
    assert.equal(rep.meta.capture.name, `check-${id.slice(0, 8)}.cap`);
  });
});
