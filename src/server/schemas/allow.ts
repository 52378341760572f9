/** The wire shapes of the admin's allow-list: its entries, what an entry would hide, what it hid in a check. */
import type { FromSchema } from 'json-schema-to-ts';
import { ALLOW_REF_SCHEMA, INDICATOR_REF_SCHEMA } from './report.js';

export const ALLOW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'value', 'note', 'createdAt'],
  properties: { id: { type: 'integer' }, kind: { type: 'string', enum: ['domain', 'ip', 'cidr'] }, value: { type: 'string' }, note: { type: ['string', 'null'] }, createdAt: { type: 'string' } },
} as const;

/** An indicator an allow entry would hide. */
export const HIDDEN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'kind', 'family', 'tag', 'feed', 'level'],
  properties: {
    value: { type: 'string' },
    kind: { type: 'string' },
    family: { type: ['string', 'null'] },
    tag: { type: ['string', 'null'] },
    feed: { type: 'string' },
    level: { type: 'string', enum: ['high', 'moderate', 'low'] },
  },
} as const;

/** The 409 answer to an entry that would hide indicators. */
export const CONFIRM_SCHEMA = {
  type: 'object',
  description: 'the entry would hide indicators on the loaded lists: send the same request with confirm: true to save it anyway',
  additionalProperties: false,
  properties: {
    error: { type: 'string', const: 'hides-indicators' },
    message: { type: 'string' },
    value: { type: 'string', description: 'the entry as it would be saved' },
    families: { type: 'array', items: { type: 'string' } },
    total: { type: 'integer', description: 'how many indicators it would hide' },
    hides: { type: 'array', items: HIDDEN_SCHEMA, description: 'the first 50, most severe first' },
  },
  required: ['error', 'message', 'value', 'families', 'hides', 'total'],
} as const;

/** A host an allow-list kept out of a finished check's findings although a feed lists it (as in the report, with a level). */
export const HIDDEN_HOST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'allowedBy', 'level', 'family', 'families', 'silenced', 'indicators'],
  properties: {
    host: { type: 'string' },
    allowedBy: ALLOW_REF_SCHEMA,
    level: { type: 'string', enum: ['high', 'moderate', 'low'] },
    family: { type: ['string', 'null'] },
    families: { type: 'array', items: { type: 'string' } },
    silenced: { type: 'array', items: { type: 'string' } },
    indicators: { type: 'array', items: INDICATOR_REF_SCHEMA, description: 'the feed entries whose findings the allow-list hid' },
  },
} as const;

export type AllowEntryWire = FromSchema<typeof ALLOW_SCHEMA>;
export type AllowImpactWire = FromSchema<typeof CONFIRM_SCHEMA>;
export type HiddenHostWire = FromSchema<typeof HIDDEN_HOST_SCHEMA>;
