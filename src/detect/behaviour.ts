import type { ConnectionFact } from '../engine/facts.js';
import { VPN_PORTS } from './proto.js';
import {
  connectionOf,
  displayHost,
  evConn,
  evDns,
  evHttp,
  evQuic,
  evTls,
  finding,
  hostOfHeader,
  isIpLiteral,
  isLocalOnly,
  lowerName,
  namesOf,
  underDomain,
  type Candidate,
  type Ctx,
} from './context.js';
import type { Evidence } from './types.js';

/**
 * Behaviour rules: what the traffic does over time, whoever it goes to. None of them is proof; they
 * point at what stalkerware must do (call home on a schedule, ship photos and recordings) or at what
 * hides traffic from the check (encrypted DNS, tunnels), which the report must admit as a limit.
 */

/** Services that are periodic by nature or carry no data of the phone's own. */
const NOT_BEACONS = new Set(['dns', 'mdns', 'llmnr', 'dhcp', 'ntp']);

export interface BeaconStats {
  contacts: number;
  /** Mean interval between contacts, seconds. */
  period: number;
  /** Standard deviation of the intervals over their mean. */
  jitter: number;
}

/**
 * Contacts from connection start times: starts closer than `burst` seconds are one contact (an app
 * opening several connections at once), then the intervals between contacts give period and jitter.
 */
