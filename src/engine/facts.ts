/**
 * The types of the facts the engine publishes (`quietcheck inspect --json`), derived from their one
 * declaration, the JSON Schema in facts-schema.ts: change a field there, with its description, and these follow.
 * Later stages and outside tools rely on the shape: add fields, never rename.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type {
  APP_FACT_SCHEMA, CAPTURE_FACTS_SCHEMA, CERTIFICATE_FACT_SCHEMA, CONNECTION_FACT_SCHEMA, DHCP_FACT_SCHEMA, DNS_ANSWER_FACT_SCHEMA,
  DNS_FACT_SCHEMA, FACTS_SCHEMA, HTTP_FACT_SCHEMA, PAYLOAD_HEAD_FACT_SCHEMA, QUIC_FACT_SCHEMA, TLS_FACT_SCHEMA,
} from './facts-schema.js';

export type CaptureFacts = FromSchema<typeof CAPTURE_FACTS_SCHEMA>;
export type ConnectionFact = FromSchema<typeof CONNECTION_FACT_SCHEMA>;
export type ConnProto = ConnectionFact['proto'];
export type AppFact = FromSchema<typeof APP_FACT_SCHEMA>;
export type DnsAnswerFact = FromSchema<typeof DNS_ANSWER_FACT_SCHEMA>;
export type DnsFact = FromSchema<typeof DNS_FACT_SCHEMA>;
export type CertificateFact = FromSchema<typeof CERTIFICATE_FACT_SCHEMA>;
export type TlsFact = FromSchema<typeof TLS_FACT_SCHEMA>;
export type QuicFact = FromSchema<typeof QUIC_FACT_SCHEMA>;
export type HttpFact = FromSchema<typeof HTTP_FACT_SCHEMA>;
export type DhcpFact = FromSchema<typeof DHCP_FACT_SCHEMA>;
export type PayloadHeadFact = FromSchema<typeof PAYLOAD_HEAD_FACT_SCHEMA>;
export type Facts = FromSchema<typeof FACTS_SCHEMA>;
