/**
 * `quietcheck doctor`: the parsers against real-world outputs of `iw list` (a Raspberry Pi 4's
 * brcmfmac, an Intel AX200 laptop card, a USB dongle that cannot be an access point), getcap and
 * /proc; the whole doctor on a fake machine; and the real CLI on this machine, with tools hidden from
 * PATH to show what a missing tool looks like.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatDoctor, runDoctor, type DoctorReport, type RunResult } from '../../src/doctor/doctor.js';
import { capEff, CAP_NET_ADMIN, CAP_NET_RAW, defaultRouteInterfaces, defaultRouteInterfaces6, euid, hasCap, parseGetcap, parseIwList, parseNmcliDevices } from '../../src/doctor/parse.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { CLI, removeDir, tempDir } from '../server/helpers.js';

// Raspberry Pi 4 (Broadcom brcmfmac, Raspberry Pi OS 12), abridged where iw repeats itself.
const IW_PI4 = `Wiphy phy0
	wiphy index: 0
	max # scan SSIDs: 10
	max scan IEs length: 2048 bytes
	max # sched scan SSIDs: 16
	max # match sets: 16
	Retry short limit: 7
	Retry long limit: 4
	Coverage class: 0 (up to 0m)
	Device supports roaming.
	Device supports T-DLS.
	Supported Ciphers:
		* WEP40 (00-0f-ac:1)
		* WEP104 (00-0f-ac:5)
		* TKIP (00-0f-ac:2)
		* CCMP-128 (00-0f-ac:4)
		* CMAC (00-0f-ac:6)
	Available Antennas: TX 0 RX 0
	Supported interface modes:
		 * IBSS
		 * managed
		 * AP
		 * P2P-client
		 * P2P-GO
		 * P2P-device
	Band 1:
		Capabilities: 0x1062
			HT20/HT40
			Static SM Power Save
			RX HT20 SGI
			RX HT40 SGI
			No RX STBC
			Max AMSDU length: 3839 bytes
			DSSS/CCK HT40
		Maximum RX AMPDU length 65535 bytes (exponent: 0x003)
		Minimum RX AMPDU time spacing: 16 usec (0x07)
		HT TX/RX MCS rate indexes supported: 0-7
		Bitrates (non-HT):
			* 1.0 Mbps
			* 2.0 Mbps (short preamble supported)
			* 54.0 Mbps
		Frequencies:
			* 2412 MHz [1] (20.0 dBm)
			* 2417 MHz [2] (20.0 dBm)
			* 2462 MHz [11] (20.0 dBm)
			* 2467 MHz [12] (disabled)
			* 2472 MHz [13] (disabled)
			* 2484 MHz [14] (disabled)
	Band 2:
		Capabilities: 0x1062
			HT20/HT40
		VHT Capabilities (0x00001020):
			Max MPDU length: 3895
			Supported Channel Width: neither 160 nor 80+80
		Frequencies:
			* 5170 MHz [34] (disabled)
			* 5180 MHz [36] (20.0 dBm)
			* 5200 MHz [40] (20.0 dBm)
			* 5745 MHz [149] (20.0 dBm)
	Supported commands:
		 * new_interface
		 * set_interface
		 * new_key
		 * start_ap
		 * join_ibss
		 * set_pmksa
		 * connect
		 * disconnect
	Supported TX frame types:
		 * managed: 0x00 0x10 0x20 0x30 0x40 0x50 0x60 0x70 0x80 0x90 0xa0 0xb0 0xc0 0xd0 0xe0 0xf0
		 * AP: 0x00 0x10 0x20 0x30 0x40 0x50 0x60 0x70 0x80 0x90 0xa0 0xb0 0xc0 0xd0 0xe0 0xf0
	software interface modes (can always be added):
	valid interface combinations:
		 * #{ managed } <= 1, #{ P2P-device } <= 1, #{ P2P-client, P2P-GO } <= 1,
		   total <= 3, #channels <= 2
		 * #{ managed } <= 1, #{ AP } <= 1, #{ P2P-client } <= 1, #{ P2P-device } <= 1,
		   total <= 4, #channels <= 1
	Device supports scan flush.
	Supported extended features:
		* [ 4WAY_HANDSHAKE_STA_PSK ]: 4-way handshake with PSK in station mode
		* [ SAE_OFFLOAD ]: SAE offload support
`;

// Intel Wi-Fi 6 AX200 (iwlwifi) on Debian 12.
const IW_AX200 = `Wiphy phy1
	wiphy index: 1
	max # scan SSIDs: 20
	Supported Ciphers:
		* CCMP-128 (00-0f-ac:4)
		* GCMP-256 (00-0f-ac:9)
	Available Antennas: TX 0x3 RX 0x3
	Configured Antennas: TX 0x3 RX 0x3
	Supported interface modes:
		 * IBSS
		 * managed
		 * AP
		 * AP/VLAN
		 * monitor
		 * P2P-client
		 * P2P-GO
		 * P2P-device
	Band 1:
		Frequencies:
			* 2412 MHz [1] (22.0 dBm)
			* 2472 MHz [13] (22.0 dBm)
			* 2484 MHz [14] (disabled)
	Band 2:
		Frequencies:
			* 5180 MHz [36] (22.0 dBm)
			* 5260 MHz [52] (22.0 dBm) (radar detection)
	Band 4:
		Frequencies:
			* 5955 MHz [1] (disabled)
			* 5975 MHz [5] (disabled)
	software interface modes (can always be added):
		 * AP/VLAN
		 * monitor
	valid interface combinations:
		 * #{ managed } <= 1, #{ AP, P2P-client, P2P-GO } <= 1, #{ P2P-device } <= 1,
		   total <= 3, #channels <= 2
	HT Capability overrides:
		 * MCS: ff ff ff ff ff ff ff ff ff ff
`;

// A cheap USB dongle whose driver offers no AP mode (only AP/VLAN as a software mode).
const IW_NO_AP = `Wiphy phy2
	wiphy index: 2
	Supported interface modes:
		 * IBSS
		 * managed
		 * monitor
	Band 1:
		Frequencies:
			* 2412 MHz [1] (20.0 dBm)
	software interface modes (can always be added):
		 * AP/VLAN
		 * monitor
	valid interface combinations:
		 * #{ managed } <= 1,
		   total <= 1, #channels <= 1
	Supported commands:
		 * new_interface
		 * start_ap
`;

describe('doctor: parsers', () => {
  test('iw list: AP mode, bands that are not disabled, and AP beside a client on one radio', () => {
    const pi = parseIwList(IW_PI4);
    assert.equal(pi.length, 1);
    assert.equal(pi[0]!.name, 'phy0');
    assert.deepEqual(pi[0]!.modes, ['IBSS', 'managed', 'AP', 'P2P-client', 'P2P-GO', 'P2P-device']);
    assert.equal(pi[0]!.ap, true);
    assert.deepEqual(pi[0]!.bands, ['2.4 GHz', '5 GHz']);
    assert.equal(pi[0]!.apWithManaged, true);

    const ax = parseIwList(IW_AX200)[0]!;
    assert.equal(ax.ap, true);
    assert.deepEqual(ax.bands, ['2.4 GHz', '5 GHz'], '6 GHz channels are all disabled');
    assert.equal(ax.apWithManaged, true);

    const dongle = parseIwList(IW_NO_AP)[0]!;
    assert.equal(dongle.ap, false, '"AP/VLAN" under software modes and start_ap under commands are not AP mode');
    assert.deepEqual(dongle.modes, ['IBSS', 'managed', 'monitor']);
    assert.equal(dongle.apWithManaged, false);

    const both = parseIwList(IW_PI4 + IW_NO_AP);
    assert.deepEqual(both.map((p) => [p.name, p.ap]), [['phy0', true], ['phy2', false]]);
    assert.deepEqual(parseIwList(''), []);
    assert.deepEqual(parseIwList('nl80211 not found.\n'), []);
  });

  test('capabilities from /proc/self/status, getcap in both output styles, default routes, nmcli', () => {
    const status = 'Name:\tnode\nUid:\t998\t998\t998\t998\nCapInh:\t0000000000000000\nCapPrm:\t0000000000003000\nCapEff:\t0000000000003000\n';
    const c = capEff(status)!;
    assert.ok(hasCap(c, CAP_NET_ADMIN) && hasCap(c, CAP_NET_RAW));
    assert.ok(!hasCap(capEff('CapEff:\t0000000000000000\n')!, CAP_NET_RAW));
    assert.equal(euid(status), 998);
    assert.deepEqual([...parseGetcap('/usr/bin/tcpdump cap_net_admin,cap_net_raw=eip\n')].sort(), ['cap_net_admin', 'cap_net_raw']);
    assert.deepEqual([...parseGetcap('/usr/sbin/tcpdump = cap_net_admin,cap_net_raw+eip\n')].sort(), ['cap_net_admin', 'cap_net_raw']);
    assert.deepEqual([...parseGetcap('/usr/bin/tcpdump cap_net_raw=p\n')], [], 'permitted but not effective does not count');
    assert.deepEqual([...parseGetcap('')], []);
    const route = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\neth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n';
    assert.deepEqual(defaultRouteInterfaces(route), ['eth0']);
    const r6 = `${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan1\n${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00 ${'0'.repeat(32)} ffffffff 00000001 00000000 00200200 lo\n`;
    assert.deepEqual(defaultRouteInterfaces6(r6), ['wlan1']);
    assert.deepEqual(parseNmcliDevices('wlan0:wifi:connected\neth0:ethernet:unmanaged\np2p-dev-wlan0:wifi-p2p:disconnected\n').map((d) => d.device), ['wlan0', 'eth0', 'p2p-dev-wlan0']);
  });
});

/** A fake machine for runDoctor: /proc, /sys/class/net, and recorded program outputs. */
function fakeMachine(root: string, o: { route: string; caps: string; uid?: number; iw: string; nmcli?: string; ifs: Record<string, string> }): { proc: string; net: string; bin: string } {
  const proc = join(root, 'proc');
  mkdirSync(join(proc, 'self'), { recursive: true });
  mkdirSync(join(proc, 'net'), { recursive: true });
  writeFileSync(join(proc, 'self', 'status'), `Name:\tnode\nUid:\t${o.uid ?? 998}\t${o.uid ?? 998}\t${o.uid ?? 998}\t${o.uid ?? 998}\nCapEff:\t${o.caps}\n`);
  writeFileSync(join(proc, 'net', 'route'), `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n${o.route}`);
  writeFileSync(join(proc, 'net', 'ipv6_route'), '');
  const net = join(root, 'net');
  for (const [iface, phy] of Object.entries(o.ifs)) {
    mkdirSync(join(net, iface, 'phy80211'), { recursive: true });
    writeFileSync(join(net, iface, 'phy80211', 'name'), `${phy}\n`);
  }
  mkdirSync(join(net, 'eth0'), { recursive: true });
  const bin = join(root, 'bin');
  mkdirSync(bin);
  return { proc, net, bin };
}

