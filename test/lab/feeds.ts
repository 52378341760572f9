/**
 * Picks the real indicators the lab scenarios use, programmatically, from Echap's stalkerware-indicators
 * `ioc.yaml` and TinyCheck's `whitelist.json` in ../shared/data/indicators (nothing hard-coded).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INDICATORS } from '../helpers/paths.js';

export const IOC_YAML = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');
export const WHITELIST = join(INDICATORS, 'tinycheck', 'whitelist.json');

export interface Family {
  name: string;
  c2Domains: string[];
  websites: string[];
}

const HOSTNAME = /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.trim().toLowerCase()) : [];
}

export function loadFamilies(path = IOC_YAML): Family[] {
  const doc = parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(doc)) throw new Error(`${path}: expected a list of families`);
  const out: Family[] = [];
  for (const e of doc as Record<string, unknown>[]) {
    if (typeof e['name'] !== 'string') continue;
    const c2 = (e['c2'] ?? {}) as Record<string, unknown>;
    out.push({ name: e['name'], c2Domains: strings(c2['domains']), websites: strings(e['websites']) });
  }
  return out;
}

/** The domain entries of TinyCheck's allow-list, lower case. */
export function loadAllowDomains(path = WHITELIST): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { elements: { type: string; element: string }[] };
  return doc.elements.filter((e) => e.type === 'domain').map((e) => e.element.trim().toLowerCase().replace(/^\*?\./, ''));
}

/** The address entries (CIDR and single addresses) of TinyCheck's allow-list. */
export function loadAllowAddresses(path = WHITELIST): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { elements: { type: string; element: string }[] };
  return doc.elements.filter((e) => e.type !== 'domain').map((e) => e.element.trim());
}

/** `name` equals `parent` or sits under it, on a label boundary. */
export function under(name: string, parent: string): boolean {
  return name === parent || name.endsWith('.' + parent);
}

/** IPv4 `addr` inside the IPv4 CIDR or address `entry` (IPv6 entries never match). */
export function inIpv4(addr: string, entry: string): boolean {
  const [base, bitsText] = entry.split('/');
  const toInt = (a: string): number | null => {
    const p = a.split('.').map(Number);
    if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
    return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
  };
  const a = toInt(addr);
  const b = base === undefined ? null : toInt(base);
  if (a === null || b === null) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

export class Feeds {
  readonly families: Family[];
  readonly allow: string[];
  private readonly owners = new Map<string, Set<string>>();
  private readonly allIndicatorNames: string[] = [];

  constructor(iocPath = IOC_YAML, whitelistPath = WHITELIST) {
    this.families = loadFamilies(iocPath);
    this.allow = loadAllowDomains(whitelistPath);
    for (const f of this.families) {
      for (const d of [...f.c2Domains, ...f.websites]) {
        const set = this.owners.get(d) ?? new Set<string>();
        set.add(f.name);
        this.owners.set(d, set);
        this.allIndicatorNames.push(d);
      }
    }
  }

  allowedParent(name: string): string | null {
    let best: string | null = null;
    for (const a of this.allow) if (under(name, a) && (best === null || a.length > best.length)) best = a;
    return best;
  }

  /** No other indicator name (C2 or website, of any family) is the same as, above or below this one. */
  private alone(name: string): boolean {
    return this.allIndicatorNames.filter((d) => under(d, name) || under(name, d)).every((d) => d === name) &&
      (this.owners.get(name)?.size ?? 0) === 1;
  }

  /** C2 names of a family that can stand for it alone: valid, not allow-listed, owned by it only, not a website. */
  cleanC2(f: Family): string[] {
    const sites = new Set(this.families.flatMap((x) => x.websites));
    return [...new Set(f.c2Domains)]
      .filter((d) => HOSTNAME.test(d) && !sites.has(d) && this.allowedParent(d) === null && this.alone(d))
      .sort();
  }

  /** The first `n` families (in file order) with at least `perFamily` clean C2 names, with those names. */
  pickFamilies(n: number, perFamily: number): { family: string; domains: string[] }[] {
    const out: { family: string; domains: string[] }[] = [];
    for (const f of this.families) {
      if (out.some((o) => o.family === f.name)) continue;
      const ds = this.cleanC2(f);
      if (ds.length >= perFamily) out.push({ family: f.name, domains: ds.slice(0, perFamily) });
      if (out.length === n) return out;
    }
    throw new Error(`ioc.yaml has fewer than ${n} families with ${perFamily} usable C2 names`);
  }

  /** A vendor sales website that is no C2 name of any family, nor above or below one, and not allow-listed. */
  pickWebsite(): { family: string; website: string } {
    const c2 = this.families.flatMap((f) => f.c2Domains);
    for (const f of this.families) {
      for (const w of [...f.websites].sort()) {
        if (!HOSTNAME.test(w) || this.allowedParent(w) !== null) continue;
        if (c2.some((d) => under(d, w) || under(w, d))) continue;
        if ((this.owners.get(w)?.size ?? 0) !== 1) continue;
        return { family: f.name, website: w };
      }
    }
    throw new Error('ioc.yaml has no vendor website usable alone');
  }

  /** Every C2 name strictly under an allow-listed parent, with its family and that parent. */
  allowListedC2(): { family: string; domain: string; parent: string }[] {
    const out: { family: string; domain: string; parent: string }[] = [];
    for (const f of this.families) {
      for (const d of new Set(f.c2Domains)) {
        const parent = this.allowedParent(d);
        if (parent !== null && parent !== d && HOSTNAME.test(d) && (this.owners.get(d)?.size ?? 0) === 1) {
          out.push({ family: f.name, domain: d, parent });
        }
      }
    }
    return out;
  }

  /**
   * The issue-8 candidate for an upload scenario: a C2 name under the allow-listed parent that covers the most
   * C2 names (a shared cloud such as an object store, not a one-off), first in name order.
   */
  pickAllowListedCloudC2(): { family: string; domain: string; parent: string } {
    const all = this.allowListedC2();
    if (all.length === 0) throw new Error('no C2 name of ioc.yaml sits under an allow-listed parent');
    const count = new Map<string, number>();
    for (const c of all) count.set(c.parent, (count.get(c.parent) ?? 0) + 1);
    return [...all].sort((a, b) => count.get(b.parent)! - count.get(a.parent)! || a.parent.localeCompare(b.parent) || a.domain.localeCompare(b.domain))[0]!;
  }
}
