import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { pt } from './pt.js';

/**
 * Every user-facing word of the report and of `quietcheck analyze` lives in these catalogues, so a
 * survivor reads the whole report in one language. Catalogues are flat `key → text` maps with `{name}`
 * placeholders; a test keeps their keys and placeholders identical across languages.
 */

export const LANGS = ['en', 'fr', 'es', 'de', 'it', 'pt'] as const;
export type Lang = (typeof LANGS)[number];

export type Params = Record<string, string | number>;

/** A sentence not yet put into words: rendered late, in whichever language the reader picked. Detection writes its messages this way. */
export interface Message {
  key: string;
  params: Params;
}

export const CATALOGUES: Record<Lang, Record<string, string>> = { en, fr, es, de, it, pt };

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

function substitute(lang: Lang, text: string, params: Params): string {
  return text.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (typeof v === 'string') return v;
    // Ports and years must not gain group separators ("8,080"); fractions still get the local decimal mark.
    return Number.isInteger(v) ? String(v) : new Intl.NumberFormat(lang, { maximumFractionDigits: 2, useGrouping: false }).format(v);
  });
}

/**
 * The text for `key`. A key with plural forms is written as `key.one` / `key.other` (CLDR categories
 * of the language); those are picked by `pluralCount`, else by `params.count`. A key missing from a catalogue falls back to
 * English rather than showing a raw key to a survivor; the locale test makes that fallback unreachable.
 */
export function t(lang: Lang, key: string, params: Params = {}, pluralCount?: number): string {
  const cat = CATALOGUES[lang];
  let text = cat[key] ?? en[key];
  const n = pluralCount ?? (typeof params.count === 'number' ? params.count : undefined);
  if (text === undefined && n !== undefined) {
    const form = new Intl.PluralRules(lang).select(n);
    text = cat[`${key}.${form}`] ?? cat[`${key}.other`] ?? en[`${key}.${form}`] ?? en[`${key}.other`];
  }
  if (text === undefined) return key;
  return substitute(lang, text, params);
}

export function has(lang: Lang, key: string): boolean {
  const cat = CATALOGUES[lang];
  return key in cat || `${key}.other` in cat;
}

export function render(lang: Lang, m: Message): string {
  return t(lang, m.key, m.params);
}

/** "A, B and C" in the reader's language. */
export function joinList(lang: Lang, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}
