/**
 * One check as a ZIP: its capture, its report as HTML, JSON and (when Chromium is installed) PDF, and
 * a README saying what each file is. The archive is built in the data directory first (owner-only,
 * like everything there), so its exact size and checksum are known before it is sent or copied to a
 * drive, and a failure never leaves half an archive anywhere else.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type { CheckManager } from '../checks/manager.js';
import { quietcheckVersion } from '../analysis/provenance.js';
import type { Lang } from '../i18n/index.js';
import { ChromiumFailedError, ChromiumMissingError, chromiumAvailable } from '../report/pdf.js';
import type { CheckRecord } from '../store/store.js';
import type { Analysis } from '../analysis/types.js';
import { PassphraseError, writeZip, type ZipItem } from './zip.js';

export const EXPORTS_DIR = 'exports';

/** What went wrong, for the caller to act on (the server turns each into its HTTP status). */
export type ExportFailure = 'not-found' | 'not-ready' | 'bad-passphrase' | 'data-dir-full';

export class ExportError extends Error {
  constructor(
    message: string,
    readonly code: ExportFailure,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface ExportEntry {
  name: string;
  bytes: number;
}

export interface SkippedEntry {
  name: string;
  reason: string;
}

export interface PreparedExport {
  /** The finished archive, in the data directory's exports folder. */
  path: string;
  /** quietcheck-<date>-<id>.zip */
  fileName: string;
  bytes: number;
  sha256: string;
  encrypted: boolean;
  entries: ExportEntry[];
  skipped: SkippedEntry[];
  /** Removes the archive (idempotent). */
  dispose(): void;
}

/** The rendered reports of a check, as the server caches them; declared here so exports need nothing from the server. */
export interface ReportSource {
  /** In memory, or (a very large check's JSON report) read from disk when opened. */
  render(id: string, analysis: Analysis, format: 'html' | 'json' | 'pdf', lang: Lang): Promise<{ body: Buffer } | { open(gzip: boolean): Readable }>;
}

/** HTML and PDF are always rendered in memory; only a JSON report is ever sent from disk. */
function inMemory(r: { body: Buffer } | { open(gzip: boolean): Readable }): Buffer {
  if (!('body' in r)) throw new Error('an HTML or PDF report was not rendered in memory');
  return r.body;
}

export interface ExportSources {
  manager: CheckManager;
  reports: ReportSource;
  dataDir: string;
  /** Whether to try a PDF; default: when Chromium is installed. */
  pdf?: boolean;
}

export interface ExportRequest {
  lang: Lang;
  passphrase?: string;
}

/** `quietcheck-2025-03-14-<32 hex>.zip`, dated by when the check was made (UTC). */
export function exportFileName(c: Pick<CheckRecord, 'id' | 'createdAt'>): string {
  const d = new Date(c.createdAt);
  const date = Number.isNaN(d.getTime()) ? 'undated' : d.toISOString().slice(0, 10);
  return `quietcheck-${date}-${c.id}.zip`;
}

/** pcapng starts with a Section Header Block (0x0A0D0D0A); anything else we accepted is pcap. */
function captureName(path: string): string {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.readUInt32BE(0) === 0x0a0d0d0a ? 'capture.pcapng' : 'capture.pcap';
}

export function exportsDir(dataDir: string): string {
  return join(dataDir, EXPORTS_DIR);
}

/** Archives left by a process that died while building one: nothing else uses the folder. */
export function removeStaleExports(dataDir: string): void {
  const dir = exportsDir(dataDir);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) rmSync(join(dir, n), { force: true, recursive: true });
}

function readme(c: CheckRecord, entries: readonly { name: string; what: string }[], skipped: readonly SkippedEntry[], encrypted: boolean, captureMissing: boolean): string {
  const lines = [
    'quietcheck export',
    '=================',
    '',
    `Check:     ${c.id}`,
    `Made:      ${c.createdAt}${c.source === 'upload' ? ' (an uploaded capture)' : c.iface ? ` (captured on ${c.iface}${c.device ? `, device ${c.device}` : ''})` : ''}`,
    `Result:    ${c.level ?? 'unknown'}${c.families.length > 0 ? ` (${c.families.join(', ')})` : ''}`,
    `Exported:  ${new Date().toISOString()} by quietcheck ${quietcheckVersion()}`,
    `Protected: ${encrypted ? 'yes, every file is AES-256 encrypted with the passphrase chosen at export (7-Zip opens it)' : 'no'}`,
    '',
    'This archive shows which servers a phone talked to. Keep it as private as the phone itself.',
    '',
    'Files:',
    ...entries.map((e) => `  ${e.name.padEnd(16)} ${e.what}`),
    ...skipped.map((s) => `  ${s.name.padEnd(16)} NOT INCLUDED: ${s.reason}`),
  ];
  if (captureMissing) lines.push('', 'The capture file of this check is missing from the data directory; the reports are complete.');
  return lines.join('\r\n') + '\r\n';
}

/** Builds the archive of a finished check. Throws ExportError for anything the caller can act on. */
export async function prepareExport(src: ExportSources, id: string, req: ExportRequest): Promise<PreparedExport> {
  const c = src.manager.get(id);
  if (c === null) throw new ExportError('no such check', 'not-found');
  if (c.state !== 'done') {
    throw new ExportError(c.state === 'failed' ? `the check failed, there is no report to export: ${c.error ?? ''}` : `the check is ${c.state}: export it once it is done`, 'not-ready');
  }
  const analysis = src.manager.analysis(c.id);
  if (analysis === null) throw new ExportError('the report of this check is missing', 'not-found');

  const modified = new Date(c.finishedAt ?? c.createdAt);
  const items: ZipItem[] = [];
  const described: { name: string; what: string }[] = [];
  const skipped: SkippedEntry[] = [];

  const capturePath = src.manager.captureFileOf(c);
  let captureMissing = false;
  try {
    if (!statSync(capturePath).isFile()) throw new Error('not a file');
    const name = captureName(capturePath);
    items.push({ name, source: { kind: 'file', path: capturePath }, modified });
    described.push({ name, what: 'the traffic itself; opens in Wireshark' });
  } catch {
    captureMissing = true;
    skipped.push({ name: 'capture.pcap', reason: 'the capture file is missing from the data directory' });
  }

  const html = await src.reports.render(c.id, analysis, 'html', req.lang);
  items.push({ name: 'report.html', source: { kind: 'bytes', data: inMemory(html) }, modified });
  described.push({ name: 'report.html', what: 'the report; opens in any web browser, also offline' });
  const json = await src.reports.render(c.id, analysis, 'json', req.lang);
  // A very large check's JSON report is copied from disk into the archive as it is read, counted on the way.
  let jsonBytes = 0;
  const counted = (r: Readable): Readable =>
    r.pipe(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          jsonBytes += chunk.length;
          done(null, chunk);
        },
      }),
    );
  items.push({ name: 'report.json', source: 'open' in json ? { kind: 'stream', open: () => counted(json.open(false)) } : { kind: 'bytes', data: json.body }, modified });
  described.push({ name: 'report.json', what: 'the report for other tools' });

  if (src.pdf ?? chromiumAvailable()) {
    try {
      const pdf = await src.reports.render(c.id, analysis, 'pdf', req.lang);
      items.push({ name: 'report.pdf', source: { kind: 'bytes', data: inMemory(pdf) }, store: true, modified });
      described.push({ name: 'report.pdf', what: 'the report, ready to print' });
    } catch (err) {
      if (err instanceof ChromiumMissingError) skipped.push({ name: 'report.pdf', reason: 'Chromium, which prints it, is not installed' });
      else if (err instanceof ChromiumFailedError) skipped.push({ name: 'report.pdf', reason: `Chromium failed to print it (${err.message})` });
      else throw err;
    }
  } else {
    skipped.push({ name: 'report.pdf', reason: 'Chromium, which prints it, is not installed' });
  }

  const encrypted = req.passphrase !== undefined;
  items.unshift({ name: 'README.txt', source: { kind: 'bytes', data: Buffer.from(readme(c, described, skipped, encrypted, captureMissing), 'utf8') }, modified });

  const dir = exportsDir(src.dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomBytes(8).toString('hex')}.zip`);
  const dispose = (): void => rmSync(path, { force: true });
  const fh = await open(path, 'wx', 0o600);
  let written;
  try {
    written = await writeZip(fh, items, { passphrase: req.passphrase });
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    dispose();
    if (err instanceof PassphraseError) throw new ExportError(err.message, 'bad-passphrase');
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new ExportError(`the data directory ${src.dataDir} is full: the archive could not be built`, 'data-dir-full');
    throw err;
  }
  await fh.close();

  const entries: ExportEntry[] = items.map((i) => ({
    name: i.name,
    bytes: i.source.kind === 'bytes' ? i.source.data.length : i.source.kind === 'stream' ? jsonBytes : statSync(i.source.path).size,
  }));
  return { path, fileName: exportFileName(c), bytes: written.bytes, sha256: written.sha256, encrypted, entries, skipped, dispose };
}
