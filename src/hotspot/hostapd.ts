/**
 * hostapd's configuration for the hotspot: WPA2-PSK with CCMP (AES) only. No TKIP, not even as the
 * group cipher of a mixed mode: TKIP-enabled networks broke iPhones on SpyGuard, and WPA1/TKIP is
 * insecure anyway. The file is read back and checked before hostapd is started, so a change that would
 * weaken it fails loudly.
 */
import { passwordProblem, ssidProblem } from './names.js';

export interface RadioSettings {
  iface: string;
  ssid: string;
  password: string;
  /** 1–14 (2.4 GHz) or a 5 GHz channel such as 36. */
  channel: number;
  /** ISO 3166-1 alpha-2, upper case: sets the legal channels and power. */
  country: string;
}

export const CHANNELS_24 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] as const;
export const CHANNELS_5 = [36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 149, 153, 157, 161, 165] as const;

export class HotspotConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HotspotConfigError';
  }
}

export function channelProblem(channel: number): string | null {
  if ((CHANNELS_24 as readonly number[]).includes(channel) || (CHANNELS_5 as readonly number[]).includes(channel)) return null;
  return `channel ${channel} is not a Wi-Fi channel (1–14 or a 5 GHz channel such as 36)`;
}

export function countryProblem(country: string): string | null {
  return /^[A-Z]{2}$/.test(country) ? null : `the country must be a two-letter code such as DE or FR, not "${country}"`;
}

/** Throws HotspotConfigError when a setting cannot go into the file. */
export function checkRadioSettings(s: RadioSettings): void {
  const problem =
    (/^[A-Za-z0-9_.:@-]{1,15}$/.test(s.iface) && !s.iface.startsWith('-') ? null : `"${s.iface}" is not a network interface name`) ??
    ssidProblem(s.ssid) ?? passwordProblem(s.password) ?? channelProblem(s.channel) ?? countryProblem(s.country);
  if (problem !== null) throw new HotspotConfigError(problem);
}

/** The text of hostapd.conf. */
export function hostapdConf(s: RadioSettings): string {
  checkRadioSettings(s);
  const fiveGhz = s.channel > 14;
  const lines = [
    '# Written by quietcheck for one check; removed when the check stops.',
    `interface=${s.iface}`,
    'driver=nl80211',
    `ssid=${s.ssid}`,
    ...(/^[\x20-\x7e]*$/.test(s.ssid) ? [] : ['utf8_ssid=1']),
    `country_code=${s.country}`,
    'ieee80211d=1',
    `hw_mode=${fiveGhz ? 'a' : 'g'}`,
    `channel=${s.channel}`,
    'ieee80211n=1',
    'wmm_enabled=1',
    'ignore_broadcast_ssid=0',
    'macaddr_acl=0',
    'auth_algs=1',
    // WPA2 only (RSN), pre-shared key, CCMP only: no wpa_pairwise (the WPA1 cipher list), no TKIP.
    'wpa=2',
    'wpa_key_mgmt=WPA-PSK',
    'rsn_pairwise=CCMP',
    'group_cipher=CCMP',
    `wpa_passphrase=${s.password}`,
    // Clients of the hotspot must not reach each other directly.
    'ap_isolate=1',
  ];
  return `${lines.join('\n')}\n`;
}

/** hostapd.conf read back: `key=value` lines, comments and blank lines skipped; a repeated key keeps its last value. */
export function parseHostapdConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i <= 0) throw new HotspotConfigError(`hostapd.conf: not a "key=value" line: ${JSON.stringify(line)}`);
    out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** What is wrong with a hostapd.conf from the point of view of quietcheck's security rules (empty: nothing). */
export function hostapdConfProblems(text: string): string[] {
  let conf: Map<string, string>;
  try {
    conf = parseHostapdConf(text);
  } catch (err) {
    return [(err as Error).message];
  }
  const problems: string[] = [];
  if (conf.get('wpa') !== '2') problems.push(`wpa must be 2 (WPA2 only), is ${conf.get('wpa') ?? 'missing'}`);
  if (conf.get('rsn_pairwise') !== 'CCMP') problems.push(`rsn_pairwise must be CCMP only, is ${conf.get('rsn_pairwise') ?? 'missing'}`);
  if (conf.has('wpa_pairwise')) problems.push('wpa_pairwise (the WPA1 cipher list) must not be set');
  for (const [k, v] of conf) if (/TKIP/i.test(v) && k !== 'ssid' && k !== 'wpa_passphrase') problems.push(`${k} enables TKIP`);
  const group = conf.get('group_cipher');
  if (group !== undefined && group !== 'CCMP') problems.push(`group_cipher must be CCMP, is ${group}`);
  if (conf.get('wpa_key_mgmt') !== 'WPA-PSK') problems.push(`wpa_key_mgmt must be WPA-PSK, is ${conf.get('wpa_key_mgmt') ?? 'missing'}`);
  const pass = conf.get('wpa_passphrase');
  if (pass === undefined) problems.push('wpa_passphrase is missing');
  else if (passwordProblem(pass) !== null) problems.push(passwordProblem(pass)!);
  const ssid = conf.get('ssid');
  if (ssid === undefined || ssidProblem(ssid) !== null) problems.push(ssid === undefined ? 'ssid is missing' : ssidProblem(ssid)!);
  if (conf.get('auth_algs') !== '1') problems.push('auth_algs must be 1 (open system authentication, no WEP shared key)');
  for (const k of ['wep_key0', 'wep_key1', 'wep_key2', 'wep_key3', 'wep_default_key']) if (conf.has(k)) problems.push(`${k} (WEP) must not be set`);
  const country = conf.get('country_code');
  if (country === undefined || countryProblem(country) !== null) problems.push('country_code must be a two-letter code');
  const channel = Number(conf.get('channel'));
  if (channelProblem(channel) !== null) problems.push(`channel ${conf.get('channel') ?? 'missing'} is not valid`);
  else if ((channel > 14 ? 'a' : 'g') !== conf.get('hw_mode')) problems.push(`hw_mode ${conf.get('hw_mode') ?? 'missing'} does not match channel ${channel}`);
  return problems;
}
