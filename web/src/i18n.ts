/**
 * The UI's words, from the same locale files as the report (its own namespace, `ui.*`, plus the report's
 * verdict and advice), put together by the same translate() as the report's. The language is chosen per
 * check: a check carries its language, and the welcome and upload screens pick one for the next check.
 */
import { translate, type Params } from '../../src/i18n/translate.ts';
import { signal } from './store.ts';

export const LANGS = ['en', 'fr', 'es', 'de', 'it', 'pt'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language by its own name: the reader must recognise theirs without reading another. */
export const LANG_NAMES: Record<Lang, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  de: 'Deutsch',
  it: 'Italiano',
  pt: 'Português',
};

export function isLang(s: unknown): s is Lang {
  return typeof s === 'string' && (LANGS as readonly string[]).includes(s);
}

const loaders: Record<Lang, () => Promise<{ default: Record<string, string> }>> = {
  en: () => import('virtual:qc-strings/en'),
  fr: () => import('virtual:qc-strings/fr'),
  es: () => import('virtual:qc-strings/es'),
  de: () => import('virtual:qc-strings/de'),
  it: () => import('virtual:qc-strings/it'),
  pt: () => import('virtual:qc-strings/pt'),
};

const loaded: Partial<Record<Lang, Record<string, string>>> = {};

export function defaultLang(): Lang {
  for (const l of navigator.languages ?? [navigator.language]) {
    const code = (l ?? '').toLowerCase().split('-')[0];
    if (isLang(code)) return code;
  }
  return 'en';
}

export const lang = signal<Lang>('en');
/** Bumped when a catalogue arrives, so screens re-render with its words. */
export const ready = signal(0);

export async function setLang(l: Lang): Promise<void> {
  if (!loaded.en) loaded.en = (await loaders.en()).default;
  if (!loaded[l]) loaded[l] = (await loaders[l]()).default;
  lang.value = l;
  document.documentElement.lang = l;
  ready.value++;
}

export type { Params };

/** As the report's t(): `{{name}}` placeholders, `_one`/`_other` plural forms picked by `count`, English when a word is missing. */
export function t(key: string, params: Params = {}, l: Lang = lang.value): string {
  return translate(l, loaded[l] ?? {}, loaded.en ?? {}, key, params);
}

export function fmtNumber(n: number, max = 0): string {
  return new Intl.NumberFormat(lang.value, { maximumFractionDigits: max }).format(n);
}

export function fmtBytes(n: number): string {
  if (n < 1000) return t('size.B', { n: fmtNumber(n) });
  if (n < 1e6) return t('size.KB', { n: fmtNumber(n / 1e3, 1) });
  if (n < 1e9) return t('size.MB', { n: fmtNumber(n / 1e6, 1) });
  return t('size.GB', { n: fmtNumber(n / 1e9, 2) });
}

export function fmtDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang.value, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
