/**
 * Reports rendered from a finished check's stored analysis, in any language asked for. Rendered
 * reports are kept for a while: the kiosk screen and the worker's print both ask for the same one, and
 * a busy status page must not re-render HTML for every poll. Each is encoded once: its bytes, its
 * ETag and its gzip form (compressed in libuv's thread pool, not on the event loop) are ready before the
 * first reader gets it, so a read is a lookup.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb, gzipSync } from 'node:zlib';
import { renderHtml } from '../report/html.js';
import { paperFromEnv } from '../report/paper.js';
import type { Lang } from '../report/i18n/index.js';
import { renderJson } from '../report/json.js';
import { htmlToPdf } from '../report/pdf.js';
import type { Analysis } from '../report/types.js';

export const REPORT_FORMATS = ['html', 'json', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

const KEEP = 64;

const gzipAsync = promisify(gzipCb);

/** A rendered report, encoded once: readers polling it get the same bytes, compressed or not. */
export interface Rendered {
  body: Buffer;
  etag: string;
  gzipped(): Buffer;
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
  promise: Promise<Rendered>;
  /** Set once the render finished: what `peek` answers with, with no promise to wait on. */
  done: Rendered | null;
}

export class ReportCache {
  private readonly cache = new Map<string, Entry>();

  /** `helpFor`: the service's contact and helplines in a language, printed in every report (clear() when they change). */
  constructor(private readonly helpFor: ((lang: Lang) => { contact: string; helplines: string[] }) | null = null) {}

  private static key(id: string, format: ReportFormat, lang: Lang): string {
    return `${id}\u0000${format}\u0000${lang}`;
  }

  /** A report already rendered (now the most recently used), or undefined: then call `render`. */
  peek(id: string, format: ReportFormat, lang: Lang): Rendered | undefined {
    const key = ReportCache.key(id, format, lang);
    const hit = this.cache.get(key);
    if (hit?.done == null) return undefined;
    this.cache.delete(key);
    this.cache.set(key, hit);
    return hit.done;
  }

  render(id: string, analysis: Analysis, format: ReportFormat, lang: Lang): Promise<Rendered> {
    const key = ReportCache.key(id, format, lang);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.promise;
    }
    const a: Analysis = analysis.lang === lang ? analysis : { ...analysis, lang };
    const help = this.helpFor?.(lang);
    const p = (async (): Promise<Rendered> => {
      switch (format) {
        case 'json':
          return rendered(renderJson(a, help), true);
        case 'html':
          return rendered(renderHtml(a, { help }), true);
        case 'pdf':
          // PDF is compressed already.
          return rendered(await htmlToPdf(renderHtml(a, { openAppendix: true, help, print: { paper: paperFromEnv(), checkId: id } })), false);
      }
    })();
    const entry: Entry = { promise: p, done: null };
    p.then(
      (r) => {
        entry.done = r;
      },
      // A failed render (Chromium missing) must be retried next time, not served from the cache.
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    this.cache.set(key, entry);
    if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }

  forget(id: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${id}\u0000`)) this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }
}
