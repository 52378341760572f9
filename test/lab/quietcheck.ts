/**
 * Runs the built quietcheck CLI (dist/src/cli/main.js) on lab recordings: `inspect --json` for the facts and
 * `analyze --format json` for findings and the verdict (the report's published shape).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facts } from '../../src/engine/facts.js';
import { ROOT } from '../helpers/paths.js';

export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export type Level = 'high' | 'moderate' | 'low' | 'none';

export interface ReportIndicator {
  value: string;
  kind: string;
  feed: string;
  feedVersion: string | null;
  family?: string | null;
}

export interface ReportFinding {
  id: string;
  level: Exclude<Level, 'none'>;
  title: string;
  explanation: string;
  host: string;
  family: string | null;
  indicator: ReportIndicator | null;
  evidence: unknown[];
  /** Issue 8: an allow-list entry that matched the host too, but was less specific than the indicator. */
  alsoAllowedBy?: { value: string; feed: string } | null;
}

export interface Report {
  verdict: { level: Level; families: string[]; summary: string; limits: string[] };
  findings: ReportFinding[];
  allowed: unknown[];
  facts: Facts;
}

function cli(args: string[], dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, QUIETCHECK_DATA_DIR: dataDir, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * The same, without blocking the event loop: a lab recording in the background (the beacon) keeps its
 * schedule while a scenario is being analysed.
 */
function cliAsync(args: string[], dataDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, QUIETCHECK_DATA_DIR: dataDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function withDataDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'qc-data-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withDataDirAsync<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'qc-data-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function inspect(pcapFile: string): Promise<Facts> {
  return withDataDirAsync(async (dir) => {
    const r = await cliAsync(['inspect', pcapFile, '--json', '--no-progress'], dir);
    if (r.status !== 0) throw new Error(`quietcheck inspect exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Facts;
  });
}

let analyzeState: string | false | undefined;

/** False when `quietcheck analyze` exists in the build, else why the verdict tests cannot run yet. */
export function analyzeMissing(): string | false {
  if (analyzeState !== undefined) return analyzeState;
  if (!existsSync(CLI)) return (analyzeState = `${CLI} is not built`);
  const r = withDataDir((dir) => cli(['analyze', '--help'], dir));
  analyzeState = r.status === 0 && /analy[sz]e/i.test(r.stdout)
    ? false
    : `quietcheck analyze does not exist in this build yet (analyze --help exited ${r.status}: ${r.stderr.trim().split('\n')[0] ?? ''})`;
  return analyzeState;
}

export function analyze(pcapFile: string, indicatorFiles: string[]): Promise<Report> {
  return withDataDirAsync(async (dir) => {
    const r = await cliAsync(['analyze', pcapFile, '--format', 'json', '--no-progress', '--indicators', ...indicatorFiles], dir);
    if (r.status !== 0) throw new Error(`quietcheck analyze exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Report;
  });
}

/** The self-contained HTML report (`analyze --format html`) of a capture, in English. */
export function analyzeHtml(pcapFile: string, indicatorFiles: string[]): Promise<string> {
  return withDataDirAsync(async (dir) => {
    const out = join(dir, 'report.html');
    const r = await cliAsync(['analyze', pcapFile, '--format', 'html', '--lang', 'en', '--no-progress', '-o', out, '--indicators', ...indicatorFiles], dir);
    if (r.status !== 0) throw new Error(`quietcheck analyze --format html exited ${r.status}: ${r.stderr}`);
    return readFileSync(out, 'utf8');
  });
}
