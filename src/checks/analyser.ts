/**
 * Analysis of a capture file (an upload, or a check finished from disk after a crash) off the main
 * thread, so the API keeps answering while a large file is read.
 *
 * Design. Decoding a 150 MB capture takes seconds, and so — measured on such a file — does detection
 * (over a second): both have to leave the main thread, not only the decoding. The indicators matcher
 * cannot be handed to a worker cheaply (typed arrays, maps and compiled rules behind private fields),
 * so the worker rebuilds its own from the data directory's store with the very code that builds the
 * server's (IndicatorCache), and uses it only when the rebuilt set names exactly the feed summaries of
 * the main thread's set (name, version, counts, list; the local allow-list carries a hash of its
 * entries). Equal summaries mean an equal selection of stored feeds, hence an equal matcher: the result
 * is then what `analyzeCapture(path, { indicators, feeds, config, mode })` gives on the main thread, which is
 * itself `inspectFile(keepHeads)` + `analyzeFacts`. When they differ (the store changed under a cached
 * set, or the store is not a SQLite file in the data directory), the worker returns the decoded facts —
 * decoded with the main thread's `keepHeads` — and detection runs here with the main thread's matcher:
 * slower for the API, never a different report. The detection settings are read on the main thread when
 * the job is queued and sent with it, so both paths apply the same ones.
 *
 * The worker stores the analysis in the check's folder itself (./stored-analysis.ts) and replies with
 * what the check's row records: a day-long capture's analysis is tens of MB of JSON, and handing it to
 * the main thread as one string, only to write it there, doubled the server's peak memory. The main
 * thread reads it back when a report is asked for, shortened when it is large.
 *
 * One worker, started on demand, one job at a time (the analyses are CPU-bound; two at once would only
 * share the cores with the API), ended after a minute without work so a Raspberry Pi gets the memory
 * of a large indicator set back.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CaptureFormatError } from '../capture/types.js';
import type { DetectionConfig } from '../detect/types.js';
import type { Indicators } from '../indicators/matcher.js';
import type { Facts } from '../engine/facts.js';
import { analyzeFacts, payloadHeadBytes } from '../analysis/analyze.js';
import type { FeedSummary } from '../analysis/types.js';
import type { CheckMode } from '../store/store.js';
import { writeStoredAnalysis, type StoredAnalysis } from './stored-analysis.js';

export interface WorkerData {
  dataDir: string;
}

export interface AnalysisJob {
  id: number;
  path: string;
  /** The check's folder, where the analysis is stored (./stored-analysis.ts) before the reply. */
  dir: string;
  captureName: string;
  keepHeads: number;
  feeds: FeedSummary[];
  /** The detection settings in force when the job was queued: plain data, so they travel as they are. */
  config: DetectionConfig;
  mode: CheckMode;
}

export type AnalysisReply =
  | { id: number; kind: 'analysis'; stored: StoredAnalysis }
  | { id: number; kind: 'facts'; facts: Facts }
  | { id: number; kind: 'error'; name: string; message: string; offset: number | null };

export interface FileAnalysisRequest {
  path: string;
  dir: string;
  captureName: string;
  indicators: Indicators;
  feeds: FeedSummary[];
  /** The server's detection settings (detection.yaml over the defaults), with the check's hotspot name. */
  config: DetectionConfig;
  mode: CheckMode;
}

/** The analysis was abandoned because the server is shutting down; the check is left for `recover()`. */
export class AnalysisAbortedError extends Error {
  constructor() {
    super('the analysis was interrupted by the server stopping');
    this.name = 'AnalysisAbortedError';
  }
}

const IDLE_MS = 60_000;

/**
 * After a capture this large, the worker is ended as soon as it replied, not a minute later: its heap
 * still holds the garbage of hundreds of MB of facts, which the server would otherwise carry while it
 * serves the report (reloading the indicators for the next upload costs far less than such a capture).
 */
const END_AFTER_BYTES = 64 * 1024 * 1024;

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The worker's file, next to this one: dist/src/checks/analysis-worker.js when built, the .ts beside
 * this file when run from the sources through a TypeScript loader (which workers inherit via execArgv).
 */
