import Database from 'better-sqlite3';
import { join } from 'node:path';
import { isFeedFormat, isIndicatorKind, type PayloadRule } from '../indicators/types.js';
import { MIGRATIONS } from './migrations.js';
import type { FeedState, IndicatorStore, NewSet, StoredIndicator } from './store.js';

export const DB_FILE = 'quietcheck.sqlite';

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

export class SqliteStore implements IndicatorStore {
  readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    // WAL lets the web UI read while an update writes; NORMAL sync is safe with WAL and much faster.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
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

  upsertFeed(f: Pick<FeedState, 'name' | 'url' | 'format' | 'list' | 'origin'>): void {
    this.db
      .prepare(
        `INSERT INTO feeds (name, url, format, list, origin) VALUES (@name, @url, @format, @list, @origin)
         ON CONFLICT(name) DO UPDATE SET url = excluded.url, format = excluded.format, list = excluded.list, origin = excluded.origin`,
      )
      .run(f);
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
    this.db.close();
  }
}
