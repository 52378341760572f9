/**
 * What lets evidence leave the machine: a check as a ZIP, downloaded or written to a mounted USB drive,
 * optionally AES-256 encrypted, and the PDF report alone written to a drive (a kiosk's browser downloads
 * into a profile that is thrown away at exit). A passphrase only ever travels in a POST body: URLs end
 * up in logs, browser history and the kiosk's address bar.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ExportError, exportsDir, prepareExport, removeStaleExports, type PreparedExport } from '../../export/archive.js';
import { detectDrives } from '../../export/drives.js';
import { pickDrive, writeToDrive, type DriveNotWritten } from '../../export/usb.js';
import { EXPORT_STATUS, FAILURE_STATUS } from '../export-status.js';
import { MAX_PASSPHRASE, MIN_PASSPHRASE } from '../../export/zip.js';
import { LANGS, type Lang } from '../../i18n/index.js';
import { ChromiumFailedError, ChromiumMissingError } from '../../report/pdf.js';
import type { RouteContext } from '../context.js';
import { ERROR_SCHEMA, ID_PARAMS, sendError } from '../errors.js';
import { DRIVE_FAILURE_SCHEMA, DRIVES_SCHEMA, WRITTEN_SCHEMA, type DrivesWire, type WrittenWire } from '../schemas/exports.js';
import { finishedCheck, KIOSK_REPORT_ERRORS, reportLang } from './reports.js';

/** Archives being built at once: each holds a copy of a capture in the data directory. */
const MAX_CONCURRENT = 2;

const PASSPHRASE = {
  type: 'string',
  minLength: MIN_PASSPHRASE,
  maxLength: MAX_PASSPHRASE,
  description: `protects every file with AES-256 (WinZip AE-2, opened by 7-Zip and most archive tools); at least ${MIN_PASSPHRASE} characters`,
} as const;

/** Where to write: a drive the drives route listed. */
const MOUNT_POINT = { type: 'string', minLength: 1, maxLength: 4096, description: 'one of the mountPoint values of GET /api/export/drives' } as const;

const ERRORS = { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 429: ERROR_SCHEMA, 503: ERROR_SCHEMA, 507: ERROR_SCHEMA } as const;

/** Says why nothing was written, with what the drive check found (what is mounted instead, sizes). */
function sendDriveFailure(reply: FastifyReply, failure: DriveNotWritten): FastifyReply {
  const { ok: _ok, reason, ...rest } = failure;
  return reply.code(FAILURE_STATUS[reason]).type('application/json; charset=utf-8').send({ error: reason, ...rest });
}

