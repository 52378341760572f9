/**
 * Export routes: a check as a ZIP, downloaded or written to a mounted USB drive, optionally AES-256
 * encrypted. A passphrase only ever travels in a POST body: URLs end up in logs, browser history and
 * the kiosk's address bar.
 */
import { open } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CheckManager } from '../checks/manager.js';
import { ExportError, prepareExport, removeStaleExports, type PreparedExport } from '../export/archive.js';
import { detectDrives } from '../export/drives.js';
import { pickDrive, writeToDrive } from '../export/usb.js';
import { MAX_PASSPHRASE, MIN_PASSPHRASE } from '../export/zip.js';
import { isLang, LANGS, type Lang } from '../report/i18n/index.js';
import { ERROR_SCHEMA, ID_PARAMS, sendError } from './errors.js';
import { EXPORT_STATUS, FAILURE_STATUS } from './export-status.js';
import type { ReportCache } from './reports.js';

export interface ExportRouteDeps {
  manager: CheckManager;
  reports: ReportCache;
  dataDir: string;
  lang: Lang;
  /** The access check export routes share with the other kiosk routes. */
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  log?: (msg: string) => void;
}

/** Archives being built at once: each holds a copy of a capture in the data directory. */
const MAX_CONCURRENT = 2;

const PASSPHRASE = {
  type: 'string',
  minLength: MIN_PASSPHRASE,
  maxLength: MAX_PASSPHRASE,
  description: `protects every file with AES-256 (WinZip AE-2, opened by 7-Zip and most archive tools); at least ${MIN_PASSPHRASE} characters`,
} as const;

const ENTRIES = { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, bytes: { type: 'integer' } } } } as const;
const SKIPPED = { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, reason: { type: 'string' } } } } as const;

const DRIVE_SCHEMA = {
  type: 'object',
  properties: {
    mountPoint: { type: 'string' },
    device: { type: 'string' },
    disk: { type: 'string' },
    fsType: { type: 'string' },
    label: { type: ['string', 'null'] },
    readOnly: { type: 'boolean' },
    freeBytes: { type: ['integer', 'null'] },
    totalBytes: { type: ['integer', 'null'] },
    why: { type: 'string', enum: ['removable', 'usb'] },
  },
} as const;

const DRIVE_FAILURE_SCHEMA = {
  type: 'object',
  description: 'nothing was written; `error` says why: no-drive, not-mounted, read-only, full, too-large-for-drive, permission-denied, write-failed',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    mountPoint: { type: 'string' },
    needBytes: { type: 'integer' },
    freeBytes: { type: ['integer', 'null'] },
    drives: { type: 'array', items: { type: 'string' } },
  },
  required: ['error', 'message'],
} as const;

const WRITTEN_SCHEMA = {
  type: 'object',
  properties: {
    written: { type: 'boolean', const: true },
    path: { type: 'string', description: 'the file, as the drive is mounted on this machine' },
    fileName: { type: 'string' },
    mountPoint: { type: 'string' },
    device: { type: 'string' },
    label: { type: ['string', 'null'] },
    bytes: { type: 'integer' },
    sha256: { type: 'string' },
    encrypted: { type: 'boolean' },
    replaced: { type: 'boolean' },
    entries: ENTRIES,
    skipped: SKIPPED,
    freeBytesAfter: { type: ['integer', 'null'] },
    message: { type: 'string' },
  },
} as const;

const ERRORS = { 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 429: ERROR_SCHEMA, 503: ERROR_SCHEMA, 507: ERROR_SCHEMA } as const;

export async function registerExportRoutes(app: FastifyInstance, deps: ExportRouteDeps): Promise<void> {
  removeStaleExports(deps.dataDir);
  let building = 0;

  const langOf = (id: string, asked: string | undefined): Lang => {
    if (asked !== undefined && isLang(asked)) return asked;
    const c = deps.manager.get(id);
    return c !== null && isLang(c.lang) ? c.lang : deps.lang;
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
        response: { 200: { type: 'object', properties: { drives: { type: 'array', items: DRIVE_SCHEMA }, message: { type: 'string' } } }, ...ERRORS },
      },
    },
    async () => {
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
            mountPoint: { type: 'string', minLength: 1, maxLength: 4096, description: 'one of the mountPoint values of GET /api/export/drives' },
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
      if ('ok' in early) {
        const { ok: _ok, reason, ...rest } = early;
        return reply.code(FAILURE_STATUS[reason]).type('application/json; charset=utf-8').send({ error: reason, ...rest });
      }
      const prep = await prepare(reply, id, langOf(id, req.body.lang), req.body.passphrase);
      if (prep === null) return reply;
      try {
        const r = await writeToDrive(prep, req.body.mountPoint);
        if (r.ok) {
          deps.log?.(`export: ${r.message}`);
          const { ok: _ok, ...rest } = r;
          return reply.code(201).send({ written: true, ...rest });
        }
        deps.log?.(`export to ${r.mountPoint} not written: ${r.message}`);
        const { ok: _ok, reason, ...rest } = r;
        return reply.code(FAILURE_STATUS[reason]).type('application/json; charset=utf-8').send({ error: reason, ...rest });
      } finally {
        prep.dispose();
      }
    },
  );
}
