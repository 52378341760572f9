import type { Finding } from '../../detect/types.js';
import { formatDate } from '../../report/format.js';
import { guidance } from '../../report/guidance.js';
import { CSS, esc, findingItem, findingsBlock, guidanceSections, htmlDocument, levelBadge, printCss, table, verdictSection, type HtmlOptions } from '../../report/html.js';
import { formatNumber, t, type Lang } from '../../i18n/index.js';
import { capabilities } from '../../report/words.js';
import type { DeviceAnalysis } from '../analyze.js';
import { unweighed } from '../verdict.js';
import { PHONE_HOST } from '../rules/index.js';
import { canReadLine, renderDeviceMessage, sourceWords } from './words.js';

/**
 * The device report as one self-contained HTML file: the same look and order as the traffic report
 * (result, meaning, what to do now, limits, findings, technical details), with the device's own
 * next steps (do not uninstall in a hurry; switch USB debugging off again afterwards).
 */

const RANK: Record<Finding['level'], number> = { high: 3, moderate: 2, low: 1 };

interface AppGroup {
  host: string;
  level: Finding['level'];
  findings: Finding[];
}

function groups(findings: readonly Finding[]): AppGroup[] {
  const by = new Map<string, AppGroup>();
  for (const f of findings) {
    const g = by.get(f.host) ?? { host: f.host, level: f.level, findings: [] };
    g.findings.push(f);
    if (RANK[f.level] > RANK[g.level]) g.level = f.level;
    by.set(f.host, g);
  }
  // The combined sign explains the others best: it reads first among findings of its level.
  for (const g of by.values()) g.findings.sort((a, b) => RANK[b.level] - RANK[a.level] || Number(b.id === 'DEV-BEHAVES-LIKE-STALKERWARE') - Number(a.id === 'DEV-BEHAVES-LIKE-STALKERWARE'));
  return [...by.values()].sort((a, b) => RANK[b.level] - RANK[a.level] || Number(a.host === PHONE_HOST) - Number(b.host === PHONE_HOST) || a.host.localeCompare(b.host));
}

function findingsSection(a: DeviceAnalysis, lang: Lang, opts: DeviceHtmlOptions, heading = t(lang, 'report.findings.heading')): string {
  const gs = groups(a.findings);
  const feedDates = new Map(a.feeds.map((f) => [f.name, f.date]));
  const apps = new Map(a.facts.apps.map((x) => [x.name, x]));
  const notWeighed = `<span class="badge b-inconclusive">${esc(t(lang, 'combine.unweighed'))}</span>`;
  const inconclusive = a.verdict.level === 'inconclusive';
  const html = gs.map((g) => {
    const app = apps.get(g.host);
    const title = g.host === PHONE_HOST ? t(lang, 'device.findings.phone') : g.host;
    const families = [...new Set(g.findings.map((f) => f.family).filter((x): x is string => !!x))];
    const tagOf = (fam: string): string | null => g.findings.find((f) => f.family === fam && f.indicator)?.indicator?.tag ?? null;
    const lines: string[] = [];
    if (families.length) lines.push(`<p class="family">${esc(t(lang, 'report.finding.family', { family: families.join(', ') }))}</p>`);
    const canRead = g.findings.map((f) => canReadLine(lang, f)).find((x) => x !== null);
    if (canRead) lines.push(`<p class="caps"><strong>${esc(canRead)}</strong></p>`);
    else if (families.length) lines.push(`<p class="caps">${families.map((fam) => esc(capabilities(lang, fam, tagOf(fam)))).join(' ')}</p>`);
    if (app) lines.push(`<p class="based">${esc(t(lang, 'device.sourceLine', { source: sourceWords(lang, app.source) }))}${app.installer ? ` <span class="mono">${esc(app.installer)}</span>` : ''}</p>`);
    const groupUnweighed = g.findings.every((f) => unweighed(a, f));
    const items = g.findings.map((f) => findingItem(lang, f, feedDates, opts.print !== undefined, unweighed(a, f) ? notWeighed : undefined));
    return {
      // An inconclusive check folds away all its findings, as the traffic report folds its low ones.
      level: inconclusive ? ('low' as const) : g.level,
      html: `<article class="host l-${groupUnweighed ? 'low' : g.level}"><div class="host-head"><h3>${esc(title)}</h3>${groupUnweighed ? notWeighed : levelBadge(lang, g.level)}</div>
${lines.join('\n')}
<ul class="findings">${items.join('\n')}</ul></article>`,
    };
  });
  return findingsBlock(lang, { heading, intro: t(lang, inconclusive ? 'combine.unweighed.intro' : 'device.findings.intro'), minor: inconclusive ? 'combine.unweighed.fold' : 'device.findings.minor' }, html);
}

