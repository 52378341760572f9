/**
 * The check manager's life cycle with a real SQLite store and real files in a temporary data directory,
 * real tcpdump on loopback, and only the clock injected: created → waiting-for-device → capturing →
 * analysing → done; the stop at the end of the duration when the clock passes it; tcpdump that fails or
 * never starts listening; a disk that fills during the capture (a real small tmpfs); retention; and a
 * manager killed mid-capture whose check the next one finishes from the file on disk. Every time
 * recorded is the injected clock's.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LiveCaptureError } from '../../src/capture/live.js';
import { ANALYSIS_FILE, CAPTURE_FILE, CheckManager } from '../../src/checks/manager.js';
import { Indicators } from '../../src/indicators/matcher.js';
import type { CheckRecord, CheckState } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ManualClock } from '../helpers/clock.js';
import { fillDisk } from '../helpers/full-disk.js';
import { pcap } from '../helpers/paths.js';
import { dnsQuery } from '../helpers/pcap-writer.js';

const root = process.getuid?.() === 0;
const T0 = Date.parse('2031-03-04T05:06:07.000Z');
const iso = (msAfterT0: number): string => new Date(T0 + msAfterT0).toISOString();
const NO_LISTS = { indicators: new Indicators(), feeds: [] };
const DIST_SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Each test its own loopback address, so one test's packets never reach another's capture. */
let nextDevice = 40;
const device = (): string => `127.0.0.${nextDevice++}`;

async function sendDns(from: string, n: number, pad = 0): Promise<void> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, from, r));
  const q = dnsQuery(0x4242, 'manager-test.example.org');
  const body = pad > 0 ? Buffer.concat([q, Buffer.alloc(pad)]) : q;
  for (let i = 0; i < n; i++) await new Promise<void>((r) => s.send(body, 53, '127.0.0.1', () => r()));
  s.close();
}

async function until<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Rig {
  dataDir: string;
  store: SqliteStore;
  clock: ManualClock;
  manager: CheckManager;
  /** Every state each check went through, in order, as the manager announced them. */
  states: Map<string, CheckState[]>;
}

function rig(dataDir: string, opts: { tcpdumpPath?: string } = {}): Rig {
  const store = SqliteStore.inDir(dataDir);
  const clock = new ManualClock(new Date(T0));
  const manager = new CheckManager({ store, dataDir, indicators: () => NO_LISTS, clock, ...opts });
  const states = new Map<string, CheckState[]>();
  manager.on('change', (id: string) => {
    const s = store.getCheck(id)?.state;
    if (s === undefined) return;
    const seen = states.get(id) ?? [];
    if (seen.at(-1) !== s) seen.push(s);
    states.set(id, seen);
  });
  return { dataDir, store, clock, manager, states };
}

