/**
 * The life of a check: created → waiting-for-device → capturing → analysing → done | failed.
 *
 * The pcap on disk is the source of truth. The decoding engine runs on each packet as it arrives, so
 * Stop only has to close the capture and run detection on facts already built; if the process dies,
 * `recover()` at the next start reads the file up to where it was cut and finishes the check from it.
 */
import type { CaptureSummary } from '../capture/types.js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { LiveCaptureError, startLiveCapture, type LiveCapture } from '../capture/live.js';
import { CaptureFormatError } from '../capture/types.js';
import { DetectionSettings } from '../detect/config-file.js';
import type { DetectionConfig } from '../detect/types.js';
import type { Indicators } from '../indicators/matcher.js';
import { Engine } from '../engine/engine.js';
import { analyzeFacts, payloadHeadBytes } from '../analysis/analyze.js';
import type { Lang } from '../i18n/index.js';
import type { Analysis, FeedSummary } from '../analysis/types.js';
import type { CheckMode, CheckRecord, CheckState, Store } from '../store/store.js';
import { systemClock, type Clock } from './clock.js';
import { DiskFullError, isDiskFull, requireRoom, SpaceReserve } from './disk-space.js';
import { SHREDDING_PREFIX, shredAside, shredTree } from '../store/shred.js';
import { AnalysisAbortedError, FileAnalyser } from './analyser.js';
import { ANALYSIS_FILE, partsPresent, writeStoredAnalysis, type StoredAnalysis } from './stored-analysis.js';
import { LiveStats, type LiveSnapshot } from './live-stats.js';
// Hotspot and sinkhole checks.
import { startNarrowingCapture, type NarrowingCapture } from '../hotspot/capture.js';
import type { HotspotProvider, HotspotSession, JoinedDevice } from '../hotspot/service.js';

export const CAPTURE_FILE = 'capture.pcap';
export const UPLOAD_FILE = 'upload.cap';
/** The uploaded file's own name, as the worker chose it, for the report. */
export const UPLOAD_NAME_FILE = 'upload-name.txt';

/**
 * An uploaded file's name as a report may show it: the last path part only (a full path can reveal a
 * user name), without control characters, at most 120 characters; null when nothing is left.
 */
export function uploadDisplayName(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return clean && clean !== '.' && clean !== '..' ? clean : null;
}
export { ANALYSIS_FILE };

/** Check ids are 32 lower-case hex digits: nothing else can reach a path. */
export const CHECK_ID_RE = /^[0-9a-f]{32}$/;
/** Linux interface names: at most 15 bytes, no slash or space; never starting with '-' (an option to tcpdump). */
const IFACE_RE = /^[A-Za-z0-9_.:@][A-Za-z0-9_.:@-]{0,14}$/;
const MAC_RE = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/** How long tcpdump gets to start listening before the check is reported as failed. */
const READY_TIMEOUT_MS = 10_000;

/** The analyses kept parsed, by the size of their JSON: parsed, an analysis weighs five to ten times its JSON. */
export const ANALYSIS_CACHE_BYTES = 8 * 1024 * 1024;

export const ACTIVE_STATES: readonly CheckState[] = ['created', 'waiting-for-device', 'capturing', 'analysing'];

export class CheckInputError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'CheckInputError';
  }
}

export class CheckConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckConflictError';
  }
}

export interface IndicatorSet {
  indicators: Indicators;
  feeds: FeedSummary[];
}

export interface CheckManagerOptions {
  store: Store;
  dataDir: string;
  /** The indicators in force; asked again for each analysis so an update applies to the next check. */
  indicators: () => IndicatorSet;
  tcpdumpPath?: string;
  log?: (msg: string) => void;
  /** The time for creation times and retention (serve's --now for tests); `clock` wins when both are given. */
  now?: () => Date;
  /** Every time the manager records and every wait it sets (tests move it); by default the system's. */
  clock?: Clock;
  /** quietcheck's own hotspot, for checks in mode hotspot or sinkhole. */
  hotspot?: HotspotProvider;
  /** The detection settings; by default the data directory's detection.yaml over the defaults. */
  detection?: DetectionSettings;
}

export interface NewLiveCheck {
  iface: string;
  device?: string | null;
  durationSeconds?: number | null;
  lang: Lang;
  /** 'interface' (default): capture `iface`; 'hotspot'/'sinkhole': run quietcheck's hotspot and capture it (iface is then the hotspot's). */
  mode?: CheckMode;
}

