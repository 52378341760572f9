/**
 * No orphans: a SIGKILLed `quietcheck serve` takes its live tcpdump with it (the kernel's parent-death
 * signal), even when no packet arrives that would make tcpdump notice its dead pipe; and what a dead run
 * left in its pid file is killed at the next start.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTimeOf } from '../../src/process/supervisor.js';
import { running } from '../helpers/processes.js';
import { api, removeDir, ServeProcess, sleep, tempDir, waitFor } from './helpers.js';

const PASSWORD = 'a long test password';
const root = process.getuid?.() === 0;

/** The pids of `name` processes whose parent is `ppid`. */
function childrenNamed(ppid: number, name: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppidOf = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === name && ppidOf === ppid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

describe('programs die with the server', { skip: root ? false : 'tcpdump on lo needs root' }, () => {
  test('SIGKILL of serve during a live capture with no traffic: tcpdump dies with it', async () => {
    const dir = tempDir('qc-orphan-');
    const serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', PASSWORD]);
    let tcpdump: number[] = [];
    try {
      const port = Number(new URL(await serve.listening()).port);
      // A device that sends nothing: tcpdump sits waiting, never writing to its (soon dead) pipe.
      const c = await api(port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.0.0.213' } });
      assert.equal(c.status, 201, c.text);
      tcpdump = await waitFor('tcpdump runs under serve', async () => {
        const p = childrenNamed(serve.child.pid!, 'tcpdump');
        return p.length > 0 ? p : null;
      });
      process.kill(serve.child.pid!, 'SIGKILL'); // serve alone, not its process group
      await serve.exited;
      await waitFor('tcpdump gone', async () => tcpdump.every((p) => !running(p)), 5000);
    } finally {
      for (const p of tcpdump) if (running(p)) process.kill(p, 'SIGKILL');
      serve.kill('SIGKILL');
      removeDir(dir);
    }
  });

  test('a tcpdump listed in the pid file of a dead run is killed at the next start', async () => {
    const dir = tempDir('qc-reap-');
    // Started on its own (no parent-death signal): as a tcpdump given file capabilities would be.
    const stray = spawn('tcpdump', ['-i', 'lo', '-w', '/dev/null', 'udp port 9 and host 127.0.0.214'], { stdio: 'ignore', detached: true });
    const pid = stray.pid!;
    let serve: ServeProcess | null = null;
    try {
      await sleep(200);
      assert.ok(running(pid));
      writeFileSync(join(dir, 'children.json'), JSON.stringify([{ pid, name: 'tcpdump', start: startTimeOf(pid) }, { pid: process.pid, name: 'node', start: startTimeOf(process.pid) }]));
      serve = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', PASSWORD]);
      await serve.listening();
      await waitFor('the stray tcpdump killed', async () => !running(pid), 5000);
      assert.match(serve.output, new RegExp(`stopped tcpdump \\(${pid}\\) left running by a previous run`));
      assert.ok(running(process.pid), 'a listed pid that is not ours (this test runner) is never killed');
    } finally {
      if (running(pid)) process.kill(pid, 'SIGKILL');
      await serve?.stop();
      removeDir(dir);
    }
  });
});
