import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { isFeedFormat, isIndicatorKind, type PayloadRule } from '../indicators/types.js';
import { MIGRATIONS } from './migrations.js';
import type {
  AllowEntry, AllowKind, CheckPatch, FeedUpdateRecord, CheckRecord, CheckState, FeedState, NewCheck, NewSet, SessionRecord, Store, StoredIndicator,
} from './store.js';

export const DB_FILE = 'quietcheck.sqlite';

/** Set once the database was rebuilt with secure_delete on (see scrubOnce). */
const SECURE_DELETE_SETTING = 'secureDeleteSince';

/** How many check records getCheck keeps: the checks being watched, not the history. */
const CHECK_CACHE_KEEP = 256;

/** The database and SQLite's companions to it: all owner-only, like the data directory. */
const DB_MODE = 0o600;
const COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * Creates the database file owner-only before SQLite opens it (SQLite would create it 0644, and gives
 * its -wal and -shm files the mode of the database), and narrows the files an older version left 0644.
 */
function ownerOnly(file: string, create: boolean): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return;
  if (create) {
    try {
      // 'a': never truncates a database that exists; an empty file is an empty database to SQLite.
      closeSync(openSync(file, 'a', DB_MODE));
    } catch {
      // Unwritable here: SQLite's own open reports it.
    }
  }
  for (const suffix of COMPANIONS) {
    try {
      chmodSync(file + suffix, DB_MODE);
    } catch {
      // Absent (ENOENT), or not ours to change (another user reading a shared data directory).
    }
  }
}

interface FeedRow {
  name: string;
  url: string;
  format: string;
  list: string;
  origin: string;
  version: string | null;
  etag: string | null;
  last_modified: string | null;
  fetched_at: string | null;
  loaded_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  indicator_count: number;
  rule_count: number;
  kinds: string;
  skipped: string;
  local?: number;
}

function toState(r: FeedRow): FeedState {
  if (!isFeedFormat(r.format)) throw new Error(`database: feed ${r.name} has unknown format ${r.format}`);
  return {
    name: r.name,
    url: r.url,
    format: r.format,
    list: r.list === 'allow' ? 'allow' : 'block',
    origin: r.origin === 'import' ? 'import' : r.origin === 'index' ? 'index' : 'config',
    version: r.version,
    etag: r.etag,
    lastModified: r.last_modified,
    fetchedAt: r.fetched_at,
    loadedAt: r.loaded_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    indicatorCount: r.indicator_count,
    ruleCount: r.rule_count,
    kinds: JSON.parse(r.kinds) as Record<string, number>,
    skipped: JSON.parse(r.skipped) as Record<string, number>,
    local: r.local === 1,
  };
}

/** Payload bytes go through JSON as hex. */
function ruleToJson(rule: PayloadRule): string {
  return JSON.stringify({ ...rule, contents: rule.contents.map((c) => ({ ...c, bytes: Buffer.from(c.bytes).toString('hex') })) });
}
function ruleFromJson(s: string): PayloadRule {
  const r = JSON.parse(s) as Omit<PayloadRule, 'contents'> & { contents: (Omit<PayloadRule['contents'][number], 'bytes'> & { bytes: string })[] };
  return { ...r, contents: r.contents.map((c) => ({ ...c, bytes: new Uint8Array(Buffer.from(c.bytes, 'hex')) })) };
}

interface CheckRow {
  id: string;
  source: string;
  state: string;
  iface: string | null;
  device: string | null;
  filter: string | null;
  duration_seconds: number | null;
  lang: string;
  created_at: string;
  started_at: string | null;
  stopped_at: string | null;
  finished_at: string | null;
  packets: number;
  bytes: number;
  level: string | null;
  families: string;
  error: string | null;
  recovered: number;
  mode: string;
  device_name: string | null;
  hotspot_ssid: string | null;
}

function toCheck(r: CheckRow): CheckRecord {
  return {
    id: r.id,
    source: r.source === 'upload' || r.source === 'device' ? r.source : 'live',
    state: r.state as CheckState,
    iface: r.iface,
    device: r.device,
    filter: r.filter,
    durationSeconds: r.duration_seconds,
    lang: r.lang,
    createdAt: r.created_at,
    startedAt: r.started_at,
    stoppedAt: r.stopped_at,
    finishedAt: r.finished_at,
    packets: r.packets,
    bytes: r.bytes,
    level: r.level,
    families: JSON.parse(r.families) as string[],
    error: r.error,
    recovered: r.recovered !== 0,
    mode: r.mode === 'hotspot' || r.mode === 'sinkhole' ? r.mode : 'interface',
    deviceName: r.device_name,
    hotspotSsid: r.hotspot_ssid ?? null,
  };
}

