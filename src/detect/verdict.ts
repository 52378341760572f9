import { DEFAULT_DETECTION_CONFIG } from './config.js';
import type { AllowedHost, Finding } from './types.js';
import type { Facts } from '../inspect/facts.js';
import type { Message } from '../report/i18n/index.js';
import { LIST_SEP, type FeedSummary, type Verdict, type VerdictLevel } from '../analysis/types.js';

/**
 * The one overall answer, derived from findings by these rules (the detection rules decide each
 * finding's level; the verdict never re-weighs them):
 *
 * 1. **high** — at least one finding is `high`. `families` are the distinct families named by the high
 *    findings, most hosts first. The summary names them with the number of distinct hosts behind them
 *    ("this phone contacted 3 servers used by TheTruthSpy"); without a family it counts the hosts.
 * 2. **moderate** — no high finding, at least one `moderate`. When moderate findings name a family (a
 *    visit to a vendor's sales website, for example) it is named; otherwise the signs are counted.
 * 3. **low** — only `low` findings. Families of low findings are named the same way.
 * 4. **none** — no finding at all (allow-listed hosts are not findings).
 * 5. **inconclusive** — instead of low or none when the recording is shorter than
 *    `inconclusiveMinSeconds` or carries fewer than `inconclusiveMinBytes` (detection settings): too
 *    little was seen to call the phone clean. High and moderate stand whatever the length: what was
 *    seen was seen. The summary states the length and volume actually recorded.
 *
 * Several moderate signs do not add up to high here: ADV-01, the per-host summary advice, is where
 * detection combines signs, so the verdict and the findings list can never disagree. Summary advice
 * (ADV-*) is not counted as a sign of its own.
 *
 * The limits are always stated, in this order: the recording's length and volume (plus a warning when
 * it is short or idle, or damaged); whether indicator lists were loaded and how fresh they are (plus a
 * warning when the oldest is stale or an update failed); traffic the check could not see into (VPN or
 * Tor tunnels, encrypted DNS, encrypted connections without a server name); that encrypted traffic
 * shows whom the phone talks to but not what it says; and that finding nothing is not proof.
 *
 * Message params with these names are raw values the renderer formats for the reader's language:
 * `date`/`oldest` (ISO time), `duration` (seconds), `size` (bytes), `family` (names joined by LIST_SEP,
 * rendered as "A, B and C").
 */

export interface VerdictThresholds {
  /** A recording shorter than this proves little: many stalkerware apps report every 15–60 minutes. */
  minDurationSeconds: number;
  /** Below this much traffic the phone was essentially idle. */
  minBytes: number;
  minPackets: number;
  /** The length the short-capture advice asks for. */
  adviseMinutes: number;
  /** Lists older than this are called stale: vendors move servers within weeks. */
  staleDays: number;
  /** Below either, a verdict that would be low or none is inconclusive (see DetectionConfig). */
  inconclusiveMinSeconds: number;
  inconclusiveMinBytes: number;
}

export const DEFAULT_VERDICT_THRESHOLDS: VerdictThresholds = {
  minDurationSeconds: 15 * 60,
  minBytes: 200 * 1024,
  minPackets: 500,
  adviseMinutes: 30,
  staleDays: 30,
  inconclusiveMinSeconds: 600,
  inconclusiveMinBytes: 50_000,
};

export interface VerdictInput {
  findings: readonly Finding[];
  facts: Facts;
  /** Every list that was loaded, block and allow lists alike. */
  feeds: readonly FeedSummary[];
  /** Rule ids whose findings mean "traffic hidden in a tunnel", counted into the VPN limit. */
  tunnelRules?: readonly string[];
  /** Rule ids whose findings mean "name lookups hidden from the check" (DoH/DoT). */
  hiddenDnsRules?: readonly string[];
  now?: Date;
  thresholds?: Partial<VerdictThresholds>;
  /** Hosts an allow-list kept out of the findings: signs of spyware among them are stated as a limit. */
  allowed?: readonly AllowedHost[];
  /** DNS-over-HTTPS resolver names, as detection used them (default: the detection defaults). */
  dohResolvers?: readonly string[];
}

/** Ports of VPN and Tor tunnels that hide what travels inside them. */
const TUNNEL_PORTS: Record<'tcp' | 'udp', ReadonlySet<number>> = {
  udp: new Set([500, 4500, 1194, 51820, 1701]),
  tcp: new Set([1194, 1723, 9001, 9030, 9050, 9150]),
};

