import type { TlsFact } from '../engine/facts.js';
import { commonName, connectionOf, evCert, evTls, finding, isIpLiteral, isLocalOnly, lowerName, namesOf, type Candidate, type Ctx } from './context.js';

/**
 * TLS rules: what the server's handshake and certificate say. A phone's regular apps refuse a bad
 * certificate, so a session that went on with one suggests a client that does not check — common in
 * cheaply built spyware. TLS 1.3 encrypts the certificate, so only the port rule applies there.
 */

/**
 * Whether a certificate name covers a host name, following RFC 6125 §6.4.3 as browsers apply it: a
 * wildcard only as the whole left-most label, standing for exactly one label, never in the last two
 * labels (`*.com`, `*.co`), and never inside an IDN A-label.
 */
export function certNameCovers(pattern: string, host: string): boolean {
  const p = lowerName(pattern);
  const h = lowerName(host);
  if (!p || !h) return false;
  if (!p.includes('*')) return p === h;
  const pl = p.split('.');
  const hl = h.split('.');
  if (pl[0] !== '*' || pl.slice(1).some((l) => l.includes('*'))) return false;
  if (pl.length < 3 || pl.length !== hl.length) return false;
  if (hl[0]!.startsWith('xn--') || hl[0] === '') return false;
  return pl.slice(1).join('.') === hl.slice(1).join('.');
}

/** The names a certificate is valid for: its DNS SANs, else (legacy certificates only) its CN. */
export function certificateNames(subject: string, san: readonly string[]): string[] {
  const dns = san.filter((s) => !isIpLiteral(s)).map(lowerName);
  if (san.length > 0) return dns;
  const cn = commonName(subject);
  return cn ? [lowerName(cn)] : [];
}

function hostOf(ctx: Ctx, t: TlsFact): string {
  if (t.sni) return lowerName(t.sni);
  const conn = connectionOf(ctx.facts, t);
  return namesOf(ctx.facts, conn, t.server)[0] ?? t.server;
}

export function tlsRules(ctx: Ctx): Candidate[] {
  const out: Candidate[] = [];
  const cfg = ctx.config;
  for (const t of ctx.facts.tls) {
    if (isLocalOnly(t.server)) continue;
    const host = hostOf(ctx, t);
    const subject = { type: 'heuristic' as const, name: isIpLiteral(host) ? null : host, address: t.server };
    const ev = evTls(t);
    // SSL-01, moderate (TinyCheck's level): apps from a store speak TLS on 443; a TLS service on
    // another port is typical of a home-made server.
    if (!cfg.standardTlsPorts.includes(t.dport) && !(t.sport < 1024 && t.dport >= 32768)) {
      out.push({ finding: finding('SSL-01', 'moderate', host, { port: t.dport }, [ev]), subject });
    }
    const leaf = t.certificates[0];
    if (!leaf) continue;
    const cev = evCert(leaf, t.ts, t.server);
    // SSL-02, low: free certificates are a third of the web; they matter next to other findings.
    const issuer = leaf.issuer.toLowerCase();
    const free = cfg.freeIssuers.find((f) => issuer.includes(f.toLowerCase()));
    if (free !== undefined && !leaf.selfSigned) {
      out.push({ finding: finding('SSL-02', 'low', host, { issuer: commonName(leaf.issuer) ?? leaf.issuer, subject: leaf.subject }, [ev, cev]), subject });
    }
    // SSL-03, moderate: no authority vouches for the server; the client accepted it or pinned it.
    if (leaf.selfSigned) out.push({ finding: finding('SSL-03', 'moderate', host, { subject: leaf.subject }, [ev, cev]), subject });
    // Validity is judged at the moment the handshake was captured, not today: an old capture of a
    // then-valid certificate is not suspicious.
    const seen = Date.parse(t.ts);
    const notAfter = Date.parse(leaf.notAfter);
    const notBefore = Date.parse(leaf.notBefore);
    if (Number.isFinite(seen) && Number.isFinite(notAfter) && seen > notAfter) {
      out.push({ finding: finding('SSL-EXPIRED', 'moderate', host, { subject: leaf.subject, notAfter: leaf.notAfter, seenAt: t.ts }, [ev, cev]), subject });
    }
    if (Number.isFinite(seen) && Number.isFinite(notBefore) && seen < notBefore) {
      out.push({ finding: finding('SSL-NOT-YET-VALID', 'moderate', host, { subject: leaf.subject, notBefore: leaf.notBefore, seenAt: t.ts }, [ev, cev]), subject });
    }
    if (t.sni && !isIpLiteral(t.sni)) {
      const names = certificateNames(leaf.subject, leaf.san);
      if (!names.some((n) => certNameCovers(n, t.sni!))) {
        out.push({
          finding: finding('SSL-NAME-MISMATCH', 'moderate', host, { subject: leaf.subject, certNames: names.slice(0, 10).join(', ') }, [ev, cev]),
          subject,
        });
      }
    }
  }
  return out;
}
