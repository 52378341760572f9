import type { Facts } from '../engine/facts.js';
import type { Indicators } from '../indicators/matcher.js';
import type { FeedSummary } from '../indicators/types.js';

/**
 * The contract between detection rules (facts + indicators → findings) and the report (findings →
 * verdict → words). Findings carry no prose: the report renders `finding.<id>.title` and
 * `finding.<id>.explanation` from the locale files with `params`, in the reader's language.
 */

export type Level = 'high' | 'moderate' | 'low';

/** The indicator that matched, with where it came from, so a report can say what a finding is based on. */
export interface IndicatorRef {
  value: string;
  kind: string;
  family: string | null;
  tag: string | null;
  feed: string;
  feedVersion: string | null;
  /** Where in the feed file (file:line, JSON path) the indicator was written. */
  source: string;
}

/** One observed fact behind a finding, with its time; `text` is a technical one-liner (not translated). */
export interface Evidence {
  kind: 'dns' | 'connection' | 'tls' | 'quic' | 'http' | 'certificate' | 'dhcp' | 'payload' | 'timing' | 'app' | 'setting';
  ts: string | null;
  text: string;
  /** The fact itself (a DNS entry, connection, TLS session…) for tools that want more than the text. */
  fact?: unknown;
}

/** An allow-list entry that matched the same host. */
export interface AllowRef {
  value: string;
  feed: string;
}

export interface Finding {
  /** Stable rule id: TinyCheck's where they exist (IOC-03, SSL-03, PROTO-05, ADV-01), ours otherwise. */
  id: string;
  level: Level;
  /** The name or address the finding is about; findings are grouped by it in reports. */
  host: string;
  family: string | null;
  indicator: IndicatorRef | null;
  /** Values substituted into the localised title and explanation. */
  params: Record<string, string | number>;
  evidence: Evidence[];
  /**
   * Set when an allow-list entry matched the host too but was less specific than the indicator
   * (e.g. allowed `amazonaws.com`, yet `pctattletalev2.s3.amazonaws.com` is a pcTattletale server).
   */
  alsoAllowedBy: AllowRef | null;
  /**
   * Every block-list entry that matched the name, when more than one feed had something to say or
   * precedence set one aside (ioc.ts `precedence`): which feed said what.
   */
  listings?: IndicatorRef[];
  /**
   * The apps on the phone that made the connections behind this finding, when the capture says
   * (PCAPdroid records it); absent otherwise.
   */
  apps?: AppRef[];
}

/** An Android app named by the capture: its user id, package name and label (either may be unknown). */
export interface AppRef {
  uid: number;
  package: string | null;
  name: string | null;
}

/** A host kept out of findings by an allow-list, listed in the report as allowed. */
export interface AllowedHost {
  host: string;
  allowedBy: AllowRef;
  /** Rule ids that would have fired without the allow-list. */
  silenced: string[];
  /** The level the most severe silenced indicator finding would have had; null when only heuristics were silenced. */
  level: Level | null;
  /** The family that finding names (else any silenced family), null when none. */
  family: string | null;
  /** Every family named by a silenced indicator finding. */
  families: string[];
  /** The feed entries whose findings the allow-list hid. */
  indicators: IndicatorRef[];
}

