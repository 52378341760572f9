/**
 * The network lab: records realistic phone traffic in Linux network namespaces, as root, without anything
 * leaving the machine.
 *
 *   phone ns   (10.200.0.2) ──veth── (10.200.0.1) ┐
 *   phone2 ns  (10.200.1.2) ──veth── (10.200.1.1) ┴ internet ns: dnsmasq on :53, servers on 10.200.100.x
 *
 * The "internet" namespace runs dnsmasq (names → lab addresses, or NXDOMAIN), node web servers (HTTP and
 * HTTPS) and `openssl s_server` instances with the certificates of `certs.ts`. The phone resolves names
 * through its own /etc/netns/<ns>/resolv.conf (never `curl --resolve`), and tcpdump records its veth.
 * Addresses are private (10.200.0.0/16) and exist only inside the lab's namespaces.
 *
 * Several phones (each its own namespace and veth) let a long recording, such as a slow beacon, run while
 * other scenarios record on another phone.
 *
 * Every namespace is named `qc-<id>-phone[N]` / `qc-<id>-inet`; a state file in /run/quietcheck-lab records the
 * owning process, so a later run removes the namespaces, processes and folders of a run that died.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertFactory, type CertKind, type ServerCert } from './certs.js';
import type { ListenerConfig } from './http-server.js';

/** Where each running lab records its owner process, namespaces and folder. */
export const STATE_DIR = '/run/quietcheck-lab';
const NS_RE = /^qc-([0-9a-f]{8})-(phone\d*|inet)$/;
const PROBE_RE = /^qc-probe-[0-9a-f]{8}$/;
const TOOLS = ['ip', 'dnsmasq', 'openssl', 'tcpdump', 'curl', 'getent'];

/** Phone N sits on 10.200.N.2/24 behind the internet namespace's 10.200.N.1; servers are 10.200.100.x. */
export const gatewayOf = (n: number): string => `10.200.${n}.1`;
export const phoneAddressOf = (n: number): string => `10.200.${n}.2`;
export const SERVER_NET = '10.200.100.';

/** A service on a lab host. `https`/`http` are node servers; `tls` is `openssl s_server -www`. */
export interface ServiceSpec {
  port: number;
  proto: 'https' | 'http' | 'tls';
  /** For https and tls; 'lab' (signed by the lab CA, valid, covering the host's names) by default. */
  cert?: CertKind;
  /** Offer TLS 1.2 at most, so the certificate travels in clear (TLS 1.3 encrypts it). */
  tls12?: boolean;
}

export interface HostSpec {
  /** DNS names dnsmasq maps to this host's address; empty for a server reached by address only. */
  names: string[];
  services: ServiceSpec[];
}

export interface LabSpec {
  hosts: HostSpec[];
  /** How many phones (namespaces with their own veth); 1 by default. */
  phones?: number;
  /** Names dnsmasq answers with NXDOMAIN (subdomains included). */
  nxdomain?: string[];
}

export interface LabHost extends HostSpec {
  address: string;
  certs: Map<number, ServerCert>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  input?: string | Buffer;
}

// ---------------------------------------------------------------------------------------------------------
// Availability and leftovers

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function ip(args: string[], check = true): RunResult {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (check && r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

let availability: string | false | undefined;

/** False when the lab can run here, else the reason it cannot (for `{ skip }`). Checked once per process. */
export function labUnavailable(): string | false {
  if (availability !== undefined) return availability;
  availability = probe();
  return availability;
}

function probe(): string | false {
  if (process.platform !== 'linux') return 'the network lab needs Linux network namespaces';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'the network lab needs root (ip netns)';
  const missing = TOOLS.filter((t) => !which(t));
  if (missing.length > 0) return `the network lab needs ${missing.join(', ')} (installed by .ci/run)`;
  const name = `qc-probe-${randomBytes(4).toString('hex')}`;
  const r = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (r.status !== 0) return `ip netns is not permitted here: ${(r.stderr ?? '').trim()}`;
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  return false;
}

interface LabState {
  pid: number;
  namespaces: string[];
  dir: string;
}

/** The owner of a lab is still running: that pid exists and is a node process (pids get reused). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
  } catch {
    return true;
  }
}

function readState(file: string): LabState | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch {
    return null;
  }
}

function killNamespaceProcesses(ns: string): void {
  const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  for (const line of (r.stdout ?? '').split('\n')) {
    const pid = Number(line.trim());
    if (Number.isInteger(pid) && pid > 1 && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

/** Kills what runs in a namespace and deletes it (its veth ends, and with them their peers) and its /etc/netns folder. */
export function removeNamespace(ns: string): void {
  killNamespaceProcesses(ns);
  spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  rmSync(join('/etc/netns', ns), { recursive: true, force: true });
}

/** Deletes the namespaces matching `pattern` (group 1: the owning pid) whose owner process is gone. */
export function removeDeadNamespaces(pattern: RegExp): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of list.split('\n')) {
    const ns = line.trim().split(/\s+/)[0] ?? '';
    const m = pattern.exec(ns);
    if (m && !alive(Number(m[1]))) removeNamespace(ns);
  }
}

