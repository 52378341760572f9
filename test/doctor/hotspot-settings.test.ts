/**
 * `quietcheck doctor` reports on the hotspot settings in effect — config.yaml and QUIETCHECK_HOTSPOT_*,
 * the admin's saved settings and serve's --hotspot-* flags (both read from the database, read-only) —
 * rather than guessing an adapter, and says which backend will be used for the configured interface
 * (the hotspot service's own choice, pickBackend).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runDoctor, type DoctorReport, type RunResult } from '../../src/doctor/doctor.js';
import { HOTSPOT_CONFIG_SETTING, HOTSPOT_SETTING } from '../../src/hotspot/settings.js';
import { DB_FILE, SqliteStore } from '../../src/store/sqlite.js';
import { CLI, removeDir, tempDir } from '../server/helpers.js';

const ap = (phy: string): string => `Wiphy ${phy}\n\tSupported interface modes:\n\t\t * managed\n\t\t * AP\n\tBand 1:\n\t\tFrequencies:\n\t\t\t* 2412 MHz [1] (20.0 dBm)\n`;
const ETH_DEFAULT = 'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n';

const roots: string[] = [];
after(() => roots.forEach(removeDir));

/** A machine with wlan0 (phy0, managed by NetworkManager), wlan1 (phy1, not), usb0 (not Wi-Fi) and eth0 with the default route. */
function machine(tools: string[] = ['tcpdump', 'dnsmasq', 'nft', 'iw', 'nmcli', 'hostapd']): { root: string; base: Parameters<typeof runDoctor>[0]; dataDir: string } {
  const root = tempDir('qc-doctor-hs-');
  roots.push(root);
  const proc = join(root, 'proc');
  mkdirSync(join(proc, 'self'), { recursive: true });
  mkdirSync(join(proc, 'net'), { recursive: true });
  writeFileSync(join(proc, 'self', 'status'), 'Name:\tnode\nUid:\t998\t998\t998\t998\nCapEff:\t0000000000003400\n');
  writeFileSync(join(proc, 'net', 'route'), `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n${ETH_DEFAULT}`);
  writeFileSync(join(proc, 'net', 'ipv6_route'), '');
  const net = join(root, 'net');
  for (const [iface, phy] of [['wlan0', 'phy0'], ['wlan1', 'phy1']]) {
    mkdirSync(join(net, iface!, 'phy80211'), { recursive: true });
    writeFileSync(join(net, iface!, 'phy80211', 'name'), `${phy}\n`);
  }
  for (const i of ['eth0', 'usb0', 'eth1']) mkdirSync(join(net, i), { recursive: true });
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const n of tools) writeFileSync(join(bin, n), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const run = (b: string, args: string[]): RunResult => {
    if (args[0] === 'list') return { status: 0, stdout: ap('phy0') + ap('phy1'), stderr: '' };
    if (b.endsWith('nmcli')) return { status: 0, stdout: 'wlan0:wifi:disconnected\nwlan1:wifi:unmanaged\neth0:ethernet:connected\n', stderr: '' };
    return { status: 1, stdout: '', stderr: '' };
  };
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  return { root, dataDir, base: { dataDir, env: { PATH: bin, QUIETCHECK_CHROMIUM: join(bin, 'none') }, sbinDirs: [], procDir: proc, sysClassNet: net, run, now: new Date('2025-06-01T10:00:00Z') } };
}

function item(r: DoctorReport, id: string): { status: string; message: string; fix: string | null } {
  const i = r.items.find((x) => x.id === id);
  assert.ok(i, `item ${id} in ${JSON.stringify(r.items.map((x) => x.id))}`);
  return i;
}

function saved(dataDir: string, values: Record<string, string>): void {
  const store = SqliteStore.inDir(dataDir);
  for (const [k, v] of Object.entries(values)) store.setSetting(k, v);
  store.close();
}

