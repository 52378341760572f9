import type { RuleId } from './registry.js';
import type { Match } from '../indicators/matcher.js';
import type { ConnectionFact, DnsFact } from '../engine/facts.js';
import {
  commonName,
  evCert,
  evConn,
  evDns,
  evHttp,
  evQuic,
  evTls,
  finding,
  hostOfHeader,
  isIpLiteral,
  isPrivate,
  labelCount,
  LEVEL_RANK,
  lowerName,
  namesOf,
  ref,
  connectionOf,
  type Candidate,
  type Ctx,
} from './context.js';
import type { Evidence, IndicatorRef, Level } from './types.js';

/**
 * Indicator rules: a fact names something a feed lists. Each source of a name (DNS query, DNS answer
 * chain, TLS SNI, QUIC SNI, HTTP Host, certificate name) is checked on its own — TinyCheck skipped SNI
 * and Host for names already seen in DNS — and the findings meet again per host in index.ts.
 */

/** Where a name was seen; also the `source` param of the shared rules. */
export type NameSource = 'dns' | 'cname' | 'sni' | 'quic' | 'http' | 'certificate';

/** What an indicator means for a finding, from its kind and the feed's tag. */
export type IndicatorClass = 'c2' | 'tracker' | 'freedns' | 'tld' | 'tor' | 'dual-use' | 'doh' | 'website';

/** Tags under which feeds list spyware infrastructure: TinyCheck's, Echap's and the STIX families'. */
export const SPYWARE_TAGS = new Set(['stalkerware', 'spyware', 'pegasus', 'apt', 'malicious', 'cybercrime', 'malware']);
/**
 * Watchware (Echap: monitoring apps that do not hide) and TinyCheck's `suspect` are worth a
 * specialist's look, not proof of hidden spyware.
 */
const MODERATE_TAGS = new Set(['watchware', 'suspect']);

export function classify(m: Match): IndicatorClass | null {
  const tag = m.tag?.toLowerCase() ?? null;
  switch (m.kind) {
    case 'ns':
      return null; // about name servers: matched against NS answers only (IOC-NS)
    case 'website':
      return 'website';
    case 'freedns':
      return 'freedns';
    case 'tld':
      return 'tld';
  }
  if (tag === 'tracker') return 'tracker';
  if (tag === 'tor') return 'tor';
  if (tag === 'dual-use') return 'dual-use';
  if (tag === 'doh') return 'doh';
  return 'c2';
}

/**
 * High only when the feed says the server belongs to spyware: a C2 kind, a spyware tag, or a named
 * family (STIX bundles from Amnesty/MVT carry the family but no tag). Anything else (a plain list
 * without context, TinyCheck's `suspect`, Echap's watchware) is moderate.
 */
export function indicatorLevel(m: Match): Level {
  const tag = m.tag?.toLowerCase() ?? null;
  if (tag !== null && MODERATE_TAGS.has(tag)) return 'moderate';
  if (m.kind === 'c2-domain' || m.kind === 'c2-ip') return 'high';
  if (tag !== null && SPYWARE_TAGS.has(tag)) return 'high';
  if (m.family) return 'high';
  return 'moderate';
}

/** Fixed levels of the classes whose meaning does not depend on the feed (listed with each rule in ./registry.ts). */
const CLASS_LEVEL: Record<Exclude<IndicatorClass, 'c2'>, Level> = {
  tracker: 'moderate', // TinyCheck lists trackers seen in stalkerware apps, not ad networks
  freedns: 'moderate', // dynamic DNS is how cheap spyware servers get a name; phones rarely need it otherwise
  tld: 'low', // a whole TLD is a weak signal on its own
  tor: 'moderate', // a Tor relay hides where data goes; rare on a phone unless the owner chose it
  'dual-use': 'low', // legitimate services spyware also uses (paste sites, file drops)
  doh: 'low', // hides later lookups from the check: a limit more than a sign
  website: 'low', // a vendor's shop: someone looked at or bought stalkerware, maybe not for this phone
};

