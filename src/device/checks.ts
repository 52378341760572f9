import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_ID_RE } from '../checks/manager.js';
import type { Indicators } from '../indicators/matcher.js';
import type { Lang } from '../report/i18n/index.js';
import type { FeedSummary } from '../report/types.js';
import type { AdbClient } from './adb/client.js';
import { CollectionError, collectDevice, type CollectProgress } from './adb/collect.js';
import { listDevices, type ConnectedDevice } from './adb/devices.js';
import { analyzeAcquisition, type DeviceAnalysis } from './analyze.js';

/**
 * Device checks run by `quietcheck serve`: collect a phone on USB, analyse, keep the report. Each
 * check is a folder of the data directory (mode 0700) holding its record, the acquisition in the
 * AndroidQF layout and the analysis; records survive a restart, a check cut off by a restart is
 * marked failed, and checks older than the retention period are deleted with their folder.
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
  adb: AdbClient;
  sources: () => { indicators: Indicators; feeds: FeedSummary[] };
  ownAdbKeys: () => string[];
  disabledRules?: () => string[];
  /** Read at each sweep: the admin may change it at run time. */
  retentionDays: () => number;
  now?: () => Date;
}


export class DeviceChecks extends EventEmitter {
  private readonly checks = new Map<string, DeviceCheck>();
  private readonly root: string;
  private readonly now: () => Date;

  constructor(private readonly opts: DeviceChecksOptions) {
    super();
    this.root = join(opts.dataDir, 'device-checks');
    this.now = opts.now ?? (() => new Date());
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    for (const id of readdirSync(this.root)) {
      const file = join(this.root, id, 'check.json');
      if (!CHECK_ID_RE.test(id) || !existsSync(file)) continue;
      try {
        const c = JSON.parse(readFileSync(file, 'utf8')) as DeviceCheck;
        // A check cut off by a restart never finishes: say so rather than show it running forever.
        const cut = c.state === 'collecting' || c.state === 'analysing';
        if (cut) Object.assign(c, { state: 'failed', error: 'interrupted by a restart of quietcheck', finishedAt: this.now().toISOString() });
        this.checks.set(id, c);
        if (cut) this.save(c);
      } catch {
        // A record that cannot be read is left on disk for the retention sweep.
      }
    }
  }

  phones(): Promise<ConnectedDevice[]> {
    return listDevices(this.opts.adb);
  }

  list(): DeviceCheck[] {
    return [...this.checks.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(id: string): DeviceCheck | null {
    return this.checks.get(id) ?? null;
  }

  private dir(id: string): string {
    return join(this.root, id);
  }

  private save(c: DeviceCheck): void {
    const tmp = join(this.dir(c.id), `.check.json.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(c, null, 2), { mode: 0o600 });
    renameSync(tmp, join(this.dir(c.id), 'check.json'));
    this.emit('change', c.id);
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
    const c: DeviceCheck = {
      // The same form as traffic check ids, so the API's id checks serve both.
      id: randomBytes(16).toString('hex'),
      kind: 'device',
      state: 'collecting',
      serial: phone.serial,
      lang: req.lang,
      createdAt: this.now().toISOString(),
      finishedAt: null,
      progress: null,
      level: null,
      families: [],
      partial: false,
      error: null,
    };
    mkdirSync(this.dir(c.id), { recursive: true, mode: 0o700 });
    this.checks.set(c.id, c);
    this.save(c);
    void this.run(c);
    return c;
  }

  private async run(c: DeviceCheck): Promise<void> {
    const acq = join(this.dir(c.id), 'acquisition');
    try {
      try {
        await collectDevice({
          client: this.opts.adb,
          serial: c.serial,
          outDir: acq,
          onProgress: (p) => {
            c.progress = p;
            this.emit('change', c.id);
          },
        });
      } catch (e) {
        if (!(e instanceof CollectionError)) throw e;
        c.partial = true;
        c.error = e.message;
      }
      if (!this.checks.has(c.id)) return;
      c.state = 'analysing';
      this.save(c);
      const { indicators, feeds } = this.opts.sources();
      const a = await analyzeAcquisition(acq, {
        indicators,
        feeds,
        lang: c.lang,
        config: { ownAdbKeys: this.opts.ownAdbKeys(), disabled: this.opts.disabledRules?.() ?? [] },
      });
      if (!this.checks.has(c.id)) return;
      writeFileSync(join(this.dir(c.id), 'analysis.json'), JSON.stringify(a), { mode: 0o600 });
      Object.assign(c, { state: 'done', level: a.verdict.level, families: a.verdict.families, finishedAt: this.now().toISOString() });
      this.save(c);
    } catch (e) {
      if (!this.checks.has(c.id)) return;
      Object.assign(c, { state: 'failed', error: (e as Error).message, finishedAt: this.now().toISOString() });
      try {
        this.save(c);
      } catch {
        // The folder is gone (deleted, or the data directory removed): the record in memory says failed.
        this.emit('change', c.id);
      }
    }
  }

  /** The finished analysis, to render in any language (reports hold message keys, not words). */
  analysis(id: string, lang?: Lang): DeviceAnalysis | null {
    const file = join(this.dir(id), 'analysis.json');
    if (!this.checks.has(id) || !existsSync(file)) return null;
    const a = JSON.parse(readFileSync(file, 'utf8')) as DeviceAnalysis;
    return lang ? { ...a, lang } : a;
  }

  /** The acquisition folder, for an export. */
  acquisitionDir(id: string): string | null {
    const d = join(this.dir(id), 'acquisition');
    return this.checks.has(id) && existsSync(d) ? d : null;
  }

  delete(id: string): boolean {
    if (!this.checks.delete(id)) return false;
    rmSync(this.dir(id), { recursive: true, force: true });
    this.emit('change', id);
    return true;
  }

  /** Deletes checks older than the retention period; returns how many. */
  sweep(): number {
    const days = this.opts.retentionDays();
    if (days <= 0) return 0;
    const limit = this.now().getTime() - days * 86_400_000;
    let n = 0;
    for (const id of readdirSync(this.root)) {
      if (!CHECK_ID_RE.test(id)) continue;
      const c = this.checks.get(id);
      const created = c ? Date.parse(c.createdAt) : statSync(this.dir(id)).mtimeMs;
      if (created < limit && (!c || c.state === 'done' || c.state === 'failed')) {
        this.checks.delete(id);
        rmSync(this.dir(id), { recursive: true, force: true });
        n++;
      }
    }
    return n;
  }
}
