/**
 * The hotspot end to end, in network namespaces: no Wi-Fi radio here, so quietcheck's hotspot
 * runs on a veth (backend "wired", chosen automatically) — its own dnsmasq gives the phone its address by
 * DHCP (busybox udhcpc in the phone namespace), the lease names the device, the capture narrows to its MAC,
 * quietcheck's nftables table NATs the phone to the "internet" namespace, and everything is removed on
 * stop, after a SIGKILL at the next start, and in sinkhole mode nothing of the phone reaches the internet.
 * Everything is driven through the HTTP API of `quietcheck serve` running inside the checker namespace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import { Lab, labUnavailable } from '../lab/lab.js';
import { PASSWORD, removeDir, ServeProcess, sleep, tempDir } from '../server/helpers.js';
import { CHECKER_UPLINK, Rig, runIn } from './rig.js';

function unavailable(): string | false {
  const lab = labUnavailable();
  if (lab) return lab;
  for (const [tool, pkg] of [['busybox', 'busybox'], ['nft', 'nftables']] as const) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `the hotspot test needs ${tool} (apt-get install ${pkg})`;
  }
  return false;
}

const skip = unavailable();
const PORT = 8080;
const NAMES = { sync: 'sync.example.test', gate: 'gate.example.test', other: 'other-device.example.test', hard: 'hardcoded.example.test', direct: 'direct-resolver.example.test' };
const OTHER_MAC = '02:51:c0:ff:ee:99';

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Source and destination MACs of every frame of a pcap. */
async function macsOf(file: string): Promise<{ src: string; dst: string }[]> {
  const out: { src: string; dst: string }[] = [];
  const hex = (b: Buffer, o: number): string => [...b.subarray(o, o + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
  await readCaptureFile(file, {
    frame(data, off, caplen) {
      if (caplen >= 12) out.push({ dst: hex(data, off), src: hex(data, off + 6) });
    },
    malformed() {},
  });
  return out;
}

describe('quietcheck hotspot on a veth between phone and internet', { skip }, () => {
  let lab: Lab | null = null;
  let rig: Rig | null = null;
  let serve: ServeProcess | null = null;
  const dataDir = tempDir('qc-hotspot-data-');
  const work = tempDir('qc-hotspot-rig-');

  const startServe = async (): Promise<void> => {
    // 0.0.0.0: the API answers on the hotspot address too, unless quietcheck's table keeps the phone away.
    serve = new ServeProcess(['--data-dir', dataDir, '--host', '0.0.0.0', '--port', String(PORT), '--admin-password', PASSWORD], {}, ['ip', 'netns', 'exec', rig!.ns]);
    await serve.listening();
    await rig!.login(PORT, PASSWORD);
  };
  const api = (method: string, path: string, body?: object) => rig!.api(PORT, method, path, body);
  const check = async (id: string): Promise<any> => (await api('GET', `/api/checks/${id}`)).json();
  const phone = () => lab!.phone;

  /** No trace of the hotspot in the checker: no table, no dnsmasq, no address, forwarding as before. */
  const assertClean = async (): Promise<void> => {
    assert.doesNotMatch(await rig!.tables(), /quietcheck/, 'the nftables table is gone');
    const addr = (await rig!.run('ip', ['-j', 'addr', 'show', 'dev', rig!.hotspotIface])).stdout;
    assert.doesNotMatch(addr, /10\.77\.0\.1/, 'the hotspot address is removed');
    const fwd = (await rig!.run('cat', [`/proc/sys/net/ipv4/conf/${rig!.uplinkIface}/forwarding`])).stdout.trim();
    assert.equal(fwd, '0', 'forwarding on the uplink is back off');
    assert.ok(!existsSync(join(dataDir, 'hotspot', 'state.json')), 'the state file is removed');
    const procs = dnsmasqIn(rig!.ns);
    assert.deepEqual(procs, [], 'no dnsmasq left in the checker');
  };

  before(async () => {
    lab = await Lab.start({
      hosts: [
        { names: [NAMES.sync], services: [{ port: 443, proto: 'https' }, { port: 80, proto: 'http' }] },
        { names: [NAMES.gate], services: [{ port: 80, proto: 'http' }] },
      ],
    });
    rig = Rig.build(lab, work);
    await startServe();
    const put = await api('PUT', '/api/admin/hotspot', { iface: rig.hotspotIface });
    assert.equal(put.status, 200, put.body);
    assert.equal(put.json().backend.backend, 'wired', 'a veth is not a Wi-Fi adapter: the wired backend is chosen');
  });

  after(async () => {
    try {
      await serve?.stop();
      if (rig !== null) {
        // Whatever a failed test left: removed with the namespace, but say so.
        const left = await rig.tables();
        if (/quietcheck/.test(left)) process.stderr.write('hotspot test: the quietcheck table was still there at the end\n');
      }
    } finally {
      rig?.destroy();
      await lab?.stop();
      removeDir(dataDir);
      removeDir(work);
    }
  });

  test('hotspot: DHCP lease → device with its name → capture limited to its MAC → NAT to the internet, then all removed', async () => {
    const created = await api('POST', '/api/checks', { mode: 'hotspot', lang: 'en' });
    assert.equal(created.status, 201, created.body);
    const c = created.json();
    assert.equal(c.mode, 'hotspot');
    assert.equal(c.interface, rig!.hotspotIface);
    assert.equal(c.state, 'waiting-for-device');

    const hs = (await api('GET', '/api/hotspot')).json();
    assert.equal(hs.state, 'on');
    assert.equal(hs.mode, 'hotspot');
    assert.equal(hs.backend, 'wired');
    assert.equal(hs.uplink, rig!.uplinkIface, 'the uplink is the default route');
    assert.match(await rig!.tables(), /table inet quietcheck/);

    const lease = await rig!.dhcp('Pixel-7a');
    assert.match(lease.ip, /^10\.77\.0\.\d+$/);
    assert.equal(lease.router, '10.77.0.1');
    assert.equal(lease.dns, '10.77.0.1');

    const joined = await until('the device in the check', async () => {
      const s = await check(c.id);
      return s.device === rig!.phoneMac && s.filter === `ether host ${rig!.phoneMac}` ? s : null;
    });
    assert.equal(joined.deviceName, 'Pixel-7a');
    const ev = await rig!.firstEvent(PORT, `/api/checks/${c.id}/events`);
    assert.equal(ev.device, rig!.phoneMac, 'the live events announce the device');
    assert.equal(ev.deviceName, 'Pixel-7a', 'and its name');
    const hs2 = (await api('GET', '/api/hotspot')).json();
    assert.deepEqual(hs2.devices.map((d: any) => [d.mac, d.ip, d.hostname]), [[rig!.phoneMac, lease.ip, 'Pixel-7a']]);

    // The phone reaches the internet through quietcheck's DNS and NAT (the internet has no route back to 10.77.0.0/24).
    assert.deepEqual(await phone().resolve(NAMES.sync), [lab!.host(NAMES.sync).address]);
    assert.equal(await phone().curl(`https://${NAMES.sync}/api/v2/sync?device=7f3a`), 200);
    assert.equal(await phone().curl(`http://${NAMES.gate}/gate.php?id=7f3a`), 200);
    // …but not quietcheck's API on the hotspot address (the server listens on 0.0.0.0).
    const toApi = await runIn(phone().ns, 'curl', ['-sS', '--max-time', '3', '-o', '/dev/null', `http://10.77.0.1:${PORT}/api/health`]);
    assert.equal(toApi.code, 28, `the phone must not reach the API port: ${toApi.stderr}`);

    // Another device on the link after the narrowing: not recorded.
    const other = rig!.addOtherDevice('10.77.0.200', OTHER_MAC);
    const ping = await runIn(phone().ns, 'busybox', ['ping', '-c', '3', '-i', '0.2', '-I', other, '10.77.0.1']);
    assert.equal(ping.code, 0, `the other device is on the hotspot: ${ping.stdout}${ping.stderr}`);

    await sleep(300);
    const stopped = await api('POST', `/api/checks/${c.id}/stop`);
    assert.equal(stopped.status, 200, stopped.body);
    assert.equal(stopped.json().state, 'done');
    assert.equal(stopped.json().mode, 'hotspot');

    const rep = (await api('GET', `/api/checks/${c.id}/report?format=json`)).json();
    assert.ok(rep.facts.dhcp.some((d: any) => d.mac === rig!.phoneMac && d.hostname === 'Pixel-7a'), 'the DHCP request is in the capture');
    assert.ok(rep.facts.dns.some((d: any) => d.query === NAMES.sync), 'DNS');
    assert.ok(rep.facts.tls.some((t: any) => t.sni === NAMES.sync), 'TLS SNI');
    assert.ok(rep.facts.http.some((h: any) => h.host === NAMES.gate), 'HTTP Host');
    assert.ok(rep.verdict.limits.some((l: string) => /own Wi-Fi network/.test(l)), `the report says how the phone was connected: ${rep.verdict.limits.join(' | ')}`);

    const frames = await macsOf(join(dataDir, 'checks', c.id, 'capture.pcap'));
    assert.ok(frames.length > 20);
    assert.deepEqual(frames.filter((f) => f.src === OTHER_MAC || f.dst === OTHER_MAC), [], 'nothing of the other device is in the capture');
    assert.ok(frames.every((f) => f.src === rig!.phoneMac || f.dst === rig!.phoneMac || f.dst === 'ff:ff:ff:ff:ff:ff'), 'only the phone’s frames');

    assert.equal((await api('GET', '/api/hotspot')).json().state, 'off');
    await assertClean();
    await runIn(phone().ns, 'ip', ['link', 'del', other]);
  });

  test('SIGKILL with the hotspot up: the next start removes its dnsmasq and nftables table and finishes the check', async () => {
    const c = (await api('POST', '/api/checks', { mode: 'hotspot', lang: 'en' })).json();
    await rig!.dhcp('Pixel-7a');
    await until('the device', async () => (await check(c.id)).device === rig!.phoneMac);
    assert.equal(await phone().curl(`http://${NAMES.gate}/before-the-kill`), 200);
    assert.match(await rig!.tables(), /quietcheck/);
    assert.equal(dnsmasqIn(rig!.ns).length, 1);
    // The node process alone, as the kernel's OOM killer would (a group kill would take dnsmasq with it).
    process.kill(serve!.child.pid!, 'SIGKILL');
    await serve!.exited;
    // What the dead run left is still there…
    assert.match(await rig!.tables(), /quietcheck/);
    assert.equal(dnsmasqIn(rig!.ns).length, 1);
    // …until the next start.
    await startServe();
    assert.match(serve!.output, /hotspot cleanup: .*deleted nftables table inet quietcheck/);
    await assertClean();
    // The check is finished in the background once serve listens.
    await until('the check finished from disk', async () => (await check(c.id)).state === 'done');
    const st = await check(c.id);
    assert.equal(st.state, 'done');
    assert.equal(st.recovered, true);
    assert.equal(st.mode, 'hotspot');
  });

  test('sinkhole: the names the phone wanted are recorded, and no packet of it reaches the internet', async () => {
    const watch = await rig!.watchInternet(join(work, 'internet.pcap'));
    let stopped = false;
    try {
      const created = await api('POST', '/api/checks', { mode: 'sinkhole', lang: 'en' });
      assert.equal(created.status, 201, created.body);
      const c = created.json();
      assert.equal(c.mode, 'sinkhole');
      const hs = (await api('GET', '/api/hotspot')).json();
      assert.equal(hs.mode, 'sinkhole');
      assert.equal(hs.uplink, null);
      assert.ok(hs.sinkholePorts.includes(443) && hs.sinkholePorts.includes(80));
      assert.ok(!hs.sinkholePorts.includes(PORT), 'not the API port');

      await rig!.dhcp('Galaxy-A54');
      await until('the device', async () => (await check(c.id)).filter === `ether host ${rig!.phoneMac}`);
      // Every name is the checker.
      assert.deepEqual(await phone().resolve(NAMES.sync), ['10.77.0.1']);
      // HTTPS: the ClientHello is read, then the connection is closed.
      const tls = await runIn(phone().ns, 'curl', ['-sS', '-k', '--max-time', '8', '-o', '/dev/null', `https://${NAMES.sync}/api/v2/sync`]);
      assert.notEqual(tls.code, 0, 'no server answers in sinkhole mode');
      // HTTP: the request line and Host are read.
      const http = await runIn(phone().ns, 'curl', ['-sS', '--max-time', '8', '-o', '/dev/null', '-A', 'Dalvik/2.1.0', `http://${NAMES.gate}/gate.php?id=7f3a`]);
      assert.notEqual(http.code, 0);
      // A server called by its address (no DNS) still shows its name in the SNI.
      await runIn(phone().ns, 'openssl', ['s_client', '-connect', `${lab!.host(NAMES.sync).address}:443`, '-servername', NAMES.hard], 8000);
      // A resolver called by its address gets the sinkhole's dnsmasq, not the internet.
      const direct = await runIn(phone().ns, 'busybox', ['nslookup', NAMES.direct, '10.200.0.1'], 8000);
      assert.match(direct.stdout, /10\.77\.0\.1/, `${direct.stdout}${direct.stderr}`);
      await sleep(300);
      const done = (await api('POST', `/api/checks/${c.id}/stop`)).json();
      stopped = true;
      assert.equal(done.state, 'done');
      const rep = (await api('GET', `/api/checks/${c.id}/report?format=json`)).json();
      const dns = rep.facts.dns.map((d: any) => d.query);
      assert.ok(dns.includes(NAMES.sync) && dns.includes(NAMES.gate) && dns.includes(NAMES.direct), `DNS names: ${dns.join(', ')}`);
      const sni = rep.facts.tls.map((t: any) => t.sni);
      assert.ok(sni.includes(NAMES.sync), `SNI: ${sni.join(', ')}`);
      assert.ok(sni.includes(NAMES.hard), `SNI of the hard-coded address: ${sni.join(', ')}`);
      assert.ok(rep.facts.http.some((h: any) => h.host === NAMES.gate && h.uri.startsWith('/gate.php')), 'HTTP Host and request line');
      assert.ok(rep.verdict.limits.some((l: string) => /sinkhole mode/.test(l)), 'the report says sinkhole mode was used');
      await assertClean();
    } finally {
      const err = await watch.stop();
      if (!stopped) process.stderr.write(`tcpdump in the internet namespace: ${err}\n`);
    }
    const fromPhone: string[] = [];
    let total = 0;
    await readCaptureFile(join(work, 'internet.pcap'), {
      frame(data, off, caplen) {
        total++;
        if (caplen >= 34 && data.readUInt16BE(off + 12) === 0x0800) {
          const src = [...data.subarray(off + 26, off + 30)].join('.');
          if (src.startsWith('10.77.0.') || src === CHECKER_UPLINK) fromPhone.push(src);
        }
      },
      malformed() {},
    });
    assert.deepEqual(fromPhone, [], `packets from the phone (or NATed from it) reached the internet: ${total} frames captured there`);
  });
});

/** Pids of dnsmasq processes running in a namespace. */
function dnsmasqIn(ns: string): number[] {
  const r = readPids(ns);
  return r.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dnsmasq';
    } catch {
      return false;
    }
  });
}

function readPids(ns: string): number[] {
  const out = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0);
}
