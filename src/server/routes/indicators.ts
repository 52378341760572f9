/** The admin's search of any value across the indicators in force, allow-lists included. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_SCHEMA } from '../errors.js';
import type { IndicatorCache } from '../../checks/indicator-cache.js';
import { SEARCH_SCHEMA, type IndicatorMatchWire, type SearchWire } from '../schemas/indicators.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA } as const;

export interface IndicatorRoutesOptions {
  indicators: IndicatorCache;
  admin: Guard;
}

export function registerIndicatorRoutes(app: FastifyInstance, o: IndicatorRoutesOptions): void {
  const { indicators, admin } = o;

  app.get<{ Querystring: { q: string } }>(
    '/api/admin/indicators/search',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'everything the indicators in force say about a domain, IP address or network, URL, hash or app package, allow-lists included',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['q'],
          properties: { q: { type: 'string', minLength: 1, maxLength: 512 } },
        },
        response: { 200: SEARCH_SCHEMA, ...ERRORS },
      },
    },
    async (req): Promise<SearchWire> => {
      const q = req.query.q;
      const matches = indicators.get().indicators.search(q);
      const seen = new Set<string>();
      const out: IndicatorMatchWire[] = [];
      for (const m of matches) {
        const key = `${m.feed}\u0000${m.kind}\u0000${m.value}\u0000${m.source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ value: m.value, kind: m.kind, family: m.family, tag: m.tag, feed: m.feed, feedVersion: m.feedVersion, source: m.source, list: m.list, how: m.how, allowed: m.allowed });
      }
      return { query: q, matches: out };
    },
  );
}
