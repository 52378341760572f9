import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { CaptureFormatError } from '../capture/types.js';
import type { Facts } from '../engine/facts.js';
import { inspectFile, inspectFileToJson, inspectStream } from '../engine/inspect.js';
import { writeFactsJson } from '../engine/json-out.js';

/** Files smaller than this finish before a progress bar would be worth drawing. */
const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .argument('<capture>', 'a pcap or pcapng file, or - to read one from standard input')
    .option('--json', 'print every fact as JSON on standard output (the shape later tools rely on)')
    .option('--no-progress', 'do not draw a progress bar on standard error')
    .description('decode a capture into facts: connections, DNS, TLS, QUIC, HTTP and DHCP')
    .addHelpText(
      'after',
      `
What it shows:
  Which servers the device talked to and how much, the names it looked up (DNS), the names it asked
  for in encrypted connections (TLS and QUIC "SNI", plus the servers' certificates and JA3/JA4
  fingerprints), plain-HTTP requests, and the device names DHCP revealed. A PCAPdroid capture (made
  by an app on the phone) also says which app made each connection ("apps" in --json, "app" on each
  connection). Damaged or cut-short captures are read up to the damage, which is reported.

Examples:
  quietcheck inspect phone.pcapng
  quietcheck inspect capture.pcap --json > facts.json
  tcpdump -i wlan0 -U -w - | quietcheck inspect - --json

Exit codes:
  0  the capture was read (damage, if any, is reported in the output)
  2  the file is missing, unreadable, or not a pcap/pcapng capture
  1  internal error (a bug: please report it)`,
    )
    .action(async (capture: string, opts: { json?: boolean; progress: boolean }) => {
      process.exitCode = await runInspect(capture, opts);
    });
}

async function runInspect(capture: string, opts: { json?: boolean; progress: boolean }): Promise<number> {
  try {
    if (capture === '-') {
      const facts = await inspectStream(process.stdin);
      if (opts.json) writeFactsJson(1, facts);
      else process.stdout.write(summarise(facts));
    } else {
      await withProgress(capture, opts.progress, (onProgress) => {
        // --json streams the connections from the flow table: a huge capture costs no object per connection.
        if (opts.json) inspectFileToJson(capture, 1, { onProgress });
        else process.stdout.write(summarise(inspectFile(capture, { onProgress })));
      });
    }
  } catch (err) {
    const reason = inputProblem(err, capture);
    if (reason === null) throw err;
    process.stderr.write(`quietcheck: ${reason}\n`);
    return EXIT_BAD_INPUT;
  }
  return EXIT_OK;
}

/**
 * Runs `work` with a progress bar on standard error when that is a terminal and the file is big enough.
 * The bar's library is loaded only then: it costs a few milliseconds of start-up that short files and
 * pipes would pay for nothing.
 */
async function withProgress(path: string, progress: boolean, work: (onProgress?: (done: number) => void) => void): Promise<void> {
  const size = statSync(path).size;
  if (!progress || !process.stderr.isTTY || size < PROGRESS_MIN_BYTES) return work();
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'reading {bar} {percentage}% | {value}/{total} MB | {eta_formatted} left',
    hideCursor: true,
  });
  const mb = (n: number): number => Math.round(n / 1e6);
  bar.start(mb(size), 0);
  try {
    work((done) => bar.update(mb(done)));
  } finally {
    bar.stop();
  }
}

/** A one-line reason for errors that are the input's fault, or null for a bug. */
function inputProblem(err: unknown, path: string): string | null {
  if (err instanceof CaptureFormatError) return `${path}: ${err.message}`;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
  if (code === 'EISDIR') return `${path}: is a directory, not a capture file`;
  return null;
}

