/**
 * Detection: facts + indicators → findings, and the notes the verdict needs beside them (./notes.ts).
 * Findings carry no prose; the report renders `finding.<id>.title` / `finding.<id>.explanation` with
 * `params`. Every rule — its id, how its level
 * is chosen, its params and the settings it reads — is declared once in ./registry.ts (rendered as
 * docs/rules.md). Every finding's params hold `host` and `evidenceCount` (observations merged;
 * `evidence` keeps the first `config.maxEvidence`). `family` is '' when the feed names none.
 * `source` (where a name was seen) is dns | cname | sni | quic | http | certificate | address, and
 * `where` is dns | http-uri | http-user-agent | http-host. Params merged from several observations
 * (`rcode`, `source`, `where`) list their distinct values joined by ", "; counts (`queries`,
 * `requests`, `connections`) add up.
 */
import { AllowList } from './allow.js';
import { behaviourRules } from './behaviour.js';
import { buildCtx, evConn, isIpLiteral, LEVEL_RANK, maxLevel, namesOf, type Candidate } from './context.js';
import { iocRules } from './ioc.js';
import { trafficNotes } from './notes.js';
import { payloadRules } from './payload.js';
import { protoRules } from './proto.js';
import { tlsRules } from './tls.js';
import type { ConnectionFact } from '../engine/facts.js';
import type { AppRef, DetectionInput, DetectionResult, Evidence, Finding } from './types.js';

export { DEFAULT_DETECTION_CONFIG, mergeConfig } from './config.js';
export { AllowList } from './allow.js';
export { certNameCovers } from './tls.js';
export { beaconStats } from './behaviour.js';
export { captureDurationSeconds, DEFAULT_NOTE_THRESHOLDS } from './notes.js';
export { computeVerdict } from './verdict.js';
export type * from './types.js';

/** Params that count observations: merged findings add them up. */
const SUMMED = new Set(['queries', 'requests', 'connections']);
/** Params that describe observations: merged findings list each distinct value. */
const LISTED = new Set(['rcode', 'source', 'where']);

function findingKey(f: Finding): string {
  return `${f.id}\u0000${f.host}\u0000${f.indicator?.value ?? ''}`;
}

function evidenceKey(e: Evidence): string {
  return `${e.kind}\u0000${e.ts ?? ''}\u0000${e.text}`;
}

interface Merged {
  finding: Finding;
  evidence: Map<string, Evidence>;
}

function mergeInto(m: Merged, f: Finding): void {
  const t = m.finding;
  t.level = maxLevel(t.level, f.level);
  t.alsoAllowedBy ??= f.alsoAllowedBy;
  t.family ??= f.family;
  for (const [k, v] of Object.entries(f.params)) {
    const cur = t.params[k];
    if (cur === undefined) t.params[k] = v;
    else if (SUMMED.has(k) && typeof cur === 'number' && typeof v === 'number') t.params[k] = cur + v;
    else if (LISTED.has(k)) {
      const parts = String(cur).split(', ');
      if (!parts.includes(String(v))) t.params[k] = [...parts, String(v)].join(', ');
    }
  }
  for (const e of f.evidence) m.evidence.set(evidenceKey(e), e);
}

