/**
 * Uplinks: how the hotspot's traffic leaves (hotspot mode). Ethernet with a cable in, or a second Wi-Fi
 * adapter joined to a network the worker picks from a list with signal strength (through
 * NetworkManager; `iw` scans when NetworkManager is absent, for the list only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDefaultRoute, parseIpAddrJson, parseIwScan, parseNmcliDeviceStatus, parseNmcliWifiList, NMCLI_WIFI_FIELDS, type WifiNetwork } from './parse.js';
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
    if (l.ifname === 'lo' || l.ifname === o.exclude || l.linkType !== 'ether') continue;
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
 * Joins a Wi-Fi network on `iface` with NetworkManager (the only supported way: without it, use
 * Ethernet). Resolves once connected; throws HotspotSystemError with nmcli's words otherwise.
 */
export async function joinWifi(o: { iface: string; ssid: string; password: string | null; exclude?: string | null }, runner: Runner = defaultRun): Promise<{ iface: string; ssid: string; state: string }> {
  if (o.exclude != null && o.iface === o.exclude) throw new HotspotSystemError('the hotspot adapter cannot also be the uplink', 'bad-uplink');
  const nm = await runner('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'status']);
  if (nm.missing || nm.code !== 0) throw new HotspotSystemError('joining a Wi-Fi network needs NetworkManager (nmcli); without it, connect Ethernet', 'unsupported');
  const args = ['--wait', '30', 'device', 'wifi', 'connect', o.ssid, 'ifname', o.iface, 'name', `${NM_UPLINK_PREFIX}${o.iface}`];
  if (o.password !== null) args.push('password', o.password);
  const r = await runner('nmcli', args, { timeoutMs: 45_000 });
  if (r.code !== 0) {
    const msg = r.stderr.trim() || r.stdout.trim();
    const code = /secrets were required|password|802-1x|psk/i.test(msg) ? 'bad-password' : /No network with SSID/i.test(msg) ? 'no-such-network' : 'join-failed';
    throw new HotspotSystemError(`could not join "${o.ssid}": ${msg}`, code);
  }
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
