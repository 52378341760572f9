/**
 * `npm run bench:memory`: peak memory of `analyze` and of `serve` on very large captures (the figures are
 * printed, never asserted).
 *  - analyze --format json (peak RSS by /usr/bin/time) on 500,000 distinct names, 1 million connections,
 *    about 500 MB of names (2.2 million), 900,000 connections (about 490 MB) and a 24-hour capture with
 *    2 million connections;
 *  - serve (VmHWM from /proc): while it analyses the uploads of the three that fit under the upload limit,
 *    then, the peak reset, while it serves their reports in JSON (gzip and plain), HTML and PDF in two
 *    languages several times over, and its resident size once idle afterwards.
 *
 *   node dist/bench/memory.js [--dir DIR] [--keep] [--cli main.js] [--repeat N] [--no-analyze] [--no-serve] [--small]
 *
 * --dir reuses the captures already there (written when missing); --cli measures another build (a copy of
 * dist/ from before a change); --small uses sizes a tenth as large, to try the bench itself quickly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INDICATORS } from '../test/helpers/paths.js';
import { writeLongCapture, writeManyNamesCapture } from '../test/helpers/long-capture.js';
import { BENCH_DATA } from './make-capture.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const MB = 1e6;
const log = (s: string): void => void process.stderr.write(`[bench:memory] ${s}\n`);
const fmt = (b: number | null): string => (b === null ? 'n/a' : `${(b / MB).toFixed(0)} MB`);

interface Input {
  label: string;
  file: string;
  make: (path: string) => void;
  /** Under serve's 512 MiB upload limit. */
  upload: boolean;
}

function inputs(dir: string, scale: number): Input[] {
  const n = (x: number): number => Math.round(x * scale);
  const flows = (count: number) => (p: string) => void writeLongCapture(p, { flows: count, seconds: 86_400, servers: 20_000 });
  const names = (count: number) => (p: string) => void writeManyNamesCapture(p, count);
  return [
    { label: `${n(500_000)} names`, file: join(dir, `names-${n(500_000)}.pcap`), make: names(n(500_000)), upload: true },
    { label: `${n(1_000_000)} connections`, file: join(dir, `flows-${n(1_000_000)}.pcap`), make: flows(n(1_000_000)), upload: false },
    { label: `${n(2_200_000)} names`, file: join(dir, `names-${n(2_200_000)}.pcap`), make: names(n(2_200_000)), upload: true },
    { label: `${n(900_000)} connections`, file: join(dir, `flows-${n(900_000)}.pcap`), make: flows(n(900_000)), upload: true },
    { label: `24 h, ${n(2_000_000)} connections`, file: join(dir, `day-${n(2_000_000)}.pcap`), make: flows(n(2_000_000)), upload: false },
  ];
}

function analyzePeak(cli: string, file: string, out: string): { seconds: number; maxRssBytes: number | null; ok: boolean } {
  const rssFile = `${out}.rss`;
  const ioc = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, cli, 'analyze', file, '--format', 'json', '-o', out, '--indicators', ioc, '--no-progress'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const seconds = (performance.now() - t0) / 1000;
  const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
  rmSync(rssFile, { force: true });
  return { seconds, maxRssBytes: /^\d+$/.test(last) ? Number(last) * 1024 : null, ok: r.status === 0 };
}

/** VmHWM and VmRSS of a process, in bytes. */
function memOf(pid: number): { hwm: number; rss: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0) * 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