function byTime(a: Evidence, b: Evidence): number {
  const x = a.ts ?? '';
  const y = b.ts ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Findings about a name also show the connections made to that name's addresses, whichever of the
 * address's names the connection was opened for: the report then says the name was not only asked
 * for but used.
 */
function attachConnections(input: DetectionInput, merged: Map<string, Merged>): void {
  // Only the names findings are about: a long capture has hundreds of thousands of names, and a list
  // of connections for each of them would be garbage of the size of the facts.
  const hosts = new Set<string>();
  for (const m of merged.values()) if (m.finding.indicator !== null && !isIpLiteral(m.finding.host)) hosts.add(m.finding.host);
  const byName = new Map<string, ConnectionFact[]>();
  if (hosts.size === 0) return;
  for (const c of input.facts.connections) {
    for (const n of namesOf(input.facts, c, c.dst)) {
      if (!hosts.has(n)) continue;
      const l = byName.get(n);
      if (l) l.push(c);
      else byName.set(n, [c]);
    }
  }
  for (const m of merged.values()) {
    const f = m.finding;
    if (f.indicator === null || isIpLiteral(f.host)) continue;
    for (const c of byName.get(f.host) ?? []) {
      const e = evConn(c);
      m.evidence.set(evidenceKey(e), e);
    }
  }
}

/** The apps (by uid) behind a finding's evidence: every fact a PCAPdroid capture made carries one. */
function appsOf(evidence: Iterable<Evidence>, apps: Map<number, AppRef>): AppRef[] {
  const seen = new Map<number, AppRef>();
  for (const e of evidence) {
    const uid = (e.fact as { app?: unknown } | undefined)?.app;
    if (typeof uid !== 'number' || seen.has(uid)) continue;
    seen.set(uid, apps.get(uid) ?? { uid, package: null, name: null });
  }
  return [...seen.values()];
}

export function detect(input: DetectionInput): DetectionResult {
  const { facts, indicators, config } = input;
  const disabled = new Set(config.disabled);
  const allow = new AllowList(indicators, config);
  const ctx = buildCtx(facts, indicators, config, allow);
  const candidates: Candidate[] = [...iocRules(ctx), ...protoRules(ctx), ...tlsRules(ctx), ...behaviourRules(ctx), ...payloadRules(ctx)].filter((c) => !disabled.has(c.finding.id));
  const kept = allow.apply(candidates);

  const merged = new Map<string, Merged>();
  for (const f of kept) {
    const key = findingKey(f);
    const m = merged.get(key);
    if (m) mergeInto(m, f);
    else merged.set(key, { finding: { ...f, params: { ...f.params } }, evidence: new Map(f.evidence.map((e) => [evidenceKey(e), e])) });
  }
  attachConnections(input, merged);

  const findings: Finding[] = [];
  const apps = new Map((facts.apps ?? []).map((a) => [a.uid, { uid: a.uid, package: a.package, name: a.name }]));
  for (const m of merged.values()) {
    const all = [...m.evidence.values()].sort(byTime);
    if (apps.size > 0) {
      const used = appsOf(all, apps);
      if (used.length > 0) m.finding.apps = used;
    }
    m.finding.params.evidenceCount = all.length;
    m.finding.evidence = all.slice(0, Math.max(0, config.maxEvidence));
    findings.push(m.finding);
  }

  // ADV-01: one piece of advice per host that gathered several different findings, at the level of
  // the worst of them, so the report can say "look at this server as a whole".
  if (!disabled.has('ADV-01')) {
    const byHost = new Map<string, Finding[]>();
    for (const f of findings) {
      const l = byHost.get(f.host);
      if (l) l.push(f);
      else byHost.set(f.host, [f]);
    }
    for (const [host, list] of byHost) {
      const ids = [...new Set(list.map((f) => f.id))].sort();
      if (ids.length < 2) continue;
      const level = list.reduce((lv, f) => maxLevel(lv, f.level), list[0]!.level);
      const family = list.find((f) => f.level === level && f.family)?.family ?? list.find((f) => f.family)?.family ?? null;
      findings.push({
        id: 'ADV-01',
        level,
        host,
        family,
        indicator: null,
        params: { host, count: ids.length, rules: ids.join(', '), family: family ?? '', evidenceCount: 0 },
        evidence: [],
        alsoAllowedBy: list.find((f) => f.alsoAllowedBy)?.alsoAllowedBy ?? null,
        ...(list.some((f) => f.apps) ? { apps: [...new Map(list.flatMap((f) => f.apps ?? []).map((a) => [a.uid, a])).values()] } : {}),
      });
    }
  }

  findings.sort((a, b) => {
    const l = LEVEL_RANK[b.level] - LEVEL_RANK[a.level];
    if (l !== 0) return l;
    if (a.host !== b.host) return a.host < b.host ? -1 : 1;
    if (a.id !== b.id) return a.id === 'ADV-01' ? -1 : b.id === 'ADV-01' ? 1 : a.id < b.id ? -1 : 1;
    const x = a.indicator?.value ?? '';
    const y = b.indicator?.value ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const allowed = allow.allowedHosts(disabled);
  const notes = trafficNotes({ facts, findings, allowed, config, feeds: input.feeds, mode: input.mode, now: input.now, thresholds: input.thresholds });
  return { findings, allowed, notes };
}
