import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, parse, parseDocument } from 'yaml';
import { isFeedFormat, type FeedFormat } from './feed-formats.js';

/**
 * The feeds `quietcheck indicators update` keeps current. Without a `feeds.yaml` in the data
 * directory the defaults below apply: the public feeds survivors' helpers already rely on.
 */
export interface FeedConfig {
  /** Stable id, used as the feed's name in findings and in the database. */
  name: string;
  /** https URL, or a local file or folder path. */
  url: string;
  format: FeedFormat;
  enabled: boolean;
  /** Seconds between checks; `update --force` ignores it. */
  refreshSeconds: number;
  /** `allow` for allow-lists (matched and reported as allowed, never as findings). */
  list: 'block' | 'allow';
  /**
   * Base URL that replaces https://raw.githubusercontent.com/ in the feeds an index (MVT) lists:
   * for a local mirror when GitHub is unreachable.
   */
  mirror?: string;
  /** MISP REST API: the name of the environment variable holding the API key (keys never go in files). */
  apiKeyEnv?: string;
  /**
   * MISP REST API: restSearch filters (eventid, tags, type, `to_ids: true`, …). Without any, the
   * whole instance is searched, within the download size cap.
   */
  filter?: Record<string, unknown>;
  /** The admin says the feed's server is on this machine or a private network (a local mirror): allowed there. */
  local?: boolean;
}

const DAY = 86_400;

export const DEFAULT_FEEDS: readonly FeedConfig[] = [
  {
    name: 'echap-stix2',
    url: 'https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/generated/stalkerware.stix2',
    format: 'stix2',
    enabled: true,
    refreshSeconds: DAY,
    list: 'block',
  },
  {
    name: 'echap-ioc',
    url: 'https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/ioc.yaml',
    format: 'echap-yaml',
    enabled: true,
    refreshSeconds: DAY,
    list: 'block',
  },
  {
    name: 'echap-watchware',
    url: 'https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/watchware.yaml',
    format: 'echap-yaml',
    enabled: true,
    refreshSeconds: DAY,
    list: 'block',
  },
  {
    // Known stalkerware APKs (hash, package, signing certificate): what a device check compares apps with.
    name: 'echap-samples',
    url: 'https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/samples.csv',
    format: 'echap-samples',
    enabled: true,
    refreshSeconds: DAY,
    list: 'block',
  },
  {
    name: 'tinycheck-iocs',
    url: 'https://raw.githubusercontent.com/KasperskyLab/TinyCheck/main/assets/iocs.json',
    format: 'tinycheck-iocs',
    enabled: true,
    refreshSeconds: DAY,
    list: 'block',
  },
  {
    name: 'tinycheck-whitelist',
    url: 'https://raw.githubusercontent.com/KasperskyLab/TinyCheck/main/assets/whitelist.json',
    format: 'tinycheck-whitelist',
    enabled: true,
    refreshSeconds: DAY,
    list: 'allow',
  },
  {
    // Mercenary spyware (Pegasus, Predator, …) rather than stalkerware, and large: off until asked for.
    name: 'mvt',
    url: 'https://raw.githubusercontent.com/mvt-project/mvt-indicators/main/indicators.yaml',
    format: 'mvt-index',
    enabled: false,
    refreshSeconds: DAY,
    list: 'block',
  },
];

