/**
 * `quietcheck serve`'s settings (src/server/config.ts loadServeConfig): every key from config.yaml, the
 * environment and flags, their precedence, QUIETCHECK_DATA_DIR, and bad values refused with where they
 * came from. The hotspot's settings too, and how they layer with what the admin saves at run time:
 * defaults < config.yaml < environment < admin's saved values < flags.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { HotspotConfigError, HotspotService } from '../../src/hotspot/service.js';
import { DEFAULT_HOTSPOT, HOTSPOT_SETTING, hotspotSettingsProblem } from '../../src/hotspot/settings.js';
import { DEFAULTS, loadServeConfig, ServeConfigError, type ServeConfig, type ServeFlags } from '../../src/server/config.js';
import type { SettingsStore } from '../../src/store/store.js';
import { CLI, removeDir, tempDir } from './helpers.js';

const dirs: string[] = [];
function dataDir(yaml?: string): string {
  const d = tempDir('qc-config-');
  dirs.push(d);
  if (yaml !== undefined) writeFileSync(join(d, 'config.yaml'), yaml);
  return d;
}
after(() => dirs.forEach(removeDir));

/** loadServeConfig with only the given environment (never the test machine's). */
function load(flags: ServeFlags, env: NodeJS.ProcessEnv = {}): ServeConfig {
  return loadServeConfig(flags, { HOME: '/nonexistent-home', ...env });
}

function refuses(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ServeConfigError, `a ServeConfigError, not ${String(e)}`);
    assert.match(e.message, re);
    return true;
  });
}

class MemoryStore implements SettingsStore {
  readonly values = new Map<string, string>();
  getSetting(k: string): string | null {
    return this.values.get(k) ?? null;
  }
  setSetting(k: string, v: string): void {
    this.values.set(k, v);
  }
  allSettings(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

const FULL_YAML = `
host: 0.0.0.0
port: 8181
interface: eth1
tcpdumpPath: /usr/local/bin/tcpdump
maxUploadMb: 64
retentionDays: 7
allowRemoteKiosk: true
allowRemoteAdmin: yes
allowedHosts: [Kiosk.Local, kiosk]
sessionHours: 4
loginMaxPerMinute: 9
lang: fr
hotspot:
  interface: wlan1
  mode: sinkhole
  uplink: eth0
  backend: hostapd
  address: 192.168.77.1/26
  channel: 36
  country: FR
  ssid: Maison-2C4F
  password: a fixed password
  dns: [9.9.9.9, 149.112.112.112]
`;

describe('serve configuration: defaults, config.yaml, environment, flags', () => {
  test('defaults: nothing configured', () => {
    const d = dataDir();
    const c = load({ dataDir: d });
    assert.equal(c.dataDir, resolve(d));
    const { dataDir: _, hotspot, ...rest } = c;
    assert.deepEqual(rest, { ...DEFAULTS, allowedHosts: [] });
    assert.deepEqual(hotspot, { base: {}, pinned: {}, sources: {} });
  });

  test('config.yaml in the data directory sets every key, hotspot ones included', () => {
    const c = load({ dataDir: dataDir(FULL_YAML) });
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.port, 8181);
    assert.equal(c.interface, 'eth1');
    assert.equal(c.tcpdumpPath, '/usr/local/bin/tcpdump');
    assert.equal(c.maxUploadBytes, 64 * 1024 * 1024);
    assert.equal(c.retentionDays, 7);
    assert.equal(c.allowRemoteKiosk, true);
    assert.equal(c.allowRemoteAdmin, true);
    assert.deepEqual(c.allowedHosts, ['kiosk.local', 'kiosk']);
    assert.equal(c.sessionHours, 4);
    assert.equal(c.loginMaxPerMinute, 9);
    assert.equal(c.lang, 'fr');
    assert.deepEqual(c.hotspot!.base, {
      iface: 'wlan1', mode: 'sinkhole', uplink: 'eth0', backend: 'hostapd', address: '192.168.77.1', prefix: 26, channel: 36, country: 'FR',
      ssid: 'Maison-2C4F', password: 'a fixed password', dns: ['9.9.9.9', '149.112.112.112'],
    });
    assert.deepEqual(c.hotspot!.pinned, {});
    assert.ok(Object.values(c.hotspot!.sources).every((s) => s === 'config file'));
    assert.equal(hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, ...c.hotspot!.base }), null);
  });