/** Resets the process's peak resident size (Linux: 5 > clear_refs), so the next phase's peak is its own. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

function call(port: number, method: string, path: string, opts: { file?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: opts.headers }, (res) => {
      let bytes = 0;
      const keep: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        // Only small answers are kept as text: a report's bytes are counted and dropped.
        if (bytes < 1 << 20) keep.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(keep).toString('utf8'), bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.file !== undefined) createReadStream(opts.file).pipe(req);
    else req.end();
  });
}

async function startServe(cli: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, '--port', '0', '--interface', 'lo', '--retention-days', '0'], {
    env: { ...process.env, QUIETCHECK_ADMIN_PASSWORD: 'bench-memory-password' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const port = await new Promise<number>((resolve, reject) => {
    const seen = (d: Buffer): void => {
      text += d.toString();
      const m = /https?:\/\/[^\s:]+:(\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${text.slice(-2000)}`)));
  });
  return { child, port };
}

async function serveRun(cli: string, files: Input[], repeat: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-bench-memory-'));
  const { child, port } = await startServe(cli, dataDir);
  const pid = child.pid!;
  try {
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`serve: started, RSS ${fmt(memOf(pid).rss)}`);
    const ids: { label: string; id: string }[] = [];
    for (const f of files) {
      resetPeak(pid);
      const t0 = performance.now();
      const r = await call(port, 'POST', `/api/uploads?name=${encodeURIComponent(f.label)}`, {
        file: f.file,
        headers: { 'content-type': 'application/vnd.tcpdump.pcap', 'content-length': String(statSync(f.file).size) },
      });
      if (r.status !== 201) throw new Error(`upload of ${f.label}: ${r.status} ${r.body.slice(0, 300)}`);
      ids.push({ label: f.label, id: (JSON.parse(r.body) as { id: string }).id });
      const m = memOf(pid);
      console.log(`serve: upload of ${f.label} (${fmt(statSync(f.file).size)}) analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s, VmHWM ${fmt(m.hwm)}, RSS after ${fmt(m.rss)}`);
    }
    resetPeak(pid);
    const failures: string[] = [];
    const formats = [
      { format: 'json', gzip: true },
      { format: 'json', gzip: false },
      { format: 'html', gzip: true },
      { format: 'pdf', gzip: false },
    ];
    for (let round = 0; round < repeat; round++) {
      for (const { label, id } of ids) {
        for (const lang of ['en', 'fr']) {
          for (const { format, gzip } of formats) {
            const t0 = performance.now();
            const r = await call(port, 'GET', `/api/checks/${id}/report?format=${format}&lang=${lang}`, { headers: gzip ? { 'accept-encoding': 'gzip' } : {} });
            if (r.status !== 200) {
              // Counted, not fatal: an older build failing to print a very large PDF is one of the figures.
              failures.push(`${format} ${lang} of ${label}: ${r.status} ${r.body.slice(0, 200)}`);
              continue;
            }
            if (round === 0) log(`${label} ${format}${gzip ? ' (gzip)' : ''} ${lang}: ${fmt(r.bytes)} in ${((performance.now() - t0) / 1000).toFixed(1)} s, RSS ${fmt(memOf(pid).rss)}`);
          }
        }
      }
    }
    const served = memOf(pid);
    for (const f of failures) console.log(`serve: failed: ${f}`);
    console.log(`serve: ${ids.length} reports served ${repeat} times each in JSON (gzip and plain), HTML and PDF, in 2 languages: VmHWM ${fmt(served.hwm)}, RSS after ${fmt(served.rss)}`);
    await new Promise((r) => setTimeout(r, 15_000));
    console.log(`serve: idle 15 s later, RSS ${fmt(memOf(pid).rss)}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  let dir = BENCH_DATA;
  let keep = false;
  let cli = join(HERE, '..', 'src', 'cli', 'main.js');
  let repeat = 3;
  let analyze = true;
  let serve = true;
  let scale = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir') dir = argv[++i]!;
    else if (a === '--keep') keep = true;
    else if (a === '--cli') cli = argv[++i]!;
    else if (a === '--repeat') repeat = Number(argv[++i]);
    else if (a === '--no-analyze') analyze = false;
    else if (a === '--no-serve') serve = false;
    else if (a === '--small') scale = 0.1;
    else throw new Error(`unknown argument ${a}; usage: memory.js [--dir DIR] [--keep] [--cli main.js] [--repeat N] [--no-analyze] [--no-serve] [--small]`);
  }
  mkdirSync(dir, { recursive: true });
  const all = inputs(dir, scale);
  const made: string[] = [];
  try {
    for (const f of all) {
      if (existsSync(f.file)) continue;
      log(`writing ${f.label}`);
      f.make(f.file);
      made.push(f.file);
    }
    if (analyze) {
      const out = join(dir, 'bench-memory-report.json');
      for (const f of all) {
        const r = analyzePeak(cli, f.file, out);
        console.log(`analyze --format json, ${f.label} (${fmt(statSync(f.file).size)}): ${r.seconds.toFixed(1)} s, peak RSS ${fmt(r.maxRssBytes)}, report ${existsSync(out) ? fmt(statSync(out).size) : 'none'}${r.ok ? '' : ' (failed)'}`);
        rmSync(out, { force: true });
      }
    }
    if (serve) await serveRun(cli, all.filter((f) => f.upload), repeat);
  } finally {
    if (!keep) for (const f of made) rmSync(f, { force: true });
  }
}

await main(process.argv.slice(2));
