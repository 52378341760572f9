/** The wire shapes of the indicator lists in the admin console: stored lists, updates, their history. */
import type { FromSchema } from 'json-schema-to-ts';

export const FEED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'url', 'format', 'list', 'version', 'fetchedAt', 'lastError', 'indicatorCount'],
  properties: {
    name: { type: 'string' }, url: { type: 'string' }, format: { type: 'string' }, list: { type: 'string' }, version: { type: ['string', 'null'] },
    fetchedAt: { type: ['string', 'null'] }, lastError: { type: ['string', 'null'] }, indicatorCount: { type: 'integer' },
  },
} as const;

/** One feed's outcome of an update, of adding the public lists, or of adding a list by address. */
export const FEED_OUTCOME_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['feed', 'status', 'version', 'indicators', 'rules', 'error', 'previousCount', 'offeredCount', 'shrinkRefused', 'forced'],
  properties: {
    feed: { type: 'string' }, status: { type: 'string' }, version: { type: ['string', 'null'] }, indicators: { type: 'integer' }, rules: { type: 'integer' }, error: { type: ['string', 'null'] },
    previousCount: { type: ['integer', 'null'], description: 'indicators and rules stored before this update' },
    offeredCount: { type: ['integer', 'null'], description: 'indicators and rules the downloaded version holds' },
    shrinkRefused: { type: 'boolean' }, forced: { type: 'boolean' },
  },
} as const;

export const FEED_HISTORY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['feed', 'at', 'outcome', 'previousCount', 'newCount', 'version', 'reason'],
  properties: {
    feed: { type: 'string' }, at: { type: 'string' }, outcome: { type: 'string' }, previousCount: { type: 'integer' },
    newCount: { type: ['integer', 'null'] }, version: { type: ['string', 'null'] }, reason: { type: ['string', 'null'] },
  },
} as const;

export const FEED_REMOVED_SCHEMA = { type: 'object', additionalProperties: false, required: ['removed', 'disabledInConfig'], properties: { removed: { type: 'array', items: { type: 'string' } }, disabledInConfig: { type: 'boolean' } } } as const;

export const FEED_ROLE_SCHEMA = { type: 'object', additionalProperties: false, required: ['name', 'list'], properties: { name: { type: 'string' }, list: { type: 'string' } } } as const;

export type FeedWire = FromSchema<typeof FEED_SCHEMA>;
export type FeedOutcomeWire = FromSchema<typeof FEED_OUTCOME_SCHEMA>;
export type FeedHistoryWire = FromSchema<typeof FEED_HISTORY_SCHEMA>;
export type FeedRemovedWire = FromSchema<typeof FEED_REMOVED_SCHEMA>;
export type FeedRoleWire = FromSchema<typeof FEED_ROLE_SCHEMA>;