describe('check manager', { skip: root ? false : 'tcpdump on lo needs root' }, () => {
  let dir: string;
  let r: Rig;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qc-manager-'));
    r = rig(dir);
  });
  afterEach(async () => {
    await r.manager.stopAll();
    r.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('start, traffic, stop: every state in order, and each recorded time is the clock’s', async () => {
    const dev = device();
    const c = await r.manager.createLive({ iface: 'lo', device: dev, lang: 'en' });
    assert.equal(c.state, 'waiting-for-device');
    assert.equal(c.createdAt, iso(0));
    assert.equal(c.startedAt, iso(0));
    assert.equal(c.filter, `host ${dev}`);
    assert.ok(r.manager.isRunning(c.id));
    assert.equal(statSync(join(dir, 'checks', c.id, CAPTURE_FILE)).mode & 0o777, 0o600);

    r.clock.advance(30_000);
    await sendDns(dev, 6);
    await until('the check is capturing', () => r.store.getCheck(c.id)!.state === 'capturing');
    await until('6 packets counted', () => (r.manager.snapshot(c.id)?.packets ?? 0) >= 6);
    assert.equal(r.manager.snapshot(c.id)!.elapsedSeconds, 30, 'the live view counts time on the same clock');

    r.clock.advance(60_000);
    const done = await r.manager.stop(c.id);
    assert.equal(done.state, 'done');
    assert.equal(done.stoppedAt, iso(90_000));
    assert.equal(done.finishedAt, iso(90_000));
    assert.ok(done.packets >= 6, `${done.packets} packets`);
    assert.equal(done.error, null);
    assert.deepEqual(r.states.get(c.id), ['created', 'waiting-for-device', 'capturing', 'analysing', 'done']);
    assert.ok(existsSync(join(dir, 'checks', c.id, ANALYSIS_FILE)));
    assert.equal(r.manager.analysis(c.id)!.generatedAt, iso(90_000), 'the report is dated by the same clock');
    assert.equal(r.manager.isRunning(c.id), false);
    // Stop again: the same finished check, nothing moves.
    assert.deepEqual(await r.manager.stop(c.id), r.store.getCheck(c.id));
  });

  test('a check with a duration stops itself when the clock passes it, not before', async () => {
    const dev = device();
    const c = await r.manager.createLive({ iface: 'lo', device: dev, durationSeconds: 120, lang: 'fr' });
    await sendDns(dev, 3);
    await until('3 packets counted', () => (r.manager.snapshot(c.id)?.packets ?? 0) >= 3);
    r.clock.advance(119_999);
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(r.store.getCheck(c.id)!.state, 'capturing', 'still running a millisecond before its end');
    assert.ok(r.manager.isRunning(c.id));
    r.clock.advance(1);
    const done = await until('the check finishes on its own', () => {
      const x = r.store.getCheck(c.id)!;
      return x.state === 'done' || x.state === 'failed' ? x : null;
    });
    assert.equal(done.state, 'done');
    assert.equal(done.stoppedAt, iso(120_000));
    assert.equal(done.finishedAt, iso(120_000));
    assert.deepEqual(r.states.get(c.id), ['created', 'waiting-for-device', 'capturing', 'analysing', 'done']);
    assert.equal(r.clock.pending, 0, 'no wait is left behind');
  });

  test('stopped by hand before its duration: the duration’s stop is cancelled', async () => {
    const c = await r.manager.createLive({ iface: 'lo', device: device(), durationSeconds: 600, lang: 'en' });
    assert.equal(r.clock.pending, 1);
    r.clock.advance(10_000);
    const done = await r.manager.stop(c.id);
    assert.equal(done.state, 'done');
    assert.equal(done.stoppedAt, iso(10_000));
    assert.equal(done.packets, 0);
    assert.equal(r.clock.pending, 0);
    r.clock.advance(600_000);
    assert.equal(r.store.getCheck(c.id)!.stoppedAt, iso(10_000));
  });

  test('tcpdump that cannot start: the check fails at once, at the clock’s time', async () => {
    r.clock.advance(5_000);
    await assert.rejects(r.manager.createLive({ iface: 'qcnoiface0', lang: 'en' }), LiveCaptureError);
    const [c] = r.store.listChecks();
    assert.equal(c!.state, 'failed');
    assert.match(c!.error!, /tcpdump/);
    assert.equal(c!.createdAt, iso(5_000));
    assert.equal(c!.finishedAt, iso(5_000));
    assert.equal(r.manager.isRunning(c!.id), false);
  });

  test('tcpdump that never says it listens: the check fails when the clock passes the start timeout', async () => {
    // A tcpdump that hangs before listening (as one stuck on a dying interface does).
    const hang = join(dir, 'tcpdump');
    writeFileSync(hang, '#!/bin/sh\nexec sleep 60\n');
    chmodSync(hang, 0o755);
    await r.manager.stopAll();
    r.store.close();
    r = rig(dir, { tcpdumpPath: hang });
    const started = r.manager.createLive({ iface: 'lo', lang: 'en' });
    await new Promise((res) => setTimeout(res, 300));
    const [c] = r.store.listChecks();
    assert.equal(c!.state, 'created');
    r.clock.advance(9_999);
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(r.store.getCheck(c!.id)!.state, 'created');
    r.clock.advance(1);
    await assert.rejects(started, /did not start listening on lo within 10 s/);
    const failed = r.store.getCheck(c!.id)!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.finishedAt, iso(10_000));
    assert.deepEqual(r.states.get(c!.id), ['created', 'failed']);
  });

  test('retention: checks created more than the days ago by the clock go, newer and running ones stay', async () => {
    const upload = async (): Promise<CheckRecord> => {
      const { check, path } = r.manager.createUpload('en');
      copyFileSync(pcap('dns-a-aaaa-mx-nsec.pcap'), path);
      return r.manager.analyseUpload(check.id, 'phone.pcap');
    };
    const old = await upload();
    assert.equal(old.state, 'done');
    assert.equal(old.createdAt, iso(0));
    assert.equal(old.stoppedAt, iso(0));
    const running = await r.manager.createLive({ iface: 'lo', device: device(), lang: 'en' });
    r.clock.advance(20 * 86_400_000);
    const newer = await upload();
    assert.equal(newer.createdAt, iso(20 * 86_400_000));
    r.clock.advance(10 * 86_400_000);
    assert.deepEqual(await r.manager.sweep(30), [], 'exactly 30 days old is not older than 30 days');
    r.clock.advance(1);
    assert.deepEqual(await r.manager.sweep(30), [old.id]);
    assert.equal(r.store.getCheck(old.id), null);
    assert.ok(!existsSync(join(dir, 'checks', old.id)), 'its files are gone with its row');
    assert.equal(r.store.getCheck(newer.id)!.state, 'done');
    assert.ok(r.manager.isRunning(running.id), 'a running check is left to finish');
    assert.deepEqual(await r.manager.sweep(0), [], '0 keeps everything');
  });
});

