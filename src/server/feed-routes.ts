import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { ConfigError, enableDefaultFeeds, loadFeedsConfig } from '../config/feeds.js';
import { removeFeedEverywhere, setFeedRole } from '../indicators/feed-admin.js';
import { updateFeeds } from '../indicators/feeds.js';
import { FeedError } from '../indicators/types.js';
import type { Store } from '../store/store.js';
import { ERROR_SCHEMA, sendError } from './errors.js';
import type { IndicatorCache } from '../checks/indicator-cache.js';

/**
 * Lists in the console: remove one with its indicators, change its role (block or allow), and add
 * the public default lists when the admin asks for them (a fresh box has none; see consoleFeedConfigs).
 */

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA } as const;
const NAME_PARAMS = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[a-z0-9][a-z0-9._/-]*$' } },
  required: ['name'],
  additionalProperties: false,
} as const;

export function registerFeedRoutes(app: FastifyInstance, deps: { store: Store; indicators: IndicatorCache; dataDir: string; admin: preHandlerHookHandler }): void {
  const { store, indicators, dataDir, admin } = deps;

  const failed = (reply: Parameters<typeof sendError>[0], err: unknown) => {
    if (err instanceof FeedError) return sendError(reply, 404, 'not-found', err.message);
    if (err instanceof ConfigError) return sendError(reply, 400, 'bad-config', err.message);
    throw err;
  };

  app.delete<{ Params: { name: string } }>(
    '/api/admin/feeds/:name',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'remove a list and its indicators; a configured one is also switched off in feeds.yaml so the next update does not bring it back',
        params: NAME_PARAMS,
        response: { 200: { type: 'object', properties: { removed: { type: 'array', items: { type: 'string' } }, disabledInConfig: { type: 'boolean' } } }, ...ERRORS },
      },
    },
    async (req, reply) => {
      try {
        const r = removeFeedEverywhere(store, dataDir, req.params.name);
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
        response: { 200: { type: 'object', properties: { name: { type: 'string' }, list: { type: 'string' } } }, ...ERRORS },
      },
    },
    async (req, reply) => {
      try {
        setFeedRole(store, dataDir, req.params.name, req.body.list);
        indicators.invalidate();
        return { name: req.params.name, list: req.body.list };
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
        response: {
          200: { type: 'array', items: { type: 'object', properties: { feed: { type: 'string' }, status: { type: 'string' }, indicators: { type: 'integer' }, error: { type: ['string', 'null'] } } } },
          ...ERRORS,
        },
      },
    },
    async (_req, reply) => {
      try {
        enableDefaultFeeds(dataDir);
      } catch (err) {
        return failed(reply, err);
      }
      const out = await updateFeeds(store, loadFeedsConfig(dataDir));
      indicators.invalidate();
      return out;
    },
  );
}
