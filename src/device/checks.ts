import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_STATES, CHECK_ID_RE, type CheckManager } from '../checks/manager.js';
import type { Indicators } from '../indicators/matcher.js';
import type { Lang } from '../i18n/index.js';
import type { FeedSummary } from '../analysis/types.js';
import { shredTree } from '../store/shred.js';
import type { CheckRecord, CheckStore } from '../store/store.js';
import type { AdbClient } from './adb/client.js';
import { CollectionError, collectDevice, type CollectProgress } from './adb/collect.js';
import { listDevices, type ConnectedDevice } from './adb/devices.js';
import { analyzeAcquisition, type DeviceAnalysis } from './analyze.js';

/**
 * Device checks run by `quietcheck serve`: collect a phone on USB, analyse, keep the report. Each
 * check is a row of the same checks store as traffic checks (source 'device', the phone's serial in
 * `device`) and a folder beside theirs holding the acquisition in the AndroidQF layout and the
 * analysis, so the admin's history, retention and deletion (files shredded, row securely deleted)
 * cover both kinds alike. A check cut off by a restart is marked failed.
 */

export type DeviceCheckState = 'collecting' | 'analysing' | 'done' | 'failed';

export interface DeviceCheck {
  id: string;
  kind: 'device';
  state: DeviceCheckState;
  serial: string;
  lang: Lang;
  createdAt: string;
  finishedAt: string | null;
  progress: CollectProgress | null;
  level: DeviceAnalysis['verdict']['level'] | null;
  families: string[];
  /** The phone went away before the end: the report covers what was read. */
  partial: boolean;
  error: string | null;
}

export class DeviceCheckError extends Error {
  constructor(
    readonly code: 'no-phone' | 'several-phones' | 'not-found' | 'unauthorized' | 'offline' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'DeviceCheckError';
  }
}

export interface DeviceChecksOptions {
  dataDir: string;
  store: CheckStore;
  /** Owns the check folders and their deletion (shredding), for device checks as for traffic ones. */
  manager: CheckManager;
  adb: AdbClient;
  sources: () => { indicators: Indicators; feeds: FeedSummary[] };
  ownAdbKeys: () => string[];
  disabledRules?: () => string[];
  now?: () => Date;
}

/** The device analysis, named apart from a traffic check's so neither kind's reader takes the other's. */
export const DEVICE_ANALYSIS_FILE = 'device-analysis.json';
const ACQUISITION_DIR = 'acquisition';
/** Where an earlier version kept device checks, each folder with its own check.json: moved into the store at start. */
const LEGACY_DIR = 'device-checks';

interface Running {
  progress: CollectProgress | null;
  abort: AbortController;
  done: Promise<void>;
}

export class DeviceChecks extends EventEmitter {
  private readonly running = new Map<string, Running>();
  private readonly now: () => Date;
  private readonly store: CheckStore;
  private readonly manager: CheckManager;

  constructor(private readonly opts: DeviceChecksOptions) {
    super();
    this.store = opts.store;
    this.manager = opts.manager;
    this.now = opts.now ?? (() => new Date());
    this.manager.stopOther = (id) => this.stop(id);
    // Deletions by the manager (the admin's delete, delete-all, retention) reach the event streams.
    this.manager.on('change', (id: string) => this.emit('change', id));
    for (const r of this.store.checksInStates(ACTIVE_STATES)) {
      // A check cut off by a restart never finishes: say so rather than show it running forever.
      if (r.source === 'device') this.store.transitionCheck(r.id, ACTIVE_STATES, 'failed', { error: 'interrupted by a restart of quietcheck', finishedAt: this.now().toISOString() });
    }
    this.importLegacy();
  }

  /** Device checks an earlier version kept as folders of their own become rows and folders like the others. */
  private importLegacy(): void {
    const root = join(this.opts.dataDir, LEGACY_DIR);
    if (!existsSync(root)) return;
    for (const id of readdirSync(root)) {
      const from = join(root, id);
      try {
        if (!CHECK_ID_RE.test(id) || this.store.getCheck(id) !== null) continue;
        const c = JSON.parse(readFileSync(join(from, 'check.json'), 'utf8')) as DeviceCheck;
        this.store.createCheck({ id, source: 'device', iface: null, device: c.serial, filter: null, durationSeconds: null, lang: c.lang, createdAt: c.createdAt });
        const done = c.state === 'done';
        const to = this.manager.dirOf(id);
        mkdirSync(to, { recursive: true, mode: 0o700 });
        if (existsSync(join(from, ACQUISITION_DIR))) renameSync(join(from, ACQUISITION_DIR), join(to, ACQUISITION_DIR));
        if (existsSync(join(from, 'analysis.json'))) renameSync(join(from, 'analysis.json'), join(to, DEVICE_ANALYSIS_FILE));
        this.store.transitionCheck(id, ['created'], done ? 'done' : 'failed', {
          startedAt: c.createdAt,
          finishedAt: c.finishedAt ?? this.now().toISOString(),
          level: done ? c.level : null,
          families: done ? c.families : [],
          error: done ? (c.partial ? c.error : null) : (c.error ?? 'interrupted by a restart of quietcheck'),
        });
      } catch {
        // Unreadable: shredded below like the rest, nothing of it can be shown.
      }
    }
    void shredTree(root).catch(() => undefined);
  }

  phones(): Promise<ConnectedDevice[]> {
    return listDevices(this.opts.adb);
  }

