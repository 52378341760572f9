import type { Finding } from '../detect/types.js';
import type { ConnectionFact, DnsFact } from '../engine/facts.js';
import { guidance, helplineLines, type GuidanceBlock } from './guidance.js';
import { formatClock, formatDate, formatDuration, formatSize, renderMessage } from './format.js';
import { formatNumber, t, type Lang } from '../i18n/index.js';
import type { Analysis, DnsNameRow, ShownFinding, Verdict, VerdictLevel } from '../analysis/types.js';
import { capabilities, findingApps, findingExplanation, findingTitle } from './words.js';

/**
 * One self-contained HTML file: no external fonts, scripts, images or links, so it opens offline,
 * leaks nothing when opened, and can be handed over as a single piece of evidence. Everything taken
 * from the capture is attacker-controlled (a stalkerware server picks its own names and certificate
 * fields) and goes through `esc` — there is no other path into the markup.
 */

export interface HtmlOptions {
  /** Opens the technical appendix, for printing to PDF where nobody can click it open. */
  openAppendix?: boolean;
  /** Rows per appendix table before the rest is only counted: keeps a day-long capture's report readable. */
  maxRows?: number;
  /** The service's own contact and helplines for this language (admin settings); else the catalogue's examples. */
  help?: { contact: string; helplines: string[] };
  /**
   * Printing (PDF): the paper size, and the check's id printed with the page number at the foot of
   * every page. Evidence lists and appendix tables are shortened so a typical result fits in a few
   * pages; the HTML and JSON reports keep everything.
   */
  print?: { paper: 'A4' | 'Letter'; checkId: string };
}

/** Evidence lines per finding and appendix rows when printing: the rest is counted and stays in the HTML/JSON reports. */
const PRINT_EVIDENCE = 2;
/** Evidence lines per finding on screen. */
export const SCREEN_EVIDENCE = 50;
const PRINT_ROWS = 5;
/** Rows per appendix table on screen. */
export const SCREEN_ROWS = 300;
/**
 * Hosts with low signs only shown in the folded list: a day of traffic can give thousands (an address
 * contacted without a name lookup), and a report listing them all would not open or print. The JSON
 * report keeps every one.
 */
export const MINOR_HOSTS_SHOWN = 200;

/** A CSS string literal: quotes, backslashes, line breaks and markup characters escaped. */
function cssString(s: string): string {
  return `"${s.replace(/[\\"\n\r<>&]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/** A message with {page}/{pages} as a CSS `content` value with page counters. */
function cssCounters(template: string): string {
  return template
    .split(/(\{pages?\})/)
    .filter((p) => p.length > 0)
    .map((p) => (p === '{page}' ? 'counter(page)' : p === '{pages}' ? 'counter(pages)' : cssString(p)))
    .join(' ');
}

/**
 * The printed page: size, margins, and the foot of every page (check id left, page number right) in
 * CSS page-margin boxes, which Chromium prints with the page; sections flow across pages, only a
 * finding, a table row or a heading with what follows it is kept together.
 */
function printCss(lang: Lang, print: NonNullable<HtmlOptions['print']>): string {
  const foot = 'font:8pt system-ui,sans-serif;color:#55565a';
  const check = cssString(t(lang, 'report.print.check', { id: print.checkId }));
  const page = cssCounters(t(lang, 'report.print.page', { page: '{page}', pages: '{pages}' }));
  return `@page{size:${print.paper};margin:12mm 12mm 14mm;@bottom-left{content:${check};${foot}}@bottom-right{content:${page};${foot}}}
@media print{main{padding:0}section,.card{padding:.6rem .2rem;margin:.5rem 0;border:0;border-top:1px solid var(--line)}.verdict{border:2px solid;padding:.7rem}
section,.card,.host,details.appendix{break-inside:auto}.verdict,.findings>li,.steps>li,dl.kv{break-inside:avoid}h2,h3,.host-head{break-after:avoid}
.host{padding:.5rem .7rem;margin:.5rem 0}.private{padding:.3rem .6rem}html{font-size:9.5pt}body{font-size:1rem;line-height:1.32}h2{font-size:1.3rem}.verdict h2{font-size:1.55rem}
.chart{max-height:32mm;width:auto;max-width:100%}.appendix dl.kv{grid-template-columns:max-content 1fr max-content 1fr}.evidence{font-size:7.5pt}table{font-size:7.5pt}th,td{padding:.15rem .3rem}.caps{padding:.3rem .5rem}
.appendix h3{margin:.7rem 0 .3rem}.steps>li{padding:.35rem 0}footer{margin:.6rem 0 0}.appendix td br{display:none}.appendix td br+.note::before{content:" · "}}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  // Control characters are not markup, but they make the file invalid XML-ish text for some viewers.
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}

const LEVEL_RANK: Record<VerdictLevel, number> = { high: 3, moderate: 2, low: 1, none: 0, inconclusive: 0 };

