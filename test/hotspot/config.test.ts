/**
 * Hotspot configuration: hostapd.conf is WPA2 with CCMP only (also as checked by hostapd's own
 * parser, run in a throw-away network namespace where it can find no radio), names and passwords are random
 * and valid, the Wi-Fi QR code escapes what must be escaped, dnsmasq and nftables get what they should
 * (the ruleset checked by `nft -c` inside a throw-away namespace).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dnsmasqArgs, hostInNet, parseLeaseLine, parseLeasesFile } from '../../src/hotspot/dnsmasq.js';
import { hostapdConf, hostapdConfProblems, HotspotConfigError, parseHostapdConf } from '../../src/hotspot/hostapd.js';
import { passwordProblem, randomPassword, randomSsid, ssidProblem } from '../../src/hotspot/names.js';
import { nftApplyScript, nftRuleset } from '../../src/hotspot/nft.js';
import { nmConnectionAddArgs, nmPasswordFile } from '../../src/hotspot/nm.js';
import { escapeWifiField, wifiQrSvg, wifiQrText } from '../../src/hotspot/qr.js';
import { DEFAULT_HOTSPOT, hotspotSettingsProblem } from '../../src/hotspot/settings.js';
import { enoughToRead } from '../../src/hotspot/sinkhole.js';

const have = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const root = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs `fn(ns)` in a fresh network namespace, removed afterwards. */
function inScratchNs<T>(fn: (ns: string) => T): T {
  const ns = `qch-scratch-${randomBytes(4).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ip netns add: ${add.stderr}`);
  try {
    return fn(ns);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
const nsUsable = (): string | false => (!root ? 'needs root (ip netns)' : spawnSync('ip', ['netns', 'list']).status !== 0 ? 'ip netns is not usable' : false);

test('random SSIDs look ordinary and are valid', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const s = randomSsid();
    assert.equal(ssidProblem(s), null, s);
    assert.match(s, /^[A-Za-z]+[-_ ][0-9A-F]{4}$/, s);
    assert.doesNotMatch(s, /quietcheck|check|spy|stalk/i);
    seen.add(s);
  }
  assert.ok(seen.size > 250, 'names vary');
});

test('random passwords are long, valid WPA2 passphrases without look-alike characters', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const p = randomPassword();
    assert.ok(p.length >= 12);
    assert.equal(passwordProblem(p), null);
    assert.doesNotMatch(p, /[0O1lI]/);
    seen.add(p);
  }
  assert.equal(seen.size, 300);
  assert.equal(randomPassword(63).length, 63);
  assert.throws(() => randomPassword(8), RangeError);
});

test('hostapd.conf: WPA2 with CCMP only, no TKIP, and what was asked for', () => {
  const ssid = randomSsid();
  const password = randomPassword();
  const text = hostapdConf({ iface: 'wlan0', ssid, password, channel: 6, country: 'FR' });
  const conf = parseHostapdConf(text);
  assert.equal(conf.get('wpa'), '2');
  assert.equal(conf.get('rsn_pairwise'), 'CCMP');
  assert.equal(conf.get('wpa_key_mgmt'), 'WPA-PSK');
  assert.equal(conf.has('wpa_pairwise'), false);
  assert.doesNotMatch(text, /TKIP/);
  assert.equal(conf.get('ssid'), ssid);
  assert.equal(conf.get('wpa_passphrase'), password);
  assert.equal(conf.get('channel'), '6');
  assert.equal(conf.get('hw_mode'), 'g');
  assert.equal(conf.get('country_code'), 'FR');
  assert.equal(conf.get('interface'), 'wlan0');
  assert.deepEqual(hostapdConfProblems(text), []);
  const five = parseHostapdConf(hostapdConf({ iface: 'wlan1', ssid, password, channel: 36, country: 'DE' }));
  assert.equal(five.get('hw_mode'), 'a');
});

