/**
 * Load on `quietcheck serve` while a capture runs: 100 concurrent clients on loopback reading a live
 * check's status and a finished check's report, with traffic flowing into the capture. Prints latency
 * percentiles (the issue's target: p99 under 50 ms for both). A measurement, not a test.
 *
 *   npm run build && node dist/bench/serve-load.js [--clients 100] [--seconds 15] [--format json|html]
 *     [--rate N] [--pin] [--client raw|node] [--pps 2000] [--cpu-prof DIR]
 *
 * The load generator runs in its own process, so its CPU use is measured apart from the server's; on a
 * small machine the two still share the cores, which is why the server's own view is printed too:
 *
 * - client: latency as the clients saw it (queueing in the generator and the kernel included);
 * - server: `reply.elapsedTime` per request (from routing to the response written), and the event-loop
 *   delay of the server process during the run (monitorEventLoopDelay), read from the hidden
 *   /api/debug/timings route the server offers when started with QUIETCHECK_BENCH_TIMINGS=1;
 * - CPU: seconds used by the server (with its worker threads), by tcpdump, by the generator, and how busy
 *   the whole machine was.
 *
 * By default every client sends its next request as soon as the previous one answered (closed loop):
 * the latency is then mostly how long 100 requests wait for each other (Little's law: mean latency =
 * clients / throughput). `--rate N` sends N requests/s in all instead, on a fixed schedule, and measures
 * each from when it was due (open loop, no coordinated omission): what a room of polling screens does.
 * `--pin` puts the server (and tcpdump) on CPU 0 and the generator on CPU 1, so neither steals the
 * other's core. The generator speaks HTTP/1.1 over plain sockets (`--client node`: node:http, which costs
 * it more CPU per request than the server spends answering, CPU taken from the server on a small machine).
 * `--cpu-prof DIR` runs the server under `node --cpu-prof` and leaves its .cpuprofile in DIR.
 *
 * Needs tcpdump allowed to capture on lo (root or CAP_NET_RAW).
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { removeDir, ServeProcess, tempDir } from '../test/server/helpers.js';
import { pcap } from '../test/helpers/paths.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '15' },
    format: { type: 'string', default: 'json' },
    pps: { type: 'string', default: '2000' },
    rate: { type: 'string' },
    pin: { type: 'boolean', default: false },
    client: { type: 'string', default: 'raw' },
    'cpu-prof': { type: 'string' },
    // Internal: this process is the load generator (spawned by the bench itself).
    generator: { type: 'string' },
  },
});

interface GeneratorJob {
  port: number;
  statusPath: string;
  reportPath: string;
  clients: number;
  seconds: number;
  /** Requests per second in all (open loop); null: closed loop. */
  rate: number | null;
  client: 'raw' | 'node';
}

interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface GeneratorResult {
  status: Summary;
  report: Summary;
  /** The same for the requests sent after the first STEADY_AFTER_MS of the run. */
  steadyStatus: Summary;
  steadyReport: Summary;
  errors: number;
  seconds: number;
  cpuSeconds: number;
  /** The generator's own event-loop delay: time its clients' answers waited to be read. */
  loop: { p50: number; p99: number; max: number };
  /** When the slowest request was sent, in seconds into the run. */
  worstAt: number;
}

interface ServerTimings {
  status: Summary;
  report: Summary;
  loop: { p50: number; p99: number; max: number; mean: number };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(xs: number[]): Summary {
  const s = xs.sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s[s.length - 1] ?? NaN };
}

