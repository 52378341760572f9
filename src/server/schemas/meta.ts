/** The wire shape of the service's own description. */
import type { FromSchema } from 'json-schema-to-ts';

export const HEALTH_SCHEMA = { type: 'object', additionalProperties: false, required: ['ok', 'version'], properties: { ok: { type: 'boolean' }, version: { type: 'string' } } } as const;

export type HealthWire = FromSchema<typeof HEALTH_SCHEMA>;