test('hostapd.conf: a weakened file is refused, and bad settings never reach it', () => {
  const good = hostapdConf({ iface: 'wlan0', ssid: 'Home-4F2A', password: randomPassword(), channel: 11, country: 'DE' });
  assert.match(hostapdConfProblems(good.replace('wpa=2', 'wpa=3')).join(), /wpa must be 2/);
  assert.match(hostapdConfProblems(good.replace('rsn_pairwise=CCMP', 'rsn_pairwise=CCMP TKIP')).join(), /rsn_pairwise/);
  assert.match(hostapdConfProblems(`${good}wpa_pairwise=TKIP\n`).join(), /wpa_pairwise/);
  assert.match(hostapdConfProblems(good.replace('hw_mode=g', 'hw_mode=a')).join(), /hw_mode/);
  assert.match(hostapdConfProblems(`${good}wep_key0=abcde\n`).join(), /WEP/);
  assert.throws(() => hostapdConf({ iface: 'wlan0', ssid: 'x'.repeat(33), password: randomPassword(), channel: 6, country: 'DE' }), HotspotConfigError);
  assert.throws(() => hostapdConf({ iface: 'wlan0', ssid: 'Home\nwpa=1', password: randomPassword(), channel: 6, country: 'DE' }), HotspotConfigError);
  assert.throws(() => hostapdConf({ iface: 'wlan0', ssid: 'Home', password: 'short', channel: 6, country: 'DE' }), HotspotConfigError);
  assert.throws(() => hostapdConf({ iface: 'wlan0', ssid: 'Home', password: `${randomPassword()}\nwpa=1`, channel: 6, country: 'DE' }), HotspotConfigError);
  assert.throws(() => hostapdConf({ iface: 'wlan0', ssid: 'Home', password: randomPassword(), channel: 15, country: 'DE' }), HotspotConfigError);
  assert.throws(() => hostapdConf({ iface: 'wlan0', ssid: 'Home', password: randomPassword(), channel: 6, country: 'de' }), HotspotConfigError);
  assert.throws(() => hostapdConf({ iface: '-wlan0', ssid: 'Home', password: randomPassword(), channel: 6, country: 'DE' }), HotspotConfigError);
});

test('hostapd itself parses the generated file without a configuration error (not started: no radio here)', { skip: !have('hostapd') ? 'hostapd is not installed (apt-get install hostapd)' : nsUsable() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-hostapd-'));
  try {
    for (const [channel, ssid] of [[6, randomSsid()], [36, 'Café-Wohnzimmer']] as const) {
      const file = join(dir, `hostapd-${channel}.conf`);
      // An interface name that exists nowhere, in a namespace of its own: hostapd reads the file, then fails to find a radio.
      writeFileSync(file, hostapdConf({ iface: 'qcnoradio0', ssid, password: randomPassword(), channel, country: 'DE' }));
      const out = inScratchNs((ns) => spawnSync('ip', ['netns', 'exec', ns, 'hostapd', file], { encoding: 'utf8', timeout: 10_000 }));
      const text = `${out.stdout}${out.stderr}`;
      assert.doesNotMatch(text, /errors? found in configuration file|unknown configuration item|invalid/i, text);
      assert.match(text, /nl80211|driver|qcnoradio0/i, `hostapd got past the configuration to the radio: ${text}`);
    }
    // And the check is real: hostapd does refuse a broken file.
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, `${hostapdConf({ iface: 'qcnoradio0', ssid: 'Home-1A2B', password: randomPassword(), channel: 6, country: 'DE' })}rsn_pairwise=BOGUS\n`);
    const out = inScratchNs((ns) => spawnSync('ip', ['netns', 'exec', ns, 'hostapd', bad], { encoding: 'utf8', timeout: 10_000 }));
    assert.match(`${out.stdout}${out.stderr}`, /errors? found in configuration file|invalid/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Wi-Fi QR code: WIFI:T:WPA;S:…;P:…;; with \\ ; , : " escaped', async () => {
  assert.equal(wifiQrText('Home-4F2A', 'abcdefghijkm'), 'WIFI:T:WPA;S:Home-4F2A;P:abcdefghijkm;;');
  assert.equal(escapeWifiField('a;b,c:d"e\\f'), 'a\\;b\\,c\\:d\\"e\\\\f');
  assert.equal(wifiQrText('My;Net', 'p:w,"x\\'), 'WIFI:T:WPA;S:My\\;Net;P:p\\:w\\,\\"x\\\\;;');
  const svg = await wifiQrSvg('Home-4F2A', randomPassword());
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<path/);
  assert.doesNotMatch(svg, /<script/i);
});

