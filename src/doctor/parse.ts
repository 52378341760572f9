/**
 * Parsers for what `doctor` reads from the system: `iw list`, `getcap`, /proc/self/status and
 * /proc/net/route. Pure functions over text, so real-world outputs can be tested on a machine without
 * the hardware.
 */

export interface Wiphy {
  /** phy0 */
  name: string;
  /** Every mode under "Supported interface modes". */
  modes: string[];
  /** The radio can be an access point ("* AP", not to be confused with "* AP/VLAN"). */
  ap: boolean;
  /** Bands with at least one channel that is not disabled, as their frequency range ("2.4 GHz", "5 GHz", "6 GHz"). */
  bands: string[];
  /** A combination allows an AP beside a managed (client) interface: one radio, hotspot and uplink at once. */
  apWithManaged: boolean;
}

const BAND_NAMES: [number, number, string][] = [
  [2400, 2500, '2.4 GHz'],
  [4900, 5900, '5 GHz'],
  [5925, 7125, '6 GHz'],
  [57000, 71000, '60 GHz'],
];

/** Parses `iw list` (or `iw phy`): one entry per "Wiphy phyN" block. */
export function parseIwList(text: string): Wiphy[] {
  const out: Wiphy[] = [];
  let cur: (Wiphy & { bandSet: Set<string> }) | null = null;
  let section: 'modes' | 'combos' | 'freqs' | null = null;
  let sectionIndent = 0;
  const finish = (): void => {
    if (cur !== null) {
      const { bandSet, ...w } = cur;
      w.bands = BAND_NAMES.map((b) => b[2]).filter((b) => bandSet.has(b));
      out.push(w);
    }
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const m = /^Wiphy\s+(\S+)/.exec(line);
    if (m) {
      finish();
      cur = { name: m[1]!, modes: [], ap: false, bands: [], apWithManaged: false, bandSet: new Set() };
      section = null;
      continue;
    }
    if (cur === null || line === '') continue;
    const indent = /^\s*/.exec(line)![0].replace(/\t/g, '        ').length;
    const body = line.trim();
    if (section !== null && indent <= sectionIndent && !(section === 'combos' && /^total|^#/.test(body))) section = null;
    if (section === null) {
      if (/^Supported interface modes:$/.test(body)) {
        section = 'modes';
        sectionIndent = indent;
      } else if (/^valid interface combinations:$/.test(body)) {
        section = 'combos';
        sectionIndent = indent;
      } else if (/^Frequencies:$/.test(body)) {
        section = 'freqs';
        sectionIndent = indent;
      }
      continue;
    }
    if (section === 'modes') {
      const b = /^\*\s+(.+)$/.exec(body);
      if (b) {
        cur.modes.push(b[1]!);
        if (b[1] === 'AP') cur.ap = true;
      }
    } else if (section === 'combos') {
      // "* #{ managed } <= 1, #{ AP, P2P-client, P2P-GO } <= 1," then "total <= 3, #channels <= 1"
      const groups = [...body.matchAll(/#\{\s*([^}]*)\}\s*<=\s*(\d+)/g)].map((g) => g[1]!.split(',').map((s) => s.trim()));
      const total = /total\s*<=\s*(\d+)/.exec(body);
      const managed = groups.some((g) => g.includes('managed'));
      const ap = groups.some((g) => g.includes('AP'));
      const sameGroup = groups.some((g) => g.includes('AP') && g.includes('managed'));
      if (managed && ap && !sameGroup && (total === null || Number(total[1]) >= 2)) cur.apWithManaged = true;
    } else if (section === 'freqs') {
      const f = /^\*\s+(\d+(?:\.\d+)?)\s*MHz/.exec(body);
      if (f && !/\(disabled\)/.test(body)) {
        const mhz = Number(f[1]);
        for (const [lo, hi, name] of BAND_NAMES) if (mhz >= lo && mhz <= hi) cur.bandSet.add(name);
      }
    }
  }
  finish();
  return out;
}

/** Capability bits (linux/capability.h). */
export const CAP_NET_ADMIN = 12;
export const CAP_NET_RAW = 13;
export const CAP_NET_BIND_SERVICE = 10;

/** The effective capability set from /proc/<pid>/status ("CapEff:\t000001ffffffffff"). */
export function capEff(status: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-f]+)\s*$/im.exec(status);
  return m ? BigInt(`0x${m[1]}`) : null;
}

export function hasCap(set: bigint, bit: number): boolean {
  return (set & (1n << BigInt(bit))) !== 0n;
}

/** The effective uid from /proc/<pid>/status ("Uid:\treal\teffective\tsaved\tfs"). */
export function euid(status: string): number | null {
  const m = /^Uid:\s*(\d+)\s+(\d+)/m.exec(status);
  return m ? Number(m[2]) : null;
}

/**
 * File capabilities as `getcap` prints them: libcap 2.4x "/usr/bin/tcpdump cap_net_admin,cap_net_raw=eip",
 * older "/usr/bin/tcpdump = cap_net_admin,cap_net_raw+eip". Only capabilities both permitted and
 * effective count: those are what the program gets when it starts.
 */
export function parseGetcap(text: string): Set<string> {
  const out = new Set<string>();
  const line = text.split('\n').find((l) => /cap_/.test(l));
  if (line === undefined) return out;
  const spec = line.replace(/^\S+\s*(=\s*)?/, '').trim();
  for (const clause of spec.split(/\s+/)) {
    const m = /^([a-z_,]+)([=+])([eip]*)$/.exec(clause);
    if (!m) continue;
    if (!(m[3]!.includes('e') && m[3]!.includes('p'))) continue;
    for (const c of m[1]!.split(',')) out.add(c);
  }
  return out;
}

/** Interfaces holding a default route, IPv4 from /proc/net/route ("Iface Destination Gateway Flags …", hex). */
export function defaultRouteInterfaces(route: string): string[] {
  const out: string[] = [];
  for (const line of route.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3]!, 16);
    // RTF_UP (1); destination and mask 0: the default route.
    if (f[1] === '00000000' && f[7] === '00000000' && (flags & 1) === 1 && !out.includes(f[0]!)) out.push(f[0]!);
  }
  return out;
}

/** The same from /proc/net/ipv6_route (destination ::/0, not the unreachable loopback entry). */
export function defaultRouteInterfaces6(route: string): string[] {
  const out: string[] = [];
  for (const line of route.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    if (f[0] === '0'.repeat(32) && f[1] === '00' && f[9] !== 'lo' && !out.includes(f[9]!)) out.push(f[9]!);
  }
  return out;
}

export interface NmDevice {
  device: string;
  type: string;
  state: string;
}

/** `nmcli -t -f DEVICE,TYPE,STATE device` ("wlan0:wifi:connected"; colons in names escaped as "\:"). */
export function parseNmcliDevices(text: string): NmDevice[] {
  const out: NmDevice[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(/(?<!\\):/).map((s) => s.replace(/\\:/g, ':'));
    if (f.length < 3) continue;
    out.push({ device: f[0]!, type: f[1]!, state: f[2]! });
  }
  return out;
}
