/** A capture file sent by the kiosk (or any client) and analysed as a check of its own. */
import type { FastifyInstance } from 'fastify';
import { DiskFullError, requireRoom } from '../../checks/disk-space.js';
import { LANGS, type Lang } from '../../i18n/index.js';
import { readGeneralSettings } from '../../store/general-settings.js';
import type { RouteContext } from '../context.js';
import { ERROR_SCHEMA, ERRORS, sendError } from '../errors.js';
import { CHECK_SCHEMA } from '../schemas/checks.js';
import { receiveCapture } from '../upload.js';

const CAPTURE_TYPES = ['application/vnd.tcpdump.pcap', 'application/x-pcapng', 'application/octet-stream'];

export function registerUploadRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { cfg, store, manager } = ctx;
  // The body is read as it arrives by receiveCapture, straight to disk.
  app.addContentTypeParser(CAPTURE_TYPES, (_req, _payload, done) => done(null, undefined));

  app.post<{ Querystring: { lang?: string; name?: string } }>(
    '/api/uploads',
    {
      preHandler: ctx.kiosk,
      schema: {
        tags: ['checks'],
        summary: 'analyse a pcap or pcapng file: send its bytes as the body (content-type application/vnd.tcpdump.pcap, application/x-pcapng or application/octet-stream)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { lang: { type: 'string', enum: [...LANGS] }, name: { type: 'string', maxLength: 255, description: "the file's own name, shown in the report (last path part only)" } },
        },
        response: { 201: CHECK_SCHEMA, ...ERRORS, 413: ERROR_SCHEMA, 415: ERROR_SCHEMA, 422: ERROR_SCHEMA, 507: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > cfg.maxUploadBytes) {
        reply.header('connection', 'close');
        return sendError(reply, 413, 'too-large', `captures larger than ${cfg.maxUploadBytes} bytes are refused`);
      }
      // Refused before a byte is read or anything created: the capture, its report and the records must fit.
      try {
        requireRoom(cfg.dataDir, Number.isFinite(declared) ? declared : 0, 'this capture');
      } catch (err) {
        if (!(err instanceof DiskFullError)) throw err;
        reply.header('connection', 'close');
        return sendError(reply, 507, 'disk-full', err.message);
      }
      let created: string | null = null;
      let got;
      try {
        got = await receiveCapture(req.raw, cfg.maxUploadBytes, () => {
          const { check, path } = manager.createUpload((req.query.lang as Lang | undefined) ?? readGeneralSettings(store, cfg.lang).defaultLang);
          created = check.id;
          return path;
        });
      } catch (err) {
        if (!(err instanceof DiskFullError)) throw err;
        reply.header('connection', 'close');
        return sendError(reply, 507, 'disk-full', err.message);
      }
      if (!got.ok) {
        if (created !== null) await manager.discardUpload(created);
        reply.header('connection', 'close');
        const status = got.reason === 'too-large' ? 413 : got.reason === 'not-a-capture' ? 415 : got.reason === 'write-failed' || got.reason === 'disk-full' ? 507 : 400;
        return sendError(reply, status, got.reason, got.message);
      }
      const id = created!;
      const c = await manager.analyseUpload(id, req.query.name);
      if (c.state === 'failed') {
        // Right magic, unreadable after it: not a capture either, and nothing of it is kept. A disk that
        // filled while the report was written is said as such.
        await manager.discardUpload(id);
        if (c.error?.startsWith('the disk is full')) return sendError(reply, 507, 'disk-full', c.error);
        return sendError(reply, 422, 'not-a-capture', c.error ?? 'the file could not be read as a capture');
      }
      if (ctx.keepOnlyIfDelivered(req, reply, id)) return reply;
      return reply.code(201).send(ctx.views.view(c, false));
    },
  );
}
