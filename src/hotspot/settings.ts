/**
 * The hotspot's settings. Where each value comes from, lowest first:
 *
 *   1. built-in defaults (DEFAULT_HOTSPOT);
 *   2. `quietcheck serve`'s configuration: config.yaml's `hotspot:` mapping, then QUIETCHECK_HOTSPOT_*
 *      environment variables (the "base" layer: what the machine was installed with);
 *   3. what the admin saved at run time (PUT /api/admin/hotspot), kept in the store's settings table
 *      under "hotspot" as the keys the admin set — so a kiosk keeps the admin's choices across restarts
 *      and updates of config.yaml, while keys the admin never touched still follow the file;
 *   4. `--hotspot-*` flags given on the command line (the "pinned" layer): they win over everything,
 *      and the admin API refuses to change them to something else.
 *
 * `quietcheck serve` writes layers 2 and 4 into the store ("hotspot.config") at each start, so that the
 * hotspot service and `quietcheck doctor` see the same settings in effect.
 */
import { isIP } from 'node:net';
import { hostInNet } from './dnsmasq.js';
import { channelProblem, countryProblem } from './hostapd.js';
import { passwordProblem, ssidProblem } from './names.js';
import { nmChannelProblem } from './nm.js';

export const HOTSPOT_SETTING = 'hotspot';
import { BACKENDS, HOTSPOT_MODES } from './choices.js';

export { BACKENDS, HOTSPOT_MODES };
export type BackendChoice = (typeof BACKENDS)[number];
export type Backend = Exclude<BackendChoice, 'auto'>;

export interface HotspotSettings {
  /** The interface the phone joins: a Wi-Fi adapter, or a wired/USB one with backend "wired". */
  iface: string | null;
  /**
   * The kiosk's default for a check on quietcheck's own network: "hotspot" (online: the phone reaches
   * the internet through the uplink) or "sinkhole" (no internet; names answered locally). The check's
   * own mode, when the kiosk gives one, is what runs; this is what is offered first.
   */
  mode: (typeof HOTSPOT_MODES)[number];
  backend: BackendChoice;
  /** The hotspot's own address; the phone gets one from the same /prefix network. */
  address: string;
  prefix: number;
  channel: number;
  country: string;
  /** Where the hotspot's traffic leaves; null: the interface of the default route. */
  uplink: string | null;
  /** A fixed network name and password; null: new random ones for each check. */
  ssid: string | null;
  password: string | null;
  /** Resolvers dnsmasq forwards to; empty: those of /etc/resolv.conf. */
  dns: string[];
}

export const DEFAULT_HOTSPOT: HotspotSettings = {
  iface: null,
  mode: 'hotspot',
  backend: 'auto',
  address: '10.77.0.1',
  prefix: 24,
  channel: 6,
  country: 'DE',
  uplink: null,
  ssid: null,
  password: null,
  dns: [],
};

export const HOTSPOT_KEYS = ['iface', 'mode', 'backend', 'address', 'prefix', 'channel', 'country', 'uplink', 'ssid', 'password', 'dns'] as const;
export type HotspotKey = (typeof HOTSPOT_KEYS)[number];

/** Where a setting in effect comes from. */
export type HotspotSource = 'default' | 'config file' | 'environment' | 'admin' | 'command line';

/** The configuration layers of `quietcheck serve` (see the top of this file). */
export interface HotspotConfigLayers {
  /** config.yaml, then the environment. */
  base: Partial<HotspotSettings>;
  /** --hotspot-* flags. */
  pinned: Partial<HotspotSettings>;
  /** Where each key of base and pinned came from. */
  sources: Partial<Record<HotspotKey, HotspotSource>>;
}

/** The store key under which `quietcheck serve` leaves its configuration layers at each start. */
export const HOTSPOT_CONFIG_SETTING = 'hotspot.config';

export const NO_LAYERS: HotspotConfigLayers = { base: {}, pinned: {}, sources: {} };

export function readHotspotLayers(raw: string | null): HotspotConfigLayers {
  if (raw === null) return NO_LAYERS;
  try {
    const v = JSON.parse(raw) as Partial<HotspotConfigLayers>;
    return { base: v.base ?? {}, pinned: v.pinned ?? {}, sources: v.sources ?? {} };
  } catch {
    return NO_LAYERS;
  }
}

export interface EffectiveHotspot {
  settings: HotspotSettings;
  sources: Record<HotspotKey, HotspotSource>;
  /** Set when the admin's saved values did not fit with the configuration and were left out. */
  ignoredSaved: string | null;
}

