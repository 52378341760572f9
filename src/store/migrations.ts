/**
 * Schema versions, applied in order inside one transaction each; `PRAGMA user_version` records the
 * last one applied. Never edit a released migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: feeds and their indicators.
  `
  CREATE TABLE feeds (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    list TEXT NOT NULL DEFAULT 'block' CHECK (list IN ('block', 'allow')),
    origin TEXT NOT NULL DEFAULT 'config',
    version TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT,
    loaded_at TEXT,
    last_attempt_at TEXT,
    last_error TEXT,
    indicator_count INTEGER NOT NULL DEFAULT 0,
    rule_count INTEGER NOT NULL DEFAULT 0,
    kinds TEXT NOT NULL DEFAULT '{}',
    skipped TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE indicators (
    feed TEXT NOT NULL REFERENCES feeds(name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    family TEXT,
    tag TEXT,
    tlp TEXT,
    source TEXT NOT NULL,
    meta TEXT
  );
  CREATE INDEX indicators_feed ON indicators(feed);
  CREATE INDEX indicators_value ON indicators(value);
  CREATE TABLE payload_rules (
    feed TEXT NOT NULL REFERENCES feeds(name) ON DELETE CASCADE,
    rule TEXT NOT NULL
  );
  CREATE INDEX payload_rules_feed ON payload_rules(feed);
  `,
];
