/**
 * Traffic checks: start one on a network interface (or quietcheck's own Wi-Fi), follow its state, stop
 * it, delete it; the kiosk's list of those still running and the admin's list of every check.
 */
import type { FastifyInstance } from 'fastify';
import { LiveCaptureError } from '../../capture/live.js';
import { DiskFullError } from '../../checks/disk-space.js';
import { ACTIVE_STATES, CheckConflictError, CheckInputError } from '../../checks/manager.js';
import { LANGS, type Lang } from '../../i18n/index.js';
import { readGeneralSettings } from '../../store/general-settings.js';
import type { RouteContext } from '../context.js';
import { ERROR_SCHEMA, ERRORS, ID_PARAMS, NO_CONTENT, sendError } from '../errors.js';
import { ADMIN_CHECK_SCHEMA, CHECK_SCHEMA, RUNNING_SCHEMA, type AdminCheckWire, type RunningWire } from '../schemas/checks.js';
import { hotspotError } from './hotspot.js';

export function registerCheckRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { cfg, store, manager, reports, hotspot, kiosk, admin, views, timings } = ctx;

  app.post<{ Body: { interface?: string; device?: string; durationSeconds?: number; lang?: string; mode?: 'interface' | 'hotspot' | 'sinkhole' } }>(
    '/api/checks',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: 'start a live check: capture on a network interface until stopped or until the duration ends',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            interface: { type: 'string', minLength: 1, maxLength: 15, description: 'defaults to the configured interface' },
            device: { type: 'string', maxLength: 64, description: "only this device's traffic: a MAC or an IP address" },
            durationSeconds: { type: 'integer', minimum: 10, maximum: 86400, description: 'omit to stop by hand' },
            lang: { type: 'string', enum: [...LANGS] },
            mode: {
              type: 'string',
              enum: ['interface', 'hotspot', 'sinkhole'],
              description:
                "interface: capture an existing interface; hotspot: quietcheck's own Wi-Fi with internet through the uplink; sinkhole: its own Wi-Fi with no internet, names answered locally. Omitted: the configured interface if there is one, else quietcheck's own Wi-Fi in the admin's default mode when a hotspot interface is set",
            },
          },
        },
        response: { 201: CHECK_SCHEMA, ...ERRORS, 503: ERROR_SCHEMA, 507: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      // A kiosk where the admin hid the network choice sends no mode: a box set up only with its own
      // Wi-Fi must still start the check the admin expects there.
      const hotspotDefault = hotspot.settings();
      const mode = body.mode ?? (body.interface === undefined && !cfg.interface && hotspotDefault.iface !== null ? hotspotDefault.mode : 'interface');
      const iface = body.interface ?? cfg.interface;
      if (!iface && mode === 'interface') return sendError(reply, 400, 'no-interface', 'say which network interface to capture on (no default is configured)');
      try {
        const c = await manager.createLive({ iface: iface ?? '', device: body.device ?? null, durationSeconds: body.durationSeconds ?? null, lang: (body.lang as Lang | undefined) ?? readGeneralSettings(store, cfg.lang).defaultLang, mode });
        if (ctx.keepOnlyIfDelivered(req, reply, c.id)) return reply;
        return reply.code(201).send(views.view(c, false));
      } catch (err) {
        const h = hotspotError(err);
        if (h !== null) return sendError(reply, h.status, h.code, h.message);
        if (err instanceof CheckInputError) return sendError(reply, 400, err.code, err.message);
        if (err instanceof CheckConflictError) return sendError(reply, 409, 'busy', err.message);
        if (err instanceof DiskFullError) return sendError(reply, 507, 'disk-full', err.message);
        if (err instanceof LiveCaptureError) {
          const status = err.kind === 'no-such-interface' || err.kind === 'bad-filter' ? 400 : 503;
          return sendError(reply, status, err.kind, err.message);
        }
        throw err;
      }
    },
  );

  // The kiosk that meets "another check is running" opens that check rather than leaving it unreachable.
  app.get(
    '/api/checks/running',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: 'the live checks not finished yet (capturing, waiting for the phone or analysing), newest first: their ids and states only',
        response: { 200: RUNNING_SCHEMA, ...ERRORS },
      },
    },
    async (): Promise<RunningWire> => ({
      checks: manager
        .list()
        .filter((c) => c.source === 'live' && (ACTIVE_STATES as readonly string[]).includes(c.state))
        .map((c) => ({ id: c.id, state: c.state, createdAt: c.createdAt })),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/checks/:id',
    {
      preHandler: kiosk,
      ...(timings !== null ? { onResponse: timings.hook('status') } : {}),
      schema: { tags: ['checks'], summary: 'the state of a check and its live counters', params: ID_PARAMS, response: { 200: CHECK_SCHEMA, ...ERRORS } },
    },
    async (req, reply) => {
      const c = ctx.found(reply, req.params.id);
      if (c === null) return reply;
      // Already JSON: Fastify sends a string with a JSON content type as it is.
      return reply.type('application/json; charset=utf-8').send(views.statusJson(reply, c, ctx.resultHidden(req)));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/checks/:id/stop',
    { preHandler: kiosk, schema: { tags: ['checks'], summary: 'stop a live check; answers once its report is ready', params: ID_PARAMS, response: { 200: CHECK_SCHEMA, ...ERRORS } } },
    async (req, reply) => {
      if (ctx.found(reply, req.params.id) === null) return reply;
      const v = views.view(await manager.stop(req.params.id), false);
      if (ctx.resultHidden(req)) v.result = null;
      return v;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/checks/:id',
    { preHandler: kiosk, schema: { tags: ['checks'], summary: 'delete a check: its capture, its report and its record', params: ID_PARAMS, response: { 204: NO_CONTENT, ...ERRORS } } },
    async (req, reply) => {
      if (!(await manager.delete(req.params.id))) return sendError(reply, 404, 'not-found', 'no such check');
      reports.forget(req.params.id);
      return reply.code(204).send();
    },
  );

  app.get('/api/admin/checks', { preHandler: admin, schema: { tags: ['admin'], summary: 'every check, newest first', response: { 200: { type: 'array', items: ADMIN_CHECK_SCHEMA }, ...ERRORS } } }, async (): Promise<AdminCheckWire[]> =>
    manager.list().map((c) => views.view(c, true)),
  );
}