/** The settings in effect: defaults < config file < environment < admin's saved values < command line. */
export function effectiveHotspot(layers: HotspotConfigLayers, saved: Partial<HotspotSettings>): EffectiveHotspot {
  const sources = Object.fromEntries(HOTSPOT_KEYS.map((k) => [k, 'default'])) as Record<HotspotKey, HotspotSource>;
  const merge = (withSaved: boolean): HotspotSettings => {
    const s: HotspotSettings = { ...DEFAULT_HOTSPOT, ...layers.base, ...(withSaved ? saved : {}), ...layers.pinned };
    for (const k of HOTSPOT_KEYS) {
      if (k in layers.pinned) sources[k] = 'command line';
      else if (withSaved && k in saved) sources[k] = 'admin';
      else if (k in layers.base) sources[k] = layers.sources[k] ?? 'config file';
      else sources[k] = 'default';
    }
    return s;
  };
  let settings = merge(true);
  let ignoredSaved: string | null = null;
  const problem = hotspotSettingsProblem(settings);
  if (problem !== null) {
    settings = merge(false);
    ignoredSaved = problem;
    if (hotspotSettingsProblem(settings) !== null) {
      settings = { ...DEFAULT_HOTSPOT };
      for (const k of HOTSPOT_KEYS) sources[k] = 'default';
    }
  }
  return { settings, sources, ignoredSaved };
}

/** The flag that sets a key, for messages. */
export function hotspotFlag(k: HotspotKey): string {
  return `--hotspot-${k === 'iface' ? 'interface' : k}`;
}

/**
 * Which backend a hotspot on these settings uses, from what was found about its interface: the
 * administrator's choice, else "wired" for an interface that is not Wi-Fi, NetworkManager when it
 * manages the adapter, hostapd otherwise. Shared by the hotspot service and `quietcheck doctor`.
 */
export function pickBackend(s: Pick<HotspotSettings, 'iface' | 'backend'>, found: { wireless: boolean; nmManages: boolean }): { backend: Backend | null; reason: string } {
  if (s.iface === null) return { backend: null, reason: 'no hotspot interface is configured' };
  if (s.backend !== 'auto') return { backend: s.backend, reason: `the hotspot settings ask for ${s.backend}` };
  if (!found.wireless) return { backend: 'wired', reason: `${s.iface} is not a Wi-Fi adapter: the phone joins by cable or USB` };
  if (found.nmManages) return { backend: 'networkmanager', reason: `NetworkManager manages ${s.iface}` };
  return { backend: 'hostapd', reason: `${s.iface} is a Wi-Fi adapter not managed by NetworkManager` };
}

const IFACE_RE = /^[A-Za-z0-9_.:@][A-Za-z0-9_.:@-]{0,14}$/;

function privateV4(a: string): boolean {
  const o = a.split('.').map(Number);
  return o[0] === 10 || (o[0] === 172 && o[1]! >= 16 && o[1]! <= 31) || (o[0] === 192 && o[1] === 168);
}

/** Why these settings cannot be used, or null. */
export function hotspotSettingsProblem(s: HotspotSettings): string | null {
  if (s.iface !== null && !IFACE_RE.test(s.iface)) return `"${s.iface}" is not a network interface name`;
  if (s.uplink !== null && !IFACE_RE.test(s.uplink)) return `"${s.uplink}" is not a network interface name`;
  if (s.uplink !== null && s.uplink === s.iface) return 'the uplink cannot be the hotspot interface itself';
  if (!BACKENDS.includes(s.backend)) return `backend must be one of ${BACKENDS.join(', ')}`;
  if (!HOTSPOT_MODES.includes(s.mode)) return `the mode must be hotspot (online) or sinkhole, not ${JSON.stringify(s.mode)}`;
  if (isIP(s.address) !== 4 || !privateV4(s.address)) return 'the hotspot address must be a private IPv4 address (10.x, 172.16–31.x or 192.168.x)';
  if (!Number.isInteger(s.prefix) || s.prefix < 16 || s.prefix > 28) return 'the prefix must be 16 to 28';
  if (hostInNet(s.address, s.prefix, 1) !== s.address) return `the hotspot address must be the first address of its /${s.prefix} network`;
  const ch = channelProblem(s.channel) ?? (s.backend === 'networkmanager' ? nmChannelProblem(s.channel) : null);
  if (ch) return ch;
  const co = countryProblem(s.country);
  if (co) return co;
  if (s.ssid !== null && ssidProblem(s.ssid)) return ssidProblem(s.ssid);
  if (s.password !== null && passwordProblem(s.password)) return passwordProblem(s.password);
  if (s.password !== null && s.password.length < 12) return 'a fixed Wi-Fi password must be at least 12 characters long';
  for (const d of s.dns) if (isIP(d) === 0) return `"${d}" is not an IP address`;
  return null;
}

/** The settings the admin saved (the keys they set), from the store's JSON; unreadable or invalid: none. */
export function readSavedHotspot(raw: string | null): Partial<HotspotSettings> {
  if (raw === null) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    const out: Partial<HotspotSettings> = {};
    for (const k of HOTSPOT_KEYS) if (k in v) (out as Record<string, unknown>)[k] = (v as Record<string, unknown>)[k];
    return hotspotSettingsProblem({ ...DEFAULT_HOTSPOT, ...out }) === null ? out : {};
  } catch {
    return {};
  }
}

export function readHotspotSettings(raw: string | null): HotspotSettings {
  if (raw === null) return { ...DEFAULT_HOTSPOT };
  try {
    const v = JSON.parse(raw) as Partial<HotspotSettings>;
    const s = { ...DEFAULT_HOTSPOT, ...v };
    return hotspotSettingsProblem(s) === null ? s : { ...DEFAULT_HOTSPOT };
  } catch {
    return { ...DEFAULT_HOTSPOT };
  }
}
