/**
 * Test plumbing for `quietcheck serve`: a real server on 127.0.0.1 with a temporary data directory,
 * a raw HTTP client (tests must set Host, Origin and cookies freely), an SSE reader, and the built CLI
 * as a child process for crash tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDataDir } from '../../src/config/paths.js';
import { importFeed } from '../../src/indicators/feeds.js';
import { hashPassword } from '../../src/server/auth.js';
import { startServer, type ServerHandle } from '../../src/server/app.js';
import { DEFAULTS, type ServeConfig } from '../../src/server/config.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ROOT } from '../helpers/paths.js';

export const PASSWORD = 'a long test password';
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export function tempDir(prefix = 'qc-serve-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Imports indicator files into the data directory's store, as `quietcheck indicators import` does. */
export async function importIndicators(dataDir: string, files: string[]): Promise<void> {
  ensureDataDir(dataDir);
  const store = SqliteStore.inDir(dataDir);
  try {
    for (const f of files) {
      const out = await importFeed(store, f);
      for (const o of out) if (o.status === 'failed') throw new Error(`import ${f}: ${o.error}`);
    }
  } finally {
    store.close();
  }
}

export interface TestServer {
  handle: ServerHandle;
  dataDir: string;
  port: number;
  close(): Promise<void>;
}

export async function startTestServer(
  over: Partial<ServeConfig> & { dataDir?: string; now?: () => Date; log?: (msg: string) => void; listenHost?: string } = {},
): Promise<TestServer> {
  const dataDir = over.dataDir ?? tempDir();
  ensureDataDir(dataDir);
  const { now, log, listenHost, ...rest } = over;
  const config: ServeConfig = { ...DEFAULTS, allowedHosts: [], ...rest, dataDir, host: listenHost ?? '127.0.0.1', port: 0 };
  const store = SqliteStore.inDir(dataDir);
  if (store.adminPasswordHash() === null) store.setAdminPassword(await hashPassword(PASSWORD));
  const handle = await startServer({ config, store, now, log });
  const port = Number(new URL(handle.url).port);
  return {
    handle,
    dataDir,
    port,
    async close() {
      await handle.close();
    },
  };
}

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

export interface ReqOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
  timeoutMs?: number;
}

export function api(port: number, path: string, opts: ReqOptions = {}): Promise<Res> {
  return send('127.0.0.1', undefined, port, path, opts);
}

/**
 * As `api`, but connecting to `address` from `localAddress`: a server listening on all addresses sees
 * the call come from a machine's non-loopback address, as a call from another machine would.
 */
export function apiFrom(localAddress: string, address: string, port: number, path: string, opts: ReqOptions = {}): Promise<Res> {
  return send(address, localAddress, port, path, opts);
}

function send(address: string, localAddress: string | undefined, port: number, path: string, opts: ReqOptions): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `${address}:${port}`, ...opts.headers };
    let body: Buffer | undefined;
    if (opts.body !== undefined) {
      if (Buffer.isBuffer(opts.body)) body = opts.body;
      else if (typeof opts.body === 'string') body = Buffer.from(opts.body);
      else {
        body = Buffer.from(JSON.stringify(opts.body));
        headers['content-type'] ??= 'application/json';
      }
      headers['content-length'] = String(body.length);
    }
    const req = request({ host: address, port, localAddress, path, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8'), json: () => JSON.parse(b.toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 60_000, () => req.destroy(new Error(`${path}: timed out`)));
    // A server refusing an upload early may close the connection while the body is still going out.
    req.on('error', reject);
    req.end(body);
  });
}

/** This machine's first non-loopback IPv4 address, or null when it has none. */
export function externalIPv4(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

export interface AdminSession {
  cookie: string;
  csrf: string;
}

export async function login(port: number, password = PASSWORD): Promise<AdminSession> {
  const r = await api(port, '/api/admin/login', { method: 'POST', body: { password } });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${r.text}`);
  const set = r.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : [set ?? '']).find((c) => c.startsWith('qc_admin='));
  if (!line) throw new Error('login set no cookie');
  return { cookie: line.split(';')[0]!, csrf: r.json<{ csrfToken: string }>().csrfToken };
}

export function asAdmin(s: AdminSession, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrf, ...extra };
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Reads Server-Sent Events until the server ends the stream or `until` returns true. */
export function readEvents(port: number, path: string, headers: Record<string, string> = {}, until?: (e: SseEvent) => boolean, timeoutMs = 60_000): Promise<SseEvent[]> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    let buf = '';
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${path}: ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (s: string) => {
        buf += s;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          const e = { event, data: data === '' ? null : JSON.parse(data) };
          events.push(e);
          if (until?.(e)) {
            clearTimeout(timer);
            req.destroy();
            resolve(events);
            return;
          }
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(events);
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${path}: no end after ${timeoutMs} ms; got ${JSON.stringify(events.slice(-2))}`));
    }, timeoutMs);
    req.on('error', (err) => {
      if (!req.destroyed || events.length === 0) reject(err);
    });
    req.end();
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** `quietcheck serve` as a child process in its own process group (so SIGKILL takes tcpdump too). */
export class ServeProcess {
  output = '';
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}, wrap: string[] = []) {
    const cmd = wrap.length > 0 ? wrap[0]! : process.execPath;
    const argv = wrap.length > 0 ? [...wrap.slice(1), process.execPath, CLI, 'serve', ...args] : [CLI, 'serve', ...args];
    this.child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async listening(ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const m = /listening on (http:\/\/\S+)/.exec(this.output);
      if (m) return m[1]!;
      if (this.child.exitCode !== null) throw new Error(`serve exited ${this.child.exitCode}:\n${this.output}`);
      if (Date.now() > end) throw new Error(`serve not listening after ${ms} ms:\n${this.output}`);
      await sleep(50);
    }
  }

  kill(sig: NodeJS.Signals): void {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      /* already gone */
    }
  }

  async stop(): Promise<void> {
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
