/**
 * The wire shape of a traffic check (status answers, the SSE "status" event, the admin's list), declared
 * once: Fastify serialises and documents with these schemas, and the web UI's types are derived from them.
 */
import type { FromSchema } from 'json-schema-to-ts';

export const LIVE_SCHEMA = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['elapsedSeconds', 'packets', 'bytes', 'servers', 'deviceSeen', 'deviceAddress', 'series'],
  properties: {
    elapsedSeconds: { type: 'number' },
    packets: { type: 'integer' },
    bytes: { type: 'integer' },
    servers: { type: 'integer', description: 'distinct server addresses contacted' },
    deviceSeen: { type: 'boolean' },
    deviceAddress: { type: ['string', 'null'] },
    series: {
      type: 'array',
      description: 'packets and bytes per second, the last 60 seconds with traffic',
      items: { type: 'object', additionalProperties: false, required: ['t', 'packets', 'bytes'], properties: { t: { type: 'integer' }, packets: { type: 'integer' }, bytes: { type: 'integer' } } },
    },
  },
} as const;

export const CHECK_STATES = ['created', 'waiting-for-device', 'capturing', 'analysing', 'done', 'failed'] as const;
/** `inconclusive`: too little was recorded to say (never shown as the green tick). */
export const VERDICT_LEVELS = ['high', 'moderate', 'low', 'none', 'inconclusive'] as const;

const RECORD_REQUIRED = [
  'id', 'source', 'state', 'interface', 'device', 'durationSeconds', 'lang', 'createdAt', 'startedAt', 'stoppedAt', 'finishedAt',
  'packets', 'bytes', 'error', 'recovered', 'mode', 'deviceName', 'filter', 'result',
] as const;

export const CHECK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [...RECORD_REQUIRED, 'live'],
  properties: {
    id: { type: 'string' },
    source: { type: 'string', enum: ['live', 'upload', 'device'], description: 'device: a phone read over USB (its serial in device; its report at /api/device/checks/{id}/report)' },
    state: { type: 'string', enum: CHECK_STATES },
    interface: { type: ['string', 'null'] },
    device: { type: ['string', 'null'] },
    durationSeconds: { type: ['integer', 'null'] },
    lang: { type: 'string' },
    createdAt: { type: 'string' },
    startedAt: { type: ['string', 'null'] },
    stoppedAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
    packets: { type: 'integer' },
    bytes: { type: 'integer' },
    error: { type: ['string', 'null'] },
    recovered: { type: 'boolean' },
    mode: { type: 'string', enum: ['interface', 'hotspot', 'sinkhole'], description: 'how the phone was connected' },
    deviceName: { type: ['string', 'null'], description: 'the name the device gave in its DHCP request (hotspot modes)' },
    filter: { type: ['string', 'null'], description: 'the capture filter in force (hotspot modes: ether host <mac> once the device joined)' },
    result: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['level', 'families'],
      properties: { level: { type: 'string', enum: VERDICT_LEVELS }, families: { type: 'array', items: { type: 'string' } } },
    },
    live: LIVE_SCHEMA,
  },
} as const;

export const ADMIN_CHECK_SCHEMA = {
  ...CHECK_SCHEMA,
  required: [...CHECK_SCHEMA.required, 'indicatorHits'],
  properties: { ...CHECK_SCHEMA.properties, indicatorHits: { type: ['integer', 'null'], description: 'admin view only' } },
} as const;

/** A check's status without its live counters: the part serialised once per version of the stored record. */
const { live: _live, ...RECORD_PROPERTIES } = CHECK_SCHEMA.properties;
export const CHECK_RECORD_SCHEMA = { type: 'object', additionalProperties: false, required: RECORD_REQUIRED, properties: RECORD_PROPERTIES } as const;

export const RUNNING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['checks'],
  properties: {
    checks: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['id', 'state', 'createdAt'], properties: { id: { type: 'string' }, state: { type: 'string', enum: CHECK_STATES }, createdAt: { type: 'string' } } },
    },
  },
} as const;

export type CheckWire = FromSchema<typeof CHECK_SCHEMA>;
export type AdminCheckWire = FromSchema<typeof ADMIN_CHECK_SCHEMA>;
export type CheckRecordWire = FromSchema<typeof CHECK_RECORD_SCHEMA>;
export type LiveWire = NonNullable<FromSchema<typeof LIVE_SCHEMA>>;
export type RunningWire = FromSchema<typeof RUNNING_SCHEMA>;
