import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, parseFeed } from '../../src/indicators/formats/index.js';
import { Indicators, type FeedInfo } from '../../src/indicators/matcher.js';
import type { ParsedIndicator } from '../../src/indicators/types.js';
import { INDICATORS } from '../helpers/paths.js';

/** The shared feeds a real install loads, read from ../shared/data (never copied into the repo). */
export const FEED_FILES: { file: string; list: FeedInfo['list'] }[] = [
  { file: 'stalkerware-indicators/ioc.yaml', list: 'block' },
  { file: 'stalkerware-indicators/watchware.yaml', list: 'block' },
  { file: 'tinycheck/iocs.json', list: 'block' },
  { file: 'tinycheck/whitelist.json', list: 'allow' },
  { file: 'amnesty/2021-07-18_nso_pegasus.stix2', list: 'block' },
];

export function parsed(file: string): ParsedIndicator[] {
  const text = readFileSync(join(INDICATORS, file), 'utf8');
  const format = detectFormat(file, text);
  if (format === null) throw new Error(`no format for ${file}`);
  return parseFeed(text, file, format).indicators;
}

let cached: Indicators | null = null;

/** Every shared feed in one matcher, loaded once per test file. */
export function realIndicators(): Indicators {
  if (cached) return cached;
  const m = new Indicators();
  for (const { file, list } of FEED_FILES) {
    const text = readFileSync(join(INDICATORS, file), 'utf8');
    const format = detectFormat(file, text);
    if (format === null) throw new Error(`no format for ${file}`);
    const r = parseFeed(text, file, format);
    const feed: FeedInfo = { name: file, version: 'shared-snapshot', list };
    for (const i of r.indicators) m.add(i, feed);
    for (const x of r.rules) m.addRule(x, feed);
  }
  cached = m;
  return m;
}
