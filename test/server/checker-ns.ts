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
import { apiIn, CheckerNamespace, cleanCheckerNamespaces, ip, type ApiRes, type Result } from '../helpers/netns.js';
import type { Lab } from '../lab/lab.js';

const PREFIX = 'qcs';

/** Checker namespaces of test runs whose process died (named after the owning pid). */
export function cleanCheckerLeftovers(): void {
  cleanCheckerNamespaces(PREFIX);
}

export const PHONE_ADDR = '10.201.0.2';
const CHECKER_PHONE_SIDE = '10.201.0.1';
const CHECKER_INET_SIDE = '10.202.0.1';
const INET_CHECKER_SIDE = '10.202.0.2';

export class Checker extends CheckerNamespace {
  /** The checker's veth towards the phone: where quietcheck captures. */
  readonly phoneIface: string;

  constructor(private readonly lab: Lab) {
    super(PREFIX);
    this.phoneIface = `qcs${lab.id}cp`;
  }

  static build(lab: Lab): Checker {
    return new Checker(lab).init();
  }

  protected setUp(): void {
    const { lab, ns } = this;
    const phone = lab.phone;
    const id = lab.id;
    const phoneSide = `qcs${id}pc`;
    const inetSide = `qcs${id}ic`;
    const checkerInet = `qcs${id}ci`;
    ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);

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
  override run(cmd: string, args: string[], timeoutMs = 60_000): Promise<Result> {
    return super.run(cmd, args, timeoutMs);
  }

  /**
   * An API call from inside the checker (the server listens on the checker's own 127.0.0.1, as on
   * the kiosk machine). Resolves to the status and the body.
   */
  api(port: number, method: string, path: string, body?: object): Promise<ApiRes> {
    return apiIn(this.ns, port, method, path, body);
  }
}
