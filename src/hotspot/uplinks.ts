/**
 * Uplinks: how the hotspot's traffic leaves (hotspot mode). Ethernet with a cable in, or a second Wi-Fi
 * adapter joined to a network the worker picks from a list with signal strength (through
 * NetworkManager; `iw` scans when NetworkManager is absent, for the list only).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDefaultRoute, parseIpAddrJson, parseIwScan, splitTerse, parseNmcliDeviceStatus, parseNmcliWifiList, NMCLI_WIFI_FIELDS, type WifiNetwork } from './parse.js';
import { nmPasswdLine } from './nm.js';
import { HotspotSystemError, run as defaultRun, type Runner } from './run.js';

export interface WiredUplink {
  iface: string;
  carrier: boolean;
  addresses: string[];
  isDefault: boolean;
}

export interface WifiAdapter {
  iface: string;
  /** NetworkManager's state (connected, disconnected, …) or the kernel's operstate without it. */
  state: string;
  connection: string | null;
  isDefault: boolean;
}

export interface UplinkList {
  defaultRoute: { iface: string; gateway: string | null } | null;
  ethernet: WiredUplink[];
  wifiAdapters: WifiAdapter[];
  wifiNetworks: WifiNetwork[];
  /** How the Wi-Fi list was made: nmcli, iw, or none (with why in `notes`). */
  scanner: 'nmcli' | 'iw' | 'none';
  notes: string[];
}

export interface UplinkOptions {
  runner?: Runner;
  sysNet?: string;
  /** The hotspot interface, never offered as an uplink. */
  exclude?: string | null;
}