function makeGet(clients: number): (port: number, path: string, method?: string, body?: Buffer, type?: string) => Promise<{ status: number; body: Buffer }> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  return (port, path, method = 'GET', body, type) =>
    new Promise((resolve, reject) => {
      // As a browser asks; the body is not inflated here, the bytes read are what the server sent.
      const headers: Record<string, string> = { host: `127.0.0.1:${port}`, 'accept-encoding': 'gzip' };
      if (body) {
        headers['content-type'] = type ?? 'application/json';
        headers['content-length'] = String(body.length);
      }
      const req = request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

// -------------------------------------------------------------------------------------------------
// The load generator (a child process of the bench)

/**
 * One keep-alive HTTP/1.1 connection sending prepared GET requests, one at a time, and reading just
 * enough of each answer (status line, content-length, that many bytes). node:http costs more CPU per
 * request than the server does; on a small machine that CPU is taken from the server being measured.
 */
class RawConnection {
  private readonly sock: Socket;
  private readonly connected: Promise<void>;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private remaining = -1;
  private status = 0;
  private waiting: { resolve: (status: number) => void; reject: (err: Error) => void } | null = null;

  constructor(port: number) {
    this.sock = connect({ host: '127.0.0.1', port });
    this.sock.setNoDelay(true);
    this.connected = new Promise((res, rej) => {
      this.sock.once('connect', res);
      this.sock.once('error', rej);
    });
    this.sock.on('data', (d: Buffer) => this.data(d));
    const fail = (err: Error): void => {
      const w = this.waiting;
      this.waiting = null;
      w?.reject(err);
    };
    this.sock.on('error', fail);
    this.sock.on('close', () => fail(new Error('the server closed the connection')));
  }

  async get(request: Buffer): Promise<number> {
    await this.connected;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.remaining = -1;
      this.sock.write(request);
    });
  }

  private data(d: Buffer): void {
    if (this.remaining < 0) {
      this.chunks.push(d);
      this.buffered += d.length;
      const all = this.chunks.length === 1 ? d : Buffer.concat(this.chunks, this.buffered);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        this.chunks = [all];
        return;
      }
      const head = all.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const len = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (len === null) throw new Error(`an answer without content-length: ${head}`);
      this.remaining = Number(len[1]) - (all.length - end - 4);
      this.chunks = [];
      this.buffered = 0;
    } else {
      this.remaining -= d.length;
    }
    if (this.remaining <= 0) {
      const w = this.waiting;
      this.waiting = null;
      w?.resolve(this.status);
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Connections for the generator's requests: at most `size`, requests beyond wait for a free one. */
function rawPool(port: number, size: number): { get(path: string): Promise<number>; close(): void } {
  const requests = new Map<string, Buffer>();
  const all: RawConnection[] = [];
  const idle: RawConnection[] = [];
  const queue: ((c: RawConnection) => void)[] = [];
  const take = (): Promise<RawConnection> => {
    const c = idle.pop();
    if (c !== undefined) return Promise.resolve(c);
    if (all.length < size) {
      const n = new RawConnection(port);
      all.push(n);
      return Promise.resolve(n);
    }
    return new Promise((res) => queue.push(res));
  };
  const give = (c: RawConnection): void => {
    const next = queue.shift();
    if (next !== undefined) next(c);
    else idle.push(c);
  };
  return {
    async get(path) {
      let req = requests.get(path);
      if (req === undefined) {
        req = Buffer.from(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\naccept-encoding: gzip\r\n\r\n`, 'latin1');
        requests.set(path, req);
      }
      const c = await take();
      try {
        return await c.get(req);
      } finally {
        give(c);
      }
    },
    close() {
      for (const c of all) c.close();
    },
  };
}

/** Requests sent in the first 2 s are also left out of a second set of figures: start-up transients show as the difference. */
const STEADY_AFTER_MS = 2000;

async function generate(job: GeneratorJob): Promise<GeneratorResult> {
  let get: (port: number, path: string) => Promise<{ status: number }>;
  let close = (): void => {};
  if (job.client === 'raw') {
    const pool = rawPool(job.port, job.clients);
    get = async (_port, path) => ({ status: await pool.get(path) });
    close = () => pool.close();
  } else {
    get = makeGet(job.clients);
  }
  const lat: Record<'status' | 'report', number[]> = { status: [], report: [] };
  const steady: Record<'status' | 'report', number[]> = { status: [], report: [] };
  let errors = 0;
  // Every connection is opened (and its first answer read) before the clock starts: a screen polling the
  // status has its connection already, and 100 connects at once measure the kernel's SYN handling.
  await Promise.all(Array.from({ length: job.clients }, () => get(job.port, job.statusPath)));
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worst = { ms: 0, at: 0 };
  const end = t0 + job.seconds * 1000;
  const one = async (kind: 'status' | 'report', due: number): Promise<void> => {
    const r = await get(job.port, kind === 'status' ? job.statusPath : job.reportPath);
    const took = performance.now() - due;
    if (took > worst.ms) {
      worst.ms = took;
      worst.at = (due - t0) / 1000;
    }
    lat[kind].push(took);
    if (due - t0 >= STEADY_AFTER_MS) steady[kind].push(took);
    if (r.status !== 200) errors++;
  };
  if (job.rate === null) {
    const client = async (n: number): Promise<void> => {
      let i = n;
      while (performance.now() < end) await one(i++ % 2 === 0 ? 'status' : 'report', performance.now());
    };
    await Promise.all(Array.from({ length: job.clients }, (_, n) => client(n)));
  } else {
    // Request k is due at t0 + k / rate; a late timer sends every request that fell due meanwhile.
    const every = 1000 / job.rate;
    const pending = new Set<Promise<void>>();
    let k = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = performance.now();
        for (; t0 + k * every <= Math.min(now, end); k++) {
          const p = one(k % 2 === 0 ? 'status' : 'report', t0 + k * every).finally(() => pending.delete(p));
          pending.add(p);
        }
        if (now >= end) resolve();
        else setTimeout(tick, Math.max(0, Math.min(5, t0 + k * every - now)));
      };
      tick();
    });
    await Promise.all(pending);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  close();
  return {
    status: summary(lat.status),
    report: summary(lat.report),
    steadyStatus: summary(steady.status),
    steadyReport: summary(steady.report),
    errors,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    // The histogram holds whole sampling intervals: the delay is what exceeds the 5 ms asked for.
    loop: { p50: Math.max(0, loop.percentile(50) / 1e6 - 5), p99: Math.max(0, loop.percentile(99) / 1e6 - 5), max: Math.max(0, loop.max / 1e6 - 5) },
    worstAt: worst.at,
  };
}

// -------------------------------------------------------------------------------------------------
// CPU accounting from /proc

const TICK = 100; // USER_HZ on Linux

/** utime + stime of a process (all its threads), in seconds; null once it is gone. */
function procCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return null;
  }
}

/** The direct children of a process (tcpdump under the server). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c !== '') out.push(Number(c));
    }
  } catch {
    /* gone */
  }
  return out;
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Busy and total jiffies of the whole machine. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

// -------------------------------------------------------------------------------------------------
// The bench

function runGenerator(job: GeneratorJob, pin: boolean): Promise<{ result: GeneratorResult; pid: number }> {
  const self = fileURLToPath(import.meta.url);
  const argv = [self, '--generator', JSON.stringify(job)];
  const child = pin ? spawn('taskset', ['-c', '1', process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`load generator exited ${code}: ${out}`));
      else resolve({ result: JSON.parse(out) as GeneratorResult, pid: child.pid ?? 0 });
    });
  });
}

const ms = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const line = (label: string, s: Summary, seconds: number, digits = 1): string =>
  `  ${label.padEnd(7)} n=${String(s.n).padStart(7)} ${(s.n / seconds).toFixed(0).padStart(6)} req/s  ` +
  `p50 ${ms(s.p50, digits).padStart(6)}  p90 ${ms(s.p90, digits).padStart(6)}  p99 ${ms(s.p99, digits).padStart(6)}  max ${ms(s.max, digits).padStart(7)} ms`;

async function main(): Promise<void> {
  const clients = Number(values.clients);
  const seconds = Number(values.seconds);
  const pps = Number(values.pps);
  const rate = values.rate !== undefined ? Number(values.rate) : null;
  const get = makeGet(4);
  const dir = tempDir('qc-serve-bench-');
  // ServeProcess runs `wrap[0] ...wrap[1..] node cli serve ...`: `sh -c` puts the profiler flags after node.
  const prof = values['cpu-prof'];
  const wrap = [
    ...(values.pin ? ['taskset', '-c', '0'] : []),
    ...(prof ? ['sh', '-c', `n="$1"; shift; exec "$n" --cpu-prof --cpu-prof-dir="${prof}" "$@"`, 'sh'] : []),
  ];
  const serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', 'bench password 1234'], { QUIETCHECK_BENCH_TIMINGS: '1' }, wrap);
  const traffic = createSocket('udp4');
  let flood: NodeJS.Timeout | null = null;
  try {
    const port = Number(new URL(await serve.listening()).port);
    const serverPid = serve.child.pid!;
    const up = await get(port, '/api/uploads', 'POST', readFileSync(pcap('tls-browsing-mixed.pcap')), 'application/vnd.tcpdump.pcap');
    if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.body.toString()}`);
    const done = JSON.parse(up.body.toString()).id as string;
    const live = await get(port, '/api/checks', 'POST', Buffer.from(JSON.stringify({ interface: 'lo', device: '127.0.0.2' })));
    if (live.status !== 201) throw new Error(`live check: ${live.status} ${live.body.toString()}`);
    const liveId = JSON.parse(live.body.toString()).id as string;

    // Traffic into the capture for the whole run: small UDP datagrams from the "device".
    await new Promise<void>((res) => traffic.bind({ address: '127.0.0.2', port: 0 }, res));
    const payload = Buffer.alloc(200, 0x61);
    const perTick = Math.max(1, Math.round(pps / 100));
    flood = setInterval(() => {
      for (let i = 0; i < perTick; i++) traffic.send(payload, 9, '127.0.0.3');
    }, 10);

    const reportPath = `/api/checks/${done}/report?format=${values.format}`;
    const statusPath = `/api/checks/${liveId}`;
    // Warm the report cache as a first viewer would.
    const warm = await get(port, reportPath);
    const warmStatus = await get(port, statusPath);

    const tcpdumpPid = childrenOf(serverPid).find((p) => commOf(p) === 'tcpdump') ?? null;
    const timingsOn = (await get(port, '/api/debug/timings?reset=1')).status === 200;
    const cpu0 = { server: procCpu(serverPid) ?? 0, tcpdump: tcpdumpPid !== null ? (procCpu(tcpdumpPid) ?? 0) : 0, bench: process.cpuUsage(), machine: machineCpu() };
    const client = values.client === 'node' ? 'node' : 'raw';
    const { result: gen } = await runGenerator({ port, statusPath, reportPath, clients, seconds, rate, client }, values.pin);
    const cpu1 = { server: procCpu(serverPid) ?? 0, tcpdump: tcpdumpPid !== null ? (procCpu(tcpdumpPid) ?? 0) : 0, bench: process.cpuUsage(cpu0.bench), machine: machineCpu() };
    const timings = timingsOn ? (JSON.parse((await get(port, '/api/debug/timings')).body.toString()) as ServerTimings) : null;
    clearInterval(flood);
    flood = null;

    const st = JSON.parse((await get(port, statusPath)).body.toString());
    // Stop finishes the analysis on the server's main thread (from the facts its engine built while
    // capturing): how long that holds the event loop is the longest a reader can wait meanwhile.
    if (timingsOn) await get(port, '/api/debug/timings?reset=1');
    const stopT0 = performance.now();
    await get(port, `/api/checks/${liveId}/stop`, 'POST');
    const stopMs = performance.now() - stopT0;
    const stopLoop = timingsOn ? (JSON.parse((await get(port, '/api/debug/timings')).body.toString()) as ServerTimings).loop : null;

    const s = gen.seconds;
    const load = rate === null ? `${clients} clients in a closed loop` : `${rate} requests/s (open loop, up to ${clients} connections)`;
    console.log(`quietcheck serve under load: ${load}, ${seconds} s, report format ${values.format} (${warm.body.length} bytes as sent), ~${pps} packets/s into the capture`);
    console.log(`${cpus().length} CPUs${values.pin ? '; server and tcpdump pinned to CPU 0, load generator to CPU 1' : ', shared by server, tcpdump and load generator'}; status body ${warmStatus.body.length} bytes`);
    console.log(`capture during the run: ${st.live?.packets ?? 0} packets, ${st.live?.bytes ?? 0} bytes (state ${st.state})`);
    console.log(`client side (latency as the clients saw it; ${client === 'raw' ? 'a minimal keep-alive HTTP/1.1 client' : 'node:http'}):`);
    console.log(line('status', gen.status, s));
    console.log(line('report', gen.report, s));
    console.log(`  the same without the requests sent in the first ${STEADY_AFTER_MS / 1000} s:`);
    console.log(line('status', gen.steadyStatus, s - STEADY_AFTER_MS / 1000));
    console.log(line('report', gen.steadyReport, s - STEADY_AFTER_MS / 1000));
    console.log(`  total ${((gen.status.n + gen.report.n) / s).toFixed(0)} req/s, non-200 answers: ${gen.errors}; the slowest sent ${gen.worstAt.toFixed(1)} s into the run; the generator's own event-loop delay p50 ${ms(gen.loop.p50)} p99 ${ms(gen.loop.p99)} max ${ms(gen.loop.max)} ms`);
    if (timings !== null) {
      console.log(`server side (reply.elapsedTime, routing to response written):`);
      console.log(line('status', timings.status, s, 2));
      console.log(line('report', timings.report, s, 2));
      console.log(`  event-loop delay (beyond the 5 ms sampling interval): p50 ${ms(timings.loop.p50)}  p99 ${ms(timings.loop.p99)}  max ${ms(timings.loop.max)}  mean ${ms(timings.loop.mean)} ms`);
    } else {
      console.log('server side: n/a (this server has no /api/debug/timings)');
    }
    const pctOf = (cpuSec: number): string => `${((100 * cpuSec) / s).toFixed(0)}%`;
    const benchSec = (cpu1.bench.user + cpu1.bench.system) / 1e6;
    const ours = cpu1.server - cpu0.server + (cpu1.tcpdump - cpu0.tcpdump) + gen.cpuSeconds + benchSec;
    const machineSec = (cpu1.machine.busy - cpu0.machine.busy) / TICK;
    console.log(
      `CPU during the run (100% = one core): server ${pctOf(cpu1.server - cpu0.server)}, tcpdump ${pctOf(cpu1.tcpdump - cpu0.tcpdump)}, ` +
        `load generator ${pctOf(gen.cpuSeconds)}, bench (traffic) ${pctOf(benchSec)}; other processes ${pctOf(Math.max(0, machineSec - ours))} ` +
        `(whole machine ${((100 * (cpu1.machine.busy - cpu0.machine.busy)) / (cpu1.machine.total - cpu0.machine.total)).toFixed(0)}% busy of ${cpus().length} CPUs)`,
    );
    // What other load on the machine does not change: the CPU time each answer cost.
    const answered = gen.status.n + gen.report.n;
    console.log(
      `CPU per request: server ${((1e6 * (cpu1.server - cpu0.server)) / answered).toFixed(0)} µs, load generator ${((1e6 * gen.cpuSeconds) / answered).toFixed(0)} µs ` +
        `(the server's capacity on one free core: ~${(answered / (cpu1.server - cpu0.server)).toFixed(0)} requests/s)`,
    );
    console.log(`stop → report ready: ${stopMs.toFixed(0)} ms${stopLoop !== null ? `; longest event-loop delay meanwhile ${ms(stopLoop.max)} ms` : ''}`);
  } finally {
    if (flood) clearInterval(flood);
    traffic.close();
    await serve.stop();
    removeDir(dir);
  }
}

if (values.generator !== undefined) {
  generate(JSON.parse(values.generator) as GeneratorJob).then(
    (r) => {
      process.stdout.write(JSON.stringify(r));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().then(() => process.exit(0), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