// Icons are drawn here rather than taken from an icon set: a few plain shapes, stroke only.
export const ICONS: Record<VerdictLevel, string> = {
  high:
    '<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><path d="M24 5 L45 42 H3 Z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/><path d="M24 18 V30" stroke="currentColor" stroke-width="4" stroke-linecap="round"/><circle cx="24" cy="36" r="2.6" fill="currentColor"/></svg>',
  moderate:
    '<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="4"/><path d="M24 13 V27" stroke="currentColor" stroke-width="4" stroke-linecap="round"/><circle cx="24" cy="34" r="2.6" fill="currentColor"/></svg>',
  low:
    '<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="4"/><circle cx="24" cy="14" r="2.6" fill="currentColor"/><path d="M24 21 V35" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></svg>',
  none:
    '<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="4"/><path d="M14 25 L21 32 L34 17" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  // A question mark, never the tick: too little was recorded to say the phone is clean.
  inconclusive:
    '<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="4"/><path d="M18 18 a6 6 0 1 1 8.5 5.5 c-1.8 .9 -2.5 2 -2.5 4 v1.5" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round"/><circle cx="24" cy="35" r="2.6" fill="currentColor"/></svg>',
};

export const stepNo = (n: number): string => `<span class="step-no" aria-hidden="true">${n}</span>`;

export const CSS = `
:root{--ink:#1d1d1f;--muted:#55565a;--line:#d9d9de;--bg:#f6f6f8;--card:#fff;
--high:#b42318;--high-bg:#fdecea;--moderate:#9a4d00;--moderate-bg:#fff3e0;--low:#1f5f8b;--low-bg:#e8f1f8;--none:#1e6b3a;--none-bg:#e7f4ec;--inconclusive:#3d4451;--inconclusive-bg:#eef0f3}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.2rem 0}
h2{font-size:1.2rem;margin:0 0 .6rem}
h3{font-size:1.05rem;margin:0;overflow-wrap:anywhere}
p{margin:.4rem 0}
.meta{color:var(--muted);font-size:.9rem}
.private{border-left:4px solid var(--muted);padding:.4rem .7rem;background:var(--card);font-size:.95rem}
section,.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem 1.1rem;margin:1rem 0}
.verdict{display:flex;gap:1rem;align-items:flex-start;border-width:2px}
.verdict .icon{flex:0 0 3.2rem;width:3.2rem;height:3.2rem}
.verdict .label{text-transform:uppercase;letter-spacing:.05em;font-weight:700;font-size:.85rem;margin:0}
.verdict h2{font-size:1.45rem;margin:.1rem 0 .4rem;line-height:1.25}
.verdict .summary{font-size:1.1rem;font-weight:600}
.v-high{color:var(--high);background:var(--high-bg);border-color:var(--high)}
.v-moderate{color:var(--moderate);background:var(--moderate-bg);border-color:var(--moderate)}
.v-low{color:var(--low);background:var(--low-bg);border-color:var(--low)}
.v-none{color:var(--none);background:var(--none-bg);border-color:var(--none)}
.v-inconclusive{color:var(--inconclusive);background:var(--inconclusive-bg);border-color:var(--inconclusive)}
.verdict .text{color:var(--ink)}
.verdict .text .label,.verdict .text h2{color:inherit}
.v-high .text h2,.v-high .text .label{color:var(--high)}
.v-moderate .text h2,.v-moderate .text .label{color:var(--moderate)}
.v-low .text h2,.v-low .text .label{color:var(--low)}
.v-none .text h2,.v-none .text .label{color:var(--none)}
.v-inconclusive .text h2,.v-inconclusive .text .label{color:var(--inconclusive)}
.steps{list-style:none;padding:0;margin:.6rem 0 0}
.steps>li{display:flex;gap:.7rem;padding:.55rem 0;border-top:1px solid var(--line)}
.steps>li:first-child{border-top:0}
.step-no{flex:0 0 1.6rem;width:1.6rem;height:1.6rem;border-radius:50%;background:#2f4a6d;color:#fff;font-weight:700;font-size:.9rem;display:flex;align-items:center;justify-content:center;margin-top:.1rem;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.steps strong{display:block}
.help-list{margin:.4rem 0 0;padding-left:1.2rem}
.help-list li{margin:.2rem 0}
.minor>summary{font-size:1rem;font-weight:600;color:var(--ink);margin:.6rem 0}
.limits{margin:0;padding-left:1.2rem}
.limits li{margin:.35rem 0}
.host{border-left:6px solid var(--line);padding:.8rem 1rem;margin:1rem 0;border-radius:10px;background:var(--card);border-top:1px solid var(--line);border-right:1px solid var(--line);border-bottom:1px solid var(--line)}
.host.l-high{border-left-color:var(--high)}.host.l-moderate{border-left-color:var(--moderate)}.host.l-low{border-left-color:var(--low)}
.host-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
.badge{display:inline-block;border-radius:999px;padding:.05rem .6rem;font-size:.8rem;font-weight:700;white-space:nowrap}
.b-high{background:var(--high-bg);color:var(--high)}.b-moderate{background:var(--moderate-bg);color:var(--moderate)}.b-low{background:var(--low-bg);color:var(--low)}
.family{font-weight:600;margin:.3rem 0}
.caps{background:var(--bg);border-radius:8px;padding:.5rem .7rem;font-size:.95rem}
.findings{list-style:none;padding:0;margin:.4rem 0 0}
.findings>li{padding:.6rem 0;border-top:1px solid var(--line)}
.findings .title{font-weight:600}
.based{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.evidence{font:.82rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:.3rem 0 0;padding-left:1rem;overflow-wrap:anywhere}
details>summary{cursor:pointer;color:var(--muted);font-size:.9rem}
details.appendix>summary{font-size:1.1rem;font-weight:700;color:var(--ink)}
.appendix h3{margin:1.2rem 0 .4rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.82rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--bg);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
th{white-space:nowrap;overflow-wrap:normal}
td.nowrap{white-space:nowrap;overflow-wrap:normal}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;overflow-wrap:anywhere}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:0;font-size:.9rem}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
.chart{width:100%;height:auto;display:block}
.note{color:var(--muted);font-size:.85rem}
footer{color:var(--muted);font-size:.85rem;text-align:center;margin:1.5rem 0 2rem}
@media (max-width:480px){
 main{padding:.6rem}
 section,.card{padding:.8rem}
 .verdict{flex-direction:column;gap:.4rem}
 .verdict h2{font-size:1.3rem}
 dl.kv{grid-template-columns:1fr}
 dl.kv dd{margin-bottom:.4rem}
}
@media print{
 body{background:#fff;font-size:11pt}
 main{max-width:none;padding:0}
 section,.card,.host{break-inside:avoid;border-radius:0}
 section.guidance{break-inside:auto}
 .steps>li{break-inside:avoid}
 .verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .badge,.host{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 details::details-content{content-visibility:visible;display:block;height:auto}
 details>summary{list-style:none}
 .scroll{overflow:visible}
 table{font-size:8pt}
 tr{break-inside:avoid}
}
`;