const C2_IDS: Record<NameSource, RuleId> = { dns: 'IOC-03', cname: 'IOC-CNAME', sni: 'IOC-SNI', quic: 'IOC-QUIC-SNI', http: 'IOC-08', certificate: 'SSL-04' };

function ruleId(cls: IndicatorClass, source: NameSource): RuleId | null {
  if (source === 'certificate' && cls !== 'c2') return null; // the SNI/DNS check of the same server says it already
  switch (cls) {
    case 'c2':
      return C2_IDS[source];
    case 'tracker':
      return 'IOC-04';
    case 'freedns':
      return source === 'http' ? 'IOC-09' : 'IOC-05';
    case 'tld':
      return source === 'http' ? 'IOC-10' : 'IOC-06';
    case 'tor':
      return 'IOC-11';
    case 'dual-use':
      return 'IOC-12';
    case 'doh':
      return 'IOC-13';
    case 'website':
      return 'IOC-WEBSITE';
  }
}

/**
 * Feed precedence by meaning, not by feed order. Feeds disagree about vendors' own sites: Echap
 * classifies `mspy.com` as mSpy's website while TinyCheck lists the same name as a plain
 * "stalkerware" domain with no role. A visit to a sales page is not an infection, so:
 *
 * - a name that any feed classifies as a vendor's website or download site (kind `website`) is
 *   reported as that (IOC-WEBSITE, low), unless some feed lists as a server (kind `c2-domain`) that
 *   exact name or a more specific one (at least as many labels as the website entry);
 * - a plain domain entry (kind `domain`, no role) never outranks a classified website entry of the
 *   same family; a feed that gives no family is taken to mean the same product, since nothing says
 *   otherwise. A plain entry naming another family counts like a server entry.
 *
 * Whatever wins, every block-list entry that matched the name is kept on the finding (`listings`),
 * so the report says which feed said what and which rule decided.
 */
export interface Precedence {
  /** Best match per class after precedence. */
  best: Map<IndicatorClass, Match>;
  /** Server-class matches set aside because a feed classifies the name as a vendor's site. */
  overruled: Match[];
}

function moreSpecificMatch(m: Match, cur: Match): boolean {
  // Ties go to the more severe, then to the one naming a family: feeds listing the same domain
  // without context (TinyCheck) must not hide the family another feed (Echap) gives.
  const dl = labelCount(m.value) - labelCount(cur.value);
  const dr = LEVEL_RANK[indicatorLevel(m)] - LEVEL_RANK[indicatorLevel(cur)];
  return dl > 0 || (dl === 0 && (dr > 0 || (dr === 0 && m.family !== null && cur.family === null)));
}

/** A family's name and its aliases (Echap lists KidSecured and eyeZy as names of mSpy), lower case. */
function familyNames(m: Match): Set<string> {
  const out = new Set<string>();
  if (m.family) out.add(m.family.toLowerCase());
  for (const a of (m.meta?.aliases ?? '').split(',')) if (a.trim()) out.add(a.trim().toLowerCase());
  return out;
}

/** Whether a server-class match still stands next to the most specific website entry `site`. */
function outranksWebsite(m: Match, site: Match): boolean {
  const asSpecific = labelCount(m.value) >= labelCount(site.value);
  if (m.kind === 'c2-domain') return asSpecific;
  // A plain entry: only when it names another product and is as specific as the site entry.
  const sameFamily = m.family === null || site.family === null || familyNames(site).has(m.family.toLowerCase()) || familyNames(m).has(site.family.toLowerCase());
  return !sameFamily && asSpecific;
}

export function precedence(matches: readonly Match[]): Precedence {
  const best = new Map<IndicatorClass, Match>();
  let site: Match | null = null;
  for (const m of matches) {
    if (m.list !== 'block' || m.kind !== 'website') continue;
    if (site === null || moreSpecificMatch(m, site)) site = m;
  }
  const overruled: Match[] = [];
  for (const m of matches) {
    if (m.list !== 'block') continue;
    const cls = classify(m);
    if (cls === null) continue;
    if (cls === 'c2' && site !== null && !outranksWebsite(m, site)) {
      overruled.push(m);
      continue;
    }
    const cur = best.get(cls);
    if (!cur || moreSpecificMatch(m, cur)) best.set(cls, m);
  }
  return { best, overruled };
}

