import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, loadFeedsConfig, type FeedConfig } from '../config/feeds.js';
import type { FeedState, IndicatorStore } from './feed-store.js';
import { HttpStatusError, feedText, fetchFeed, isUrl, readLocalFeed, type FetchOptions } from './fetch.js';
import { detectFormat, parseFeed } from './formats/index.js';
import { parseMisp, parseMispManifest } from './formats/misp.js';
import { GITHUB_RAW } from './formats/mvt-index.js';
import { Indicators } from './matcher.js';
import { FeedError, bump, type FeedFormat, type ParseResult } from './types.js';

/**
 * Keeps stored feeds current: fetch (conditionally), parse the whole feed, and only then swap it in
 * with one transaction. A feed that fails for any reason keeps its previous set, and the reason is
 * stored and reported.
 */

export interface UpdateOptions {
  /** Ignore refresh intervals. */
  force?: boolean;
  /** Only these feed names. */
  only?: readonly string[];
  timeoutMs?: number;
  maxBytes?: number;
  allowLoopbackHttp?: boolean;
  /** Set per feed from its `local` mark: its server may be on this machine or a private network. */
  allowLocal?: boolean;
  /**
   * The share of a feed's stored indicators a new version may lose before it is refused (0.2: a new
   * version holding under 80 % of the stored count is kept out). See DEFAULT_MAX_SHRINK.
   */
  maxShrink?: number;
  /** An admin who saw the counts lets a refused shrink (or an empty version) through: every feed, or these. */
  acceptShrink?: boolean | readonly string[];
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  feed: string;
  phase: 'download' | 'parse' | 'store';
  done: number;
  total: number | null;
}

export type FeedStatus = 'updated' | 'unchanged' | 'fresh' | 'failed' | 'disabled' | 'removed';

export interface FeedOutcome {
  feed: string;
  status: FeedStatus;
  /** The stored set after this run (the previous one when the update failed). */
  version: string | null;
  indicators: number;
  rules: number;
  kinds: Record<string, number>;
  skipped: Record<string, number>;
  error: string | null;
  /** Indicators plus payload rules stored before this run; null when nothing was attempted. */
  previousCount: number | null;
  /** Indicators plus payload rules the downloaded version held; null when it was not read (failed, unchanged). */
  offeredCount: number | null;
  /** The new version was refused only because it shrank too much or held nothing: an admin may accept it. */
  shrinkRefused: boolean;
  /** Swapped in past the shrink guard because an admin accepted it. */
  forced: boolean;
}

/**
 * Why 20 %: feeds grow. Echap's list has only ever dropped a handful of entries in one release (a
 * family merged, a dead domain cleaned up), a few percent at most, while every cut-off or half-served
 * file seen loses far more (a file cut at 40 kB of 94 kB keeps under half). A loss beyond a fifth is far
 * more likely a broken download than a real cleanup, and keeping an older, larger set for a day costs
 * little next to silently losing most of what a check looks for. A real cleanup passes when an admin
 * accepts it with the counts in front of them.
 */
export const DEFAULT_MAX_SHRINK = 0.2;

/** A version that parsed but shrank too much (or holds nothing): kept out unless an admin accepts it. */
export class ShrinkRefusedError extends FeedError {
  constructor(
    readonly feed: string,
    readonly previous: number,
    readonly offered: number,
    maxShrink: number,
  ) {
    super(
      offered === 0
        ? `${feed}: the new version holds no indicators (the stored set has ${previous}); refused, the previous set stays. ` +
            `If the feed really is empty now, accept it: quietcheck indicators update --feed ${feed} --accept-shrink`
        : `${feed}: the new version holds ${offered} indicators where the stored set has ${previous} ` +
            `(${Math.round((100 * (previous - offered)) / previous)} % fewer, more than the ${Math.round(maxShrink * 100)} % allowed); ` +
            `refused as a probably cut-off or broken download, the previous set stays. If the feed really shrank, accept it: ` +
            `quietcheck indicators update --feed ${feed} --accept-shrink`,
    );
    this.name = 'ShrinkRefusedError';
  }
}

function outcome(state: FeedState | null, feed: string, status: FeedStatus, error: string | null = null, extra: Partial<FeedOutcome> = {}): FeedOutcome {
  return {
    feed,
    status,
    version: state?.version ?? null,
    indicators: state?.indicatorCount ?? 0,
    rules: state?.ruleCount ?? 0,
    kinds: state?.kinds ?? {},
    skipped: state?.skipped ?? {},
    error,
    previousCount: null,
    offeredCount: null,
    shrinkRefused: false,
    forced: false,
    ...extra,
  };
}