export function levelBadge(lang: Lang, level: Finding['level']): string {
  return `<span class="badge b-${level}">${esc(t(lang, `level.${level}`))}</span>`;
}

export interface HostGroup {
  host: string;
  level: Finding['level'];
  findings: Finding[];
}

export function groupByHost(findings: readonly Finding[]): HostGroup[] {
  const groups = new Map<string, HostGroup>();
  for (const f of findings) {
    const key = f.host.toLowerCase();
    const g = groups.get(key) ?? { host: f.host, level: f.level, findings: [] };
    g.findings.push(f);
    if (LEVEL_RANK[f.level] > LEVEL_RANK[g.level]) g.level = f.level;
    groups.set(key, g);
  }
  const list = [...groups.values()];
  for (const g of list) {
    // The per-host summary advice reads best first, then the strongest signs.
    g.findings.sort((a, b) => Number(b.id.startsWith('ADV-')) - Number(a.id.startsWith('ADV-')) || LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
  }
  return list.sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.findings.length - a.findings.length || a.host.localeCompare(b.host));
}

export function verdictSection(a: { lang: Lang; verdict: Verdict }): string {
  const lang = a.lang;
  const v = a.verdict;
  return `<section class="verdict v-${v.level}" aria-live="polite">${ICONS[v.level]}<div class="text">
<p class="label">${esc(t(lang, 'report.result', { level: t(lang, `level.${v.level}`) }))}</p>
<h2>${esc(t(lang, `verdict.${v.level}.headline`))}</h2>
<p class="summary">${esc(renderMessage(lang, v.summary))}</p>
</div></section>`;
}

/**
 * The guidance blocks (what to do now, where to find help, the limits) as report sections: the same
 * list, in the same order, as the kiosk shows. Where to find help is the last numbered step.
 */
export function guidanceSections<L>(lang: Lang, blocks: readonly GuidanceBlock<L>[], limitText: (item: L) => string): string {
  const out: string[] = [];
  let items: string[] = [];
  let head = '';
  const flush = (): void => {
    if (head) out.push(`${head}\n<ol class="steps">${items.join('\n')}</ol></section>`);
    head = '';
    items = [];
  };
  for (const b of blocks) {
    if (b.kind === 'steps') {
      flush();
      head = `<section class="guidance"><h2>${esc(t(lang, b.heading))}</h2>\n<p>${esc(t(lang, b.intro))}</p>`;
      for (const s of b.steps) {
        items.push(`<li data-step="${esc(s.id)}">${stepNo(items.length + 1)}<div><strong>${esc(t(lang, s.title))}</strong>${esc(t(lang, s.text))}</div></li>`);
      }
    } else if (b.kind === 'help') {
      const numbers = helplineLines(b, (k) => t(lang, k))
        .map((l) => `<li>${esc(l)}</li>`)
        .join('');
      const contact = b.contact ? `<p class="service-contact"><strong>${esc(t(lang, b.contactLabel))}</strong> ${esc(b.contact)}</p>` : '';
      items.push(
        `<li data-step="help">${stepNo(items.length + 1)}<div><strong>${esc(t(lang, b.title))}</strong>${esc(t(lang, b.text))}<ul class="help-list">${numbers}</ul>${contact}</div></li>`,
      );
    } else {
      flush();
      out.push(`<section class="limits-section"><h2>${esc(t(lang, b.heading))}</h2><ul class="limits">${b.items.map((m) => `<li>${esc(limitText(m))}</li>`).join('\n')}</ul></section>`);
    }
  }
  flush();
  return out.join('\n');
}

/**
 * A capture made by an app on the phone (PCAPdroid) says which app made each connection, and leaves a
 * trace on the phone the abuser may see: both are said in plain words, before the findings.
 */
function onPhoneSection(a: Analysis, lang: Lang): string {
  const apps = a.facts.apps ?? [];
  if (apps.length === 0) return '';
  return `<section class="on-phone"><h2>${esc(t(lang, 'report.onPhone.heading'))}</h2>
<p>${esc(t(lang, 'report.onPhone.text'))}</p>
<p>${esc(t(lang, 'report.onPhone.risk'))}</p></section>
`;
}

