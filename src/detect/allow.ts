import type { Indicators } from '../indicators/matcher.js';
import { labelCount, lowerName, underDomain, type Candidate } from './context.js';
import type { AllowedHost, AllowRef, DetectionConfig, Finding, IndicatorRef } from './types.js';

/**
 * The one place that decides what an allow-list may hide. TinyCheck dropped every
 * connection to an allowed cloud before looking at indicators, which hid stalkerware servers that
 * live on those clouds (pcTattletale on `*.s3.amazonaws.com`, Spylix on `*.cloudfront.net`).
 *
 * Specificity, from most to least specific: a name entry with more labels, a name entry with fewer
 * labels, an address entry with a longer prefix, one with a shorter prefix. Any name is more specific
 * than any address, because an address is shared by every name hosted on it.
 *
 * - An indicator survives when it is strictly more specific than every allow entry that matched the
 *   host; the finding then names the most specific of those entries in `alsoAllowedBy`.
 * - An indicator no more specific than an allow entry (the allow-list names the same domain, or a
 *   sub-domain of it) is silenced: that is an explicit decision by whoever wrote the allow-list.
 * - Heuristics are silenced by any allow entry for the host's name or address, except visibility
 *   rules (VPN, Tor, DoT/DoH): they report what the check could not see, which an allowed resolver
 *   or provider does not change.
 */

interface AllowEntry {
  ref: AllowRef;
  /** Labels for names, prefix bits for addresses. */
  size: number;
  byName: boolean;
}

export interface Decision {
  keep: boolean;
  /** The most specific allow entry that matched, whatever the outcome. */
  entry: AllowRef | null;
}

function moreSpecific(a: AllowEntry, b: AllowEntry): boolean {
  if (a.byName !== b.byName) return a.byName;
  return a.size > b.size;
}

function best(entries: AllowEntry[]): AllowEntry | null {
  let out: AllowEntry | null = null;
  for (const e of entries) if (out === null || moreSpecific(e, out)) out = e;
  return out;
}

export class AllowList {
  private nameCache = new Map<string, AllowEntry[]>();
  private addrCache = new Map<string, AllowEntry[]>();
  private silenced = new Map<string, { allowedBy: AllowEntry; ids: Set<string>; hidden: Map<string, Finding> }>();

  constructor(
    private readonly indicators: Indicators,
    private readonly config: DetectionConfig,
  ) {}

  nameEntries(name: string): AllowEntry[] {
    const n = lowerName(name);
    let out = this.nameCache.get(n);
    if (out) return out;
    out = [];
    if (n) {
      for (const m of this.indicators.matchDomain(n, true)) {
        if (m.list === 'allow') out.push({ ref: { value: m.value, feed: m.feed }, size: labelCount(m.value), byName: true });
      }
      for (const a of this.config.allowNames) {
        if (underDomain(n, a)) out.push({ ref: { value: a, feed: 'config' }, size: labelCount(a), byName: true });
      }
    }
    this.nameCache.set(n, out);
    return out;
  }

  addressEntries(addr: string): AllowEntry[] {
    let out = this.addrCache.get(addr);
    if (out) return out;
    out = [];
    for (const m of this.indicators.matchIp(addr, true)) {
      if (m.list === 'allow') out.push({ ref: { value: m.value, feed: m.feed }, size: m.prefix ?? 0, byName: false });
    }
    this.addrCache.set(addr, out);
    return out;
  }

  isAllowedName(name: string): boolean {
    return this.nameEntries(name).length > 0;
  }