const PATCH_COLUMNS: Record<keyof CheckPatch, string> = {
  startedAt: 'started_at',
  stoppedAt: 'stopped_at',
  finishedAt: 'finished_at',
  packets: 'packets',
  bytes: 'bytes',
  level: 'level',
  families: 'families',
  error: 'error',
  recovered: 'recovered',
  device: 'device',
  filter: 'filter',
  deviceName: 'device_name',
};

/** SET clause and values for a patch; column names come from the fixed map above, never from input. */
function patchSql(patch: CheckPatch): { sets: string[]; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [k, v] of Object.entries(patch) as [keyof CheckPatch, unknown][]) {
    if (v === undefined) continue;
    const col = PATCH_COLUMNS[k];
    if (col === undefined) continue;
    sets.push(`${col} = ?`);
    values.push(k === 'families' ? JSON.stringify(v) : k === 'recovered' ? (v ? 1 : 0) : v);
  }
  return { sets, values };
}

export class SqliteStore implements Store {
  readonly db: Database.Database;

  constructor(readonly file: string) {
    ownerOnly(file, true);
    this.db = new Database(file);
    // WAL lets the web UI read while an update writes; NORMAL sync is safe with WAL and much faster.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten with zeros in their pages, so a deleted check (its id, the phone's
    // MAC, its result) cannot be read back from free space; the WAL is emptied after deletions.
    this.db.pragma('secure_delete = ON');
    this.migrate();
    this.scrubOnce();
    // The -wal and -shm files exist now; ones left 0644 by an older version are narrowed too.
    ownerOnly(file, false);
  }