function findingsSection(a: Analysis, lang: Lang, opts: HtmlOptions): string {
  const groups = groupByHost(a.findings);
  const capsShown = new Set<string>();
  const feedDates = new Map(a.feeds.map((f) => [f.name, f.date]));
  if (groups.length === 0) {
    return `<section><h2>${esc(t(lang, 'report.findings.heading'))}</h2><p>${esc(t(lang, 'report.findings.none'))}</p></section>`;
  }
  // Groups come strongest first, so the minor ones are the last: only the first of them are rendered.
  const minorGroups = groups.filter((g) => g.level === 'low').length;
  const shown = groups.slice(0, groups.length - minorGroups + Math.min(minorGroups, MINOR_HOSTS_SHOWN));
  const hosts = shown.map((g) => {
    const families = [...new Set(g.findings.map((f) => f.family).filter((x): x is string => !!x))];
    const tagOf = (fam: string): string | null => g.findings.find((f) => f.family === fam && f.indicator)?.indicator?.tag ?? null;
    const familyLine = families.length ? `<p class="family">${esc(t(lang, 'report.finding.family', { family: families.join(', ') }))}</p>` : '';
    // On paper each family's capabilities are printed once, with its first server.
    const capsFor = opts.print ? families.filter((fam) => !capsShown.has(fam)) : families;
    for (const fam of capsFor) capsShown.add(fam);
    const caps = capsFor.length
      ? `<p class="caps"><strong>${esc(t(lang, 'report.capabilities.heading'))}</strong> ${capsFor.map((fam) => esc(capabilities(lang, fam, tagOf(fam)))).join(' ')}</p>`
      : '';
    const items = g.findings.map((f) => {
      const parts = [`<div class="title">${esc(findingTitle(lang, f))} ${levelBadge(lang, f.level)}</div>`, `<p>${esc(findingExplanation(lang, f))}</p>`];
      for (const line of findingApps(lang, f)) parts.push(`<p class="app"><strong>${esc(line)}</strong></p>`);
      if (f.indicator) {
        parts.push(
          `<p class="based">${esc(
            t(lang, 'report.finding.basedOn', {
              value: f.indicator.value,
              kind: f.indicator.kind,
              feed: f.indicator.feed,
              version: f.indicator.feedVersion ?? '—',
              date: formatDate(lang, feedDates.get(f.indicator.feed) ?? null, false),
            }),
          )} <span class="mono">${esc(f.id)}</span></p>`,
        );
      } else {
        parts.push(`<p class="based"><span class="mono">${esc(f.id)}</span></p>`);
      }
      if (f.params.precedence === 'website') parts.push(`<p class="based">${esc(t(lang, 'report.finding.precedence.website'))}</p>`);
      if (f.listings && f.listings.length > 0) {
        const rows = f.listings.map((l) => `<li>${esc(l.value)} — ${esc(l.kind)}${l.family ? `, ${esc(l.family)}` : ''}${l.tag ? ` (${esc(l.tag)})` : ''} — ${esc(l.feed)}</li>`).join('');
        parts.push(`<p class="based">${esc(t(lang, 'report.finding.listings'))}</p><ul class="evidence">${rows}</ul>`);
      }
      if (f.alsoAllowedBy) {
        parts.push(`<p class="based">${esc(t(lang, 'report.finding.alsoAllowed', { allowed: f.alsoAllowedBy.value, feed: f.alsoAllowedBy.feed }))}</p>`);
      }
      const evidence = (f as ShownFinding).evidenceTotal ?? f.evidence.length;
      if (evidence > 0) {
        const keep = opts.print ? PRINT_EVIDENCE : SCREEN_EVIDENCE;
        const ev = f.evidence
          .slice(0, keep)
          .map((e) => `<li>${e.ts ? `<time>${esc(formatClock(e.ts))}</time> ` : ''}${esc(e.text)}</li>`)
          .join('');
        const more = evidence > keep ? `<li>… ${esc(formatNumber(lang, evidence - keep))}</li>` : '';
        parts.push(`<details><summary>${esc(t(lang, 'report.finding.evidence'))} (${evidence})</summary><ul class="evidence">${ev}${more}</ul></details>`);
      }
      return `<li>${parts.join('\n')}</li>`;
    });
    return `<article class="host l-${g.level}"><div class="host-head"><h3>${esc(g.host)}</h3>${levelBadge(lang, g.level)}</div>
${familyLine}${caps}
<ul class="findings">${items.join('\n')}</ul></article>`;
  });
  // Hosts with only low signs are folded away: ordinary apps produce them, and a wall of them would
  // bury the few that matter for the person reading.
  const major = hosts.filter((_, i) => shown[i]!.level !== 'low');
  const minor = hosts.filter((_, i) => shown[i]!.level === 'low');
  const minorTotal = Math.max(minorGroups, a.digest?.minorHosts ?? 0);
  const notShown =
    minorTotal > minor.length ? `<p class="note">${esc(t(lang, 'report.big.moreMinorHosts', { count: formatNumber(lang, minorTotal - minor.length) }, minorTotal - minor.length))}</p>` : '';
  const minorBlock = minor.length
    ? `<details class="minor"><summary>${esc(t(lang, 'report.findings.minor', { count: formatNumber(lang, minorTotal) }, minorTotal))}</summary>
${minor.join('\n')}${notShown}</details>`
    : '';
  return `<section><h2>${esc(t(lang, 'report.findings.heading'))}</h2><p>${esc(t(lang, 'report.findings.intro'))}</p>
${major.join('\n')}
${minorBlock}</section>`;
}