export function beaconStats(startsMs: number[], burstSeconds: number): BeaconStats | null {
  const sorted = [...startsMs].sort((a, b) => a - b);
  const contacts: number[] = [];
  for (const t of sorted) if (contacts.length === 0 || t - contacts[contacts.length - 1]! > burstSeconds * 1000) contacts.push(t);
  if (contacts.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < contacts.length; i++) gaps.push((contacts[i]! - contacts[i - 1]!) / 1000);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return { contacts: contacts.length, period: mean, jitter: mean > 0 ? sd / mean : Infinity };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function heuristicSubject(host: string, address: string | null) {
  return { type: 'heuristic' as const, name: isIpLiteral(host) ? null : host, address };
}

function beacons(ctx: Ctx): Candidate[] {
  const byHost = new Map<string, ConnectionFact[]>();
  for (const c of ctx.facts.connections) {
    if (c.proto !== 'tcp' && c.proto !== 'udp') continue;
    if ((c.service !== null && NOT_BEACONS.has(c.service)) || isLocalOnly(c.dst)) continue;
    const host = displayHost(ctx.facts, c);
    const l = byHost.get(host);
    if (l) l.push(c);
    else byHost.set(host, [c]);
  }
  const out: Candidate[] = [];
  const cfg = ctx.config;
  for (const [host, conns] of byHost) {
    // A long capture folds finished connections to one server into one entry with their start times.
    // One list filled in place: an array per connection was a large share of detection's garbage.
    const starts: number[] = [];
    for (const c of conns) {
      if (c.starts) for (const t of c.starts) starts.push(Date.parse(t));
      else starts.push(Date.parse(c.firstSeen));
    }
    if (starts.length < cfg.beaconMinContacts) continue;
    const s = beaconStats(starts, cfg.beaconBurstSeconds);
    // BEH-BEACON, low: stalkerware polls its server for commands on a timer, but so do mail, push and
    // weather apps; regularity alone is a hint that weighs with other findings on the same host.
    if (!s || s.contacts < cfg.beaconMinContacts || s.period < cfg.beaconMinPeriodSeconds || s.jitter > cfg.beaconMaxJitter) continue;
    const ports = [...new Set(conns.map((c) => c.dport))];
    out.push({
      finding: finding('BEH-BEACON', 'low', host, { port: ports.length === 1 ? ports[0]! : ports.join(', '), count: s.contacts, period: round(s.period, 1), jitter: round(s.jitter, 2) }, conns.map(evConn)),
      subject: heuristicSubject(host, conns[0]!.dst),
    });
  }
  return out;
}

function uploads(ctx: Ctx): Candidate[] {
  const cfg = ctx.config;
  const byHost = new Map<string, ConnectionFact[]>();
  for (const c of ctx.facts.connections) {
    if (isLocalOnly(c.dst) || c.bytesToServer < cfg.uploadMinBytes || c.bytesToServer < cfg.uploadRatio * c.bytesToClient) continue;
    const host = displayHost(ctx.facts, c);
    const l = byHost.get(host);
    if (l) l.push(c);
    else byHost.set(host, [c]);
  }
  const out: Candidate[] = [];
  for (const [host, conns] of byHost) {
    const up = conns.reduce((a, c) => a + c.bytesToServer, 0);
    const down = conns.reduce((a, c) => a + c.bytesToClient, 0);
    // BEH-UPLOAD, moderate: sending megabytes and receiving almost nothing is what shipping photos,
    // recordings or message databases looks like. Cloud backups do it too, which is why the
    // allow-listed providers are left out (the allow-list silences this rule) and it is not high.
    out.push({
      finding: finding('BEH-UPLOAD', 'moderate', host, { bytesUp: up, bytesDown: down, sessions: conns.length, ratio: down > 0 ? round(up / down, 1) : up }, conns.map(evConn)),
      subject: heuristicSubject(host, conns[0]!.dst),
    });
  }
  return out;
}

function isDohResolver(ctx: Ctx, name: string): string | null {
  const n = lowerName(name);
  return ctx.config.dohResolvers.find((r) => underDomain(n, r)) ?? null;
}

/** DoT, DoH, VPN and Tor: the traffic inside cannot be checked, whoever runs the server. */
function hidden(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const c of ctx.facts.connections) {
    if (isLocalOnly(c.dst)) continue;
    if (c.proto === 'tcp' && c.dport === 853) {
      // BEH-DOT, low: Android's "Private DNS" does this by default; it is a limit of the check.
      const host = displayHost(ctx.facts, c);
      out.push({ finding: finding('BEH-DOT', 'low', host, { port: 853 }, [evConn(c)]), subject: { ...heuristicSubject(host, c.dst), visibility: true } });
    }
    const vpn = VPN_PORTS[c.dport];
    if (vpn && (vpn.proto === 'both' || vpn.proto === c.proto) && c.service === null) {
      // BEH-VPN, low: the survivor may use a VPN on purpose; what matters is that the check saw nothing inside.
      const host = displayHost(ctx.facts, c);
      out.push({
        finding: finding('BEH-VPN', 'low', host, { protocol: vpn.name, port: c.dport, bytes: c.bytes }, [evConn(c)]),
        subject: { ...heuristicSubject(host, c.dst), visibility: true },
      });
    }
  }
  const doh = (name: string | null, server: string, ev: Evidence, source: string): void => {
    if (!name) return;
    const r = isDohResolver(ctx, name);
    if (r === null) return;
    // BEH-DOH, low: browsers and some apps resolve over HTTPS; lookups made that way are invisible here.
    const host = lowerName(name);
    out.push({ finding: finding('BEH-DOH', 'low', host, { resolver: r, source }, [ev]), subject: { ...heuristicSubject(host, server), visibility: true } });
  };
  for (const t of ctx.facts.tls) {
    if (isLocalOnly(t.server)) continue;
    doh(t.sni, t.server, evTls(t), 'sni');
    // Tor's link handshake invents names like www.<random base32>.com that nobody looks up in DNS;
    // its certificates (TLS 1.2 relays) use the same pattern for subject and issuer.
    const sni = t.sni ? lowerName(t.sni) : null;
    const torLike = sni !== null && TOR_NAME.test(sni) && !ctx.queried.has(sni);
    const leaf = t.certificates[0];
    const certTorLike = leaf !== undefined && TOR_NAME.test((/CN=([^,]+)/.exec(leaf.subject)?.[1] ?? '').toLowerCase()) && TOR_NAME.test((/CN=([^,]+)/.exec(leaf.issuer)?.[1] ?? '').toLowerCase());
    if ((torLike && (certTorLike || leaf === undefined || TOR_PORTS.has(t.dport))) || certTorLike) {
      // BEH-TOR, moderate: Tor on a phone is rare and hides everything; if the owner did not install it, a specialist should look.
      const conn = connectionOf(ctx.facts, t);
      const host = namesOf(ctx.facts, conn, t.server).find((n) => n !== sni) ?? t.server;
      out.push({ finding: finding('BEH-TOR', 'moderate', host, { port: t.dport, sni: sni ?? '' }, [evTls(t)]), subject: { ...heuristicSubject(host, t.server), visibility: true } });
    }
  }
  for (const q of ctx.facts.quic) if (!isLocalOnly(q.server)) doh(q.sni, q.server, evQuic(q), 'quic');
  for (const h of ctx.facts.http) if (!isLocalOnly(h.server)) doh(hostOfHeader(h.host), h.server, evHttp(h), 'http');
  return out;
}

