/**
 * `npm run bench:long`: memory and time on long captures (the figures are printed, never asserted).
 *  - a synthetic 24-hour capture with 2 million connections: time, flows retired, peak RSS of the engine;
 *  - 1 million connections and 500,000 distinct names: peak RSS of `inspect --json` and `analyze --format json`.
 *
 *   node dist/bench/long.js [--flows N] [--names N] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../src/capture/reader.js';
import { Engine } from '../src/engine/engine.js';
import { INDICATORS } from '../test/helpers/paths.js';
import { writeLongCapture, writeManyNamesCapture } from '../test/helpers/long-capture.js';
import { BENCH_DATA } from './make-capture.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CLI = join(HERE, '..', 'src', 'cli', 'main.js');
const MB = 1e6;
const log = (s: string): void => void process.stderr.write(`[bench:long] ${s}\n`);

/** In a child of its own, so its peak RSS is this capture's alone. */
function engineRun(file: string): void {
  const t0 = performance.now();
  const engine = new Engine();
  const summary = readCaptureFile(file, engine);
  const facts = engine.finish(summary, { connections: false });
  let connections = 0;
  let folded = 0;
  for (const c of engine.facts.connectionFacts()) {
    connections++;
    if (c.flows) folded += c.flows;
  }
  process.stdout.write(JSON.stringify({
    seconds: (performance.now() - t0) / 1000,
    packets: summary.packets,
    retired: engine.flows.retired,
    inTable: engine.flows.live,
    connections,
    folded,
    omitted: facts.capture.omitted,
    refused: facts.capture.malformed['flows.table-full'] ?? 0,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }));
}

function timed(args: string[]): { seconds: number; maxRssBytes: number | null; ok: boolean } {
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const rssFile = join(BENCH_DATA, 'rss.txt');
  const t0 = performance.now();
  const r = time
    ? spawnSync(time, ['-f', '%M', '-o', rssFile, process.execPath, CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  let maxRssBytes: number | null = null;
  if (time) {
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
    if (/^\d+$/.test(last)) maxRssBytes = Number(last) * 1024;
  }
  return { seconds, maxRssBytes, ok: r.status === 0 };
}

const fmt = (b: number | null): string => (b === null ? 'n/a' : `${(b / MB).toFixed(0)} MB`);

function main(argv: string[]): void {
  if (argv[0] === '--engine') return engineRun(argv[1]!);
  let flows = 2_000_000;
  let names = 500_000;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--flows') flows = Number(argv[++i]);
    else if (argv[i] === '--names') names = Number(argv[++i]);
    else if (argv[i] === '--keep') keep = true;
    else throw new Error(`unknown argument ${argv[i]}; usage: long.js [--flows N] [--names N] [--keep]`);
  }
  mkdirSync(BENCH_DATA, { recursive: true });
  const day = join(BENCH_DATA, `day-${flows}.pcap`);
  const million = join(BENCH_DATA, 'flows-1000000.pcap');
  const many = join(BENCH_DATA, `names-${names}.pcap`);
  const ioc = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');
  try {
    log(`writing a 24-hour capture with ${flows} connections`);
    const d = writeLongCapture(day, { flows, seconds: 86_400, servers: 20_000 });
    const e = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--engine', day], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(e.stdout) as Record<string, unknown>;
    console.log(`24 h, ${flows} connections (${(d.bytes / MB).toFixed(0)} MB, ${d.packets} packets): engine ${(r.seconds as number).toFixed(1)} s, ` +
      `${r.retired} flows retired, ${r.inTable} left in the table, ${r.connections} connection entries (${r.folded} folded), ` +
      `refused ${r.refused}, omitted ${JSON.stringify(r.omitted)}, peak RSS ${fmt(r.maxRssBytes as number)}`);
    const a = timed(['analyze', day, '--format', 'json', '-o', join(BENCH_DATA, 'day.json'), '--indicators', ioc, '--no-progress']);
    console.log(`  analyze --format json: ${a.seconds.toFixed(1)} s, peak RSS ${fmt(a.maxRssBytes)}${a.ok ? '' : ' (failed)'}`);

    log('writing 1 million connections');
    writeLongCapture(million, { flows: 1_000_000, seconds: 86_400, servers: 20_000 });
    for (const [what, file] of [['1 million connections', million], [`${names} names`, many]] as const) {
      if (file === many) {
        log(`writing ${names} lookups of distinct names`);
        writeManyNamesCapture(many, names);
      }
      const i = timed(['inspect', file, '--json', '--no-progress']);
      const z = timed(['analyze', file, '--format', 'json', '-o', join(BENCH_DATA, 'x.json'), '--indicators', ioc, '--no-progress']);
      console.log(`${what}: inspect --json ${i.seconds.toFixed(1)} s, peak RSS ${fmt(i.maxRssBytes)}; analyze --format json ${z.seconds.toFixed(1)} s, peak RSS ${fmt(z.maxRssBytes)}`);
    }
  } finally {
    if (!keep) for (const f of [day, million, many, join(BENCH_DATA, 'day.json'), join(BENCH_DATA, 'x.json'), join(BENCH_DATA, 'rss.txt')]) rmSync(f, { force: true });
  }
}

main(process.argv.slice(2));