  private view(r: CheckRecord): DeviceCheck {
    return {
      id: r.id,
      kind: 'device',
      state: r.state === 'done' || r.state === 'failed' || r.state === 'analysing' ? r.state : 'collecting',
      serial: r.device ?? '',
      lang: r.lang as Lang,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      progress: this.running.get(r.id)?.progress ?? null,
      level: r.level as DeviceCheck['level'],
      families: [...r.families],
      // A collection cut short still ends 'done' (with what was read) and keeps why it was cut.
      partial: r.state === 'done' && r.error !== null,
      error: r.error,
    };
  }

  list(): DeviceCheck[] {
    return this.store.listChecks().filter((r) => r.source === 'device').map((r) => this.view(r));
  }

  get(id: string): DeviceCheck | null {
    const r = CHECK_ID_RE.test(id) ? this.store.getCheck(id) : null;
    return r !== null && r.source === 'device' ? this.view(r) : null;
  }

  private dir(id: string): string {
    return this.manager.dirOf(id);
  }

  /** Picks the phone (the only one, or `serial`), refuses one that is not ready, and starts in the background. */
  async start(req: { serial?: string; lang: Lang }): Promise<DeviceCheck> {
    const phones = await this.phones();
    const phone = req.serial ? phones.find((p) => p.serial === req.serial) : phones.length === 1 ? phones[0] : undefined;
    if (req.serial && !phone) throw new DeviceCheckError('not-found', `no phone ${req.serial} is connected`);
    if (!phone) throw phones.length === 0 ? new DeviceCheckError('no-phone', 'no phone is connected') : new DeviceCheckError('several-phones', 'several phones are connected: choose one');
    if (phone.state === 'unauthorized') throw new DeviceCheckError('unauthorized', 'the phone has not allowed this computer yet: accept the prompt on the phone');
    if (phone.state !== 'device') throw new DeviceCheckError('offline', 'the phone is not answering: unplug it and plug it in again');
    if (this.list().some((c) => c.serial === phone.serial && (c.state === 'collecting' || c.state === 'analysing'))) {
      throw new DeviceCheckError('busy', 'this phone is already being checked');
    }
    const id = randomBytes(16).toString('hex');
    const at = this.now().toISOString();
    mkdirSync(this.dir(id), { recursive: true, mode: 0o700 });
    this.store.createCheck({ id, source: 'device', iface: null, device: phone.serial, filter: null, durationSeconds: null, lang: req.lang, createdAt: at });
    this.store.transitionCheck(id, ['created'], 'capturing', { startedAt: at });
    const run: Running = { progress: null, abort: new AbortController(), done: Promise.resolve() };
    this.running.set(id, run);
    run.done = this.run(id, phone.serial, run).finally(() => {
      this.running.delete(id);
      this.emit('change', id);
    });
    this.emit('change', id);
    return this.get(id)!;
  }

  private async run(id: string, serial: string, run: Running): Promise<void> {
    const acq = join(this.dir(id), ACQUISITION_DIR);
    const signal = run.abort.signal;
    try {
      let cut: string | null = null;
      try {
        await collectDevice({
          client: this.opts.adb,
          serial,
          outDir: acq,
          signal,
          onProgress: (p) => {
            run.progress = p;
            this.emit('change', id);
          },
        });
      } catch (e) {
        if (!(e instanceof CollectionError)) throw e;
        cut = e.message;
      }
      if (!this.store.transitionCheck(id, ['capturing'], 'analysing', { stoppedAt: this.now().toISOString(), error: cut })) return;
      this.emit('change', id);
      const { indicators, feeds } = this.opts.sources();
      const a = await analyzeAcquisition(acq, {
        indicators,
        feeds,
        config: { ownAdbKeys: this.opts.ownAdbKeys(), disabled: this.opts.disabledRules?.() ?? [] },
      });
      if (signal.aborted) return;
      const tmp = join(this.dir(id), `.${DEVICE_ANALYSIS_FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(a), { mode: 0o600 });
      renameSync(tmp, join(this.dir(id), DEVICE_ANALYSIS_FILE));
      this.store.transitionCheck(id, ['analysing'], 'done', { level: a.verdict.level, families: a.verdict.families, finishedAt: this.now().toISOString() });
    } catch (e) {
      // Deleted meanwhile: the row is gone and there is nothing to record.
      if (signal.aborted) return;
      this.store.transitionCheck(id, ACTIVE_STATES, 'failed', { error: (e as Error).message, finishedAt: this.now().toISOString() });
    }
  }

  /** Stops a collection between two commands and waits until nothing more is written (the check is being deleted). */
  private async stop(id: string): Promise<void> {
    const run = this.running.get(id);
    if (run === undefined) return;
    run.abort.abort();
    await run.done.catch(() => undefined);
  }

  /** The finished analysis, to render in any language (it holds message keys, not words). */
  analysis(id: string): DeviceAnalysis | null {
    const c = this.get(id);
    const file = c ? join(this.dir(id), DEVICE_ANALYSIS_FILE) : '';
    if (c === null || c.state !== 'done' || !existsSync(file)) return null;
    // Analyses written by earlier versions carry the language of the check too: the renderers take it instead.
    const { lang: _stored, ...a } = JSON.parse(readFileSync(file, 'utf8')) as DeviceAnalysis & { lang?: unknown };
    return a;
  }

  /** The acquisition folder, for an export. */
  acquisitionDir(id: string): string | null {
    if (this.get(id) === null) return null;
    const d = join(this.dir(id), ACQUISITION_DIR);
    return existsSync(d) ? d : null;
  }

  /** Deletes the check the way traffic checks are: collection stopped, files shredded, row securely deleted. */
  async delete(id: string): Promise<boolean> {
    if (this.get(id) === null) return false;
    return this.manager.delete(id);
  }

  /** Ends collections (server shutdown); their checks are failed at the next start. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }
}