export const DEFAULT_TUNNEL_RULES: readonly string[] = ['IOC-11', 'BEH-VPN', 'BEH-TOR'];
export const DEFAULT_HIDDEN_DNS_RULES: readonly string[] = ['IOC-13', 'BEH-DOH', 'BEH-DOT'];

function isSummaryAdvice(f: Finding): boolean {
  return f.id.startsWith('ADV-');
}

/** Families by number of distinct hosts, most first, then by name for a stable order. */
function familiesOf(findings: readonly Finding[]): { families: string[]; hosts: number } {
  const hostsBy = new Map<string, Set<string>>();
  const allHosts = new Set<string>();
  for (const f of findings) {
    if (!f.family) continue;
    const set = hostsBy.get(f.family) ?? new Set<string>();
    set.add(f.host.toLowerCase());
    hostsBy.set(f.family, set);
    allHosts.add(f.host.toLowerCase());
  }
  const families = [...hostsBy.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([name]) => name);
  return { families, hosts: allHosts.size };
}

/** Too short or too quiet to call a phone clean. */
export function tooLittleRecorded(facts: Facts, th: Pick<VerdictThresholds, 'inconclusiveMinSeconds' | 'inconclusiveMinBytes'>): boolean {
  return captureDurationSeconds(facts) < th.inconclusiveMinSeconds || facts.capture.bytes < th.inconclusiveMinBytes;
}

function levelOf(findings: readonly Finding[]): VerdictLevel {
  if (findings.some((f) => f.level === 'high')) return 'high';
  if (findings.some((f) => f.level === 'moderate')) return 'moderate';
  if (findings.length > 0) return 'low';
  return 'none';
}

export function captureDurationSeconds(facts: Facts): number {
  const { firstSeen, lastSeen } = facts.capture;
  if (!firstSeen || !lastSeen) return 0;
  return Math.max(0, (Date.parse(lastSeen) - Date.parse(firstSeen)) / 1000);
}

function summaryOf(level: VerdictLevel, atLevel: readonly Finding[]): { summary: Message; families: string[] } {
  const signs = atLevel.filter((f) => !isSummaryAdvice(f));
  const { families, hosts } = familiesOf(atLevel);
  const family = families.join(LIST_SEP);
  switch (level) {
    case 'high':
      if (families.length > 0) return { families, summary: { key: 'verdict.summary.high.family', params: { count: hosts, family } } };
      return {
        families,
        summary: { key: 'verdict.summary.high.nofamily', params: { count: new Set(atLevel.map((f) => f.host.toLowerCase())).size } },
      };
    case 'moderate':
    case 'low':
      if (families.length > 0) return { families, summary: { key: 'verdict.summary.linked', params: { family } } };
      return { families, summary: { key: `verdict.summary.${level}`, params: { count: Math.max(1, signs.length) } } };
    case 'none':
      return { families, summary: { key: 'verdict.summary.none', params: {} } };
    case 'inconclusive':
      return { families, summary: { key: 'verdict.summary.inconclusive', params: {} } };
  }
}

function hiddenTraffic(input: VerdictInput): { tunnels: number; dns: number; noName: number } {
  const { facts, findings } = input;
  const tunnelRules = new Set(input.tunnelRules ?? DEFAULT_TUNNEL_RULES);
  const dnsRules = new Set(input.hiddenDnsRules ?? DEFAULT_HIDDEN_DNS_RULES);
  const tunnelKeys = new Set<string>();
  const dnsKeys = new Set<string>();
  const tunnelFindings = new Set<string>();
  const dnsFindings = new Set<string>();
  for (const c of facts.connections) {
    const key = `${c.proto}|${c.dst}|${c.dport}`;
    if ((c.proto === 'tcp' || c.proto === 'udp') && TUNNEL_PORTS[c.proto].has(c.dport)) tunnelKeys.add(key);
    if (c.dport === 853) dnsKeys.add(key);
  }
  const doh = input.dohResolvers ?? DEFAULT_DETECTION_CONFIG.dohResolvers;
  const isDoh = (name: string | null): boolean => {
    if (!name) return false;
    const n = name.toLowerCase();
    return doh.some((d) => n === d || n.endsWith(`.${d}`));
  };
  for (const s of [...facts.tls, ...facts.quic]) if (isDoh(s.sni)) dnsKeys.add(`${s.server}|${s.dport}`);
  // Detection may name a host the port and resolver lists do not know; the larger count is kept so the
  // same tunnel, seen as an address here and as a name there, is not counted twice.
  for (const f of findings) {
    if (tunnelRules.has(f.id)) tunnelFindings.add(f.host.toLowerCase());
    if (dnsRules.has(f.id)) dnsFindings.add(f.host.toLowerCase());
  }
  let noName = 0;
  for (const s of [...facts.tls, ...facts.quic]) {
    if (s.sni) continue;
    if ((facts.addressNames[s.server] ?? []).length > 0) continue;
    noName++;
  }
  return {
    tunnels: Math.max(tunnelKeys.size, tunnelFindings.size),
    dns: Math.max(dnsKeys.size, dnsFindings.size),
    noName,
  };
}

