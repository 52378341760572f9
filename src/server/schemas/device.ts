/** The wire shapes of device checks (a phone read over USB) and of the phones connected. */
import type { FromSchema } from 'json-schema-to-ts';

export const DEVICE_CHECK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'state', 'serial', 'lang', 'createdAt', 'finishedAt', 'progress', 'level', 'families', 'partial', 'error'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['device'] },
    state: { type: 'string', enum: ['collecting', 'analysing', 'done', 'failed'] },
    serial: { type: 'string' },
    lang: { type: 'string' },
    createdAt: { type: 'string' },
    finishedAt: { type: ['string', 'null'] },
    progress: { type: ['object', 'null'], additionalProperties: false, required: ['step', 'done', 'total'], properties: { step: { type: 'string' }, done: { type: 'integer' }, total: { type: 'integer' } } },
    level: { type: ['string', 'null'] },
    families: { type: 'array', items: { type: 'string' } },
    partial: { type: 'boolean' },
    error: { type: ['string', 'null'] },
  },
} as const;

export const PHONE_SCHEMA = { type: 'object', additionalProperties: false, required: ['serial', 'state', 'model', 'advice'], properties: { serial: { type: 'string' }, state: { type: 'string' }, model: { type: ['string', 'null'] }, advice: { type: 'string' } } } as const;

export type DeviceCheckWire = FromSchema<typeof DEVICE_CHECK_SCHEMA>;
export type PhoneWire = FromSchema<typeof PHONE_SCHEMA>;
