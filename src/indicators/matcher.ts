import { domainToASCII } from 'node:url';
import { normaliseName } from '../decode/name.js';
import { formatIPv4, normalizeHex, normalizeUrl, parseCidr, parseIPv4, parseIPv6, v4Mask, v6Mask } from './normalize.js';
import { ALL_KINDS, spaceOf, type IndicatorKind, type ParsedIndicator, type PayloadRule } from './types.js';

/**
 * The one object every detection rule asks. Indicators are kept column-wise (typed arrays and string
 * tables) rather than one object each: a million domains then cost their key strings plus a few bytes,
 * and a lookup that finds nothing allocates nothing beyond the label walk.
 */

export type ListRole = 'block' | 'allow';

export interface FeedInfo {
  name: string;
  version: string | null;
  /** Allow-list feeds (TinyCheck's whitelist, the user's own) are matched like the rest and reported as `allowed`. */
  list: ListRole;
}

export interface Match {
  /** The indicator's value as stored (the parent domain or the CIDR that matched). */
  value: string;
  kind: IndicatorKind;
  family: string | null;
  tag: string | null;
  tlp: string | null;
  feed: string;
  feedVersion: string | null;
  source: string;
  meta: Record<string, string> | null;
  list: ListRole;
  /** exact: the value itself; parent: a parent domain of it; prefix: a CIDR containing it. */
  how: 'exact' | 'parent' | 'prefix';
  /** CIDR length for IP matches. */
  prefix: number | null;
  /** True when the looked-up value is on an allow-list (this match may itself be the allow-list entry). */
  allowed: boolean;
}

export interface PayloadFlow {
  proto: 'tcp' | 'udp';
  sport: number;
  dport: number;
  /** Which way the bytes went; rules with `flow:to_server`/`to_client` only look at their side. */
  toServer: boolean;
}

export interface RuleMatch {
  rule: PayloadRule;
  feed: string;
  feedVersion: string | null;
  allowed: false;
}

const KIND_CODE = new Map<IndicatorKind, number>(ALL_KINDS.map((k, i) => [k, i]));
const CERT_KINDS = new Set<IndicatorKind>(['tls-cert-sha1', 'tls-cert-sha256']);
const HASH_KINDS = new Set<IndicatorKind>([
  'tls-cert-sha1',
  'tls-cert-sha256',
  'apk-cert-sha1',
  'apk-cert-sha256',
  'apk-cert-md5',
  'file-sha256',
  'apk-sha256',
  'file-sha1',
  'file-md5',
  'ja3',
  'ja3s',
]);
const APK_HASH_KINDS = new Set<IndicatorKind>(['apk-sha256', 'file-sha256']);
const APK_CERT_KINDS = new Set<IndicatorKind>(['apk-cert-sha1', 'apk-cert-sha256', 'apk-cert-md5']);
const APP_ID_KINDS = new Set<IndicatorKind>(['app-id']);
const EMPTY: readonly Match[] = Object.freeze([]);
/**
 * A domain entry from a rule that matches the whole name only (Echap's `dns.query; content:"x.com";
 * depth:5; endswith;`). Such a rule says nothing about sub-domains, so they must not inherit it.
 */
const FLAG_EXACT_NAME = 1;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the name read right to left: the order the lookup walk produces suffix hashes in. */
function suffixHash(name: string): number {
  let h = FNV_OFFSET;
  for (let p = name.length - 1; p >= 0; p--) h = Math.imul(h ^ name.charCodeAt(p), FNV_PRIME);
  return h;
}

function grow<T extends Int32Array | Uint8Array | Uint16Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** True when `s` is already what the domain Map is keyed by, so the common case skips normalisation. */
function isCanonicalName(s: string): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(n - 1) === 0x2e) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

function canonicalName(s: string): string | null {
  if (isCanonicalName(s)) return s;
  let t = normaliseName(s);
  if (!t) return null;
  // The IDN conversion turns an ideographic full stop at the end ("example。") into a dot, which must go too.
  if (!isCanonicalName(t)) t = normaliseName(domainToASCII(t));
  return t || null;
}

