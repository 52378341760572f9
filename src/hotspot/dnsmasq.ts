/**
 * quietcheck's own dnsmasq for the hotspot: DHCP on the hotspot interface only, DNS forwarded to the
 * machine's resolvers (hotspot mode) or every name answered with the hotspot's own address (sinkhole
 * mode). It logs to stderr; the DHCPACK lines say which device joined, with its MAC, address and the name
 * it gave in its DHCP request.
 */
import { HotspotSystemError } from './run.js';
export interface DnsmasqPlan {
  iface: string;
  address: string;
  prefix: number;
  /** First and last address handed out. */
  rangeStart: string;
  rangeEnd: string;
  leaseFile: string;
  mode: 'hotspot' | 'sinkhole';
  /** Upstream resolvers; empty: those of /etc/resolv.conf (hotspot mode only). */
  upstream: string[];
  leaseSeconds?: number;
}

/** The address `offset` after the network address of `address/prefix`. */
export function hostInNet(address: string, prefix: number, offset: number): string {
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const v = (((n & mask) >>> 0) + offset) >>> 0;
  return [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
}

export function netmaskOf(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
}

export function dnsmasqArgs(p: DnsmasqPlan): string[] {
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-hosts',
    '--pid-file=',
    '--log-facility=-',
    '--log-dhcp',
    `--interface=${p.iface}`,
    '--bind-interfaces',
    `--listen-address=${p.address}`,
    '--except-interface=lo',
    `--dhcp-range=${p.rangeStart},${p.rangeEnd},${netmaskOf(p.prefix)},${p.leaseSeconds ?? 3600}`,
    `--dhcp-option=option:router,${p.address}`,
    `--dhcp-option=option:dns-server,${p.address}`,
    `--dhcp-leasefile=${p.leaseFile}`,
    // A phone that asks for its previous address (from another network) gets a NAK and starts over.
    '--dhcp-authoritative',
    '--cache-size=0',
    // Names are what the check records: log every query and its answer.
    '--log-queries',
  ];
  if (p.mode === 'sinkhole') {
    // No resolver upstream at all: every name is this machine (AAAA queries get an empty answer).
    args.push('--no-resolv', `--address=/#/${p.address}`);
  } else if (p.upstream.length > 0) {
    args.push('--no-resolv', ...p.upstream.map((s) => `--server=${s}`));
  }
  return args;
}

/** CAP_NET_BIND_SERVICE's bit number (linux/capability.h). */
const CAP_NET_BIND_SERVICE = 10n;

/**
 * What to tell the admin when dnsmasq stopped at start-up, from its output: the cause and the fix first,
 * dnsmasq's own last line after. Null when the output names no cause known here.
 * `capEff`: quietcheck's effective capabilities (dnsmasq inherits them), to say which one is missing.
 */
export function dnsmasqFailure(output: string, capEff: bigint | null): HotspotSystemError | null {
  const lines = output.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const said = lines.filter((l) => /failed|denied|in use|cannot|unknown interface|illegal|bad /i.test(l)).slice(-1)[0] ?? lines.slice(-1)[0] ?? 'no output';
  if (/failed to (create listening|bind DHCP server) socket.*Permission denied|Permission denied.*port (53|67)/i.test(output)) {
    const missing = capEff !== null && (capEff & (1n << CAP_NET_BIND_SERVICE)) === 0n;
    return new HotspotSystemError(
      `the hotspot's DHCP and DNS server (dnsmasq) may not use ports 67 and 53: ${missing ? 'quietcheck runs without CAP_NET_BIND_SERVICE' : 'binding them was refused'}. ` +
        'Run quietcheck as its systemd service (deploy/quietcheck.service grants CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE; reinstall it with deploy/install.sh if it is older), ' +
        `or with sudo. (dnsmasq said: ${said})`,
      'no-bind-permission',
    );
  }
  if (/Address already in use/i.test(output)) {
    return new HotspotSystemError(
      'another DNS or DHCP server on this machine holds port 53 or 67 on every interface, so the hotspot\'s own dnsmasq cannot start. ' +
        'Stop it or make it listen on its own interfaces only (for Debian\'s dnsmasq service: sudo systemctl disable --now dnsmasq; quietcheck needs only dnsmasq-base), ' +
        `then start the check again. (dnsmasq said: ${said})`,
      'port-in-use',
    );
  }
  return null;
}

export interface LeaseEvent {
  mac: string;
  ip: string;
  hostname: string | null;
  iface: string;
}

const ACK_RE = /DHCPACK\(([^)\s]+)\)\s+(\d{1,3}(?:\.\d{1,3}){3})\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})(?:\s+(\S.*?))?\s*$/;

/** A DHCPACK line of dnsmasq's log, or null for any other line. */
export function parseLeaseLine(line: string): LeaseEvent | null {
  const m = ACK_RE.exec(line);
  if (m === null) return null;
  const name = m[4]?.trim() ?? '';
  return { iface: m[1]!, ip: m[2]!, mac: m[3]!.toLowerCase(), hostname: name === '' ? null : cleanHostname(name) };
}

/** dnsmasq's leases file: `expiry mac ip hostname client-id` per line, `*` for no name. */
export function parseLeasesFile(text: string): Omit<LeaseEvent, 'iface'>[] {
  const out: Omit<LeaseEvent, 'iface'>[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(f[1]!)) continue;
    out.push({ mac: f[1]!.toLowerCase(), ip: f[2]!, hostname: f[3] === '*' ? null : cleanHostname(f[3]!) });
  }
  return out;
}

/** A device's self-given name is shown on screen: printable, at most 63 characters. */
function cleanHostname(s: string): string | null {
  const c = s.replace(/[^\x20-\x7e]/g, '').slice(0, 63).trim();
  return c === '' ? null : c;
}