/** The tcpdump filter for a device given as a MAC or an IP address; throws CheckInputError otherwise. */
export function deviceFilter(device: string): string {
  const d = device.trim();
  if (MAC_RE.test(d)) return `ether host ${d.toLowerCase().replace(/-/g, ':')}`;
  if (isIP(d) !== 0) return `host ${d}`;
  throw new CheckInputError(`device must be a MAC address (aa:bb:cc:dd:ee:ff) or an IP address, not "${device}"`, 'bad-device');
}

interface Running {
  capture: LiveCapture;
  engine: Engine;
  stats: LiveStats;
  /** Cancels the stop at the end of the check's duration. */
  timer: (() => void) | null;
  /** Set once Stop (or the duration) began finalising, so both never do it twice. */
  finishing: Promise<CheckRecord> | null;
  cancelled: boolean;
  /** Hotspot modes: the hotspot this check runs, stopped with it, and the MAC the capture was narrowed to. */
  hotspot: HotspotSession | null;
  narrowedTo: string | null;
}

export class CheckManager extends EventEmitter {
  private readonly running = new Map<string, Running>();
  /** Parsed analyses by check, with the size of their JSON: bounded by bytes (see ANALYSIS_CACHE_BYTES). */
  private readonly analyses = new Map<string, { analysis: Analysis; bytes: number }>();
  private analysesBytes = 0;
  private readonly store: Store;
  private readonly log: (msg: string) => void;
  private readonly clock: Clock;
  /** Reads capture files (uploads, checks finished from disk) in a worker thread: see ./analyser.ts. */
  private readonly files: FileAnalyser;
  /** Asked at each analysis, so an admin's change applies to the next one (see DetectionSettings). */
  readonly detection: DetectionSettings;
  /** Space given back when a capture fills the disk, so the check can still end and keep its report. */
  private readonly reserve: SpaceReserve;

  constructor(private readonly opts: CheckManagerOptions) {
    super();
    this.store = opts.store;
    this.log = opts.log ?? (() => {});
    this.clock = opts.clock ?? (opts.now ? { now: opts.now, after: systemClock.after } : systemClock);
    this.detection = opts.detection ?? new DetectionSettings(opts.dataDir, this.log);
    // Read once now so a broken detection.yaml is reported when the server starts, not at the first check.
    this.detection.current();
    this.files = new FileAnalyser(opts.dataDir, this.log);
    mkdirSync(this.checksDir, { recursive: true, mode: 0o700 });
    this.reserve = new SpaceReserve(opts.dataDir);
    this.reserve.ensure();
  }

  /**
   * Creates what a new check needs on disk (folder, files, row) or nothing at all: a full disk met
   * half-way is undone and reported as DiskFullError, never as a bare 500 with an empty folder left.
   */
  private createOnDisk<T>(id: string, what: string, make: () => T): T {
    requireRoom(this.opts.dataDir, 0, what);
    try {
      return make();
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      try {
        this.store.deleteCheck(id);
      } catch {
        /* the row was never written */
      }
      rmSync(this.dirOf(id), { recursive: true, force: true });
      throw new DiskFullError(`the disk is full: ${what} cannot be stored; delete old checks (admin page) or free some space`);
    }
  }

  get checksDir(): string {
    return join(this.opts.dataDir, 'checks');
  }

  dirOf(id: string): string {
    if (!CHECK_ID_RE.test(id)) throw new CheckInputError('bad check id', 'bad-id');
    return join(this.checksDir, id);
  }

  captureFileOf(c: CheckRecord): string {
    return join(this.dirOf(c.id), c.source === 'upload' ? UPLOAD_FILE : CAPTURE_FILE);
  }

  get(id: string): CheckRecord | null {
    return CHECK_ID_RE.test(id) ? this.store.getCheck(id) : null;
  }

