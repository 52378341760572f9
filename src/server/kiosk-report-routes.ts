/**
 * What the kiosk needs to let evidence leave it: the full technical report shown in the kiosk's own
 * window with a way back (a full-screen kiosk has no tabs to close), and the PDF report written to a
 * USB drive (a kiosk's browser downloads into a profile that is thrown away at exit).
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CheckManager } from '../checks/manager.js';
import { exportsDir, type PreparedExport } from '../export/archive.js';
import { pickDrive, writeToDrive } from '../export/usb.js';
import { FAILURE_STATUS } from './export-status.js';
import { isLang, LANGS, t, type Lang } from '../report/i18n/index.js';
import { ChromiumFailedError, ChromiumMissingError } from '../report/pdf.js';
import { ERROR_SCHEMA, ID_PARAMS, sendError } from './errors.js';
import type { ReportCache } from './reports.js';

export interface KioskReportDeps {
  manager: CheckManager;
  reports: ReportCache;
  dataDir: string;
  lang: Lang;
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  log?: (msg: string) => void;
}

const ERRORS = { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 503: ERROR_SCHEMA } as const;

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

export function registerKioskReportRoutes(app: FastifyInstance, deps: KioskReportDeps): void {
  const langOf = (lang: string | undefined, checkLang: string): Lang => (lang !== undefined && isLang(lang) ? lang : isLang(checkLang) ? checkLang : deps.lang);

  /** The finished check, or the error sent. */
  const finished = (reply: FastifyReply, id: string) => {
    const c = deps.manager.get(id);
    if (c === null) {
      sendError(reply, 404, 'not-found', 'no such check');
      return null;
    }
    if (c.state !== 'done') {
      sendError(reply, 409, 'not-ready', `the check is ${c.state}`);
      return null;
    }
    const analysis = deps.manager.analysis(id);
    if (analysis === null) {
      sendError(reply, 404, 'not-found', 'the report of this check is missing');
      return null;
    }
    return { c, analysis };
  };

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/api/checks/:id/report/view',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: "the HTML report to read in the kiosk's own window, with a bar leading back to the result",
        params: ID_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { lang: { type: 'string', enum: [...LANGS] } } },
        response: { 200: { type: 'string', description: 'text/html' }, ...ERRORS },
      },
    },
    async (req, reply) => {
      const f = finished(reply, req.params.id);
      if (f === null) return reply;
      const lang = langOf(req.query.lang, f.c.lang);
      const r = await deps.reports.render(f.c.id, f.analysis, 'html', lang);
      return reply.type('text/html; charset=utf-8').send(withBackBar(r.body.toString('utf8'), f.c.id, lang));
    },
  );

  app.post<{ Params: { id: string }; Body: { mountPoint: string; lang?: string } }>(
    '/api/checks/:id/report/usb',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: 'write the PDF report of a check to a mounted USB drive as quietcheck-report-<date>-<id>.pdf; the answer says what was written where, or why nothing was',
        params: ID_PARAMS,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['mountPoint'],
          properties: {
            mountPoint: { type: 'string', minLength: 1, maxLength: 4096, description: 'one of the mountPoint values of GET /api/export/drives' },
            lang: { type: 'string', enum: [...LANGS] },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { written: { type: 'boolean' }, path: { type: 'string' }, fileName: { type: 'string' }, mountPoint: { type: 'string' }, label: { type: ['string', 'null'] }, bytes: { type: 'integer' }, sha256: { type: 'string' }, message: { type: 'string' } },
          },
          ...ERRORS,
          409: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
          404: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
          507: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
          500: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
    async (req, reply) => {
      const f = finished(reply, req.params.id);
      if (f === null) return reply;
      // Said before Chromium prints a PDF for a drive that is not there.
      const early = pickDrive(req.body.mountPoint, null);
      if ('ok' in early) return reply.code(FAILURE_STATUS[early.reason]).type('application/json; charset=utf-8').send({ error: early.reason, message: early.message });
      const lang = langOf(req.body.lang, f.c.lang);
      let pdf: Buffer;
      try {
        pdf = (await deps.reports.render(f.c.id, f.analysis, 'pdf', lang)).body;
      } catch (err) {
        if (err instanceof ChromiumMissingError) return sendError(reply, 503, 'pdf-unavailable', 'PDF reports need Chromium, which is not installed');
        if (err instanceof ChromiumFailedError) return sendError(reply, 503, 'pdf-failed', err.message);
        throw err;
      }
      // The same careful copy as the evidence archive: a temporary file, synced, renamed, checked.
      const dir = exportsDir(deps.dataDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `${randomBytes(8).toString('hex')}.pdf`);
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(pdf);
        await fh.sync();
      } finally {
        await fh.close();
      }
      const d = new Date(f.c.createdAt);
      const date = Number.isNaN(d.getTime()) ? 'undated' : d.toISOString().slice(0, 10);
      const prep: PreparedExport = {
        path,
        fileName: `quietcheck-report-${date}-${f.c.id}.pdf`,
        bytes: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        encrypted: false,
        entries: [{ name: 'report.pdf', bytes: pdf.length }],
        skipped: [],
        dispose: () => rmSync(path, { force: true }),
      };
      try {
        const r = await writeToDrive(prep, req.body.mountPoint);
        if (!r.ok) {
          deps.log?.(`PDF report to ${r.mountPoint} not written: ${r.message}`);
          return reply.code(FAILURE_STATUS[r.reason]).type('application/json; charset=utf-8').send({ error: r.reason, message: r.message });
        }
        deps.log?.(`PDF report: ${r.message}`);
        return reply.code(201).send({ written: true, path: r.path, fileName: r.fileName, mountPoint: r.mountPoint, label: r.label, bytes: r.bytes, sha256: r.sha256, message: r.message });
      } finally {
        prep.dispose();
      }
    },
  );
}