function accepts(opts: UpdateOptions, feed: string): boolean {
  const a = opts.acceptShrink;
  return a === true || (Array.isArray(a) && a.includes(feed));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface Fetched {
  text: string;
  version: string;
  etag: string | null;
  lastModified: string | null;
}

function versionOf(...parts: (Buffer | string)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
}

async function fetchText(source: string, state: FeedState | null, opts: UpdateOptions, feed: string, extra: Partial<FetchOptions> = {}): Promise<Fetched | 'unchanged'> {
  if (!isUrl(source)) {
    const bytes = await readLocalFeed(source, opts.maxBytes);
    return { text: feedText(bytes, source), version: versionOf(bytes), etag: null, lastModified: null };
  }
  // Conditional headers only make sense when the set they describe is still stored.
  const haveSet = state?.version != null;
  const r = await fetchFeed(source, {
    etag: haveSet ? state.etag : null,
    lastModified: haveSet ? state.lastModified : null,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
    allowLoopbackHttp: opts.allowLoopbackHttp,
    allowLocal: opts.allowLocal,
    onProgress: (done, total) => opts.onProgress?.({ feed, phase: 'download', done, total }),
    ...extra,
  });
  if (r.status === 'unchanged') return 'unchanged';
  return { text: feedText(r.bytes, source), version: versionOf(r.bytes), etag: r.etag, lastModified: r.lastModified };
}

function mergeResults(format: FeedFormat, parts: ParseResult[]): ParseResult {
  const skipped: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.skipped)) bump(skipped, k, v);
  return { format, indicators: parts.flatMap((p) => p.indicators), rules: parts.flatMap((p) => p.rules), skipped };
}

/** A MISP feed: `manifest.json` lists event uuids, each served as `<uuid>.json` beside it (URL or folder). */
async function fetchMispFeed(base: string, state: FeedState | null, opts: UpdateOptions, feed: string): Promise<{ result: ParseResult; fetched: Fetched } | 'unchanged'> {
  const join2 = (name: string): string => (isUrl(base) ? new URL(name, base.endsWith('/') ? base : `${base}/`).toString() : join(base, name));
  const manifest = await fetchText(join2('manifest.json'), state, opts, feed);
  if (manifest === 'unchanged') return 'unchanged';
  const ids = parseMispManifest(manifest.text, join2('manifest.json'));
  const parts: ParseResult[] = [];
  const versions: string[] = [manifest.version];
  for (const id of ids) {
    const ev = await fetchText(join2(`${id}.json`), null, opts, feed);
    if (ev === 'unchanged') throw new FeedError(`${join2(`${id}.json`)}: unexpected 304`);
    versions.push(ev.version);
    parts.push(parseMisp(ev.text, `${id}.json`));
  }
  return { result: { ...mergeResults('misp-feed', parts), format: 'misp-feed' }, fetched: { ...manifest, version: versionOf(versions.join(',')) } };
}

/** A MISP instance: attributes from `/attributes/restSearch`, with the API key from the environment. */
async function fetchMispApi(cfg: FeedConfig, opts: UpdateOptions, feed: string): Promise<{ result: ParseResult; fetched: Fetched }> {
  const env = opts.env ?? process.env;
  const key = cfg.apiKeyEnv ? env[cfg.apiKeyEnv] : undefined;
  if (!key) throw new FeedError(`${cfg.name}: MISP API key missing: set apiKeyEnv in feeds.yaml and that environment variable`);
  const url = new URL('attributes/restSearch', cfg.url.endsWith('/') ? cfg.url : `${cfg.url}/`).toString();
  // No `to_ids` filter by default: Echap marks the family name and package ids `to_ids: false`, and
  // without them every indicator would lose its family. `filter` in feeds.yaml narrows the search.
  const body = JSON.stringify({ returnFormat: 'json', ...(cfg.filter ?? {}) });
  let r: Fetched | 'unchanged';
  try {
    r = await fetchText(url, null, opts, feed, { method: 'POST', body, authorization: key });
  } catch (e) {
    if (e instanceof HttpStatusError && (e.status === 401 || e.status === 403)) {
      throw new FeedError(`${url}: the MISP instance refused the API key from ${cfg.apiKeyEnv} (HTTP ${e.status}); check the key, and that its user may use the API`);
    }
    throw e;
  }
  if (r === 'unchanged') throw new FeedError(`${url}: unexpected 304`);
  const result = parseMisp(r.text, url);
  return { result: { ...result, format: 'misp-api' }, fetched: r };
}