/** Thresholds and switches, all overridable from configuration. */
export interface DetectionConfig {
  /** Rule ids turned off. */
  disabled: string[];
  /** Issuers (substring of the issuer string, case-insensitive) counted as free certificate issuers (SSL-02). */
  freeIssuers: string[];
  /** Top-level domains treated as suspect (IOC-06), lower case without dot. */
  suspectTlds: string[];
  /** Ports considered standard for their service (PROTO-02/04, SSL-01). */
  standardTlsPorts: number[];
  standardHttpPorts: number[];
  /** Beaconing: at least this many contacts, with relative jitter (stddev / mean of intervals) at most this. */
  beaconMinContacts: number;
  beaconMaxJitter: number;
  /** Upload-heavy: bytes to server at least this, and at least `uploadRatio` times the bytes back. */
  uploadMinBytes: number;
  uploadRatio: number;
  /** The hotspot's SSID, when the check made one: seeing it in clear text is a finding. */
  hotspotName: string | null;
  /** Extra allow-listed names (the user's own allow-list), matched on label boundaries. */
  allowNames: string[];
  /** Beaconing: intervals shorter than this on average are a burst of page loads, not a schedule. */
  beaconMinPeriodSeconds: number;
  /** Beaconing: connections opened within this many seconds of each other count as one contact. */
  beaconBurstSeconds: number;
  /** Evidence items kept per finding; `params.evidenceCount` still counts them all. */
  maxEvidence: number;
  /** TCP ports of services every phone uses (push channels, XMPP) that PROTO-02 does not flag. */
  commonTcpPorts: number[];
  /** UDP ports of ordinary services (DNS, NTP, QUIC, STUN, SSDP, NetBIOS…) that PROTO-01 does not flag. */
  knownUdpPorts: number[];
  /** ICMP flows carrying at least this many bytes are PROTO-01 (data tunnelled in pings). */
  icmpMinBytes: number;
  /** DNS-over-HTTPS resolver names (matched on label boundaries against TLS/QUIC SNI and HTTP Host). */
  dohResolvers: string[];
  /**
   * A recording shorter than this, or carrying fewer bytes than `inconclusiveMinBytes`, cannot say
   * that a phone is clean: without a high or moderate finding its verdict is "inconclusive".
   */
  inconclusiveMinSeconds: number;
  inconclusiveMinBytes: number;
}

export interface DetectionInput {
  facts: Facts;
  indicators: Indicators;
  config: DetectionConfig;
  /** Every list loaded, block and allow lists alike, as the report names them: the notes say how fresh they are. */
  feeds?: readonly FeedSummary[];
  /** How the phone was connected for the check (default: an ordinary interface, which needs no note). */
  mode?: CaptureMode;
  /** The time the lists' age is measured against (default: now). */
  now?: Date;
  thresholds?: Partial<NoteThresholds>;
}

export interface DetectionResult {
  findings: Finding[];
  allowed: AllowedHost[];
  /** What the check could not see and how far its result goes, in the order the report states them. */
  notes: Note[];
}

export type { Message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/** Separates several names inside one message param; the renderer joins them as a list in the reader's language. */
export const LIST_SEP = '\u0000';

/**
 * A note: not a sign of spyware but something the verdict must take into account or state — the
 * recording's length, traffic hidden from the check, the indicator lists' age. Its id is declared in
 * the registry (NOTES) with the words it is stated in; `params` fill them.
 */
export interface Note {
  id: string;
  params: Record<string, string | number>;
}

/** How the phone was connected: `interface` (an ordinary network), `hotspot` (the checker's Wi-Fi) or `sinkhole` (the checker's Wi-Fi without internet). */
export type CaptureMode = 'interface' | 'hotspot' | 'sinkhole';

/** Where notes draw the line between enough and too little (the inconclusive bounds are detection settings). */
export interface NoteThresholds {
  /** A recording shorter than this proves little: many stalkerware apps report every 15–60 minutes. */
  minDurationSeconds: number;
  /** Below this much traffic the phone was essentially idle. */
  minBytes: number;
  minPackets: number;
  /** The length the short-capture advice asks for. */
  adviseMinutes: number;
  /** Lists older than this are called stale: vendors move servers within weeks. */
  staleDays: number;
}

/**
 * `inconclusive`: the recording was too short or too quiet to say anything (no high or moderate
 * finding, and under the detection settings' inconclusive thresholds): never shown as a green tick.
 */
export type VerdictLevel = 'high' | 'moderate' | 'low' | 'none' | 'inconclusive';

export interface Verdict {
  level: VerdictLevel;
  families: string[];
  summary: Message;
  limits: Message[];
}