/** Every block-list entry behind a name, most specific first: the finding's "which feed said what". */
function listingsOf(matches: readonly Match[]): IndicatorRef[] {
  return matches
    .filter((m) => m.list === 'block' && m.kind !== 'ns')
    .sort((a, b) => labelCount(b.value) - labelCount(a.value) || (a.feed < b.feed ? -1 : a.feed > b.feed ? 1 : 0))
    .map(ref);
}

interface NameSeen {
  name: string;
  source: NameSource;
  evidence: Evidence[];
  /** The server address the name was used with, when there is one (SNI, Host). */
  address: string | null;
  port: number | null;
  /** The name a finding is filed under when it differs from the matched name (CNAME chains, certificates). */
  host?: string;
  extra?: Record<string, string | number>;
}

function nameCandidates(ctx: Ctx, seen: NameSeen, skipC2 = false): Candidate[] {
  const name = lowerName(seen.name);
  if (!name || isIpLiteral(name)) return [];
  const out: Candidate[] = [];
  const matches = ctx.indicators.matchDomain(name);
  const { best: per, overruled } = precedence(matches);
  const serverWon = per.has('c2');
  if (skipC2) per.delete('c2');
  const listings = listingsOf(matches);
  for (const [cls, m] of per) {
    const id = ruleId(cls, seen.source);
    if (id === null) continue;
    const level = cls === 'c2' ? indicatorLevel(m) : CLASS_LEVEL[cls];
    const host = cls === 'c2' && seen.host ? seen.host : name;
    const params: Record<string, string | number> = { indicator: m.value, feed: m.feed };
    if (cls === 'tld') params.tld = m.value;
    if (cls === 'c2' || cls === 'website') params.family = m.family ?? '';
    if (id !== 'IOC-03' && id !== 'IOC-08' && id !== 'IOC-SNI' && id !== 'IOC-QUIC-SNI' && id !== 'IOC-CNAME' && id !== 'SSL-04') params.source = seen.source;
    if (seen.port !== null && (id === 'IOC-SNI' || id === 'IOC-QUIC-SNI' || id === 'IOC-08' || id === 'IOC-09' || id === 'IOC-10')) params.port = seen.port;
    Object.assign(params, seen.extra ?? {});
    if (id === 'IOC-CNAME') params.cname = name;
    if (id === 'SSL-04') params.certName = name;
    // Said in the finding so the reader sees why a name on a spyware list is only called a visit.
    if (cls === 'website' && overruled.length > 0 && !serverWon) params.precedence = 'website';
    const f = finding(id, level, host, params, [...seen.evidence], ref(m));
    if (listings.length > 1 || overruled.length > 0) f.listings = listings;
    out.push({
      finding: f,
      subject: { type: 'name-indicator', name, labels: labelCount(m.value), address: seen.address },
    });
  }
  // TLDs from the configuration count like TinyCheck's `tld` indicators when no feed already said so.
  if (!per.has('tld') && (seen.source === 'dns' || seen.source === 'sni' || seen.source === 'quic' || seen.source === 'http' || seen.source === 'cname')) {
    const tld = name.slice(name.lastIndexOf('.') + 1);
    if (name.includes('.') && ctx.config.suspectTlds.includes(tld)) {
      const id = seen.source === 'http' ? 'IOC-10' : 'IOC-06';
      const params: Record<string, string | number> = { tld, feed: 'config' };
      if (id === 'IOC-06') params.source = seen.source;
      else if (seen.port !== null) params.port = seen.port;
      Object.assign(params, seen.extra ?? {});
      out.push({ finding: finding(id, 'low', name, params, [...seen.evidence]), subject: { type: 'name-indicator', name, labels: 1, address: seen.address } });
    }
  }
  return out;
}

function rcodeOf(d: DnsFact): string {
  return d.rcode ?? 'none';
}

