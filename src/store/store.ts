import type { IndicatorStore } from '../indicators/feed-store.js';

// The indicator feeds' part of the store is declared by the indicators (see there); named here too for the
// store's own users.
export type { FeedOrigin, FeedState, FeedUpdateRecord, IndicatorStore, ListRole, NewSet, StoredIndicator } from '../indicators/feed-store.js';

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
