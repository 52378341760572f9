/** Running the system tools the hotspot needs (ip, nft, nmcli, iw), with their output and exit status. */
import { execFile, spawnSync } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (ENOENT: not installed). */
  missing?: boolean;
}

export type Runner = (cmd: string, args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<RunResult>;

export const run: Runner = (cmd, args, opts = {}) =>
  new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err === null) return resolve({ code: 0, stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: string | number };
      if (e.code === 'ENOENT') return resolve({ code: null, stdout: '', stderr: `${cmd} is not installed`, missing: true });
      resolve({ code: typeof e.code === 'number' ? e.code : (child.exitCode ?? 1), stdout: stdout ?? '', stderr: stderr || e.message });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });

/** The synchronous form, for the process's exit handler (nothing asynchronous runs there). */
export function runSync(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 10_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return { code: null, stdout: '', stderr: `${cmd} is not installed`, missing: true };
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export class HotspotSystemError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HotspotSystemError';
  }
}

/** Runs and throws HotspotSystemError with the tool's own words when it fails. */
export async function must(runner: Runner, cmd: string, args: string[], what: string, input?: string): Promise<RunResult> {
  const r = await runner(cmd, args, { input });
  if (r.missing) throw new HotspotSystemError(`${what}: ${cmd} is not installed`, 'tool-missing');
  if (r.code !== 0) throw new HotspotSystemError(`${what}: ${cmd} ${args.join(' ')} failed: ${r.stderr.trim() || `exit ${r.code}`}`, 'system');
  return r;
}