describe('check manager: a disk that fills during the capture', { skip: root ? false : 'needs root to mount a tmpfs and run tcpdump on lo' }, () => {
  test('the check ends as failed, what was recorded is analysed and kept, at the clock’s time', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 'qc-manager-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m,mode=0700', 'qc-manager-disk-full', mnt]);
    const filler = join(mnt, 'filler');
    let r: Rig | null = null;
    try {
      r = rig(mnt);
      const dev = device();
      const c = await r.manager.createLive({ iface: 'lo', device: dev, lang: 'en' });
      await sendDns(dev, 5);
      await until('5 packets counted', () => (r!.manager.snapshot(c.id)?.packets ?? 0) >= 5);
      r.clock.advance(45_000);
      fillDisk(filler);
      const ended = await until(
        'the check ends',
        async () => {
          await sendDns(dev, 20, 1200);
          const s = r!.store.getCheck(c.id)!;
          return s.state === 'failed' || s.state === 'done' ? s : null;
        },
        20_000,
      );
      assert.equal(ended.state, 'failed');
      assert.match(ended.error!, /^the disk is full: the capture stopped after \d+ packets; what was recorded is kept/);
      assert.ok(ended.packets >= 5);
      assert.equal(ended.stoppedAt, iso(45_000));
      assert.equal(ended.finishedAt, iso(45_000));
      assert.deepEqual(r.states.get(c.id), ['created', 'waiting-for-device', 'capturing', 'analysing', 'failed']);
      assert.ok(r.manager.analysis(c.id) !== null, 'its report can be read');
    } finally {
      await r?.manager.stopAll();
      r?.store.close();
      if (existsSync(filler)) unlinkSync(filler);
      execFileSync('umount', [mnt]);
      rmdirSync(mnt);
    }
  });
});

describe('check manager: after a restart', { skip: root ? false : 'tcpdump on lo needs root' }, () => {
  test('a manager killed mid-capture: the next finishes its check from the file and drops a cut-off upload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-manager-restart-'));
    const dev = device();
    // The first manager in a process of its own, killed with SIGKILL as a crash or power cut would.
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(join(DIST_SRC, 'store', 'sqlite.js'))});
      const { CheckManager } = await import(${JSON.stringify(join(DIST_SRC, 'checks', 'manager.js'))});
      const { Indicators } = await import(${JSON.stringify(join(DIST_SRC, 'indicators', 'matcher.js'))});
      const store = SqliteStore.inDir(${JSON.stringify(dir)});
      const m = new CheckManager({ store, dataDir: ${JSON.stringify(dir)}, indicators: () => ({ indicators: new Indicators(), feeds: [] }) });
      const c = await m.createLive({ iface: 'lo', device: ${JSON.stringify(dev)}, lang: 'en' });
      const u = m.createUpload('en');
      process.stdout.write(JSON.stringify({ live: c.id, upload: u.check.id }) + '\\n');
      // Says when the phone's first packets made the check "capturing", so the kill lands mid-capture.
      m.on('change', (id) => { if (id === c.id && store.getCheck(id)?.state === 'capturing') process.stdout.write('capturing\\n'); });
      setInterval(() => {}, 1000);
    `;
    const first = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let r: Rig | null = null;
    try {
      let out = '';
      const ids = await new Promise<{ live: string; upload: string }>((resolve, reject) => {
        first.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const line = out.split('\n')[0]!;
          if (out.includes('\n')) resolve(JSON.parse(line) as { live: string; upload: string });
        });
        first.once('exit', (code) => reject(new Error(`the first manager exited with ${code}`)));
      });
      const file = join(dir, 'checks', ids.live, CAPTURE_FILE);
      await sendDns(dev, 8);
      // 24 bytes of pcap header, then the packets as tcpdump writes them.
      await until('packets written to disk', () => statSync(file).size > 24 + 8 * 40);
      await until('the first manager saw the phone', () => out.includes('capturing\n'));
      first.kill('SIGKILL');
      await new Promise((res) => first.once('exit', res));
      const mtime = new Date(statSync(file).mtimeMs).toISOString();

      r = rig(dir);
      r.clock.advance(3_600_000);
      assert.equal(r.store.getCheck(ids.live)!.state, 'capturing', 'the dead manager left it capturing');
      const recovered = await r.manager.recover();
      assert.deepEqual(recovered.map((x) => x.id), [ids.live]);
      const c = r.store.getCheck(ids.live)!;
      assert.equal(c.state, 'done');
      assert.equal(c.recovered, true);
      assert.match(c.error!, /finalised from the capture on disk/);
      assert.ok(c.packets >= 8, `${c.packets} packets`);
      assert.equal(c.stoppedAt, mtime, 'stopped when the file was last written');
      assert.equal(c.finishedAt, iso(3_600_000), 'finished by the new manager’s clock');
      assert.ok(r.manager.analysis(ids.live) !== null);
      assert.equal(r.store.getCheck(ids.upload), null, 'the upload that never arrived is dropped');
      assert.deepEqual(readdirSync(join(dir, 'checks')), [ids.live]);
      assert.deepEqual(await r.manager.recover(), [], 'nothing is left to recover');
    } finally {
      first.kill('SIGKILL');
      await r?.manager.stopAll();
      r?.store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