function subFeedName(index: string, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'feed';
  return `${index}/${slug}`;
}

export interface FeedSource {
  name: string;
  url: string;
  format: FeedFormat;
  list: 'block' | 'allow';
  origin: FeedState['origin'];
  refreshSeconds: number;
  mirror?: string;
  config?: FeedConfig;
  /** Its server may be on this machine or a private network (the admin said so). */
  local?: boolean;
}

/** Fetches, parses and swaps one feed; never throws for feed problems, only reports them. */
export async function refreshFeed(store: IndicatorStore, src: FeedSource, given: UpdateOptions = {}): Promise<FeedOutcome[]> {
  const opts: UpdateOptions = { ...given, allowLocal: !!src.local };
  const now = opts.now ?? (() => new Date());
  store.upsertFeed({ name: src.name, url: src.url, format: src.format, list: src.list, origin: src.origin, local: !!src.local });
  const state = store.getFeed(src.name);
  if (!opts.force && state?.fetchedAt && !state.lastError && now().getTime() - Date.parse(state.fetchedAt) < src.refreshSeconds * 1000) {
    const out = [outcome(state, src.name, 'fresh')];
    if (src.format === 'mvt-index') for (const sub of store.listFeeds()) if (sub.origin === 'index' && sub.name.startsWith(`${src.name}/`)) out.push(outcome(sub, sub.name, 'fresh'));
    return out;
  }
  const at = now().toISOString();
  const previous = state?.version != null ? state.indicatorCount + state.ruleCount : 0;
  let offered: number | null = null;
  try {
    let result: ParseResult;
    let fetched: Fetched;
    if (src.format === 'misp-feed') {
      const r = await fetchMispFeed(src.url, state, opts, src.name);
      if (r === 'unchanged') {
        store.recordUnchanged(src.name, at, null, null);
        return [outcome(store.getFeed(src.name), src.name, 'unchanged')];
      }
      ({ result, fetched } = r);
    } else if (src.format === 'misp-api') {
      if (!src.config) throw new FeedError(`${src.name}: a MISP API feed must be configured in feeds.yaml (it needs apiKeyEnv)`);
      ({ result, fetched } = await fetchMispApi(src.config, opts, src.name));
    } else {
      const r = await fetchText(src.url, state, opts, src.name);
      if (r === 'unchanged') {
        store.recordUnchanged(src.name, at, null, null);
        const out = [outcome(store.getFeed(src.name), src.name, 'unchanged')];
        if (src.format === 'mvt-index') out.push(...(await refreshIndexChildren(store, src, null, opts)));
        return out;
      }
      fetched = r;
      opts.onProgress?.({ feed: src.name, phase: 'parse', done: 0, total: null });
      result = parseFeed(r.text, src.url, src.format);
    }
    if (state?.version === fetched.version && !state.lastError) {
      store.recordUnchanged(src.name, at, fetched.etag, fetched.lastModified);
      const out = [outcome(store.getFeed(src.name), src.name, 'unchanged')];
      if (src.format === 'mvt-index') out.push(...(await refreshIndexChildren(store, src, result, opts)));
      return out;
    }
    offered = result.indicators.length + result.rules.length;
    // An index lists feeds, not indicators: its children are each guarded on their own.
    let forced = false;
    if (src.format !== 'mvt-index') {
      const maxShrink = opts.maxShrink ?? DEFAULT_MAX_SHRINK;
      const tooSmall = offered === 0 || (previous > 0 && offered < previous * (1 - maxShrink));
      if (tooSmall) {
        if (!accepts(opts, src.name)) throw new ShrinkRefusedError(src.name, previous, offered, maxShrink);
        forced = true;
      }
    }
    opts.onProgress?.({ feed: src.name, phase: 'store', done: 0, total: result.indicators.length });
    store.replaceSet(src.name, {
      indicators: result.indicators,
      rules: result.rules,
      skipped: result.skipped,
      version: fetched.version,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      fetchedAt: at,
    });
    opts.onProgress?.({ feed: src.name, phase: 'store', done: result.indicators.length, total: result.indicators.length });
    store.recordFeedUpdate({ feed: src.name, at, outcome: forced ? 'forced' : 'updated', previousCount: previous, newCount: offered, version: fetched.version, reason: null });
    const out = [outcome(store.getFeed(src.name), src.name, 'updated', null, { previousCount: previous, offeredCount: offered, forced })];
    if (src.format === 'mvt-index') out.push(...(await refreshIndexChildren(store, src, result, opts)));
    return out;
  } catch (e) {
    const why = message(e);
    store.recordFailure(src.name, at, why);
    if (!(e instanceof FeedError) && !(e instanceof SyntaxError)) {
      // Not a feed problem (disk full, a bug): the caller must not report it as a bad feed.
      throw e;
    }
    const refused = e instanceof ShrinkRefusedError;
    store.recordFeedUpdate({ feed: src.name, at, outcome: refused ? 'refused' : 'failed', previousCount: previous, newCount: offered, version: null, reason: why });
    return [outcome(store.getFeed(src.name), src.name, 'failed', why, { previousCount: previous, offeredCount: offered, shrinkRefused: refused })];
  }
}

