import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { isLang, LANGS, type Lang } from '../../i18n/index.js';
import { localHelpFor, MAX_CONTACT, MAX_HELPLINES, MAX_LINE, writeLocalHelp } from '../../store/local-help.js';
import type { Store } from '../../store/store.js';
import { ERROR_SCHEMA } from '../errors.js';
import { HELP_BY_LANG_SCHEMA, HELP_SCHEMA, type HelpByLangWire, type LocalHelpWire } from '../schemas/help.js';
import type { ReportCache } from '../reports.js';

/**
 * The service's own contact and helplines, per language: set in the console, read by the kiosk result
 * and printed in every report (rendered reports are dropped when they change, so none is out of date).
 */

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA } as const;

type Guard = preHandlerHookHandler | ((req: never, reply: never) => Promise<unknown>);

export function registerHelpRoutes(app: FastifyInstance, deps: { store: Store; reports: ReportCache; kiosk: Guard; admin: Guard; lang: Lang }): void {
  const { store, reports, lang: defaultLang } = deps;
  const kiosk = deps.kiosk as preHandlerHookHandler;
  const admin = deps.admin as preHandlerHookHandler;

  app.get<{ Querystring: { lang?: string } }>(
    '/api/kiosk/help',
    {
      preHandler: kiosk,
      schema: {
        tags: ['checks'],
        summary: "the service's contact and the helplines to show with a result, in a language (the kiosk result shows them)",
        querystring: { type: 'object', additionalProperties: false, properties: { lang: { type: 'string', enum: [...LANGS] } } },
        response: { 200: HELP_SCHEMA, ...ERRORS },
      },
    },
    async (req): Promise<LocalHelpWire> => localHelpFor(store, req.query.lang && isLang(req.query.lang) ? req.query.lang : defaultLang),
  );

  app.get(
    '/api/admin/help',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'what each language shows: the service contact and helplines set here, or the examples where none are set',
        response: { 200: HELP_BY_LANG_SCHEMA, ...ERRORS },
      },
    },
    async (): Promise<HelpByLangWire> => Object.fromEntries(LANGS.map((l) => [l, localHelpFor(store, l)])),
  );

  app.put<{ Body: { lang: Lang; contact: string; helplines: string[] } }>(
    '/api/admin/help',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: "set one language's service contact and helplines; empty values bring back the examples",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['lang', 'contact', 'helplines'],
          properties: {
            lang: { type: 'string', enum: [...LANGS] },
            contact: { type: 'string', maxLength: MAX_CONTACT },
            helplines: { type: 'array', maxItems: MAX_HELPLINES, items: { type: 'string', maxLength: MAX_LINE } },
          },
        },
        response: { 200: HELP_SCHEMA, ...ERRORS },
      },
    },
    async (req): Promise<LocalHelpWire> => {
      writeLocalHelp(store, req.body.lang, { contact: req.body.contact, helplines: req.body.helplines });
      reports.clear();
      return localHelpFor(store, req.body.lang);
    },
  );
}