export async function registerExportRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const deps = { manager: ctx.manager, reports: ctx.reports, dataDir: ctx.cfg.dataDir, guard: ctx.result, log: ctx.log };
  removeStaleExports(deps.dataDir);
  let building = 0;

  const langOf = (id: string, asked: string | undefined): Lang => {
    const c = deps.manager.get(id);
    return reportLang(ctx, asked, c?.lang ?? '');
  };

  /** Builds the archive, or sends the error and returns null. */
  const prepare = async (reply: FastifyReply, id: string, lang: Lang, passphrase: string | undefined): Promise<PreparedExport | null> => {
    if (building >= MAX_CONCURRENT) {
      sendError(reply, 429, 'busy', 'other exports are being built: try again in a moment');
      return null;
    }
    building++;
    try {
      return await prepareExport({ manager: deps.manager, reports: deps.reports, dataDir: deps.dataDir }, id, { lang, passphrase });
    } catch (err) {
      if (err instanceof ExportError) {
        sendError(reply, EXPORT_STATUS[err.code], err.code, err.message);
        return null;
      }
      throw err;
    } finally {
      building--;
    }
  };

  /** Sends the archive; its file is unlinked as soon as it is open, so nothing lingers after. */
  const download = async (reply: FastifyReply, prep: PreparedExport): Promise<FastifyReply> => {
    const fh = await open(prep.path, 'r');
    prep.dispose();
    reply.type('application/zip');
    reply.header('content-disposition', `attachment; filename="${prep.fileName}"`);
    reply.header('content-length', String(prep.bytes));
    reply.header('x-quietcheck-sha256', prep.sha256);
    reply.header('x-quietcheck-encrypted', prep.encrypted ? 'aes-256' : 'no');
    if (prep.skipped.length > 0) reply.header('x-quietcheck-skipped', prep.skipped.map((s) => s.name).join(', '));
    return reply.send(fh.createReadStream({ autoClose: true }));
  };

  const noSecretsInUrl = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const q = req.query as Record<string, unknown> | undefined;
    if (q && ('passphrase' in q || 'password' in q)) {
      return sendError(reply, 400, 'passphrase-in-url', 'send the passphrase in the body of a POST to this address, never in the URL (URLs are kept in logs and browser history)');
    }
    return undefined;
  };

  const DOWNLOAD_DOC = 'a ZIP of the check: README.txt, the capture (capture.pcap or .pcapng), report.html, report.json and, when Chromium is installed, report.pdf';
  const DOWNLOAD_HEADERS = 'Headers: x-quietcheck-sha256 (of the archive), x-quietcheck-encrypted, x-quietcheck-skipped (files left out; README.txt says why).';

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/api/checks/:id/export',
    {
      preValidation: noSecretsInUrl,
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: `download ${DOWNLOAD_DOC}, not encrypted (POST to the same address to protect it with a passphrase)`,
        description: DOWNLOAD_HEADERS,
        params: ID_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { lang: { type: 'string', enum: [...LANGS] } } },
        response: { 200: { type: 'string', format: 'binary', description: 'application/zip' }, ...ERRORS },
      },
    },
    async (req, reply) => {
      const prep = await prepare(reply, req.params.id, langOf(req.params.id, req.query.lang), undefined);
      return prep === null ? reply : download(reply, prep);
    },
  );

  app.post<{ Params: { id: string }; Body: { passphrase?: string; lang?: string } | undefined }>(
    '/api/checks/:id/export',
    {
      preValidation: noSecretsInUrl,
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: `download ${DOWNLOAD_DOC}; with a passphrase every file is AES-256 encrypted`,
        description: DOWNLOAD_HEADERS,
        params: ID_PARAMS,
        body: { type: 'object', additionalProperties: false, properties: { passphrase: PASSPHRASE, lang: { type: 'string', enum: [...LANGS] } } },
        response: { 200: { type: 'string', format: 'binary', description: 'application/zip' }, ...ERRORS },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      const prep = await prepare(reply, req.params.id, langOf(req.params.id, body.lang), body.passphrase);
      return prep === null ? reply : download(reply, prep);
    },
  );

  app.get(
    '/api/export/drives',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: 'the removable drives (USB sticks, card readers) mounted on this machine, to write exports to',
        response: { 200: DRIVES_SCHEMA, ...ERRORS },
      },
    },
    async (): Promise<DrivesWire> => {
      const drives = detectDrives();
      return {
        drives,
        message: drives.length === 0 ? 'no USB drive is mounted: plug one in and wait until it is opened on the screen' : `${drives.length} drive(s) mounted`,
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { mountPoint: string; passphrase?: string; lang?: string } }>(
    '/api/checks/:id/export/usb',
    {
      preValidation: noSecretsInUrl,
      preHandler: deps.guard,
      schema: {
        tags: ['checks'],
        summary: 'write the ZIP of a check to a mounted USB drive as quietcheck-<date>-<id>.zip; the answer says exactly what was written where, or why nothing was',
        params: ID_PARAMS,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['mountPoint'],
          properties: {
            mountPoint: MOUNT_POINT,
            passphrase: PASSPHRASE,
            lang: { type: 'string', enum: [...LANGS] },
          },
        },
        response: { 201: WRITTEN_SCHEMA, ...ERRORS, 404: DRIVE_FAILURE_SCHEMA, 409: DRIVE_FAILURE_SCHEMA, 403: DRIVE_FAILURE_SCHEMA, 507: DRIVE_FAILURE_SCHEMA, 500: DRIVE_FAILURE_SCHEMA },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (deps.manager.get(id) === null) return sendError(reply, 404, 'not-found', 'no such check');
      // Said before a large archive is built for a drive that is not there.
      const early = pickDrive(req.body.mountPoint, null);
      if ('ok' in early) return sendDriveFailure(reply, early);
      const prep = await prepare(reply, id, langOf(id, req.body.lang), req.body.passphrase);
      if (prep === null) return reply;
      try {
        const r = await writeToDrive(prep, req.body.mountPoint);
        if (r.ok) {
          deps.log?.(`export: ${r.message}`);
          const { ok: _ok, ...rest } = r;
          return reply.code(201).send({ written: true, ...rest } satisfies WrittenWire);
        }
        deps.log?.(`export to ${r.mountPoint} not written: ${r.message}`);
        return sendDriveFailure(reply, r);
      } finally {
        prep.dispose();
      }
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
            mountPoint: MOUNT_POINT,
            lang: { type: 'string', enum: [...LANGS] },
          },
        },
        response: {
          201: WRITTEN_SCHEMA,
          ...KIOSK_REPORT_ERRORS,
          409: DRIVE_FAILURE_SCHEMA,
          404: DRIVE_FAILURE_SCHEMA,
          507: DRIVE_FAILURE_SCHEMA,
          500: DRIVE_FAILURE_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const f = finishedCheck(ctx, reply, req.params.id);
      if (f === null) return reply;
      // Said before Chromium prints a PDF for a drive that is not there.
      const early = pickDrive(req.body.mountPoint, null);
      if ('ok' in early) return sendDriveFailure(reply, early);
      const lang = reportLang(ctx, req.body.lang, f.c.lang);
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
          return sendDriveFailure(reply, r);
        }
        deps.log?.(`PDF report: ${r.message}`);
        const { ok: _ok, ...rest } = r;
        return reply.code(201).send({ written: true, ...rest } satisfies WrittenWire);
      } finally {
        prep.dispose();
      }
    },
  );
}