  list(): CheckRecord[] {
    return this.store.listChecks();
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  private now(): Date {
    return this.clock.now();
  }

  private changed(id: string): void {
    this.emit('change', id);
  }

  private newId(): string {
    return randomBytes(16).toString('hex');
  }

  // -----------------------------------------------------------------------------------------------
  // Live checks

  async createLive(req: NewLiveCheck): Promise<CheckRecord> {
    const mode: CheckMode = req.mode ?? 'interface';
    if (mode !== 'interface') return this.createOnHotspot(req, mode);
    return this.startLive(req, mode, null);
  }

  // Hotspot and sinkhole checks -------------------------------------------------------------

  /** Starts quietcheck's hotspot, then a check capturing on it; the hotspot stops with the check. */
  private async createOnHotspot(req: NewLiveCheck, mode: 'hotspot' | 'sinkhole'): Promise<CheckRecord> {
    const hotspot = this.opts.hotspot;
    if (hotspot === undefined) throw new CheckInputError('this server has no hotspot', 'no-hotspot');
    if (req.device && !MAC_RE.test(req.device.trim())) throw new CheckInputError('on the hotspot, a device is given by its MAC address', 'bad-device');
    if (this.running.size > 0 && [...this.running.values()].some((r) => r.hotspot !== null)) throw new CheckConflictError('a check is already running on the hotspot');
    const session = await hotspot.start(mode);
    try {
      return await this.startLive({ ...req, iface: session.iface }, mode, session);
    } catch (err) {
      await session.stop().catch(() => undefined);
      throw err;
    }
  }

  /** A device got a lease: the check names it, and the capture continues with its frames only. */
  private deviceJoined(id: string, run: Running, d: JoinedDevice): void {
    if (this.running.get(id) !== run || run.finishing !== null) return;
    const rec = this.store.getCheck(id);
    if (rec === null) return;
    const wanted = rec.device?.toLowerCase().replace(/-/g, ':') ?? null;
    if ((wanted !== null && wanted !== d.mac) || (run.narrowedTo !== null && run.narrowedTo !== d.mac)) {
      this.log(`check ${id}: another device (${d.mac}) joined the hotspot; it is not recorded`);
      return;
    }
    const filter = deviceFilter(d.mac);
    this.store.updateCheck(id, { device: d.mac, deviceName: d.hostname });
    this.changed(id);
    if (run.narrowedTo === null) {
      run.narrowedTo = d.mac;
      // The filter is recorded once the narrow capture runs: until then every frame of the interface is kept.
      (run.capture as NarrowingCapture).narrow(filter).then(
        () => {
          if (this.running.get(id) !== run) return;
          this.store.updateCheck(id, { filter });
          this.changed(id);
        },
        (e: unknown) => this.log(`check ${id}: could not limit the capture to ${d.mac}: ${String(e)}`),
      );
    }
  }

  // -----------------------------------------------------------------------------------------------

  private async startLive(req: NewLiveCheck, mode: CheckMode, hotspot: HotspotSession | null): Promise<CheckRecord> {
    if (!IFACE_RE.test(req.iface)) throw new CheckInputError(`"${req.iface}" is not a network interface name`, 'bad-interface');
    const filter = req.device ? deviceFilter(req.device) : null;
    for (const id of this.running.keys()) {
      const other = this.store.getCheck(id);
      if (other?.iface === req.iface) throw new CheckConflictError(`a check is already capturing on ${req.iface}`);
    }
    const id = this.newId();
    const dir = this.dirOf(id);
    const pcap = join(dir, CAPTURE_FILE);
    this.reserve.ensure();
    const rec = this.createOnDisk(id, 'a new check', () => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Created owner-only before tcpdump's bytes arrive; the stream opened on it keeps the mode.
      closeSync(openSync(pcap, 'w', 0o600));
      return this.store.createCheck({
        id,
        source: 'live',
        iface: req.iface,
        device: req.device ? req.device.trim() : null,
        filter,
        durationSeconds: req.durationSeconds ?? null,
        lang: req.lang,
        createdAt: this.now().toISOString(),
        mode,
        hotspotSsid: hotspot?.ssid ?? null,
      });
    });
    this.changed(id);

    const startedAtMs = this.now().getTime();
    const engine = new Engine({ keepHeads: payloadHeadBytes(this.opts.indicators().indicators) });
    const stats = new LiveStats(
      engine,
      startedAtMs,
      () => {
        if (this.store.transitionCheck(id, ['waiting-for-device'], 'capturing')) this.changed(id);
      },
      () => this.now().getTime(),
      req.device && isIP(req.device.trim()) !== 0 ? req.device.trim() : null,
    );
    const captureOpts = { iface: req.iface, filter: filter ?? undefined, tcpdumpPath: this.opts.tcpdumpPath, writeTo: pcap };
    const capture = hotspot !== null ? startNarrowingCapture(captureOpts, stats) : startLiveCapture(captureOpts, stats);
    const run: Running = { capture, engine, stats, timer: null, finishing: null, cancelled: false, hotspot, narrowedTo: null };
    this.running.set(id, run);

    let cancelTimeout = (): void => {};
    try {
      await Promise.race([
        capture.ready,
        new Promise<never>((_, reject) => {
          cancelTimeout = this.clock.after(READY_TIMEOUT_MS, () => reject(new LiveCaptureError(`tcpdump did not start listening on ${req.iface} within ${READY_TIMEOUT_MS / 1000} s`, 'tcpdump-failed')));
        }),
      ]);
    } catch (err) {
      cancelTimeout();
      this.running.delete(id);
      await capture.stop().catch(() => undefined);
      const msg = err instanceof Error ? err.message : String(err);
      this.store.transitionCheck(id, ['created'], 'failed', { error: msg, finishedAt: this.now().toISOString() });
      this.changed(id);
      throw err;
    }
    cancelTimeout();
    // The first frame may already have arrived while tcpdump was announcing itself.
    const next: CheckState = stats.packets > 0 ? 'capturing' : 'waiting-for-device';
    this.store.transitionCheck(id, ['created'], next, { startedAt: new Date(startedAtMs).toISOString() });
    this.changed(id);
    if (hotspot !== null) hotspot.onDevice((d) => this.deviceJoined(id, run, d));

    if (req.durationSeconds) {
      run.timer = this.clock.after(req.durationSeconds * 1000, () => {
        this.stop(id).catch((e: unknown) => this.log(`check ${id}: stopping after its duration failed: ${String(e)}`));
      });
    }
    // tcpdump ending on its own (interface gone, killed) still leaves a check to finish.
    capture.done.then(
      () => {
        if (this.running.get(id) === run && run.finishing === null) this.stop(id).catch(() => undefined);
      },
      (err: unknown) => {
        if (this.running.get(id) !== run || run.finishing !== null) return;
        this.log(`check ${id}: capture ended with an error: ${String(err)}`);
        this.stop(id).catch(() => undefined);
      },
    );
    return this.store.getCheck(id) ?? rec;
  }

