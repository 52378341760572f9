import type { RuleId } from './registry.js';
import { normaliseName } from '../decode/name.js';
import { parseIP } from '../indicators/normalize.js';
import type { Match } from '../indicators/matcher.js';
import type { CertificateFact, ConnectionFact, DnsFact, Facts, HttpFact, QuicFact, TlsFact } from '../engine/facts.js';
import type { AllowList } from './allow.js';
import type { DetectionConfig, Evidence, Finding, IndicatorRef, Level } from './types.js';
import type { Indicators } from '../indicators/matcher.js';

/**
 * What the family files share: a finding before the allow-list had its say, the facts indexed once,
 * and the small helpers that turn facts into evidence.
 */

/**
 * How the allow-list judges a candidate (allow.ts holds the rules):
 * - `name-indicator`: an indicator matched `name`; `labels` is how many labels the indicator value has.
 * - `address-indicator`: an IP/CIDR indicator matched `address` with `prefix` bits.
 * - `exact-indicator`: a certificate fingerprint or a URL matched; always kept.
 * - `heuristic`: no indicator; any allow entry for the name or the address silences it, except
 *   `visibility` rules, which say what the check could not see and stay even for allowed hosts.
 */
export type Subject =
  | { type: 'name-indicator'; name: string; labels: number; address: string | null }
  | { type: 'address-indicator'; address: string; prefix: number; names: string[] }
  /** Indicators naming one server or one resource (certificate hash, full URL): nothing on an allow-list is as specific. */
  | { type: 'exact-indicator'; name: string | null; address: string | null }
  | { type: 'heuristic'; name: string | null; address: string | null; visibility?: boolean };

export interface Candidate {
  finding: Finding;
  subject: Subject;
}

export interface Ctx {
  facts: Facts;
  indicators: Indicators;
  config: DetectionConfig;
  allow: AllowList;
  /** Every name queried in DNS (lower case), for rules that need to know a name was never looked up. */
  queried: Set<string>;
}

/** The connection a TLS, QUIC, HTTP or DNS fact was made on, by the index the engine gave it (null when it has none). */
export function connectionOf(facts: Facts, fact: { connection?: number }): ConnectionFact | null {
  return fact.connection === undefined ? null : (facts.connections[fact.connection] ?? null);
}

export function buildCtx(facts: Facts, indicators: Indicators, config: DetectionConfig, allow: AllowList): Ctx {
  const queried = new Set<string>();
  for (const d of facts.dns) queried.add(lowerName(d.query));
  return { facts, indicators, config, allow, queried };
}

/**
 * The one name normaliser, under the name detection's rules know it by: the same function the engine keys
 * names with and the indicator feeds are stored with, so they all meet.
 */
export const lowerName = normaliseName;

export function labelCount(name: string): number {
  return name.split('.').length;
}

/** `name` is `parent` or below it, on label boundaries (never `notevil.com` for `evil.com`). */
export function underDomain(name: string, parent: string): boolean {
  return name === parent || (name.length > parent.length && name.endsWith(parent) && name.charCodeAt(name.length - parent.length - 1) === 0x2e);
}

export function isIpLiteral(s: string): boolean {
  return parseIP(s) !== null;
}

/** The host part of an HTTP Host header: without port, without IPv6 brackets, lower case. */
export function hostOfHeader(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    return end > 0 ? s.slice(1, end) : s;
  }
  const colon = s.indexOf(':');
  if (colon >= 0 && s.indexOf(':', colon + 1) < 0) s = s.slice(0, colon);
  return s.replace(/\.+$/, '');
}

/**
 * Addresses that never leave the local link (loopback, link-local, multicast, broadcast, unspecified).
 * Private ranges are not in it: test networks and some carriers put real servers there.
 */
export function isLocalOnly(addr: string): boolean {
  const p = parseIP(addr);
  if (p === null) return false;
  if (p.family === 4) {
    const a = p.v4 >>> 24;
    const b = (p.v4 >>> 16) & 0xff;
    return a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224;
  }
  const v = p.v6;
  if (v === 0n || v === 1n) return true;
  const top16 = Number(v >> 112n);
  return (top16 & 0xffc0) === 0xfe80 || (top16 & 0xff00) === 0xff00;
}

/** Private and shared ranges (RFC 1918, CGNAT, ULA) and the local-only ones: never a remote server's own address in the wild. */
export function isPrivate(addr: string): boolean {
  if (isLocalOnly(addr)) return true;
  const p = parseIP(addr);
  if (p === null) return false;
  if (p.family === 4) {
    const a = p.v4 >>> 24;
    const b = (p.v4 >>> 16) & 0xff;
    return a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b < 128);
  }
  return (Number(p.v6 >> 120n) & 0xfe) === 0xfc;
}

