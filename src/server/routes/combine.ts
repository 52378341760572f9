import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CheckManager } from '../../checks/manager.js';
import type { DeviceChecks } from '../../device/checks.js';
import { toDeviceJson } from '../../device/report/json.js';
import { combineReports } from '../../device/report/combined.js';
import { isLang, LANGS, type Lang } from '../../i18n/index.js';
import { toJsonReport } from '../../report/json.js';
import { ERROR_SCHEMA, sendError } from '../errors.js';
import { allStoredFindings } from '../report-stream.js';

/**
 * One report for one phone checked both ways: a finished traffic check and a finished device check
 * give one verdict (the worse of the two, families of both) with both sets of findings and limits.
 */

export interface CombineRouteDeps {
  manager: CheckManager;
  devices: DeviceChecks;
  lang: Lang;
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

const ID = { type: 'string', pattern: '^[0-9a-f]{32}$' } as const;

export function registerCombineRoutes(app: FastifyInstance, deps: CombineRouteDeps): void {
  app.post<{ Body: { traffic: string; device: string; lang?: string } }>(
    '/api/checks/combine',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: 'one JSON report for a phone checked both ways: a finished traffic check and a finished device check (their ids)',
        body: { type: 'object', additionalProperties: false, required: ['traffic', 'device'], properties: { traffic: ID, device: ID, lang: { type: 'string', enum: [...LANGS] } } },
        response: { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const { traffic, device } = req.body;
      const tc = deps.manager.get(traffic);
      if (tc === null || tc.source === 'device') return sendError(reply, 404, 'not-found', 'no such traffic check');
      const dc = deps.devices.get(device);
      if (dc === null) return sendError(reply, 404, 'not-found', 'no such device check');
      const ta = deps.manager.analysis(tc.id);
      if (ta === null) return sendError(reply, 409, 'not-ready', `the traffic check is ${tc.state}`);
      const lang = req.body.lang && isLang(req.body.lang) ? req.body.lang : isLang(tc.lang) ? tc.lang : deps.lang;
      const da = deps.devices.analysis(dc.id, lang);
      if (da === null) return sendError(reply, 409, 'not-ready', `the device check is ${dc.state}`);
      reply.header('cache-control', 'no-store');
      // A very large traffic check keeps only the findings its HTML shows in memory: the rest are on disk.
      const findings = ta.digest !== undefined ? await allStoredFindings(ta) : ta.findings;
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(combineReports(toJsonReport({ ...ta, findings }, lang), toDeviceJson(da), lang)));
    },
  );
}