const WORKER_URL = new URL(`./analysis-worker${extname(fileURLToPath(import.meta.url)) || '.js'}`, import.meta.url);

interface Pending {
  job: AnalysisJob;
  req: FileAnalysisRequest;
  resolve: (a: StoredAnalysis) => void;
  reject: (e: unknown) => void;
}

export class FileAnalyser {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly dataDir: string, private readonly log: (msg: string) => void = () => {}) {}

  analyse(req: FileAnalysisRequest): Promise<StoredAnalysis> {
    if (this.closed) return Promise.reject(new AnalysisAbortedError());
    return new Promise<StoredAnalysis>((resolve, reject) => {
      const job: AnalysisJob = {
        id: this.nextId++,
        path: req.path,
        dir: req.dir,
        captureName: req.captureName,
        keepHeads: payloadHeadBytes(req.indicators),
        feeds: req.feeds,
        config: req.config,
        mode: req.mode,
      };
      this.queue.push({ job, req, resolve, reject });
      this.pump();
    });
  }

  /** Ends the worker; queued and running analyses reject with AnalysisAbortedError. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idle !== null) clearTimeout(this.idle);
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    const w = this.worker;
    this.worker = null;
    if (w !== null) await w.terminate();
    for (const p of all) p.reject(new AnalysisAbortedError());
  }

  private pump(): void {
    if (this.current !== null || this.closed) return;
    const next = this.queue.shift();
    if (next === undefined) {
      this.armIdle();
      return;
    }
    if (this.idle !== null) {
      clearTimeout(this.idle);
      this.idle = null;
    }
    this.current = next;
    this.ensureWorker().postMessage(next.job);
  }

  private armIdle(): void {
    if (this.worker === null || this.idle !== null) return;
    this.idle = setTimeout(() => {
      this.idle = null;
      if (this.current !== null || this.queue.length > 0 || this.worker === null) return;
      const w = this.worker;
      this.worker = null;
      void w.terminate();
    }, IDLE_MS);
    this.idle.unref();
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const w = new Worker(WORKER_URL, { workerData: { dataDir: this.dataDir } satisfies WorkerData });
    // A server with nothing else to do may exit: the worker never holds the process open by itself.
    w.unref();
    w.on('message', (reply: AnalysisReply) => void this.settle(reply));
    const died = (err: Error): void => {
      if (this.worker !== w) return;
      this.worker = null;
      const p = this.current;
      this.current = null;
      if (p !== null) p.reject(err);
      this.pump();
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`the analysis worker stopped (exit code ${code})`)));
    this.worker = w;
    return w;
  }

  private async settle(reply: AnalysisReply): Promise<void> {
    const p = this.current;
    if (p === null || p.job.id !== reply.id) return;
    this.current = null;
    if (this.queue.length === 0 && this.worker !== null && fileBytes(p.job.path) > END_AFTER_BYTES) {
      const w = this.worker;
      this.worker = null;
      void w.terminate();
    }
    this.pump();
    try {
      switch (reply.kind) {
        case 'analysis':
          p.resolve(reply.stored);
          return;
        case 'facts': {
          this.log('the stored indicators differ from the ones in use: detection runs on the main thread for this capture');
          const { path, dir, captureName, indicators, feeds, config, mode } = p.req;
          p.resolve(writeStoredAnalysis(dir, await analyzeFacts(reply.facts, { pcapPath: path, captureName, indicators, feeds, config, mode }), true));
          return;
        }
        case 'error': {
          if (reply.name === 'CaptureFormatError' && reply.offset !== null) {
            // Rebuilt as the class it was, so callers telling a bad file from a fault still can.
            const e = new CaptureFormatError('', reply.offset);
            e.message = reply.message;
            p.reject(e);
          } else {
            const e = new Error(reply.message);
            e.name = reply.name;
            p.reject(e);
          }
          return;
        }
      }
    } catch (err) {
      p.reject(err);
    }
  }
}