/** Removes the namespaces, processes and folders of lab runs whose process is gone. */
export function cleanLeftovers(): string[] {
  const removed: string[] = [];
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const names = list.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((n) => n.startsWith('qc-'));
  for (const ns of names) {
    if (PROBE_RE.test(ns)) {
      removeNamespace(ns);
      removed.push(ns);
      continue;
    }
    const m = NS_RE.exec(ns);
    if (!m) continue;
    const state = readState(join(STATE_DIR, `${m[1]}.json`));
    if (state !== null && alive(state.pid)) continue;
    removeNamespace(ns);
    removed.push(ns);
  }
  if (existsSync(STATE_DIR)) {
    for (const f of readdirSync(STATE_DIR)) {
      if (!/^[0-9a-f]{8}\.json$/.test(f)) continue; // state files are written under another name, then renamed
      const file = join(STATE_DIR, f);
      const state = readState(file);
      if (state !== null) {
        if (alive(state.pid)) continue;
        for (const ns of state.namespaces) if (NS_RE.test(ns)) removeNamespace(ns);
        if (state.dir.startsWith(join(tmpdir(), 'qc-lab-'))) rmSync(state.dir, { recursive: true, force: true });
      }
      rmSync(file, { force: true });
    }
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------------------
// Processes

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A long-running process inside a namespace, in its own process group. */
export class Daemon {
  output = '';
  readonly exited: Promise<number | null>;
  private done = false;

  constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.done = true;
        resolve(code);
      });
      child.on('error', (err) => {
        this.output += String(err);
        this.done = true;
        resolve(null);
      });
    });
  }

  async waitFor(pattern: RegExp, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!pattern.test(this.output)) {
      if (this.done) throw new Error(`${this.label} exited before it was ready:\n${this.output}`);
      if (Date.now() > end) throw new Error(`${this.label} not ready after ${ms} ms:\n${this.output}`);
      await sleep(20);
    }
  }

  signal(sig: NodeJS.Signals): void {
    if (this.done || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      /* gone */
    }
  }

  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
    if (this.done) return;
    this.signal(sig);
    const t = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(t);
  }
}

