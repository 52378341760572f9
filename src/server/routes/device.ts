import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeviceChecks } from '../../device/checks.js';
import { DeviceCheckError } from '../../device/checks.js';
import { renderDeviceHtml } from '../../device/report/html.js';
import { renderDeviceJson } from '../../device/report/json.js';
import { passphraseProblem, writeZip, type ZipItem } from '../../export/zip.js';
import { isLang, LANGS, t, type Lang } from '../../i18n/index.js';
import { paperFromEnv } from '../../report/paper.js';
import { ChromiumFailedError, ChromiumMissingError, htmlToPdf } from '../../report/pdf.js';
import { ERROR_SCHEMA, ID_PARAMS, sendError } from '../errors.js';
import { DEVICE_CHECK_SCHEMA, PHONE_SCHEMA, type DeviceCheckWire, type PhoneWire } from '../schemas/device.js';

/**
 * The device check in `quietcheck serve`, for the kiosk's "With a USB cable (Android)" path: which
 * phones are connected and in what state, start a check, follow its progress (Server-Sent Events),
 * read the report in any language and format, export it, delete it. Kiosk access only (this machine).
 */

export interface DeviceRouteDeps {
  checks: DeviceChecks;
  lang: Lang;
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The service's own contact and helplines for a language, printed in every device report as in traffic reports. */
  help?: (lang: Lang) => { contact: string; helplines: string[] };
  /** The admin console opens a device check's report from the checks history, also from another machine. */
  admin: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

const ERRORS = { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA };
const STATUS: Record<DeviceCheckError['code'], number> = { 'no-phone': 409, 'several-phones': 409, 'not-found': 404, unauthorized: 409, offline: 409, busy: 409 };
const CONTENT: Record<string, string> = { html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8', pdf: 'application/pdf' };

export function registerDeviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  const { checks, guard } = deps;
  const langOf = (q: string | undefined, fallback: Lang): Lang => (q && isLang(q) ? q : fallback);

  app.get<{ Querystring: { lang?: string } }>(
    '/api/device/phones',
    {
      preHandler: guard,
      schema: {
        tags: ['device'],
        summary: 'phones connected over USB and their state, with what to do in words (unauthorized: accept the prompt on the phone)',
        querystring: { type: 'object', additionalProperties: false, properties: { lang: { type: 'string', enum: [...LANGS] } } },
        response: { 200: { type: 'array', items: PHONE_SCHEMA } },
      },
    },
    async (req): Promise<PhoneWire[]> => {
      const lang = langOf(req.query.lang, deps.lang);
      const key = (s: string): string => (s === 'no permissions' ? 'device.state.noPermissions' : `device.state.${s}`);
      return (await checks.phones()).map((p) => ({ serial: p.serial, state: p.state, model: p.model, advice: t(lang, key(p.state)) }));
    },
  );

  app.post<{ Body: { serial?: string; lang?: string } }>(
    '/api/device/checks',
    {
      preHandler: guard,
      schema: {
        tags: ['device'],
        summary: 'start a device check of the connected phone (or the one named): collection only reads, then analysis',
        body: { type: ['object', 'null'], additionalProperties: false, properties: { serial: { type: 'string', maxLength: 200 }, lang: { type: 'string', enum: [...LANGS] } } },
        response: { 202: DEVICE_CHECK_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply) => {
      try {
        const c = await checks.start({ serial: req.body?.serial, lang: langOf(req.body?.lang, deps.lang) });
        return reply.code(202).send(c satisfies DeviceCheckWire);
      } catch (e) {
        if (e instanceof DeviceCheckError) return sendError(reply, STATUS[e.code], e.code, e.message);
        throw e;
      }
    },
  );

  app.get('/api/device/checks', { preHandler: guard, schema: { tags: ['device'], summary: 'device checks, newest first', response: { 200: { type: 'array', items: DEVICE_CHECK_SCHEMA } } } }, async (): Promise<DeviceCheckWire[]> => checks.list());

  app.get<{ Params: { id: string } }>(
    '/api/device/checks/:id',
    { preHandler: guard, schema: { tags: ['device'], params: ID_PARAMS, response: { 200: DEVICE_CHECK_SCHEMA, ...ERRORS } } },
    async (req, reply) => checks.get(req.params.id) ?? sendError(reply, 404, 'not-found', 'no such device check'),
  );

  app.get<{ Params: { id: string } }>(
    '/api/device/checks/:id/events',
    {
      preHandler: guard,
      schema: { tags: ['device'], summary: 'Server-Sent Events: a "status" event (the check) on each step; ends when it is done or failed', params: ID_PARAMS, response: { 200: { type: 'string' }, ...ERRORS } },
    },
    async (req, reply) => {
      const id = req.params.id;
      if (checks.get(id) === null) return sendError(reply, 404, 'not-found', 'no such device check');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff', 'x-accel-buffering': 'no' });
      let open = true;
      const close = (): void => {
        if (!open) return;
        open = false;
        checks.off('change', onChange);
        res.end();
      };
      const send = (): void => {
        const c = checks.get(id);
        if (!open) return;
        if (c === null) {
          res.write('event: deleted\ndata: {}\n\n');
          close();
          return;
        }
        res.write(`event: status\ndata: ${JSON.stringify(c)}\n\n`);
        if (c.state === 'done' || c.state === 'failed') close();
      };
      const onChange = (changed: string): void => {
        if (changed === id) send();
      };
      checks.on('change', onChange);
      req.raw.on('close', close);
      send();
    },
  );

  for (const [url, preHandler, tag] of [
    ['/api/device/checks/:id/report', guard, 'device'],
    ['/api/admin/device-checks/:id/report', deps.admin, 'admin'],
  ] as const) {
    app.get<{ Params: { id: string }; Querystring: { format?: string; lang?: string } }>(
      url,
      {
        preHandler,
        schema: {
          tags: [tag],
          summary: 'the report of a finished device check, in any language',
          params: ID_PARAMS,
          querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['html', 'json', 'pdf'], default: 'html' }, lang: { type: 'string', enum: [...LANGS] } } },
          response: { ...ERRORS, 503: ERROR_SCHEMA },
        },
      },
      async (req, reply) => {
        const c = checks.get(req.params.id);
        if (c === null) return sendError(reply, 404, 'not-found', 'no such device check');
        if (c.state !== 'done') return sendError(reply, 409, 'not-ready', c.state === 'failed' ? `the check failed: ${c.error ?? ''}` : `the check is ${c.state}`);
        const a = checks.analysis(c.id);
        if (a === null) return sendError(reply, 404, 'not-found', 'the report of this check is missing');
        const lang = langOf(req.query.lang, c.lang);
        const format = req.query.format ?? 'html';
        try {
          const help = deps.help?.(lang);
          const body =
            format === 'json'
              ? renderDeviceJson(a, lang, help)
              : format === 'pdf'
                ? await htmlToPdf(renderDeviceHtml(a, lang, { openAppendix: true, help, print: { paper: paperFromEnv(), checkId: c.id } }))
                : renderDeviceHtml(a, lang, { help });
          reply.type(CONTENT[format]!);
          reply.header('cache-control', 'no-store');
          if (format === 'pdf') reply.header('content-disposition', `attachment; filename="quietcheck-device-${c.id.slice(0, 8)}.pdf"`);
          return reply.send(body);
        } catch (err) {
          if (err instanceof ChromiumMissingError) return sendError(reply, 503, 'pdf-unavailable', 'PDF reports need Chromium, which is not installed');
          if (err instanceof ChromiumFailedError) return sendError(reply, 503, 'pdf-failed', err.message);
          throw err;
        }
      },
    );
  }

