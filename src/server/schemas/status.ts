/** The wire shape of the admin's status page: disk, storage, wrong passwords, indicators in force. */
import type { FromSchema } from 'json-schema-to-ts';

export const STATUS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['disk', 'storage', 'wrongPasswords', 'indicators'],
  properties: {
    disk: {
      type: 'object',
      additionalProperties: false,
      required: ['path', 'freeBytes', 'totalBytes', 'largestCheckBytes', 'level', 'message'],
      properties: {
        path: { type: 'string', description: 'the data directory' },
        freeBytes: { type: 'integer', description: 'available to quietcheck (not counting blocks reserved for root)' },
        totalBytes: { type: 'integer' },
        largestCheckBytes: { type: 'integer', description: 'the capture of the largest check kept' },
        level: { type: 'string', enum: ['ok', 'warn', 'fail'], description: 'warn: less than twice the largest check (or 2 GiB) is free; fail: no check can start' },
        message: { type: 'string' },
      },
    },
    storage: {
      type: 'object',
      additionalProperties: false,
      required: ['checks', 'captureBytes', 'databaseBytes'],
      properties: {
        checks: { type: 'integer', description: 'checks kept, whatever their state' },
        captureBytes: { type: 'integer', description: 'the capture files of those checks' },
        databaseBytes: { type: 'integer', description: 'the SQLite database with its write-ahead log' },
      },
    },
    wrongPasswords: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'last', 'lockedClients'],
      description: 'wrong admin passwords (login and password change) since the server started: someone on this machine or network may be guessing',
      properties: { count: { type: 'integer' }, last: { type: ['string', 'null'] }, lockedClients: { type: 'integer' } },
    },
    indicators: {
      type: 'object',
      additionalProperties: false,
      required: ['total', 'families', 'newestUpdate', 'oldestUpdate', 'lists'],
      properties: {
        total: { type: 'integer', description: 'block-list indicators in force (allow-list entries not counted)' },
        families: {
          type: 'array',
          description: 'indicators per stalkerware family, most first; indicators naming no family are only in total',
          items: { type: 'object', additionalProperties: false, required: ['family', 'count'], properties: { family: { type: 'string' }, count: { type: 'integer' } } },
        },
        newestUpdate: { type: ['string', 'null'], description: 'when the most recently updated list in force was last fetched' },
        oldestUpdate: { type: ['string', 'null'], description: 'when the stalest list in force was last fetched' },
        lists: {
          type: 'object',
          additionalProperties: false,
          required: ['block', 'allow', 'failing', 'neverLoaded', 'configured'],
          description: 'what this box has and lacks: lists by role, those whose last update failed, and whether the admin ever chose lists (feeds.yaml)',
          properties: {
            block: { type: 'integer' },
            allow: { type: 'integer' },
            failing: { type: 'array', items: { type: 'string' } },
            neverLoaded: { type: 'array', items: { type: 'string' } },
            configured: { type: 'boolean' },
          },
        },
      },
    },
  },
} as const;

export type AdminStatusWire = FromSchema<typeof STATUS_SCHEMA>;
