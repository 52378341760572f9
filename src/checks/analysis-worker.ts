/**
 * The worker thread that analyses a capture file for the check manager (see ./analyser.ts for the
 * design). It decodes the file with the engine, then runs detection and the verdict with a matcher it
 * rebuilt itself from the data directory's store — the same code (IndicatorCache) that builds the
 * server's own — and only when that rebuild names exactly the feeds the main thread asked for. Otherwise
 * it hands the decoded facts back and the main thread runs detection with its own matcher.
 *
 * The analysis is stored in the check's folder from here (./stored-analysis.ts), not sent back.
 *
 * The matcher is kept between jobs, keyed by the feed summaries it was checked against, so a helpline
 * uploading one capture after another pays for loading a large indicator set once.
 */
import { isDeepStrictEqual } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureFormatError } from '../capture/types.js';
import type { Indicators } from '../indicators/matcher.js';
import { inspectFile } from '../engine/inspect.js';
import { analyzeFacts, LARGE_CAPTURE_PACKETS } from '../analysis/analyze.js';
import { collectGarbage } from '../analysis/collect-garbage.js';
import { IndicatorCache } from './indicator-cache.js';
import { DB_FILE, SqliteStore } from '../store/sqlite.js';
import type { AnalysisJob, AnalysisReply, WorkerData } from './analyser.js';
import { writeStoredAnalysis } from './stored-analysis.js';

const { dataDir } = workerData as WorkerData;
let cached: { key: string; indicators: Indicators } | null = null;

/** The matcher for `feeds`, or null when the store no longer holds exactly those feeds. */
function matcherFor(job: AnalysisJob): Indicators | null {
  const key = JSON.stringify(job.feeds);
  if (cached !== null && cached.key === key) return cached.indicators;
  cached = null;
  if (!existsSync(join(dataDir, DB_FILE))) return null;
  const store = SqliteStore.inDir(dataDir);
  try {
    const set = new IndicatorCache(store).get();
    if (!isDeepStrictEqual(set.feeds, job.feeds)) return null;
    cached = { key, indicators: set.indicators };
    return set.indicators;
  } finally {
    store.close();
  }
}

async function run(job: AnalysisJob): Promise<AnalysisReply> {
  try {
    const facts = inspectFile(job.path, { keepHeads: job.keepHeads });
    const indicators = matcherFor(job);
    // The decoder's garbage goes before detection, rather than under it: this heap is the server's.
    if (facts.capture.packets > LARGE_CAPTURE_PACKETS) collectGarbage();
    if (indicators === null) return { id: job.id, kind: 'facts', facts };
    const analysis = await analyzeFacts(facts, { pcapPath: job.path, captureName: job.captureName, indicators, feeds: job.feeds, config: job.config, mode: job.mode });
    // Stored here, and only the row's figures cross to the main thread (see ./analyser.ts).
    return { id: job.id, kind: 'analysis', stored: writeStoredAnalysis(job.dir, analysis, false) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { id: job.id, kind: 'error', name: e.name, message: e.message, offset: err instanceof CaptureFormatError ? err.offset : null };
  }
}

// One job at a time: the main thread queues them, so replies come back in order.
parentPort!.on('message', (job: AnalysisJob) => {
  void run(job).then((reply) => parentPort!.postMessage(reply));
});
