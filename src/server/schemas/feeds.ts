/** The wire shapes of the indicator lists in the admin console: stored lists, updates, their history. */
import type { FromSchema } from 'json-schema-to-ts';

export const FEED_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' }, url: { type: 'string' }, format: { type: 'string' }, list: { type: 'string' }, version: { type: ['string', 'null'] },
    fetchedAt: { type: ['string', 'null'] }, lastError: { type: ['string', 'null'] }, indicatorCount: { type: 'integer' },
  },
} as const;

/** One feed's outcome of an update (POST /api/admin/feeds/update). */
export const FEED_UPDATE_SCHEMA = {
  type: 'object',
  properties: {
    feed: { type: 'string' }, status: { type: 'string' }, indicators: { type: 'integer' }, error: { type: ['string', 'null'] },
    previousCount: { type: ['integer', 'null'], description: 'indicators and rules stored before this update' },
    offeredCount: { type: ['integer', 'null'], description: 'indicators and rules the downloaded version holds' },
    shrinkRefused: { type: 'boolean' }, forced: { type: 'boolean' },
  },
} as const;

/** One feed's outcome when the public lists are added (POST /api/admin/feeds/defaults). */
export const FEED_DEFAULTS_SCHEMA = {
  type: 'object',
  properties: { feed: { type: 'string' }, status: { type: 'string' }, indicators: { type: 'integer' }, error: { type: ['string', 'null'] } },
} as const;

/** The outcome of adding a list by address (POST /api/admin/feeds). */
export const FEED_ADDED_SCHEMA = {
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

export const FEED_HISTORY_SCHEMA = {
  type: 'object',
  properties: {
    feed: { type: 'string' }, at: { type: 'string' }, outcome: { type: 'string' }, previousCount: { type: 'integer' },
    newCount: { type: ['integer', 'null'] }, version: { type: ['string', 'null'] }, reason: { type: ['string', 'null'] },
  },
} as const;

export const FEED_REMOVED_SCHEMA = { type: 'object', properties: { removed: { type: 'array', items: { type: 'string' } }, disabledInConfig: { type: 'boolean' } } } as const;

export const FEED_ROLE_SCHEMA = { type: 'object', properties: { name: { type: 'string' }, list: { type: 'string' } } } as const;

export type FeedWire = FromSchema<typeof FEED_SCHEMA>;
export type FeedUpdateWire = FromSchema<typeof FEED_UPDATE_SCHEMA>;
export type FeedDefaultsWire = FromSchema<typeof FEED_DEFAULTS_SCHEMA>;
export type FeedAddedWire = FromSchema<typeof FEED_ADDED_SCHEMA>;
export type FeedHistoryWire = FromSchema<typeof FEED_HISTORY_SCHEMA>;
export type FeedRemovedWire = FromSchema<typeof FEED_REMOVED_SCHEMA>;
export type FeedRoleWire = FromSchema<typeof FEED_ROLE_SCHEMA>;
