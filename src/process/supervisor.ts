/**
 * The programs quietcheck runs for a check (tcpdump, dnsmasq, hostapd) must not outlive it. Two
 * guards, because each alone has a gap:
 *
 * - the kernel's parent-death signal (`setpriv --pdeathsig KILL`, util-linux): when the server dies,
 *   even by SIGKILL, each child gets SIGKILL at once. Linux clears it when the child execs a program
 *   with file capabilities (a tcpdump given CAP_NET_RAW with setcap), so it is not enough alone;
 * - a pid file in the data directory, read at the next start: whatever it lists that still runs (same
 *   program, same start time, so a reused pid is never hit) is killed before anything starts.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';

export const CHILDREN_FILE = 'children.json';
/** Only these are ever killed from the pid file: a damaged or planted file cannot make serve kill anything else. */
export const REAPABLE: ReadonlySet<string> = new Set(['tcpdump', 'dnsmasq', 'hostapd']);

/** A child as the pid file and the hotspot's state file record it. */
export interface ChildEntry {
  pid: number;
  name: string;
  start: string | null;
}

/** The start time of a process (field 22 of /proc/PID/stat, in clock ticks since boot): with the pid, who it is. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The process still runs and is the one recorded (same name and, when recorded, same start time: pids get reused). */
export function alive(pid: number, name: string, start?: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(name)) return false;
  } catch {
    return false;
  }
  return start == null || startTimeOf(pid) === start;
}

/** SIGKILLs each recorded child that still runs as recorded; says what it stopped, for the log. */
export function killRecorded(entries: readonly ChildEntry[], why = ''): string[] {
  const done: string[] = [];
  for (const e of entries) {
    if (!alive(e.pid, e.name, e.start)) continue;
    try {
      process.kill(e.pid, 'SIGKILL');
      done.push(`stopped ${e.name} (${e.pid})${why}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return done;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where a command is, as spawn would find it; null when it is not there. */
function resolveCommand(cmd: string): string | null {
  if (cmd.includes('/')) return executable(cmd) ? cmd : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

let setpriv: string | null | undefined;
function setprivPath(): string | null {
  if (setpriv === undefined) setpriv = resolveCommand('setpriv');
  return setpriv;
}

/** The children of this process that must die with it, and the pid file that lists them. */
export class Supervisor {
  private pidFile: string | null = null;
  private readonly running = new Map<number, ChildEntry>();

  /** `reapable`: the program names a pid file may make this supervisor kill. */
  constructor(private readonly reapable: ReadonlySet<string> = REAPABLE) {}

  /** The children spawned and still running, as the pid file lists them. */
  children(): ChildEntry[] {
    return [...this.running.values()];
  }

  private save(): void {
    if (this.pidFile === null) return;
    try {
      const tmp = `${this.pidFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.children()), { mode: 0o600 });
      renameSync(tmp, this.pidFile);
    } catch {
      // A full disk: the parent-death signal still guards these children.
    }
  }

  /**
   * Records children in `<dataDir>/children.json` from now on, after killing what a previous process
   * left there. Returns what was done, for the log.
   */
  trackIn(dataDir: string): string[] {
    this.pidFile = join(dataDir, CHILDREN_FILE);
    let left: unknown = [];
    try {
      left = JSON.parse(readFileSync(this.pidFile, 'utf8'));
    } catch {
      /* none, or unreadable: nothing to reap */
    }
    const stale = (Array.isArray(left) ? (left as Partial<ChildEntry>[]) : []).filter(
      (e): e is ChildEntry =>
        typeof e?.pid === 'number' && typeof e.name === 'string' && (e.start === null || e.start === undefined || typeof e.start === 'string') &&
        this.reapable.has(e.name) && e.pid !== process.pid && !this.running.has(e.pid),
    );
    const done = killRecorded(stale, ' left running by a previous run');
    this.save();
    return done;
  }

  /**
   * spawn (output piped, no input), with the child killed by the kernel if this process dies, and listed
   * in the pid file while it runs. A command that does not exist is spawned as given, so the caller sees
   * spawn's own ENOENT.
   */
  spawn(cmd: string, args: readonly string[]): ChildProcessByStdio<null, Readable, Readable> {
    const resolved = resolveCommand(cmd);
    const guard = setprivPath();
    const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
    const child =
      resolved !== null && guard !== null
        ? spawn(guard, ['--pdeathsig', 'KILL', '--', resolved, ...args], { stdio })
        : spawn(cmd, [...args], { stdio });
    const pid = child.pid;
    if (pid !== undefined) {
      this.running.set(pid, { pid, name: basename(cmd), start: startTimeOf(pid) });
      this.save();
      child.once('exit', () => {
        this.running.delete(pid);
        this.save();
      });
    }
    return child;
  }
}

/** The server's one supervisor: live captures and the hotspot spawn through it. */
export const supervisor = new Supervisor();

export function trackChildrenIn(dataDir: string): string[] {
  return supervisor.trackIn(dataDir);
}

export function spawnChild(cmd: string, args: readonly string[]): ChildProcessByStdio<null, Readable, Readable> {
  return supervisor.spawn(cmd, args);
}
