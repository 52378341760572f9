import type { AllowedHost, Finding } from '../detect/types.js';
import type { Facts } from '../inspect/facts.js';
import type { Lang, Message } from './i18n/index.js';

export type { Message } from './i18n/index.js';

/** Separates several names inside one message param; the renderer joins them as a list in the reader's language. */
export const LIST_SEP = '\u0000';

/**
 * `inconclusive`: the recording was too short or too quiet to say anything (no high or moderate
 * finding, and under the detection settings' inconclusive thresholds): never shown as a green tick.
 */
export type VerdictLevel = 'high' | 'moderate' | 'low' | 'none' | 'inconclusive';

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

export interface Verdict {
  level: VerdictLevel;
  families: string[];
  summary: Message;
  limits: Message[];
}

export interface CaptureSummary {
  /** The file's name only: full paths can reveal a helper's or survivor's user name. */
  name: string;
  sha256: string;
  fileBytes: number;
  durationSeconds: number;
  packets: number;
  bytes: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface Analysis {
  version: string;
  generatedAt: string;
  lang: Lang;
  capture: CaptureSummary;
  feeds: FeedSummary[];
  facts: Facts;
  findings: Finding[];
  allowed: AllowedHost[];
  verdict: Verdict;
  /**
   * Only on the shortened copy of a very large analysis that serve keeps to render HTML and PDF (see
   * ./digest.ts): its facts and findings are cut to what those show, and this says the rest.
   */
  digest?: ReportDigest;
}

/** A finding of a shortened analysis: its evidence cut to what a report shows, with the full count. */
export type ShownFinding = Finding & { evidenceTotal?: number };

/** One DNS name of the appendix: every lookup of it gathered. */
export interface DnsNameRow {
  name: string;
  first: string;
  types: string[];
  /** The first five answers; `moreAnswers` when there were others. */
  answers: string[];
  moreAnswers: boolean;
  /** Response codes, null for "no answer". */
  rcodes: (string | null)[];
  count: number;
}

export interface ReportDigest {
  /** Totals of the appendix tables, whose rows the shortened facts hold only the first of. */
  connections: number;
  tlsRows: number;
  http: number;
  dnsNames: number;
  /** The appendix's DNS table, first rows only (a name's lookups are spread over the whole capture). */
  dnsRows: DnsNameRow[];
  /** The timeline: bytes per bucket, and where findings were seen (x in pixels of the plot). */
  timeline: { step: number; bytes: number[]; marks: number[] } | null;
  /** Hosts with low signs only, in all (the findings kept hold the first of them). */
  minorHosts: number;
  /** The files the whole report is sent from, in the check's folder. */
  files: { facts: StoredPart; findings: StoredPart & { count: number } };
  /** The check's folder: set when the copy is read, never stored. */
  dir?: string;
}

export interface StoredPart {
  name: string;
  bytes: number;
  sha256: string;
}