export const FEEDS_FILE = 'feeds.yaml';

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function parseDuration(v: unknown, where: string): number {
  if (typeof v === 'number' && v > 0) return v;
  if (typeof v === 'string') {
    const m = /^(\d+)\s*([smhd])$/.exec(v.trim());
    if (m) return Number(m[1]) * { s: 1, m: 60, h: 3600, d: DAY }[m[2] as 's' | 'm' | 'h' | 'd'];
  }
  throw new ConfigError(`${where}: refresh must be a number of seconds or like 12h, 1d`);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads `feeds.yaml`:
 *
 *     feeds:
 *       - name: echap-ioc
 *         url: https://…/ioc.yaml        # or a local path
 *         format: echap-yaml
 *         enabled: true                  # default true
 *         refresh: 1d                    # default 1d
 *         list: block                    # or allow
 *
 * A listed name that matches a default replaces it; `defaults: false` drops the defaults altogether.
 */
export function parseFeedsConfig(text: string, file: string): FeedConfig[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const root = (doc ?? {}) as { feeds?: unknown; defaults?: unknown };
  if (typeof root !== 'object' || Array.isArray(root)) throw new ConfigError(`${file}: expected a mapping with "feeds:"`);
  if (root.feeds !== undefined && !Array.isArray(root.feeds)) throw new ConfigError(`${file}: "feeds" must be a list`);
  const out = new Map<string, FeedConfig>();
  if (root.defaults !== false) for (const f of DEFAULT_FEEDS) out.set(f.name, { ...f });
  ((root.feeds ?? []) as unknown[]).forEach((raw, i) => {
    const where = `${file}: feeds[${i}]`;
    const f = raw as Record<string, unknown>;
    if (!f || typeof f !== 'object') throw new ConfigError(`${where}: expected a mapping`);
    const base = typeof f.name === 'string' ? out.get(f.name) : undefined;
    const name = f.name;
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw new ConfigError(`${where}: name must be lower-case letters, digits, . _ -`);
    const url = f.url ?? base?.url;
    if (typeof url !== 'string' || !url) throw new ConfigError(`${where}: url is missing`);
    const format = f.format ?? base?.format;
    if (typeof format !== 'string' || !isFeedFormat(format)) throw new ConfigError(`${where}: format must be one of the known formats (see quietcheck indicators import --help)`);
    const list = f.list ?? base?.list ?? 'block';
    if (list !== 'block' && list !== 'allow') throw new ConfigError(`${where}: list must be block or allow`);
    const cfg: FeedConfig = {
      name,
      url,
      format,
      enabled: f.enabled === undefined ? base?.enabled ?? true : f.enabled === true,
      refreshSeconds: f.refresh === undefined ? base?.refreshSeconds ?? DAY : parseDuration(f.refresh, where),
      list,
    };
    if (typeof f.mirror === 'string') cfg.mirror = f.mirror;
    if (typeof f.apiKeyEnv === 'string') cfg.apiKeyEnv = f.apiKeyEnv;
    if (f.filter && typeof f.filter === 'object') cfg.filter = f.filter as Record<string, unknown>;
    if (f.local === true) cfg.local = true;
    out.set(name, cfg);
  });
  return [...out.values()];
}

export function loadFeedsConfig(dataDir: string): FeedConfig[] {
  const file = join(dataDir, FEEDS_FILE);
  if (!existsSync(file)) return DEFAULT_FEEDS.map((f) => ({ ...f }));
  return parseFeedsConfig(readFileSync(file, 'utf8'), file);
}

/** Whether the data directory has its own feeds.yaml: without one, no list was ever chosen by the admin. */
export function hasFeedsConfig(dataDir: string): boolean {
  return existsSync(join(dataDir, FEEDS_FILE));
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Changes one configured feed in feeds.yaml (switching it off, or its role), keeping the file's
 * other content and comments. A default feed not yet written in the file gets an entry of its own.
 * Written to a temporary file and renamed, so a crash never leaves half a configuration.
 */
export function setFeedInConfig(dataDir: string, name: string, change: { enabled?: boolean; list?: 'block' | 'allow' }): void {
  const file = join(dataDir, FEEDS_FILE);
  const doc = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : 'feeds: []\n');
  if (doc.errors.length > 0) throw new ConfigError(`${file}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({ feeds: [] }) as unknown as typeof doc.contents;
  let feeds = doc.get('feeds');
  if (!isSeq(feeds)) {
    doc.set('feeds', doc.createNode([]));
    feeds = doc.get('feeds');
  }
  const seq = feeds as import('yaml').YAMLSeq;
  let entry = seq.items.find((i) => isMap(i) && i.get('name') === name) as import('yaml').YAMLMap | undefined;
  if (!entry) {
    if (!DEFAULT_FEEDS.some((f) => f.name === name)) throw new ConfigError(`${file}: no feed named ${name}`);
    entry = doc.createNode({ name }) as import('yaml').YAMLMap;
    // Block style, like a hand-written file: one key per line.
    entry.flow = false;
    if (seq.items.length === 0) seq.flow = false;
    seq.items.push(entry);
  }
  if (change.enabled !== undefined) entry.set('enabled', change.enabled);
  if (change.list !== undefined) entry.set('list', change.list);
  // Checks the result parses as a configuration before it replaces the file.
  const text = doc.toString();
  parseFeedsConfig(text, file);
  writeAtomically(file, text);
}

/** Writes a feeds.yaml that uses the public default lists: what "add the public lists" in the console does. */
export function enableDefaultFeeds(dataDir: string): void {
  const file = join(dataDir, FEEDS_FILE);
  if (existsSync(file)) {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    if (isMap(doc.contents)) doc.delete('defaults');
    const text = doc.toString();
    parseFeedsConfig(text, file);
    writeAtomically(file, text);
  } else {
    writeAtomically(file, '# The public stalkerware lists (see quietcheck indicators --help); add your own below.\nfeeds: []\n');
  }
}
