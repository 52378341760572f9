/**
 * Reports rendered from a finished check's stored analysis, in any language asked for. Rendered
 * reports are kept for a while: the kiosk screen and the worker's print both ask for the same one, and
 * a busy status page must not re-render HTML for every poll. Each is encoded once: its bytes, its
 * ETag and its gzip form (compressed in libuv's thread pool, not on the event loop) are ready before the
 * first reader gets it, so a read is a lookup. The JSON report of a very large check is the exception: it
 * is sent from the files its analysis was stored in (./report-stream.ts), and only its ETag and frame
 * are kept.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb, gzipSync } from 'node:zlib';
import { collectGarbage } from '../analysis/collect-garbage.js';
import { renderHtml } from '../report/html.js';
import { paperFromEnv } from '../report/paper.js';
import type { Lang } from '../i18n/index.js';
import { renderJson } from '../report/json.js';
import { htmlToPdf } from '../report/pdf.js';
import type { Analysis } from '../analysis/types.js';
import { streamedJsonReport, type StreamedReport } from './report-stream.js';

export const REPORT_FORMATS = ['html', 'json', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * What the rendered reports kept may weigh together (bodies and their gzip forms). A count would not do:
 * one report of a phone that looked up millions of names is larger than a hundred ordinary ones. The
 * least recently read go first; a report larger than a quarter of this is sent but not kept.
 */
export const REPORT_CACHE_BYTES = 64 * 1024 * 1024;

const gzipAsync = promisify(gzipCb);

/** Past this, a render is followed by a full garbage collection (see collectAfterLargeRender). */
const LARGE_RENDER_BYTES = 2 * 1024 * 1024;

/**
 * Rendering a large report parses its analysis and builds its text: a few hundred MB of short-lived
 * objects for a report of tens of MB. V8 lets the heap grow to several times the live data before it
 * collects in full, so a run of such renders took the serve process past 500 MB while what it kept was
 * under 100. A full collection right after each large render keeps the process near what it keeps
 * (tens of milliseconds, next to the seconds the render took).
 */
function collectAfterLargeRender(): void {
  collectGarbage();
}

/** A rendered report, encoded once: readers polling it get the same bytes, compressed or not. */
export interface Rendered {
  body: Buffer;
  etag: string;
  gzipped(): Buffer;
  /** Bytes held: the body and the gzip form once made. */
  bytes(): number;
}

/** A report as kept: rendered in memory, or sent from disk (see Rendered, StreamedReport). */
export type Report = Rendered | StreamedReport;

/** Whether the report is sent from disk rather than held. */
export function isStreamed(r: Report): r is StreamedReport {
  return 'open' in r;
}

/**
 * Compressed once and sent many times: the best gzip level costs a few milliseconds more, once, in the
 * thread pool, and every read after sends fewer bytes (the kernel's copy of them is much of what a read
 * costs on loopback).
 */
const GZIP = { level: 9 } as const;

async function rendered(out: string | Buffer, compress: boolean): Promise<Rendered> {
  const body = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
  let gz: Buffer | null = compress ? await gzipAsync(body, GZIP) : null;
  return {
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    gzipped: () => (gz ??= gzipSync(body, GZIP)),
    bytes: () => body.length + (gz?.length ?? 0),
  };
}

/**
 * Whether an If-None-Match header names this ETag: a list of tags, weak ones (W/) included, since
 * the comparison for GET is the weak one (RFC 9110 13.1.2), or "*".
 */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  for (const raw of header.split(',')) {
    const t = raw.trim();
    if (t === '*' || t === etag || (t.startsWith('W/') && t.slice(2) === etag)) return true;
  }
  return false;
}

interface Entry {
  promise: Promise<Report>;
  /** Set once the render finished: what `peek` answers with, with no promise to wait on. */
  done: Report | null;
  /** Counted in the cache's total (bodies, and gzip forms made since). */
  bytes: number;
}

export class ReportCache {
  private readonly cache = new Map<string, Entry>();
  private total = 0;

  /**
   * `helpFor`: the service's contact and helplines in a language, printed in every report (clear() when
   * they change).
   */
  constructor(
    private readonly helpFor: ((lang: Lang) => { contact: string; helplines: string[] }) | null = null,
    readonly maxBytes = REPORT_CACHE_BYTES,
  ) {}

  /** Bytes held by the reports kept. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.cache.size;
  }

  private drop(key: string): void {
    const e = this.cache.get(key);
    if (e === undefined) return;
    this.total -= e.bytes;
    this.cache.delete(key);
  }

  /** Re-counts an entry (its gzip form may have been made since) and evicts the least recently read past the budget. */
  private account(key: string, e: Entry): void {
    if (e.done === null || this.cache.get(key) !== e) return;
    const now = e.done.bytes();
    this.total += now - e.bytes;
    e.bytes = now;
    if (now > this.maxBytes / 4) {
      this.drop(key);
      return;
    }
    for (const k of this.cache.keys()) {
      if (this.total <= this.maxBytes) break;
      if (k !== key) this.drop(k);
    }
  }

  private static key(id: string, format: ReportFormat, lang: Lang): string {
    return `${id}\u0000${format}\u0000${lang}`;
  }

  /** A report already rendered (now the most recently used), or undefined: then call `render`. */
  peek(id: string, format: ReportFormat, lang: Lang): Report | undefined {
    const key = ReportCache.key(id, format, lang);
    const hit = this.cache.get(key);
    if (hit?.done == null) return undefined;
    this.cache.delete(key);
    this.cache.set(key, hit);
    this.account(key, hit);
    return hit.done;
  }

  /** HTML and PDF are always rendered in memory; JSON is sent from disk for an analysis stored in parts. */
  render(id: string, analysis: Analysis, format: 'html' | 'pdf', lang: Lang): Promise<Rendered>;
  render(id: string, analysis: Analysis, format: ReportFormat, lang: Lang): Promise<Report>;
  render(id: string, analysis: Analysis, format: ReportFormat, lang: Lang): Promise<Report> {
    const key = ReportCache.key(id, format, lang);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.promise;
    }
    const help = this.helpFor?.(lang);
    const p = (async (): Promise<Report> => {
      switch (format) {
        case 'json':
          if (analysis.digest !== undefined) return streamedJsonReport(analysis, lang, help);
          return rendered(renderJson(analysis, lang, help), true);
        case 'html':
          return rendered(renderHtml(analysis, lang, { help }), true);
        case 'pdf':
          // PDF is compressed already.
          return rendered(await htmlToPdf(renderHtml(analysis, lang, { openAppendix: true, help, print: { paper: paperFromEnv(), checkId: id } })), false);
      }
    })();
    const entry: Entry = { promise: p, done: null, bytes: 0 };
    p.then(
      (r) => {
        entry.done = r;
        this.account(key, entry);
        if (!isStreamed(r) && r.body.length > LARGE_RENDER_BYTES) setImmediate(collectAfterLargeRender);
      },
      // A failed render (Chromium missing) must be retried next time, not served from the cache.
      () => {
        if (this.cache.get(key) === entry) this.drop(key);
      },
    );
    this.cache.set(key, entry);
    return p;
  }

  forget(id: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${id}\u0000`)) this.drop(key);
  }

  clear(): void {
    this.cache.clear();
    this.total = 0;
  }
}
