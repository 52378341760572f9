/**
 * A long-running program a check depends on (dnsmasq, hostapd): its recent output, its lines as they
 * come, waiting for the line that says it is ready, and stopping it — politely first, then by force.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { supervisor as defaultSupervisor, type ChildEntry, type Supervisor } from './supervisor.js';

/** How much of a program's output is kept for error messages. */
const OUTPUT_KEPT = 64 * 1024;
/** How long a program has to end after SIGTERM before it gets SIGKILL. */
export const STOP_GRACE_MS = 3000;

/** The program ended, or did not say it was ready in time; the message ends with its last lines. */
export class ProcessStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'ProcessStartError';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class WatchedProcess {
  output = '';
  readonly exited: Promise<number | null>;
  private done = false;
  constructor(
    readonly name: string,
    readonly child: ChildProcessByStdio<null, Readable, Readable>,
    onLine: (line: string) => void = () => {},
    private readonly graceMs = STOP_GRACE_MS,
  ) {
    let partial = '';
    const take = (d: Buffer): void => {
      const s = d.toString('utf8');
      this.output = (this.output + s).slice(-OUTPUT_KEPT);
      partial += s;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.done = true;
        resolve(code);
      });
      child.once('error', (err) => {
        this.output += String(err);
        this.done = true;
        resolve(null);
      });
    });
  }

  get running(): boolean {
    return !this.done;
  }

  private lastLines(): string {
    return this.output.trim().split('\n').slice(-3).join(' / ');
  }

  /** Resolves once the output matches `re`; throws ProcessStartError if the program ends first or `ms` pass. */
  async waitFor(re: RegExp, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!re.test(this.output)) {
      if (this.done) throw new ProcessStartError(`${this.name} stopped: ${this.lastLines() || 'no output'}`, this.output);
      if (Date.now() > end) throw new ProcessStartError(`${this.name} did not start within ${ms / 1000} s: ${this.lastLines()}`, this.output);
      await sleep(25);
    }
  }

  /** SIGTERM, then SIGKILL after the grace time; resolves when it has exited. */
  async stop(): Promise<void> {
    if (this.done) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), this.graceMs);
    await this.exited;
    clearTimeout(t);
  }
}

/** The programs one user (the hotspot) started, stopped together. */
export class ProcessGroup {
  private procs: WatchedProcess[] = [];
  constructor(
    private readonly supervisor: Supervisor = defaultSupervisor,
    private readonly graceMs = STOP_GRACE_MS,
  ) {}

  /** Spawns `cmd` under the supervisor; `record` hears of it (pid, name, start time) before it can exit. */
  spawn(name: string, cmd: string, args: readonly string[], onLine: (l: string) => void = () => {}, record?: (e: ChildEntry) => void): WatchedProcess {
    const child = this.supervisor.spawn(cmd, args);
    const p = new WatchedProcess(name, child, onLine, this.graceMs);
    this.procs.push(p);
    const entry = this.supervisor.children().find((e) => e.pid === child.pid);
    if (entry !== undefined) record?.({ ...entry, name });
    return p;
  }

  get size(): number {
    return this.procs.length;
  }

  /** Stops every program of the group and waits for them all. */
  async stopAll(): Promise<void> {
    // Listed until they are gone, so an exit handler meanwhile still kills them.
    await Promise.all(this.procs.map((p) => p.stop()));
    this.procs = [];
  }

  /** SIGKILL to every program of the group at once, for an exit handler (nothing can be awaited there). */
  killAllSync(): void {
    for (const p of this.procs) {
      try {
        p.child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}
