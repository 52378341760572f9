/**
 * The hotspot test rig, on top of the network lab (test/lab): a "checker" namespace between the lab's phone
 * and its internet, wired like a kiosk whose Wi-Fi is a veth:
 *
 *   phone ns  [qh<id>p: DHCP client] ──veth── [qh<id>h: quietcheck's hotspot] checker ns [qh<id>u 10.203.0.1/30] ──veth── [10.203.0.2/30] internet ns
 *
 * The phone's direct lab link goes down; it has no address until quietcheck's dnsmasq gives it one. The
 * checker's default route is the internet namespace, its resolver the lab's dnsmasq (10.200.0.1). The
 * internet namespace has NO route back to the hotspot's network: a phone reaching a server proves NAT.
 * Every address is private and lives only inside these namespaces; nft runs inside the checker only.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiIn, CheckerNamespace, cleanCheckerNamespaces, ip, runIn, type ApiRes, type Result } from '../helpers/netns.js';
import type { Lab } from '../lab/lab.js';

export { runIn, type ApiRes, type Result };

const PREFIX = 'qch';
export const CHECKER_UPLINK = '10.203.0.1';
const INET_SIDE = '10.203.0.2';

/** Checker namespaces of hotspot test runs whose process died. */
export function cleanRigLeftovers(): void {
  cleanCheckerNamespaces(PREFIX);
}

export class Rig extends CheckerNamespace {
  /** The checker's end of the phone link: quietcheck's hotspot interface. */
  readonly hotspotIface: string;
  readonly uplinkIface: string;
  /** The phone's end, and its MAC. */
  readonly phoneIface: string;
  readonly phoneMac = '02:51:c0:ff:ee:07';
  readonly inetIface: string;
  private readonly jar: string;
  private csrf = '';

  constructor(
    readonly lab: Lab,
    private readonly dir: string,
  ) {
    super(PREFIX);
    this.hotspotIface = `qh${lab.id}h`;
    this.uplinkIface = `qh${lab.id}u`;
    this.phoneIface = `qh${lab.id}p`;
    this.inetIface = `qh${lab.id}i`;
    this.jar = join(dir, 'cookies.txt');
  }

  static build(lab: Lab, dir: string): Rig {
    return new Rig(lab, dir).init();
  }

