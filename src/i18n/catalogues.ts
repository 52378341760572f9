import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The locale files, read from disk: locales/<lang>/<namespace>.json beside src/ in a checkout, and beside
 * dist/src/ once built (tsc copies them into dist/locales), so the same relative path serves both.
 */

/** `ui`: the kiosk and admin console (keys `ui.*`); `report`: everything else (report, CLI, server, device report). */
export const NAMESPACES = ['report', 'ui'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

export function localeFile(lang: string, ns: Namespace): string {
  return `${LOCALES_DIR}${lang}/${ns}.json`;
}

/** One namespace of one language, in file order. A missing or damaged file is an error that names it. */
export function readNamespace(lang: string, ns: Namespace): Record<string, string> {
  const file = localeFile(lang, ns);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the ${lang} words in ${file}: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file} is not a JSON object of texts`);
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') throw new Error(`${file}: ${k} is not a text`);
  }
  return data as Record<string, string>;
}

/** Both namespaces of one language as one map (their keys never overlap: `ui.*` is only in ui). */
export function readCatalogue(lang: string): Record<string, string> {
  return Object.fromEntries(NAMESPACES.flatMap((ns) => Object.entries(readNamespace(lang, ns))));
}