export class Indicators {
  private count = 0;
  private kinds = new Uint8Array(1024);
  private feedIdx = new Uint16Array(1024);
  private famIdx = new Int32Array(1024);
  private tagIdx = new Int32Array(1024);
  private tlpIdx = new Int32Array(1024);
  /** Next indicator with the same key, -1 at the end: several feeds often list the same domain. */
  private next = new Int32Array(1024);
  private prefixLen = new Uint8Array(1024);
  /** FLAG_EXACT_NAME for domain entries that cover only the name itself, not its sub-domains. */
  private flags = new Uint8Array(1024);
  /** IPv4 indicators keep their number (the Map key) rather than text: a third of the memory. */
  private values: (string | number)[] = [];
  private sources: string[] = [];
  private metas = new Map<number, Record<string, string>>();
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private feeds: FeedInfo[] = [];
  private feedIds = new Map<string, number>();

  private domains = new Map<string, number>();
  /**
   * A bit per hash of every stored domain, so the label walk can skip the Map (and the substring it
   * needs) for suffixes that cannot be there. Almost every name in real traffic is such a miss.
   */
  private domainBits = new Int32Array(1 << 11);
  private domainBitsLog = 16;
  private v4 = new Array<Map<number, number> | undefined>(33);
  private v4Lens: number[] = [];
  private v6 = new Array<Map<bigint, number> | undefined>(129);
  private v6Lens: number[] = [];
  private urls = new Map<string, number>();
  private others = new Map<string, number>();
  private rules: { rule: PayloadRule; feed: number }[] = [];
  private rulesByPort = new Map<number, { rule: PayloadRule; feed: number }[]>();
  private rulesAnyPort: { rule: PayloadRule; feed: number }[] = [];
  private hasAllow = false;

  get size(): number {
    return this.count;
  }

  get payloadRules(): readonly PayloadRule[] {
    return this.rules.map((r) => r.rule);
  }