/**
 * What an allow-list kept out of the findings although a feed lists it as spyware's: in its own
 * section, never only in the appendix, so a too-wide or malicious allow entry is seen by whoever reads.
 */
function hiddenByAllowSection(a: Analysis, lang: Lang): string {
  const hidden = a.allowed.filter((x) => x.level !== null);
  if (hidden.length === 0) return '';
  const items = hidden.map((x) => {
    const level = x.level!;
    const fam = x.families.length ? `<p class="family">${esc(t(lang, 'report.finding.family', { family: x.families.join(', ') }))}</p>` : '';
    const inds = x.indicators
      .slice(0, 10)
      .map((i) => `<li>${esc(i.value)} — ${esc(i.kind)}${i.family ? `, ${esc(i.family)}` : ''} — ${esc(i.feed)}</li>`)
      .join('');
    return `<article class="host l-${level}"><div class="host-head"><h3>${esc(x.host)}</h3><span class="badge b-${level}">${esc(t(lang, 'report.hidden.wouldBe', { level: t(lang, `level.${level}`) }))}</span></div>
${fam}<p class="based">${esc(t(lang, 'report.hidden.allowedBy', { value: x.allowedBy.value, feed: x.allowedBy.feed }))} <span class="mono">${esc(x.silenced.join(', '))}</span></p>
<ul class="evidence">${inds}</ul></article>`;
  });
  return `<section id="hidden-by-allow"><h2>${esc(t(lang, 'report.hidden.heading'))} (${esc(formatNumber(lang, hidden.length))})</h2><p>${esc(t(lang, 'report.hidden.intro'))}</p>
${items.join('\n')}</section>`;
}

// ---------------------------------------------------------------- appendix

export interface Column {
  label: string;
  num?: boolean;
  /** Addresses and clock times read badly when broken over lines. */
  nowrap?: boolean;
}

export function table(headers: Column[], rows: string[][]): string {
  const cls = (h: Column | undefined): string => {
    const c = [h?.num ? 'num' : '', h?.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
    return c ? ` class="${c}"` : '';
  };
  const head = headers.map((h) => `<th${cls(h)}>${esc(h.label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(headers[i])}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

const BUCKET_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

function bucketLabel(lang: Lang, seconds: number): string {
  if (seconds < 60) return t(lang, 'bucket.seconds', { n: seconds });
  if (seconds < 3600) return t(lang, 'bucket.minutes', { n: seconds / 60 });
  return t(lang, 'bucket.hours', { n: seconds / 3600 });
}

/** Bytes per time bucket, each connection's bytes spread evenly over its lifetime (facts keep no per-packet times). */
export function timelineBuckets(connections: readonly ConnectionFact[], start: number, end: number, maxBuckets = 60): { step: number; bytes: number[] } {
  const span = Math.max(1, end - start);
  const step = BUCKET_STEPS.find((s) => span / s <= maxBuckets) ?? Math.ceil(span / maxBuckets);
  const n = Math.max(1, Math.ceil(span / step));
  const bytes = new Array<number>(n).fill(0);
  for (const c of connections) {
    const a = (Date.parse(c.firstSeen) / 1000 - start) / step;
    const b = (Date.parse(c.lastSeen) / 1000 - start) / step;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const lo = Math.min(n - 1, Math.max(0, Math.floor(a)));
    const hi = Math.min(n - 1, Math.max(lo, Math.floor(b)));
    const share = c.bytes / (hi - lo + 1);
    for (let i = lo; i <= hi; i++) bytes[i]! += share;
  }
  return { step, bytes };
}

const W = 720;
const H = 200;
const left = 64;
const right = 12;
const top = 14;
const bottom = 30;
const plotW = W - left - right;
const plotH = H - top - bottom;

/** The timeline's bars and the places findings were seen (x in pixels of the plot); null when there is nothing to draw. */
export function timelineData(a: Pick<Analysis, 'capture' | 'facts' | 'findings'>): { step: number; bytes: number[]; marks: number[] } | null {
  const { firstSeen, lastSeen } = a.capture;
  if (!firstSeen || !lastSeen || a.facts.connections.length === 0) return null;
  const start = Date.parse(firstSeen) / 1000;
  const end = Date.parse(lastSeen) / 1000;
  const { step, bytes } = timelineBuckets(a.facts.connections, start, end);
  const marks = new Set<number>();
  for (const f of a.findings) {
    for (const e of f.evidence) {
      if (!e.ts) continue;
      const x = (Date.parse(e.ts) / 1000 - start) / Math.max(1, bytes.length * step);
      if (Number.isFinite(x)) marks.add(Math.round(Math.min(1, Math.max(0, x)) * plotW));
    }
  }
  return { step, bytes, marks: [...marks] };
}

function timelineSvg(a: Analysis, lang: Lang): string {
  const { firstSeen, lastSeen } = a.capture;
  const data = a.digest !== undefined ? a.digest.timeline : timelineData(a);
  if (data === null || !firstSeen || !lastSeen) return `<p class="note">${esc(t(lang, 'appendix.timeline.empty'))}</p>`;
  const { step, bytes } = data;
  let max = 1;
  for (const v of bytes) if (v > max) max = v;
  const bw = plotW / bytes.length;
  const bars = bytes
    .map((v, i) => {
      const h = (v / max) * plotH;
      return `<rect x="${(left + i * bw + bw * 0.1).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(0.5, bw * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="#5b7fa6"/>`;
    })
    .join('');
  const markSvg = data.marks
    .map((x) => `<path d="M${left + x - 5} ${top - 10} h10 l-5 8 z" fill="#b42318"/><line x1="${left + x}" y1="${top}" x2="${left + x}" y2="${top + plotH}" stroke="#b42318" stroke-width="1" stroke-dasharray="3 3"/>`)
    .join('');
  const axis = `<line x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}" stroke="#888"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#888"/>`;
  const labels =
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end" font-size="11" fill="#555">${esc(formatSize(lang, max))}</text>` +
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" font-size="11" fill="#555">0</text>` +
    `<text x="${left}" y="${H - 8}" font-size="11" fill="#555">${esc(formatClock(firstSeen))}</text>` +
    `<text x="${W - right}" y="${H - 8}" text-anchor="end" font-size="11" fill="#555">${esc(formatClock(lastSeen))}</text>`;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(t(lang, 'appendix.timeline.heading'))}">${axis}${bars}${markSvg}${labels}</svg>