function dnsCandidates(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const d of ctx.facts.dns) {
    // mDNS is the local link talking about itself; a name there never reached a server.
    if (d.multicast || d.seen === 'announcement') continue;
    const ev = evDns(d);
    const query = lowerName(d.query);
    // Asked is asked: NXDOMAIN, SERVFAIL or silence still means something on the phone wanted this name.
    // The first address answered: an allow entry for it is reported beside the finding, never over it.
    const answered = d.answers.find((a) => a.type === 'A' || a.type === 'AAAA')?.data ?? null;
    const fromQuery = nameCandidates(ctx, { name: query, source: 'dns', evidence: [ev], address: answered, port: null, extra: {} });
    for (const c of fromQuery) if (c.finding.id === 'IOC-03') Object.assign(c.finding.params, { rcode: rcodeOf(d), queries: 1 });
    out.push(...fromQuery);
    const queryIsC2 = fromQuery.some((c) => c.finding.id === 'IOC-03');
    const chain = new Set<string>();
    for (const a of d.answers) {
      const owner = lowerName(a.name);
      if (owner && owner !== query) chain.add(owner);
      if (a.type === 'CNAME' || a.type === 'DNAME') {
        const target = lowerName(a.data);
        if (target && target !== query) chain.add(target);
      }
      if (a.type === 'NS') out.push(...nsCandidates(ctx, query, lowerName(a.data), ev));
    }
    for (const n of chain) out.push(...nameCandidates(ctx, { name: n, source: 'cname', evidence: [ev], address: null, port: null, host: query }, queryIsC2));
  }
  return out;
}

function nsCandidates(ctx: Ctx, query: string, ns: string, ev: Evidence): Candidate[] {
  const out: Candidate[] = [];
  for (const m of ctx.indicators.matchDomain(ns)) {
    if (m.kind !== 'ns' || m.list !== 'block') continue;
    out.push({
      finding: finding('IOC-NS', 'moderate', query, { nameserver: ns, indicator: m.value, feed: m.feed }, [ev], ref(m)),
      subject: { type: 'name-indicator', name: ns, labels: labelCount(m.value), address: null },
    });
  }
  return out;
}

function tlsCandidates(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const t of ctx.facts.tls) {
    const ev = evTls(t);
    const conn = connectionOf(ctx.facts, t);
    const host = t.sni ? lowerName(t.sni) : (namesOf(ctx.facts, conn, t.server)[0] ?? t.server);
    if (t.sni) out.push(...nameCandidates(ctx, { name: t.sni, source: 'sni', evidence: [ev], address: t.server, port: t.dport }));
    const leaf = t.certificates[0];
    if (leaf) {
      const names = new Set<string>();
      const cn = commonName(leaf.subject);
      if (cn) names.add(lowerName(cn));
      for (const s of leaf.san) names.add(lowerName(s));
      for (const n of names) {
        const bare = n.startsWith('*.') ? n.slice(2) : n;
        out.push(...nameCandidates(ctx, { name: bare, source: 'certificate', evidence: [ev, evCert(leaf, t.ts, t.server)], address: t.server, port: t.dport, host }));
      }
    }
    t.certificates.forEach((c, i) => {
      const seen = new Set<string>();
      for (const m of [...ctx.indicators.matchCertificate(c.sha1), ...ctx.indicators.matchCertificate(c.sha256)]) {
        if (seen.has(m.value + m.feed)) continue;
        seen.add(m.value + m.feed);
        out.push({
          finding: finding('IOC-07', indicatorLevel(m), host, { fingerprint: m.value, subject: c.subject, family: m.family ?? '', feed: m.feed, position: i }, [ev, evCert(c, t.ts, t.server)], ref(m)),
          subject: { type: 'exact-indicator', name: isIpLiteral(host) ? null : host, address: t.server },
        });
      }
    });
    // Fingerprints identify a TLS library, shared by every app built on it: moderate, and silenced
    // for allowed hosts like any heuristic, since there a collision is the likely explanation.
    const fps: [string, 'ja3' | 'ja3s' | 'ja4'][] = [[t.ja3, 'ja3'], [t.ja4, 'ja4']];
    if (t.ja3s) fps.push([t.ja3s, 'ja3s']);
    for (const [fp, which] of fps) out.push(...fingerprintCandidates(ctx, fp, which, host, t.server, ev));
  }
  for (const q of ctx.facts.quic) {
    const ev = evQuic(q);
    const conn = connectionOf(ctx.facts, q);
    const host = q.sni ? lowerName(q.sni) : (namesOf(ctx.facts, conn, q.server)[0] ?? q.server);
    if (q.sni) out.push(...nameCandidates(ctx, { name: q.sni, source: 'quic', evidence: [ev], address: q.server, port: q.dport }));
    out.push(...fingerprintCandidates(ctx, q.ja4, 'ja4', host, q.server, ev));
    if (q.ja3) out.push(...fingerprintCandidates(ctx, q.ja3, 'ja3', host, q.server, ev));
  }
  return out;
}