  /** Stops a live capture and analyses it; resolves once the report is ready. Idempotent. */
  async stop(id: string): Promise<CheckRecord> {
    const run = this.running.get(id);
    if (run === undefined) {
      const c = this.get(id);
      if (c === null) throw new CheckInputError('no such check', 'not-found');
      return c;
    }
    if (run.finishing === null) run.finishing = this.finishLive(id, run);
    return run.finishing;
  }

  private async finishLive(id: string, run: Running): Promise<CheckRecord> {
    run.timer?.();
    const stoppedAt = this.now().toISOString();
    let captureError: string | null = null;
    let diskFull = false;
    let summary;
    try {
      summary = await run.capture.stop();
    } catch (err) {
      captureError = err instanceof Error ? err.message : String(err);
      diskFull = isDiskFull(err) || (err instanceof LiveCaptureError && err.kind === 'disk-full');
    }
    if (diskFull) {
      // The reserve makes room for the check's last records and its report.
      this.reserve.release();
      this.log(`check ${id}: the disk is full; the capture stopped, what was recorded is analysed`);
    }
    if (run.hotspot !== null) await run.hotspot.stop().catch((e: unknown) => this.log(`check ${id}: stopping the hotspot failed: ${String(e)}`));
    try {
      if (run.cancelled) throw new Error('deleted');
      this.store.transitionCheck(id, ['created', 'waiting-for-device', 'capturing'], 'analysing', {
        stoppedAt,
        packets: run.stats.packets,
        bytes: run.stats.bytes,
      });
      this.changed(id);
      const rec = this.store.getCheck(id)!;
      let analysis: Analysis | StoredAnalysis;
      if (summary !== undefined) {
        const facts = run.engine.finish(summary);
        analysis = await this.analyseFacts(rec, facts, summary.written);
      } else {
        // The stream parser gave up (or tcpdump failed): the file still holds every byte that came.
        analysis = await this.analyseFile(rec);
      }
      if (diskFull) {
        const failure = `the disk is full: the capture stopped after ${run.stats.packets} packets; what was recorded is kept and its report can be read`;
        return this.finishDone(rec, analysis, failure, false, true);
      }
      return this.finishDone(rec, analysis, captureError);
    } catch (err) {
      if (run.cancelled) return this.store.getCheck(id) ?? ({} as CheckRecord);
      return this.finishFailed(id, err);
    } finally {
      this.running.delete(id);
    }
  }

