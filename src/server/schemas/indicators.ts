/** The wire shape of the admin's indicator search. */
import type { FromSchema } from 'json-schema-to-ts';

export const MATCH_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'kind', 'family', 'tag', 'feed', 'feedVersion', 'source', 'list', 'how', 'allowed'],
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

export const SEARCH_SCHEMA = { type: 'object', additionalProperties: false, required: ['query', 'matches'], properties: { query: { type: 'string' }, matches: { type: 'array', items: MATCH_SCHEMA } } } as const;

export type IndicatorMatchWire = FromSchema<typeof MATCH_SCHEMA>;
export type SearchWire = FromSchema<typeof SEARCH_SCHEMA>;