/** Every feed an index lists is a feed of its own: one bad upstream bundle does not block the others. */
async function refreshIndexChildren(store: IndicatorStore, index: FeedSource, parsed: ParseResult | null, opts: UpdateOptions): Promise<FeedOutcome[]> {
  const known = store.listFeeds().filter((f) => f.origin === 'index' && f.name.startsWith(`${index.name}/`));
  const children: FeedSource[] = parsed?.references
    ? parsed.references.map((r) => ({
        name: subFeedName(index.name, r.name),
        url: index.mirror && r.url.startsWith(GITHUB_RAW) ? index.mirror.replace(/\/?$/, '/') + r.url.slice(GITHUB_RAW.length) : r.url,
        format: r.format,
        list: index.list,
        origin: 'index' as const,
        refreshSeconds: index.refreshSeconds,
        local: index.local,
      }))
    : known.map((f) => ({ name: f.name, url: f.url, format: f.format, list: f.list, origin: 'index' as const, refreshSeconds: index.refreshSeconds }));
  const out: FeedOutcome[] = [];
  const names = new Set(children.map((c) => c.name));
  for (const f of known) {
    if (!names.has(f.name)) {
      store.removeFeed(f.name);
      out.push(outcome(null, f.name, 'removed'));
    }
  }
  for (const c of children) out.push(...(await refreshFeed(store, c, { ...opts, force: true })));
  return out;
}

export function sourceFromConfig(c: FeedConfig): FeedSource {
  const s: FeedSource = { name: c.name, url: c.url, format: c.format, list: c.list, origin: 'config', refreshSeconds: c.refreshSeconds, config: c };
  if (c.mirror) s.mirror = c.mirror;
  if (c.local) s.local = true;
  return s;
}

/**
 * `indicators update`: every enabled configured feed and every imported one. Feeds that were
 * disabled or dropped from the configuration lose their stored set, so they stop matching.
 */
export async function updateFeeds(store: IndicatorStore, configs: readonly FeedConfig[], opts: UpdateOptions = {}): Promise<FeedOutcome[]> {
  const out: FeedOutcome[] = [];
  const wanted = (name: string): boolean => !opts.only || opts.only.includes(name);
  if (opts.only) {
    const known = new Set([...configs.map((c) => c.name), ...store.listFeeds().map((f) => f.name)]);
    for (const n of opts.only) if (!known.has(n)) throw new FeedError(`no feed named ${n} (see quietcheck indicators list)`);
  }
  const byName = new Map(configs.map((c) => [c.name, c]));
  for (const f of store.listFeeds()) {
    if (f.origin !== 'config') continue;
    const c = byName.get(f.name);
    if (!c || !c.enabled) {
      store.removeFeed(f.name);
      out.push(outcome(null, f.name, c ? 'disabled' : 'removed'));
    }
  }
  for (const c of configs) {
    if (!c.enabled || !wanted(c.name)) continue;
    out.push(...(await refreshFeed(store, sourceFromConfig(c), opts)));
  }
  for (const f of store.listFeeds()) {
    if (f.origin !== 'import' || !wanted(f.name)) continue;
    out.push(...(await refreshFeed(store, { name: f.name, url: f.url, format: f.format, list: f.list, origin: 'import', refreshSeconds: 86_400, local: f.local }, opts)));
  }
  return out;
}

/**
 * The role a format has by nature. TinyCheck's whitelist.json lists ordinary services (Wikipedia,
 * Google, Apple) to leave out: stored as block indicators it would call every one of them a spyware
 * server. Every other format lists things to look for.
 */
export function roleOfFormat(format: FeedFormat): 'block' | 'allow' {
  return format === 'tinycheck-whitelist' ? 'allow' : 'block';
}

/**
 * Removes a stored feed with its indicators (and, for an index such as MVT's, the feeds it brought
 * in). Returns the names removed. Configured feeds also need switching off in feeds.yaml, or the next
 * update brings them back: the callers do that (see setFeedInConfig).
 */