<p class="note">${esc(t(lang, 'appendix.timeline.caption', { bucket: bucketLabel(lang, step) }))}</p>`;
}

/**
 * The DNS table's rows: each name once, with every lookup of it gathered, in the order names were
 * first seen. Rcodes are kept as the capture gave them (null: no answer), worded when rendered.
 */
export function dnsNameRows(dns: readonly DnsFact[]): DnsNameRow[] {
  const names = new Map<string, { count: number; types: Set<string>; answers: Set<string>; rcodes: Set<string | null>; first: string }>();
  for (const d of dns) {
    const key = d.query.toLowerCase();
    let e = names.get(key);
    if (e === undefined) names.set(key, (e = { count: 0, types: new Set(), answers: new Set(), rcodes: new Set(), first: d.ts }));
    e.count++;
    e.types.add(d.qtype);
    for (const ans of d.answers) e.answers.add(ans.data);
    e.rcodes.add(d.rcode);
  }
  return [...names.entries()]
    .sort((x, y) => x[1].first.localeCompare(y[1].first))
    .map(([name, e]) => {
      const answers = [...e.answers];
      return { name, first: e.first, types: [...e.types], answers: answers.slice(0, 5), moreAnswers: answers.length > 5, rcodes: [...e.rcodes], count: e.count };
    });
}

/**
 * `dnsNameRows(dns).slice(0, limit)` and the number of names, without gathering every name's lookups:
 * a capture of half a million names would need hundreds of MB for that. Names are counted in a set,
 * the first `limit` by first lookup are chosen as they come, and only their lookups are gathered.
 */
export function dnsNameDigest(dns: readonly DnsFact[], limit: number): { total: number; rows: DnsNameRow[] } {
  const seen = new Set<string>();
  let firsts: { name: string; first: string; order: number }[] = [];
  let cutoff: { first: string; order: number } | null = null;
  const byFirst = (x: { first: string; order: number }, y: { first: string; order: number }): number => x.first.localeCompare(y.first) || x.order - y.order;
  for (const d of dns) {
    const key = d.query.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const x = { name: key, first: d.ts, order: seen.size };
    // Later than the last of a full list already chosen: it cannot be among the first (one comparison).
    if (cutoff !== null && byFirst(x, cutoff) > 0) continue;
    firsts.push(x);
    if (firsts.length >= 2 * limit + 64) {
      firsts = firsts.sort(byFirst).slice(0, limit);
      cutoff = firsts[firsts.length - 1]!;
    }
  }
  const chosen = new Set(firsts.sort(byFirst).slice(0, limit).map((x) => x.name));
  return { total: seen.size, rows: dnsNameRows(dns.filter((d) => chosen.has(d.query.toLowerCase()))) };
}

function more(lang: Lang, total: number, shown: number): string {
  return total > shown ? `<p class="note">${esc(t(lang, 'appendix.more', { count: formatNumber(lang, total - shown) }))}</p>` : '';
}

function appendix(a: Analysis, lang: Lang, opts: HtmlOptions): string {
  const max = opts.maxRows ?? (opts.print ? PRINT_ROWS : SCREEN_ROWS);
  const c = a.capture;
  const parts: string[] = [];
  parts.push(`<h3>${esc(t(lang, 'appendix.capture.heading'))}</h3><dl class="kv">