function daysBetween(fromIso: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(fromIso)) / 86_400_000);
}

function limitsOf(input: VerdictInput): Message[] {
  const th = { ...DEFAULT_VERDICT_THRESHOLDS, ...input.thresholds };
  const { facts } = input;
  const now = input.now ?? new Date();
  const limits: Message[] = [];
  const duration = captureDurationSeconds(facts);
  limits.push({ key: 'limit.capture', params: { duration, packets: facts.capture.packets, size: facts.capture.bytes } });
  if (duration < th.minDurationSeconds || facts.capture.bytes < th.minBytes || facts.capture.packets < th.minPackets) {
    limits.push({ key: 'limit.short', params: { minutes: th.adviseMinutes } });
  }
  if (facts.capture.truncated) limits.push({ key: 'limit.damaged', params: {} });
  // The engine bounds what it keeps; past the bounds, traffic is counted but not examined (capture.omitted, flows.table-full).
  if (Object.keys(facts.capture.omitted ?? {}).length > 0 || (facts.capture.malformed['flows.table-full'] ?? 0) > 0) {
    limits.push({ key: 'limit.partial', params: {} });
  }

  const block = input.feeds.filter((f) => f.list === 'block');
  if (block.length === 0 || block.every((f) => f.indicators + f.rules === 0)) {
    limits.push({ key: 'limit.noFeeds', params: {} });
  } else {
    const dates = block.map((f) => f.date).filter((d): d is string => d !== null).sort();
    const indicators = block.reduce((n, f) => n + f.indicators + f.rules, 0);
    const newest = dates[dates.length - 1] ?? '';
    const oldest = dates[0] ?? '';
    limits.push({ key: 'limit.feeds', params: { count: block.length, indicators, date: newest, oldest } });
    if (oldest && daysBetween(oldest, now) > th.staleDays) limits.push({ key: 'limit.feedsOld', params: { days: daysBetween(oldest, now) } });
    for (const f of block) if (f.lastError) limits.push({ key: 'limit.feedFailed', params: { feed: f.name } });
  }

  // An allow entry never makes a sign of spyware vanish unseen: the verdict says it was hidden and by what family.
  const hiddenByAllow = (input.allowed ?? []).filter((a) => a.level === 'high' || a.level === 'moderate');
  if (hiddenByAllow.length > 0) {
    const families = [...new Set(hiddenByAllow.flatMap((a) => a.families))].sort();
    limits.push(
      families.length > 0
        ? { key: 'limit.allowHid.family', params: { family: families.join(LIST_SEP), count: hiddenByAllow.length } }
        : { key: 'limit.allowHid', params: { count: hiddenByAllow.length } },
    );
  }

  const hidden = hiddenTraffic(input);
  if (hidden.tunnels > 0) limits.push({ key: 'limit.hidden.vpn', params: { count: hidden.tunnels } });
  if (hidden.dns > 0) limits.push({ key: 'limit.hidden.dns', params: { count: hidden.dns } });
  if (hidden.noName > 0) limits.push({ key: 'limit.hidden.noname', params: { count: hidden.noName } });
  limits.push({ key: 'limit.encrypted', params: {} });
  limits.push({ key: 'limit.notProof', params: {} });
  return limits;
}

export function computeVerdict(input: VerdictInput): Verdict {
  const th = { ...DEFAULT_VERDICT_THRESHOLDS, ...input.thresholds };
  const found = levelOf(input.findings);
  const level: VerdictLevel = (found === 'none' || found === 'low') && tooLittleRecorded(input.facts, th) ? 'inconclusive' : found;
  const atLevel = level === 'none' || level === 'inconclusive' ? [] : input.findings.filter((f) => f.level === level);
  const { summary, families } = summaryOf(level, atLevel);
  if (level === 'inconclusive') {
    summary.params = { duration: captureDurationSeconds(input.facts), size: input.facts.capture.bytes, minutes: th.adviseMinutes };
  }
  return { level, families, summary, limits: limitsOf(input) };
}
