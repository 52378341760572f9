import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { allowEntryRefusal, allowImpact } from '../../detect/allow-guard.js';
import type { CheckManager } from '../../checks/manager.js';
import type { AllowKind, Store } from '../../store/store.js';
import { ERROR_SCHEMA, ID_PARAMS, sendError } from '../errors.js';
import { normalizeAllowValue, type IndicatorCache } from '../../checks/indicator-cache.js';
import { ALLOW_SCHEMA, CONFIRM_SCHEMA, HIDDEN_HOST_SCHEMA, type AllowEntryWire, type AllowImpactWire, type HiddenHostWire } from '../schemas/allow.js';

/**
 * The admin's own allow-list. An entry silences every indicator no more specific than itself, so
 * adding one that would hide a known spyware server is answered 409 with the families and the
 * indicators it would hide, and saved only when the request says `confirm: true` after the admin
 * saw them. Entries covering everything (`0.0.0.0/0`, `::/0`, a bare top-level domain) are refused.
 */

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA } as const;
const NO_CONTENT = { type: 'null', description: 'done' } as const;

/** Indicator kinds too broad to ask about: a whole suspect TLD is a weak sign on its own. */
const NOT_ASKED = new Set(['tld']);

export function registerAllowRoutes(app: FastifyInstance, deps: { store: Store; indicators: IndicatorCache; manager: CheckManager; admin: preHandlerHookHandler }): void {
  const { store, indicators, manager, admin } = deps;

  app.get('/api/admin/allow-list', { preHandler: admin, schema: { tags: ['admin'], response: { 200: { type: 'array', items: ALLOW_SCHEMA }, ...ERRORS } } }, async (): Promise<AllowEntryWire[]> => store.listAllow());

  app.post<{ Body: { kind: AllowKind; value: string; note?: string; confirm?: boolean } }>(
    '/api/admin/allow-list',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary:
          'allow a domain (and its sub-domains), an address or a network: it is no longer reported as suspicious. An entry that would hide indicators on the loaded lists is answered 409 with what it would hide unless confirm is true.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'value'],
          properties: {
            kind: { type: 'string', enum: ['domain', 'ip', 'cidr'] },
            value: { type: 'string', minLength: 1, maxLength: 253 },
            note: { type: 'string', maxLength: 500 },
            confirm: { type: 'boolean', description: 'the admin saw what the entry would hide (the 409 answer) and wants it anyway' },
          },
        },
        response: { 201: ALLOW_SCHEMA, 409: CONFIRM_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply) => {
      const value = normalizeAllowValue(req.body.kind, req.body.value);
      if (value === null) return sendError(reply, 400, 'bad-value', `"${req.body.value}" is not a valid ${req.body.kind}`);
      const refusal = allowEntryRefusal(req.body.kind, value);
      if (refusal !== null) return sendError(reply, 400, 'too-broad', refusal);
      if (req.body.confirm !== true) {
        const impact = allowImpact(indicators.get().indicators, req.body.kind, value);
        const hides = impact.hides.filter((h) => !NOT_ASKED.has(h.kind));
        if (hides.length > 0) {
          const families = [...new Set(hides.map((h) => h.family).filter((f): f is string => !!f))].sort();
          const what = families.length ? `spyware servers of ${families.join(', ')}` : `${hides.length} indicator(s)`;
          return reply.code(409).send({
            error: 'hides-indicators',
            message: `allowing ${value} would hide ${what} from every later check; send confirm: true to allow it anyway`,
            value,
            families,
            total: hides.length,
            hides: hides.slice(0, 50),
          } satisfies AllowImpactWire);
        }
      }
      const entry = store.addAllow(req.body.kind, value, req.body.note ?? null);
      indicators.invalidate();
      return reply.code(201).send(entry satisfies AllowEntryWire);
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/admin/allow-list/:id',
    { preHandler: admin, schema: { tags: ['admin'], params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] }, response: { 204: NO_CONTENT, ...ERRORS } } },
    async (req, reply) => {
      if (!store.removeAllow(req.params.id)) return sendError(reply, 404, 'not-found', 'no such entry');
      indicators.invalidate();
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/admin/checks/:id/hidden',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: "what an allow-list kept out of a finished check's findings although a feed lists it (the admin's list of checks shows it next to the result)",
        params: ID_PARAMS,
        response: {
          200: { type: 'array', items: HIDDEN_HOST_SCHEMA },
          ...ERRORS,
          409: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const c = manager.get(req.params.id);
      if (c === null) return sendError(reply, 404, 'not-found', 'no such check');
      if (c.state !== 'done') return sendError(reply, 409, 'not-ready', `the check is ${c.state}`);
      const a = manager.analysis(c.id);
      if (a === null) return sendError(reply, 404, 'not-found', 'the report of this check is missing');
      return (a.allowed ?? []).filter((x): x is typeof x & HiddenHostWire => x.level !== null && x.level !== undefined);
    },
  );
}