function runIn(ns: string, cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, opts.timeoutMs ?? 15_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

// ---------------------------------------------------------------------------------------------------------

/** One phone: a namespace whose resolver is the lab's dnsmasq, with the clients a phone app would be. */
export class Phone {
  private recordings = 0;

  constructor(
    private readonly lab: Lab,
    readonly index: number,
    readonly ns: string,
    readonly iface: string,
    readonly address: string,
  ) {}

  /** Runs a command inside this phone's namespace. */
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return runIn(this.ns, cmd, args, opts);
  }

  /** curl from the phone (names resolved by dnsmasq); resolves to the HTTP status. */
  async curl(url: string, extra: string[] = []): Promise<number> {
    const r = await this.run('curl', ['-sS', '-k', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}', ...extra, url], {
      timeoutMs: 15_000,
    });
    if (r.code !== 0) throw new Error(`curl ${url} failed (${r.code}): ${r.stderr.trim()}`);
    return Number(r.stdout.trim() || '0');
  }

  /** A POST of `bytes` random bytes from the phone. */
  async upload(url: string, bytes: number): Promise<number> {
    const file = join(this.lab.dir, `upload-${bytes}.bin`);
    if (!existsSync(file)) writeFileSync(file, randomBytes(bytes));
    return this.curl(url, ['-X', 'POST', '-H', 'content-type: application/octet-stream', '--data-binary', `@${file}`]);
  }

  /**
   * A TLS handshake and one GET with `openssl s_client` (`host` is resolved through DNS unless it is an
   * address); resolves to the server's reply. `sni` null sends no SNI.
   */
  async tls(host: string, port: number, sni: string | null = host): Promise<string> {
    const args = ['s_client', '-connect', `${host}:${port}`, '-ign_eof', '-quiet'];
    if (sni !== null) args.push('-servername', sni);
    else args.push('-noservername');
    const r = await this.run('openssl', args, { input: `GET / HTTP/1.0\r\nHost: ${sni ?? host}\r\n\r\n`, timeoutMs: 15_000 });
    if (!/HTTP\/1\.[01] 200/.test(r.stdout + r.stderr)) {
      throw new Error(`s_client ${host}:${port} got no page (${r.code}): ${r.stderr.trim()}\n${r.stdout.slice(0, 300)}`);
    }
    return r.stdout;
  }

  /** A DNS lookup (A records) through the phone's resolver; resolves to the addresses (empty for NXDOMAIN). */
  async resolve(name: string): Promise<string[]> {
    const r = await this.run('getent', ['ahostsv4', name], { timeoutMs: 10_000 });
    return [...new Set(r.stdout.split('\n').map((l) => l.split(/\s+/)[0] ?? '').filter((a) => a !== ''))];
  }

  /**
   * A periodic beacon: `count` GETs of `url`, one every `periodMs` give or take up to `jitterMs`, each a new
   * connection after a new DNS lookup, like a spyware check-in. Resolves to the send times (ms).
   */
  async beacon(url: string, count: number, periodMs: number, jitterMs: number): Promise<number[]> {
    const t0 = Date.now();
    const sent: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = t0 + i * periodMs + (i === 0 ? 0 : Math.round((Math.random() * 2 - 1) * jitterMs));
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
      sent.push(Date.now());
      await this.curl(url);
    }
    return sent;
  }

  /**
   * Records this phone's veth with tcpdump while `fn` runs; resolves to the pcap path. The capture starts
   * before `fn` and stops a moment after it, so the last packets (FIN, ACK) are in it.
   */
  async record(label: string, fn: (phone: Phone) => Promise<void>): Promise<string> {
    const name = `p${this.index}-${String(++this.recordings).padStart(2, '0')}-${label.replace(/[^a-z0-9-]/gi, '_')}.pcap`;
    const file = join(this.lab.dir, name);
    // --immediate-mode and a large buffer: without them the packets still in the kernel buffer when
    // tcpdump is stopped are lost, and a fast upload over veth overflows the default buffer.
    const dump = this.lab.daemon(this.ns, `tcpdump ${label}`, 'tcpdump',
      ['-i', this.iface, '-n', '-U', '--immediate-mode', '-B', '32768', '-Z', 'root', '-s', '0', '-w', file]);
    await dump.waitFor(/listening on/, 10_000);
    try {
      await fn(this);
      await sleep(300);
    } finally {
      await dump.stop('SIGINT');
      this.lab.forget(dump);
    }
    if (!existsSync(file)) throw new Error(`tcpdump wrote no file:\n${dump.output}`);
    const dropped = /(\d+) packets? dropped by kernel/.exec(dump.output);
    if (dropped && Number(dropped[1]) > 0) throw new Error(`tcpdump dropped ${dropped[1]} packets recording ${label}`);
    const keep = process.env['QC_LAB_KEEP'];
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(file, join(keep, name));
    }
    return file;
  }
}

export class Lab {
  readonly id: string;
  readonly inetNs: string;
  readonly dir: string;
  readonly hosts: LabHost[] = [];
  readonly phones: Phone[] = [];
  private readonly daemons: Daemon[] = [];
  private stopped = false;
  private readonly exitHandler = (): void => this.stopSync();