function fingerprintCandidates(ctx: Ctx, fp: string, which: 'ja3' | 'ja3s' | 'ja4', host: string, server: string, ev: Evidence): Candidate[] {
  if (!fp) return [];
  const matches = which === 'ja4' ? ctx.indicators.matchJa4(fp) : ctx.indicators.matchJa3(fp);
  const out: Candidate[] = [];
  for (const m of matches) {
    if (which !== 'ja4' && m.kind !== which) continue; // a client fingerprint listed as ja3 says nothing about a server's ja3s
    const id = which === 'ja4' ? 'IOC-JA4' : 'IOC-JA3';
    const params: Record<string, string | number> = { fingerprint: m.value, family: m.family ?? '', feed: m.feed };
    if (id === 'IOC-JA3') params.which = which;
    out.push({
      finding: finding(id, 'moderate', host, params, [ev], ref(m)),
      subject: { type: 'heuristic', name: isIpLiteral(host) ? null : host, address: server },
    });
  }
  return out;
}

function httpCandidates(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const h of ctx.facts.http) {
    const ev = evHttp(h);
    const host = hostOfHeader(h.host);
    if (!host) continue;
    const named = nameCandidates(ctx, { name: host, source: 'http', evidence: [ev], address: h.server, port: h.dport });
    for (const c of named) if (['IOC-08', 'IOC-09', 'IOC-10'].includes(c.finding.id)) c.finding.params.requests = 1;
    out.push(...named);
    const url = `http://${h.host}${h.uri}`;
    for (const m of ctx.indicators.matchUrl(url)) {
      out.push({
        finding: finding('IOC-URL', indicatorLevel(m), host, { url: `${host}${h.uri}`.slice(0, 200), indicator: m.value, family: m.family ?? '', feed: m.feed }, [ev], ref(m)),
        subject: { type: 'exact-indicator', name: isIpLiteral(host) ? null : host, address: h.server },
      });
    }
  }
  return out;
}

function ipClassId(m: Match): { id: RuleId; level: Level } {
  const tag = m.tag?.toLowerCase() ?? null;
  if (tag === 'tor') return { id: 'IOC-11', level: CLASS_LEVEL.tor };
  if (tag === 'dual-use') return { id: 'IOC-12', level: CLASS_LEVEL['dual-use'] };
  if (tag === 'doh') return { id: 'IOC-13', level: CLASS_LEVEL.doh };
  if (tag === 'tracker') return { id: 'IOC-04', level: CLASS_LEVEL.tracker };
  if (m.how === 'exact') return { id: 'IOC-01', level: indicatorLevel(m) };
  // TinyCheck's `suspect` networks are whole hosting ranges: being inside one says little.
  return { id: 'IOC-02', level: tag === 'suspect' ? 'low' : indicatorLevel(m) };
}

function connectionCandidates(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const c of ctx.facts.connections) {
    // The phone's own address is private; a public source means the flow was seen from the server side.
    const ends = isPrivate(c.src) ? [c.dst] : [c.dst, c.src];
    for (const addr of ends) out.push(...addressCandidates(ctx, c, addr));
  }
  return out;
}

