/**
 * Parsers for what nmcli, iw and ip print, kept free of side effects so they are tested on sample output.
 */

/** Splits one line of `nmcli -t` (terse) output: fields separated by ':', with '\:' and '\\' escaped. */
export function splitTerse(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export type Security = 'open' | 'wep' | 'wpa' | 'wpa2' | 'wpa3' | 'enterprise';

export interface WifiNetwork {
  ssid: string;
  bssid: string | null;
  /** 0–100, as NetworkManager shows it. */
  signal: number;
  /** dBm when the scan gave it (iw). */
  dbm: number | null;
  security: Security;
  channel: number | null;
  inUse: boolean;
  device: string | null;
}

function securityFrom(text: string): Security {
  const t = text.toUpperCase();
  if (/802\.1X|EAP/.test(t)) return 'enterprise';
  if (/WPA3|SAE/.test(t)) return 'wpa3';
  if (/WPA2|RSN/.test(t)) return 'wpa2';
  if (/WPA/.test(t)) return 'wpa';
  if (/WEP/.test(t)) return 'wep';
  return 'open';
}

/** The strongest entry per network name first; hidden networks (empty names) left out. */
function dedupe(list: WifiNetwork[]): WifiNetwork[] {
  const best = new Map<string, WifiNetwork>();
  for (const n of list) {
    if (n.ssid === '') continue;
    const b = best.get(n.ssid);
    // dBm where known: the percentage saturates at -50 dBm.
    const score = (x: WifiNetwork): number => x.dbm ?? x.signal / 2 - 100;
    if (b === undefined || score(n) > score(b)) best.set(n.ssid, { ...n, inUse: n.inUse || (b?.inUse ?? false) });
    else if (n.inUse) b.inUse = true;
  }
  return [...best.values()].sort((a, b) => b.signal - a.signal || a.ssid.localeCompare(b.ssid));
}

/** Fields asked of nmcli, in this order: `nmcli -t -f IN-USE,BSSID,SSID,SIGNAL,SECURITY,CHAN,DEVICE device wifi list`. */
export const NMCLI_WIFI_FIELDS = 'IN-USE,BSSID,SSID,SIGNAL,SECURITY,CHAN,DEVICE';

export function parseNmcliWifiList(text: string): WifiNetwork[] {
  const out: WifiNetwork[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = splitTerse(line);
    if (f.length < 7) continue;
    const [inUse, bssid, ssid, signal, security, chan, device] = f as [string, string, string, string, string, string, string];
    out.push({
      ssid,
      bssid: bssid === '' ? null : bssid.toLowerCase(),
      signal: Math.max(0, Math.min(100, Number(signal) || 0)),
      dbm: null,
      security: security === '' || security === '--' ? 'open' : securityFrom(security),
      channel: /^\d+$/.test(chan) ? Number(chan) : null,
      inUse: inUse.trim() === '*',
      device: device === '' ? null : device,
    });
  }
  return dedupe(out);
}

export function channelOfFrequency(mhz: number): number | null {
  if (mhz === 2484) return 14;
  if (mhz >= 2412 && mhz <= 2472) return (mhz - 2407) / 5;
  if (mhz >= 5160 && mhz <= 5885) return (mhz - 5000) / 5;
  if (mhz >= 5955 && mhz <= 7115) return (mhz - 5950) / 5;
  return null;
}

/** dBm to NetworkManager's 0–100 scale (-100 dBm or less: 0, -50 dBm or more: 100). */
export function dbmToPercent(dbm: number): number {
  return Math.max(0, Math.min(100, Math.round(2 * (dbm + 100))));
}

/** Decodes the \xNN escapes iw prints for bytes outside printable ASCII in an SSID. */
function iwSsid(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `iw dev <iface> scan` output. */
export function parseIwScan(text: string, device: string | null = null): WifiNetwork[] {
  const out: WifiNetwork[] = [];
  let cur: (WifiNetwork & { privacy: boolean; rsn: boolean; wpa: boolean; sae: boolean; eap: boolean }) | null = null;
  const finish = (): void => {
    if (cur === null) return;
    const sec: Security = cur.eap ? 'enterprise' : cur.sae ? 'wpa3' : cur.rsn ? 'wpa2' : cur.wpa ? 'wpa' : cur.privacy ? 'wep' : 'open';
    out.push({ ssid: cur.ssid, bssid: cur.bssid, signal: cur.signal, dbm: cur.dbm, security: sec, channel: cur.channel, inUse: cur.inUse, device });
    cur = null;
  };
  let section = '';
  for (const raw of text.split('\n')) {
    const bss = /^BSS ([0-9a-fA-F:]{17})(?:\(on [^)]*\))?(.*)$/.exec(raw);
    if (bss) {
      finish();
      cur = {
        ssid: '', bssid: bss[1]!.toLowerCase(), signal: 0, dbm: null, security: 'open', channel: null,
        inUse: /associated/.test(bss[2] ?? ''), device, privacy: false, rsn: false, wpa: false, sae: false, eap: false,
      };
      section = '';
      continue;
    }
    if (cur === null) continue;
    const line = raw.trim();
    const top = /^\t(?!\t)([^:*]+):/.exec(raw);
    if (top) section = top[1]!.trim();
    let m: RegExpExecArray | null;
    if ((m = /^SSID: ?(.*)$/.exec(line)) && section === 'SSID') cur.ssid = iwSsid(m[1]!);
    else if ((m = /^signal: (-?\d+(?:\.\d+)?) dBm/.exec(line))) {
      cur.dbm = Number(m[1]);
      cur.signal = dbmToPercent(cur.dbm);
    } else if ((m = /^freq: (\d+(?:\.\d+)?)/.exec(line))) cur.channel = channelOfFrequency(Math.round(Number(m[1])));
    else if ((m = /^\* primary channel: (\d+)/.exec(line))) cur.channel = Number(m[1]);
    else if (/^capability:.*\bPrivacy\b/.test(line)) cur.privacy = true;
    else if (/^RSN:/.test(line)) cur.rsn = true;
    else if (/^WPA:/.test(line)) cur.wpa = true;
    else if ((m = /^\* Authentication suites: (.*)$/.exec(line))) {
      if (/SAE/.test(m[1]!)) cur.sae = true;
      if (/IEEE 802\.1X/.test(m[1]!)) cur.eap = true;
    }
  }
  finish();
  return dedupe(out);
}

export interface NmDevice {
  device: string;
  type: string;
  state: string;
  connection: string | null;
}

/** `nmcli -t -f DEVICE,TYPE,STATE,CONNECTION device status`. */
export function parseNmcliDeviceStatus(text: string): NmDevice[] {
  const out: NmDevice[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = splitTerse(line);
    if (f.length < 3) continue;
    out.push({ device: f[0]!, type: f[1]!, state: f[2]!, connection: f[3] === undefined || f[3] === '' || f[3] === '--' ? null : f[3] });
  }
  return out;
}

/** True when NetworkManager manages the device (any state but unmanaged/unavailable-and-absent). */
export function nmManages(devices: NmDevice[], iface: string): boolean {
  const d = devices.find((x) => x.device === iface);
  return d !== undefined && !/^unmanaged/.test(d.state);
}

export interface IpLink {
  ifname: string;
  operstate: string;
  linkType: string;
  address: string | null;
  flags: string[];
  ipv4: { local: string; prefixlen: number }[];
}

/** `ip -j addr show`. */
export function parseIpAddrJson(text: string): IpLink[] {
  const raw = JSON.parse(text) as Array<Record<string, unknown>>;
  return raw.map((l) => ({
    ifname: String(l['ifname']),
    operstate: String(l['operstate'] ?? 'UNKNOWN'),
    linkType: String(l['link_type'] ?? ''),
    address: typeof l['address'] === 'string' ? (l['address'] as string) : null,
    flags: Array.isArray(l['flags']) ? (l['flags'] as string[]) : [],
    ipv4: (Array.isArray(l['addr_info']) ? (l['addr_info'] as Array<Record<string, unknown>>) : [])
      .filter((a) => a['family'] === 'inet')
      .map((a) => ({ local: String(a['local']), prefixlen: Number(a['prefixlen']) })),
  }));
}

/** `ip -j route show default`: the interface of the first default route. */
export function parseDefaultRoute(text: string): { dev: string; gateway: string | null } | null {
  const raw = JSON.parse(text) as Array<Record<string, unknown>>;
  const r = raw.find((x) => x['dst'] === 'default' && typeof x['dev'] === 'string');
  return r ? { dev: String(r['dev']), gateway: typeof r['gateway'] === 'string' ? (r['gateway'] as string) : null } : null;
}
