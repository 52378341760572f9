/**
 * nmcli, iw and ip output parsers (uplinks, backend choice), on sample outputs written for these tests in
 * the formats those tools print.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  channelOfFrequency, dbmToPercent, nmManages, parseDefaultRoute, parseIpAddrJson, parseIwScan, parseNmcliDeviceStatus, parseNmcliWifiList, splitTerse,
} from '../../src/hotspot/parse.js';
import { chooseHotspotBackend } from '../../src/hotspot/service.js';
import { DEFAULT_HOTSPOT } from '../../src/hotspot/settings.js';
import { joinWifi, listUplinks } from '../../src/hotspot/uplinks.js';
import type { Runner } from '../../src/hotspot/run.js';

const NMCLI_WIFI = [
  ' :AA\\:BB\\:CC\\:00\\:00\\:01:Cafe Lumière:82:WPA2:6:wlan1',
  '*:AA\\:BB\\:CC\\:00\\:00\\:02:Helpline-Office:64:WPA2 802.1X:36:wlan1',
  ' :AA\\:BB\\:CC\\:00\\:00\\:03:Cafe Lumière:40:WPA2:11:wlan1',
  ' :AA\\:BB\\:CC\\:00\\:00\\:04:Free\\:Guest:55::1:wlan1',
  ' :AA\\:BB\\:CC\\:00\\:00\\:05::70:WPA2:6:wlan1',
  ' :AA\\:BB\\:CC\\:00\\:00\\:06:Old Router:30:WEP:1:wlan1',
  ' :AA\\:BB\\:CC\\:00\\:00\\:07:Neighbour 6E:47:WPA3:44:wlan1',
  ' :AA\\:BB\\:CC\\:00\\:00\\:08:Legacy:20:WPA1:3:wlan1',
].join('\n');

test('nmcli terse fields: \\: and \\\\ escapes', () => {
  assert.deepEqual(splitTerse('a\\:b:c\\\\:d'), ['a:b', 'c\\', 'd']);
  assert.deepEqual(splitTerse('::'), ['', '', '']);
});

test('nmcli device wifi list: strongest per name first, security, channel, hidden names left out', () => {
  const nets = parseNmcliWifiList(NMCLI_WIFI);
  assert.deepEqual(nets.map((n) => [n.ssid, n.signal, n.security, n.channel]), [
    ['Cafe Lumière', 82, 'wpa2', 6],
    ['Helpline-Office', 64, 'enterprise', 36],
    ['Free:Guest', 55, 'open', 1],
    ['Neighbour 6E', 47, 'wpa3', 44],
    ['Old Router', 30, 'wep', 1],
    ['Legacy', 20, 'wpa', 3],
  ]);
  assert.equal(nets.find((n) => n.ssid === 'Helpline-Office')!.inUse, true);
  assert.equal(nets[0]!.bssid, 'aa:bb:cc:00:00:01');
  assert.equal(nets[0]!.device, 'wlan1');
});

const IW_SCAN = `BSS aa:bb:cc:00:00:01(on wlan1)
	last seen: 120 ms ago
	TSF: 8812630123 usec (0d, 02:26:52)
	freq: 2437
	beacon interval: 100 TUs
	capability: ESS Privacy ShortSlotTime (0x0411)
	signal: -48.00 dBm
	last seen: 120 ms ago
	SSID: Cafe Lumi\\xc3\\xa8re
	Supported rates: 1.0* 2.0* 5.5* 11.0* 18.0 24.0 36.0 54.0
	DS Parameter set: channel 6
	RSN:	 * Version: 1
		 * Group cipher: CCMP
		 * Pairwise ciphers: CCMP
		 * Authentication suites: PSK
		 * Capabilities: 1-PTKSA-RC 1-GTKSA-RC (0x0000)
BSS aa:bb:cc:00:00:02(on wlan1) -- associated
	freq: 5180
	capability: ESS Privacy SpectrumMgmt (0x0111)
	signal: -67.00 dBm
	SSID: Helpline-Office
	HT operation:
		 * primary channel: 36
	RSN:	 * Version: 1
		 * Group cipher: CCMP
		 * Pairwise ciphers: CCMP
		 * Authentication suites: IEEE 802.1X
BSS aa:bb:cc:00:00:03(on wlan1)
	freq: 2412
	capability: ESS ShortSlotTime (0x0401)
	signal: -81.00 dBm
	SSID: Free Guest
BSS aa:bb:cc:00:00:04(on wlan1)
	freq: 2462
	capability: ESS Privacy (0x0011)
	signal: -75.00 dBm
	SSID: Mixed
	WPA:	 * Version: 1
		 * Group cipher: TKIP
		 * Pairwise ciphers: TKIP
		 * Authentication suites: PSK
BSS aa:bb:cc:00:00:05(on wlan1)
	freq: 5500
	capability: ESS Privacy (0x0011)
	signal: -60.00 dBm
	SSID: 
	RSN:	 * Version: 1
		 * Authentication suites: SAE
BSS aa:bb:cc:00:00:06(on wlan1)
	freq: 2437
	capability: ESS Privacy (0x0011)
	signal: -40.00 dBm
	SSID: Cafe Lumi\\xc3\\xa8re
	RSN:	 * Version: 1
		 * Authentication suites: SAE
`;

test('iw dev X scan: names (with \\x escapes), signal in dBm and percent, channel, security', () => {
  const nets = parseIwScan(IW_SCAN, 'wlan1');
  assert.deepEqual(nets.map((n) => [n.ssid, n.dbm, n.signal, n.channel, n.security]), [
    ['Cafe Lumière', -40, 100, 6, 'wpa3'],
    ['Helpline-Office', -67, 66, 36, 'enterprise'],
    ['Mixed', -75, 50, 11, 'wpa'],
    ['Free Guest', -81, 38, 1, 'open'],
  ]);
  assert.equal(nets.find((n) => n.ssid === 'Helpline-Office')!.inUse, true);
  assert.equal(channelOfFrequency(2484), 14);
  assert.equal(channelOfFrequency(5745), 149);
  assert.equal(dbmToPercent(-100), 0);
  assert.equal(dbmToPercent(-30), 100);
});

const NM_STATUS = `wlan0:wifi:unmanaged:
wlan1:wifi:connected:Helpline-Office
eth0:ethernet:unavailable:--
lo:loopback:unmanaged:
p2p-dev-wlan1:wifi-p2p:disconnected:`;

test('nmcli device status: which devices NetworkManager manages', () => {
  const devs = parseNmcliDeviceStatus(NM_STATUS);
  assert.equal(devs.length, 5);
  assert.deepEqual(devs[1], { device: 'wlan1', type: 'wifi', state: 'connected', connection: 'Helpline-Office' });
  assert.equal(devs[2]!.connection, null);
  assert.equal(nmManages(devs, 'wlan0'), false);
  assert.equal(nmManages(devs, 'wlan1'), true);
  assert.equal(nmManages(devs, 'wlan9'), false);
});

const IP_ADDR = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  { ifindex: 2, ifname: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], operstate: 'UP', link_type: 'ether', address: 'dc:a6:32:00:00:01', addr_info: [{ family: 'inet', local: '192.168.1.23', prefixlen: 24 }, { family: 'inet6', local: 'fe80::1', prefixlen: 64 }] },
  { ifindex: 3, ifname: 'wlan0', flags: ['BROADCAST', 'MULTICAST'], operstate: 'DOWN', link_type: 'ether', address: 'dc:a6:32:00:00:02', addr_info: [] },
  { ifindex: 4, ifname: 'wlan1', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], operstate: 'UP', link_type: 'ether', address: '00:c0:ca:00:00:03', addr_info: [] },
]);
const ROUTE = JSON.stringify([{ dst: 'default', gateway: '192.168.1.1', dev: 'eth0', protocol: 'dhcp', metric: 100, flags: [] }]);

test('ip -j addr / route: links, addresses, the default route', () => {
  const links = parseIpAddrJson(IP_ADDR);
  assert.deepEqual(links[1]!.ipv4, [{ local: '192.168.1.23', prefixlen: 24 }]);
  assert.equal(links[2]!.operstate, 'DOWN');
  assert.deepEqual(parseDefaultRoute(ROUTE), { dev: 'eth0', gateway: '192.168.1.1' });
  assert.equal(parseDefaultRoute('[]'), null);
});

/** A runner answering from the samples above, recording what was asked. */
function fakeRunner(calls: string[][], over: Record<string, { code: number; stdout?: string; stderr?: string }> = {}): Runner {
  return async (cmd, args) => {
    calls.push([cmd, ...args]);
    const key = `${cmd} ${args.join(' ')}`;
    for (const [k, v] of Object.entries(over)) if (key.startsWith(k)) return { code: v.code, stdout: v.stdout ?? '', stderr: v.stderr ?? '' };
    if (key === 'ip -j addr show') return { code: 0, stdout: IP_ADDR, stderr: '' };
    if (key === 'ip -j route show default') return { code: 0, stdout: ROUTE, stderr: '' };
    if (key.startsWith('nmcli -t -f DEVICE,TYPE,STATE,CONNECTION')) return { code: 0, stdout: NM_STATUS, stderr: '' };
    if (key.startsWith('nmcli -t -f IN-USE')) return { code: 0, stdout: NMCLI_WIFI, stderr: '' };
    if (key.startsWith('iw dev wlan1 scan')) return { code: 0, stdout: IW_SCAN, stderr: '' };
    return { code: 1, stdout: '', stderr: `unexpected ${key}` };
  };
}

