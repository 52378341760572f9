/**
 * The indicator lists in the console: the stored lists, updating them (refusing a shrink unless the
 * admin accepts it) and their history, adding one by its https address, removing one with its
 * indicators, changing its role (block or allow), and adding the public default lists when the admin
 * asks for them (a fresh box has none; see consoleFeedConfigs).
 *
 * Adding is https only. `importFeed` also reads local files and folders, and `quietcheck serve` has no
 * test or development switch that would make reading server-side paths on behalf of a web request
 * acceptable, so a path (or plain http, or any other scheme) is refused here before it gets that far.
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { ConfigError, enableDefaultFeeds, loadFeedsConfig } from '../../config/feeds.js';
import { consoleFeedConfigs, removeFeedEverywhere, setFeedRole } from '../../indicators/feed-admin.js';
import { importFeed, updateFeeds } from '../../indicators/feeds.js';
import { FEED_FORMATS, FeedError, type FeedFormat } from '../../indicators/types.js';
import type { Store } from '../../store/store.js';
import { ERROR_SCHEMA, ERRORS, sendError } from '../errors.js';
import type { IndicatorCache } from '../../checks/indicator-cache.js';
import { FEED_HISTORY_SCHEMA, FEED_OUTCOME_SCHEMA, FEED_REMOVED_SCHEMA, FEED_ROLE_SCHEMA, FEED_SCHEMA } from '../schemas/feeds.js';
import type { FeedHistoryWire, FeedOutcomeWire, FeedRemovedWire, FeedRoleWire, FeedWire } from '../schemas/feeds.js';

/** The errors of the routes on one named list (no 409). */
const NAMED_ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA } as const;
const NAME_PARAMS = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[a-z0-9][a-z0-9._/-]*$' } },
  required: ['name'],
  additionalProperties: false,
} as const;

/** misp-api needs an API key from the environment, so it can only be configured in feeds.yaml. */
const ADDABLE_FORMATS = FEED_FORMATS.filter((f) => f !== 'misp-api');

export function registerFeedRoutes(app: FastifyInstance, deps: { store: Store; indicators: IndicatorCache; dataDir: string; admin: preHandlerHookHandler }): void {
  const { store, indicators, dataDir, admin } = deps;

  const failed = (reply: Parameters<typeof sendError>[0], err: unknown) => {
    if (err instanceof FeedError) return sendError(reply, 404, 'not-found', err.message);
    if (err instanceof ConfigError) return sendError(reply, 400, 'bad-config', err.message);
    throw err;
  };

  app.get('/api/admin/feeds', { preHandler: admin, schema: { tags: ['admin'], response: { 200: { type: 'array', items: FEED_SCHEMA }, ...ERRORS } } }, async (): Promise<FeedWire[]> => store.listFeeds());

  app.post<{ Body: { acceptShrink?: string[]; force?: boolean } | undefined }>(
    '/api/admin/feeds/update',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary:
          "update the indicator feeds configured in the data directory's feeds.yaml (the only outbound connections quietcheck makes); without a feeds.yaml only the lists already stored, so nothing online is added unasked (POST /api/admin/feeds/defaults adds the public lists). " +
          'A new version that holds no indicators or a fifth fewer than the stored set is refused (shrinkRefused, with both counts) unless its feed is named in acceptShrink',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            force: { type: 'boolean', description: 'check every feed now, even those checked within their refresh interval' },
            acceptShrink: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 }, description: 'feeds whose refused shrink the admin accepts, having seen the counts' },
          },
        },
        response: { 200: { type: 'array', items: FEED_OUTCOME_SCHEMA }, ...ERRORS },
      },
    },
    async (req): Promise<FeedOutcomeWire[]> => {
      const out = await updateFeeds(store, consoleFeedConfigs(store, dataDir), { acceptShrink: req.body?.acceptShrink ?? [], force: req.body?.force === true });
      indicators.invalidate();
      return out;
    },
  );

  app.get<{ Querystring: { feed?: string } }>(
    '/api/admin/feeds/history',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'every feed update attempt, newest first: counts before and after, refused and forced shrinks',
        querystring: { type: 'object', additionalProperties: false, properties: { feed: { type: 'string', maxLength: 200 } } },
        response: { 200: { type: 'array', items: FEED_HISTORY_SCHEMA }, ...ERRORS },
      },
    },
    async (req): Promise<FeedHistoryWire[]> => store.feedUpdates(req.query.feed),
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
        response: { 201: { type: 'array', items: FEED_OUTCOME_SCHEMA }, ...ERRORS, 422: ERROR_SCHEMA },
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
      return reply.code(201).send(out satisfies FeedOutcomeWire[]);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/admin/feeds/:name',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'remove a list and its indicators; a configured one is also switched off in feeds.yaml so the next update does not bring it back',
        params: NAME_PARAMS,
        response: { 200: FEED_REMOVED_SCHEMA, ...NAMED_ERRORS },
      },
    },
    async (req, reply) => {
      try {
        const r: FeedRemovedWire = removeFeedEverywhere(store, dataDir, req.params.name);
        indicators.invalidate();
        return r;
      } catch (err) {
        return failed(reply, err);
      }
    },
  );

  app.put<{ Params: { name: string }; Body: { list: 'block' | 'allow' } }>(
    '/api/admin/feeds/:name',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: "change a list's role: block (what it lists is reported) or allow (never reported); the next check uses it",
        params: NAME_PARAMS,
        body: { type: 'object', additionalProperties: false, required: ['list'], properties: { list: { type: 'string', enum: ['block', 'allow'] } } },
        response: { 200: FEED_ROLE_SCHEMA, ...NAMED_ERRORS },
      },
    },
    async (req, reply) => {
      try {
        setFeedRole(store, dataDir, req.params.name, req.body.list);
        indicators.invalidate();
        return { name: req.params.name, list: req.body.list } satisfies FeedRoleWire;
      } catch (err) {
        return failed(reply, err);
      }
    },
  );

  app.post(
    '/api/admin/feeds/defaults',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: "add the public lists (Echap's stalkerware indicators, TinyCheck's) to this box and download them: needs the Internet",
        response: { 200: { type: 'array', items: FEED_OUTCOME_SCHEMA }, ...NAMED_ERRORS },
      },
    },
    async (_req, reply) => {
      try {
        enableDefaultFeeds(dataDir);
      } catch (err) {
        return failed(reply, err);
      }
      const out: FeedOutcomeWire[] = await updateFeeds(store, loadFeedsConfig(dataDir));
      indicators.invalidate();
      return out;
    },
  );
}