  /**
   * The settings for this check's analysis. On quietcheck's own Wi-Fi the network name is known, and a
   * phone sending it in clear text tells whoever listens where the check happened (BEH-HOTSPOT-NAME).
   */
  private detectionFor(rec: CheckRecord): DetectionConfig {
    const { config } = this.detection.current();
    return rec.mode !== 'interface' && rec.hotspotSsid ? { ...config, hotspotName: rec.hotspotSsid } : config;
  }

  private async analyseFacts(rec: CheckRecord, facts: ReturnType<Engine['finish']>, written?: CaptureSummary['written']): Promise<Analysis> {
    const { indicators, feeds } = this.opts.indicators();
    return analyzeFacts(facts, {
      pcapPath: this.captureFileOf(rec),
      captureName: `check-${rec.id.slice(0, 8)}.pcap`,
      written,
      indicators,
      feeds,
      config: this.detectionFor(rec),
      mode: rec.mode,
      now: this.now(),
    });
  }

  /**
   * What `analyzeCapture` gives for the check's file, computed in a worker thread so the API keeps
   * answering meanwhile; the report names the check rather than the file on disk.
   */
  private analyseFile(rec: CheckRecord): Promise<StoredAnalysis> {
    const { indicators, feeds } = this.opts.indicators();
    return this.files.analyse({
      path: this.captureFileOf(rec),
      dir: this.dirOf(rec.id),
      captureName: (rec.source === 'upload' ? this.uploadName(rec.id) : null) ?? `check-${rec.id.slice(0, 8)}.${rec.source === 'upload' ? 'cap' : 'pcap'}`,
      indicators,
      feeds,
      config: this.detectionFor(rec),
      mode: rec.mode,
    });
  }

  /** `failed`: the check ends as failed with `note` as its error, its report kept (a full disk cut it short). */
  private finishDone(rec: CheckRecord, result: Analysis | StoredAnalysis, note: string | null, recovered = false, failed = false): CheckRecord {
    // Stored already when made in the worker; written aside and renamed either way (./stored-analysis.ts).
    const stored = 'jsonBytes' in result ? result : writeStoredAnalysis(this.dirOf(rec.id), result, true);
    // An analysis made in the worker is not sent over: the first report read parses the file.
    if (stored.analysis?.digest !== undefined) stored.analysis.digest.dir = this.dirOf(rec.id);
    if (stored.analysis !== undefined) this.keepAnalysis(rec.id, stored.analysis, stored.jsonBytes);
    else this.forgetAnalysis(rec.id);
    this.store.transitionCheck(rec.id, ['created', 'waiting-for-device', 'capturing', 'analysing'], failed ? 'failed' : 'done', {
      finishedAt: this.now().toISOString(),
      packets: stored.packets,
      bytes: stored.bytes,
      level: stored.level,
      families: stored.families,
      error: note,
      recovered: recovered || undefined,
    });
    this.changed(rec.id);
    return this.store.getCheck(rec.id)!;
  }

  private finishFailed(id: string, err: unknown): CheckRecord {
    const msg = isDiskFull(err)
      ? `the disk is full: ${err instanceof Error ? err.message : String(err)}`
      : err instanceof CaptureFormatError ? `not a readable capture: ${err.message}` : err instanceof Error ? err.message : String(err);
    this.log(`check ${id} failed: ${msg}`);
    const patch = { error: msg, finishedAt: this.now().toISOString() };
    try {
      this.store.transitionCheck(id, ACTIVE_STATES, 'failed', patch);
    } catch (e) {
      // A full disk must not leave the check "capturing" for ever: the reserve makes room for this write.
      if (!isDiskFull(e)) throw e;
      this.reserve.release();
      this.store.transitionCheck(id, ACTIVE_STATES, 'failed', patch);
    }
    this.changed(id);
    return this.store.getCheck(id)!;
  }

  snapshot(id: string): LiveSnapshot | null {
    return this.running.get(id)?.stats.snapshot() ?? null;
  }

  /** For the admin view only; see LiveStats.indicatorHits. */
  indicatorHits(id: string): number | null {
    const run = this.running.get(id);
    if (run === undefined) return null;
    return run.stats.indicatorHits(this.opts.indicators().indicators);
  }

  // -----------------------------------------------------------------------------------------------
  // Uploads

