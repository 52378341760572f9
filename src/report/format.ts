import { formatNumber, joinList, t, type Lang, type Message, type Params } from '../i18n/index.js';
import { LIST_SEP } from '../analysis/types.js';

/** Times are shown in UTC and say so: the reader's zone is unknown, and the capture's own times are UTC. */
export function formatDate(lang: Lang, iso: string | null, withTime = true): string {
  if (!iso) return t(lang, 'date.unknown');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return t(lang, 'date.unknown');
  const text = new Intl.DateTimeFormat(lang, {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'UTC',
  }).format(d);
  return withTime ? t(lang, 'date.utc', { date: text }) : text;
}

/** A clock time for tables, in UTC with seconds: specialists match it against other logs. */
export function formatClock(iso: string | null): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

export function formatDuration(lang: Lang, seconds: number): string {
  if (seconds < 60) return t(lang, 'duration.seconds', { s: formatNumber(lang, seconds, seconds < 10 ? 1 : 0) });
  const m = Math.floor(seconds / 60);
  if (m < 60) return t(lang, 'duration.minutes', { m: String(m), s: String(Math.round(seconds - m * 60)) });
  return t(lang, 'duration.hours', { h: String(Math.floor(m / 60)), m: String(m % 60) });
}

export function formatSize(lang: Lang, bytes: number): string {
  if (bytes < 1000) return t(lang, 'size.B', { n: formatNumber(lang, bytes) });
  if (bytes < 1e6) return t(lang, 'size.KB', { n: formatNumber(lang, bytes / 1e3, 1) });
  if (bytes < 1e9) return t(lang, 'size.MB', { n: formatNumber(lang, bytes / 1e6, 1) });
  return t(lang, 'size.GB', { n: formatNumber(lang, bytes / 1e9, 2) });
}

/** Formats the raw params a Message carries (see verdict.ts) for the reader, then renders the text. */
export function renderMessage(lang: Lang, m: Message): string {
  const p: Params = {};
  for (const [k, v] of Object.entries(m.params)) {
    if ((k === 'date' || k === 'oldest') && typeof v === 'string') p[k] = formatDate(lang, v || null, false);
    else if (k === 'duration' && typeof v === 'number') p[k] = formatDuration(lang, v);
    else if (k === 'size' && typeof v === 'number') p[k] = formatSize(lang, v);
    else if (k === 'family' && typeof v === 'string') p[k] = joinList(lang, v.split(LIST_SEP).filter((s) => s.length > 0));
    else if ((k === 'count' || k === 'packets' || k === 'indicators') && typeof v === 'number') p[k] = formatNumber(lang, v);
    else p[k] = v;
  }
  // Plural forms are chosen on the number, not on its formatted text ("1 000" would not select "one").
  return t(lang, m.key, p, typeof m.params.count === 'number' ? m.params.count : undefined);
}