/** Every name known for an address: the connection's own names and all DNS answers for it. */
export function namesOf(facts: Facts, conn: ConnectionFact | null, addr: string): string[] {
  // Several rules ask this of every connection; on a long capture, building the list anew each time
  // was most of detection's passing garbage (the transient peak of `analyze`). It is made once per
  // server for connections without names of their own, and once per list of names the engine shares
  // between connections, rather than once per connection.
  if (conn !== null && addr === conn.dst) {
    let cache = namesCache.get(facts);
    if (cache === undefined) namesCache.set(facts, (cache = { byAddress: new Map(), byList: new WeakMap() }));
    if (conn.names.length === 0) {
      let names = cache.byAddress.get(addr);
      if (names === undefined) cache.byAddress.set(addr, (names = computeNames(facts, null, addr)));
      return names;
    }
    const known = cache.byList.get(conn.names);
    if (known !== undefined && known.addr === addr) return known.names;
    const names = computeNames(facts, conn, addr);
    cache.byList.set(conn.names, { addr, names });
    return names;
  }
  return computeNames(facts, conn, addr);
}

/**
 * namesOf of a connection's own server, per facts object (facts do not change during detection): by
 * address for connections that name nothing themselves, by the connection's names list otherwise.
 */
const namesCache = new WeakMap<Facts, { byAddress: Map<string, string[]>; byList: WeakMap<string[], { addr: string; names: string[] }> }>();

function computeNames(facts: Facts, conn: ConnectionFact | null, addr: string): string[] {
  const out = new Set<string>();
  for (const n of conn?.names ?? []) out.add(lowerName(n));
  for (const n of facts.addressNames[addr] ?? []) out.add(lowerName(n));
  return [...out].filter((n) => n !== '' && !isIpLiteral(n));
}

/** The name a heuristic finding is shown under: the connection's first name, else the address. */
export function displayHost(facts: Facts, conn: ConnectionFact): string {
  const names = namesOf(facts, conn, conn.dst);
  return names[0] ?? conn.dst;
}

export function ref(m: Match): IndicatorRef {
  return { value: m.value, kind: m.kind, family: m.family, tag: m.tag, feed: m.feed, feedVersion: m.feedVersion, source: m.source };
}

export const LEVEL_RANK: Record<Level, number> = { high: 3, moderate: 2, low: 1 };

export function maxLevel(a: Level, b: Level): Level {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

export function finding(id: RuleId, level: Level, host: string, params: Record<string, string | number>, evidence: Evidence[], indicator: IndicatorRef | null = null): Finding {
  return { id, level, host, family: indicator?.family ?? null, indicator, params: { host, ...params }, evidence, alsoAllowedBy: null };
}

export function evDns(d: DnsFact): Evidence {
  const answers = d.answers.map((a) => `${a.type} ${a.data}`).join(', ');
  const outcome = d.rcode === null ? 'no reply' : d.rcode + (answers ? `: ${answers}` : d.rcode === 'NOERROR' ? ' (no answer)' : '');
  return { kind: 'dns', ts: d.ts, text: `DNS ${d.qtype} ${d.query} from ${d.client} via ${d.server} → ${outcome}`, fact: d };
}

export function evConn(c: ConnectionFact): Evidence {
  return {
    kind: 'connection',
    ts: c.firstSeen,
    text: `${c.proto.toUpperCase()} ${c.src}:${c.sport} → ${c.dst}:${c.dport}${c.service ? ` (${c.service})` : ''}, ${c.bytesToServer} B sent, ${c.bytesToClient} B received, until ${c.lastSeen}`,
    fact: c,
  };
}

export function evTls(t: TlsFact): Evidence {
  return { kind: 'tls', ts: t.ts, text: `TLS ${t.version} ${t.client}:${t.sport} → ${t.server}:${t.dport} SNI ${t.sni ?? '(none)'} JA3 ${t.ja3} JA4 ${t.ja4}`, fact: t };
}

export function evQuic(q: QuicFact): Evidence {
  return { kind: 'quic', ts: q.ts, text: `QUIC ${q.version} ${q.client}:${q.sport} → ${q.server}:${q.dport} SNI ${q.sni ?? '(none)'} JA4 ${q.ja4}`, fact: q };
}

export function evHttp(h: HttpFact): Evidence {
  return { kind: 'http', ts: h.ts, text: `HTTP ${h.method} http://${h.host}${h.uri} from ${h.client} to ${h.server}:${h.dport}${h.userAgent ? ` UA ${h.userAgent}` : ''}`, fact: h };
}

export function evCert(c: CertificateFact, ts: string | null, server: string): Evidence {
  return {
    kind: 'certificate',
    ts,
    text: `certificate of ${server}: subject ${c.subject}; issuer ${c.issuer}; valid ${c.notBefore} – ${c.notAfter}; SHA-1 ${c.sha1}${c.san.length ? `; SAN ${c.san.slice(0, 8).join(', ')}${c.san.length > 8 ? ', …' : ''}` : ''}`,
    fact: c,
  };
}

/** The common name of a distinguished name string like `C=US, O=X, CN=host`. */
export function commonName(dn: string): string | null {
  const m = /(?:^|,\s*)CN=([^,]+)/.exec(dn);
  return m ? m[1]!.trim() : null;
}