  test('--config FILE is read instead; a missing one is an error, a missing config.yaml is not', () => {
    const other = join(dataDir(), 'other.yaml');
    writeFileSync(other, 'port: 9000\nhotspot:\n  channel: 11\n');
    const c = load({ dataDir: dataDir('port: 1234\n'), config: other });
    assert.equal(c.port, 9000);
    assert.equal(c.hotspot!.base.channel, 11);
    refuses(() => load({ dataDir: dataDir(), config: join(dataDir(), 'nope.yaml') }), /nope\.yaml: .*ENOENT/);
  });

  test('precedence: file < environment < flags, key by key', () => {
    const d = dataDir('port: 8181\nhost: 0.0.0.0\nlang: fr\nretentionDays: 7\nhotspot:\n  interface: wlan1\n  channel: 36\n  country: FR\n  ssid: From-File\n');
    const env = {
      QUIETCHECK_PORT: '8282', QUIETCHECK_LANG: 'de', QUIETCHECK_INTERFACE: 'eth9', QUIETCHECK_TCPDUMP: '/opt/tcpdump', QUIETCHECK_MAX_UPLOAD_MB: '10',
      QUIETCHECK_RETENTION_DAYS: '3', QUIETCHECK_ALLOW_REMOTE_KIOSK: 'on', QUIETCHECK_ALLOW_REMOTE_ADMIN: 'false', QUIETCHECK_HOST: '127.0.0.2',
      QUIETCHECK_HOTSPOT_CHANNEL: '40', QUIETCHECK_HOTSPOT_COUNTRY: 'BE', QUIETCHECK_HOTSPOT_DNS: '1.1.1.1, 8.8.8.8', QUIETCHECK_HOTSPOT_PASSWORD: 'an env password',
      QUIETCHECK_HOTSPOT_UPLINK: 'auto', QUIETCHECK_HOTSPOT_SSID: 'random', QUIETCHECK_HOTSPOT_BACKEND: 'auto', QUIETCHECK_HOTSPOT_ADDRESS: '10.9.0.1',
      QUIETCHECK_HOTSPOT_PREFIX: '20', QUIETCHECK_HOTSPOT_INTERFACE: '', QUIETCHECK_HOTSPOT_MODE: 'Online',
    };
    const e = load({ dataDir: d }, env);
    assert.equal(e.port, 8282);
    assert.equal(e.host, '127.0.0.2');
    assert.equal(e.lang, 'de');
    assert.equal(e.retentionDays, 3);
    assert.equal(e.interface, 'eth9');
    assert.equal(e.tcpdumpPath, '/opt/tcpdump');
    assert.equal(e.maxUploadBytes, 10 * 1024 * 1024);
    assert.equal(e.allowRemoteKiosk, true);
    assert.equal(e.allowRemoteAdmin, false);
    assert.deepEqual(e.hotspot!.base, { iface: 'wlan1', channel: 40, country: 'BE', ssid: null, dns: ['1.1.1.1', '8.8.8.8'], password: 'an env password', uplink: null, backend: 'auto', address: '10.9.0.1', prefix: 20, mode: 'hotspot' });
    assert.equal(e.hotspot!.sources.iface, 'config file', 'an empty variable leaves the file\'s value');
    assert.equal(e.hotspot!.sources.channel, 'environment');

    const f = load(
      {
        dataDir: d, port: '8383', host: '127.0.0.3', lang: 'it', interface: 'eth7', tcpdump: '/x/tcpdump', maxUploadMb: '5', retentionDays: '0',
        allowRemoteKiosk: true, allowRemoteAdmin: true, allowedHost: ['Box'], hotspotChannel: '1', hotspotInterface: 'wlan2', hotspotSsid: 'Flag-Name',
        hotspotUplink: 'eth3', hotspotBackend: 'wired', hotspotAddress: '172.16.5.1/24', hotspotCountry: 'NL', hotspotDns: '9.9.9.9', hotspotMode: 'sinkhole',
      },
      env,
    );
    assert.equal(f.port, 8383);
    assert.equal(f.host, '127.0.0.3');
    assert.equal(f.lang, 'it');
    assert.equal(f.interface, 'eth7');
    assert.equal(f.tcpdumpPath, '/x/tcpdump');
    assert.equal(f.maxUploadBytes, 5 * 1024 * 1024);
    assert.equal(f.retentionDays, 0);
    assert.equal(f.allowRemoteAdmin, true);
    assert.deepEqual(f.allowedHosts, ['box']);
    assert.deepEqual(f.hotspot!.pinned, { channel: 1, iface: 'wlan2', ssid: 'Flag-Name', uplink: 'eth3', backend: 'wired', address: '172.16.5.1', prefix: 24, country: 'NL', dns: ['9.9.9.9'], mode: 'sinkhole' });
    assert.equal(f.hotspot!.base.channel, 40, 'the lower layers are kept: flags sit on top of them');
    assert.equal(f.hotspot!.sources.channel, 'command line');
  });

