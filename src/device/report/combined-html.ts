import { combineReports, type CombinedJsonReport } from './combined.js';
import { formatDate } from '../../report/format.js';
import { guidance } from '../../report/guidance.js';
import { CSS, esc, guidanceSections, htmlDocument, printCss, trafficEvidence, verdictBox, type HtmlOptions } from '../../report/html.js';
import { t, type Lang } from '../../i18n/index.js';
import { toJsonReport } from '../../report/json.js';
import type { Analysis, VerdictLevel } from '../../analysis/types.js';
import type { DeviceAnalysis } from '../analyze.js';
import { deviceEvidence } from './html.js';
import { toDeviceJson } from './json.js';

/**
 * One report for one phone checked both ways, as one self-contained HTML file (and so the PDF): the
 * combined verdict, the families and what they can read, each check's own answer, what it means, the
 * same guidance as the kiosk's combined result, both checks' limits, then the evidence of each check
 * as its own report shows it. The verdict and its words are the combined JSON report's, so the three
 * formats cannot disagree.
 */

export interface CombinedHtmlOptions {
  openAppendix?: boolean;
  help?: { contact: string; helplines: string[] };
  print?: HtmlOptions['print'];
}

// Badges for the levels a whole check can have (findings are only high, moderate or low).
const EXTRA_CSS = `.b-none{background:var(--none-bg);color:var(--none)}.b-inconclusive{background:var(--inconclusive-bg);color:var(--inconclusive)}
.halves{list-style:none;padding:0;margin:.4rem 0 0}.halves>li{padding:.5rem 0;border-top:1px solid var(--line)}.halves>li:first-child{border-top:0}
.halves .half-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-weight:600}
.can-read p{margin:.5rem 0}
@media print{.halves>li,.can-read p{break-inside:avoid}}`;

function badge(lang: Lang, level: VerdictLevel): string {
  return `<span class="badge b-${level}">${esc(t(lang, `level.${level}`))}</span>`;
}

/** Which half decided the combined level: its meaning is the one read out. */
function decidingHalf(report: CombinedJsonReport): 'traffic' | 'device' {
  return report.checks.device.level === report.verdict.level ? 'device' : 'traffic';
}

/** What the stalkerware found can read (the combined JSON's list): families first, then the apps' own access. */
function canReadSection(lang: Lang, report: CombinedJsonReport): string {
  const lines = report.verdict.canRead.map((c) =>
    c.kind === 'family' ? `<p><strong>${esc(c.name)}</strong> — ${esc(c.text)}</p>` : `<p><span class="mono">${esc(c.name)}</span> — ${esc(c.text)}</p>`,
  );
  if (lines.length === 0) return '';
  return `<section class="can-read"><h2>${esc(t(lang, 'combine.canRead.heading'))}</h2>\n${lines.join('\n')}</section>`;
}

function halvesSection(lang: Lang, report: CombinedJsonReport): string {
  const row = (key: string, v: CombinedJsonReport['checks']['device']): string =>
    `<li><div class="half-head">${esc(t(lang, key))} ${badge(lang, v.level)}</div><p>${esc(v.summary)}</p></li>`;
  return `<section class="halves-section"><h2>${esc(t(lang, 'combine.checks.heading'))}</h2>
<ul class="halves">${row('combine.checks.device', report.checks.device)}${row('combine.checks.traffic', report.checks.traffic)}</ul></section>`;
}

export function renderCombinedHtml(traffic: Analysis, device: DeviceAnalysis, lang: Lang, opts: CombinedHtmlOptions = {}): string {
  const report = combineReports(toJsonReport(traffic, lang, opts.help), toDeviceJson(device, lang, opts.help), lang, new Date(traffic.generatedAt));
  const level = report.verdict.level;
  const model = [device.device.manufacturer, device.device.model].filter(Boolean).join(' ');
  const families = report.verdict.families.length
    ? `\n<p class="family">${esc(t(lang, 'report.finding.family', { family: report.verdict.families.join(', ') }))}</p>`
    : '';
  const meaning = decidingHalf(report) === 'device' ? `device.verdict.${level}.meaning` : `verdict.${level}.meaning`;
  const blocks = guidance({ level, kind: 'combined', trafficLevel: report.checks.traffic.level, help: opts.help ?? null, limits: report.verdict.limits });
  return htmlDocument(
    lang,
    `${t(lang, 'combine.report.title')} — ${t(lang, `level.${level}`)}`,
    CSS + EXTRA_CSS + (opts.print ? printCss(lang, opts.print) : ''),
    `<header>
<h1>${esc(t(lang, 'combine.report.title'))}</h1>
<p class="meta">${esc(t(lang, 'report.madeOn', { date: formatDate(lang, traffic.generatedAt), version: traffic.version }))}<br>${esc(t(lang, 'report.file', { file: traffic.capture.name }))}<br>${esc(
      t(lang, 'device.report.source', { name: device.acquisition.name }),
    )}${model ? `<br>${esc(t(lang, 'device.report.phone', { model, version: device.device.androidVersion ?? '?' }))}` : ''}</p>
<p class="private">${esc(t(lang, 'report.privateNote'))}</p>
</header>
${verdictBox(lang, level, report.verdict.summary, families)}
${canReadSection(lang, report)}
${halvesSection(lang, report)}
<section><h2>${esc(t(lang, 'report.meaning.heading'))}</h2><p>${esc(t(lang, meaning))}</p></section>
${guidanceSections(lang, blocks, (s: string) => s)}
${deviceEvidence(device, lang, { openAppendix: opts.openAppendix, print: opts.print }, t(lang, 'combine.findings.device'), t(lang, 'combine.appendix.device'))}
${trafficEvidence(traffic, lang, { openAppendix: opts.openAppendix, print: opts.print, help: opts.help }, t(lang, 'combine.findings.traffic'), t(lang, 'combine.appendix.traffic'))}
<footer>${esc(t(lang, 'combine.report.footer'))}</footer>`,
  );
}
