/**
 * A "checker" network namespace put between the lab's phone and its internet, on top of test/lab:
 *
 *   phone ns (10.201.0.2) ──veth── (10.201.0.1) checker ns (10.202.0.1) ──veth── (10.202.0.2) internet ns
 *
 * The lab wires the phone straight to the internet namespace; here that link is taken down on the phone's
 * side and the phone's default route goes through the checker, which forwards. The internet namespace
 * keeps its addresses (dnsmasq still answers on 10.200.0.1, the servers on 10.200.100.x), reached by
 * routing, so the phone's resolver and the lab's servers need no change. `quietcheck serve` runs in the
 * checker and captures on its phone-side veth, as on a laptop sharing its connection.
 */
import { execFile, spawnSync } from 'node:child_process';
import { removeDeadNamespaces, removeNamespace, type Lab } from '../lab/lab.js';

const NS_RE = /^qcs-(\d+)-chk$/;

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr ?? '').trim()}`);
}


/** Checker namespaces of test runs whose process died (named after the owning pid). */
export function cleanCheckerLeftovers(): void {
  removeDeadNamespaces(NS_RE);
}

export const PHONE_ADDR = '10.201.0.2';
const CHECKER_PHONE_SIDE = '10.201.0.1';
const CHECKER_INET_SIDE = '10.202.0.1';
const INET_CHECKER_SIDE = '10.202.0.2';

export class Checker {
  readonly ns: string;
  /** The checker's veth towards the phone: where quietcheck captures. */
  readonly phoneIface: string;
  private readonly exitHandler = (): void => this.destroy();
  private destroyed = false;

  constructor(private readonly lab: Lab) {
    this.ns = `qcs-${process.pid}-chk`;
    this.phoneIface = `qcs${lab.id}cp`;
  }

  static build(lab: Lab): Checker {
    cleanCheckerLeftovers();
    const c = new Checker(lab);
    process.once('exit', c.exitHandler);
    try {
      c.setUp();
    } catch (err) {
      c.destroy();
      throw err;
    }
    return c;
  }

  private setUp(): void {
    const { lab, ns } = this;
    const phone = lab.phone;
    const id = lab.id;
    const phoneSide = `qcs${id}pc`;
    const inetSide = `qcs${id}ic`;
    const checkerInet = `qcs${id}ci`;
    ip(['netns', 'add', ns]);
    for (const key of ['all', 'default']) ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
    ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    ip(['-n', ns, 'link', 'set', 'lo', 'up']);

    ip(['link', 'add', phoneSide, 'netns', phone.ns, 'type', 'veth', 'peer', 'name', this.phoneIface, 'netns', ns]);
    ip(['link', 'add', checkerInet, 'netns', ns, 'type', 'veth', 'peer', 'name', inetSide, 'netns', lab.inetNs]);
    ip(['-n', phone.ns, 'addr', 'add', `${PHONE_ADDR}/24`, 'dev', phoneSide]);
    ip(['-n', ns, 'addr', 'add', `${CHECKER_PHONE_SIDE}/24`, 'dev', this.phoneIface]);
    ip(['-n', ns, 'addr', 'add', `${CHECKER_INET_SIDE}/30`, 'dev', checkerInet]);
    ip(['-n', lab.inetNs, 'addr', 'add', `${INET_CHECKER_SIDE}/30`, 'dev', inetSide]);
    for (const [n, dev] of [[phone.ns, phoneSide], [ns, this.phoneIface], [ns, checkerInet], [lab.inetNs, inetSide]] as const) ip(['-n', n, 'link', 'set', dev, 'up']);

    // The phone's direct link goes down (its routes with it); everything now goes through the checker.
    ip(['-n', phone.ns, 'link', 'set', phone.iface, 'down']);
    ip(['-n', phone.ns, 'route', 'add', 'default', 'via', CHECKER_PHONE_SIDE]);
    ip(['-n', ns, 'route', 'add', '10.200.0.0/16', 'via', INET_CHECKER_SIDE]);
    ip(['-n', lab.inetNs, 'route', 'add', '10.201.0.0/24', 'via', CHECKER_INET_SIDE]);
  }

  /** Runs a command in the checker namespace. */
  run(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile('ip', ['netns', 'exec', this.ns, cmd, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /**
   * An API call from inside the checker (the server listens on the checker's own 127.0.0.1, as on
   * the kiosk machine). Resolves to the status and the body.
   */
  async api(port: number, method: string, path: string, body?: object): Promise<{ status: number; body: string; json<T = any>(): T }> {
    const args = ['-sS', '--max-time', '60', '-X', method, '-o', '-', '-w', '\n%{http_code}'];
    if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(body));
    args.push(`http://127.0.0.1:${port}${path}`);
    const r = await this.run('curl', args, 70_000);
    if (r.code !== 0) throw new Error(`curl ${method} ${path} in ${this.ns}: ${r.stderr.trim()}`);
    const i = r.stdout.lastIndexOf('\n');
    const text = r.stdout.slice(0, i);
    return { status: Number(r.stdout.slice(i + 1)), body: text, json: () => JSON.parse(text) };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.removeListener('exit', this.exitHandler);
    removeNamespace(this.ns);
  }
}
