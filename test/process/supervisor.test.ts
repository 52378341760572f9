/**
 * The supervisor with real short-lived programs (sleep, sh, node): the pid file lists exactly what
 * runs; a SIGKILLed parent takes its supervised children with it (and, as a control, not a child
 * spawned without the guard); what a dead run left in the pid file is killed at the next start, but
 * never a process whose pid was reused, nor a program the supervisor may not reap; programs are
 * awaited until ready and stopped by SIGTERM, then SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHILDREN_FILE, startTimeOf, Supervisor, type ChildEntry } from '../../src/process/supervisor.js';
import { ProcessGroup, ProcessStartError } from '../../src/process/watched.js';
import { running } from '../helpers/processes.js';

const SUPERVISOR_JS = fileURLToPath(new URL('../../src/process/supervisor.js', import.meta.url));

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A `sleep` started outside any supervisor, as a previous run's leftover would be. */
function looseSleep(seconds = 60): number {
  const c = spawn('sleep', [String(seconds)], { stdio: 'ignore', detached: true });
  c.unref();
  return c.pid!;
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

function pidFile(dir: string): ChildEntry[] {
  return JSON.parse(readFileSync(join(dir, CHILDREN_FILE), 'utf8')) as ChildEntry[];
}

describe('process supervisor', () => {
  let dir: string;
  const strays: number[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'qc-supervisor-'));
  });
  after(() => {
    for (const p of strays) kill(p);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the pid file lists a child while it runs, with its start time, and drops it when it exits', async () => {
    const d = mkdtempSync(join(dir, 'list-'));
    const sup = new Supervisor(new Set(['sleep']));
    assert.deepEqual(sup.trackIn(d), []);
    assert.deepEqual(pidFile(d), []);
    const child = sup.spawn('sleep', ['0.3']);
    const listed = pidFile(d);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.pid, child.pid);
    assert.equal(listed[0]!.name, 'sleep');
    assert.equal(listed[0]!.start, startTimeOf(child.pid!));
    await new Promise((r) => child.once('exit', r));
    assert.deepEqual(pidFile(d), []);
    assert.deepEqual(sup.children(), []);
  });

  test('a SIGKILLed parent takes its supervised child with it; a child spawned without the guard outlives it', async () => {
    // The parent: a node process that spawns one `sleep` through the supervisor and one plainly, says their pids, and waits.
    const script = `
      const { Supervisor } = await import(${JSON.stringify(SUPERVISOR_JS)});
      const { spawn } = await import('node:child_process');
      const guarded = new Supervisor().spawn('sleep', ['60']);
      const plain = spawn('sleep', ['60'], { stdio: 'ignore' });
      process.stdout.write(JSON.stringify({ guarded: guarded.pid, plain: plain.pid }) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<{ guarded: number; plain: number }>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve(JSON.parse(out) as { guarded: number; plain: number });
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited with ${code}`)));
    });
    strays.push(pids.guarded, pids.plain);
    await until('both sleeps run', () => running(pids.guarded) && running(pids.plain));
    parent.kill('SIGKILL');
    await new Promise((r) => parent.once('exit', r));
    await until('the supervised sleep dies with its parent', () => !running(pids.guarded));
    // The control: without the parent-death signal the orphan lives on, so the wait above can fail.
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(running(pids.plain), 'a sleep spawned without the guard outlives its SIGKILLed parent');
    kill(pids.plain);
  });

  test('stale entries are reaped at the next start; a reused pid, a program it may not reap and this process are left alone', async () => {
    const d = mkdtempSync(join(dir, 'reap-'));
    const stale = looseSleep();
    const reused = looseSleep();
    const notReapable = spawn('sh', ['-c', 'sleep 60'], { stdio: 'ignore', detached: true });
    notReapable.unref();
    strays.push(stale, reused, notReapable.pid!);
    await until('the leftovers run', () => startTimeOf(stale) !== null && startTimeOf(reused) !== null);
    writeFileSync(
      join(d, CHILDREN_FILE),
      JSON.stringify([
        { pid: stale, name: 'sleep', start: startTimeOf(stale) },
        // The same pid as recorded, but a different process now: its start time differs.
        { pid: reused, name: 'sleep', start: String(Number(startTimeOf(reused)) - 1) },
        { pid: notReapable.pid, name: 'sh', start: startTimeOf(notReapable.pid!) },
        { pid: process.pid, name: 'sleep', start: startTimeOf(process.pid) },
        { pid: 'x', name: 'sleep' },
        null,
      ]),
    );
    const done = new Supervisor(new Set(['sleep'])).trackIn(d);
    assert.deepEqual(done, [`stopped sleep (${stale}) left running by a previous run`]);
    await until('the stale sleep is gone', () => !running(stale));
    assert.ok(running(reused), 'a process whose start time differs from the record is not the recorded one');
    assert.ok(running(notReapable.pid!), 'only the reapable programs are ever killed from the pid file');
    assert.deepEqual(pidFile(d), [], 'the pid file now lists this run’s children only');
  });

  test('a damaged pid file reaps nothing and is replaced', () => {
    const d = mkdtempSync(join(dir, 'damaged-'));
    writeFileSync(join(d, CHILDREN_FILE), '[{"pid": 12');
    assert.deepEqual(new Supervisor().trackIn(d), []);
    assert.deepEqual(pidFile(d), []);
    writeFileSync(join(d, CHILDREN_FILE), '{"pid": 1, "name": "tcpdump"}');
    assert.deepEqual(new Supervisor().trackIn(d), []);
  });

  test('a program is awaited until its ready line, its lines are passed on, and stop ends it', async () => {
    const group = new ProcessGroup(new Supervisor());
    const lines: string[] = [];
    const recorded: ChildEntry[] = [];
    const p = group.spawn('ready-late', 'sh', ['-c', 'echo starting; sleep 0.2; echo READY now; exec sleep 30'], (l) => lines.push(l), (e) => recorded.push(e));
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.name, 'ready-late', 'the record carries the name the caller gave');
    assert.equal(recorded[0]!.pid, p.child.pid);
    await p.waitFor(/READY/, 5000);
    assert.deepEqual(lines, ['starting', 'READY now']);
    assert.equal(p.running, true);
    await group.stopAll();
    assert.equal(p.running, false);
    assert.equal(group.size, 0);
  });

  test('a program that ends, or stays silent, before its ready line fails with its last words', async () => {
    const group = new ProcessGroup(new Supervisor());
    const dies = group.spawn('dies', 'sh', ['-c', 'echo one; echo two; echo "bad config" >&2; exit 3']);
    await assert.rejects(dies.waitFor(/READY/, 5000), (e: unknown) => e instanceof ProcessStartError && /^dies stopped: .*bad config/.test(e.message));
    assert.equal(await dies.exited, 3);
    const silent = group.spawn('silent', 'sleep', ['30']);
    await assert.rejects(silent.waitFor(/READY/, 200), (e: unknown) => e instanceof ProcessStartError && /silent did not start within 0.2 s/.test(e.message));
    const missing = group.spawn('missing', '/nonexistent/program', []);
    await assert.rejects(missing.waitFor(/READY/, 5000), /missing stopped: .*ENOENT/);
    await group.stopAll();
  });

  test('a program that ignores SIGTERM is killed after the grace time; killAllSync kills at once', async () => {
    const group = new ProcessGroup(new Supervisor(), 300);
    const stubborn = group.spawn('stubborn', process.execPath, ['-e', "process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000)"]);
    await stubborn.waitFor(/up/, 5000);
    const t0 = Date.now();
    await group.stopAll();
    const took = Date.now() - t0;
    assert.match(stubborn.output, /ignored/, 'SIGTERM came first');
    assert.equal(stubborn.child.signalCode, 'SIGKILL');
    assert.ok(took >= 250 && took < 3000, `stopped after the grace time (${took} ms)`);

    const a = group.spawn('a', 'sleep', ['30']);
    const b = group.spawn('b', 'sleep', ['30']);
    group.killAllSync();
    await Promise.all([a.exited, b.exited]);
    assert.equal(a.child.signalCode, 'SIGKILL');
    assert.equal(b.child.signalCode, 'SIGKILL');
  });
});
