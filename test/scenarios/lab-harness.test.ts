/**
 * The lab harness itself: it leaves nothing behind when a scenario fails, and a later run removes what a
 * run that died left (namespaces, the processes inside them, resolver files, temporary folders).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Lab, STATE_DIR, cleanLeftovers, labUnavailable, recordScenario, withLab } from '../lab/lab.js';
import { inspect } from '../lab/quietcheck.js';

const skip = labUnavailable();

function namespaces(): string[] {
  return (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').map((l) => l.split(/\s+/)[0] ?? '').filter(Boolean);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

describe('the network lab', { skip }, () => {
  test('a failing scenario still tears everything down', async () => {
    let seen: { lab: Lab; pids: number[] } | null = null;
    await assert.rejects(
      withLab({ hosts: [{ names: ['www.example.test'], services: [{ port: 443, proto: 'https' }, { port: 8443, proto: 'tls' }] }], phones: 2 }, async (lab) => {
        assert.equal(await lab.phone.curl('https://www.example.test/'), 200);
        const pids = (spawnSync('ip', ['netns', 'pids', lab.inetNs], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number);
        seen = { lab, pids };
        throw new Error('scenario failed on purpose');
      }),
      /on purpose/,
    );
    assert.ok(seen, 'the lab ran');
    const { lab, pids } = seen as { lab: Lab; pids: number[] };
    assert.ok(pids.length >= 3, `dnsmasq, web and s_server ran in the internet namespace: ${pids.join(' ')}`);
    assert.ok(await until(() => pids.every((p) => !alive(p)), 5000), 'every server process is gone');
    const ns = namespaces();
    for (const n of [lab.inetNs, ...lab.phones.map((p) => p.ns)]) {
      assert.ok(!ns.includes(n), `namespace ${n} removed`);
      assert.ok(!existsSync(join('/etc/netns', n)), `/etc/netns/${n} removed`);
    }
    assert.ok(!existsSync(lab.dir), 'temporary folder removed');
    assert.ok(!existsSync(join(STATE_DIR, `${lab.id}.json`)), 'state file removed');
  });

  test('recordScenario keeps the capture after the lab is gone; DNS goes through dnsmasq, not --resolve', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qc-lab-out-'));
    try {
      const file = await recordScenario(
        { hosts: [{ names: ['www.example.test'], services: [{ port: 80, proto: 'http' }] }], nxdomain: ['gone.example.test'] },
        'one-page',
        async (p) => {
          assert.equal(await p.curl('http://www.example.test/index.html'), 200);
          assert.deepEqual(await p.resolve('gone.example.test'), []);
        },
        out,
      );
      assert.ok(existsSync(file));
      const facts = await inspect(file);
      const q = facts.dns.find((d) => d.query === 'www.example.test' && d.qtype === 'A');
      assert.equal(q?.server, '10.200.0.1', 'the phone asked the lab resolver');
      assert.deepEqual(q?.answers.map((a) => a.data), ['10.200.100.10']);
      const aaaa = facts.dns.find((d) => d.query === 'www.example.test' && d.qtype === 'AAAA');
      assert.ok(!aaaa || (aaaa.rcode === 'NOERROR' && aaaa.answers.length === 0), 'AAAA: NOERROR without answers, as an IPv4-only server');
      assert.equal(facts.dns.find((d) => d.query === 'gone.example.test')?.rcode, 'NXDOMAIN');
      assert.deepEqual(facts.http.map((h) => [h.host, h.uri]), [['www.example.test', '/index.html']]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('leftovers of a run that died are removed, a live run is left alone', async () => {
    // A "dead" run: namespaces with a process inside, resolver files, a temporary folder, and a state file
    // whose owner has exited.
    const dead = spawnSync('true');
    const deadPid = dead.pid!;
    const id = randomBytes(4).toString('hex');
    const nss = [`qc-${id}-phone`, `qc-${id}-inet`];
    for (const n of nss) assert.equal(spawnSync('ip', ['netns', 'add', n]).status, 0);
    mkdirSync(join('/etc/netns', nss[0]!), { recursive: true });
    writeFileSync(join('/etc/netns', nss[0]!, 'resolv.conf'), 'nameserver 10.200.0.1\n');
    const dir = mkdtempSync(join(tmpdir(), 'qc-lab-'));
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(join(STATE_DIR, `${id}.json`), JSON.stringify({ pid: deadPid, namespaces: nss, dir }));
    const sleeper = spawn('ip', ['netns', 'exec', nss[1]!, 'sleep', '300'], { stdio: 'ignore' });
    const exited = new Promise((r) => sleeper.on('exit', r));
    assert.ok(await until(() => (spawnSync('ip', ['netns', 'pids', nss[1]!], { encoding: 'utf8' }).stdout ?? '').trim() !== '', 5000));

    // A "live" run owned by this process.
    const liveId = randomBytes(4).toString('hex');
    const live = `qc-${liveId}-inet`;
    writeFileSync(join(STATE_DIR, `${liveId}.json`), JSON.stringify({ pid: process.pid, namespaces: [live], dir: '/nonexistent' }));
    assert.equal(spawnSync('ip', ['netns', 'add', live]).status, 0);
    try {
      const removed = cleanLeftovers();
      const after = namespaces();
      for (const n of nss) assert.ok(!after.includes(n), `${n} removed`);
      assert.ok(after.includes(live), 'the live run keeps its namespace');
      await exited;
      assert.ok(!existsSync(join('/etc/netns', nss[0]!)), 'resolver files removed');
      assert.ok(!existsSync(dir), 'temporary folder removed');
      assert.ok(!existsSync(join(STATE_DIR, `${id}.json`)), 'state file removed');
      assert.ok(existsSync(join(STATE_DIR, `${liveId}.json`)), 'the live run keeps its state file');
    } finally {
      spawnSync('ip', ['netns', 'del', live]);
      spawnSync('rm', ['-f', join(STATE_DIR, `${liveId}.json`)]);
      for (const n of nss) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
      sleeper.kill('SIGKILL');
    }
  });
});