export function removeStoredFeed(store: IndicatorStore, name: string): string[] {
  const gone: string[] = [];
  for (const f of store.listFeeds()) {
    if (f.name === name || f.name.startsWith(`${name}/`)) if (store.removeFeed(f.name)) gone.push(f.name);
  }
  return gone;
}

export interface ImportOptions extends UpdateOptions {
  format?: FeedFormat;
  name?: string;
  list?: 'block' | 'allow';
  /** The server is on this machine or a private network, and that is intended. */
  local?: boolean;
}

/**
 * `indicators import <file|url>`: adds (or replaces) one feed from a file, folder (MISP feed) or URL,
 * guessing the format unless given; its role (block or allow list) follows the format unless given.
 * `update` keeps it current afterwards.
 */
export async function importFeed(store: IndicatorStore, source: string, opts: ImportOptions = {}): Promise<FeedOutcome[]> {
  const url = isUrl(source) ? source : resolve(source);
  let format = opts.format;
  if (!format) {
    if (!isUrl(url) && existsSync(url) && statSync(url).isDirectory()) format = existsSync(join(url, 'manifest.json')) ? 'misp-feed' : undefined;
    else if (!isUrl(url)) format = detectFormat(url, feedText(await readLocalFeed(url, opts.maxBytes), url)) ?? undefined;
    else {
      const r = await fetchFeed(url, { timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes, allowLoopbackHttp: opts.allowLoopbackHttp, allowLocal: !!opts.local });
      if (r.status === 'ok') format = detectFormat(url, feedText(r.bytes, url)) ?? undefined;
    }
    if (!format) throw new FeedError(`${source}: cannot tell the format; give --format`);
  }
  const base = basename(url.replace(/[?#].*$/, '').replace(/\/+$/, '')).replace(/\.[a-z0-9]+$/i, '');
  const name = opts.name ?? `import-${base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'feed'}`;
  const existing = store.getFeed(name);
  if (existing && existing.origin !== 'import') throw new FeedError(`${name} is a configured feed; choose another --name`);
  return refreshFeed(store, { name, url, format, list: opts.list ?? roleOfFormat(format), origin: 'import', refreshSeconds: 86_400, local: !!opts.local }, { ...opts, force: true });
}

/**
 * Whether a stored feed may match under the current configuration. A configured feed (and every
 * feed its index brought in) matches only while feeds.yaml lists it enabled: disabling or removing
 * it must take effect at once, not at the next `update` that deletes its set. Imports are the
 * user's own and always match.
 */
export function isFeedActive(feed: Pick<FeedState, 'name' | 'origin'>, configs: readonly FeedConfig[]): boolean {
  if (feed.origin === 'import') return true;
  const owner = feed.origin === 'index' ? feed.name.slice(0, feed.name.indexOf('/')) : feed.name;
  return configs.some((c) => c.name === owner && c.enabled);
}

/**
 * The configuration beside the store's database. The CLI, the server and reports all hand over
 * just the store, so the data directory is found from the database file. A feeds.yaml that does not
 * parse filters nothing: detection then uses every stored set rather than failing, and `update`
 * reports the configuration error.
 */
export function feedConfigsBeside(store: IndicatorStore): readonly FeedConfig[] | null {
  const file = (store as { file?: unknown }).file;
  if (typeof file !== 'string' || !file || file === ':memory:' || file.startsWith('file:')) return null;
  try {
    return loadFeedsConfig(dirname(file));
  } catch (e) {
    if (e instanceof ConfigError || (e as NodeJS.ErrnoException)?.code !== undefined) return null;
    throw e;
  }
}

export interface LoadOptions {
  /**
   * The feed configuration that decides which stored feeds match. Omitted: read from the data
   * directory of the store's database when it has one. null: every stored feed matches.
   */
  configs?: readonly FeedConfig[] | null;
}

/** Builds the matcher from everything stored that the configuration still enables: at start-up and after an update. */
export function loadIndicators(store: IndicatorStore, opts: LoadOptions = {}): Indicators {
  const configs = opts.configs === undefined ? feedConfigsBeside(store) : opts.configs;
  const m = new Indicators();
  const feeds = new Map(
    store
      .listFeeds()
      .filter((f) => configs === null || isFeedActive(f, configs))
      .map((f) => [f.name, { name: f.name, version: f.version, list: f.list }]),
  );
  store.forEachIndicator((ind) => {
    const feed = feeds.get(ind.feed);
    if (feed) m.add(ind, feed);
  });
  for (const { feed, rule } of store.payloadRules()) {
    const f = feeds.get(feed);
    if (f) m.addRule(rule, f);
  }
  return m;
}
