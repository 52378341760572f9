/**
 * What an analysis says about the capture file it read, declared once: the report's `meta.capture` on the
 * wire (the server's report schema uses this declaration) and the `capture` of an Analysis (its type is
 * derived from it). The engine's own account of the capture is `capture` in the facts (engine/facts-schema.ts).
 */
import type { FromSchema } from 'json-schema-to-ts';

const TEXT_OR_NULL = { type: ['string', 'null'] } as const;

export const CAPTURE_SUMMARY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'sha256', 'fileBytes', 'durationSeconds', 'packets', 'bytes', 'firstSeen', 'lastSeen'],
  properties: {
    name: { type: 'string', description: "the file's name only: a full path can reveal a helper's or survivor's user name" },
    sha256: { type: 'string', description: 'SHA-256 of the capture file, lower-case hex' },
    fileBytes: { type: 'integer', description: 'size of the capture file' },
    durationSeconds: { type: 'number', description: 'time from the first packet to the last' },
    packets: { type: 'integer', description: 'packets read' },
    bytes: { type: 'integer', description: 'bytes of packet data read' },
    firstSeen: { ...TEXT_OR_NULL, description: 'time of the first packet, ISO 8601 in UTC; null without packets' },
    lastSeen: { ...TEXT_OR_NULL, description: 'time of the last packet, ISO 8601 in UTC; null without packets' },
  },
} as const;

export type CaptureSummary = FromSchema<typeof CAPTURE_SUMMARY_SCHEMA>;
