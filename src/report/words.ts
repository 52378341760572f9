import type { Finding } from '../detect/types.js';
import { formatDate, formatDuration, formatSize } from './format.js';
import { formatNumber, has, t, type Lang, type Params } from '../i18n/index.js';

/**
 * Findings carry an id and params only; their words come from `finding.<id>.title` and
 * `finding.<id>.explanation`. A rule added without words still shows something honest (its id)
 * rather than a raw key; the locale test makes that path unreachable for known rules.
 */

const SIZE_PARAMS = new Set(['bytes', 'bytesUp', 'bytesDown']);
const DATE_PARAMS = new Set(['notAfter', 'notBefore', 'seenAt']);

/** Raw rule params made readable: sizes, durations, dates and shares in the reader's conventions. */
function paramsOf(lang: Lang, f: Finding): Params {
  const raw: Params = { host: f.host, ...f.params };
  const p: Params = {};
  for (const [k, v] of Object.entries(raw)) {
    if (SIZE_PARAMS.has(k) && typeof v === 'number') p[k] = formatSize(lang, v);
    else if (k === 'period' && typeof v === 'number') p[k] = formatDuration(lang, v);
    else if (k === 'jitter' && typeof v === 'number') p[k] = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(v);
    else if (DATE_PARAMS.has(k) && typeof v === 'string') p[k] = formatDate(lang, v, false);
    else if (k === 'count' && typeof v === 'number') p[k] = formatNumber(lang, v);
    else p[k] = v;
  }
  // A feed that names no family still gets a readable sentence ("a server of spyware").
  const family = f.family ?? (typeof raw.family === 'string' ? raw.family : '');
  p.family = family || t(lang, 'finding.familyUnknown');
  return p;
}

function count(f: Finding): number | undefined {
  return typeof f.params.count === 'number' ? f.params.count : undefined;
}

export function findingTitle(lang: Lang, f: Finding): string {
  const key = `finding.${f.id}.title`;
  return has(lang, key) ? t(lang, key, paramsOf(lang, f), count(f)) : t(lang, 'finding.unknown.title', { id: f.id });
}

export function findingExplanation(lang: Lang, f: Finding): string {
  const key = `finding.${f.id}.explanation`;
  return has(lang, key) ? t(lang, key, paramsOf(lang, f), count(f)) : t(lang, 'finding.unknown.explanation', { id: f.id });
}

/**
 * "Made by the app …" for each app behind a finding, when the capture was made on the phone and says
 * which app opened the connection: what a worker needs to find the app on the phone.
 */
export function findingApps(lang: Lang, f: Finding): string[] {
  return (f.apps ?? []).map((a) => {
    if (a.package) return t(lang, 'report.finding.byApp', { package: a.package, appName: a.name ?? a.package });
    if (a.name) return t(lang, 'report.finding.byAppName', { appName: a.name, uid: a.uid });
    return t(lang, 'report.finding.byAppUid', { uid: a.uid });
  });
}

/** What spyware of this kind can read, chosen by the feed's category of the indicator. */
export function capabilities(lang: Lang, family: string | null, tag: string | null): string {
  if (!family) return t(lang, 'capabilities.generic');
  const kind = (tag ?? '').toLowerCase();
  if (kind === 'watchware') return t(lang, 'capabilities.watchware', { family });
  if (kind === 'spyware' || kind === 'apt') return t(lang, 'capabilities.spyware', { family });
  return t(lang, 'capabilities.stalkerware', { family });
}
