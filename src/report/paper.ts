/**
 * The paper a printed report is laid out for. North and Central America and a few others print on
 * Letter; everywhere else on A4. The locale is the machine's (LC_PAPER, then LC_ALL, then LANG, as
 * the C library reads them); QUIETCHECK_PAPER=a4|letter says it outright.
 */

export type Paper = 'A4' | 'Letter';

/** Regions whose usual paper is Letter (CLDR's paperSize data). */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PR', 'CL', 'CO', 'VE', 'CR', 'GT', 'PA', 'SV', 'NI', 'DO', 'PH', 'BZ']);

export function paperForLocale(locale: string | undefined): Paper {
  const m = /^[a-z]{2,3}[_-]([A-Z]{2})\b/.exec(locale ?? '');
  return m && LETTER_REGIONS.has(m[1]!) ? 'Letter' : 'A4';
}

export function paperFromEnv(env: NodeJS.ProcessEnv = process.env): Paper {
  const forced = env.QUIETCHECK_PAPER?.trim().toLowerCase();
  if (forced === 'a4') return 'A4';
  if (forced === 'letter') return 'Letter';
  const locale = [env.LC_PAPER, env.LC_ALL, env.LANG].find((v) => v !== undefined && v !== '' && v !== 'C' && v !== 'POSIX');
  return paperForLocale(locale);
}
