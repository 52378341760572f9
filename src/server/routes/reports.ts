/**
 * The report of a finished traffic check: in HTML, JSON or PDF (cached, with an ETag, gzipped when
 * asked), and the HTML in the kiosk's own window with a bar leading back to the result (a full-screen
 * kiosk has no tabs to close).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isLang, LANGS, t, type Lang } from '../../i18n/index.js';
import { ChromiumFailedError, ChromiumMissingError } from '../../report/pdf.js';
import type { Analysis } from '../../analysis/types.js';
import type { CheckRecord } from '../../store/store.js';
import type { RouteContext } from '../context.js';
import { ERROR_SCHEMA, ERRORS, ID_PARAMS, sendError } from '../errors.js';
import { CONTENT_TYPES, etagMatches, isStreamed, REPORT_FORMATS, type ReportFormat } from '../reports.js';

/** The errors of the kiosk's report routes (no 401: they need no session). */
export const KIOSK_REPORT_ERRORS = { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 503: ERROR_SCHEMA } as const;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The report's HTML with a bar at the top leading back to the kiosk's result. Its styles are inline:
 * the report is one self-contained file, and the bar must not depend on the report's own classes.
 */
export function withBackBar(html: string, id: string, lang: Lang): string {
  const bar =
    `<nav data-testid="report-back-bar" style="position:sticky;top:0;z-index:10;display:flex;align-items:center;gap:12px;padding:8px 16px;background:#1e4b8f;color:#fff;font:600 1rem/1.3 system-ui,sans-serif">` +
    `<a href="/result/${id}?shown=1" data-testid="report-back" style="display:inline-block;min-height:44px;line-height:44px;padding:0 18px;border-radius:10px;background:#fff;color:#1e4b8f;text-decoration:none">&larr; ${escapeHtml(t(lang, 'ui.kiosk2.report.back'))}</a>` +
    `</nav>`;
  const m = /<body[^>]*>/i.exec(html);
  return m ? html.slice(0, m.index + m[0].length) + bar + html.slice(m.index + m[0].length) : bar + html;
}

/** The language asked for, else the check's, else the service's. */
export function reportLang(ctx: RouteContext, asked: string | undefined, checkLang: string): Lang {
  return asked !== undefined && isLang(asked) ? asked : isLang(checkLang) ? checkLang : ctx.cfg.lang;
}

/** The finished check and its analysis, or null with the error sent. */
export function finishedCheck(ctx: RouteContext, reply: FastifyReply, id: string): { c: CheckRecord; analysis: Analysis } | null {
  const c = ctx.found(reply, id);
  if (c === null) return null;
  if (c.state !== 'done') {
    sendError(reply, 409, 'not-ready', `the check is ${c.state}`);
    return null;
  }
  const analysis = ctx.manager.analysis(id);
  if (analysis === null) {
    sendError(reply, 404, 'not-found', 'the report of this check is missing');
    return null;
  }
  return { c, analysis };
}

export function registerReportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { manager, reports, timings } = ctx;

  app.get<{ Params: { id: string }; Querystring: { format?: ReportFormat; lang?: string } }>(
    '/api/checks/:id/report',
    {
      preHandler: ctx.result,
      ...(timings !== null ? { onResponse: timings.hook('report') } : {}),
      schema: {
        tags: ['checks'],
        summary: 'the report of a finished check',
        params: ID_PARAMS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: [...REPORT_FORMATS], default: 'html' }, lang: { type: 'string', enum: [...LANGS] } },
        },
        response: { ...ERRORS, 503: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const c = ctx.found(reply, req.params.id);
      if (c === null) return reply;
      // A check a full disk cut short failed but keeps a report of what it recorded.
      const reportable = c.state === 'done' || (c.state === 'failed' && manager.analysis(c.id) !== null);
      if (!reportable) return sendError(reply, 409, 'not-ready', c.state === 'failed' ? `the check failed: ${c.error ?? ''}` : `the check is ${c.state}`);
      const format = req.query.format ?? 'html';
      const lang = req.query.lang && isLang(req.query.lang) ? req.query.lang : isLang(c.lang) ? c.lang : ctx.cfg.lang;
      // A report already rendered is a lookup: no analysis to find, no promise to wait for.
      let r = reports.peek(c.id, format, lang);
      try {
        if (r === undefined) {
          const analysis = manager.analysis(c.id);
          if (analysis === null) return sendError(reply, 404, 'not-found', 'the report of this check is missing');
          r = await reports.render(c.id, analysis, format, lang);
        }
        reply.type(CONTENT_TYPES[format]);
        reply.header('etag', r.etag);
        reply.header('vary', 'accept-encoding');
        if (format === 'pdf') reply.header('content-disposition', `attachment; filename="quietcheck-${c.id.slice(0, 8)}.pdf"`);
        if (etagMatches(req.headers['if-none-match'], r.etag)) return reply.code(304).send();
        // PDF is compressed already; HTML and JSON shrink about tenfold, which is what lets a page of
        // polling viewers read a large report without saturating the machine.
        const gzip = format !== 'pdf' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        if (gzip) reply.header('content-encoding', 'gzip');
        // A very large check's JSON report is sent from disk as it is read, never held whole.
        if (isStreamed(r)) return reply.send(r.open(gzip));
        return reply.send(gzip ? r.gzipped() : r.body);
      } catch (err) {
        if (err instanceof ChromiumMissingError) return sendError(reply, 503, 'pdf-unavailable', 'PDF reports need Chromium, which is not installed');
        if (err instanceof ChromiumFailedError) return sendError(reply, 503, 'pdf-failed', err.message);
        throw err;
      }
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/api/checks/:id/report/view',
    {
      preHandler: ctx.result,
      schema: {
        tags: ['checks'],
        summary: "the HTML report to read in the kiosk's own window, with a bar leading back to the result",
        params: ID_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { lang: { type: 'string', enum: [...LANGS] } } },
        response: { 200: { type: 'string', description: 'text/html' }, ...KIOSK_REPORT_ERRORS },
      },
    },
    async (req, reply) => {
      const f = finishedCheck(ctx, reply, req.params.id);
      if (f === null) return reply;
      const lang = reportLang(ctx, req.query.lang, f.c.lang);
      const r = await reports.render(f.c.id, f.analysis, 'html', lang);
      return reply.type('text/html; charset=utf-8').send(withBackBar(r.body.toString('utf8'), f.c.id, lang));
    },
  );
}
