import type { Indicators, Match } from '../indicators/matcher.js';
import { parseCidr } from '../indicators/normalize.js';
import { indicatorLevel } from './ioc.js';
import type { Level } from './types.js';

/**
 * What an allow-list entry would hide, asked before it is saved. allow.ts silences an indicator
 * that is no more specific than an allow entry for the same name or address: allowing
 * `api.flexispy.com` hides Echap's FlexiSpy server of that name (and any parent entry), so the
 * next check of an infected phone would say nothing. The admin is shown the families and the
 * indicators first and has to confirm; entries that would allow everything are refused outright.
 */

export interface HiddenIndicator {
  value: string;
  kind: string;
  family: string | null;
  tag: string | null;
  feed: string;
  level: Level;
}

export interface AllowImpact {
  /** Block-list indicators whose findings this entry would silence, most severe first. */
  hides: HiddenIndicator[];
  families: string[];
}

/** Why an entry cannot be allowed at all, or null. Values are already normalised. */
export function allowEntryRefusal(kind: 'domain' | 'ip' | 'cidr', value: string): string | null {
  if (kind === 'domain') {
    // A single label is a whole top-level domain (`com`): every site under it would go unreported.
    if (!value.includes('.')) return `"${value}" is a whole top-level domain: allow a site's own name instead (for example example.${value})`;
    return null;
  }
  const c = parseCidr(value);
  if (c && c.prefix === 0) return `"${value}" is every address there is: allow one address or a small network instead`;
  return null;
}

const RANK: Record<Level, number> = { high: 3, moderate: 2, low: 1 };

function hidden(m: Match): HiddenIndicator {
  return { value: m.value, kind: m.kind, family: m.family, tag: m.tag, feed: m.feed, level: indicatorLevel(m) };
}

export function allowImpact(indicators: Indicators, kind: 'domain' | 'ip' | 'cidr', value: string): AllowImpact {
  let matches: readonly Match[];
  if (kind === 'domain') {
    // The name itself and its parents: each is no more specific than the entry, so each is silenced
    // for this name and every name below it.
    matches = indicators.matchDomain(value).filter((m) => m.kind !== 'ns');
  } else {
    const c = parseCidr(value);
    const prefix = c?.prefix ?? 0;
    matches = indicators.matchIp(value.split('/')[0]!).filter((m) => (m.prefix ?? 0) <= prefix);
  }
  const seen = new Set<string>();
  const hides: HiddenIndicator[] = [];
  for (const m of matches) {
    if (m.list !== 'block') continue;
    const key = `${m.value}\u0000${m.kind}\u0000${m.feed}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hides.push(hidden(m));
  }
  hides.sort((a, b) => RANK[b.level] - RANK[a.level] || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const families = [...new Set(hides.map((h) => h.family).filter((f): f is string => !!f))].sort();
  return { hides, families };
}