  protected setUp(): void {
    const { lab, ns } = this;
    const phone = lab.phone;
    ip(['link', 'add', this.phoneIface, 'netns', phone.ns, 'address', this.phoneMac, 'type', 'veth', 'peer', 'name', this.hotspotIface, 'netns', ns]);
    ip(['link', 'add', this.uplinkIface, 'netns', ns, 'type', 'veth', 'peer', 'name', this.inetIface, 'netns', lab.inetNs]);
    ip(['-n', ns, 'addr', 'add', `${CHECKER_UPLINK}/30`, 'dev', this.uplinkIface]);
    ip(['-n', lab.inetNs, 'addr', 'add', `${INET_SIDE}/30`, 'dev', this.inetIface]);
    for (const [n, dev] of [[phone.ns, this.phoneIface], [ns, this.uplinkIface], [lab.inetNs, this.inetIface]] as const) ip(['-n', n, 'link', 'set', dev, 'up']);
    // The hotspot interface stays down and without address: quietcheck brings it up.
    ip(['-n', phone.ns, 'link', 'set', phone.iface, 'down']);
    ip(['-n', ns, 'route', 'add', 'default', 'via', INET_SIDE]);
    // The checker's own resolver: the lab's dnsmasq, which quietcheck's dnsmasq forwards to.
    const etc = join('/etc/netns', ns);
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'resolv.conf'), 'nameserver 10.200.0.1\noptions timeout:1 attempts:2\n');
  }

  /** The API from inside the checker (as the kiosk's own browser), with the admin session once logged in. */
  async api(port: number, method: string, path: string, body?: object): Promise<ApiRes> {
    return apiIn(this.ns, port, method, path, body, ['-b', this.jar, '-c', this.jar, ...(this.csrf !== '' ? ['-H', `x-csrf-token: ${this.csrf}`] : [])]);
  }

  async login(port: number, password: string): Promise<void> {
    const r = await this.api(port, 'POST', '/api/admin/login', { password });
    if (r.status !== 200) throw new Error(`login: ${r.status} ${r.body}`);
    this.csrf = r.json().csrfToken;
  }

  /** The first Server-Sent Event "status" of a check, read from inside the checker. */
  async firstEvent(port: number, path: string): Promise<any> {
    const r = await this.run('curl', ['-sS', '-N', '--max-time', '2', `http://127.0.0.1:${port}${path}`], 10_000);
    const m = /event: status\ndata: (.*)\n/.exec(r.stdout);
    if (!m) throw new Error(`no status event from ${path}: ${r.stdout.slice(0, 300)} ${r.stderr}`);
    return JSON.parse(m[1]!);
  }

  /** `nft list tables` inside the checker. */
  async tables(): Promise<string> {
    const r = await this.run('nft', ['list', 'tables']);
    return r.stdout;
  }

  /**
   * A real DHCP client in the phone (busybox udhcpc) asking with `hostname`; configures the phone's
   * address, route and resolver from the answer. Resolves to the address, router and DNS server given.
   */
  async dhcp(hostname: string): Promise<{ ip: string; router: string; dns: string }> {
    const out = join(this.dir, 'lease.txt');
    rmSync(out, { force: true });
    const script = join(this.dir, 'udhcpc.sh');
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'case "$1" in',
        '  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;',
        '  bound|renew)',
        '    ip addr flush dev "$interface"',
        '    ip addr add "$ip/$mask" dev "$interface"',
        '    ip route replace default via "$router" dev "$interface"',
        `    echo "$ip $router $dns" > ${out} ;;`,
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(script, 0o755);
    const r = await runIn(this.lab.phone.ns, 'busybox', ['udhcpc', '-f', '-q', '-n', '-t', '8', '-T', '1', '-i', this.phoneIface, '-s', script, '-x', `hostname:${hostname}`], 30_000);
    let line = '';
    try {
      line = readFileSync(out, 'utf8').trim();
    } catch {
      throw new Error(`udhcpc got no lease (${r.code}): ${r.stdout}${r.stderr}`);
    }
    const [addr, router, dns] = line.split(/\s+/) as [string, string, string];
    writeFileSync(join('/etc/netns', this.lab.phone.ns, 'resolv.conf'), `nameserver ${dns}\noptions timeout:1 attempts:2\n`);
    return { ip: addr, router, dns };
  }

  /** A second device on the phone's link (another MAC, a fixed address), for "only the phone is recorded". */
  addOtherDevice(address: string, mac: string): string {
    const dev = `qh${this.lab.id}o`;
    ip(['-n', this.lab.phone.ns, 'link', 'add', 'link', this.phoneIface, 'name', dev, 'address', mac, 'type', 'macvlan', 'mode', 'bridge']);
    ip(['-n', this.lab.phone.ns, 'addr', 'add', `${address}/24`, 'dev', dev]);
    ip(['-n', this.lab.phone.ns, 'link', 'set', dev, 'up']);
    return dev;
  }

  /** tcpdump in the internet namespace on its link to the checker, until `stop`. */
  async watchInternet(file: string): Promise<{ stop(): Promise<string> }> {
    const child = spawn('ip', ['netns', 'exec', this.lab.inetNs, 'tcpdump', '-i', this.inetIface, '-n', '-U', '--immediate-mode', '-w', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const end = Date.now() + 10_000;
    while (!/listening on/.test(err)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`tcpdump in the internet namespace: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      stop: async () => {
        await new Promise((r) => setTimeout(r, 300));
        try {
          process.kill(-child.pid!, 'SIGINT');
        } catch {
          /* gone */
        }
        await exited;
        return err;
      },
    };
  }
}
