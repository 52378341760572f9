import { writeAllSync } from '../engine/json-out.js';
import type { AllowedHost, Evidence, Finding } from '../detect/types.js';
import type { Facts } from '../engine/facts.js';
import { renderMessage } from './format.js';
import { t, type Lang } from '../i18n/index.js';
import { findingApps, findingExplanation, findingTitle } from './words.js';
import type { Analysis, CaptureSummary, FeedSummary, VerdictLevel } from '../analysis/types.js';

/**
 * The JSON report. Tools and later issues rely on this shape: add fields, never rename. Every string
 * meant for people is rendered in the chosen language; ids, levels and technical values are not.
 */
export interface JsonReport {
  /**
   * `notes`: the ids of the notes the verdict took into account (docs/rules.md), in order; those with
   * words are `limits`, one for one, so a tool can tell the limits apart without reading them.
   */
  verdict: { level: VerdictLevel; families: string[]; summary: string; limits: string[]; notes: string[] };
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
  /** The apps on the phone behind the finding (captures made on the phone only), and the sentences naming them. */
  apps?: NonNullable<Finding['apps']>;
  madeBy?: string[];
}

/** The JSON report of `a` in `lang`: an analysis has no language of its own, so one analysis renders in any. */
export function toJsonReport(a: Analysis, lang: Lang, help?: { contact: string; helplines: string[] }): JsonReport {
  const feedDates = new Map(a.feeds.map((f) => [f.name, f.date]));
  return {
    verdict: {
      level: a.verdict.level,
      families: a.verdict.families,
      summary: renderMessage(lang, a.verdict.summary),
      limits: a.verdict.limits.map((m) => renderMessage(lang, m)),
      // Analyses stored before notes existed have none.
      notes: (a.notes ?? []).map((n) => n.id),
    },
    findings: a.findings.map((f) => toJsonFinding(lang, f, feedDates)),
    allowed: a.allowed,
    facts: a.facts,
    help: help ? { contact: help.contact, helplines: help.helplines } : { contact: '', helplines: t(lang, 'guidance.help.numbers').split('\n') },
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

/** One finding as the JSON report gives it, its words in `lang`; `feedDates` by feed name. */
export function toJsonFinding(lang: Lang, f: Finding, feedDates: ReadonlyMap<string, string | null>): JsonFinding {
  return {
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
    ...(f.apps ? { apps: f.apps, madeBy: findingApps(lang, f) } : {}),
  };
}

export function renderJson(a: Analysis, lang: Lang, help?: { contact: string; helplines: string[] }): string {
  return JSON.stringify(toJsonReport(a, lang, help), null, 2) + '\n';
}

/** Text gathered before each write: big enough to keep system calls few, small next to the report. */
const FLUSH_AT = 1 << 20;

/**
 * Writes the same text as `renderJson` piece by piece to `fd`: a report of a long capture holds tens of
 * thousands of facts, and one string of all of it (with the object graph alive beside it) is what made
 * `analyze` large. Returns the bytes written.
 */
export function writeJsonReport(fd: number, a: Analysis, lang: Lang, help?: { contact: string; helplines: string[] }): number {
  let pending = '';
  let written = 0;
  const out = (s: string): void => {
    pending += s;
    if (pending.length >= FLUSH_AT) {
      written += writeAllSync(fd, pending);
      pending = '';
    }
  };
  writePretty(out, toJsonReport(a, lang, help), '', 0);
  out('\n');
  return written + writeAllSync(fd, pending);
}

/** JSON.stringify(value, null, 2) at indentation `indent`, written element by element down to depth 3. */
function writePretty(out: (s: string) => void, value: unknown, indent: string, depth: number): void {
  if (depth > 3 || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const s = JSON.stringify(value, null, 2);
    out(s === undefined ? 'null' : s.replace(/\n/g, `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return out('[]');
    out('[\n');
    value.forEach((v, i) => {
      out(inner);
      writePretty(out, v === undefined || typeof v === 'function' ? null : v, inner, depth + 1);
      out(i < value.length - 1 ? ',\n' : '\n');
    });
    out(`${indent}]`);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) return out('{}');
  out('{\n');
  entries.forEach(([k, v], i) => {
    out(`${inner}${JSON.stringify(k)}: `);
    writePretty(out, v, inner, depth + 1);
    out(i < entries.length - 1 ? ',\n' : '\n');
  });
  out(`${indent}}`);
}

/** What `writePretty` gives for `value` at `indent` and `depth`, as one string (for small values). */
export function prettyText(value: unknown, indent: string, depth: number): string {
  let text = '';
  writePretty((s) => void (text += s), value, indent, depth);
  return text;
}

/**
 * The facts exactly as they stand in the JSON report (after `"facts": `), written piece by piece: a
 * file of them is language-free, so a very large report is sent from it without being held whole.
 */
export function writeFactsText(out: (s: string) => void, facts: Facts): void {
  writePretty(out, facts, '  ', 1);
}

/** A finding exactly as it stands in the JSON report's findings list, without the indentation of its first line. */
export function findingText(f: JsonFinding): string {
  return prettyText(f, '    ', 2);
}

const FINDINGS_MARK = '\u0000findings\u0000';
const FACTS_MARK = '\u0000facts\u0000';

/**
 * The JSON report around its findings and facts: `before` + findings list + `between` + facts text +
 * `after` is `renderJson(a, lang, help)`, the findings list being "[]" when there are none, else "[\n",
 * each finding's text after four spaces, separated by ",\n", then "\n  ]". Lets a report whose
 * findings and facts are on disk be sent from them.
 */
export function jsonReportFrame(a: Analysis, lang: Lang, help?: { contact: string; helplines: string[] }): { before: string; between: string; after: string } {
  const report = toJsonReport({ ...a, findings: [] }, lang, help) as unknown as Record<string, unknown>;
  report.findings = FINDINGS_MARK;
  report.facts = FACTS_MARK;
  const text = prettyText(report, '', 0) + '\n';
  const f = JSON.stringify(FINDINGS_MARK);
  const g = JSON.stringify(FACTS_MARK);
  const i = text.indexOf(f);
  const j = text.indexOf(g, i + f.length);
  return { before: text.slice(0, i), between: text.slice(i + f.length, j), after: text.slice(j + g.length) };
}
