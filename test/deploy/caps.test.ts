/**
 * Least privilege, proven: `quietcheck serve` runs as an unprivileged user (nobody) with exactly
 * the capabilities deploy/quietcheck.service grants — as ambient, inheritable, permitted, effective and
 * bounding sets, no supplementary groups, no_new_privs, as systemd sets them up — inside the hotspot
 * namespace rig (test/hotspot/rig.ts). A hotspot check then works end to end: its own dnsmasq (inheriting
 * the capabilities) gives the phone its address by DHCP, its nftables table NATs the phone to the
 * "internet" namespace, tcpdump (inheriting them too) captures the phone's traffic, and stopping removes
 * everything, including the per-interface forwarding switches written by an unprivileged process.
 *
 * Without CAP_NET_BIND_SERVICE the same start fails, with quietcheck's own explanation and fix rather than
 * dnsmasq's output alone, and leaves nothing behind.
 *
 * Also: what Debian's tcpdump does with privileges (as root it drops to the user tcpdump once the capture
 * is open; writing to its standard output, as quietcheck has it do, keeps working).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import { capName, unitList } from '../helpers/unit.js';
import { Lab, labUnavailable } from '../lab/lab.js';
import { Rig } from '../hotspot/rig.js';
import { PASSWORD, removeDir, ServeProcess, sleep, tempDir } from '../server/helpers.js';

const NOBODY = 65534;
const PORT = 8080;
const NAMES = { sync: 'sync.example.test', gate: 'gate.example.test' };
/** linux/capability.h */
const CAP_BITS: Record<string, number> = { net_bind_service: 10, net_admin: 12, net_raw: 13 };

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function unavailable(): string | false {
  const lab = labUnavailable();
  if (lab) return lab;
  for (const [tool, pkg] of [['busybox', 'busybox'], ['nft', 'nftables'], ['setpriv', 'util-linux']] as const) {
    if (!has(tool)) return `the least-privilege test needs ${tool} (apt-get install ${pkg})`;
  }
  if (spawnSync('getent', ['passwd', String(NOBODY)]).status !== 0) return `no user with uid ${NOBODY} (nobody) here`;
  return false;
}

const skip = unavailable();

function mask(caps: string[]): bigint {
  let m = 0n;
  for (const c of caps) {
    const bit = CAP_BITS[c];
    if (bit === undefined) throw new Error(`unknown capability ${c}: add its bit number`);
    m |= 1n << BigInt(bit);
  }
  return m;
}

interface ProcCreds {
  uid: number;
  groups: string;
  eff: bigint;
  prm: bigint;
  inh: bigint;
  amb: bigint;
  bnd: bigint;
  nnp: string;
}

function creds(pid: number): ProcCreds {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const f = (k: string): string => new RegExp(`^${k}:[ \\t]*(.*)$`, 'm').exec(st)?.[1]?.trim() ?? '';
  const hex = (k: string): bigint => BigInt(`0x${f(k) || '0'}`);
  return { uid: Number(f('Uid').split(/\s+/)[1]), groups: f('Groups'), eff: hex('CapEff'), prm: hex('CapPrm'), inh: hex('CapInh'), amb: hex('CapAmb'), bnd: hex('CapBnd'), nnp: f('NoNewPrivs') };
}

function pidsIn(ns: string, comm: string): number[] {
  const out = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  return out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((p) => Number.isInteger(p) && p > 0)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    });
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** `setpriv` arguments giving exactly `caps` to uid/gid `id`, as systemd's User=, AmbientCapabilities=, CapabilityBoundingSet= and NoNewPrivileges= do. */
function setprivArgs(id: number, caps: string[]): string[] {
  const list = ['-all', ...caps.map((c) => `+${c}`)].join(',');
  return ['setpriv', `--reuid=${id}`, `--regid=${id}`, '--clear-groups', '--no-new-privs', `--inh-caps=${list}`, `--ambient-caps=${list}`, `--bounding-set=${list}`];
}