function readSys(base: string, iface: string, file: string): string | null {
  try {
    return readFileSync(join(base, iface, file), 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * A virtual Ethernet device with nothing behind it (ifb, dummy, an unattached tap): not a way to the
 * internet, and a name that means nothing to a support worker. Veth pairs (a peer: iflink differs from
 * ifindex), bridges and bonds stay — they are how containers, namespaces and bridged boards reach out.
 */
function virtualWithoutPeer(base: string, iface: string): boolean {
  let real: string;
  try {
    real = realpathSync(join(base, iface));
  } catch {
    return false;
  }
  if (!real.includes('/virtual/')) return false;
  if (existsSync(join(base, iface, 'bridge')) || existsSync(join(base, iface, 'bonding'))) return false;
  const iflink = readSys(base, iface, 'iflink');
  return iflink !== null && iflink === readSys(base, iface, 'ifindex');
}

export async function listUplinks(o: UplinkOptions = {}, scan = true): Promise<UplinkList> {
  const runner = o.runner ?? defaultRun;
  const sys = o.sysNet ?? '/sys/class/net';
  const notes: string[] = [];
  const addr = await runner('ip', ['-j', 'addr', 'show']);
  const links = addr.code === 0 ? parseIpAddrJson(addr.stdout || '[]') : [];
  const route = await runner('ip', ['-j', 'route', 'show', 'default']);
  const def = route.code === 0 ? parseDefaultRoute(route.stdout || '[]') : null;
  const wireless = (i: string): boolean => existsSync(join(sys, i, 'wireless')) || existsSync(join(sys, i, 'phy80211'));

  const ethernet: WiredUplink[] = [];
  const wifiAdapters: WifiAdapter[] = [];
  const nm = await runner('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'status']);
  const nmDevices = nm.code === 0 ? parseNmcliDeviceStatus(nm.stdout) : [];
  for (const l of links) {
    if (l.ifname === 'lo' || l.ifname === o.exclude || l.linkType !== 'ether' || virtualWithoutPeer(sys, l.ifname)) continue;
    if (wireless(l.ifname)) {
      const d = nmDevices.find((x) => x.device === l.ifname);
      wifiAdapters.push({ iface: l.ifname, state: d?.state ?? l.operstate.toLowerCase(), connection: d?.connection ?? null, isDefault: def?.dev === l.ifname });
      continue;
    }
    const carrier = readSys(sys, l.ifname, 'carrier') === '1' || l.operstate === 'UP';
    ethernet.push({ iface: l.ifname, carrier, addresses: l.ipv4.map((a) => `${a.local}/${a.prefixlen}`), isDefault: def?.dev === l.ifname });
  }

  let wifiNetworks: WifiNetwork[] = [];
  let scanner: UplinkList['scanner'] = 'none';
  const adapters = wifiAdapters.map((a) => a.iface);
  if (scan && adapters.length > 0) {
    if (nm.code === 0) {
      const r = await runner('nmcli', ['-t', '-f', NMCLI_WIFI_FIELDS, 'device', 'wifi', 'list', '--rescan', 'auto'], { timeoutMs: 30_000 });
      if (r.code === 0) {
        wifiNetworks = parseNmcliWifiList(r.stdout).filter((n) => n.device === null || n.device !== o.exclude);
        scanner = 'nmcli';
      } else notes.push(`nmcli could not list Wi-Fi networks: ${r.stderr.trim()}`);
    } else {
      for (const a of adapters) {
        const r = await runner('iw', ['dev', a, 'scan'], { timeoutMs: 30_000 });
        if (r.code === 0) {
          wifiNetworks.push(...parseIwScan(r.stdout, a));
          scanner = 'iw';
        } else notes.push(r.missing ? 'iw is not installed: no Wi-Fi list' : `iw could not scan on ${a}: ${r.stderr.trim()}`);
      }
    }
  } else if (adapters.length === 0) notes.push('no Wi-Fi adapter is free to join a network (the hotspot adapter is not offered)');
  return { defaultRoute: def === null ? null : { iface: def.dev, gateway: def.gateway }, ethernet, wifiAdapters, wifiNetworks, scanner, notes };
}

export const NM_UPLINK_PREFIX = 'quietcheck-uplink-';

/**
 * The nmcli commands that join a Wi-Fi network, with the password never on a command line (where every
 * user sees it in `ps` and /proc/PID/cmdline). `nmcli device wifi connect` takes a password only as an
 * argument (or typed at a terminal with --ask), so the connection is made in two steps: `connection add`
 * with the network's name and security but no secret, then `connection up … passwd-file FILE`, which
 * reads the secret from a file (nmcli(1): one `setting.property:secret` per line). The secret is
 * system-owned (psk-flags 0): NetworkManager keeps it with the connection, so the uplink comes back
 * after a restart as with `device wifi connect`.
 */
export function nmJoinArgs(o: { iface: string; ssid: string; keyMgmt: 'wpa-psk' | 'sae' | null; passwdFile: string | null }): { add: string[]; up: string[]; name: string } {
  const name = `${NM_UPLINK_PREFIX}${o.iface}`;
  const add = ['connection', 'add', 'type', 'wifi', 'ifname', o.iface, 'con-name', name, 'autoconnect', 'yes', 'ssid', o.ssid];
  if (o.keyMgmt !== null) add.push('wifi-sec.key-mgmt', o.keyMgmt, 'wifi-sec.psk-flags', '0');
  const up = ['--wait', '30', 'connection', 'up', 'id', name];
  if (o.passwdFile !== null) up.push('passwd-file', o.passwdFile);
  return { add, up, name };
}

/** The passwd-file for a WPA2/WPA3 personal network (escaped as nmcli reads it: see nmPasswdLine). */
export function nmPskFile(password: string): string {
  if (/[\r\n\0]/.test(password)) throw new HotspotSystemError('the Wi-Fi password must be one line', 'bad-password');
  return nmPasswdLine('802-11-wireless-security.psk', password);
}

/** WPA3-only networks need SAE; WPA2 and WPA2/WPA3 transition networks take a pre-shared key. */
function keyMgmtFor(security: string | null): 'wpa-psk' | 'sae' {
  return security !== null && /WPA3/i.test(security) && !/WPA2|WPA1/i.test(security) ? 'sae' : 'wpa-psk';
}

/**
 * Writes `text` to a new file readable by this user only, runs `fn` with its path and removes the file
 * afterwards, whatever happens.
 */
export async function withSecretFile<T>(dir: string, text: string, fn: (path: string) => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `nm-secret-${process.pid}-${randomBytes(6).toString('hex')}`);
  // 'wx': never an existing file (or a link someone put there); 0600 from the start, no window.
  writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  try {
    return await fn(path);
  } finally {
    rmSync(path, { force: true });
  }
}

/**
 * Joins a Wi-Fi network on `iface` with NetworkManager (the only supported way: without it, use
 * Ethernet). Resolves once connected; throws HotspotSystemError with nmcli's words otherwise.
 * `secretDir`: where the password file lives for the moment nmcli reads it (the data directory).
 */
export async function joinWifi(
  o: { iface: string; ssid: string; password: string | null; exclude?: string | null; secretDir: string },
  runner: Runner = defaultRun,
): Promise<{ iface: string; ssid: string; state: string }> {
  if (o.exclude != null && o.iface === o.exclude) throw new HotspotSystemError('the hotspot adapter cannot also be the uplink', 'bad-uplink');
  const nm = await runner('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'status']);
  if (nm.missing || nm.code !== 0) throw new HotspotSystemError('joining a Wi-Fi network needs NetworkManager (nmcli); without it, connect Ethernet', 'unsupported');
  let security: string | null = null;
  if (o.password !== null) {
    const list = await runner('nmcli', ['-t', '-f', 'SSID,SECURITY', 'device', 'wifi', 'list', 'ifname', o.iface, '--rescan', 'no']);
    if (list.code === 0) {
      for (const line of list.stdout.split('\n')) {
        const [ssid, sec] = splitTerse(line);
        if (ssid === o.ssid && sec !== undefined) security = sec;
      }
    }
  }
  const fail = (r: { stdout: string; stderr: string }): never => {
    const msg = r.stderr.trim() || r.stdout.trim();
    const code = /secrets were required|password|802-1x|psk/i.test(msg) ? 'bad-password' : /No network with SSID|not found/i.test(msg) ? 'no-such-network' : 'join-failed';
    throw new HotspotSystemError(`could not join "${o.ssid}": ${msg}`, code);
  };
  const activate = async (passwdFile: string | null): Promise<void> => {
    const a = nmJoinArgs({ iface: o.iface, ssid: o.ssid, keyMgmt: o.password === null ? null : keyMgmtFor(security), passwdFile });
    // A connection of an earlier join on this adapter is replaced.
    await runner('nmcli', ['connection', 'delete', 'id', a.name]);
    const add = await runner('nmcli', a.add);
    if (add.code !== 0) fail(add);
    const up = await runner('nmcli', a.up, { timeoutMs: 45_000 });
    if (up.code !== 0) {
      await runner('nmcli', ['connection', 'delete', 'id', a.name]);
      fail(up);
    }
  };
  if (o.password === null) await activate(null);
  else await withSecretFile(o.secretDir, nmPskFile(o.password), activate);
  const st = await uplinkStatus(runner);
  const dev = st.devices.find((d) => d.device === o.iface);
  return { iface: o.iface, ssid: o.ssid, state: dev?.state ?? 'connected' };
}

export interface UplinkStatus {
  defaultRoute: { iface: string; gateway: string | null } | null;
  online: boolean;
  networkManager: boolean;
  devices: { device: string; type: string; state: string; connection: string | null }[];
}

export async function uplinkStatus(runner: Runner = defaultRun): Promise<UplinkStatus> {
  const route = await runner('ip', ['-j', 'route', 'show', 'default']);
  const def = route.code === 0 ? parseDefaultRoute(route.stdout || '[]') : null;
  const nm = await runner('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'status']);
  return {
    defaultRoute: def === null ? null : { iface: def.dev, gateway: def.gateway },
    online: def !== null,
    networkManager: nm.code === 0,
    devices: nm.code === 0 ? parseNmcliDeviceStatus(nm.stdout) : [],
  };
}
