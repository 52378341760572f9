import type { AllowedHost, Evidence, Finding } from '../detect/types.js';
import type { Facts } from '../inspect/facts.js';
import { renderMessage } from './format.js';
import { t, type Lang } from './i18n/index.js';
import { findingExplanation, findingTitle } from './words.js';
import type { Analysis, CaptureSummary, FeedSummary, VerdictLevel } from './types.js';

/**
 * The JSON report. Tools and later issues rely on this shape: add fields, never rename. Every string
 * meant for people is rendered in the chosen language; ids, levels and technical values are not.
 */
export interface JsonReport {
  verdict: { level: VerdictLevel; families: string[]; summary: string; limits: string[] };
  findings: JsonFinding[];
  allowed: AllowedHost[];
  facts: Facts;
  /** The service's own contact and the helplines shown with this report (the catalogue's examples when none are set). */
  help: { contact: string; helplines: string[] };
  meta: {
    sha256: string;
    duration: number;
    packets: number;
    capture: CaptureSummary;
    feeds: FeedSummary[];
    language: Lang;
    version: string;
    generatedAt: string;
  };
}

export interface JsonFinding {
  id: string;
  level: Finding['level'];
  title: string;
  explanation: string;
  host: string;
  family: string | null;
  indicator: {
    value: string;
    kind: string;
    feed: string;
    feedVersion: string | null;
    family: string | null;
    tag: string | null;
    source: string;
    feedDate: string | null;
  } | null;
  evidence: Evidence[];
  params: Finding['params'];
  alsoAllowedBy: Finding['alsoAllowedBy'];
  /** Every feed entry behind the name when feeds disagree or several list it: which feed said what. */
  listings: NonNullable<Finding['listings']>;
}

export function toJsonReport(a: Analysis, help?: { contact: string; helplines: string[] }): JsonReport {
  const lang = a.lang;
  const feedDates = new Map(a.feeds.map((f) => [f.name, f.date]));
  return {
    verdict: {
      level: a.verdict.level,
      families: a.verdict.families,
      summary: renderMessage(lang, a.verdict.summary),
      limits: a.verdict.limits.map((m) => renderMessage(lang, m)),
    },
    findings: a.findings.map((f) => ({
      id: f.id,
      level: f.level,
      title: findingTitle(lang, f),
      explanation: findingExplanation(lang, f),
      host: f.host,
      family: f.family,
      indicator: f.indicator
        ? {
            value: f.indicator.value,
            kind: f.indicator.kind,
            feed: f.indicator.feed,
            feedVersion: f.indicator.feedVersion,
            family: f.indicator.family,
            tag: f.indicator.tag,
            source: f.indicator.source,
            feedDate: feedDates.get(f.indicator.feed) ?? null,
          }
        : null,
      evidence: f.evidence,
      params: f.params,
      alsoAllowedBy: f.alsoAllowedBy,
      listings: f.listings ?? [],
    })),
    allowed: a.allowed,
    facts: a.facts,
    help: help ?? { contact: '', helplines: t(lang, 'guidance.help.numbers').split('\n') },
    meta: {
      sha256: a.capture.sha256,
      duration: a.capture.durationSeconds,
      packets: a.capture.packets,
      capture: a.capture,
      feeds: a.feeds,
      language: lang,
      version: a.version,
      generatedAt: a.generatedAt,
    },
  };
}

export function renderJson(a: Analysis, help?: { contact: string; helplines: string[] }): string {
  return JSON.stringify(toJsonReport(a, help), null, 2) + '\n';
}