const TOR_NAME = /^www\.[a-z2-7]{8,20}\.(com|net)$/;
const TOR_PORTS = new Set([9001, 9030, 9050, 9150, 9101]);

/**
 * Names that identify generic devices, not this one: leaking "android" or "iPhone" tells nothing,
 * and user agents contain them anyway.
 */
const GENERIC_NAMES = new Set(['android', 'iphone', 'ipad', 'localhost', 'phone', 'mobile', 'galaxy', 'unknown', 'default', 'host']);

function leakNeedle(s: string | null): string | null {
  if (!s) return null;
  const n = s.trim().toLowerCase();
  if (n.length < 4 || GENERIC_NAMES.has(n)) return null;
  return n;
}

/** The text a request carries, decoded the ways a name can be written in a URL. */
function decodedVariants(s: string): string[] {
  const out = [s.toLowerCase()];
  try {
    out.push(decodeURIComponent(s.replace(/\+/g, ' ')).toLowerCase());
  } catch {
    // A malformed escape: the raw text is still searched.
  }
  return out;
}

/**
 * Names that should stay on the phone but were sent in clear text. A name sent in DNS labels is
 * compared with spaces as hyphens, the usual way systems make a host name of "Mary's Phone".
 */
function leaks(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  const needles: { id: 'BEH-DEVICE-NAME' | 'BEH-HOTSPOT-NAME'; param: string; value: string; display: string }[] = [];
  const seenDevice = new Set<string>();
  for (const d of ctx.facts.dhcp) {
    const n = leakNeedle(d.hostname);
    if (n && !seenDevice.has(n)) {
      seenDevice.add(n);
      needles.push({ id: 'BEH-DEVICE-NAME', param: 'deviceName', value: n, display: d.hostname! });
    }
  }
  const hs = ctx.config.hotspotName !== null && ctx.config.hotspotName.trim().length >= 3 ? ctx.config.hotspotName.trim().toLowerCase() : null;
  if (hs) needles.push({ id: 'BEH-HOTSPOT-NAME', param: 'hotspotName', value: hs, display: ctx.config.hotspotName!.trim() });
  if (needles.length === 0) return out;
  for (const nd of needles) {
    const dnsForm = nd.value.replace(/[\s_']+/g, '-');
    // BEH-DEVICE-NAME, low: many systems put the device name in local lookups and analytics; it
    //   matters as a sign that something reports the device's identity.
    // BEH-HOTSPOT-NAME, moderate: the Wi-Fi name says where the phone is; only location-reporting
    //   apps send it, and the hotspot is new to the phone, so nothing cached explains it.
    const level = nd.id === 'BEH-HOTSPOT-NAME' ? 'moderate' : 'low';
    for (const d of ctx.facts.dns) {
      if (d.multicast || d.seen === 'announcement') continue;
      const q = lowerName(d.query);
      if (!q.includes(nd.value) && !q.includes(dnsForm)) continue;
      out.push({ finding: finding(nd.id, level, q, { [nd.param]: nd.display, where: 'dns' }, [evDns(d)]), subject: heuristicSubject(q, null) });
    }
    for (const h of ctx.facts.http) {
      const host = hostOfHeader(h.host) || h.server;
      const places: [string, string | null][] = [
        ['http-uri', h.uri],
        ['http-user-agent', h.userAgent],
        ['http-host', h.host],
      ];
      for (const [where, text] of places) {
        if (!text) continue;
        if (!decodedVariants(text).some((t) => t.includes(nd.value) || t.includes(dnsForm))) continue;
        out.push({ finding: finding(nd.id, level, host, { [nd.param]: nd.display, where }, [evHttp(h)]), subject: heuristicSubject(host, h.server) });
      }
    }
  }
  return out;
}

export function behaviourRules(ctx: Ctx): Candidate[] {
  return [...beacons(ctx), ...uploads(ctx), ...hidden(ctx), ...leaks(ctx)];
}