<dt>${esc(t(lang, 'appendix.fileName'))}</dt><dd class="mono">${esc(c.name)}</dd>
<dt>${esc(t(lang, 'appendix.sha256'))}</dt><dd class="mono">${esc(c.sha256)}</dd>
<dt>${esc(t(lang, 'appendix.format'))}</dt><dd>${esc(a.facts.capture.format)}</dd>
<dt>${esc(t(lang, 'appendix.duration'))}</dt><dd>${esc(formatDuration(lang, c.durationSeconds))}</dd>
<dt>${esc(t(lang, 'appendix.packets'))}</dt><dd>${esc(formatNumber(lang, c.packets))}</dd>
<dt>${esc(t(lang, 'appendix.bytes'))}</dt><dd>${esc(formatSize(lang, c.bytes))}</dd>
<dt>${esc(t(lang, 'appendix.firstSeen'))}</dt><dd>${esc(formatClock(c.firstSeen))}</dd>
<dt>${esc(t(lang, 'appendix.lastSeen'))}</dt><dd>${esc(formatClock(c.lastSeen))}</dd>
</dl>`);

  parts.push(`<h3>${esc(t(lang, 'appendix.timeline.heading'))}</h3>${timelineSvg(a, lang)}`);

  const apps = a.facts.apps ?? [];
  if (apps.length > 0) {
    const sorted = [...apps].sort((x, y) => y.connections - x.connections);
    parts.push(`<h3>${esc(t(lang, 'appendix.apps.heading'))} (${esc(formatNumber(lang, apps.length))})</h3>`);
    parts.push(
      table(
        [{ label: t(lang, 'col.package') }, { label: t(lang, 'col.appName') }, { label: t(lang, 'col.uid'), num: true }, { label: t(lang, 'col.connections'), num: true }],
        sorted.slice(0, max).map((x) => [`<span class="mono">${esc(x.package ?? '—')}</span>`, esc(x.name ?? '—'), esc(x.uid), esc(formatNumber(lang, x.connections))]),
      ) + more(lang, sorted.length, Math.min(sorted.length, max)),
    );
  }

  const conns = [...a.facts.connections].sort((x, y) => y.bytes - x.bytes);
  const connTotal = a.digest?.connections ?? conns.length;
  parts.push(`<h3>${esc(t(lang, 'appendix.connections.heading'))} (${esc(formatNumber(lang, connTotal))})</h3>`);
  parts.push(
    connTotal === 0
      ? `<p>${esc(t(lang, 'appendix.none'))}</p>`
      : table(
          [
            { label: t(lang, 'col.proto'), nowrap: true },
            { label: t(lang, 'col.server'), nowrap: true },
            { label: t(lang, 'col.port'), num: true },
            { label: t(lang, 'col.names') },
            { label: t(lang, 'col.sent'), num: true },
            { label: t(lang, 'col.received'), num: true },
            { label: t(lang, 'col.first'), nowrap: true },
            { label: t(lang, 'col.duration'), num: true },
          ],
          conns.slice(0, max).map((x) => [
            esc(x.proto) + (x.service ? ` <span class="note">${esc(x.service)}</span>` : ''),
            `<span class="mono">${esc(x.dst)}</span>`,
            esc(x.dport),
            esc(x.names.slice(0, 5).join(', ') + (x.names.length > 5 ? ', …' : '')),
            esc(formatSize(lang, x.bytesToServer)),
            esc(formatSize(lang, x.bytesToClient)),
            esc(formatClock(x.firstSeen)),
            esc(formatDuration(lang, Math.max(0, (Date.parse(x.lastSeen) - Date.parse(x.firstSeen)) / 1000))),
          ]),
        ) + more(lang, connTotal, max),
  );

  const dnsRows = a.digest?.dnsRows ?? dnsNameRows(a.facts.dns);
  const dnsTotal = a.digest?.dnsNames ?? dnsRows.length;
  parts.push(`<h3>${esc(t(lang, 'appendix.dns.heading'))} (${esc(formatNumber(lang, dnsTotal))})</h3>`);
  parts.push(
    dnsTotal === 0
      ? `<p>${esc(t(lang, 'appendix.none'))}</p>`
      : table(
          [{ label: t(lang, 'col.first'), nowrap: true }, { label: t(lang, 'col.name') }, { label: t(lang, 'col.type') }, { label: t(lang, 'col.answers') }, { label: '#', num: true }],
          dnsRows.slice(0, max).map((e) => {
            const rcodes = [...new Set(e.rcodes.map((r) => r ?? t(lang, 'appendix.noAnswer')))];
            return [
              esc(formatClock(e.first)),
              `<span class="mono">${esc(e.name)}</span>`,
              esc(e.types.join(', ')),
              `<span class="mono">${esc(e.answers.slice(0, 4).join(', ') + (e.answers.length > 4 || e.moreAnswers ? ', …' : ''))}</span> <span class="note">${esc(rcodes.join(', '))}</span>`,
              esc(e.count),
            ];
          }),
        ) + more(lang, dnsTotal, max),
  );

  const tlsRows: string[][] = [];
  for (const s of a.facts.tls) {
    const cert = s.certificates[0];
    tlsRows.push([
      esc(formatClock(s.ts)),
      `<span class="mono">${esc(s.sni ?? '—')}</span><br><span class="note mono">${esc(s.server)}:${esc(s.dport)} ${esc(s.version)}</span>`,
      cert
        ? `${esc(cert.subject)}${cert.selfSigned ? ` <span class="badge b-moderate">${esc(t(lang, 'cert.selfSigned'))}</span>` : ''}<br><span class="note">${esc(t(lang, 'col.issuer'))}: ${esc(cert.issuer)}</span><br><span class="note mono">SHA-1 ${esc(cert.sha1)}</span>`
        : '—',
      cert ? `${esc(cert.notBefore.slice(0, 10))} → ${esc(cert.notAfter.slice(0, 10))}` : '',
      `<span class="mono">${esc(s.ja4)}</span>`,
    ]);
  }
  for (const q of a.facts.quic) {
    tlsRows.push([
      esc(formatClock(q.ts)),
      `<span class="mono">${esc(q.sni ?? '—')}</span><br><span class="note mono">${esc(q.server)}:${esc(q.dport)} QUIC ${esc(q.version)}</span>`,
      '—',
      '',
      `<span class="mono">${esc(q.ja4)}</span>`,
    ]);
  }
  tlsRows.sort((x, y) => x[0]!.localeCompare(y[0]!));
  const tlsTotal = a.digest?.tlsRows ?? tlsRows.length;
  parts.push(`<h3>${esc(t(lang, 'appendix.tls.heading'))} (${esc(formatNumber(lang, tlsTotal))})</h3>`);
  parts.push(
    tlsTotal === 0
      ? `<p>${esc(t(lang, 'appendix.none'))}</p>`
      : table(
          [{ label: t(lang, 'col.time'), nowrap: true }, { label: t(lang, 'col.sni') }, { label: t(lang, 'col.certificate') }, { label: t(lang, 'col.validity') }, { label: 'JA4' }],
          tlsRows.slice(0, max),
        ) + more(lang, tlsTotal, max),
  );

  const httpTotal = a.digest?.http ?? a.facts.http.length;
  if (httpTotal > 0) {
    parts.push(`<h3>${esc(t(lang, 'appendix.http.heading'))} (${esc(formatNumber(lang, httpTotal))})</h3>`);
    parts.push(
      table(
        [{ label: t(lang, 'col.time'), nowrap: true }, { label: t(lang, 'col.host') }, { label: t(lang, 'col.method') }],
        a.facts.http.slice(0, max).map((h) => [
          esc(formatClock(h.ts)),
          `<span class="mono">${esc(h.host)}</span><br><span class="note mono">${esc(h.server)}:${esc(h.dport)}</span>`,
          `<span class="mono">${esc(h.method)} ${esc(h.uri.length > 200 ? `${h.uri.slice(0, 200)}…` : h.uri)}</span>`,
        ]),
      ) + more(lang, httpTotal, max),
    );
  }

  parts.push(`<h3>${esc(t(lang, 'appendix.feeds.heading'))}</h3>`);
  parts.push(
    a.feeds.length === 0
      ? `<p>${esc(t(lang, 'appendix.feeds.none'))}</p>`
      : table(
          [{ label: t(lang, 'col.feed') }, { label: t(lang, 'col.role') }, { label: t(lang, 'col.version') }, { label: t(lang, 'col.date') }, { label: t(lang, 'col.entries'), num: true }],
          a.feeds.map((f) => [
            esc(f.name) + (f.source && f.source !== f.name && !opts.print ? `<br><span class="note mono">${esc(f.source)}</span>` : ''),
            esc(t(lang, `feed.role.${f.list}`)),
            `<span class="mono">${esc(f.version ?? '—')}</span>`,
            esc(formatDate(lang, f.date)),
            esc(formatNumber(lang, f.indicators + f.rules)),
          ]),
        ),
  );

  parts.push(`<h3>${esc(t(lang, 'appendix.allowed.heading'))} (${esc(formatNumber(lang, a.allowed.length))})</h3><p class="note">${esc(t(lang, 'report.allowed.intro'))}</p>`);
  parts.push(
    a.allowed.length === 0
      ? `<p>${esc(t(lang, 'appendix.none'))}</p>`
      : table(
          [{ label: t(lang, 'col.host') }, { label: t(lang, 'col.allowedBy') }, { label: t(lang, 'col.silenced') }],
          a.allowed.slice(0, max).map((x) => [
            `<span class="mono">${esc(x.host)}</span>`,
            `<span class="mono">${esc(x.allowedBy.value)}</span> <span class="note">${esc(x.allowedBy.feed)}</span>`,
            esc(x.silenced.join(', ')),
          ]),
        ) + more(lang, a.allowed.length, max),
  );

  return `<details class="appendix card"${opts.openAppendix ? ' open' : ''}><summary>${esc(t(lang, 'appendix.heading'))}</summary>