  private intern(s: string | null): number {
    if (s === null) return -1;
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private feedId(feed: FeedInfo): number {
    let id = this.feedIds.get(feed.name);
    if (id === undefined) {
      id = this.feeds.length;
      if (id > 0xffff) throw new Error('too many feeds');
      this.feeds.push(feed);
      this.feedIds.set(feed.name, id);
      if (feed.list === 'allow') this.hasAllow = true;
    }
    return id;
  }

  /** Adds one parsed (already normalised) indicator. Values that do not parse for their kind are refused. */
  add(ind: ParsedIndicator, feed: FeedInfo): boolean {
    const i = this.count;
    const kindCode = KIND_CODE.get(ind.kind);
    if (kindCode === undefined) return false;
    let chainHead: Map<unknown, number>;
    let key: unknown;
    let prefix = 0;
    let flags = 0;
    switch (spaceOf(ind.kind)) {
      case 'domain':
        if (ind.meta?.rule === 'exact-name') flags |= FLAG_EXACT_NAME;
        chainHead = this.domains;
        key = ind.value;
        if (!this.domains.has(ind.value)) this.setDomainBit(ind.value);
        break;
      case 'ip': {
        const c = parseCidr(ind.value);
        if (!c) return false;
        prefix = c.prefix;
        if (c.family === 4) {
          let m = this.v4[prefix];
          if (!m) {
            this.v4[prefix] = m = new Map();
            this.v4Lens = [...this.v4Lens, prefix].sort((a, b) => b - a);
          }
          chainHead = m;
          key = c.v4;
        } else {
          let m = this.v6[prefix];
          if (!m) {
            this.v6[prefix] = m = new Map();
            this.v6Lens = [...this.v6Lens, prefix].sort((a, b) => b - a);
          }
          chainHead = m;
          key = c.v6;
        }
        break;
      }
      case 'url':
        chainHead = this.urls;
        key = ind.value;
        break;
      default:
        chainHead = this.others;
        key = ind.value;
    }
    const need = i + 1;
    if (need > this.kinds.length) {
      const n = Math.max(need, this.kinds.length * 2);
      this.kinds = grow(this.kinds, n);
      this.feedIdx = grow(this.feedIdx, n);
      this.famIdx = grow(this.famIdx, n);
      this.tagIdx = grow(this.tagIdx, n);
      this.tlpIdx = grow(this.tlpIdx, n);
      this.next = grow(this.next, n);
      this.prefixLen = grow(this.prefixLen, n);
      this.flags = grow(this.flags, n);
    }
    this.kinds[i] = kindCode;
    this.feedIdx[i] = this.feedId(feed);
    this.famIdx[i] = this.intern(ind.family);
    this.tagIdx[i] = this.intern(ind.tag);
    this.tlpIdx[i] = this.intern(ind.tlp);
    this.prefixLen[i] = prefix;
    this.flags[i] = flags;
    this.values.push(typeof key === 'number' ? key : ind.value);
    this.sources.push(ind.source);
    if (ind.meta) this.metas.set(i, ind.meta);
    const head = chainHead.get(key);
    this.next[i] = head === undefined ? -1 : head;
    chainHead.set(key, i);
    this.count++;
    return true;
  }

  addRule(rule: PayloadRule, feed: FeedInfo): void {
    const entry = { rule, feed: this.feedId(feed) };
    this.rules.push(entry);
    if (rule.dstPorts === null) this.rulesAnyPort.push(entry);
    else
      for (const p of rule.dstPorts) {
        let l = this.rulesByPort.get(p);
        if (!l) this.rulesByPort.set(p, (l = []));
        l.push(entry);
      }
  }

  private setDomainBit(name: string): void {
    if (this.domains.size * 16 > 1 << this.domainBitsLog && this.domainBitsLog < 27) {
      this.domainBitsLog++;
      this.domainBits = new Int32Array(1 << (this.domainBitsLog - 5));
      for (const k of this.domains.keys()) this.setBit(suffixHash(k));
    }
    this.setBit(suffixHash(name));
  }

  private setBit(h: number): void {
    const idx = h >>> (32 - this.domainBitsLog);
    this.domainBits[idx >>> 5]! |= 1 << (idx & 31);
  }

  /**
   * Walks the name's suffixes from the top-level label down, hashing as it goes; only suffixes whose
   * hash bit is set are cut out and looked up. Returns hit indicator indexes, longest suffix first.
   * Exact-name entries only answer for the whole name, never as a parent.
   */
  private domainHits(n: string, blockOnly: boolean, firstOnly: boolean): number[] | null {
    const bits = this.domainBits;
    const shift = 32 - this.domainBitsLog;
    let h = FNV_OFFSET;
    let starts: number[] | null = null;
    for (let p = n.length - 1; ; p--) {
      if (p < 0 || n.charCodeAt(p) === 0x2e) {
        const idx = h >>> shift;
        if ((bits[idx >>> 5]! & (1 << (idx & 31))) !== 0) (starts ??= []).push(p + 1);
        if (p < 0) break;
      }
      h = Math.imul(h ^ n.charCodeAt(p), FNV_PRIME);
    }
    if (starts === null) return null;
    let hits: number[] | null = null;
    for (let k = starts.length - 1; k >= 0; k--) {
      const start = starts[k]!;
      for (let i = this.domains.get(start === 0 ? n : n.slice(start)) ?? -1; i >= 0; i = this.next[i]!) {
        if (start !== 0 && (this.flags[i]! & FLAG_EXACT_NAME) !== 0) continue;
        if (blockOnly && this.isAllowIdx(i)) continue;
        (hits ??= []).push(i);
        if (firstOnly) return hits;
      }
    }
    return hits;
  }

  private materialize(i: number, how: Match['how'], allowed: boolean): Match {
    const feed = this.feeds[this.feedIdx[i]!]!;
    const kind = ALL_KINDS[this.kinds[i]!]!;
    const str = (id: number): string | null => (id < 0 ? null : this.strings[id]!);
    const raw = this.values[i]!;
    const value = typeof raw === 'number' ? (this.prefixLen[i] === 32 ? formatIPv4(raw) : `${formatIPv4(raw)}/${this.prefixLen[i]}`) : raw;
    return {
      value,
      kind,
      family: str(this.famIdx[i]!),
      tag: str(this.tagIdx[i]!),
      tlp: str(this.tlpIdx[i]!),
      feed: feed.name,
      feedVersion: feed.version,
      source: this.sources[i]!,
      meta: this.metas.get(i) ?? null,
      list: feed.list,
      how,
      prefix: spaceOf(kind) === 'ip' ? this.prefixLen[i]! : null,
      allowed,
    };
  }

  private isAllowIdx(i: number): boolean {
    return this.feeds[this.feedIdx[i]!]!.list === 'allow';
  }

  /**
   * Indicators for a domain name: the name itself and every parent (`a.b.evil.com` → `b.evil.com`,
   * `evil.com`, `com`), so a sub-domain matches while `notevil.com` never matches `evil.com`; an
   * exact-name entry (`meta.rule: 'exact-name'`) matches only the name itself. Case, a trailing dot and IDN (Unicode or xn--) are normalised. Allow-list entries are left out
   * unless `includeAllowList`; every match says whether the name is allowed.
   */
  matchDomain(name: string, includeAllowList = false): readonly Match[] {
    const n = canonicalName(name);
    if (n === null) return EMPTY;
    const hits = this.domainHits(n, false, false);
    if (hits === null) return EMPTY;
    let allowed = false;
    for (const i of hits) if (this.isAllowIdx(i)) allowed = true;
    const out: Match[] = [];
    for (const i of hits) {
      if (!includeAllowList && this.isAllowIdx(i)) continue;
      out.push(this.materialize(i, (this.values[i] as string).length === n.length ? 'exact' : 'parent', allowed));
    }
    return out;
  }

  /** Whether a domain (or a parent) is on an allow-list. */
  isAllowedDomain(name: string): boolean {
    if (!this.hasAllow) return false;
    const n = canonicalName(name);
    const hits = n === null ? null : this.domainHits(n, false, false);
    return hits !== null && hits.some((i) => this.isAllowIdx(i));
  }

  /** Quick yes/no for the hot path: does any block-list indicator cover this name? */
  hasDomain(name: string): boolean {
    const n = canonicalName(name);
    return n !== null && this.domainHits(n, true, true) !== null;
  }

  /**
   * Indicators for an IP address (IPv4 as text or a 32-bit number, IPv6 as text): the exact address
   * and every CIDR that contains it, longest prefix first.
   */
  matchIp(addr: string | number, includeAllowList = false): readonly Match[] {
    let hits: number[] | null = null;
    const isV4 = typeof addr === 'number' || addr.indexOf(':') < 0;
    if (isV4) {
      const v = typeof addr === 'number' ? addr >>> 0 : parseIPv4(addr);
      if (v === null) return EMPTY;
      for (const len of this.v4Lens) {
        for (let i = this.v4[len]!.get((v & v4Mask(len)) >>> 0) ?? -1; i >= 0; i = this.next[i]!) (hits ??= []).push(i);
      }
    } else {
      const v = parseIPv6(addr);
      if (v === null) return EMPTY;
      if (v >> 32n === 0xffffn) return this.matchIp(Number(v & 0xffffffffn), includeAllowList);
      for (const len of this.v6Lens) {
        for (let i = this.v6[len]!.get(v & v6Mask(len)) ?? -1; i >= 0; i = this.next[i]!) (hits ??= []).push(i);
      }
    }
    const full = isV4 ? 32 : 128;
    return this.collect(hits, includeAllowList, (i) => (this.prefixLen[i] === full ? 'exact' : 'prefix'));
  }

  private collect(hits: number[] | null, includeAllowList: boolean, how: (i: number) => Match['how']): readonly Match[] {
    if (hits === null) return EMPTY;
    let allowed = false;
    for (const i of hits) if (this.isAllowIdx(i)) allowed = true;
    const out: Match[] = [];
    for (const i of hits) if (includeAllowList || !this.isAllowIdx(i)) out.push(this.materialize(i, how(i), allowed));
    return out;
  }

  private matchOther(value: string | null, kinds: Set<IndicatorKind> | null, includeAllowList: boolean): readonly Match[] {
    if (value === null) return EMPTY;
    let hits: number[] | null = null;
    for (let i = this.others.get(value) ?? -1; i >= 0; i = this.next[i]!) {
      if (kinds === null || kinds.has(ALL_KINDS[this.kinds[i]!]!)) (hits ??= []).push(i);
    }
    return this.collect(hits, includeAllowList, () => 'exact');
  }

  /** A TLS certificate's SHA-1 or SHA-256 fingerprint (any case, colons allowed). */
  matchCertificate(fingerprint: string): readonly Match[] {
    return this.matchOther(normalizeHex(fingerprint, [40, 64]), CERT_KINDS, false);
  }

  matchJa3(md5: string): readonly Match[] {
    return this.matchOther(normalizeHex(md5, [32]), new Set(['ja3', 'ja3s']), false);
  }

  matchJa4(ja4: string): readonly Match[] {
    return this.matchOther(ja4.trim().toLowerCase(), new Set(['ja4']), false);
  }

  /** An Android package name or iOS bundle id. */
  matchAppId(id: string): readonly Match[] {
    return this.matchOther(id.trim().toLowerCase(), APP_ID_KINDS, false);
  }

  /** An installed (or captured) Android package name; any case. The same indicators as matchAppId. */
  matchPackage(name: string): readonly Match[] {
    return this.matchAppId(name);
  }

  /**
   * An APK's SHA-256 (any case, colons allowed): samples lists give it as an APK hash, STIX and MISP
   * as a plain file hash, so both answer.
   */
  matchApkHash(sha256: string): readonly Match[] {
    return this.matchOther(normalizeHex(sha256, [64]), APK_HASH_KINDS, false);
  }

  /**
   * An APK signing certificate's fingerprint: SHA-1, SHA-256 or MD5 by its length, any case, colons
   * allowed. Not a TLS certificate: those are matchCertificate.
   */
  matchApkCertificate(fingerprint: string): readonly Match[] {
    return this.matchOther(normalizeHex(fingerprint, [32, 40, 64]), APK_CERT_KINDS, false);
  }

  /** Any stored hash: file, APK certificate, TLS certificate, JA3. */
  matchHash(hex: string): readonly Match[] {
    return this.matchOther(normalizeHex(hex), HASH_KINDS, false);
  }

  /** A URL (scheme optional): exact host+path+query, then host+path without the query. */
  matchUrl(url: string): readonly Match[] {
    const u = normalizeUrl(url);
    if (u === null) return EMPTY;
    let hits: number[] | null = null;
    for (let i = this.urls.get(u) ?? -1; i >= 0; i = this.next[i]!) (hits ??= []).push(i);
    const q = u.indexOf('?');
    if (q >= 0) for (let i = this.urls.get(u.slice(0, q)) ?? -1; i >= 0; i = this.next[i]!) (hits ??= []).push(i);
    return this.collect(hits, false, () => 'exact');
  }

  /**
   * Payload rules that fire on the first bytes of a flow. Every `content` must be found within its
   * offset/depth window; rules without content fire on the ports alone (TinyCheck's FTP rule).
   */
  matchPayload(flow: PayloadFlow, payload: Uint8Array): RuleMatch[] {
    const out: RuleMatch[] = [];
    const check = (list: { rule: PayloadRule; feed: number }[] | undefined): void => {
      if (!list) return;
      for (const { rule, feed } of list) {
        if (rule.proto !== 'ip' && rule.proto !== flow.proto) continue;
        if (rule.srcPorts !== null && !rule.srcPorts.includes(flow.sport)) continue;
        if (rule.direction === 'to_server' && !flow.toServer) continue;
        if (rule.direction === 'to_client' && flow.toServer) continue;
        if (!rule.contents.every((c) => contentFound(payload, c.bytes, c.offset, c.depth, c.nocase))) continue;
        const f = this.feeds[feed]!;
        out.push({ rule, feed: f.name, feedVersion: f.version, allowed: false });
      }
    };
    check(this.rulesByPort.get(flow.dport));
    check(this.rulesAnyPort);
    return out;
  }

  /**
   * Everything known about a value typed by a person: IP, domain, URL, hash, package name, JA3/JA4.
   * Allow-list entries are included, so a user can see why a name is allowed.
   */
  search(value: string): Match[] {
    const v = value.trim();
    if (!v) return [];
    const out: Match[] = [];
    const ipLike = parseCidr(v);
    if (ipLike) {
      if (v.includes('/')) {
        // A network typed by the user: show indicators on exactly that network.
        const key = ipLike.family === 4 ? ipLike.v4 : ipLike.v6;
        const map = (ipLike.family === 4 ? this.v4[ipLike.prefix] : this.v6[ipLike.prefix]) as Map<unknown, number> | undefined;
        const hits: number[] = [];
        for (let i = map?.get(key) ?? -1; i >= 0; i = this.next[i]!) hits.push(i);
        out.push(...this.collect(hits.length ? hits : null, true, () => 'exact'));
      } else out.push(...this.matchIp(v, true));
      return out;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || (v.includes('/') && !v.startsWith('/'))) {
      out.push(...this.collect(this.urlHits(v), true, () => 'exact'));
      const host = normalizeUrl(v)?.split(/[/:]/)[0];
      if (host) out.push(...this.matchDomain(host, true));
      return out;
    }
    const hex = normalizeHex(v);
    out.push(...this.matchOther(hex ?? v.toLowerCase(), null, true));
    if (hex === null || ![32, 40, 64].includes(hex.length)) {
      // File and process names are stored as written; package names and e-mails in lower case.
      if (hex === null && v !== v.toLowerCase()) out.push(...this.matchOther(v, null, true));
      out.push(...this.matchDomain(v, true));
    }
    return out;
  }

  private urlHits(url: string): number[] | null {
    const u = normalizeUrl(url);
    if (u === null) return null;
    let hits: number[] | null = null;
    for (let i = this.urls.get(u) ?? -1; i >= 0; i = this.next[i]!) (hits ??= []).push(i);
    return hits;
  }

  /** Counts per feed and kind, for `stats` and the bench. */
  stats(): { total: number; rules: number; byFeed: Record<string, Record<string, number>>; byKind: Record<string, number> } {
    const byFeed: Record<string, Record<string, number>> = {};
    const byKind: Record<string, number> = {};
    for (let i = 0; i < this.count; i++) {
      const f = this.feeds[this.feedIdx[i]!]!.name;
      const k = ALL_KINDS[this.kinds[i]!]!;
      const m = (byFeed[f] ??= {});
      m[k] = (m[k] ?? 0) + 1;
      byKind[k] = (byKind[k] ?? 0) + 1;
    }
    return { total: this.count, rules: this.rules.length, byFeed, byKind };
  }

  /**
   * Block-list indicators in all, and per stalkerware family for those naming one (the admin's status
   * page). Allow-list entries are not signs of anything, so they are not counted.
   */
  familyCounts(): { blocked: number; families: Map<string, number> } {
    const families = new Map<string, number>();
    let blocked = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.feeds[this.feedIdx[i]!]!.list === 'allow') continue;
      blocked++;
      const f = this.famIdx[i]!;
      if (f < 0) continue;
      const name = this.strings[f]!;
      families.set(name, (families.get(name) ?? 0) + 1);
    }
    return { blocked, families };
  }
}

/** Searches `needle` in `hay[offset, offset+depth)` (the whole rest when depth is null). */
export function contentFound(hay: Uint8Array, needle: Uint8Array, offset: number, depth: number | null, nocase: boolean): boolean {
  const end = depth === null ? hay.length : Math.min(hay.length, offset + depth);
  const n = needle.length;
  if (n === 0) return true;
  const fold = (b: number): number => (nocase && b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  outer: for (let i = offset; i + n <= end; i++) {
    for (let k = 0; k < n; k++) if (fold(hay[i + k]!) !== fold(needle[k]!)) continue outer;
    return true;
  }
  return false;
}
