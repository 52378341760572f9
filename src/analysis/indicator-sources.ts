import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { feedText, readLocalFeed } from '../indicators/fetch.js';
import { feedConfigsBeside, isFeedActive, loadIndicators } from '../indicators/feeds.js';
import { detectFormat, parseFeed } from '../indicators/formats/index.js';
import { Indicators } from '../indicators/matcher.js';
import { FeedError, type FeedSummary } from '../indicators/types.js';
import type { IndicatorStore } from '../indicators/feed-store.js';

/** The indicator lists an analysis uses: the matcher, and each list's summary as the report names it. */
export interface IndicatorSources {
  indicators: Indicators;
  feeds: FeedSummary[];
}

/**
 * Indicator files given on the command line, parsed as they are (no store involved): what a helper
 * uses with a feed copied onto a USB stick. TinyCheck's whitelist becomes an allow list. Throws a
 * FeedError naming the file when one cannot be used: checking with a silently missing list would
 * understate the result.
 */
export async function loadIndicatorFiles(files: readonly string[]): Promise<IndicatorSources> {
  const indicators = new Indicators();
  const feeds: FeedSummary[] = [];
  const used = new Set<string>();
  for (const file of files) {
    const bytes = await readLocalFeed(file);
    const text = feedText(bytes, file);
    const format = detectFormat(file, text);
    if (format === null) throw new FeedError(`${file}: the format of this indicator file is not recognised`);
    const parsed = parseFeed(text, file, format);
    const list = format === 'tinycheck-whitelist' ? 'allow' : 'block';
    // Two files called ioc.yaml from different folders must stay two feeds in the report.
    let name = basename(file);
    for (let i = 2; used.has(name); i++) name = `${basename(file)} (${i})`;
    used.add(name);
    const version = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const info = { name, version, list } as const;
    let count = 0;
    for (const ind of parsed.indicators) if (indicators.add(ind, info)) count++;
    for (const rule of parsed.rules) indicators.addRule(rule, info);
    feeds.push({
      name,
      version,
      date: statSync(file).mtime.toISOString(),
      indicators: count,
      rules: parsed.rules.length,
      list,
      source: file,
      lastError: null,
    });
  }
  return { indicators, feeds };
}

/**
 * The matcher built from the stored feeds the configuration still enables, and those feeds' summaries
 * for the report — the same selection, so a report never names a feed that did not take part.
 */
export function indicatorSourcesFromStore(store: IndicatorStore): IndicatorSources {
  const configs = feedConfigsBeside(store);
  const indicators = loadIndicators(store, { configs });
  const feeds: FeedSummary[] = store
    .listFeeds()
    .filter((f) => f.version !== null && (configs === null || isFeedActive(f, configs)))
    .map((f) => ({
      name: f.name,
      version: f.version,
      date: f.fetchedAt ?? f.loadedAt,
      indicators: f.indicatorCount,
      rules: f.ruleCount,
      list: f.list,
      source: f.url,
      lastError: f.lastError,
    }));
  return { indicators, feeds };
}