test('NetworkManager hotspot: WPA2/RSN with CCMP only, a manual address, the secret not on the command line', () => {
  const pw = randomPassword();
  const args = nmConnectionAddArgs({ iface: 'wlan0', ssid: 'Android_7C1E', channel: 6, address: '10.77.0.1/24' });
  const kv = new Map<string, string>();
  for (let i = 2; i < args.length; i += 2) kv.set(args[i]!, args[i + 1]!);
  assert.equal(kv.get('802-11-wireless.mode'), 'ap');
  assert.equal(kv.get('wifi-sec.key-mgmt'), 'wpa-psk');
  assert.equal(kv.get('wifi-sec.proto'), 'rsn');
  assert.equal(kv.get('wifi-sec.pairwise'), 'ccmp');
  assert.equal(kv.get('wifi-sec.group'), 'ccmp');
  assert.equal(kv.get('ipv4.method'), 'manual');
  assert.ok(!args.includes(pw) && !args.some((a) => /tkip/i.test(a)));
  assert.equal(nmPasswordFile(pw), `802-11-wireless-security.psk:${pw}\n`);
});

test('dnsmasq: DHCP on the hotspot only; forwarding, or every name to the checker in sinkhole mode', () => {
  const base = { iface: 'wlan0', address: '10.77.0.1', prefix: 24, rangeStart: '10.77.0.10', rangeEnd: '10.77.0.250', leaseFile: '/x/leases', upstream: [] };
  const online = dnsmasqArgs({ ...base, mode: 'hotspot' });
  assert.ok(online.includes('--interface=wlan0') && online.includes('--bind-interfaces') && online.includes('--listen-address=10.77.0.1'));
  assert.ok(online.includes('--dhcp-range=10.77.0.10,10.77.0.250,255.255.255.0,3600'));
  assert.ok(online.includes('--log-dhcp'));
  assert.ok(!online.some((a) => a.startsWith('--address=')));
  assert.ok(!online.includes('--no-resolv'));
  const up = dnsmasqArgs({ ...base, mode: 'hotspot', upstream: ['9.9.9.9'] });
  assert.ok(up.includes('--no-resolv') && up.includes('--server=9.9.9.9'));
  const sink = dnsmasqArgs({ ...base, mode: 'sinkhole', upstream: ['9.9.9.9'] });
  assert.ok(sink.includes('--address=/#/10.77.0.1') && sink.includes('--no-resolv'));
  assert.ok(!sink.some((a) => a.startsWith('--server=')), 'no upstream at all in sinkhole mode');
  assert.equal(hostInNet('10.77.0.1', 24, 250), '10.77.0.250');
  assert.equal(hostInNet('172.20.5.1', 16, 10), '172.20.0.10');
});

test('dnsmasq lease events: DHCPACK lines and the leases file', () => {
  assert.deepEqual(parseLeaseLine('dnsmasq-dhcp[812]: 2364629443 DHCPACK(wlan0) 10.77.0.57 02:51:c0:ff:ee:07 Pixel-7a'), {
    iface: 'wlan0', ip: '10.77.0.57', mac: '02:51:c0:ff:ee:07', hostname: 'Pixel-7a',
  });
  assert.deepEqual(parseLeaseLine('dnsmasq-dhcp: DHCPACK(wlan0) 10.77.0.58 AA:BB:CC:DD:EE:FF'), { iface: 'wlan0', ip: '10.77.0.58', mac: 'aa:bb:cc:dd:ee:ff', hostname: null });
  assert.equal(parseLeaseLine('dnsmasq-dhcp[812]: 2364629443 DHCPREQUEST(wlan0) 10.77.0.57 02:51:c0:ff:ee:07'), null);
  assert.equal(parseLeaseLine('dnsmasq[812]: query[A] example.com from 10.77.0.57'), null);
  assert.deepEqual(parseLeasesFile('1767225600 02:51:c0:ff:ee:07 10.77.0.57 Pixel-7a 01:02:51:c0:ff:ee:07\n1767225601 aa:bb:cc:dd:ee:ff 10.77.0.58 * *\n'), [
    { mac: '02:51:c0:ff:ee:07', ip: '10.77.0.57', hostname: 'Pixel-7a' },
    { mac: 'aa:bb:cc:dd:ee:ff', ip: '10.77.0.58', hostname: null },
  ]);
});

