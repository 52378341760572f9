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
}