describe('doctor: the hotspot settings in effect', () => {
  test('config.yaml names wlan0: NetworkManager manages it, so NetworkManager is the backend for it', () => {
    const m = machine();
    const r = runDoctor({ ...m.base, hotspotConfig: { base: { iface: 'wlan0', channel: 36 }, pinned: {}, sources: { iface: 'config file', channel: 'config file' } } });
    assert.equal(item(r, 'hotspot.interface').status, 'ok');
    assert.equal(item(r, 'hotspot.interface').message, 'The hotspot runs on wlan0 (set in config.yaml).');
    assert.equal(item(r, 'hotspot.backend').message, 'The hotspot on wlan0 will use NetworkManager (nmcli): NetworkManager manages wlan0.');
    assert.equal(r.backend, 'networkmanager');
    assert.deepEqual({ ...r.hotspot, sources: undefined }, { iface: 'wlan0', uplink: null, backend: 'networkmanager', reason: 'NetworkManager manages wlan0', sources: undefined });
    assert.match(item(r, 'uplink').message, /eth0 reaches the internet \(default route\), and wlan0 is free for the hotspot/);
  });

  test('the admin\'s saved interface (wlan1, unmanaged) wins over config.yaml: hostapd; the database is only read', () => {
    const m = machine();
    saved(m.dataDir, { [HOTSPOT_SETTING]: JSON.stringify({ iface: 'wlan1', uplink: 'eth1' }) });
    const db = join(m.dataDir, DB_FILE);
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');
    const r = runDoctor({ ...m.base, hotspotConfig: { base: { iface: 'wlan0' }, pinned: {}, sources: { iface: 'config file' } } });
    assert.equal(createHash('sha256').update(readFileSync(db)).digest('hex'), before, 'the database is unchanged');
    assert.equal(item(r, 'hotspot.interface').message, 'The hotspot runs on wlan1 (set in the admin console).');
    assert.equal(r.backend, 'hostapd');
    assert.match(item(r, 'hotspot.backend').message, /^The hotspot on wlan1 will use hostapd: wlan1 is a Wi-Fi adapter not managed by NetworkManager\.$/);
    assert.equal(item(r, 'uplink').message, 'The hotspot\'s traffic leaves through eth1 (set in the admin console).');
    assert.equal(r.hotspot.sources.iface, 'admin');
    assert.equal(r.hotspot.sources.uplink, 'admin');
  });

  test('serve\'s --hotspot-interface (stored at its start) wins over the admin: usb0 is not Wi-Fi, so the wired backend', () => {
    const m = machine();
    saved(m.dataDir, {
      [HOTSPOT_SETTING]: JSON.stringify({ iface: 'wlan1' }),
      [HOTSPOT_CONFIG_SETTING]: JSON.stringify({ base: { iface: 'wlan0' }, pinned: { iface: 'usb0' }, sources: { iface: 'command line' } }),
    });
    const r = runDoctor(m.base);
    assert.equal(item(r, 'hotspot.interface').message, 'The hotspot runs on usb0 (set by a --hotspot-* flag of quietcheck serve), which is not Wi-Fi: the phone joins by cable or USB.');
    assert.equal(r.backend, 'wired');
    assert.equal(item(r, 'hotspot.backend').message, 'The hotspot on usb0 will use no radio (wired backend): usb0 is not a Wi-Fi adapter: the phone joins by cable or USB.');
  });

  test('what cannot work is a failure with its fix: a missing interface, a backend whose tool is missing, a missing uplink', () => {
    let m = machine();
    let r = runDoctor({ ...m.base, hotspotConfig: { base: { iface: 'wlan7' }, pinned: {}, sources: { iface: 'environment' } } });
    const i = item(r, 'hotspot.interface');
    assert.equal(i.status, 'fail');
    assert.match(i.message, /^The hotspot interface wlan7 \(set by QUIETCHECK_HOTSPOT_\* in the environment\) does not exist on this computer/);
    assert.match(i.fix!, /admin console/);
    assert.equal(r.ok, false);

    m = machine(['tcpdump', 'dnsmasq', 'nft', 'iw', 'nmcli']);
    r = runDoctor({ ...m.base, hotspotConfig: { base: { iface: 'wlan1' }, pinned: {}, sources: { iface: 'config file' } } });
    assert.equal(item(r, 'hotspot.backend').status, 'fail');
    assert.match(item(r, 'hotspot.backend').message, /will use hostapd: .* But hostapd is not installed\./);
    assert.equal(item(r, 'hotspot.backend').fix, 'sudo apt install hostapd');

    m = machine();
    r = runDoctor({ ...m.base, hotspotConfig: { base: { iface: 'wlan1', backend: 'networkmanager', uplink: 'wwan0' }, pinned: {}, sources: {} } });
    assert.equal(item(r, 'hotspot.backend').status, 'fail');
    assert.match(item(r, 'hotspot.backend').message, /the hotspot settings ask for networkmanager\. But NetworkManager does not manage wlan1\./);
    assert.equal(item(r, 'uplink').status, 'warn');
    assert.match(item(r, 'uplink').message, /configured uplink wwan0 .* does not exist/);

    // The default route through the hotspot interface itself.
    m = machine();
    writeFileSync(join(m.base.procDir!, 'net', 'route'), `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n${ETH_DEFAULT.replace('eth0', 'wlan1')}`);
    r = runDoctor({ ...m.base, hotspotConfig: { base: { iface: 'wlan1' }, pinned: {}, sources: {} } });
    assert.equal(item(r, 'uplink').status, 'fail');
    assert.match(item(r, 'uplink').message, /also the hotspot interface wlan1: it cannot do both/);
  });

  test('the hotspot\'s ports: CAP_NET_BIND_SERVICE (the service\'s three capabilities) is ok; without it, a warning with the fix', () => {
    const m = machine();
    assert.equal(item(runDoctor(m.base), 'permissions.ports').status, 'ok');
    writeFileSync(join(m.base.procDir!, 'self', 'status'), 'Name:\tnode\nUid:\t998\t998\t998\t998\nCapEff:\t0000000000003000\n');
    const p = item(runDoctor(m.base), 'permissions.ports');
    assert.equal(p.status, 'warn');
    assert.match(p.message, /lacks CAP_NET_BIND_SERVICE: the hotspot's DHCP and DNS server \(dnsmasq\) cannot use ports 67 and 53/);
    assert.match(p.fix!, /CAP_NET_BIND_SERVICE/);
    mkdirSync(join(m.base.procDir!, 'sys', 'net', 'ipv4'), { recursive: true });
    writeFileSync(join(m.base.procDir!, 'sys', 'net', 'ipv4', 'ip_unprivileged_port_start'), '0\n');
    assert.equal(item(runDoctor(m.base), 'permissions.ports').status, 'ok', 'unless low ports are open to all');
  });

  test('nothing configured: the usable adapter is named, and the report says no interface is set yet', () => {
    const m = machine();
    const r = runDoctor(m.base);
    assert.equal(r.hotspot.iface, null);
    assert.equal(r.hotspot.backend, null);
    assert.equal(item(r, 'hotspot.interface').status, 'warn');
    assert.match(item(r, 'hotspot.interface').message, /No hotspot interface is configured: wlan0 looks usable/);
  });
});

describe('doctor: the CLI reads config.yaml like serve does', () => {
  function doctor(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; json: DoctorReport | null; stdout: string } {
    const r = spawnSync(process.execPath, [CLI, 'doctor', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
    let json: DoctorReport | null = null;
    try {
      json = JSON.parse(r.stdout) as DoctorReport;
    } catch {
      /* text output */
    }
    return { status: r.status, json, stdout: r.stdout + r.stderr };
  }

  test('hotspot: interface: lo in config.yaml → lo, wired backend; QUIETCHECK_HOTSPOT_INTERFACE beats the file; a bad file is a failure', () => {
    const d = tempDir('qc-doctor-hs-cli-');
    roots.push(d);
    writeFileSync(join(d, 'config.yaml'), 'hotspot:\n  interface: lo\n  uplink: auto\n');
    const a = doctor(['--json', '--data-dir', d]);
    assert.ok(a.json, a.stdout);
    assert.equal(a.json.hotspot.iface, 'lo');
    assert.equal(a.json.hotspot.backend, 'wired');
    assert.equal(a.json.hotspot.sources.iface, 'config file');
    assert.equal(item(a.json, 'hotspot.interface').message, 'The hotspot runs on lo (set in config.yaml), which is not Wi-Fi: the phone joins by cable or USB.');

    const b = doctor(['--json', '--data-dir', d], { QUIETCHECK_HOTSPOT_INTERFACE: 'qc-no-such-if' });
    assert.equal(b.json!.hotspot.iface, 'qc-no-such-if');
    assert.equal(item(b.json!, 'hotspot.interface').status, 'fail');
    assert.equal(b.status, 1);

    writeFileSync(join(d, 'config.yaml'), 'hotspot:\n  channel: 15\n');
    const c = doctor(['--data-dir', d]);
    assert.equal(c.status, 1);
    assert.match(c.stdout, /FAIL {2}config +quietcheck serve would refuse its settings: .*config\.yaml: hotspot: channel 15 is not a Wi-Fi channel/);
  });
});
