import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { android, INDICATORS, pcap, ROOT } from '../helpers/paths.js';
import { buildZip } from '../helpers/zip-build.js';

const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ECHAP = join(INDICATORS, 'stalkerware-indicators');
const tmp = mkdtempSync(join(tmpdir(), 'qc-devcli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function analyze(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', ...args, '--indicators', join(ECHAP, 'ioc.yaml'), join(ECHAP, 'samples.csv')], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('quietcheck analyze <acquisition>', () => {
  it('writes the device report as JSON from a folder, with progress on stderr', () => {
    const r = analyze(android('androidqf-mvt'), '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { verdict: { level: string }; meta: { kind: string; acquisition: { name: string } }; findings: { id: string }[] };
    assert.equal(j.meta.kind, 'device');
    assert.equal(j.meta.acquisition.name, 'androidqf-mvt');
    assert.equal(j.verdict.level, 'moderate');
    assert.ok(j.findings.some((f) => f.id === 'DEV-ROOT'));
    assert.match(r.stderr, /Reading the phone’s apps and settings/);
  });
  it('writes HTML in another language to a file, from a zip', () => {
    const zip = join(tmp, 'acq.zip');
    writeFileSync(zip, buildZip(['packages.json', 'dumpsys.txt', 'getprop.txt'].map((n) => ({ name: `acq/${n}`, data: readFileSync(android('androidqf-mvt', n)) }))));
    const out = join(tmp, 'rapport.html');
    const r = analyze(zip, '--lang', 'fr', '-o', out);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Après la vérification, désactivez à nouveau le débogage USB/);
  });
  it('an acquisition without the list of apps is inconclusive, not reported as clean, and not an error', () => {
    // This real zip holds getprop.txt only.
    const r = analyze(android('androidqf-mvt.zip'), '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { verdict: { level: string; summary: string; limits: string[] } };
    assert.equal(j.verdict.level, 'inconclusive');
    assert.match(j.verdict.summary, /list of apps on this phone was missing/);
    assert.ok(j.verdict.limits.some((l) => /The list of apps was missing/.test(l)), j.verdict.limits.join('\n'));
  });
  it('a folder with nothing of an acquisition in it is refused', () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    writeFileSync(join(empty, 'notes.txt'), 'not a phone');
    const r = analyze(empty, '--format', 'json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no file of an AndroidQF acquisition in it/);
    assert.equal(r.stdout, '');
  });
  it('a capture and an acquisition of the same phone: one JSON report with the worse verdict, in either order', () => {
    const device = JSON.parse(analyze(android('androidqf-mvt'), '--format', 'json').stdout) as { verdict: { level: string; limits: string[] }; findings: unknown[] };
    const traffic = JSON.parse(analyze(pcap('dns-tcp-multirequest.pcap'), '--format', 'json').stdout) as { verdict: { level: string; limits: string[] }; findings: unknown[] };
    for (const args of [[pcap('dns-tcp-multirequest.pcap'), android('androidqf-mvt')], [android('androidqf-mvt'), pcap('dns-tcp-multirequest.pcap')]]) {
      const r = analyze(...args, '--format', 'json', '--lang', 'en');
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { verdict: { level: string; summary: string; limits: string[] }; findings: { check: string }[]; meta: { kind: string } };
      assert.equal(j.meta.kind, 'combined');
      assert.deepEqual([traffic.verdict.level, device.verdict.level, j.verdict.level], ['inconclusive', 'moderate', 'moderate']);
      assert.match(j.verdict.summary, /^Its apps and settings: .+ Its traffic: .+/);
      assert.equal(j.findings.filter((f) => f.check === 'device').length, device.findings.length);
      assert.equal(j.findings.filter((f) => f.check === 'traffic').length, traffic.findings.length);
      for (const l of [...device.verdict.limits, ...traffic.verdict.limits]) assert.ok(j.verdict.limits.includes(l), l);
    }
    // HTML (the default) too: one verdict, then the evidence of both checks.
    const html = analyze(pcap('dns-tcp-multirequest.pcap'), android('androidqf-mvt'), '--lang', 'en');
    assert.equal(html.code, 0, html.stderr);
    assert.match(html.stdout, /<title>Phone check report: traffic, apps and settings — Moderate<\/title>/);
    assert.ok(html.stdout.indexOf('Found on the phone (apps and settings)') < html.stdout.indexOf("Found in the phone&#39;s traffic"));
    assert.match(html.stdout, /Recording checked: dns-tcp-multirequest\.pcap/);
    assert.match(html.stdout, /Apps and settings read from: androidqf-mvt/);
    const pdfFile = join(tmp, 'both.pdf');
    const pdf = analyze(android('androidqf-mvt'), pcap('dns-tcp-multirequest.pcap'), '--format', 'pdf', '-o', pdfFile);
    assert.equal(pdf.code, 0, pdf.stderr);
    assert.equal(readFileSync(pdfFile).subarray(0, 4).toString('latin1'), '%PDF');
    const two = analyze(pcap('tls-browsing-mixed.pcap'), pcap('dns-tcp-multirequest.pcap'), '--format', 'json');
    assert.equal(two.code, 2);
    assert.match(two.stderr, /one AndroidQF acquisition of the same phone/);
  });
  it('a damaged zip is a clear error with exit code 2', () => {
    const bad = join(tmp, 'bad.zip');
    writeFileSync(bad, buildZip([{ name: 'x/getprop.txt', data: Buffer.from('[a]: [b]\n') }]).subarray(0, 12));
    const r = analyze(bad, '--format', 'json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.zip: .*no file in it could be read/);
  });
});
