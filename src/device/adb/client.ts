import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's `adb` client, run as a child process. Every command quietcheck sends to a phone goes
 * through `exec()` here, and only commands from READ_ONLY_COMMANDS are allowed: a check never changes
 * the phone (no install, push, uninstall, clear, settings put).
 */

export class AdbMissingError extends Error {
  constructor() {
    super('the `adb` program is not installed (Debian package "adb")');
    this.name = 'AdbMissingError';
  }
}

export class AdbError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'AdbError';
  }
}

/** The phone went away (cable pulled, phone locked up, adb server gone) during a command. */
export class DeviceGoneError extends AdbError {
  constructor(stderr: string, code: number | null) {
    super('the phone stopped answering (unplugged or locked?)', stderr, code);
    this.name = 'DeviceGoneError';
  }
}

/** First words of every command a collection may run on the phone: all of them only read. */
export const READ_ONLY_COMMANDS = ['getprop', 'settings list', 'dumpsys', 'pm list packages', 'cmd package query-activities', 'stat -c', 'sha256sum', 'tail -c', 'dd if='];

export function isReadOnly(cmd: string): boolean {
  if (/[;&|`$<>]/.test(cmd.replace(/ 2>\/dev\/null$/, ''))) return false;
  return READ_ONLY_COMMANDS.some((p) => cmd === p || cmd.startsWith(`${p} `) || (p.endsWith('=') && cmd.startsWith(p)));
}

export interface AdbOptions {
  /** The adb program (default `adb` on PATH). */
  adb?: string;
  /** The adb server's port (`-P`); default adb's own (5037, or $ADB_SERVER_SOCKET). */
  serverPort?: number;
  env?: NodeJS.ProcessEnv;
}

const GONE = /device .* not found|device offline|no devices\/emulators found|closed|protocol fault|connection reset|Broken pipe/i;

export class AdbClient {
  constructor(readonly opts: AdbOptions = {}) {}

  private base(): string[] {
    return this.opts.serverPort ? ['-P', String(this.opts.serverPort)] : [];
  }

  /** Runs `adb ARGS…` and returns its standard output as bytes. */
  run(args: readonly string[], timeoutMs = 60_000): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.adb ?? 'adb', [...this.base(), ...args], { env: this.opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(e.code === 'ENOENT' ? new AdbMissingError() : e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ stdout: Buffer.concat(out), stderr: err, code });
      });
    });
  }

  /** A read-only command on the phone, raw bytes out (`adb exec-out`: no terminal, binary-safe). */
  async exec(serial: string, cmd: string, timeoutMs = 120_000): Promise<Buffer> {
    if (!isReadOnly(cmd)) throw new Error(`refused to run a command that is not read-only: ${cmd}`);
    const r = await this.run(['-s', serial, 'exec-out', cmd], timeoutMs);
    if (r.code !== 0) {
      if (GONE.test(r.stderr) || r.code === null) throw new DeviceGoneError(r.stderr.trim(), r.code);
      throw new AdbError(`adb failed: ${r.stderr.trim() || `exit code ${r.code}`}`, r.stderr, r.code);
    }
    return r.stdout;
  }

  /** `adb connect HOST:PORT` (a phone with wireless debugging, or the emulated phone of the tests). */
  async connect(target: string): Promise<string> {
    const r = await this.run(['connect', target], 20_000);
    return (r.stdout.toString('utf8') + r.stderr).trim();
  }

  async killServer(): Promise<void> {
    await this.run(['kill-server'], 10_000).catch(() => undefined);
  }
}

/** This computer's own USB debugging key (as adb keeps it), so a report does not list it among "other computers". */
export function ownAdbKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  const base = env.ANDROID_SDK_HOME ?? env.HOME ?? homedir();
  const file = join(base, '.android', 'adbkey.pub');
  return existsSync(file) ? [readFileSync(file, 'utf8').trim()] : [];
}
