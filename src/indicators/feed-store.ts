import type { FeedFormat, ParsedIndicator, PayloadRule } from './types.js';

/**
 * The storage contract for indicator feeds, declared by the indicators that use it so they need nothing from
 * the store above them. SQLite implements it today (src/store/sqlite.ts); a PostgreSQL backend for multi-user
 * installs only has to implement these methods.
 */

export type ListRole = 'block' | 'allow';
/** Where a feed entry came from: the configuration, `indicators import`, or a feed index (MVT). */
export type FeedOrigin = 'config' | 'import' | 'index';

export interface FeedState {
  name: string;
  url: string;
  format: FeedFormat;
  list: ListRole;
  origin: FeedOrigin;
  /** Identifies the stored set: a hash of the bytes it was parsed from. Null before the first good load. */
  version: string | null;
  etag: string | null;
  lastModified: string | null;
  /** ISO time of the last successful check (a new set or a 304). */
  fetchedAt: string | null;
  /** ISO time the stored set was swapped in. */
  loadedAt: string | null;
  lastAttemptAt: string | null;
  /** Why the last attempt failed; null when it succeeded. The previous set stays in place. */
  lastError: string | null;
  indicatorCount: number;
  ruleCount: number;
  /** Indicators per kind in the stored set. */
  kinds: Record<string, number>;
  /** Entries read but not stored, by reason (unknown STIX kinds, unsupported rule keywords, …). */
  skipped: Record<string, number>;
  /** An admin marked it local: its server may be on this machine or a private network. */
  local: boolean;
}

export interface NewSet {
  indicators: readonly ParsedIndicator[];
  rules: readonly PayloadRule[];
  skipped: Record<string, number>;
  version: string;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
}

/** One attempt to replace a feed's set, kept so a shrink (refused or forced) can be traced afterwards. */
export interface FeedUpdateRecord {
  feed: string;
  at: string;
  /** updated: swapped in; forced: swapped in by an admin past the shrink guard; refused: kept the previous set because the new one shrank too much or was empty; failed: download or parse failed. */
  outcome: 'updated' | 'forced' | 'refused' | 'failed';
  /** Indicators plus payload rules stored before the attempt. */
  previousCount: number;
  /** Indicators plus payload rules the new version held; null when it could not be read. */
  newCount: number | null;
  version: string | null;
  reason: string | null;
}

export interface StoredIndicator extends ParsedIndicator {
  feed: string;
}

export interface IndicatorStore {
  listFeeds(): FeedState[];
  getFeed(name: string): FeedState | null;
  /** Creates or updates a feed's settings without touching its indicators. */
  upsertFeed(feed: Pick<FeedState, 'name' | 'url' | 'format' | 'list' | 'origin'> & { local?: boolean }): void;
  /** Replaces a feed's whole set and state in one transaction: readers see the old set or the new one. */
  replaceSet(name: string, set: NewSet): void;
  /** Records a check that brought nothing new (HTTP 304, identical bytes). */
  recordUnchanged(name: string, at: string, etag: string | null, lastModified: string | null): void;
  /** Records a failed attempt; the stored set is left as it was. */
  recordFailure(name: string, at: string, error: string): void;
  removeFeed(name: string): boolean;
  recordFeedUpdate(u: FeedUpdateRecord): void;
  /** Newest first; only one feed's when `feed` is given. */
  feedUpdates(feed?: string, limit?: number): FeedUpdateRecord[];
  /** Every stored indicator, streamed (a large store does not fit in an array twice). */
  forEachIndicator(fn: (ind: StoredIndicator) => void): void;
  payloadRules(): { feed: string; rule: PayloadRule }[];
  close(): void;
}
