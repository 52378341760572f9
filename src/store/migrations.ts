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
  // 2: the live check service: checks, settings, the admin account and its sessions, the local allow-list.
  `
  CREATE TABLE checks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('live', 'upload')),
    state TEXT NOT NULL CHECK (state IN ('created', 'waiting-for-device', 'capturing', 'analysing', 'done', 'failed')),
    iface TEXT,
    device TEXT,
    filter TEXT,
    duration_seconds INTEGER,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    stopped_at TEXT,
    finished_at TEXT,
    packets INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    level TEXT,
    families TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    recovered INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX checks_state ON checks(state);
  CREATE INDEX checks_created ON checks(created_at);
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE admin (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE allow_list (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('domain', 'ip', 'cidr')),
    value TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, value)
  );
  `,
  // 3: hotspot and sinkhole checks: how the phone was connected, and the name its DHCP request gave.
  `
  ALTER TABLE checks ADD COLUMN mode TEXT NOT NULL DEFAULT 'interface' CHECK (mode IN ('interface', 'hotspot', 'sinkhole'));
  ALTER TABLE checks ADD COLUMN device_name TEXT;
  `,
  // 4: the name of the hotspot a check ran on, so detection can look for it in clear text even when the
  // check is finished from its file after a crash, when the hotspot is long gone.
  `
  ALTER TABLE checks ADD COLUMN hotspot_ssid TEXT;
  `,
  // 5: every feed update with the counts before and after, so a feed that shrank (or was forced to) shows when and by how much;
  // and whether an admin marked a feed local (its server may be on this machine or a private network).
  `
  CREATE TABLE feed_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feed TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('updated', 'forced', 'refused', 'failed')),
    previous_count INTEGER NOT NULL,
    new_count INTEGER,
    version TEXT,
    reason TEXT
  );
  CREATE INDEX feed_updates_feed ON feed_updates(feed, at);
  ALTER TABLE feeds ADD COLUMN local INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: device checks (a phone read over USB) are checks like the others, so the history, retention and
  // deletion cover them: the source constraint is widened, which SQLite does only by copying the table.
  `
  CREATE TABLE checks_new (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('live', 'upload', 'device')),
    state TEXT NOT NULL CHECK (state IN ('created', 'waiting-for-device', 'capturing', 'analysing', 'done', 'failed')),
    iface TEXT,
    device TEXT,
    filter TEXT,
    duration_seconds INTEGER,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    stopped_at TEXT,
    finished_at TEXT,
    packets INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    level TEXT,
    families TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    recovered INTEGER NOT NULL DEFAULT 0,
    mode TEXT NOT NULL DEFAULT 'interface' CHECK (mode IN ('interface', 'hotspot', 'sinkhole')),
    device_name TEXT,
    hotspot_ssid TEXT
  );
  INSERT INTO checks_new (id, source, state, iface, device, filter, duration_seconds, lang, created_at, started_at, stopped_at, finished_at,
                          packets, bytes, level, families, error, recovered, mode, device_name, hotspot_ssid)
    SELECT id, source, state, iface, device, filter, duration_seconds, lang, created_at, started_at, stopped_at, finished_at,
           packets, bytes, level, families, error, recovered, mode, device_name, hotspot_ssid FROM checks;
  DROP TABLE checks;
  ALTER TABLE checks_new RENAME TO checks;
  CREATE INDEX checks_state ON checks(state);
  CREATE INDEX checks_created ON checks(created_at);
  `,
];