const ONLINE = { hotspotIface: 'wlan0', address: '10.77.0.1', prefix: 24, uplinkIface: 'eth0', adminPort: 8080, sinkholePorts: [], uplinkForwardingWasOff: true };
const SINK = { ...ONLINE, uplinkIface: null, sinkholePorts: [80, 443, 8080] };

test('nftables: one table of its own; NAT to the uplink, forwarding for the hotspot only, the API kept away', () => {
  const on = nftRuleset(ONLINE);
  assert.match(on, /^table inet quietcheck \{/);
  assert.equal(on.match(/^table /gm)!.length, 1);
  assert.match(on, /oifname "eth0" ip saddr 10\.77\.0\.0\/24 masquerade/);
  assert.match(on, /iifname "wlan0" oifname "eth0" ip saddr 10\.77\.0\.0\/24 accept/);
  assert.match(on, /iifname "eth0" oifname "wlan0" ct state established,related accept/);
  assert.match(on, /iifname "eth0" drop/, 'nothing else forwarded from the uplink when quietcheck turned forwarding on');
  assert.match(on, /iifname "wlan0" tcp dport 8080 drop/);
  assert.match(on, /iifname "wlan0" drop\n  \}/, 'anything else from the phone to the checker is dropped');
  assert.doesNotMatch(nftRuleset({ ...ONLINE, uplinkForwardingWasOff: false }), /iifname "eth0" drop/);
  const sink = nftRuleset(SINK);
  assert.doesNotMatch(sink, /masquerade/);
  assert.doesNotMatch(sink, /accept\n.*oifname "eth0"/);
  assert.match(sink, /ip daddr 10\.77\.0\.1 tcp dport \{ 80, 443 \} accept/, 'the sinkhole ports, never the API port');
  assert.match(sink, /dnat ip to 10\.77\.0\.1/);
  assert.throws(() => nftRuleset({ ...ONLINE, hotspotIface: 'wlan0"; flush ruleset; "' }));
  assert.match(nftApplyScript(ONLINE), /^table inet quietcheck\ndelete table inet quietcheck\ntable inet quietcheck \{/);
});

test('nftables: nft accepts both rulesets (checked with nft -c in a throw-away namespace)', { skip: !have('nft') ? 'nft is not installed (apt-get install nftables)' : nsUsable() }, () => {
  for (const plan of [ONLINE, SINK]) {
    const r = inScratchNs((ns) => spawnSync('ip', ['netns', 'exec', ns, 'nft', '-c', '-f', '-'], { input: nftApplyScript(plan), encoding: 'utf8' }));
    assert.equal(r.status, 0, r.stderr);
  }
});

test('hotspot settings: validated', () => {
  assert.equal(hotspotSettingsProblem(DEFAULT_HOTSPOT), null);
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, address: '8.8.8.1' })!, /private/);
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, address: '10.77.0.5' })!, /first address/);
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, iface: 'wlan0', uplink: 'wlan0' })!, /uplink/);
  // NetworkManager 1.42 (Debian 12, Raspberry Pi OS 12) refuses channel 144, which hostapd takes: caught when saved, not at start.
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, backend: 'networkmanager', channel: 144 })!, /NetworkManager/);
  assert.equal(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, backend: 'hostapd', channel: 144 }), null);
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, password: 'shortpass' })!, /12/);
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, channel: 0 })!, /channel/);
  assert.match(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, dns: ['resolver'] })!, /IP/);
});

test('sinkhole: a whole ClientHello or HTTP head is enough to close', () => {
  const hello = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x04]), Buffer.from([1, 0, 0, 0])]);
  assert.equal(enoughToRead(hello.subarray(0, 7)), false);
  assert.equal(enoughToRead(hello), true);
  assert.equal(enoughToRead(Buffer.from('GET /gate.php HTTP/1.1\r\nHost: a.example\r\n')), false);
  assert.equal(enoughToRead(Buffer.from('GET /gate.php HTTP/1.1\r\nHost: a.example\r\n\r\n')), true);
});
