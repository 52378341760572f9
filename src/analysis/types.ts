import type { AllowedHost, Finding, Note, Verdict } from '../detect/types.js';
import type { FeedSummary } from '../indicators/types.js';
import type { Facts } from '../engine/facts.js';
import type { CaptureSummary } from './capture-summary.js';

// What an analysis is made of, for the code that renders one.
export { LIST_SEP, type Message, type Note, type Verdict, type VerdictLevel } from '../detect/types.js';
export type { FeedSummary } from '../indicators/types.js';

export type { CaptureSummary } from './capture-summary.js';

/**
 * Everything a report shows about one capture. It carries no language: the renderers (report/) take
 * the reader's language, so a stored analysis renders in any of them.
 */
export interface Analysis {
  version: string;
  generatedAt: string;
  capture: CaptureSummary;
  feeds: FeedSummary[];
  facts: Facts;
  findings: Finding[];
  allowed: AllowedHost[];
  /** What the verdict took into account beside the findings; its limits are these notes in words. */
  notes: Note[];
  verdict: Verdict;
  /**
   * Only on the shortened copy of a very large analysis that serve keeps to render HTML and PDF (see
   * src/report/digest.ts): its facts and findings are cut to what those show, and this says the rest.
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
