import type { AllowedHost, Finding } from '../detect/types.js';
import type { Facts } from '../inspect/facts.js';
import type { Lang, Message } from '../report/i18n/index.js';

export type { Message } from '../report/i18n/index.js';

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
}