/** The human summary: what a trainer wants to see at a glance. */
export function summarise(facts: Facts): string {
  const c = facts.capture;
  const lines: string[] = [];
  const dur = c.firstSeen && c.lastSeen ? (Date.parse(c.lastSeen) - Date.parse(c.firstSeen)) / 1000 : 0;
  lines.push(`Capture: ${c.format}, ${c.packets} packets, ${formatBytes(c.bytes)}, ${formatDuration(dur)}` +
    (c.firstSeen ? ` from ${c.firstSeen}` : ''));
  if (c.truncated) lines.push(`  ! the file is cut short or damaged${c.damageOffset !== null ? ` at byte ${c.damageOffset}` : ''}: read up to there`);
  const bad = Object.entries(c.malformed);
  if (bad.length > 0) lines.push(`  ! damaged or unreadable parts: ${bad.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  lines.push('');

  const byServer = new Map<string, { bytes: number; conns: number; names: Set<string> }>();
  for (const conn of facts.connections) {
    const e = byServer.get(conn.dst) ?? { bytes: 0, conns: 0, names: new Set<string>() };
    e.bytes += conn.bytes;
    e.conns++;
    for (const n of conn.names) e.names.add(n);
    byServer.set(conn.dst, e);
  }
  const top = [...byServer.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15);
  lines.push(`Connections: ${facts.connections.length} with ${byServer.size} servers. Top talkers:`);
  for (const [addr, e] of top) {
    const names = [...e.names].slice(0, 3).join(', ');
    lines.push(`  ${formatBytes(e.bytes).padStart(10)}  ${addr}${names ? `  (${names}${e.names.size > 3 ? ', …' : ''})` : ''}`);
  }
  lines.push('');

  const queried = new Map<string, number>();
  for (const d of facts.dns) if (!d.multicast) queried.set(d.query.toLowerCase(), (queried.get(d.query.toLowerCase()) ?? 0) + 1);
  lines.push(`DNS: ${facts.dns.length} lookups of ${queried.size} names${queried.size ? ':' : ''}`);
  for (const [name, n] of [...queried.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${name}${n > 1 ? ` ×${n}` : ''}`);
  lines.push('');

  const snis = new Set(facts.tls.map((t) => t.sni).filter((s): s is string => s !== null));
  const certs = new Set(facts.tls.flatMap((t) => t.certificates.map((x) => x.sha1)));
  lines.push(`TLS: ${facts.tls.length} handshakes, ${snis.size} server names, ${certs.size} distinct certificates`);
  for (const s of [...snis].slice(0, 20)) lines.push(`  ${s}`);
  const qsnis = new Set(facts.quic.map((q) => q.sni).filter((s): s is string => s !== null));
  lines.push(`QUIC: ${facts.quic.length} connections${qsnis.size ? `: ${[...qsnis].slice(0, 10).join(', ')}` : ''}`);
  const hosts = new Set(facts.http.map((h) => h.host));
  lines.push(`HTTP (unencrypted): ${facts.http.length} requests${hosts.size ? ` to ${[...hosts].slice(0, 10).join(', ')}` : ''}`);
  const apps = facts.apps ?? [];
  if (apps.length > 0) {
    lines.push(`Apps (recorded on the phone by PCAPdroid): ${apps.length}`);
    for (const a of [...apps].sort((x, y) => y.connections - x.connections).slice(0, 20)) {
      lines.push(`  ${String(a.connections).padStart(6)} connections  ${a.package ?? '(no package name)'}${a.name ? ` "${a.name}"` : ''}  uid ${a.uid}`);
    }
  }
  const devices = new Map<string, { hostname: string | null; vendorClass: string | null }>();
  for (const d of facts.dhcp) {
    const known = devices.get(d.mac);
    devices.set(d.mac, { hostname: d.hostname ?? known?.hostname ?? null, vendorClass: d.vendorClass ?? known?.vendorClass ?? null });
  }
  for (const [mac, d] of devices) {
    lines.push(`Device (DHCP): ${mac}${d.hostname ? ` named "${d.hostname}"` : ''}${d.vendorClass ? `, ${d.vendorClass}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