function explainedSection(a: DeviceAnalysis, lang: Lang): string {
  if (a.explained.length === 0) return '';
  const rows = a.explained.map(
    (e) => `<li><span class="mono">${esc(e.app)}</span> — ${esc(t(lang, `device.explained.${e.reason}`, { access: t(lang, `device.access.${e.access}`) }))}</li>`,
  );
  return `<section><h2>${esc(t(lang, 'device.explained.heading'))}</h2><p>${esc(t(lang, 'device.explained.intro'))}</p><ul class="limits">${rows.join('\n')}</ul></section>`;
}

function appendix(a: DeviceAnalysis, lang: Lang, open: boolean, title = t(lang, 'appendix.heading')): string {
  const d = a.device;
  const yes = (b: boolean | null): string => (b === null ? '—' : b ? '✓' : '✗');
  const third = a.facts.apps.filter((x) => !x.system);
  const kv = [
    ['device.appendix.model', [d.manufacturer, d.model].filter(Boolean).join(' ') || '—'],
    ['device.appendix.android', d.androidVersion ? `${d.androidVersion}${d.sdk ? ` (SDK ${d.sdk})` : ''}` : '—'],
    ['device.appendix.patch', d.securityPatch ?? '—'],
    ['device.appendix.source', `${a.acquisition.name} (${a.acquisition.kind})`],
    ['device.appendix.files', a.acquisition.files.join(', ') || '—'],
  ];
  if (a.acquisition.sha256) kv.push(['device.appendix.sha256', a.acquisition.sha256]);
  const parts = [
    `<dl class="kv">${kv.map(([k, v]) => `<dt>${esc(t(lang, k!))}</dt><dd class="mono">${esc(v)}</dd>`).join('')}</dl>`,
    `<h3>${esc(t(lang, 'device.appendix.apps', { count: formatNumber(lang, third.length) }))}</h3>`,
    `<div class="scroll">${table(
      [
        { label: t(lang, 'device.appendix.col.app') },
        { label: t(lang, 'device.appendix.col.source') },
        { label: t(lang, 'device.appendix.col.cert') },
        { label: t(lang, 'device.appendix.col.icon') },
        { label: t(lang, 'device.appendix.col.boot') },
      ],
      third.map((x) => [
        `<span class="mono">${esc(x.name)}</span>`,
        `${esc(sourceWords(lang, x.source))}${x.installer ? `<br><span class="mono">${esc(x.installer)}</span>` : ''}`,
        `<span class="mono">${esc(x.certificates[0]?.sha1 ?? '—')}</span>`,
        yes(x.launcher),
        yes(x.startsAtBoot),
      ]),
    )}</div>`,
  ];
  return `<details class="appendix card"${open ? ' open' : ''}><summary>${esc(title)}</summary>
${parts.join('\n')}
</details>`;
}

export interface DeviceHtmlOptions {
  openAppendix?: boolean;
  /** The service's own contact and helplines for this language (admin settings); else the catalogue's examples. */
  help?: { contact: string; helplines: string[] };
  /** Printing (PDF): the paper size and the check's id at the foot of every page, as the traffic report's. */
  print?: HtmlOptions['print'];
}

export function renderDeviceHtml(a: DeviceAnalysis, lang: Lang, opts: DeviceHtmlOptions = {}): string {
  const v = a.verdict;
  const model = [a.device.manufacturer, a.device.model].filter(Boolean).join(' ');
  return htmlDocument(
    lang,
    `${t(lang, 'device.report.title')} — ${t(lang, `level.${v.level}`)}`,
    CSS + (opts.print ? printCss(lang, opts.print) : ''),
    `<header>
<h1>${esc(t(lang, 'device.report.title'))}</h1>
<p class="meta">${esc(t(lang, 'report.madeOn', { date: formatDate(lang, a.generatedAt), version: a.version }))}<br>${esc(t(lang, 'device.report.source', { name: a.acquisition.name }))}${
      model ? `<br>${esc(t(lang, 'device.report.phone', { model, version: a.device.androidVersion ?? '?' }))}` : ''
    }</p>
<p class="private">${esc(t(lang, 'report.privateNote'))}</p>
</header>
${verdictSection({ lang, verdict: a.verdict })}
<section><h2>${esc(t(lang, 'report.meaning.heading'))}</h2><p>${esc(t(lang, `device.verdict.${v.level}.meaning`))}</p></section>
${guidanceSections(lang, guidance({ level: v.level, kind: 'device', help: opts.help ?? null, limits: v.limits }), (m) => renderDeviceMessage(lang, m))}
${deviceEvidence(a, lang, opts)}
<footer>${esc(t(lang, 'device.report.footer'))}</footer>`,
  );
}

/** What the device check found and read, below the advice: in its own report and in the combined one. */
export function deviceEvidence(a: DeviceAnalysis, lang: Lang, opts: DeviceHtmlOptions, heading?: string, appendixTitle?: string): string {
  return `${findingsSection(a, lang, opts, heading)}
${explainedSection(a, lang)}
${appendix(a, lang, opts.openAppendix ?? false, appendixTitle)}`;
}
