/**
 * Browser tests of the web UI: a real `quietcheck serve` (the built CLI, as a child process) with a
 * temporary data directory, driven by Debian's Chromium through playwright-core. Screenshots go to
 * artifacts/ (git-ignored) for a person to look at.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../helpers/paths.js';

export const CHROMIUM = '/usr/bin/chromium';
export const NO_CHROMIUM: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (install Debian's chromium package) — browser tests skipped`;
export const NO_WEB_BUILD: string | false = existsSync(join(ROOT, 'dist', 'web', 'index.html')) ? false : 'dist/web is not built (npm run build builds it)';
export const SKIP_BROWSER: string | false = NO_CHROMIUM || NO_WEB_BUILD;
export const PASSWORD = 'a long web test password';
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const ARTIFACTS = join(ROOT, 'artifacts');

export const SIZES = { kiosk: { width: 800, height: 480 }, laptop: { width: 1280, height: 800 } } as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Served {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  log: () => string;
  /** Rows of a query against the data directory's SQLite database (read-only). */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

export async function serve(opts: { dataDir?: string; args?: string[]; env?: Record<string, string> } = {}): Promise<Served> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'qc-web-'));
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', String(port), ...(opts.args ?? [])], {
    env: { ...process.env, QUIETCHECK_ADMIN_PASSWORD: PASSWORD, QUIETCHECK_INTERFACE: '', QUIETCHECK_LANG: '', ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`quietcheck serve did not start:\n${out}`)), 30_000);
    const check = (): void => {
      if (/listening on/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stderr!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quietcheck serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    proc,
    log: () => out,
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(join(dataDir, 'quietcheck.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async close() {
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export async function context(browser: Browser, size: { width: number; height: number }, locale = 'en-GB'): Promise<BrowserContext> {
  return browser.newContext({ viewport: size, locale, acceptDownloads: true, hasTouch: size.width <= 800 });
}

/** A screenshot of what the screen shows (not the whole scrolled page) into artifacts/. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage });
}

/** Browser console errors and failed requests, so a broken page fails the test that caused it. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[14]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/**
 * Chromium started inside a network namespace (`ip netns exec NS chromium …` through a small executable
 * wrapper written into `dir`; Playwright's pipe passes through the exec), for a page that must reach a
 * server listening on that namespace's own 127.0.0.1, as the kiosk's screen does on the device.
 */
export async function launchInNamespace(ns: string, dir: string): Promise<Browser> {
  if (!/^[A-Za-z0-9_.-]+$/.test(ns)) throw new Error(`not a namespace name: ${ns}`);
  const wrapper = join(dir, 'chromium-in-netns');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: wrapper,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/**
 * A finished check first shows only "The check is finished": the result appears once the worker taps
 * "Show the result". Taps it and waits for the verdict.
 */
export async function showResult(page: Page): Promise<void> {
  await page.locator('[data-testid=reveal]').click();
  await page.locator('[data-testid=verdict]').waitFor();
}