  private constructor(readonly spec: LabSpec) {
    this.id = randomBytes(4).toString('hex');
    this.inetNs = `qc-${this.id}-inet`;
    this.dir = mkdtempSync(join(tmpdir(), 'qc-lab-'));
    const n = spec.phones ?? 1;
    for (let i = 0; i < n; i++) {
      this.phones.push(new Phone(this, i, `qc-${this.id}-phone${i === 0 ? '' : i + 1}`, `qc${this.id}p${i}`, phoneAddressOf(i)));
    }
  }

  /** The first phone. */
  get phone(): Phone {
    return this.phones[0]!;
  }

  private get namespaces(): string[] {
    return [...this.phones.map((p) => p.ns), this.inetNs];
  }

  /** Builds the namespaces, starts dnsmasq and the servers, and waits until all listen. */
  static async start(spec: LabSpec): Promise<Lab> {
    const reason = labUnavailable();
    if (reason) throw new Error(reason);
    cleanLeftovers();
    const lab = new Lab(spec);
    try {
      await lab.setUp();
    } catch (err) {
      await lab.stop();
      throw err;
    }
    return lab;
  }

  private async setUp(): Promise<void> {
    // The state file comes before any namespace, so a concurrent cleanup never takes this lab for dead.
    mkdirSync(STATE_DIR, { recursive: true });
    const state: LabState = { pid: process.pid, namespaces: this.namespaces, dir: this.dir };
    const tmp = join(STATE_DIR, `.${this.id}.tmp`);
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, join(STATE_DIR, `${this.id}.json`));
    process.once('exit', this.exitHandler);

