import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DETECTION_CONFIG } from '../detect/config.js';
import { detect } from '../detect/index.js';
import type { DetectionConfig } from '../detect/types.js';
import { feedText, readLocalFeed } from '../indicators/fetch.js';
import { feedConfigsBeside, isFeedActive, loadIndicators } from '../indicators/feeds.js';
import type { IndicatorStore } from '../store/store.js';
import { detectFormat, parseFeed } from '../indicators/formats/index.js';
import { Indicators } from '../indicators/matcher.js';
import { FeedError } from '../indicators/types.js';
import type { Facts } from '../inspect/facts.js';
import { inspectFile, type InspectOptions } from '../inspect/inspect.js';
import { DB_FILE, SqliteStore } from '../store/sqlite.js';
import { collectGarbage } from './collect-garbage.js';
import type { Lang } from './i18n/index.js';
import type { Analysis, FeedSummary } from './types.js';
import { captureDurationSeconds, computeVerdict, type VerdictThresholds } from './verdict.js';

export interface AnalyzeOptions {
  indicators: Indicators;
  feeds: FeedSummary[];
  config?: Partial<DetectionConfig>;
  lang: Lang;
  thresholds?: Partial<VerdictThresholds>;
  onProgress?: InspectOptions['onProgress'];
  now?: Date;
}

export interface IndicatorSources {
  indicators: Indicators;
  feeds: FeedSummary[];
}

let cachedVersion: string | null = null;

/** quietcheck's version from package.json, found by walking up (the same code runs from src/ and dist/src/). */
export function quietcheckVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'quietcheck' && pkg.version) return (cachedVersion = pkg.version);
    }
    const up = dirname(dir);
    if (up === dir) return (cachedVersion = 'unknown');
    dir = up;
  }
}

/** SHA-256 of the file, streamed: captures can be far larger than memory. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * Indicator files given on the command line, parsed as they are (no store involved): what a helper
 * uses with a feed copied onto a USB stick. TinyCheck's whitelist becomes an allow list. Throws a
 * FeedError naming the file when one cannot be used: checking with a silently missing list would
 * understate the result.
 */
export async function loadIndicatorFiles(files: readonly string[]): Promise<IndicatorSources> {
  const indicators = new Indicators();
  const feeds: FeedSummary[] = [];
  const used = new Set<string>();
  for (const file of files) {
    const bytes = await readLocalFeed(file);
    const text = feedText(bytes, file);
    const format = detectFormat(file, text);
    if (format === null) throw new FeedError(`${file}: the format of this indicator file is not recognised`);
    const parsed = parseFeed(text, file, format);
    const list = format === 'tinycheck-whitelist' ? 'allow' : 'block';
    // Two files called ioc.yaml from different folders must stay two feeds in the report.
    let name = basename(file);
    for (let i = 2; used.has(name); i++) name = `${basename(file)} (${i})`;
    used.add(name);
    const version = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const info = { name, version, list } as const;
    let count = 0;
    for (const ind of parsed.indicators) if (indicators.add(ind, info)) count++;
    for (const rule of parsed.rules) indicators.addRule(rule, info);
    feeds.push({
      name,
      version,
      date: statSync(file).mtime.toISOString(),
      indicators: count,
      rules: parsed.rules.length,
      list,
      source: file,
      lastError: null,
    });
  }
  return { indicators, feeds };
}

/**
 * The lists kept by `quietcheck indicators update` in the data directory. A data directory without a
 * database yields no lists (the verdict then says so) rather than creating one as a side effect.
 */
export function loadIndicatorStore(dataDir: string): IndicatorSources {
  if (!existsSync(join(dataDir, DB_FILE))) return { indicators: new Indicators(), feeds: [] };
  const store = SqliteStore.inDir(dataDir);
  try {
    return indicatorSourcesFromStore(store);
  } finally {
    store.close();
  }
}

/**
 * The matcher built from the stored feeds the configuration still enables, and those feeds' summaries
 * for the report — the same selection, so a report never names a feed that did not take part.
 */
