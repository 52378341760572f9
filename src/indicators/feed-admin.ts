import { DEFAULT_FEEDS, hasFeedsConfig, loadFeedsConfig, setFeedInConfig, type FeedConfig } from '../config/feeds.js';
import type { IndicatorStore } from './feed-store.js';
import { removeStoredFeed } from './feeds.js';
import { FeedError } from './types.js';

/**
 * Removing a list and changing its role, the same from the CLI and the console. A configured list
 * (feeds.yaml or the public defaults) is also changed in feeds.yaml, or the next update would undo it.
 */

export interface Removal {
  removed: string[];
  /** The list came from feeds.yaml or the defaults and was switched off there. */
  disabledInConfig: boolean;
}

export function removeFeedEverywhere(store: IndicatorStore, dataDir: string, name: string): Removal {
  const stored = store.getFeed(name);
  const configured = loadFeedsConfig(dataDir).some((c) => c.name === name);
  if (!stored && !configured) throw new FeedError(`no list named ${name}`);
  if (stored?.origin === 'index') throw new FeedError(`${name} comes with the list ${name.slice(0, name.indexOf('/'))}: remove that one`);
  const inConfig = configured && stored?.origin !== 'import';
  if (inConfig) setFeedInConfig(dataDir, name, { enabled: false });
  return { removed: removeStoredFeed(store, name), disabledInConfig: inConfig };
}

export function setFeedRole(store: IndicatorStore, dataDir: string, name: string, list: 'block' | 'allow'): void {
  const f = store.getFeed(name);
  if (!f) throw new FeedError(`no list named ${name}`);
  if (f.origin === 'config') setFeedInConfig(dataDir, name, { list });
  store.upsertFeed({ name: f.name, url: f.url, format: f.format, list, origin: f.origin });
}

/**
 * The lists "update now" in the console refreshes. Without a feeds.yaml no list was ever chosen on
 * this box: only those already stored are refreshed, so an offline first run does not gain five
 * failing online lists; the console offers to add the public lists instead.
 */
export function consoleFeedConfigs(store: IndicatorStore, dataDir: string): FeedConfig[] {
  if (hasFeedsConfig(dataDir)) return loadFeedsConfig(dataDir);
  const stored = new Set(store.listFeeds().map((f) => f.name));
  return DEFAULT_FEEDS.filter((f) => stored.has(f.name)).map((f) => ({ ...f }));
}
