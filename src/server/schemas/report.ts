/**
 * The wire shape of the JSON report (GET /api/checks/{id}/report?format=json, `analyze --format json`).
 * The route sends the report as rendered and cached, so Fastify does not serialise it with this schema;
 * the JSON report's type is held to it at compile time and real reports are validated against it in tests.
 * Tools rely on this shape: add fields, never rename.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { CAPTURE_SUMMARY_SCHEMA } from '../../analysis/capture-summary.js';
import { VERDICT_LEVELS } from './checks.js';

const LEVEL = { type: 'string', enum: ['high', 'moderate', 'low'] } as const;
const STRINGS = { type: 'array', items: { type: 'string' } } as const;
const TEXT_OR_NULL = { type: ['string', 'null'] } as const;


/** A feed entry, with where in the feed it was written. */
export const INDICATOR_REF_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'kind', 'family', 'tag', 'feed', 'feedVersion', 'source'],
  properties: { value: { type: 'string' }, kind: { type: 'string' }, family: TEXT_OR_NULL, tag: TEXT_OR_NULL, feed: { type: 'string' }, feedVersion: TEXT_OR_NULL, source: { type: 'string' } },
} as const;

/** The allow-list entry (and its list) that matched a host. */
export const ALLOW_REF_SCHEMA = { type: 'object', additionalProperties: false, required: ['value', 'feed'], properties: { value: { type: 'string' }, feed: { type: 'string' } } } as const;

/** A host kept out of the findings by an allow-list; `level` and `families` say what it would have been. */
export const ALLOWED_HOST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'allowedBy', 'silenced', 'level', 'family', 'families', 'indicators'],
  properties: {
    host: { type: 'string' },
    allowedBy: ALLOW_REF_SCHEMA,
    silenced: { ...STRINGS, description: 'rule ids that would have fired without the allow-list' },
    level: { type: ['string', 'null'], enum: ['high', 'moderate', 'low', null], description: 'null when only heuristics were silenced' },
    family: TEXT_OR_NULL,
    families: STRINGS,
    indicators: { type: 'array', items: INDICATOR_REF_SCHEMA },
  },
} as const;

const EVIDENCE = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'ts', 'text'],
  properties: {
    kind: { type: 'string', enum: ['dns', 'connection', 'tls', 'quic', 'http', 'certificate', 'dhcp', 'payload', 'timing', 'app', 'setting'] },
    ts: TEXT_OR_NULL,
    text: { type: 'string' },
    fact: { description: 'the fact itself, for tools that want more than the text' },
  },
} as const;

const APP = {
  type: 'object',
  additionalProperties: false,
  required: ['uid', 'package', 'name'],
  properties: { uid: { type: 'integer' }, package: TEXT_OR_NULL, name: TEXT_OR_NULL },
} as const;

export const FINDING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'level', 'title', 'explanation', 'host', 'family', 'indicator', 'evidence', 'params', 'alsoAllowedBy', 'listings'],
  properties: {
    id: { type: 'string' },
    level: LEVEL,
    title: { type: 'string' },
    explanation: { type: 'string' },
    host: { type: 'string' },
    family: TEXT_OR_NULL,
    indicator: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['value', 'kind', 'feed', 'feedVersion', 'family', 'tag', 'source', 'feedDate'],
      properties: {
        value: { type: 'string' }, kind: { type: 'string' }, feed: { type: 'string' }, feedVersion: TEXT_OR_NULL, family: TEXT_OR_NULL, tag: TEXT_OR_NULL,
        source: { type: 'string' }, feedDate: TEXT_OR_NULL,
      },
    },
    evidence: { type: 'array', items: EVIDENCE },
    params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
    alsoAllowedBy: { ...ALLOW_REF_SCHEMA, type: ['object', 'null'] },
    listings: { type: 'array', items: INDICATOR_REF_SCHEMA },
    apps: { type: 'array', items: APP },
    madeBy: STRINGS,
  },
} as const;

export const FEED_SUMMARY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'date', 'indicators', 'rules', 'list', 'source', 'lastError'],
  properties: {
    name: { type: 'string' },
    version: TEXT_OR_NULL,
    date: TEXT_OR_NULL,
    indicators: { type: 'integer' },
    rules: { type: 'integer' },
    list: { type: 'string', enum: ['block', 'allow'] },
    source: { type: 'string' },
    lastError: TEXT_OR_NULL,
  },
} as const;

/** Declared with the analysis it describes; the wire shape is that declaration. */
export { CAPTURE_SUMMARY_SCHEMA };

export const REPORT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict', 'findings', 'allowed', 'facts', 'help', 'meta'],
  properties: {
    verdict: {
      type: 'object',
      additionalProperties: false,
      required: ['level', 'families', 'summary', 'limits', 'notes'],
      properties: {
        level: { type: 'string', enum: VERDICT_LEVELS },
        families: STRINGS,
        summary: { type: 'string' },
        limits: STRINGS,
        notes: { ...STRINGS, description: 'the ids of the notes the verdict took into account (docs/rules.md), in order; those with words are `limits`, one for one' },
      },
    },
    findings: { type: 'array', items: FINDING_SCHEMA },
    allowed: { type: 'array', items: ALLOWED_HOST_SCHEMA },
    facts: { type: 'object', description: 'what the capture showed (connections, DNS, TLS, HTTP, DHCP…), as `quietcheck inspect --json` has it' },
    help: {
      type: 'object',
      additionalProperties: false,
      required: ['contact', 'helplines'],
      properties: { contact: { type: 'string' }, helplines: STRINGS },
    },
    meta: {
      type: 'object',
      additionalProperties: false,
      required: ['sha256', 'duration', 'packets', 'capture', 'feeds', 'language', 'version', 'generatedAt'],
      properties: {
        sha256: { type: 'string' },
        duration: { type: 'number' },
        packets: { type: 'integer' },
        capture: CAPTURE_SUMMARY_SCHEMA,
        feeds: { type: 'array', items: FEED_SUMMARY_SCHEMA },
        language: { type: 'string' },
        version: { type: 'string' },
        generatedAt: { type: 'string' },
      },
    },
  },
} as const;

export type ReportWire = FromSchema<typeof REPORT_SCHEMA>;
export type FindingWire = FromSchema<typeof FINDING_SCHEMA>;
export type AllowedHostWire = FromSchema<typeof ALLOWED_HOST_SCHEMA>;
export type FeedSummaryWire = FromSchema<typeof FEED_SUMMARY_SCHEMA>;
