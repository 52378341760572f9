/**
 * Admin routes for the indicator lists beyond list/update: search any value across the
 * indicators in force, and add a list by its https address.
 *
 * Adding is https only. `importFeed` also reads local files and folders, and `quietcheck serve` has no
 * test or development switch that would make reading server-side paths on behalf of a web request
 * acceptable, so a path (or plain http, or any other scheme) is refused here before it gets that far.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importFeed } from '../indicators/feeds.js';
import { FEED_FORMATS, FeedError, type FeedFormat } from '../indicators/types.js';
import type { Store } from '../store/store.js';
import { ERROR_SCHEMA, sendError } from './errors.js';
import type { IndicatorCache } from '../checks/indicator-cache.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA } as const;

/** misp-api needs an API key from the environment, so it can only be configured in feeds.yaml. */
const ADDABLE_FORMATS = FEED_FORMATS.filter((f) => f !== 'misp-api');

const MATCH_SCHEMA = {
  type: 'object',
  properties: {
    value: { type: 'string', description: 'the indicator as stored: the value itself, a parent domain or a network containing it' },
    kind: { type: 'string' },
    family: { type: ['string', 'null'] },
    tag: { type: ['string', 'null'] },
    feed: { type: 'string' },
    feedVersion: { type: ['string', 'null'] },
    source: { type: 'string', description: 'where in the feed the entry comes from' },
    list: { type: 'string', enum: ['block', 'allow'] },
    how: { type: 'string', enum: ['exact', 'parent', 'prefix'] },
    allowed: { type: 'boolean', description: 'the searched value is on an allow-list' },
  },
} as const;

const OUTCOME_SCHEMA = {
  type: 'object',
  properties: {
    feed: { type: 'string' },
    status: { type: 'string' },
    version: { type: ['string', 'null'] },
    indicators: { type: 'integer' },
    rules: { type: 'integer' },
    error: { type: ['string', 'null'] },
  },
} as const;

export interface AdminExtraOptions {
  store: Store;
  indicators: IndicatorCache;
  admin: Guard;
}

export function registerAdminExtraRoutes(app: FastifyInstance, o: AdminExtraOptions): void {
  const { store, indicators, admin } = o;

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
        response: { 200: { type: 'object', properties: { query: { type: 'string' }, matches: { type: 'array', items: MATCH_SCHEMA } } }, ...ERRORS },
      },
    },
    async (req) => {
      const q = req.query.q;
      const matches = indicators.get().indicators.search(q);
      const seen = new Set<string>();
      const out: Record<string, unknown>[] = [];
      for (const m of matches) {
        const key = `${m.feed}\u0000${m.kind}\u0000${m.value}\u0000${m.source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ value: m.value, kind: m.kind, family: m.family, tag: m.tag, feed: m.feed, feedVersion: m.feedVersion, source: m.source, list: m.list, how: m.how, allowed: m.allowed });
      }
      return { query: q, matches: out };
    },
  );

  app.post<{ Body: { url: string; format?: FeedFormat; list?: 'block' | 'allow'; name?: string; local?: boolean } }>(
    '/api/admin/feeds',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'add (or replace) an indicator list from an https address; "update now" keeps it current afterwards',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 9, maxLength: 2048, pattern: '^[Hh][Tt][Tt][Pp][Ss]://', description: 'https only' },
            format: { type: 'string', enum: [...ADDABLE_FORMATS], description: 'guessed from the address and content when omitted' },
            list: { type: 'string', enum: ['block', 'allow'], description: "block or allow list; omitted: as the format is (TinyCheck's whitelist.json is an allow-list, the rest block lists)" },
            name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'default: import-<file name>' },
            local: { type: 'boolean', description: "the list's server is on this machine or the local network, on purpose (a local mirror); otherwise such addresses are refused" },
          },
        },
        response: { 201: { type: 'array', items: OUTCOME_SCHEMA }, ...ERRORS, 422: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const { url, format, list, name, local } = req.body;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return sendError(reply, 400, 'bad-url', `${url} is not a valid address`);
      }
      if (parsed.protocol !== 'https:') return sendError(reply, 400, 'bad-url', 'only https:// addresses are accepted');
      if (parsed.username || parsed.password) return sendError(reply, 400, 'bad-url', 'addresses with a user name or password are not accepted');
      const before = new Set(store.listFeeds().map((f) => f.name));
      let out;
      try {
        out = await importFeed(store, parsed.toString(), { ...(format ? { format } : {}), ...(name ? { name } : {}), ...(list ? { list } : {}), local: local === true });
      } catch (err) {
        if (err instanceof FeedError) return sendError(reply, 422, 'feed-failed', err.message);
        throw err;
      }
      const first = out[0];
      if (first === undefined || first.status === 'failed') {
        // A list that never loaded is not kept: a mistyped address should not linger as a failing feed.
        if (first !== undefined && !before.has(first.feed)) store.removeFeed(first.feed);
        indicators.invalidate();
        return sendError(reply, 422, 'feed-failed', first?.error ?? 'the list could not be loaded');
      }
      indicators.invalidate();
      return reply.code(201).send(out.map((r) => ({ feed: r.feed, status: r.status, version: r.version, indicators: r.indicators, rules: r.rules, error: r.error })));
    },
  );
}
