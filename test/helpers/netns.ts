/**
 * A "checker" network namespace of a test run, put between the lab's phone and its internet (test/lab):
 * what test/hotspot/rig.ts (quietcheck's own hotspot on a veth) and test/server/checker-ns.ts (a laptop
 * sharing its connection) have in common — the namespace named after the owning process (so that two
 * runs never collide and a dead run's leftovers are recognised), IPv6 off, loopback up, removal on
 * destroy and at the process's exit even when a test failed, commands run inside it, and the API of a
 * `quietcheck serve` inside it called with curl.
 */
import { execFile, spawnSync } from 'node:child_process';
import { removeDeadNamespaces, removeNamespace } from '../lab/lab.js';

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ApiRes {
  status: number;
  body: string;
  json<T = any>(): T;
}

/** `ip …`, throwing with ip's words when it fails. */
export function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr ?? '').trim()}`);
}

/** Runs a command inside a namespace. */
export function runIn(ns: string, cmd: string, args: string[], timeoutMs = 30_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * An HTTP call to quietcheck's API from inside a namespace (as the kiosk's own browser would make it),
 * with curl; `extra` adds curl arguments (a cookie jar, headers). Resolves to the status and the body.
 */
export async function apiIn(ns: string, port: number, method: string, path: string, body?: object, extra: string[] = []): Promise<ApiRes> {
  const args = ['-sS', '--max-time', '60', '-X', method, ...extra, '-o', '-', '-w', '\n%{http_code}'];
  if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(body));
  args.push(`http://127.0.0.1:${port}${path}`);
  const r = await runIn(ns, 'curl', args, 70_000);
  if (r.code !== 0) throw new Error(`curl ${method} ${path} in ${ns}: ${r.stderr.trim()}`);
  const i = r.stdout.lastIndexOf('\n');
  const text = r.stdout.slice(0, i);
  return { status: Number(r.stdout.slice(i + 1)), body: text, json: () => JSON.parse(text) };
}

/** The name of this process's checker namespace with `prefix` (qch, qcs…), and the pattern of all of them. */
export function checkerNsName(prefix: string): { ns: string; pattern: RegExp } {
  return { ns: `${prefix}-${process.pid}-chk`, pattern: new RegExp(`^${prefix}-(\\d+)-chk$`) };
}

/** Checker namespaces with this prefix whose process died. */
export function cleanCheckerNamespaces(prefix: string): void {
  removeDeadNamespaces(checkerNsName(prefix).pattern);
}

export abstract class CheckerNamespace {
  readonly ns: string;
  private readonly exitHandler = (): void => this.destroy();
  private destroyed = false;

  constructor(readonly prefix: string) {
    this.ns = checkerNsName(prefix).ns;
  }

  /** Wires the namespace; the namespace itself exists (IPv6 off, lo up) when it is called. */
  protected abstract setUp(): void;

  /**
   * Removes a dead run's namespaces with this prefix, creates this one and wires it; on any failure
   * removes it again. Removed at the process's exit too.
   */
  protected init(): this {
    cleanCheckerNamespaces(this.prefix);
    process.once('exit', this.exitHandler);
    try {
      ip(['netns', 'add', this.ns]);
      for (const key of ['all', 'default']) ip(['netns', 'exec', this.ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
      ip(['-n', this.ns, 'link', 'set', 'lo', 'up']);
      this.setUp();
    } catch (err) {
      this.destroy();
      throw err;
    }
    return this;
  }

  run(cmd: string, args: string[], timeoutMs = 30_000): Promise<Result> {
    return runIn(this.ns, cmd, args, timeoutMs);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.removeListener('exit', this.exitHandler);
    removeNamespace(this.ns);
  }
}