  app.post<{ Params: { id: string }; Body: { passphrase?: string } | null }>(
    '/api/device/checks/:id/export',
    {
      preHandler: guard,
      schema: {
        tags: ['device'],
        summary: 'a ZIP of the acquisition (AndroidQF layout, for MVT or a specialist) and the reports; AES-256 encrypted with a passphrase',
        params: ID_PARAMS,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { passphrase: { type: 'string', maxLength: 1024 } } },
        response: { ...ERRORS },
      },
    },
    async (req, reply) => {
      const c = checks.get(req.params.id);
      const dir = c ? checks.acquisitionDir(c.id) : null;
      if (c === null || dir === null) return sendError(reply, 404, 'not-found', 'no such device check');
      const passphrase = req.body?.passphrase;
      if (passphrase !== undefined) {
        const problem = passphraseProblem(passphrase);
        if (problem !== null) return sendError(reply, 400, 'bad-passphrase', problem);
      }
      const items: ZipItem[] = readdirSync(dir)
        .filter((n) => !n.startsWith('.'))
        .map((n) => ({ name: `acquisition/${n}`, source: { kind: 'file', path: join(dir, n) } }));
      const a = checks.analysis(c.id);
      if (a) {
        const lang = langOf(c.lang, deps.lang);
        const help = deps.help?.(lang);
        items.push({ name: 'report.html', source: { kind: 'bytes', data: Buffer.from(renderDeviceHtml(a, lang, { help })) } });
        items.push({ name: 'report.json', source: { kind: 'bytes', data: Buffer.from(renderDeviceJson(a, lang, help)) } });
      }
      const tmp = mkdtempSync(join(dir, '..', '.export-'));
      try {
        const file = join(tmp, 'export.zip');
        const fh = await open(file, 'w', 0o600);
        try {
          await writeZip(fh, items, passphrase ? { passphrase } : {});
        } finally {
          await fh.close();
        }
        reply.type('application/zip');
        reply.header('content-disposition', `attachment; filename="quietcheck-device-${c.id.slice(0, 8)}.zip"`);
        return reply.send(await readFile(file));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/device/checks/:id',
    { preHandler: guard, schema: { tags: ['device'], summary: 'delete a device check: its acquisition, report and record (as DELETE /api/checks/{id})', params: ID_PARAMS, response: { 204: { type: 'null' }, ...ERRORS } } },
    async (req, reply) => ((await checks.delete(req.params.id)) ? reply.code(204).send() : sendError(reply, 404, 'not-found', 'no such device check')),
  );
}
