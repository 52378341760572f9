/**
 * The shortened copy of a very large analysis that the HTML and PDF reports are rendered from. A day of
 * a phone's traffic can hold a million connections and thousands of minor findings: the whole analysis
 * parsed weighs several hundred MB, yet the HTML shows only the first rows of each appendix table, the
 * first evidence lines of each finding and the first hosts with minor signs. The copy keeps exactly
 * those, with the totals and the timeline worked out from everything, so the HTML rendered from it is
 * the one rendered from the whole analysis. The JSON report is sent from the files holding the rest.
 */
import type { Finding } from '../detect/types.js';
import type { Facts } from '../engine/facts.js';
import { formatClock } from './format.js';
import { dnsNameDigest, groupByHost, MINOR_HOSTS_SHOWN, SCREEN_EVIDENCE, SCREEN_ROWS, timelineData } from './html.js';
import type { Analysis, ReportDigest, ShownFinding } from '../analysis/types.js';

/** The analysis cut to what its HTML and PDF show; `files` names where the whole findings and facts are. */
export function shortenForReports(a: Analysis, files: ReportDigest['files']): Analysis {
  const groups = groupByHost(a.findings);
  const minor = groups.filter((g) => g.level === 'low').length;
  // Strongest first: the minor groups are the last ones, and only the first of them are shown.
  const kept = new Set(groups.slice(0, groups.length - minor + Math.min(minor, MINOR_HOSTS_SHOWN)).map((g) => g.host.toLowerCase()));
  const findings: ShownFinding[] = [];
  for (const f of a.findings) {
    if (!kept.has(f.host.toLowerCase())) continue;
    findings.push(f.evidence.length > SCREEN_EVIDENCE ? { ...f, evidence: f.evidence.slice(0, SCREEN_EVIDENCE), evidenceTotal: f.evidence.length } : f);
  }
  const dns = dnsNameDigest(a.facts.dns, SCREEN_ROWS);
  const digest: ReportDigest = {
    connections: a.facts.connections.length,
    tlsRows: a.facts.tls.length + a.facts.quic.length,
    http: a.facts.http.length,
    dnsNames: dns.total,
    dnsRows: dns.rows,
    timeline: timelineData(a),
    minorHosts: minor,
    files,
  };
  return { ...a, findings: findings as Finding[], facts: shortFacts(a.facts), digest };
}

/** The rows the appendix shows first, in an order its own sorting keeps. */
function shortFacts(f: Facts): Facts {
  // The appendix sorts connections by bytes (a stable sort): the first rows, sorted, stay in that order.
  const connections = [...f.connections].sort((x, y) => y.bytes - x.bytes).slice(0, SCREEN_ROWS);
  // TLS and QUIC share one table sorted by clock time: keep the facts behind its first rows, each
  // kind in its own order, so the table built from them sorts the same.
  const rows = [...f.tls.map((x, i) => ({ key: formatClock(x.ts), tls: i, quic: -1 })), ...f.quic.map((x, i) => ({ key: formatClock(x.ts), tls: -1, quic: i }))];
  rows.sort((x, y) => x.key.localeCompare(y.key));
  const first = rows.slice(0, SCREEN_ROWS);
  const tlsKept = new Set(first.filter((r) => r.tls >= 0).map((r) => r.tls));
  const quicKept = new Set(first.filter((r) => r.quic >= 0).map((r) => r.quic));
  return {
    capture: f.capture,
    connections,
    dns: [],
    tls: f.tls.filter((_, i) => tlsKept.has(i)),
    quic: f.quic.filter((_, i) => quicKept.has(i)),
    http: f.http.slice(0, SCREEN_ROWS),
    dhcp: [],
    addressNames: {},
    ...(f.apps !== undefined ? { apps: f.apps } : {}),
  };
}
