/**
 * Shared steps of the scenario tests: each scenario is recorded once in the lab, its facts are checked with
 * `quietcheck inspect --json`, then its findings and verdict with `quietcheck analyze --format json`.
 * While `analyze` is missing from the build, the verdict tests run as `todo` (reported, not failing the run).
 * Importing this file defines no test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Facts } from '../../src/engine/facts.js';
import type { Phone } from '../lab/lab.js';
import { analyze, analyzeMissing, inspect, type Report, type ReportFinding } from '../lab/quietcheck.js';

export interface Scenario {
  name: string;
  /** Which indicator files `analyze` gets. */
  indicators: string[];
  /** What the phone does while it is recorded. Resolves to a recording made elsewhere (background) or void. */
  record: () => Promise<string>;
  facts: (f: Facts) => void;
  report: (r: Report) => void;
}

/** Defines a scenario's two tests: facts (records the capture) and verdict; returns the recording once made. */
export function scenario(s: Scenario): () => string | null {
  let pcap: string | null = null;
  describe(s.name, () => {
    let facts: Facts | null = null;
    test('the recording shows what the phone did (quietcheck inspect --json)', async () => {
      pcap = await s.record();
      facts = await inspect(pcap);
      s.facts(facts);
    });
    const missing = analyzeMissing();
    test('findings and verdict (quietcheck analyze --format json)', missing ? { todo: missing } : {}, async () => {
      assert.ok(pcap !== null, 'the scenario was not recorded');
      const report = await analyze(pcap, s.indicators);
      assert.ok(['high', 'moderate', 'low', 'none', 'inconclusive'].includes(report.verdict.level), `verdict.level ${report.verdict.level}`);
      assert.ok(Array.isArray(report.findings) && Array.isArray(report.allowed) && Array.isArray(report.verdict.limits));
      assert.ok(report.verdict.limits.length > 0, 'the verdict states the limits of the check');
      assert.equal(report.facts.capture.packets, facts?.capture.packets, 'the report carries the same facts as inspect');
      try {
        s.report(report);
      } catch (err) {
        if (err instanceof Error) err.message += `\n${describeReport(report)}`;
        throw err;
      }
    });
  });
  return () => pcap;
}

/** Records on a phone: the usual `record` of a scenario. */
export function on(phone: () => Phone, label: string, fn: (p: Phone) => Promise<void>): () => Promise<string> {
  return () => phone().record(label, fn);
}

/** A compact listing of a report for assertion messages. */
export function describeReport(r: Report): string {
  const lines = [`verdict: ${r.verdict.level} families=${JSON.stringify(r.verdict.families)}`];
  for (const f of r.findings) {
    lines.push(`  ${f.id} ${f.level} host=${f.host} family=${f.family ?? '-'} indicator=${f.indicator?.value ?? '-'} allowedBy=${f.alsoAllowedBy?.value ?? '-'}`);
  }
  if (r.allowed.length > 0) lines.push(`  allowed: ${JSON.stringify(r.allowed)}`);
  return lines.join('\n');
}

export function findingsFor(r: Report, host: string, id?: string): ReportFinding[] {
  return r.findings.filter((f) => f.host.toLowerCase() === host.toLowerCase() && (id === undefined || f.id === id));
}

/** Asserts a finding `id` about `host` exists and returns it. */
export function expectFinding(r: Report, id: string, host: string): ReportFinding {
  const f = findingsFor(r, host, id)[0];
  assert.ok(f, `expected a ${id} finding about ${host}`);
  assert.ok(f.title.trim().length > 0 && f.explanation.trim().length > 0, `${id} has words for the reader`);
  assert.ok(Array.isArray(f.evidence) && f.evidence.length > 0, `${id} carries its evidence`);
  return f;
}

export const sameFamily = (a: string | null | undefined, b: string): boolean => (a ?? '').toLowerCase() === b.toLowerCase();

/** The families named by the verdict include `family` (case-insensitive). */
export function expectFamily(r: Report, family: string): void {
  assert.ok(r.verdict.families.some((f) => sameFamily(f, family)), `verdict names ${family}: ${JSON.stringify(r.verdict.families)}`);
}

export function dnsQueries(f: Facts, name: string): Facts['dns'] {
  return f.dns.filter((d) => d.query.toLowerCase() === name.toLowerCase());
}

export function tlsTo(f: Facts, sni: string): Facts['tls'] {
  return f.tls.filter((t) => (t.sni ?? '').toLowerCase() === sni.toLowerCase());
}

export function httpTo(f: Facts, host: string): Facts['http'] {
  return f.http.filter((h) => h.host.toLowerCase().replace(/:\d+$/, '') === host.toLowerCase());
}

/** Asserts the phone looked the name up and got the lab address (NOERROR with an A answer). */
export function expectResolved(f: Facts, name: string, address: string): void {
  const qs = dnsQueries(f, name).filter((d) => d.qtype === 'A');
  assert.ok(qs.length > 0, `a DNS A query for ${name}: ${JSON.stringify(f.dns.map((d) => d.query))}`);
  assert.ok(qs.some((d) => d.rcode === 'NOERROR' && d.answers.some((a) => a.data === address)), `${name} resolved to ${address}`);
}
