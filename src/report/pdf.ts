import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * PDF and PNG through headless Chromium (Debian's /usr/bin/chromium): the same engine people print the
 * HTML with, so the PDF is the HTML report, not a second layout to keep in step. Each run gets a
 * throw-away profile and no network-facing background services, so nothing of the report leaves the
 * machine and no state is shared between reports.
 */

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  constructor(readonly path: string) {
    super(`Chromium not found at ${path}`);
    this.name = 'ChromiumMissingError';
  }
}

export class ChromiumFailedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChromiumFailedError';
  }
}

export interface ChromiumOptions {
  chromium?: string;
  timeoutMs?: number;
}

export function chromiumPath(opts: ChromiumOptions = {}): string {
  return opts.chromium ?? process.env.QUIETCHECK_CHROMIUM ?? DEFAULT_CHROMIUM;
}

export function chromiumAvailable(opts: ChromiumOptions = {}): boolean {
  try {
    accessSync(chromiumPath(opts), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
  // The flags above still let Chromium 156 look up and call Google at start-up (measured by
  // test/server/no-outbound.test.ts: accounts.google.com sign-in account listing, update.googleapis.com,
  // clients2.google.com network time, optimizationguide-pa.googleapis.com). Every such call goes
  // through the proxy, which is a closed port on this machine, so it fails here without a name lookup
  // or a packet leaving. The report is a file:// URL, which never uses a proxy.
  '--proxy-server=127.0.0.1:9',
];

function runChromium(bin: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ChromiumFailedError(`no result after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new ChromiumMissingError(bin) : e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new ChromiumFailedError(`exit code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Writes the HTML to a private temporary folder, runs Chromium on it with `extra` flags, returns the output bytes. */
async function withChromium(html: string, outName: string, extra: (out: string) => string[], opts: ChromiumOptions): Promise<Buffer> {
  const bin = chromiumPath(opts);
  if (!chromiumAvailable(opts)) throw new ChromiumMissingError(bin);
  const dir = mkdtempSync(join(tmpdir(), 'quietcheck-chromium-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, outName);
    writeFileSync(page, html, { mode: 0o600 });
    await runChromium(bin, [...BASE_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, ...extra(out), pathToFileURL(page).href], opts.timeoutMs ?? 60_000);
    let bytes: Buffer;
    try {
      bytes = readFileSync(out);
    } catch {
      throw new ChromiumFailedError('Chromium finished without writing its output');
    }
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function htmlToPdf(html: string, opts: ChromiumOptions = {}): Promise<Buffer> {
  const pdf = await withChromium(html, 'report.pdf', (out) => [`--print-to-pdf=${out}`, '--no-pdf-header-footer'], opts);
  if (pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw new ChromiumFailedError('the output is not a PDF');
  return pdf;
}

/** A screenshot, for looking at the report as a phone (390 px) or a desktop (1280 px) shows it. */
export function htmlToPng(html: string, width: number, height: number, opts: ChromiumOptions = {}): Promise<Buffer> {
  return withChromium(html, 'shot.png', (out) => [`--screenshot=${out}`, `--window-size=${width},${height}`, '--hide-scrollbars'], opts);
}
