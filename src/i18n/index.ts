import { readCatalogue } from './catalogues.js';
import { hasKey, translate, type Params } from './translate.js';

/**
 * Every user-facing word of the report, of `quietcheck analyze` and of the web UI lives in the locale files
 * (locales/<lang>/{report,ui}.json), so a survivor reads the whole report in one language. A test keeps
 * their keys and placeholders identical across languages.
 */

export const LANGS = ['en', 'fr', 'es', 'de', 'it', 'pt'] as const;
export type Lang = (typeof LANGS)[number];

export type { Params } from './translate.js';

/** A sentence not yet put into words: rendered late, in whichever language the reader picked. */
export interface Message {
  key: string;
  params: Params;
}

const loaded: Partial<Record<Lang, Record<string, string>>> = {};

function catalogue(lang: Lang): Record<string, string> {
  return (loaded[lang] ??= readCatalogue(lang));
}

/** Each language's words as one flat map (both namespaces), read from disk the first time it is asked for. */
export const CATALOGUES = {} as Readonly<Record<Lang, Record<string, string>>>;
for (const l of LANGS) Object.defineProperty(CATALOGUES, l, { get: () => catalogue(l), enumerable: true });

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

/** The language of a POSIX locale string (`fr_FR.UTF-8` → fr), or null when quietcheck does not speak it. */
export function langFromLocale(locale: string | undefined): Lang | null {
  if (!locale) return null;
  const code = locale.toLowerCase().split(/[_.@-]/)[0] ?? '';
  return isLang(code) ? code : null;
}

export function formatNumber(lang: Lang, n: number, maxFraction = 0): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: maxFraction }).format(n);
}

/**
 * The text for `key`, with `{{name}}` placeholders filled from `params`. Plural forms (`key_one`,
 * `key_other`) are picked by `pluralCount`, else by `params.count`. A key missing from a language falls
 * back to English rather than showing a raw key to a survivor; the locale test makes that fallback unreachable.
 */
export function t(lang: Lang, key: string, params: Params = {}, pluralCount?: number): string {
  return translate(lang, catalogue(lang), catalogue('en'), key, params, pluralCount);
}

export function has(lang: Lang, key: string): boolean {
  return hasKey(catalogue(lang), key);
}

export function render(lang: Lang, m: Message): string {
  return t(lang, m.key, m.params);
}

/** "A, B and C" in the reader's language. */
export function joinList(lang: Lang, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}
