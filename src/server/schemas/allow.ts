/** The wire shapes of the admin's allow-list: its entries, what an entry would hide, what it hid in a check. */
import type { FromSchema } from 'json-schema-to-ts';

export const ALLOW_SCHEMA = {
  type: 'object',
  properties: { id: { type: 'integer' }, kind: { type: 'string' }, value: { type: 'string' }, note: { type: ['string', 'null'] }, createdAt: { type: 'string' } },
} as const;

/** An indicator an allow entry would hide. */
export const HIDDEN_SCHEMA = {
  type: 'object',
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
  properties: {
    error: { type: 'string', const: 'hides-indicators' },
    message: { type: 'string' },
    value: { type: 'string', description: 'the entry as it would be saved' },
    families: { type: 'array', items: { type: 'string' } },
    total: { type: 'integer', description: 'how many indicators it would hide' },
    hides: { type: 'array', items: HIDDEN_SCHEMA, description: 'the first 50, most severe first' },
  },
  required: ['error', 'message', 'families', 'hides', 'total'],
} as const;

/** A host an allow-list kept out of a finished check's findings although a feed lists it. */
export const HIDDEN_HOST_SCHEMA = {
  type: 'object',
  properties: {
    host: { type: 'string' },
    allowedBy: { type: 'object', properties: { value: { type: 'string' }, feed: { type: 'string' } } },
    level: { type: 'string', enum: ['high', 'moderate', 'low'] },
    family: { type: ['string', 'null'] },
    families: { type: 'array', items: { type: 'string' } },
    silenced: { type: 'array', items: { type: 'string' } },
  },
} as const;

export type AllowEntryWire = FromSchema<typeof ALLOW_SCHEMA>;
export type AllowImpactWire = FromSchema<typeof CONFIRM_SCHEMA>;
export type HiddenHostWire = FromSchema<typeof HIDDEN_HOST_SCHEMA>;