function addressCandidates(ctx: Ctx, c: ConnectionFact, addr: string): Candidate[] {
  const out: Candidate[] = [];
  // The most specific match per rule: several feeds listing nested ranges would otherwise repeat themselves.
  const best = new Map<RuleId, Match>();
  for (const m of ctx.indicators.matchIp(addr)) {
    if (m.list !== 'block') continue;
    const { id } = ipClassId(m);
    const cur = best.get(id);
    if (!cur || (m.prefix ?? 0) > (cur.prefix ?? 0)) best.set(id, m);
  }
  const names = namesOf(ctx.facts, c, addr);
  const port = addr === c.dst ? c.dport : c.sport;
  for (const [id, m] of best) {
    const { level } = ipClassId(m);
    const params: Record<string, string | number> = { port, indicator: m.value, feed: m.feed };
    if (id === 'IOC-01' || id === 'IOC-02') Object.assign(params, { family: m.family ?? '', connections: 1 });
    else params.source = 'address';
    out.push({
      finding: finding(id, level, addr, params, [evConn(c)], ref(m)),
      subject: { type: 'address-indicator', address: addr, prefix: m.prefix ?? 0, names },
    });
  }
  return out;
}

/**
 * Names the engine attached to an address that no source above carried (an mDNS answer, a name known
 * only from the address table): every name of an address is checked, not only the first answer.
 */
function remainingNames(ctx: Ctx): Candidate[] {
  const checked = new Set<string>();
  for (const d of ctx.facts.dns) {
    if (d.multicast || d.seen === 'announcement') continue;
    checked.add(lowerName(d.query));
    for (const a of d.answers) {
      checked.add(lowerName(a.name));
      if (a.type === 'CNAME' || a.type === 'DNAME') checked.add(lowerName(a.data));
    }
  }
  for (const t of ctx.facts.tls) if (t.sni) checked.add(lowerName(t.sni));
  for (const q of ctx.facts.quic) if (q.sni) checked.add(lowerName(q.sni));
  for (const h of ctx.facts.http) checked.add(hostOfHeader(h.host));
  const out: Candidate[] = [];
  // Whether a name gives any candidate depends on the name alone: asked once per name, and evidence is
  // only written for the connections of names that do (nearly none), not for every connection of a long capture.
  const fruitful = new Map<string, boolean>();
  for (const c of ctx.facts.connections) {
    for (const n of namesOf(ctx.facts, c, c.dst)) {
      if (checked.has(n)) continue;
      let yields = fruitful.get(n);
      if (yields === undefined) fruitful.set(n, (yields = nameCandidates(ctx, { name: n, source: 'cname', evidence: [], address: c.dst, port: c.dport }).length > 0));
      if (yields) out.push(...nameCandidates(ctx, { name: n, source: 'cname', evidence: [evConn(c)], address: c.dst, port: c.dport }));
    }
  }
  return out;
}

/**
 * IOC-APP: a capture made on the phone (PCAPdroid) names the app behind every connection; an app whose
 * package name a feed lists is that family's app, installed and talking, even when its servers are new.
 */
function appCandidates(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  for (const app of ctx.facts.apps ?? []) {
    if (!app.package) continue;
    const matches = ctx.indicators.matchPackage(app.package);
    if (matches.length === 0) continue;
    const evidence = ctx.facts.connections.filter((c) => c.app === app.uid).map(evConn);
    for (const m of matches) {
      out.push({
        finding: finding(
          'IOC-APP',
          indicatorLevel(m),
          app.package,
          { package: app.package, appName: app.name ?? app.package, family: m.family ?? '', feed: m.feed, connections: app.connections },
          evidence,
          ref(m),
        ),
        subject: { type: 'exact-indicator', name: null, address: null },
      });
    }
  }
  return out;
}

export function iocRules(ctx: Ctx): Candidate[] {
  return [...dnsCandidates(ctx), ...tlsCandidates(ctx), ...httpCandidates(ctx), ...connectionCandidates(ctx), ...remainingNames(ctx), ...appCandidates(ctx)];
}
