import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CheckManager } from '../../checks/manager.js';
import type { DeviceChecks } from '../../device/checks.js';
import { renderCombinedHtml } from '../../device/report/combined-html.js';
import { toDeviceJson } from '../../device/report/json.js';
import { combineReports } from '../../device/report/combined.js';
import { isLang, LANGS, type Lang } from '../../i18n/index.js';
import { toJsonReport } from '../../report/json.js';
import { paperFromEnv } from '../../report/paper.js';
import { ChromiumFailedError, ChromiumMissingError, htmlToPdf } from '../../report/pdf.js';
import { ERROR_SCHEMA, sendError } from '../errors.js';
import { allStoredFindings } from '../report-stream.js';

/**
 * One report for one phone checked both ways: a finished traffic check and a finished device check
 * give one verdict (the worse of the two, families of both) with both sets of findings and limits, in
 * JSON, HTML or PDF and any language. POST answers tools; the GET addresses are what a kiosk link or
 * the admin console opens.
 */

export interface CombineRouteDeps {
  manager: CheckManager;
  devices: DeviceChecks;
  lang: Lang;
  /** Who may read results on the kiosk (this machine, unless results are read elsewhere). */
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** An admin session, for the console's copy of the same report. */
  admin: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  help?: (lang: Lang) => { contact: string; helplines: string[] };
}

const ID = { type: 'string', pattern: '^[0-9a-f]{32}$' } as const;
const FORMATS = ['json', 'html', 'pdf'] as const;
type Format = (typeof FORMATS)[number];
const CONTENT: Record<Format, string> = { html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8', pdf: 'application/pdf' };
const ERRORS = { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 503: ERROR_SCHEMA };

interface Ask {
  traffic: string;
  device: string;
  lang?: string;
  format?: Format;
}

export function registerCombineRoutes(app: FastifyInstance, deps: CombineRouteDeps): void {
  const answer = async (ask: Ask, reply: FastifyReply, defaultFormat: Format): Promise<unknown> => {
    const tc = deps.manager.get(ask.traffic);
    if (tc === null || tc.source === 'device') return sendError(reply, 404, 'not-found', 'no such traffic check');
    const dc = deps.devices.get(ask.device);
    if (dc === null) return sendError(reply, 404, 'not-found', 'no such device check');
    const ta = deps.manager.analysis(tc.id);
    if (ta === null) return sendError(reply, 409, 'not-ready', `the traffic check is ${tc.state}`);
    const lang = ask.lang && isLang(ask.lang) ? ask.lang : isLang(tc.lang) ? tc.lang : deps.lang;
    const da = deps.devices.analysis(dc.id);
    if (da === null) return sendError(reply, 409, 'not-ready', `the device check is ${dc.state}`);
    const format = ask.format ?? defaultFormat;
    const help = deps.help?.(lang);
    // A very large traffic check keeps only the findings its HTML shows in memory: the rest are on disk.
    const traffic = format === 'json' && ta.digest !== undefined ? { ...ta, findings: await allStoredFindings(ta) } : ta;
    reply.header('cache-control', 'no-store');
    reply.type(CONTENT[format]);
    if (format === 'json') return reply.send(JSON.stringify(combineReports(toJsonReport(traffic, lang, help), toDeviceJson(da, lang, help), lang)));
    if (format === 'html') return reply.send(renderCombinedHtml(traffic, da, lang, { help }));
    try {
      const pdf = await htmlToPdf(renderCombinedHtml(traffic, da, lang, { openAppendix: true, help, print: { paper: paperFromEnv(), checkId: `${tc.id.slice(0, 8)} + ${dc.id.slice(0, 8)}` } }));
      reply.header('content-disposition', `attachment; filename="quietcheck-both-${tc.id.slice(0, 8)}-${dc.id.slice(0, 8)}.pdf"`);
      return reply.send(pdf);
    } catch (err) {
      if (err instanceof ChromiumMissingError) return sendError(reply, 503, 'pdf-unavailable', 'PDF reports need Chromium, which is not installed');
      if (err instanceof ChromiumFailedError) return sendError(reply, 503, 'pdf-failed', err.message);
      throw err;
    }
  };

  app.post<{ Body: Ask }>(
    '/api/checks/combine',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: 'one report for a phone checked both ways: a finished traffic check and a finished device check (their ids); JSON unless format says otherwise',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['traffic', 'device'],
          properties: { traffic: ID, device: ID, lang: { type: 'string', enum: [...LANGS] }, format: { type: 'string', enum: [...FORMATS] } },
        },
        response: ERRORS,
      },
    },
    async (req, reply) => answer(req.body, reply, 'json'),
  );

  for (const [url, preHandler, tag] of [
    ['/api/checks/combine/:traffic/:device/report', deps.guard, 'checks'],
    ['/api/admin/checks/combine/:traffic/:device/report', deps.admin, 'admin'],
  ] as const) {
    app.get<{ Params: { traffic: string; device: string }; Querystring: { format?: Format; lang?: string } }>(
      url,
      {
        preHandler,
        schema: {
          tags: [tag],
          summary: 'the combined report of a traffic check and a device check of the same phone, in any format and language (HTML unless format says otherwise)',
          params: { type: 'object', required: ['traffic', 'device'], properties: { traffic: ID, device: ID } },
          querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: [...FORMATS] }, lang: { type: 'string', enum: [...LANGS] } } },
          response: ERRORS,
        },
      },
      async (req, reply) => answer({ ...req.params, ...req.query }, reply, 'html'),
    );
  }
}