function fakeTools(bin: string, names: string[]): void {
  for (const n of names) writeFileSync(join(bin, n), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
}

function item(r: DoctorReport, id: string): { status: string; message: string; fix: string | null } {
  const i = r.items.find((x) => x.id === id);
  assert.ok(i, `item ${id} in ${JSON.stringify(r.items.map((x) => x.id))}`);
  return i;
}

describe('doctor: disk space against the largest check kept', () => {
  test('less than twice the largest check free is a warning naming it', () => {
    const root = tempDir('qc-doctor-disk-');
    try {
      const dataDir = join(root, 'data');
      mkdirSync(dataDir, { recursive: true });
      const free = statfsSync(dataDir).bavail * statfsSync(dataDir).bsize;
      const store = SqliteStore.inDir(dataDir);
      store.createCheck({ id: 'cd'.repeat(16), source: 'live', iface: 'wlan0', device: null, filter: null, durationSeconds: null, lang: 'en', createdAt: new Date().toISOString() });
      store.updateCheck('cd'.repeat(16), { bytes: Math.ceil(free * 0.75) });
      store.close();
      const r = runDoctor({ dataDir, env: { PATH: '' }, sbinDirs: [], run: () => ({ status: 1, stdout: '', stderr: '' }) });
      assert.equal(item(r, 'disk').status, 'warn');
      assert.match(item(r, 'disk').message, /less than twice the largest check kept/);
    } finally {
      removeDir(root);
    }
  });
});

describe('doctor: a fake Raspberry Pi', () => {
  const ETH_DEFAULT = 'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n';
  const WLAN0_DEFAULT = 'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n';

  test('Pi on Ethernet, NetworkManager managing wlan0, service capabilities: everything ok, nmcli backend', () => {
    const root = tempDir('qc-doctor-');
    try {
      const m = fakeMachine(root, { route: ETH_DEFAULT, caps: '0000000000003000', iw: IW_PI4, ifs: { wlan0: 'phy0' } });
      fakeTools(m.bin, ['tcpdump', 'dnsmasq', 'nft', 'iw', 'nmcli', 'getcap', 'chromium']);
      const calls: string[] = [];
      const run = (bin: string, args: string[]): RunResult => {
        calls.push(`${bin.slice(m.bin.length + 1)} ${args.join(' ')}`);
        if (args[0] === 'list') return { status: 0, stdout: IW_PI4, stderr: '' };
        if (bin.endsWith('nmcli')) return { status: 0, stdout: 'wlan0:wifi:disconnected\neth0:ethernet:connected\nlo:loopback:unmanaged\n', stderr: '' };
        return { status: 1, stdout: '', stderr: '' };
      };
      const dataDir = join(root, 'data');
      const r = runDoctor({ dataDir, env: { PATH: m.bin, QUIETCHECK_CHROMIUM: join(m.bin, 'chromium') }, sbinDirs: [], procDir: m.proc, sysClassNet: m.net, run, now: new Date('2025-06-01T10:00:00Z') });
      assert.ok(!r.items.some((i) => i.id === 'tool.hostapd'), 'hostapd not installed is judged with the backend');
      assert.equal(r.backend, 'networkmanager');
      assert.match(item(r, 'hotspot.backend').message, /NetworkManager manages wlan0/);
      assert.match(item(r, 'wifi.ap').message, /wlan0 \(phy0\) on 2\.4 GHz and 5 GHz/);
      assert.equal(item(r, 'permissions.capture').status, 'ok');
      assert.equal(item(r, 'permissions.network').status, 'ok');
      assert.match(item(r, 'uplink').message, /eth0 reaches the internet.*wlan0 is free for the hotspot/);
      assert.equal(item(r, 'feeds').status, 'warn');
      assert.equal(r.ok, true);
      assert.ok(calls.includes('iw list'));
    } finally {
      removeDir(root);
    }
  });

  test('Pi with only its built-in Wi-Fi as the uplink, no capabilities, hostapd, clock in 1970: failures with fixes', () => {
    const root = tempDir('qc-doctor-');
    try {
      const m = fakeMachine(root, { route: WLAN0_DEFAULT, caps: '0000000000000000', iw: IW_NO_AP + IW_AX200, ifs: { wlan0: 'phy1' } });
      fakeTools(m.bin, ['tcpdump', 'dnsmasq', 'nft', 'iw', 'hostapd', 'getcap']);
      const run = (bin: string, args: string[]): RunResult => {
        if (args[0] === 'list') return { status: 0, stdout: IW_AX200.replace('#{ managed } <= 1, #{ AP, P2P-client, P2P-GO } <= 1', '#{ managed, AP } <= 1'), stderr: '' };
        if (bin.endsWith('getcap')) return { status: 0, stdout: '', stderr: '' };
        return { status: 1, stdout: '', stderr: '' };
      };
      const r = runDoctor({ dataDir: join(root, 'data'), env: { PATH: m.bin, QUIETCHECK_CHROMIUM: join(root, 'no-chromium') }, sbinDirs: [], procDir: m.proc, sysClassNet: m.net, run, now: new Date('1970-01-01T00:01:00Z') });
      assert.equal(r.ok, false);
      assert.equal(r.backend, 'hostapd');
      const cap = item(r, 'permissions.capture');
      assert.equal(cap.status, 'fail');
      assert.match(cap.fix!, /setcap cap_net_raw,cap_net_admin=eip .*tcpdump/);
      assert.equal(item(r, 'uplink').status, 'fail');
      assert.match(item(r, 'uplink').message, /wlan0.*cannot do both/);
      assert.equal(item(r, 'clock').status, 'fail');
      assert.match(item(r, 'clock').message, /1970-01-01/);
      assert.equal(item(r, 'tool.chromium').status, 'warn');
      const text = formatDoctor(r);
      assert.match(text, /FAIL {2}clock/);
      assert.match(text, /fix: .*sudo setcap cap_net_raw/);
      assert.match(text, /problem\(s\) must be fixed/);
    } finally {
      removeDir(root);
    }
  });

  test('no Wi-Fi at all is said plainly; a dongle without AP mode fails; feeds dated in the future mean the clock is behind', () => {
    const root = tempDir('qc-doctor-');
    try {
      const m = fakeMachine(root, { route: ETH_DEFAULT, caps: '000001ffffffffff', uid: 0, iw: '', ifs: { wlan1: 'phy2' } });
      fakeTools(m.bin, ['tcpdump', 'dnsmasq', 'nft', 'iw', 'hostapd']);
      const dataDir = join(root, 'data');
      mkdirSync(dataDir, { mode: 0o700 });
      const store = SqliteStore.inDir(dataDir);
      store.upsertFeed({ name: 'echap', url: 'https://example.org/ioc.yaml', format: 'echap-yaml', list: 'block', origin: 'config' });
      store.replaceSet('echap', {
        indicators: [{ kind: 'domain', value: 'stalker.example', family: 'TheTruthSpy', tag: null, tlp: null, source: 'line 1' }],
        rules: [],
        skipped: {},
        version: 'v1',
        etag: null,
        lastModified: null,
        fetchedAt: '2025-09-01T00:00:00.000Z',
      });
      store.close();
      const base = { dataDir, env: { PATH: m.bin }, sbinDirs: [], procDir: m.proc, sysClassNet: m.net };

      let r = runDoctor({ ...base, run: () => ({ status: 1, stdout: '', stderr: 'nl80211 not found.\n' }), now: new Date('2025-09-10T00:00:00Z') });
      assert.equal(item(r, 'wifi.ap').status, 'warn');
      assert.match(item(r, 'wifi.ap').message, /This computer has no Wi-Fi/);
      assert.equal(item(r, 'feeds').status, 'ok');
      assert.match(item(r, 'feeds').message, /1 indicators from 1 feed\(s\), updated 9 day\(s\) ago/);
      assert.equal(item(r, 'clock').status, 'ok');

      r = runDoctor({ ...base, run: (_b, a) => (a[0] === 'list' ? { status: 0, stdout: IW_NO_AP, stderr: '' } : { status: 1, stdout: '', stderr: '' }), now: new Date('2025-08-01T00:00:00Z') });
      assert.equal(item(r, 'wifi.ap').status, 'fail');
      assert.match(item(r, 'wifi.ap').message, /wlan1 \(phy2\) support only IBSS, managed, monitor/);
      assert.equal(item(r, 'clock').status, 'fail');
      assert.match(item(r, 'clock').message, /is behind: the feed echap was updated on 2025-09-01/);

      r = runDoctor({ ...base, run: () => ({ status: 1, stdout: '', stderr: 'nl80211 not found.\n' }), now: new Date('2025-12-01T00:00:00Z') });
      assert.equal(item(r, 'feeds').status, 'warn');
      assert.match(item(r, 'feeds').message, /last updated 91 days ago/);
    } finally {
      removeDir(root);
    }
  });
});

describe('doctor: the CLI on this machine', () => {
  function doctor(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, 'doctor', ...args], { encoding: 'utf8', env, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('--json reports every item with a status and a sentence; the exit code follows the failures', () => {
    const dir = tempDir('qc-doctor-cli-');
    try {
      const r = doctor(['--json', '--data-dir', join(dir, 'data')], { ...process.env });
      const rep = JSON.parse(r.stdout) as DoctorReport;
      for (const id of ['tool.tcpdump', 'tool.chromium', 'permissions.capture', 'wifi.ap', 'hotspot.backend', 'uplink', 'disk', 'feeds', 'clock']) item(rep, id);
      for (const i of rep.items) {
        assert.ok(['ok', 'warn', 'fail'].includes(i.status));
        assert.match(i.message, /^\S.*[.)]$/s, i.message);
        if (i.status !== 'ok') assert.ok(i.fix, `${i.id} says how to fix it`);
      }
      assert.equal(r.status, rep.items.some((i) => i.status === 'fail') ? 1 : 0);
      assert.equal(item(rep, 'clock').status, 'ok', 'this machine\'s clock is after 2024');
    } finally {
      removeDir(dir);
    }
  });

  test('a tool hidden from PATH is reported missing with the apt command; tcpdump missing makes it exit 1', () => {
    const dir = tempDir('qc-doctor-cli-');
    try {
      // A PATH with only the shell utilities: no tcpdump (in /usr/bin on Debian), and a Chromium that is not there.
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      for (const t of ['sh', 'getcap']) {
        const found = spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
        if (found) symlinkSync(found, join(bin, t));
      }
      const env = { ...process.env, PATH: bin, QUIETCHECK_CHROMIUM: join(dir, 'no-chromium') };
      const r = doctor(['--data-dir', join(dir, 'data')], env);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /FAIL {2}tool\.tcpdump +tcpdump is not installed: no live check can capture traffic\./);
      assert.match(r.stdout, /fix: sudo apt install tcpdump/);
      assert.match(r.stdout, /WARN {2}tool\.chromium +Chromium is not installed/);

      const j = JSON.parse(doctor(['--json', '--data-dir', join(dir, 'data')], env).stdout) as DoctorReport;
      assert.equal(item(j, 'tool.tcpdump').status, 'fail');
      assert.equal(j.ok, false);

      // With tcpdump back, it no longer fails for it.
      symlinkSync(spawnSync('sh', ['-c', 'command -v tcpdump'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/tcpdump', join(bin, 'tcpdump'));
      const k = JSON.parse(doctor(['--json', '--data-dir', join(dir, 'data')], env).stdout) as DoctorReport;
      assert.equal(item(k, 'tool.tcpdump').status, 'ok');
    } finally {
      removeDir(dir);
    }
  });

  test('bad usage exits 2', () => {
    assert.equal(doctor(['--no-such-flag'], { ...process.env }).status, 2);
  });
});