  static inDir(dataDir: string): SqliteStore {
    return new SqliteStore(join(dataDir, DB_FILE));
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(`${this.file} was written by a newer quietcheck (schema ${current}, this one knows ${MIGRATIONS.length})`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  /**
   * A database written before secure_delete was on may hold deleted rows in its free pages and in the
   * unused parts of pages: rebuilt once (VACUUM writes only live rows), then marked so later starts skip it.
   */
  private scrubOnce(): void {
    if (this.file === ':memory:' || this.file === '' || this.file.startsWith('file:')) return;
    if (this.getSetting(SECURE_DELETE_SETTING) !== null) return;
    try {
      // Unconditionally: pages freed before (and reused since, by the migrations) keep old bytes in their unused parts.
      this.db.exec('VACUUM');
    } catch (e) {
      // Another process holds the database (SQLITE_BUSY): the next open tries again.
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return;
      throw e;
    }
    this.setSetting(SECURE_DELETE_SETTING, new Date().toISOString());
    this.flushWal();
  }

  /**
   * Moves everything in the WAL into the database and truncates the WAL to nothing: the WAL keeps old
   * versions of pages (a deleted row as it was) until then. Returns false when a reader still holds an
   * old snapshot (another process on the same data directory); the next deletion tries again.
   */
  flushWal(): boolean {
    if (this.file === ':memory:') return true;
    const r = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return r[0]?.busy === 0;
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  listFeeds(): FeedState[] {
    return (this.db.prepare('SELECT * FROM feeds ORDER BY name').all() as FeedRow[]).map(toState);
  }

  getFeed(name: string): FeedState | null {
    const r = this.db.prepare('SELECT * FROM feeds WHERE name = ?').get(name) as FeedRow | undefined;
    return r ? toState(r) : null;
  }

  upsertFeed(f: Pick<FeedState, 'name' | 'url' | 'format' | 'list' | 'origin'> & { local?: boolean }): void {
    this.db
      .prepare(
        `INSERT INTO feeds (name, url, format, list, origin, local) VALUES (@name, @url, @format, @list, @origin, @local)
         ON CONFLICT(name) DO UPDATE SET url = excluded.url, format = excluded.format, list = excluded.list, origin = excluded.origin, local = excluded.local`,
      )
      .run({ name: f.name, url: f.url, format: f.format, list: f.list, origin: f.origin, local: f.local ? 1 : 0 });
  }

  replaceSet(name: string, set: NewSet): void {
    const kinds: Record<string, number> = {};
    for (const i of set.indicators) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
    const insert = this.db.prepare('INSERT INTO indicators (feed, kind, value, family, tag, tlp, source, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insertRule = this.db.prepare('INSERT INTO payload_rules (feed, rule) VALUES (?, ?)');
    this.db.transaction(() => {
      if (!this.getFeed(name)) throw new Error(`feed ${name} is not configured`);
      this.db.prepare('DELETE FROM indicators WHERE feed = ?').run(name);
      this.db.prepare('DELETE FROM payload_rules WHERE feed = ?').run(name);
      for (const i of set.indicators) insert.run(name, i.kind, i.value, i.family, i.tag, i.tlp, i.source, i.meta ? JSON.stringify(i.meta) : null);
      for (const r of set.rules) insertRule.run(name, ruleToJson(r));
      this.db
        .prepare(
          `UPDATE feeds SET version = ?, etag = ?, last_modified = ?, fetched_at = ?, loaded_at = ?, last_attempt_at = ?,
             last_error = NULL, indicator_count = ?, rule_count = ?, kinds = ?, skipped = ? WHERE name = ?`,
        )
        .run(set.version, set.etag, set.lastModified, set.fetchedAt, new Date().toISOString(), set.fetchedAt, set.indicators.length, set.rules.length, JSON.stringify(kinds), JSON.stringify(set.skipped), name);
    }).immediate();
  }

  recordUnchanged(name: string, at: string, etag: string | null, lastModified: string | null): void {
    this.db
      .prepare('UPDATE feeds SET fetched_at = ?, last_attempt_at = ?, last_error = NULL, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) WHERE name = ?')
      .run(at, at, etag, lastModified, name);
  }

  recordFailure(name: string, at: string, error: string): void {
    this.db.prepare('UPDATE feeds SET last_attempt_at = ?, last_error = ? WHERE name = ?').run(at, error, name);
  }

  removeFeed(name: string): boolean {
    return this.db.transaction(() => this.db.prepare('DELETE FROM feeds WHERE name = ?').run(name).changes > 0).immediate();
  }

  recordFeedUpdate(u: FeedUpdateRecord): void {
    this.db
      .prepare('INSERT INTO feed_updates (feed, at, outcome, previous_count, new_count, version, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(u.feed, u.at, u.outcome, u.previousCount, u.newCount, u.version, u.reason);
  }

  feedUpdates(feed?: string, limit = 100): FeedUpdateRecord[] {
    const rows = (
      feed === undefined
        ? this.db.prepare('SELECT * FROM feed_updates ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM feed_updates WHERE feed = ? ORDER BY id DESC LIMIT ?').all(feed, limit)
    ) as { feed: string; at: string; outcome: FeedUpdateRecord['outcome']; previous_count: number; new_count: number | null; version: string | null; reason: string | null }[];
    return rows.map((r) => ({ feed: r.feed, at: r.at, outcome: r.outcome, previousCount: r.previous_count, newCount: r.new_count, version: r.version, reason: r.reason }));
  }

  forEachIndicator(fn: (ind: StoredIndicator) => void): void {
    const stmt = this.db.prepare('SELECT feed, kind, value, family, tag, tlp, source, meta FROM indicators').raw(true);
    for (const row of stmt.iterate() as IterableIterator<[string, string, string, string | null, string | null, string | null, string, string | null]>) {
      const [feed, kind, value, family, tag, tlp, source, meta] = row;
      if (!isIndicatorKind(kind)) continue;
      const ind: StoredIndicator = { feed, kind, value, family, tag, tlp, source };
      if (meta) ind.meta = JSON.parse(meta) as Record<string, string>;
      fn(ind);
    }
  }

  payloadRules(): { feed: string; rule: PayloadRule }[] {
    return (this.db.prepare('SELECT feed, rule FROM payload_rules').all() as { feed: string; rule: string }[]).map((r) => ({ feed: r.feed, rule: ruleFromJson(r.rule) }));
  }

  close(): void {
    this.checkCache.clear();
    this.db.close();
  }

  // ---------------------------------------------------------------------------------------------------
  // Checks

  createCheck(c: NewCheck): CheckRecord {
    this.db
      .prepare(
        `INSERT INTO checks (id, source, state, iface, device, filter, duration_seconds, lang, created_at, mode, hotspot_ssid)
         VALUES (?, ?, 'created', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.source, c.iface, c.device, c.filter, c.durationSeconds, c.lang, c.createdAt, c.mode ?? 'interface', c.hotspotSsid ?? null);
    return this.getCheck(c.id)!;
  }

  private getCheckStmt: Database.Statement | null = null;
  /**
   * Check records as last read, by id. Status polls and report reads ask for the same few checks
   * thousands of times a second while a capture runs; every write to a check goes through the methods
   * below, which drop its entry, so a read after a write sees the write. The records are frozen: a caller
   * cannot change what the next one gets, and an unchanged record is the same object (which lets the API
   * keep what it serialised from it).
   */
  private readonly checkCache = new Map<string, CheckRecord>();

  getCheck(id: string): CheckRecord | null {
    const hit = this.checkCache.get(id);
    if (hit !== undefined) return hit;
    this.getCheckStmt ??= this.db.prepare('SELECT * FROM checks WHERE id = ?');
    const r = this.getCheckStmt.get(id) as CheckRow | undefined;
    if (r === undefined) return null;
    const c = toCheck(r);
    Object.freeze(c.families);
    Object.freeze(c);
    if (this.checkCache.size >= CHECK_CACHE_KEEP) this.checkCache.delete(this.checkCache.keys().next().value!);
    this.checkCache.set(id, c);
    return c;
  }

  listChecks(): CheckRecord[] {
    return (this.db.prepare('SELECT * FROM checks ORDER BY created_at DESC, id').all() as CheckRow[]).map(toCheck);
  }

  checksInStates(states: readonly CheckState[]): CheckRecord[] {
    if (states.length === 0) return [];
    const marks = states.map(() => '?').join(', ');
    return (this.db.prepare(`SELECT * FROM checks WHERE state IN (${marks}) ORDER BY created_at`).all(...states) as CheckRow[]).map(toCheck);
  }

  checksCreatedBefore(iso: string): CheckRecord[] {
    return (this.db.prepare('SELECT * FROM checks WHERE created_at < ? ORDER BY created_at').all(iso) as CheckRow[]).map(toCheck);
  }

  transitionCheck(id: string, from: readonly CheckState[], to: CheckState, patch: CheckPatch = {}): boolean {
    if (from.length === 0) return false;
    const { sets, values } = patchSql(patch);
    const marks = from.map(() => '?').join(', ');
    const sql = `UPDATE checks SET ${['state = ?', ...sets].join(', ')} WHERE id = ? AND state IN (${marks})`;
    this.checkCache.delete(id);
    return this.db.prepare(sql).run(to, ...values, id, ...from).changes === 1;
  }

  updateCheck(id: string, patch: CheckPatch): void {
    const { sets, values } = patchSql(patch);
    if (sets.length === 0) return;
    this.checkCache.delete(id);
    this.db.prepare(`UPDATE checks SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  deleteCheck(id: string): boolean {
    this.checkCache.delete(id);
    const gone = this.db.prepare('DELETE FROM checks WHERE id = ?').run(id).changes > 0;
    if (gone) this.flushWal();
    return gone;
  }

  // ---------------------------------------------------------------------------------------------------
  // Settings

  getSetting(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? r.value : null;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  allSettings(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of this.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[]) out[r.key] = r.value;
    return out;
  }

  // ---------------------------------------------------------------------------------------------------
  // Admin account and sessions

  adminPasswordHash(): string | null {
    const r = this.db.prepare('SELECT password_hash FROM admin WHERE id = 1').get() as { password_hash: string } | undefined;
    return r ? r.password_hash : null;
  }

  setAdminPassword(hash: string): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO admin (id, password_hash, created_at, updated_at) VALUES (1, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
      )
      .run(hash, now, now);
  }

  createSession(s: SessionRecord): void {
    this.db.prepare('INSERT INTO sessions (token_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?)').run(s.tokenHash, s.csrf, s.createdAt, s.expiresAt);
  }

  getSession(tokenHash: string): SessionRecord | null {
    const r = this.db.prepare('SELECT token_hash, csrf, created_at, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { token_hash: string; csrf: string; created_at: string; expires_at: string }
      | undefined;
    return r ? { tokenHash: r.token_hash, csrf: r.csrf, createdAt: r.created_at, expiresAt: r.expires_at } : null;
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteSessionsExpiredBefore(iso: string): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(iso);
  }

  deleteAllSessions(): void {
    this.db.prepare('DELETE FROM sessions').run();
  }

  // ---------------------------------------------------------------------------------------------------
  // The local allow-list

  listAllow(): AllowEntry[] {
    return (this.db.prepare('SELECT id, kind, value, note, created_at FROM allow_list ORDER BY id').all() as {
      id: number;
      kind: AllowKind;
      value: string;
      note: string | null;
      created_at: string;
    }[]).map((r) => ({ id: r.id, kind: r.kind, value: r.value, note: r.note, createdAt: r.created_at }));
  }

  addAllow(kind: AllowKind, value: string, note: string | null): AllowEntry {
    this.db.prepare('INSERT INTO allow_list (kind, value, note, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(kind, value) DO NOTHING').run(kind, value, note, new Date().toISOString());
    return this.listAllow().find((e) => e.kind === kind && e.value === value)!;
  }

  removeAllow(id: number): boolean {
    return this.db.prepare('DELETE FROM allow_list WHERE id = ?').run(id).changes > 0;
  }
}