describe('least privilege: quietcheck serve as nobody with exactly the systemd unit\'s capabilities', { skip }, () => {
  const UNIT_CAPS = unitList('AmbientCapabilities').map(capName);
  let lab: Lab | null = null;
  let rig: Rig | null = null;
  let serve: ServeProcess | null = null;
  const dataDir = tempDir('qc-caps-data-');
  const work = tempDir('qc-caps-rig-');

  const startServe = async (caps: string[]): Promise<void> => {
    await serve?.stop();
    serve = new ServeProcess(['--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(PORT), '--admin-password', PASSWORD], {}, ['ip', 'netns', 'exec', rig!.ns, ...setprivArgs(NOBODY, caps)]);
    await serve.listening();
    await rig!.login(PORT, PASSWORD);
  };
  const api = (method: string, path: string, body?: object) => rig!.api(PORT, method, path, body);

  /** The serve process itself: `ip netns exec` and `setpriv` exec into node, keeping the pid. */
  const servePid = (): number => {
    const pid = serve!.child.pid!;
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'latin1'), /main\.js\0serve/, 'the child pid is quietcheck serve itself');
    return pid;
  };

  const assertExactly = (who: string, c: ProcCreds, caps: string[]): void => {
    const m = mask(caps);
    assert.equal(c.uid, NOBODY, `${who} runs as nobody`);
    assert.equal(c.groups, '', `${who} has no supplementary groups`);
    for (const [set, v] of [['effective', c.eff], ['permitted', c.prm], ['ambient', c.amb], ['bounding', c.bnd]] as const) {
      assert.equal(v.toString(16), m.toString(16), `${who}: ${set} capabilities are exactly ${caps.join(', ')}`);
    }
    assert.equal(c.nnp, '1', `${who} runs with no_new_privs (NoNewPrivileges=yes)`);
  };

  /** No trace of the hotspot in the checker namespace. */
  const assertClean = async (): Promise<void> => {
    assert.doesNotMatch(await rig!.tables(), /quietcheck/, 'the nftables table is gone');
    const addr = (await rig!.run('ip', ['-j', 'addr', 'show', 'dev', rig!.hotspotIface])).stdout;
    assert.doesNotMatch(addr, /10\.77\.0\.1/, 'the hotspot address is removed');
    for (const dev of [rig!.uplinkIface, rig!.hotspotIface]) {
      const fwd = (await rig!.run('cat', [`/proc/sys/net/ipv4/conf/${dev}/forwarding`])).stdout.trim();
      assert.equal(fwd, '0', `forwarding on ${dev} is back off`);
    }
    assert.ok(!existsSync(join(dataDir, 'hotspot', 'state.json')), 'the state file is removed');
    assert.deepEqual(pidsIn(rig!.ns, 'dnsmasq'), [], 'no dnsmasq left');
    assert.deepEqual(pidsIn(rig!.ns, 'tcpdump'), [], 'no tcpdump left');
  };

  before(async () => {
    assert.deepEqual([...UNIT_CAPS].sort(), ['net_admin', 'net_bind_service', 'net_raw'], 'the unit grants these three (the test knows their bit numbers)');
    chownSync(dataDir, NOBODY, NOBODY);
    lab = await Lab.start({
      hosts: [
        { names: [NAMES.sync], services: [{ port: 443, proto: 'https' }] },
        { names: [NAMES.gate], services: [{ port: 80, proto: 'http' }] },
      ],
    });
    rig = Rig.build(lab, work);
  });

  after(async () => {
    try {
      await serve?.stop();
    } finally {
      rig?.destroy();
      await lab?.stop();
      removeDir(dataDir);
      removeDir(work);
    }
  });

  test('with CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE only: DHCP, NAT, capture of the phone, clean stop', async () => {
    await startServe(UNIT_CAPS);
    assertExactly('quietcheck serve', creds(servePid()), UNIT_CAPS);
    const put = await api('PUT', '/api/admin/hotspot', { iface: rig!.hotspotIface });
    assert.equal(put.status, 200, put.body);

    const created = await api('POST', '/api/checks', { mode: 'hotspot', lang: 'en' });
    assert.equal(created.status, 201, created.body);
    const c = created.json();
    const hs = (await api('GET', '/api/hotspot')).json();
    assert.equal(hs.state, 'on');
    assert.equal(hs.uplink, rig!.uplinkIface);
    assert.equal(hs.defaultMode, 'hotspot', 'the kiosk is told the admin\'s default mode (online)');

    // The programs quietcheck started inherit exactly the same capabilities, and nothing more.
    const dnsmasq = pidsIn(rig!.ns, 'dnsmasq');
    assert.equal(dnsmasq.length, 1, 'quietcheck\'s dnsmasq runs');
    assertExactly('dnsmasq', creds(dnsmasq[0]!), UNIT_CAPS);
    const tcpdump = await until('tcpdump', () => {
      const p = pidsIn(rig!.ns, 'tcpdump');
      return p.length > 0 ? p : null;
    });
    for (const p of tcpdump) assertExactly('tcpdump', creds(p), UNIT_CAPS);

    const lease = await rig!.dhcp('Pixel-7a');
    assert.match(lease.ip, /^10\.77\.0\.\d+$/, 'the phone got its address from quietcheck\'s dnsmasq on port 67');
    assert.equal(lease.dns, '10.77.0.1');
    await until('the device in the check', async () => {
      const s = (await api('GET', `/api/checks/${c.id}`)).json();
      return s.device === rig!.phoneMac && s.filter === `ether host ${rig!.phoneMac}` ? s : null;
    });
    for (const p of pidsIn(rig!.ns, 'tcpdump')) assertExactly('the narrowed tcpdump', creds(p), UNIT_CAPS);

    // DNS on port 53 of the hotspot, then NAT to the internet namespace (which has no route back to 10.77.0.0/24).
    assert.deepEqual(await lab!.phone.resolve(NAMES.sync), [lab!.host(NAMES.sync).address]);
    assert.equal(await lab!.phone.curl(`https://${NAMES.sync}/api/v2/sync?device=7f3a`), 200);
    assert.equal(await lab!.phone.curl(`http://${NAMES.gate}/gate.php?id=7f3a`), 200);
    await sleep(300);

    const stopped = await api('POST', `/api/checks/${c.id}/stop`);
    assert.equal(stopped.status, 200, stopped.body);
    assert.equal(stopped.json().state, 'done');
    const rep = (await api('GET', `/api/checks/${c.id}/report?format=json`)).json();
    assert.ok(rep.facts.dhcp.some((d: any) => d.mac === rig!.phoneMac && d.hostname === 'Pixel-7a'), 'the DHCP exchange was captured');
    assert.ok(rep.facts.dns.some((d: any) => d.query === NAMES.sync), 'the phone\'s DNS query was captured');
    assert.ok(rep.facts.tls.some((t: any) => t.sni === NAMES.sync), 'its TLS ClientHello');
    assert.ok(rep.facts.http.some((h: any) => h.host === NAMES.gate), 'its HTTP request');
    let frames = 0;
    await readCaptureFile(join(dataDir, 'checks', c.id, 'capture.pcap'), { frame: () => void frames++, malformed() {} });
    assert.ok(frames > 20, `${frames} frames in the capture`);
    t_diag(`nobody with ${UNIT_CAPS.join(', ')}: lease ${lease.ip}, ${frames} frames captured, ${rep.facts.dns.length} DNS, ${rep.facts.tls.length} TLS, ${rep.facts.http.length} HTTP facts`);

    assert.equal((await api('GET', '/api/hotspot')).json().state, 'off');
    await assertClean();
  });

  test('without CAP_NET_BIND_SERVICE: the hotspot does not start, quietcheck says why and how to fix it, nothing is left', async () => {
    const caps = UNIT_CAPS.filter((c) => c !== 'net_bind_service');
    await startServe(caps);
    assertExactly('quietcheck serve', creds(servePid()), caps);
    const created = await api('POST', '/api/checks', { mode: 'hotspot', lang: 'en' });
    assert.equal(created.status, 503, created.body);
    const e = created.json();
    assert.equal(e.error ?? e.code, 'no-bind-permission', created.body);
    const msg: string = e.message;
    assert.match(msg, /^the hotspot's DHCP and DNS server \(dnsmasq\) may not use ports 67 and 53: quietcheck runs without CAP_NET_BIND_SERVICE\./);
    assert.match(msg, /deploy\/quietcheck\.service/);
    assert.match(msg, /dnsmasq said: .*Permission denied/);
    t_diag(`without CAP_NET_BIND_SERVICE: ${created.status} ${msg}`);
    const hs = (await api('GET', '/api/hotspot')).json();
    assert.equal(hs.state, 'failed');
    assert.equal(hs.error, msg);
    await assertClean();
  });

  test('Debian\'s tcpdump started as root drops to the user tcpdump, and still writes the capture to its standard output', async (t) => {
    const pw = spawnSync('getent', ['passwd', 'tcpdump'], { encoding: 'utf8' });
    if (process.getuid?.() !== 0 || pw.status !== 0) {
      t.skip('needs root and Debian\'s tcpdump user');
      return;
    }
    const tcpdumpUid = Number(pw.stdout.split(':')[2]);
    // What quietcheck runs (src/capture/live.ts): -w - to a pipe, opened before tcpdump drops its privileges.
    const child = spawn('ip', ['netns', 'exec', rig!.ns, 'tcpdump', '-i', 'lo', '-U', '-s', '0', '--immediate-mode', '-w', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await until('tcpdump listening', () => /listening on/.test(err), 10_000);
      const c = creds(child.pid!);
      assert.equal(c.uid, tcpdumpUid, 'running as the user tcpdump');
      assert.equal(c.eff, 0n, 'with no capabilities left');
      await rig!.run('curl', ['-sS', '--max-time', '1', 'http://127.0.0.1:9/']);
      await until('packets on standard output', () => bytes > 24, 5000);
      t_diag(`root-started tcpdump: uid ${c.uid} (tcpdump), CapEff 0, ${bytes} bytes written to its standard output`);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

/** Test output for the report (node --test prints diagnostics with the results). */
function t_diag(m: string): void {
  process.stdout.write(`${m}\n`);
}