  /** A check row and its folder for an upload about to be streamed to `path`. */
  createUpload(lang: Lang): { check: CheckRecord; path: string } {
    const id = this.newId();
    const dir = this.dirOf(id);
    const check = this.createOnDisk(id, 'the upload', () => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return this.store.createCheck({ id, source: 'upload', iface: null, device: null, filter: null, durationSeconds: null, lang, createdAt: this.now().toISOString() });
    });
    this.changed(id);
    return { check, path: join(dir, UPLOAD_FILE) };
  }

  /** The upload is on disk: analyse it. Resolves with the finished check (done or failed). */
  async analyseUpload(id: string, originalName?: string): Promise<CheckRecord> {
    const rec = this.store.getCheck(id);
    if (rec === null) throw new CheckInputError('no such check', 'not-found');
    // The report names the file the worker chose; kept beside the capture so a restart's re-analysis keeps it.
    const name = originalName === undefined ? null : uploadDisplayName(originalName);
    if (name !== null) writeFileSync(join(this.dirOf(id), UPLOAD_NAME_FILE), name, { mode: 0o600 });
    this.store.transitionCheck(id, ['created'], 'analysing', { startedAt: rec.createdAt, stoppedAt: this.now().toISOString() });
    this.changed(id);
    try {
      return this.finishDone(rec, await this.analyseFile(rec), null);
    } catch (err) {
      // Shutting down: the upload stays 'analysing' on disk and the next start analyses it again.
      if (err instanceof AnalysisAbortedError) return this.store.getCheck(id) ?? rec;
      return this.finishFailed(id, err);
    }
  }

  private uploadName(id: string): string | null {
    try {
      return uploadDisplayName(readFileSync(join(this.dirOf(id), UPLOAD_NAME_FILE), 'utf8'));
    } catch {
      return null;
    }
  }

  /** An upload that was refused or cut: nothing of it is kept. */
  async discardUpload(id: string): Promise<void> {
    // Files first: on a full disk they are what makes room for the database's own deletion.
    await this.removeFiles(id);
    this.deleteRow(id);
    this.forgetAnalysis(id);
    this.changed(id);
  }

  /** Deletes a check's row; a full disk gives up the space reserve for it rather than keep the row. */
  private deleteRow(id: string): boolean {
    try {
      return this.store.deleteCheck(id);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.reserve.release();
      return this.store.deleteCheck(id);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Crash recovery, reports, deletion, retention

  /**
   * Finishes the checks a dead process left behind. A live check is analysed from its pcap up to the
   * cut; an upload that never finished arriving is dropped (its sender saw an error), one that did is
   * analysed again.
   */
  async recover(): Promise<CheckRecord[]> {
    const out: CheckRecord[] = [];
    // Deletions a crash interrupted: their folders were renamed aside first, so finish shredding them.
    for (const name of readdirSync(this.checksDir)) if (name.startsWith(SHREDDING_PREFIX)) await shredTree(join(this.checksDir, name));
    for (const rec of this.store.checksInStates(ACTIVE_STATES)) {
      // Device checks have no capture to finish from: their own service fails them at start.
      if (this.running.has(rec.id) || rec.source === 'device') continue;
      if (rec.source === 'upload' && rec.state === 'created') {
        this.log(`check ${rec.id}: dropping an upload that was cut off`);
        await this.discardUpload(rec.id);
        continue;
      }
      const file = this.captureFileOf(rec);
      if (!existsSync(file) || statSync(file).size === 0) {
        out.push(this.finishFailed(rec.id, new Error('the process stopped before any traffic was written to disk')));
        continue;
      }
      this.store.transitionCheck(rec.id, ACTIVE_STATES, 'analysing', { stoppedAt: rec.stoppedAt ?? new Date(statSync(file).mtimeMs).toISOString() });
      try {
        const analysis = await this.analyseFile(rec);
        const note = rec.source === 'live' ? 'finalised from the capture on disk after quietcheck stopped unexpectedly' : null;
        out.push(this.finishDone(rec, analysis, note, true));
        this.log(`check ${rec.id}: finalised from ${file} (${analysis.packets} packets)`);
      } catch (err) {
        if (err instanceof AnalysisAbortedError) break;
        out.push(this.finishFailed(rec.id, err));
      }
    }
    return out;
  }

  analysis(id: string): Analysis | null {
    const cached = this.analyses.get(id);
    if (cached) {
      // Most recently read last, so the oldest reads are the first forgotten.
      this.analyses.delete(id);
      this.analyses.set(id, cached);
      return cached.analysis;
    }
    const rec = this.get(id);
    // A check a full disk cut short failed, but what it recorded has a report. A device check's
    // analysis is of another kind, read by its own service.
    if (rec === null || rec.source === 'device' || (rec.state !== 'done' && rec.state !== 'failed')) return null;
    const file = join(this.dirOf(id), ANALYSIS_FILE);
    if (!existsSync(file)) return null;
    const text = readFileSync(file, 'utf8');
    const a = JSON.parse(text) as Analysis;
    // A large analysis is kept shortened; its JSON report is sent from the parts beside it.
    if (a.digest !== undefined) {
      a.digest.dir = this.dirOf(id);
      if (!partsPresent(a.digest.dir, a)) return null;
    }
    this.keepAnalysis(id, a, Buffer.byteLength(text));
    return a;
  }

  /** The check's folder is renamed aside at once, then every file in it overwritten and unlinked. */
  /**
   * A handful of reports is what a helpline looks at in a session; the rest stay on disk. Kept by
   * bytes, not by count: one analysis of a phone that looked up millions of names outweighs hundreds of
   * ordinary ones, and one over a quarter of the budget is parsed again when asked rather than kept.
   */
  private keepAnalysis(id: string, analysis: Analysis, jsonBytes: number): void {
    this.forgetAnalysis(id);
    if (jsonBytes > ANALYSIS_CACHE_BYTES / 4) return;
    this.analyses.set(id, { analysis, bytes: jsonBytes });
    this.analysesBytes += jsonBytes;
    for (const [k, v] of this.analyses) {
      if (this.analysesBytes <= ANALYSIS_CACHE_BYTES) break;
      this.analyses.delete(k);
      this.analysesBytes -= v.bytes;
    }
  }

  private forgetAnalysis(id: string): void {
    const e = this.analyses.get(id);
    if (e === undefined) return;
    this.analyses.delete(id);
    this.analysesBytes -= e.bytes;
  }

  private removeFiles(id: string): Promise<void> {
    return shredAside(this.dirOf(id));
  }

  /**
   * Stops a check this manager does not run itself (a device check collecting from a phone) before
   * its folder is shredded, so nothing is written into it afterwards. Set by that check's service.
   */
  stopOther: ((id: string) => Promise<void>) | null = null;

  /** Removes a check: its capture, its report and its row; a running capture is stopped first. */
  async delete(id: string): Promise<boolean> {
    const rec = this.get(id);
    if (rec === null) return false;
    if (rec.source === 'device') await this.stopOther?.(id);
    const run = this.running.get(id);
    if (run !== undefined) {
      run.cancelled = true;
      run.timer?.();
      await run.capture.stop().catch(() => undefined);
      await run.hotspot?.stop().catch(() => undefined);
      if (run.finishing !== null) await run.finishing.catch(() => undefined);
      this.running.delete(id);
    }
    this.forgetAnalysis(id);
    // Files first: on a full disk they are what makes room for the database's own deletion.
    await this.removeFiles(id);
    const gone = this.deleteRow(id);
    this.changed(id);
    return gone;
  }

  /** The admin's "delete all data": every check, capture and report, and any stray file under checks/. */
  async deleteAll(): Promise<number> {
    let n = 0;
    for (const c of this.store.listChecks()) if (await this.delete(c.id)) n++;
    for (const name of readdirSync(this.checksDir)) await shredTree(join(this.checksDir, name));
    return n;
  }

  /** Deletes checks created more than `days` days ago; running ones are left to finish. */
  async sweep(days: number, now = this.now()): Promise<string[]> {
    if (!(days > 0)) return [];
    const before = new Date(now.getTime() - days * 86_400_000).toISOString();
    const gone: string[] = [];
    for (const c of this.store.checksCreatedBefore(before)) {
      if (this.running.has(c.id) || (c.source === 'device' && (ACTIVE_STATES as readonly string[]).includes(c.state))) continue;
      if (await this.delete(c.id)) gone.push(c.id);
    }
    return gone;
  }

  /**
   * Stops every capture and finishes its check (server shutdown). Live checks stopping in here are
   * finished from the facts their engine built, not by the file worker, which is ended afterwards: an
   * upload still being analysed stays 'analysing' and is analysed again at the next start.
   */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id).catch(() => undefined)));
    await this.files.close();
  }
}
