/**
 * Finding and filling in a text of the locale files (i18next JSON v4: flat keys, `{{name}}` placeholders,
 * `key_one` / `key_other` plural forms). The report, the CLI, the server and the web UI all put their words
 * together here, so a sentence reads the same on the kiosk as in the report. It uses no Node or browser API:
 * the web bundle includes this file as it is.
 */

export type Params = Record<string, string | number>;
export type Catalogue = Readonly<Record<string, string>>;

/** `{{name}}`, with the spaces i18next also accepts inside the braces. */
const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralForm(lang: string, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules.select(n);
}

/** Own keys only: a key such as `constructor` must not find Object.prototype's. */
function own(cat: Catalogue, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(cat, key) ? cat[key] : undefined;
}

/** The names of the placeholders in a text, sorted, each once. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

export function interpolate(lang: string, text: string, params: Params): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (typeof v === 'string') return v;
    // Ports and years must not gain group separators ("8,080"); fractions still get the local decimal mark.
    return Number.isInteger(v) ? String(v) : new Intl.NumberFormat(lang, { maximumFractionDigits: 2, useGrouping: false }).format(v);
  });
}

/**
 * The text for `key` in `cat`, else in `fallback` (English) rather than a raw key shown to a survivor. A key
 * with plural forms is written `key_one` / `key_other` (the CLDR categories of the language, as i18next v4
 * names them); the form is picked by `pluralCount`, else by `params.count`.
 */
export function translate(lang: string, cat: Catalogue, fallback: Catalogue, key: string, params: Params = {}, pluralCount?: number): string {
  let text = own(cat, key) ?? own(fallback, key);
  const n = pluralCount ?? (typeof params.count === 'number' ? params.count : undefined);
  if (text === undefined && n !== undefined) {
    const form = pluralForm(lang, n);
    text = own(cat, `${key}_${form}`) ?? own(cat, `${key}_other`) ?? own(fallback, `${key}_${form}`) ?? own(fallback, `${key}_other`);
  }
  if (text === undefined) return key;
  return interpolate(lang, text, params);
}

/** Whether `cat` has words for `key`, as a plain text or as plural forms. */
export function hasKey(cat: Catalogue, key: string): boolean {
  return own(cat, key) !== undefined || own(cat, `${key}_other`) !== undefined;
}
