import type { FeedFormat, ParsedIndicator, PayloadRule } from '../indicators/types.js';

/**
 * The storage contract for indicator feeds. SQLite implements it today (src/store/sqlite.ts); a
 * PostgreSQL backend for multi-user installs only has to implement these methods.
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

// ---------------------------------------------------------------------------------------------------------
// The live check service

export const CHECK_STATES = ['created', 'waiting-for-device', 'capturing', 'analysing', 'done', 'failed'] as const;
export type CheckState = (typeof CHECK_STATES)[number];
/** device: a phone read over USB (its serial in `device`); the others are traffic checks. */
export type CheckSource = 'live' | 'upload' | 'device';

export interface CheckRecord {
  id: string;
  source: CheckSource;
  state: CheckState;
  iface: string | null;
  /** The device filter as the worker gave it (a MAC or an IP address), null for the whole interface. */
  device: string | null;
  /** The tcpdump filter derived from `device`. */
  filter: string | null;
  /** Null: runs until stopped. */
  durationSeconds: number | null;
  lang: string;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  finishedAt: string | null;
  packets: number;
  bytes: number;
  level: string | null;
  families: string[];
  error: string | null;
  /** True when a later start finalised it from the capture on disk after the process died. */
  recovered: boolean;
  // Hotspot and sinkhole checks.
  /** How the phone was connected: an existing interface, quietcheck's hotspot, or its hotspot in sinkhole mode. */
  mode: CheckMode;
  /** The name the device gave in its DHCP request (hotspot modes), once it joined. */
  deviceName: string | null;
  /** The SSID of quietcheck's hotspot the phone joined (hotspot modes over Wi-Fi); detection flags it sent in clear text. */
  hotspotSsid: string | null;
}

export const CHECK_MODES = ['interface', 'hotspot', 'sinkhole'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

export type NewCheck = Pick<CheckRecord, 'id' | 'source' | 'iface' | 'device' | 'filter' | 'durationSeconds' | 'lang' | 'createdAt'> & { mode?: CheckMode; hotspotSsid?: string | null };
export type CheckPatch = Partial<
  Pick<CheckRecord, 'startedAt' | 'stoppedAt' | 'finishedAt' | 'packets' | 'bytes' | 'level' | 'families' | 'error' | 'recovered' | 'device' | 'filter' | 'deviceName'>
>;

export interface CheckStore {
  createCheck(c: NewCheck): CheckRecord;
  getCheck(id: string): CheckRecord | null;
  /** Newest first. */
  listChecks(): CheckRecord[];
  checksInStates(states: readonly CheckState[]): CheckRecord[];
  /** Checks created before `iso`, whatever their state. */
  checksCreatedBefore(iso: string): CheckRecord[];
  /**
   * Moves a check to `to` only if it is in one of `from`, atomically; false when it was not (another
   * request or the capture got there first), so two paths never finalise one check twice.
   */
  transitionCheck(id: string, from: readonly CheckState[], to: CheckState, patch?: CheckPatch): boolean;
  /** Counters and fields that do not change the state. */
  updateCheck(id: string, patch: CheckPatch): void;
  deleteCheck(id: string): boolean;
}

export interface SettingsStore {
  getSetting(key: string): string | null;
  setSetting(key: string, value: string): void;
  allSettings(): Record<string, string>;
}

export interface SessionRecord {
  tokenHash: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

export interface AdminStore {
  /** The scrypt hash of the one admin password, or null before it was set. */
  adminPasswordHash(): string | null;
  setAdminPassword(hash: string): void;
  createSession(s: SessionRecord): void;
  getSession(tokenHash: string): SessionRecord | null;
  deleteSession(tokenHash: string): void;
  deleteSessionsExpiredBefore(iso: string): void;
  deleteAllSessions(): void;
}

export type AllowKind = 'domain' | 'ip' | 'cidr';

export interface AllowEntry {
  id: number;
  kind: AllowKind;
  value: string;
  note: string | null;
  createdAt: string;
}

export interface AllowListStore {
  listAllow(): AllowEntry[];
  /** Adding an entry that exists returns the existing one. */
  addAllow(kind: AllowKind, value: string, note: string | null): AllowEntry;
  removeAllow(id: number): boolean;
}

/** Everything `quietcheck serve` needs; a PostgreSQL backend implements this one interface. */
export interface Store extends IndicatorStore, CheckStore, SettingsStore, AdminStore, AllowListStore {}
