import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFeed, loadIndicators } from '../src/indicators/feeds.js';
import { Indicators, type FeedInfo } from '../src/indicators/matcher.js';
import { formatIPv4 } from '../src/indicators/normalize.js';
import type { ParsedIndicator } from '../src/indicators/types.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { INDICATORS } from '../test/helpers/paths.js';

/**
 * Indicator matcher figures: a synthetic set the size the issue asks for (1,000,000 domains and
 * 500,000 IPs/CIDRs) and the real feeds, each with load time, lookups per second and memory.
 */

const DOMAINS = 1_000_000;
const IPS = 500_000;

/** Deterministic pseudo-random numbers, so every run measures the same set. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TLDS = ['com', 'net', 'org', 'info', 'app', 'xyz', 'ru', 'io'];

function syntheticDomain(r: () => number, i: number): string {
  const len = 6 + Math.floor(r() * 10);
  let s = '';
  for (let k = 0; k < len; k++) s += String.fromCharCode(97 + Math.floor(r() * 26));
  return `${s}${i.toString(36)}.${TLDS[i % TLDS.length]}`;
}

function mb(n: number): string {
  return `${(n / 2 ** 20).toFixed(0)} MB`;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function timeLookups(label: string, n: number, fn: (i: number) => unknown): string {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  return `${label}: ${((n / ns) * 1e9 / 1e6).toFixed(2)} M lookups/s (${(ns / n).toFixed(0)} ns each)`;
}

async function syntheticFigures(): Promise<void> {
  gc();
  const before = process.memoryUsage();
  const r = rng(42);
  const feed: FeedInfo = { name: 'synthetic', version: '1', list: 'block' };
  const domains: string[] = new Array(DOMAINS);
  for (let i = 0; i < DOMAINS; i++) domains[i] = syntheticDomain(r, i);
  const ips: ParsedIndicator[] = new Array(IPS);
  for (let i = 0; i < IPS; i++) {
    const a = (Math.floor(r() * 0xffffffff) >>> 0) | 0x01000000;
    // One in five is a network, with prefix lengths spread like real block lists (/16–/30).
    const prefix = i % 5 === 0 ? 16 + (i % 15) : 32;
    const value = prefix === 32 ? formatIPv4(a >>> 0) : `${formatIPv4((a & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0)}/${prefix}`;
    ips[i] = { kind: prefix === 32 ? 'ip' : 'cidr', value, family: `family${i % 300}`, tag: 'stalkerware', tlp: 'white', source: `synthetic:${i}` };
  }
  const t0 = performance.now();
  const m = new Indicators();
  for (let i = 0; i < DOMAINS; i++) {
    m.add({ kind: 'c2-domain', value: domains[i]!, family: `family${i % 300}`, tag: 'stalkerware', tlp: 'white', source: `synthetic:${i}` }, feed);
  }
  for (const ip of ips) m.add(ip, feed);
  const loadMs = performance.now() - t0;
  const probesHit = Array.from({ length: 4096 }, (_, i) => `www.${domains[(i * 7919) % DOMAINS]}`);
  // Only the matcher should remain: the inputs it was built from are dropped before measuring.
  domains.length = 0;
  ips.length = 0;
  gc();
  const after = process.memoryUsage();
  console.log(`synthetic: ${DOMAINS.toLocaleString('en')} domains + ${IPS.toLocaleString('en')} IPs/CIDRs loaded in ${(loadMs / 1000).toFixed(2)} s`);
  console.log(`  memory for the matcher and its value strings (heap + external, after GC${(globalThis as { gc?: unknown }).gc ? '' : ' — run node with --expose-gc for exact figures'}): ${mb(after.heapUsed + after.external - before.heapUsed - before.external)}; process RSS ${mb(after.rss)}`);
  const N = 1_000_000;
  const probesMiss = Array.from({ length: 4096 }, (_, i) => `cdn${i}.example-${i}.com`);
  const ipProbes = Array.from({ length: 4096 }, () => (Math.floor(r() * 0xffffffff) >>> 0));
  console.log('  ' + timeLookups('domain, miss (typical traffic)', N, (i) => m.hasDomain(probesMiss[i & 4095]!)));
  console.log('  ' + timeLookups('domain, sub-domain hit with details', N, (i) => m.matchDomain(probesHit[i & 4095]!)));
  console.log('  ' + timeLookups('IPv4 as number, longest-prefix', N, (i) => m.matchIp(ipProbes[i & 4095]!)));
  console.log('  ' + timeLookups('IPv4 as text', N, (i) => m.matchIp(formatIPv4(ipProbes[i & 4095]!))));
}

const REAL = [
  'stalkerware-indicators/ioc.yaml',
  'stalkerware-indicators/watchware.yaml',
  'stalkerware-indicators/generated/stalkerware-2023-05.stix2',
  'stalkerware-indicators/generated/suricata.rules',
  'stalkerware-indicators/generated/misp_event.json',
  'tinycheck/iocs.json',
  'tinycheck/whitelist.json',
  'amnesty/2021-07-18_nso_pegasus.stix2',
  'amnesty/2023-03-29_android_campaign_malware.stix2',
];

async function realFigures(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quietcheck-bench-'));
  const store = SqliteStore.inDir(dir);
  try {
    const t0 = performance.now();
    for (const f of REAL) {
      const [o] = await importFeed(store, join(INDICATORS, f), { list: f.includes('whitelist') ? 'allow' : 'block' });
      console.log(`  ${relative(INDICATORS, join(INDICATORS, f))}: ${o!.status}, ${o!.indicators} indicators, ${o!.rules} payload rules`);
    }
    const importMs = performance.now() - t0;
    gc();
    const before = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    const m = loadIndicators(store);
    const loadMs = performance.now() - t1;
    gc();
    const s = m.stats();
    console.log(`real feeds: ${s.total} indicators, ${s.rules} payload rules; parse+store ${(importMs / 1000).toFixed(2)} s, matcher from the database ${loadMs.toFixed(0)} ms, ${mb(process.memoryUsage().heapUsed - before)}`);
    const names = readFileSync(join(INDICATORS, 'stalkerware-indicators/generated/hosts'), 'utf8').split('\n').filter(Boolean);
    console.log('  ' + timeLookups('domain from the feeds, sub-domain, with details', 1_000_000, (i) => m.matchDomain(`x.${names[i % names.length]}`)));
    console.log('  ' + timeLookups('domain not listed', 1_000_000, (i) => m.hasDomain(`host${i & 1023}.example.org`)));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runIndicatorBench(): Promise<void> {
  console.log('== indicators ==');
  await syntheticFigures();
  gc();
  await realFigures();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runIndicatorBench();
}
