import { Indicators, type FeedInfo } from '../../src/indicators/matcher.js';
import type { IndicatorKind } from '../../src/indicators/types.js';
import type { CertificateFact, ConnectionFact, DhcpFact, DnsFact, Facts, HttpFact, QuicFact, TlsFact } from '../../src/engine/facts.js';
import { detect, mergeConfig } from '../../src/detect/index.js';
import type { DetectionConfig, DetectionResult, Finding } from '../../src/detect/types.js';

/**
 * Small builders for synthetic facts: each test states only what its rule looks at, and the builder
 * keeps the rest consistent (a TLS fact gets its connection, a DNS answer its address name).
 */

export const PHONE = '192.168.50.23';
const T0 = Date.parse('2024-05-01T10:00:00Z');

export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

export class FactsBuilder {
  readonly facts: Facts = {
    capture: { format: 'pcap', packets: 0, bytes: 0, firstSeen: at(0), lastSeen: at(3600), linktypes: [1], truncated: false, damageOffset: null, malformed: {}, omitted: {} },
    connections: [],
    dns: [],
    tls: [],
    quic: [],
    http: [],
    dhcp: [],
    addressNames: {},
  };
  private port = 40000;

  conn(dst: string, dport: number, o: Partial<ConnectionFact> = {}): ConnectionFact {
    const c: ConnectionFact = {
      proto: 'tcp',
      src: PHONE,
      sport: this.port++,
      dst,
      dport,
      firstSeen: at(1),
      lastSeen: at(2),
      packets: 10,
      bytes: 3000,
      bytesToServer: 1000,
      bytesToClient: 2000,
      service: null,
      names: [...(this.facts.addressNames[dst] ?? [])],
      ...o,
    };
    this.facts.connections.push(c);
    return c;
  }

  /** A DNS exchange; A/AAAA answers also become address names, as the engine does. */
  dns(query: string, o: Partial<DnsFact> & { a?: string[]; cname?: string[] } = {}): DnsFact {
    const answers = o.answers ?? [];
    let owner = query;
    for (const c of o.cname ?? []) {
      answers.push({ name: owner, type: 'CNAME', data: c });
      owner = c;
    }
    for (const ip of o.a ?? []) {
      answers.push({ name: owner, type: ip.includes(':') ? 'AAAA' : 'A', data: ip });
      const names = (this.facts.addressNames[ip] ??= []);
      for (const n of [query, ...(o.cname ?? [])]) if (!names.includes(n)) names.push(n);
    }
    const d: DnsFact = {
      ts: at(0),
      client: PHONE,
      server: '192.168.50.1',
      transport: 'udp',
      query,
      qtype: 'A',
      rcode: answers.length ? 'NOERROR' : 'NXDOMAIN',
      answers,
      multicast: false,
      seen: 'query',
      ...o,
    };
    d.answers = answers;
    this.facts.dns.push(d);
    return d;
  }

  tls(server: string, sni: string | null, o: Partial<TlsFact> & { port?: number; conn?: Partial<ConnectionFact> } = {}): TlsFact {
    const c = this.conn(server, o.port ?? 443, { service: 'tls', ...(o.conn ?? {}) });
    if (sni && !c.names.includes(sni)) c.names.push(sni);
    const t: TlsFact = {
      connection: this.facts.connections.indexOf(c),
      ts: c.firstSeen,
      client: c.src,
      sport: c.sport,
      server,
      dport: c.dport,
      sni,
      alpn: ['h2'],
      version: 'TLS 1.2',
      ja3: '0123456789abcdef0123456789abcdef',
      ja3s: null,
      ja4: 't13d1516h2_8daaf6152771_02713d6af862',
      certificates: [],
      ...o,
    };
    this.facts.tls.push(t);
    return t;
  }

  quic(server: string, sni: string | null, o: Partial<QuicFact> = {}): QuicFact {
    const c = this.conn(server, 443, { proto: 'udp', service: 'quic' });
    if (sni) c.names.push(sni);
    const q: QuicFact = { connection: this.facts.connections.indexOf(c), ts: c.firstSeen, client: c.src, sport: c.sport, server, dport: 443, version: '1', sni, alpn: ['h3'], ja4: 'q13d0312h3_55b375c5d22e_06cda9e17597', ...o };
    this.facts.quic.push(q);
    return q;
  }

  http(server: string, host: string, o: Partial<HttpFact> & { port?: number } = {}): HttpFact {
    const c = this.conn(server, o.port ?? 80, { service: 'http' });
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (!c.names.includes(name)) c.names.push(name);
    const h: HttpFact = { connection: this.facts.connections.indexOf(c), ts: c.firstSeen, client: c.src, server, dport: c.dport, method: 'GET', host, uri: '/', userAgent: 'okhttp/4.9.0', ...o };
    this.facts.http.push(h);
    return h;
  }

  dhcp(hostname: string | null): DhcpFact {
    const d: DhcpFact = { ts: at(0), mac: '02:00:00:00:00:01', hostname, vendorClass: null, messageType: 'REQUEST', paramList: [1, 3, 6], clientId: null, requestedIp: PHONE };
    this.facts.dhcp.push(d);
    return d;
  }
}

export function cert(o: Partial<CertificateFact> = {}): CertificateFact {
  return {
    subject: 'CN=example.org',
    issuer: 'C=US, O=DigiCert Inc, CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1',
    sha1: 'aa'.repeat(20),
    sha256: 'bb'.repeat(32),
    notBefore: at(-86400 * 30),
    notAfter: at(86400 * 60),
    san: ['example.org', 'www.example.org'],
    selfSigned: false,
    ...o,
  };
}

export const BLOCK: FeedInfo = { name: 'test-block', version: 'v1', list: 'block' };
export const ALLOW: FeedInfo = { name: 'test-allow', version: 'v1', list: 'allow' };

/** A matcher from short entries: [kind, value, family, tag] for the block list, allow values separately. */
export function indicators(block: [IndicatorKind, string, string | null, string | null][], allow: [IndicatorKind, string][] = []): Indicators {
  const m = new Indicators();
  for (const [kind, value, family, tag] of block) m.add({ kind, value, family, tag, tlp: null, source: `test:${value}` }, BLOCK);
  for (const [kind, value] of allow) m.add({ kind, value, family: null, tag: null, tlp: null, source: `allow:${value}` }, ALLOW);
  return m;
}

export function run(b: FactsBuilder, ind: Indicators = indicators([]), config: Partial<DetectionConfig> = {}): DetectionResult {
  return detect({ facts: b.facts, indicators: ind, config: mergeConfig(config) });
}

export function ids(r: DetectionResult): string[] {
  return [...new Set(r.findings.map((f) => f.id))].sort();
}

export function only(r: DetectionResult, id: string): Finding[] {
  return r.findings.filter((f) => f.id === id);
}