export function indicatorSourcesFromStore(store: IndicatorStore): IndicatorSources {
  const configs = feedConfigsBeside(store);
  const indicators = loadIndicators(store, { configs });
  const feeds: FeedSummary[] = store
    .listFeeds()
    .filter((f) => f.version !== null && (configs === null || isFeedActive(f, configs)))
    .map((f) => ({
      name: f.name,
      version: f.version,
      date: f.fetchedAt ?? f.loadedAt,
      indicators: f.indicatorCount,
      rules: f.ruleCount,
      list: f.list,
      source: f.url,
      lastError: f.lastError,
    }));
  return { indicators, feeds };
}

/** Past this many packets, decoding left enough garbage to collect it before detection. */
export const LARGE_CAPTURE_PACKETS = 500_000;

/** First bytes of each connection handed to payload rules (TinyCheck's rules look within the first few hundred). */
const PAYLOAD_HEAD_BYTES = 1024;

/** Reads a capture, runs detection and the verdict: everything a report shows, in one object. */
export async function analyzeCapture(path: string, opts: AnalyzeOptions): Promise<Analysis> {
  const facts = inspectFile(path, { onProgress: opts.onProgress, keepHeads: payloadHeadBytes(opts.indicators) });
  // The decoder's garbage goes before detection, rather than under it (see ./collect-garbage.ts).
  if (facts.capture.packets > LARGE_CAPTURE_PACKETS) collectGarbage();
  return analyzeFacts(facts, { ...opts, pcapPath: path, captureName: basename(path) });
}

/** Payload-content rules need the first bytes of each connection; only keep them when a feed has such rules. */
export function payloadHeadBytes(indicators: Indicators): number {
  return indicators.payloadRules.length > 0 ? PAYLOAD_HEAD_BYTES : 0;
}

export interface FactsAnalysisOptions extends Omit<AnalyzeOptions, 'onProgress'> {
  /** The capture the facts were read from: its hash goes in the report so it can be checked later. */
  pcapPath: string;
  /** The name the report shows for the capture (never a full path). */
  captureName: string;
  /** The file's SHA-256 and size as its writer computed them; used when the file still has that size. */
  written?: { sha256: string; bytes: number };
}

/**
 * Detection and verdict over facts already decoded — by `analyzeCapture`, or by a live check's engine
 * while packets arrived (decoding the pcap again after Stop would make the report wait a second pass).
 */
export async function analyzeFacts(facts: Facts, opts: FactsAnalysisOptions): Promise<Analysis> {
  const fileBytes = statSync(opts.pcapPath).size;
  // A live capture hashed its file as it wrote it: reading it all again would delay the report at Stop.
  const sha256 = opts.written !== undefined && opts.written.bytes === fileBytes ? Promise.resolve(opts.written.sha256) : sha256File(opts.pcapPath);
  // Keep the hash's rejection handled while the synchronous detection runs; it is awaited below.
  sha256.catch(() => {});
  const config: DetectionConfig = { ...DEFAULT_DETECTION_CONFIG, ...opts.config };
  const { findings, allowed } = detect({ facts, indicators: opts.indicators, config });
  // The bytes served the rules; a report is shared and kept, so the survivor's payloads stay out of it.
  delete facts.payloadHeads;
  const verdict = computeVerdict({
    findings,
    facts,
    feeds: opts.feeds,
    now: opts.now,
    thresholds: { inconclusiveMinSeconds: config.inconclusiveMinSeconds, inconclusiveMinBytes: config.inconclusiveMinBytes, ...opts.thresholds },
    allowed,
    dohResolvers: config.dohResolvers,
  });
  return {
    version: quietcheckVersion(),
    generatedAt: (opts.now ?? new Date()).toISOString(),
    lang: opts.lang,
    capture: {
      name: opts.captureName,
      sha256: await sha256,
      fileBytes,
      durationSeconds: captureDurationSeconds(facts),
      packets: facts.capture.packets,
      bytes: facts.capture.bytes,
      firstSeen: facts.capture.firstSeen,
      lastSeen: facts.capture.lastSeen,
    },
    feeds: opts.feeds,
    facts,
    findings,
    allowed,
    verdict,
  };
}
