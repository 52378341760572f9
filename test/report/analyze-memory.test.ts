/**
 * `analyze` stays within its memory bound on captures large enough to reach every bound on facts (the
 * folded connection records, the DNS facts, the names per address), at a smaller scale than the bench's
 * 1 million connections and 500,000 names. Past those bounds memory no longer grows with the input, so
 * these sizes show the same peak as the full ones. The analysis runs in a child process of its own, whose
 * peak RSS is then its alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeLongCapture, writeManyNamesCapture } from '../helpers/long-capture.js';
import { INDICATORS } from '../helpers/paths.js';

const BOUND_BYTES = 300e6;
const dir = mkdtempSync(join(tmpdir(), 'qc-analyze-mem-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CHILD = `
const [capture, ioc, out] = process.argv.slice(1);
const { analyzeCapture } = await import(${JSON.stringify(new URL('../../src/analysis/analyze.js', import.meta.url).href)});
const { loadIndicatorFiles } = await import(${JSON.stringify(new URL('../../src/analysis/indicator-sources.js', import.meta.url).href)});
const { writeJsonReport } = await import(${JSON.stringify(new URL('../../src/report/json.js', import.meta.url).href)});
const { openSync, closeSync } = await import('node:fs');
const sources = await loadIndicatorFiles([ioc]);
const a = await analyzeCapture(capture, { ...sources });
const fd = openSync(out, 'w');
writeJsonReport(fd, a, 'en');
closeSync(fd);
process.stdout.write(JSON.stringify({
  maxRss: process.resourceUsage().maxRSS * 1024,
  connections: a.facts.connections.length,
  folded: a.facts.connections.filter((c) => c.flows !== undefined).length,
  dns: a.facts.dns.length,
  omitted: a.facts.capture.omitted,
}));
`;

interface ChildResult {
  maxRss: number;
  connections: number;
  folded: number;
  dns: number;
  omitted: Record<string, number>;
}

/** Analyses the capture with the Echap indicators and writes the JSON report, as `analyze --format json` does. */
function analyzeInChild(capture: string): ChildResult {
  const ioc = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, capture, ioc, join(dir, 'report.json')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ChildResult;
}

const mb = (b: number): string => `${(b / 1e6).toFixed(0)} MB`;

describe('analyze memory is bounded by design, not by the input', () => {
  test('200,000 connections over a day: folded records and the DNS bound reached, peak RSS under 300 MB', () => {
    const file = join(dir, 'flows.pcap');
    writeLongCapture(file, { flows: 200_000, seconds: 86_400, servers: 20_000 });
    const r = analyzeInChild(file);
    rmSync(file);
    // The bounds must have been reached, or this would not stand for larger captures.
    assert.ok(r.folded > 0, 'no connection was folded');
    assert.ok(r.dns >= 40_000 || (r.omitted.dns ?? 0) > 0, `${r.dns} DNS facts, none omitted`);
    assert.ok(r.maxRss < BOUND_BYTES, `peak RSS ${mb(r.maxRss)} for ${r.connections} connection entries`);
  });

  test('100,000 distinct names: the name bounds reached, peak RSS under 300 MB', () => {
    const file = join(dir, 'names.pcap');
    writeManyNamesCapture(file, 100_000);
    const r = analyzeInChild(file);
    rmSync(file);
    assert.ok((r.omitted.dns ?? 0) > 0 || (r.omitted.addressNames ?? 0) > 0, `nothing omitted: ${JSON.stringify(r.omitted)}`);
    assert.ok(r.maxRss < BOUND_BYTES, `peak RSS ${mb(r.maxRss)}`);
  });
});
