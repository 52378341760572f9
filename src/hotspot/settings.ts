/** The hotspot's settings, kept in the store's settings table as one JSON value and changed by the admin. */
import { isIP } from 'node:net';
import { hostInNet } from './dnsmasq.js';
import { channelProblem, countryProblem } from './hostapd.js';
import { passwordProblem, ssidProblem } from './names.js';

export const HOTSPOT_SETTING = 'hotspot';
export const BACKENDS = ['auto', 'hostapd', 'networkmanager', 'wired'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
export type Backend = Exclude<BackendChoice, 'auto'>;

export interface HotspotSettings {
  /** The interface the phone joins: a Wi-Fi adapter, or a wired/USB one with backend "wired". */
  iface: string | null;
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
  if (isIP(s.address) !== 4 || !privateV4(s.address)) return 'the hotspot address must be a private IPv4 address (10.x, 172.16–31.x or 192.168.x)';
  if (!Number.isInteger(s.prefix) || s.prefix < 16 || s.prefix > 28) return 'the prefix must be 16 to 28';
  if (hostInNet(s.address, s.prefix, 1) !== s.address) return `the hotspot address must be the first address of its /${s.prefix} network`;
  const ch = channelProblem(s.channel);
  if (ch) return ch;
  const co = countryProblem(s.country);
  if (co) return co;
  if (s.ssid !== null && ssidProblem(s.ssid)) return ssidProblem(s.ssid);
  if (s.password !== null && passwordProblem(s.password)) return passwordProblem(s.password);
  if (s.password !== null && s.password.length < 12) return 'a fixed Wi-Fi password must be at least 12 characters long';
  for (const d of s.dns) if (isIP(d) === 0) return `"${d}" is not an IP address`;
  return null;
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