test('uplinks: Ethernet with carrier, the free Wi-Fi adapter and its networks; the hotspot adapter is never offered', async () => {
  const sys = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/qc-sysnet-`);
  const { mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  try {
    mkdirSync(`${sys}/eth0`);
    writeFileSync(`${sys}/eth0/carrier`, '1\n');
    mkdirSync(`${sys}/wlan0/wireless`, { recursive: true });
    mkdirSync(`${sys}/wlan1/wireless`, { recursive: true });
    const calls: string[][] = [];
    const list = await listUplinks({ runner: fakeRunner(calls), sysNet: sys, exclude: 'wlan0' });
    assert.deepEqual(list.defaultRoute, { iface: 'eth0', gateway: '192.168.1.1' });
    assert.deepEqual(list.ethernet, [{ iface: 'eth0', carrier: true, addresses: ['192.168.1.23/24'], isDefault: true }]);
    assert.deepEqual(list.wifiAdapters.map((a) => [a.iface, a.state, a.connection]), [['wlan1', 'connected', 'Helpline-Office']]);
    assert.equal(list.scanner, 'nmcli');
    assert.equal(list.wifiNetworks[0]!.ssid, 'Cafe Lumière');
    // Without NetworkManager the list comes from iw.
    const noNm = await listUplinks({ runner: fakeRunner([], { 'nmcli': { code: 8, stderr: 'NetworkManager is not running' } }), sysNet: sys, exclude: 'wlan0' });
    assert.equal(noNm.scanner, 'iw');
    assert.equal(noNm.wifiNetworks[0]!.dbm, -40);
  } finally {
    rmSync(sys, { recursive: true, force: true });
  }
});

test('joining a Wi-Fi uplink: the password never on a command line, but in a 0600 passwd-file removed right after', async () => {
  const { mkdtempSync, existsSync, readFileSync, readdirSync, rmSync, statSync } = await import('node:fs');
  const dir = mkdtempSync(`${(await import('node:os')).tmpdir()}/qc-join-`);
  const SECRET = 'correct horse battery';
  try {
    const calls: string[][] = [];
    const seen: { path: string; mode: number; text: string }[] = [];
    const base = fakeRunner(calls, {
      'nmcli -t -f SSID,SECURITY device wifi list ifname wlan1': { code: 0, stdout: 'Cafe Lumière:WPA2\nNeighbour 6E:WPA3\nMixed:WPA2 WPA3\n' },
      'nmcli connection delete': { code: 10, stderr: 'Error: unknown connection' },
      'nmcli connection add': { code: 0, stdout: 'Connection successfully added' },
    });
    const runner: Runner = async (cmd, args, opts) => {
      const i = args.indexOf('passwd-file');
      if (i >= 0) {
        const path = args[i + 1]!;
        seen.push({ path, mode: statSync(path).mode & 0o777, text: readFileSync(path, 'utf8') });
        calls.push([cmd, ...args]);
        return { code: 0, stdout: 'Connection successfully activated', stderr: '' };
      }
      return base(cmd, args, opts);
    };
    const ok = await joinWifi({ iface: 'wlan1', ssid: 'Cafe Lumière', password: SECRET, exclude: 'wlan0', secretDir: dir }, runner);
    assert.deepEqual(ok, { iface: 'wlan1', ssid: 'Cafe Lumière', state: 'connected' });
    assert.ok(!calls.some((c) => c.some((a) => a.includes(SECRET))), 'no argument of any command holds the password');
    const add = calls.find((c) => c[1] === 'connection' && c[2] === 'add')!;
    assert.deepEqual(add, ['nmcli', 'connection', 'add', 'type', 'wifi', 'ifname', 'wlan1', 'con-name', 'quietcheck-uplink-wlan1', 'autoconnect', 'yes', 'ssid', 'Cafe Lumière', 'wifi-sec.key-mgmt', 'wpa-psk', 'wifi-sec.psk-flags', '0']);
    const up = calls.find((c) => c.includes('up'))!;
    assert.deepEqual(up.slice(0, 7), ['nmcli', '--wait', '30', 'connection', 'up', 'id', 'quietcheck-uplink-wlan1']);
    assert.equal(up[7], 'passwd-file');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.mode, 0o600, 'the passwd-file is readable by quietcheck only');
    assert.equal(seen[0]!.text, `802-11-wireless-security.psk:${SECRET}\n`);
    assert.ok(seen[0]!.path.startsWith(`${dir}/`), 'in the directory given (the data directory)');
    assert.ok(!existsSync(seen[0]!.path), 'removed once nmcli has read it');
    assert.deepEqual(readdirSync(dir), []);

    // WPA3-only networks use SAE; WPA2/WPA3 transition networks a PSK.
    const sae: string[][] = [];
    await joinWifi({ iface: 'wlan1', ssid: 'Neighbour 6E', password: SECRET, secretDir: dir }, async (c, a, o) => (sae.push([c, ...a]), a.includes('passwd-file') ? { code: 0, stdout: '', stderr: '' } : base(c, a, o)));
    assert.ok(sae.some((c) => c.join(' ').includes('wifi-sec.key-mgmt sae')));
    const mixed: string[][] = [];
    await joinWifi({ iface: 'wlan1', ssid: 'Mixed', password: SECRET, secretDir: dir }, async (c, a, o) => (mixed.push([c, ...a]), a.includes('passwd-file') ? { code: 0, stdout: '', stderr: '' } : base(c, a, o)));
    assert.ok(mixed.some((c) => c.join(' ').includes('wifi-sec.key-mgmt wpa-psk')));

    // A wrong password: said as such, the file removed all the same, the half-made connection deleted.
    const failCalls: string[][] = [];
    let failPath = '';
    await assert.rejects(
      joinWifi({ iface: 'wlan1', ssid: 'Cafe Lumière', password: 'wrong one!', exclude: 'wlan0', secretDir: dir }, async (c, a, o) => {
        failCalls.push([c, ...a]);
        const i = a.indexOf('passwd-file');
        if (i >= 0) {
          failPath = a[i + 1]!;
          assert.ok(existsSync(failPath));
          return { code: 4, stdout: '', stderr: 'Error: Connection activation failed: Secrets were required, but not provided.' };
        }
        return base(c, a, o);
      }),
      (e: Error & { code?: string }) => e.code === 'bad-password',
    );
    assert.ok(failPath !== '' && !existsSync(failPath), 'the passwd-file is removed after a failure too');
    assert.ok(failCalls.at(-1)!.join(' ') === 'nmcli connection delete id quietcheck-uplink-wlan1', 'the failed connection is deleted');
    // An open network: no secret, no file.
    const open: string[][] = [];
    await joinWifi({ iface: 'wlan1', ssid: 'Free:Guest', password: null, secretDir: dir }, async (c, a, o) => (open.push([c, ...a]), a.includes('up') ? { code: 0, stdout: '', stderr: '' } : base(c, a, o)));
    assert.ok(!open.some((c) => c.includes('passwd-file') || c.includes('wifi-sec.key-mgmt')));
    assert.deepEqual(readdirSync(dir), []);
    await assert.rejects(joinWifi({ iface: 'wlan0', ssid: 'x', password: null, exclude: 'wlan0', secretDir: dir }, fakeRunner([])), /hotspot adapter/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('backend choice: NetworkManager when it manages the adapter, else hostapd; wired for a non-Wi-Fi interface', async () => {
  const { mkdtempSync, mkdirSync, rmSync } = await import('node:fs');
  const sys = mkdtempSync(`${(await import('node:os')).tmpdir()}/qc-sysnet-`);
  try {
    mkdirSync(`${sys}/wlan0/wireless`, { recursive: true });
    mkdirSync(`${sys}/wlan1/phy80211`, { recursive: true });
    mkdirSync(`${sys}/usb0`, { recursive: true });
    const nm = fakeRunner([]);
    assert.equal((await chooseHotspotBackend({ ...DEFAULT_HOTSPOT, iface: 'wlan1' }, nm, sys)).backend, 'networkmanager');
    assert.equal((await chooseHotspotBackend({ ...DEFAULT_HOTSPOT, iface: 'wlan0' }, nm, sys)).backend, 'hostapd', 'wlan0 is unmanaged');
    const noNm = fakeRunner([], { nmcli: { code: 127, stderr: 'not found' } });
    assert.equal((await chooseHotspotBackend({ ...DEFAULT_HOTSPOT, iface: 'wlan1' }, noNm, sys)).backend, 'hostapd');
    assert.equal((await chooseHotspotBackend({ ...DEFAULT_HOTSPOT, iface: 'usb0' }, nm, sys)).backend, 'wired');
    assert.equal((await chooseHotspotBackend({ ...DEFAULT_HOTSPOT, iface: 'wlan1', backend: 'hostapd' }, nm, sys)).backend, 'hostapd');
    assert.equal((await chooseHotspotBackend({ ...DEFAULT_HOTSPOT }, nm, sys)).backend, null);
  } finally {
    rmSync(sys, { recursive: true, force: true });
  }
});
