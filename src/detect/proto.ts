import type { ConnectionFact } from '../engine/facts.js';
import { displayHost, evConn, evHttp, finding, hostOfHeader, isIpLiteral, isLocalOnly, type Candidate, type Ctx } from './context.js';

/**
 * Protocol rules. They describe how traffic looks, not who it goes to, so they are low or moderate
 * and the allow-list silences them. TinyCheck flagged every UDP and ICMP flow (PROTO-01), which on a
 * modern phone means every QUIC and DNS packet; here only what no ordinary app produces is flagged.
 */

/** Ports on which a VPN rule (BEH-VPN) already speaks; repeating them as "unusual" adds nothing. */
export const VPN_PORTS: Record<number, { proto: 'udp' | 'tcp' | 'both'; name: string }> = {
  51820: { proto: 'udp', name: 'WireGuard' },
  1194: { proto: 'both', name: 'OpenVPN' },
  500: { proto: 'udp', name: 'IPsec' },
  4500: { proto: 'udp', name: 'IPsec' },
  1701: { proto: 'udp', name: 'L2TP' },
  1723: { proto: 'tcp', name: 'PPTP' },
};

/** Services the phone needs to reach an address it has not looked up: resolvers, time, the network itself. */
const INFRA_SERVICES = new Set(['dns', 'mdns', 'llmnr', 'dhcp', 'ntp']);
const INFRA_PORTS = new Set([53, 67, 68, 123, 137, 138, 853, 1900, 5353, 5355]);

function heuristic(ctx: Ctx, c: ConnectionFact) {
  const host = displayHost(ctx.facts, c);
  return { host, subject: { type: 'heuristic' as const, name: isIpLiteral(host) ? null : host, address: c.dst } };
}

/**
 * A flow whose server port is ephemeral and client port is well known was most likely captured from
 * its middle with the sides guessed the wrong way round: its "server port" says nothing.
 */
function looksReversed(c: ConnectionFact): boolean {
  return c.sport < 1024 && c.dport >= 32768;
}

export function protoRules(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  const cfg = ctx.config;
  const noDns = new Map<string, ConnectionFact[]>();
  for (const c of ctx.facts.connections) {
    if (isLocalOnly(c.dst) || isLocalOnly(c.src)) continue;
    const vpn = VPN_PORTS[c.dport];
    const isVpn = vpn !== undefined && (vpn.proto === 'both' || vpn.proto === c.proto);
    // PROTO-01, low: UDP outside ordinary services, or ICMP carrying data, is how tunnels and some
    // home-made spyware channels look; rare enough in phone traffic to mention, weak alone.
    if (c.proto === 'udp' && c.service === null && !isVpn && !cfg.knownUdpPorts.includes(c.dport) && !cfg.knownUdpPorts.includes(c.sport) && !looksReversed(c)) {
      const { host, subject } = heuristic(ctx, c);
      out.push({ finding: finding('PROTO-01', 'low', host, { proto: 'udp', port: c.dport, packets: c.packets, bytes: c.bytes }, [evConn(c)]), subject });
    }
    if ((c.proto === 'icmp' || c.proto === 'icmp6') && c.bytes >= cfg.icmpMinBytes) {
      const { host, subject } = heuristic(ctx, c);
      out.push({ finding: finding('PROTO-01', 'low', host, { proto: c.proto, port: 0, packets: c.packets, bytes: c.bytes }, [evConn(c)]), subject });
    }
    // PROTO-02, low: apps use 443; a raw TCP service on a high port is typical of cheap C2 servers,
    // but also of games and chat apps. TLS and HTTP have their own port rules (SSL-01, PROTO-04).
    if (
      c.proto === 'tcp' &&
      c.dport >= 1024 &&
      c.service !== 'tls' &&
      c.service !== 'http' &&
      !isVpn &&
      !cfg.commonTcpPorts.includes(c.dport) &&
      !cfg.standardTlsPorts.includes(c.dport) &&
      !cfg.standardHttpPorts.includes(c.dport) &&
      !looksReversed(c)
    ) {
      const { host, subject } = heuristic(ctx, c);
      out.push({ finding: finding('PROTO-02', 'low', host, { port: c.dport, proto: 'tcp' }, [evConn(c)]), subject });
    }
    // PROTO-05 is gathered per address: one finding for a server, however many connections.
    if ((c.proto === 'tcp' || c.proto === 'udp') && !(c.service !== null && INFRA_SERVICES.has(c.service)) && !INFRA_PORTS.has(c.dport) && !looksReversed(c)) {
      if ((ctx.facts.addressNames[c.dst] ?? []).length === 0) {
        const l = noDns.get(c.dst);
        if (l) l.push(c);
        else noDns.set(c.dst, [c]);
      }
    }
  }
  // PROTO-05, low: an address used without a lookup is either hard-coded (spyware that must work
  // when its domains are seized does this) or was looked up before the capture began, which is
  // common for short captures: that is why it stays low.
  for (const [addr, conns] of noDns) {
    const first = conns[0]!;
    const host = displayHost(ctx.facts, first);
    out.push({
      finding: finding('PROTO-05', 'low', host, { address: addr, port: first.dport, proto: first.proto, connections: conns.length }, conns.map(evConn)),
      subject: { type: 'heuristic', name: isIpLiteral(host) ? null : host, address: addr },
    });
  }
  for (const h of ctx.facts.http) {
    if (isLocalOnly(h.server)) continue;
    const host = hostOfHeader(h.host) || h.server;
    const subject = { type: 'heuristic' as const, name: isIpLiteral(host) ? null : host, address: h.server };
    if (cfg.standardHttpPorts.includes(h.dport)) {
      // PROTO-03, low: anything sent in plain HTTP can be read on the way; most apps stopped, some
      // spyware did not. Common enough (OS connectivity checks, old apps) to stay low.
      out.push({ finding: finding('PROTO-03', 'low', host, { port: h.dport, requests: 1 }, [evHttp(h)]), subject });
    } else {
      // PROTO-04, moderate (TinyCheck's level): plain HTTP on an odd port is rare in apps from a store.
      out.push({ finding: finding('PROTO-04', 'moderate', host, { port: h.dport, requests: 1 }, [evHttp(h)]), subject });
    }
  }
  return out;
}
