/**
 * What every feed parser produces and what the matcher and the store keep. A parsed indicator is
 * independent of the feed it came from: the feed name and version are attached when a set is stored
 * or loaded, so the same parser serves `import`, `update` and the tests.
 */
import type { FeedFormat } from '../config/feed-formats.js';

export { FEED_FORMATS, isFeedFormat, type FeedFormat } from '../config/feed-formats.js';

/**
 * Kinds of indicator. Network analysis uses the first group today; the others are stored so a later
 * device check (installed packages, APK signatures, files) can use them without re-downloading feeds.
 */
export const NETWORK_KINDS = [
  'c2-domain', // where an infected phone talks to
  'website', // where the spyware is sold or downloaded: a visit is a lower-level finding
  'domain', // a domain of unknown role (TinyCheck, STIX, MISP, plain lists)
  'freedns', // a free dynamic-DNS zone: suspicious, not proof
  'ns', // a name server used by suspicious domains (TinyCheck): matched against NS answers
  'tld', // a whole top-level domain flagged as suspect (TinyCheck)
  'c2-ip',
  'ip',
  'cidr',
  'url',
  'tls-cert-sha1',
  'tls-cert-sha256',
  'ja3',
  'ja3s',
  'ja4',
] as const;

export const DEVICE_KINDS = [
  'app-id', // Android package name or iOS bundle id
  'apk-cert-sha1', // APK signing certificate, not a TLS certificate
  'apk-cert-sha256',
  'apk-cert-md5',
  'file-sha256',
  'file-sha1',
  'file-md5',
  'file-name',
  'file-path',
  'process-name',
  'email',
  'configuration-profile',
  'android-property',
  'yara-rule',
  'apk-sha256', // an APK file itself (Echap's samples.csv); STIX and MISP list the same hashes as file-sha256
] as const;

export type NetworkKind = (typeof NETWORK_KINDS)[number];
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type IndicatorKind = NetworkKind | DeviceKind;

export const ALL_KINDS: readonly IndicatorKind[] = [...NETWORK_KINDS, ...DEVICE_KINDS];

export function isIndicatorKind(s: string): s is IndicatorKind {
  return (ALL_KINDS as readonly string[]).includes(s);
}

/** Which lookup table a kind lives in; decides how values are normalised and matched. */
export type KindSpace = 'domain' | 'ip' | 'url' | 'other';

export function spaceOf(kind: IndicatorKind): KindSpace {
  switch (kind) {
    case 'c2-domain':
    case 'website':
    case 'domain':
    case 'freedns':
    case 'ns':
    case 'tld':
      return 'domain';
    case 'c2-ip':
    case 'ip':
    case 'cidr':
      return 'ip';
    case 'url':
      return 'url';
    default:
      return 'other';
  }
}

export interface ParsedIndicator {
  kind: IndicatorKind;
  /** Normalised: lower-case ASCII (punycode) domains, canonical IPs and CIDRs, lower-case hex hashes. */
  value: string;
  /** Spyware family or product (TheTruthSpy, Pegasus), null when the feed does not say. */
  family: string | null;
  /**
   * The feed's own category: Echap's stalkerware/watchware, TinyCheck's apt, stalkerware, spyware,
   * tracker, suspect, malicious, cybercrime, doh, dual-use, tor. Null when the feed has none.
   */
  tag: string | null;
  tlp: string | null;
  /** Where in the file the value came from (line, JSON path or object id), so a finding can be checked by hand. */
  source: string;
  /** Extra facts worth showing (a Suricata rule's msg and sid, a family's aliases). */
  meta?: Record<string, string>;
}

/** One `content` of a payload rule: bytes searched in the first bytes of a flow. */
export interface ContentMatch {
  bytes: Uint8Array;
  /** Start searching this many bytes into the payload. */
  offset: number;
  /** Search at most this many bytes from `offset`; null for no limit. */
  depth: number | null;
  nocase: boolean;
}

/**
 * A Suricata/Snort rule that inspects payload bytes, reduced to what the engine can evaluate on the
 * first bytes it keeps of each flow. Rules that only name a domain or an IP are turned into indicators
 * instead; rules using keywords outside this subset are counted and reported, never half-evaluated.
 */
export interface PayloadRule {
  proto: 'tcp' | 'udp' | 'ip';
  /** Address fields as written (`$HOME_NET`, `any`, `[1.2.3.4,!5.6.7.8]`): the engine knows which side is home. */
  src: string;
  dst: string;
  /** Port lists; null means any. */
  srcPorts: number[] | null;
  dstPorts: number[] | null;
  /** `flow:to_server` / `to_client`; null when the rule does not say. */
  direction: 'to_server' | 'to_client' | null;
  /** All must match, in order of appearance (Snort semantics without relative modifiers). */
  contents: ContentMatch[];
  msg: string;
  sid: number | null;
  family: string | null;
  tag: string | null;
  tlp: string | null;
  source: string;
}

/** The outcome of parsing one feed file: everything or an exception, never a partial set. */
export interface ParseResult {
  format: FeedFormat;
  indicators: ParsedIndicator[];
  rules: PayloadRule[];
  /**
   * Entries that were read but not turned into indicators, by reason (`stix:unknown-kind:x509-certificate:subject`,
   * `suricata:keyword:pcre`, `misp:type:link`): reported so nothing is dropped silently.
   */
  skipped: Record<string, number>;
  /** Feeds that reference other feeds (MVT's index) list them here; the updater fetches them. */
  references?: FeedReference[];
}

export interface FeedReference {
  name: string;
  url: string;
  format: FeedFormat;
}

/** A feed file that cannot be used as a whole. The message says what is wrong in words a helper can act on. */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

export function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** An indicator list as the report names it: users asked what a finding was based on and how fresh it was. */
export interface FeedSummary {
  name: string;
  version: string | null;
  /** ISO time the list was last known current (store: last successful check; file: its modification time). */
  date: string | null;
  indicators: number;
  rules: number;
  list: 'block' | 'allow';
  /** Where it came from: the feed URL or the file given with --indicators. */
  source: string;
  /** Why the last update failed (the stored older set was used), null when it did not. */
  lastError: string | null;
}