  decide(c: Candidate): Decision {
    const s = c.subject;
    switch (s.type) {
      case 'name-indicator': {
        const byName = this.nameEntries(s.name);
        const all = s.address ? [...byName, ...this.addressEntries(s.address)] : byName;
        const top = best(all);
        const blocking = byName.some((e) => e.size >= s.labels);
        return { keep: !blocking, entry: top?.ref ?? null };
      }
      case 'address-indicator': {
        const byAddr = this.addressEntries(s.address);
        // Names vouch for an address only when every one of them is allowed: one unknown name on it
        // and the address is no longer known to serve only allowed sites.
        const nameEntries = s.names.length > 0 && s.names.every((n) => this.isAllowedName(n)) ? s.names.flatMap((n) => this.nameEntries(n)) : [];
        const all = [...nameEntries, ...byAddr];
        const top = best(all);
        const blocking = nameEntries.length > 0 || byAddr.some((e) => e.size >= s.prefix);
        return { keep: !blocking, entry: top?.ref ?? null };
      }
      case 'exact-indicator': {
        const all = [...(s.name ? this.nameEntries(s.name) : []), ...(s.address ? this.addressEntries(s.address) : [])];
        return { keep: true, entry: best(all)?.ref ?? null };
      }
      case 'heuristic': {
        const all = [...(s.name ? this.nameEntries(s.name) : []), ...(s.address ? this.addressEntries(s.address) : [])];
        const top = best(all);
        return { keep: top === null || s.visibility === true, entry: top?.ref ?? null };
      }
    }
  }

  /**
   * Runs every candidate through `decide`: kept findings get `alsoAllowedBy`, silenced ones are
   * remembered per host with the rule ids they would have raised.
   */
  apply(cands: Candidate[]): Finding[] {
    const out: Finding[] = [];
    for (const c of cands) {
      const d = this.decide(c);
      if (d.keep) {
        if (d.entry) c.finding.alsoAllowedBy = d.entry;
        out.push(c.finding);
        continue;
      }
      const host = c.finding.host;
      const entry = this.entryFor(c, d.entry!);
      let cur = this.silenced.get(host);
      if (cur) {
        cur.ids.add(c.finding.id);
        if (moreSpecific(entry, cur.allowedBy)) cur.allowedBy = entry;
      } else this.silenced.set(host, (cur = { allowedBy: entry, ids: new Set([c.finding.id]), hidden: new Map() }));
      // Indicator findings the allow-list hid are kept whole: the report shows them in their own
      // section with the family, so an allow entry can never make an infection disappear unseen.
      if (c.finding.indicator) {
        const key = `${c.finding.id}\u0000${c.finding.indicator.value}\u0000${c.finding.indicator.feed}`;
        if (!cur.hidden.has(key)) cur.hidden.set(key, c.finding);
      }
    }
    return out;
  }

  private entryFor(c: Candidate, ref: AllowRef): AllowEntry {
    const s = c.subject;
    const pool = [
      ...(s.type !== 'address-indicator' && s.name ? this.nameEntries(s.name) : []),
      ...(s.type === 'address-indicator' ? s.names.flatMap((n) => this.nameEntries(n)) : []),
      ...(s.address ? this.addressEntries(s.address) : []),
    ];
    return pool.find((e) => e.ref.value === ref.value && e.ref.feed === ref.feed) ?? { ref, size: 0, byName: false };
  }

  /** Hosts kept out of findings, sorted by host, each with the rules it silenced. */
  allowedHosts(disabled: ReadonlySet<string>): AllowedHost[] {
    const out: AllowedHost[] = [];
    for (const [host, v] of this.silenced) {
      const ids = [...v.ids].filter((id) => !disabled.has(id)).sort();
      if (!ids.length) continue;
      const hidden = [...v.hidden.values()].filter((f) => !disabled.has(f.id));
      const rank = { high: 3, moderate: 2, low: 1 } as const;
      const worst = hidden.reduce<Finding | null>((w, f) => (w === null || rank[f.level] > rank[w.level] || (rank[f.level] === rank[w.level] && !w.family && f.family) ? f : w), null);
      const families = [...new Set(hidden.map((f) => f.family).filter((x): x is string => !!x))].sort();
      const indicators: IndicatorRef[] = [];
      for (const f of hidden) if (!indicators.some((i) => i.value === f.indicator!.value && i.feed === f.indicator!.feed && i.kind === f.indicator!.kind)) indicators.push(f.indicator!);
      out.push({ host, allowedBy: v.allowedBy.ref, silenced: ids, level: worst?.level ?? null, family: worst?.family ?? families[0] ?? null, families, indicators });
    }
    return out.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }
}
