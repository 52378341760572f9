/** The wire shapes of exports: the drives to write to, what was written where, and why nothing was. */
import type { FromSchema } from 'json-schema-to-ts';

const ENTRIES = { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'bytes'], properties: { name: { type: 'string' }, bytes: { type: 'integer' } } } } as const;
const SKIPPED = { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'reason'], properties: { name: { type: 'string' }, reason: { type: 'string' } } } } as const;

export const DRIVE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['mountPoint', 'device', 'disk', 'fsType', 'label', 'readOnly', 'freeBytes', 'totalBytes', 'why'],
  properties: {
    mountPoint: { type: 'string' },
    device: { type: 'string' },
    disk: { type: 'string' },
    fsType: { type: 'string' },
    label: { type: ['string', 'null'] },
    readOnly: { type: 'boolean' },
    freeBytes: { type: ['integer', 'null'] },
    totalBytes: { type: ['integer', 'null'] },
    why: { type: 'string', enum: ['removable', 'usb'] },
  },
} as const;

export const DRIVES_SCHEMA = { type: 'object', additionalProperties: false, required: ['drives', 'message'], properties: { drives: { type: 'array', items: DRIVE_SCHEMA }, message: { type: 'string' } } } as const;

export const DRIVE_FAILURE_SCHEMA = {
  type: 'object',
  description: 'nothing was written; `error` says why: no-drive, not-mounted, read-only, full, too-large-for-drive, permission-denied, write-failed',
  additionalProperties: false,
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    mountPoint: { type: 'string' },
    needBytes: { type: 'integer' },
    freeBytes: { type: ['integer', 'null'] },
    drives: { type: 'array', items: { type: 'string' } },
  },
  required: ['error', 'message'],
} as const;

/** The evidence archive, or the PDF report alone, written to a drive. */
export const WRITTEN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['written', 'path', 'fileName', 'mountPoint', 'device', 'label', 'bytes', 'sha256', 'encrypted', 'replaced', 'entries', 'skipped', 'freeBytesAfter', 'message'],
  properties: {
    written: { type: 'boolean', const: true },
    path: { type: 'string', description: 'the file, as the drive is mounted on this machine' },
    fileName: { type: 'string' },
    mountPoint: { type: 'string' },
    device: { type: 'string' },
    label: { type: ['string', 'null'] },
    bytes: { type: 'integer' },
    sha256: { type: 'string' },
    encrypted: { type: 'boolean' },
    replaced: { type: 'boolean' },
    entries: ENTRIES,
    skipped: SKIPPED,
    freeBytesAfter: { type: ['integer', 'null'] },
    message: { type: 'string' },
  },
} as const;

export type DriveWire = FromSchema<typeof DRIVE_SCHEMA>;
export type DrivesWire = FromSchema<typeof DRIVES_SCHEMA>;
export type DriveFailureWire = FromSchema<typeof DRIVE_FAILURE_SCHEMA>;
export type WrittenWire = FromSchema<typeof WRITTEN_SCHEMA>;
