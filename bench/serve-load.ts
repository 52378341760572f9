/**
 * Load on `quietcheck serve` while a capture runs: 100 concurrent clients on loopback reading a live
 * check's status and a finished check's report, with traffic flowing into the capture. Prints latency
 * percentiles (the target: p99 under 50 ms for both). A measurement, not a test.
 *
 *   npm run build && node dist/bench/serve-load.js [--clients 100] [--seconds 15] [--format json|html] [--cpu-prof DIR]
 *
 * --cpu-prof DIR runs the server under `node --cpu-prof` and leaves its .cpuprofile in DIR.
 *
 * Needs tcpdump allowed to capture on lo (root or CAP_NET_RAW).
 */
import { createSocket } from 'node:dgram';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { removeDir, ServeProcess, tempDir } from '../test/server/helpers.js';
import { pcap } from '../test/helpers/paths.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '15' },
    format: { type: 'string', default: 'json' },
    pps: { type: 'string', default: '2000' },
    'cpu-prof': { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const PPS = Number(values.pps);

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function get(port: number, path: string, method = 'GET', body?: Buffer, type?: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
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

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const dir = tempDir('qc-serve-bench-');
  // ServeProcess runs `wrap[0] ...wrap[1..] node cli serve ...`: `sh -c` puts the profiler flags after node.
  const prof = values['cpu-prof'];
  const wrap = prof ? ['sh', '-c', `n="$1"; shift; exec "$n" --cpu-prof --cpu-prof-dir="${prof}" "$@"`, 'sh'] : [];
  const serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', 'bench password 1234'], {}, wrap);
  const traffic = createSocket('udp4');
  let flood: NodeJS.Timeout | null = null;
  try {
    const port = Number(new URL(await serve.listening()).port);
    const up = await get(port, '/api/uploads', 'POST', readFileSync(pcap('tls-browsing-mixed.pcap')), 'application/vnd.tcpdump.pcap');
    if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.body.toString()}`);
    const done = JSON.parse(up.body.toString()).id as string;
    const live = await get(port, '/api/checks', 'POST', Buffer.from(JSON.stringify({ interface: 'lo', device: '127.0.0.2' })));
    if (live.status !== 201) throw new Error(`live check: ${live.status} ${live.body.toString()}`);
    const liveId = JSON.parse(live.body.toString()).id as string;

    // Traffic into the capture for the whole run: small UDP datagrams from the "device".
    await new Promise<void>((res) => traffic.bind({ address: '127.0.0.2', port: 0 }, res));
    const payload = Buffer.alloc(200, 0x61);
    const perTick = Math.max(1, Math.round(PPS / 100));
    flood = setInterval(() => {
      for (let i = 0; i < perTick; i++) traffic.send(payload, 9, '127.0.0.3');
    }, 10);

    const reportPath = `/api/checks/${done}/report?format=${values.format}`;
    // Warm the report cache as a first viewer would.
    await get(port, reportPath);

    const lat: Record<'status' | 'report', number[]> = { status: [], report: [] };
    let errors = 0;
    const end = Date.now() + SECONDS * 1000;
    const client = async (n: number): Promise<void> => {
      let i = n;
      while (Date.now() < end) {
        const kind = i++ % 2 === 0 ? 'status' : 'report';
        const t0 = performance.now();
        const r = await get(port, kind === 'status' ? `/api/checks/${liveId}` : reportPath);
        lat[kind].push(performance.now() - t0);
        if (r.status !== 200) errors++;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    clearInterval(flood);
    flood = null;

    const st = JSON.parse((await get(port, `/api/checks/${liveId}`)).body.toString());
    const stopT0 = performance.now();
    await get(port, `/api/checks/${liveId}/stop`, 'POST');
    const stopMs = performance.now() - stopT0;

    console.log(`quietcheck serve under load: ${CLIENTS} clients, ${SECONDS} s, report format ${values.format}, ~${PPS} packets/s into the capture`);
    console.log(`capture during the run: ${st.live?.packets ?? 0} packets, ${st.live?.bytes ?? 0} bytes (state ${st.state})`);
    for (const kind of ['status', 'report'] as const) {
      const s = lat[kind].sort((a, b) => a - b);
      console.log(
        `${kind.padEnd(7)} n=${String(s.length).padStart(7)}  ${(s.length / SECONDS).toFixed(0).padStart(6)} req/s  ` +
          `p50 ${pct(s, 50).toFixed(1)} ms  p95 ${pct(s, 95).toFixed(1)} ms  p99 ${pct(s, 99).toFixed(1)} ms  max ${s[s.length - 1]!.toFixed(1)} ms`,
      );
    }
    console.log(`non-200 answers: ${errors}`);
    console.log(`stop → report ready: ${stopMs.toFixed(0)} ms`);
  } finally {
    if (flood) clearInterval(flood);
    traffic.close();
    agent.destroy();
    await serve.stop();
    removeDir(dir);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