${parts.join('\n')}
</details>`;
}

/** The report of `a` in `lang`: an analysis has no language of its own, so one analysis renders in any. */
export function renderHtml(a: Analysis, lang: Lang, opts: HtmlOptions = {}): string {
  const v = a.verdict;
  return `<!DOCTYPE html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(t(lang, 'report.title'))} — ${esc(t(lang, `level.${v.level}`))}</title>
<style>${CSS}${opts.print ? printCss(lang, opts.print) : ''}</style>
</head>
<body>
<main>
<header>
<h1>${esc(t(lang, 'report.title'))}</h1>
<p class="meta">${esc(t(lang, 'report.madeOn', { date: formatDate(lang, a.generatedAt), version: a.version }))}<br>${esc(t(lang, 'report.file', { file: a.capture.name }))}</p>
<p class="private">${esc(t(lang, 'report.privateNote'))}</p>
</header>
${verdictSection({ lang, verdict: a.verdict })}
<section><h2>${esc(t(lang, 'report.meaning.heading'))}</h2><p>${esc(t(lang, `verdict.${v.level}.meaning`))}</p></section>
${guidanceSections(lang, guidance({ level: v.level, kind: 'traffic', help: opts.help ?? null, limits: v.limits }), (m) => renderMessage(lang, m))}
${onPhoneSection(a, lang)}${findingsSection(a, lang, opts)}
${hiddenByAllowSection(a, lang)}
${appendix(a, lang, opts)}
<footer>${esc(t(lang, 'report.footer'))}</footer>
</main>
</body>
</html>
`;
}