  test('QUIETCHECK_DATA_DIR: the data directory and its config.yaml; --data-dir beats it; a file cannot move it', () => {
    const a = dataDir('port: 7001\n');
    const b = dataDir('port: 7002\ndataDir: /somewhere/else\n');
    const e = load({}, { QUIETCHECK_DATA_DIR: a });
    assert.equal(e.dataDir, resolve(a));
    assert.equal(e.port, 7001, 'config.yaml is read from QUIETCHECK_DATA_DIR');
    const f = load({ dataDir: b }, { QUIETCHECK_DATA_DIR: a });
    assert.equal(f.dataDir, resolve(b));
    assert.equal(f.port, 7002);
    // Without flag or variable the file's dataDir is used (the file itself was named by --config).
    const cfgFile = join(dataDir(), 'c.yaml');
    writeFileSync(cfgFile, `dataDir: ${a}\n`);
    assert.equal(load({ config: cfgFile }).dataDir, resolve(a));
    assert.equal(load({ config: cfgFile }, { QUIETCHECK_DATA_DIR: b }).dataDir, resolve(b));
    assert.equal(load({}, { XDG_DATA_HOME: '/xdg' }).dataDir, '/xdg/quietcheck');
  });

  test('bad values are refused with where they came from', () => {
    const bad = (yaml: string, re: RegExp): void => refuses(() => load({ dataDir: dataDir(yaml) }), re);
    bad('colour: blue\n', /config\.yaml: unknown setting "colour"/);
    bad('port: 70000\n', /config\.yaml: port must be a whole number from 0 to 65535, not 70000/);
    bad('port: "80a"\n', /port must be a whole number/);
    bad('retentionDays: -1\n', /retentionDays must be a whole number from 0 to 36500/);
    bad('allowRemoteKiosk: maybe\n', /allowRemoteKiosk must be true or false, not "maybe"/);
    bad('allowedHosts: kiosk\n', /allowedHosts must be a list/);
    bad('host: ""\n', /host must be a non-empty string/);
    bad('lang: xx\n', /unknown language xx/);
    bad('sessionHours: 0\n', /sessionHours must be a whole number from 1/);
    bad('loginMaxPerMinute: 1001\n', /loginMaxPerMinute must be a whole number from 1 to 1000/);
    bad('maxUploadMb: 0\n', /maxUploadMb must be a whole number from 1/);
    bad('- just\n- a list\n', /expected settings as "key: value" lines/);
    bad('port: [1\n', /config\.yaml: /);
    bad('hotspot: wlan0\n', /hotspot must be a mapping of hotspot settings/);
    bad('hotspot:\n  iface: wlan0\n', /unknown hotspot setting "iface" \(known: interface, mode, uplink/);
    // The admin API's own rules (hotspotSettingsProblem), with their words.
    bad('hotspot:\n  channel: 15\n', /config\.yaml: hotspot: channel 15 is not a Wi-Fi channel/);
    bad('hotspot:\n  channel: six\n', /hotspot channel must be a whole number/);
    bad('hotspot:\n  prefix: 30\n', /hotspot: the prefix must be 16 to 28/);
    bad('hotspot:\n  address: 8.8.8.1\n', /must be a private IPv4 address/);
    bad('hotspot:\n  address: 10.77.0.5/24\n', /must be the first address of its \/24 network/);
    bad('hotspot:\n  country: fr\n', /the country must be a two-letter code such as DE or FR, not "fr"/);
    bad('hotspot:\n  backend: iwd\n', /backend must be one of auto, hostapd, networkmanager, wired/);
    bad('hotspot:\n  mode: offline\n', /the mode must be hotspot \(online\) or sinkhole, not "offline"/);
    bad('hotspot:\n  interface: "wlan0; rm -rf"\n', /is not a network interface name/);
    bad('hotspot:\n  interface: wlan0\n  uplink: wlan0\n', /the uplink cannot be the hotspot interface itself/);
    bad('hotspot:\n  password: short pw\n', /at least 12 characters/);
    bad('hotspot:\n  dns: [not-an-ip]\n', /"not-an-ip" is not an IP address/);
    bad('hotspot:\n  ssid: ""\n', /hotspot ssid must be a non-empty string/);
    bad('hotspot:\n  channel: null\n', /hotspot channel cannot be empty/);
    refuses(() => load({ dataDir: dataDir() }, { QUIETCHECK_PORT: '-5' }), /environment: port must be a whole number/);
    refuses(() => load({ dataDir: dataDir() }, { QUIETCHECK_HOTSPOT_PREFIX: '8' }), /environment: hotspot: the prefix must be 16 to 28/);
    refuses(() => load({ dataDir: dataDir(), port: '65536' }), /command line: port must be a whole number from 0 to 65535, not "65536"/);
    refuses(() => load({ dataDir: dataDir(), hotspotChannel: '200' }), /command line: hotspot: channel 200 is not a Wi-Fi channel/);
    refuses(() => load({ dataDir: dataDir('hotspot:\n  interface: wlan0\n'), hotspotUplink: 'wlan0' }), /command line: hotspot: the uplink cannot be the hotspot interface itself/);
  });
});

