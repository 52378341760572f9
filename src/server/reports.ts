/**
 * Reports rendered from a finished check's stored analysis, in any language asked for. Rendered
 * reports are kept for a while: the kiosk screen and the worker's print both ask for the same one, and
 * a busy status page must not re-render HTML for every poll.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { renderHtml } from '../report/html.js';
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

/** A rendered report, encoded once: readers polling it get the same bytes, compressed or not. */
export interface Rendered {
  body: Buffer;
  etag: string;
  gzipped(): Buffer;
}

function rendered(out: string | Buffer): Rendered {
  const body = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
  let gz: Buffer | null = null;
  return {
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    gzipped: () => (gz ??= gzipSync(body, { level: 6 })),
  };
}

export class ReportCache {
  private readonly cache = new Map<string, Promise<Rendered>>();

  render(id: string, analysis: Analysis, format: ReportFormat, lang: Lang): Promise<Rendered> {
    const key = `${id}\u0000${format}\u0000${lang}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const a: Analysis = analysis.lang === lang ? analysis : { ...analysis, lang };
    const p = (async (): Promise<Rendered> => {
      switch (format) {
        case 'json':
          return rendered(renderJson(a));
        case 'html':
          return rendered(renderHtml(a));
        case 'pdf':
          return rendered(await htmlToPdf(renderHtml(a, { openAppendix: true })));
      }
    })();
    // A failed render (Chromium missing) must be retried next time, not served from the cache.
    p.catch(() => this.cache.delete(key));
    this.cache.set(key, p);
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