    for (const ns of this.namespaces) {
      ip(['netns', 'add', ns]);
      // IPv4 only: no router solicitations or MLD reports in the recordings (best effort: where /proc/sys
      // is read-only the recordings merely hold a few link-local ICMPv6 packets more).
      for (const key of ['all', 'default']) ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`], false);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    for (const p of this.phones) {
      const peer = `qc${this.id}i${p.index}`;
      ip(['link', 'add', p.iface, 'netns', p.ns, 'type', 'veth', 'peer', 'name', peer, 'netns', this.inetNs]);
      ip(['-n', p.ns, 'addr', 'add', `${p.address}/24`, 'dev', p.iface]);
      ip(['-n', this.inetNs, 'addr', 'add', `${gatewayOf(p.index)}/24`, 'dev', peer]);
      ip(['-n', p.ns, 'link', 'set', p.iface, 'up']);
      ip(['-n', this.inetNs, 'link', 'set', peer, 'up']);
      ip(['-n', p.ns, 'route', 'add', 'default', 'via', gatewayOf(p.index)]);
      // The phone's resolver: dnsmasq, read by glibc through the files `ip netns exec` mounts over /etc.
      const etc = join('/etc/netns', p.ns);
      mkdirSync(etc, { recursive: true });
      writeFileSync(join(etc, 'resolv.conf'), `nameserver ${gatewayOf(p.index)}\noptions timeout:1 attempts:1\n`);
      writeFileSync(join(etc, 'hosts'), '127.0.0.1 localhost\n');
    }

    const certs = new CertFactory(join(this.dir, 'certs'));
    const listeners: ListenerConfig[] = [];
    const tlsServers: { address: string; port: number; cert: ServerCert; tls12: boolean }[] = [];
    this.spec.hosts.forEach((h, i) => {
      const address = `${SERVER_NET}${10 + i}`;
      ip(['-n', this.inetNs, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
      const host: LabHost = { ...h, address, certs: new Map() };
      for (const s of h.services) {
        if (s.proto === 'http') {
          listeners.push({ address, port: s.port, tls: null, tls12: false });
          continue;
        }
        const cert = certs.issue(s.cert ?? 'lab', h.names);
        host.certs.set(s.port, cert);
        if (s.proto === 'https') listeners.push({ address, port: s.port, tls: cert, tls12: s.tls12 ?? false });
        else tlsServers.push({ address, port: s.port, cert, tls12: s.tls12 ?? false });
      }
      this.hosts.push(host);
    });

    const dnsArgs = [
      '--no-daemon', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--port', '53',
      `--listen-address=${this.phones.map((p) => gatewayOf(p.index)).join(',')}`, '--bind-interfaces',
      '--log-facility=-', '--log-queries', '--pid-file=', '--cache-size=0',
    ];
    // host-record + local: A gets the lab address, AAAA gets NOERROR without answers (as from a real
    // IPv4-only server), any other name under it NXDOMAIN.
    for (const h of this.hosts) for (const n of h.names) dnsArgs.push(`--host-record=${n},${h.address}`, `--local=/${n}/`);
    for (const n of this.spec.nxdomain ?? []) dnsArgs.push(`--address=/${n}/`);
    const dns = this.daemon(this.inetNs, 'dnsmasq', 'dnsmasq', dnsArgs);

    const waits: Promise<void>[] = [dns.waitFor(/started, version/, 10_000)];
    if (listeners.length > 0) {
      const config = join(this.dir, 'http-servers.json');
      writeFileSync(config, JSON.stringify(listeners));
      const url = new URL('./http-server.js', import.meta.url).href;
      const code = `import(${JSON.stringify(url)}).then((m) => m.runServers(${JSON.stringify(config)}))`;
      const web = this.daemon(this.inetNs, 'web', process.execPath, ['--input-type=module', '-e', code]);
      waits.push(web.waitFor(/^ready$/m, 10_000));
    }
    for (const t of tlsServers) {
      const args = ['s_server', '-accept', `${t.address}:${t.port}`, '-cert', t.cert.cert, '-key', t.cert.key, '-www'];
      if (t.cert.chain !== null) args.push('-cert_chain', t.cert.chain);
      if (t.tls12) args.push('-no_tls1_3');
      const d = this.daemon(this.inetNs, `s_server ${t.address}:${t.port}`, 'openssl', args);
      waits.push(d.waitFor(/ACCEPT/, 10_000));
    }
    await Promise.all(waits);
  }

  /** Starts a long-running process inside a namespace, stopped with the lab. */
  daemon(ns: string, label: string, cmd: string, args: string[]): Daemon {
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const d = new Daemon(label, child);
    this.daemons.push(d);
    return d;
  }

  /** Drops a daemon that already stopped from the lab's list. */
  forget(d: Daemon): void {
    const i = this.daemons.indexOf(d);
    if (i >= 0) this.daemons.splice(i, 1);
  }

  /** The lab host serving this name (or address). */
  host(nameOrAddress: string): LabHost {
    const h = this.hosts.find((x) => x.address === nameOrAddress || x.names.includes(nameOrAddress));
    if (!h) throw new Error(`no lab host for ${nameOrAddress}`);
    return h;
  }

  /** What dnsmasq logged so far (queries and answers), for failure messages. */
  dnsLog(): string {
    return this.daemons.find((d) => d.label === 'dnsmasq')?.output ?? '';
  }

  /** Records the first phone (see `Phone.record`). */
  record(label: string, fn: (phone: Phone) => Promise<void>): Promise<string> {
    return this.phone.record(label, fn);
  }

  /** Stops every process, deletes the namespaces, the resolver files and the temporary folder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await Promise.all(this.daemons.map((d) => d.stop()));
    this.stopSync();
  }

  private stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener('exit', this.exitHandler);
    for (const d of this.daemons) d.signal('SIGKILL');
    for (const ns of this.namespaces) removeNamespace(ns);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(join(STATE_DIR, `${this.id}.json`), { force: true });
  }
}

/**
 * Builds a lab, records one scenario on its first phone, tears the lab down, and resolves to the capture,
 * copied into `outDir` (which the caller owns).
 */
export async function recordScenario(spec: LabSpec, label: string, fn: (phone: Phone) => Promise<void>, outDir: string): Promise<string> {
  return withLab(spec, async (lab) => {
    const file = await lab.record(label, fn);
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `${label.replace(/[^a-z0-9-]/gi, '_')}.pcap`);
    copyFileSync(file, out);
    return out;
  });
}

/** Runs `fn` in a fresh lab and always tears it down. */
export async function withLab<T>(spec: LabSpec, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await Lab.start(spec);
  try {
    return await fn(lab);
  } finally {
    await lab.stop();
  }
}