describe('hotspot settings in effect: defaults < config.yaml < environment < admin < flags', () => {
  test('the admin\'s saved values win over the file and environment; flags win over the admin, who cannot change them', () => {
    const d = dataDir('hotspot:\n  interface: wlan1\n  channel: 36\n  country: FR\n');
    const cfg = load({ dataDir: d, hotspotCountry: 'BE' }, { QUIETCHECK_HOTSPOT_UPLINK: 'eth0' });
    const store = new MemoryStore();
    const hs = new HotspotService({ store, dataDir: d, adminPort: 8080, config: cfg.hotspot });
    assert.deepEqual(hs.settings(), { ...DEFAULT_HOTSPOT, iface: 'wlan1', channel: 36, country: 'BE', uplink: 'eth0' });
    assert.deepEqual(hs.effective().sources, {
      iface: 'config file', mode: 'default', backend: 'default', address: 'default', prefix: 'default', channel: 'config file', country: 'command line',
      uplink: 'environment', ssid: 'default', password: 'default', dns: 'default',
    });

    hs.updateSettings({ channel: 11, uplink: 'eth1' });
    assert.equal(hs.settings().channel, 11, 'the admin wins over config.yaml');
    assert.equal(hs.settings().uplink, 'eth1', 'and over the environment');
    assert.equal(hs.effective().sources.channel, 'admin');
    assert.deepEqual(JSON.parse(store.getSetting(HOTSPOT_SETTING)!), { channel: 11, uplink: 'eth1' }, 'only what the admin set is saved');

    // A key the admin never set still follows the file after it changes (e.g. a reinstall).
    writeFileSync(join(d, 'config.yaml'), 'hotspot:\n  interface: wlan3\n  channel: 36\n');
    const hs2 = new HotspotService({ store, dataDir: d, adminPort: 8080, config: load({ dataDir: d }).hotspot });
    assert.equal(hs2.settings().iface, 'wlan3');
    assert.equal(hs2.settings().channel, 11);

    // Flags: the admin may send the same value back (a whole form), not another one.
    hs.updateSettings({ country: 'BE', ssid: 'Garden 93B0' });
    assert.throws(() => hs.updateSettings({ country: 'DE' }), (e: unknown) => e instanceof HotspotConfigError && /fixed by --hotspot-country on quietcheck's command line/.test(e.message));
    assert.equal(hs.settings().country, 'BE');
    // The admin API's rules apply to the merged result.
    assert.throws(() => hs.updateSettings({ uplink: 'wlan1' }), /the uplink cannot be the hotspot interface itself/);
    assert.throws(() => hs.updateSettings({ channel: 15 }), /channel 15 is not a Wi-Fi channel/);
  });

  test('without layers given, the service reads those serve stored at its start; saved settings of older versions still count', () => {
    const store = new MemoryStore();
    store.setSetting('hotspot.config', JSON.stringify({ base: { iface: 'wlan1', channel: 40 }, pinned: { country: 'NL' }, sources: { iface: 'config file', channel: 'environment', country: 'command line' } }));
    store.setSetting(HOTSPOT_SETTING, JSON.stringify({ ...DEFAULT_HOTSPOT, iface: 'usb0' }));
    const hs = new HotspotService({ store, dataDir: dataDir(), adminPort: 8080 });
    const e = hs.effective();
    assert.equal(e.settings.iface, 'usb0');
    assert.equal(e.settings.country, 'NL');
    assert.equal(e.settings.channel, 6, 'an older full saved object counts as the admin\'s choice for every key');
    assert.equal(e.sources.country, 'command line');
  });
});

describe('serve on the command line', () => {
  test('--help documents the hotspot settings, their precedence and a config.yaml example', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const flag of ['--hotspot-interface', '--hotspot-mode', '--hotspot-uplink', '--hotspot-backend', '--hotspot-address', '--hotspot-channel', '--hotspot-country', '--hotspot-ssid', '--hotspot-dns']) assert.ok(r.stdout.includes(flag), flag);
    assert.doesNotMatch(r.stdout, /--hotspot-password/);
    assert.match(r.stdout, /QUIETCHECK_HOTSPOT_PASSWORD/);
    assert.match(r.stdout, /hotspot:\n\s+interface: wlan1/);
    assert.match(r.stdout, /CAP_NET_BIND_SERVICE/);
  });

  test('a bad value stops serve at start with exit code 2 and says where it came from', () => {
    const d = dataDir('hotspot:\n  channel: 15\n');
    mkdirSync(d, { recursive: true });
    const r = spawnSync(process.execPath, [CLI, 'serve', '--data-dir', d, '--admin-password', 'a long test password'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^quietcheck: .*config\.yaml: hotspot: channel 15 is not a Wi-Fi channel/m);
    const f = spawnSync(process.execPath, [CLI, 'serve', '--data-dir', dataDir(), '--hotspot-prefix', '12'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(f.status, 2);
    assert.match(f.stderr, /command line: hotspot: the prefix must be 16 to 28/);
  });
});
