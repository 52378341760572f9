import { normalizeDomain, normalizeHex, normalizeIpValue, normalizeUrl } from '../normalize.js';
import {
  FeedError,
  bump,
  spaceOf,
  type FeedFormat,
  type IndicatorKind,
  type ParseResult,
  type ParsedIndicator,
  type PayloadRule,
} from '../types.js';

const HEX_LENGTHS: Partial<Record<IndicatorKind, readonly number[]>> = {
  'tls-cert-sha1': [40],
  'tls-cert-sha256': [64],
  'apk-cert-sha1': [40],
  'apk-cert-sha256': [64],
  'apk-cert-md5': [32],
  'file-sha256': [64],
  'apk-sha256': [64],
  'file-sha1': [40],
  'file-md5': [32],
  ja3: [32],
  ja3s: [32],
};

/** The kind an IP written where a domain was expected becomes (an IP in `domain-name:value` is an IP). */
const IP_KIND_FOR: Partial<Record<IndicatorKind, IndicatorKind>> = {
  'c2-domain': 'c2-ip',
  website: 'ip',
  domain: 'ip',
  freedns: 'ip',
};

export interface Provenance {
  family: string | null;
  tag: string | null;
  tlp: string | null;
  source: string;
  meta?: Record<string, string>;
}

/**
 * Normalises values as parsers find them and keeps count of what could not be used, so every
 * parser reports invalid entries the same way instead of each inventing its own.
 */
export class Collector {
  readonly indicators: ParsedIndicator[] = [];
  readonly rules: PayloadRule[] = [];
  readonly skipped: Record<string, number> = {};
  private readonly seen = new Set<string>();

  constructor(readonly format: FeedFormat) {}

  skip(reason: string, by = 1): void {
    bump(this.skipped, reason, by);
  }

  /** Returns the stored indicator, or null when the value was invalid (counted) or a duplicate. */
  add(kind: IndicatorKind, raw: string, p: Provenance): ParsedIndicator | null {
    const norm = normalizeValue(kind, raw);
    if (!norm) {
      this.skip(`invalid-${kind}`);
      return null;
    }
    // The same value listed twice for the same family is one indicator; keeping both would double findings.
    const key = `${norm.kind}\u0000${norm.value}\u0000${p.family ?? ''}\u0000${p.tag ?? ''}`;
    if (this.seen.has(key)) {
      this.skip('duplicate');
      return null;
    }
    this.seen.add(key);
    const ind: ParsedIndicator = { kind: norm.kind, value: norm.value, family: p.family, tag: p.tag, tlp: p.tlp, source: p.source };
    if (p.meta && Object.keys(p.meta).length > 0) ind.meta = p.meta;
    this.indicators.push(ind);
    return ind;
  }

  result(extra?: Partial<ParseResult>): ParseResult {
    return { format: this.format, indicators: this.indicators, rules: this.rules, skipped: this.skipped, ...extra };
  }
}

/** Canonical value for a kind, possibly moving a domain-kind value that is really an IP to an IP kind. */
export function normalizeValue(kind: IndicatorKind, raw: string): { kind: IndicatorKind; value: string } | null {
  const s = raw.trim();
  if (!s) return null;
  switch (spaceOf(kind)) {
    case 'domain': {
      if (kind === 'tld') {
        const d = normalizeDomain(s.replace(/^\.+/, ''));
        return d && !d.includes('.') ? { kind, value: d } : null;
      }
      // A URL in a list of sites (Echap's distribution entries on github.com) is a URL: reading
      // it as its host name would flag every visit to that host.
      if (s.includes('/')) {
        const u = normalizeUrl(s);
        return u ? { kind: 'url', value: u } : null;
      }
      const ipKind = IP_KIND_FOR[kind];
      if (ipKind) {
        const ip = normalizeIpValue(s);
        if (ip) return { kind: ipKind, value: ip.value };
      }
      const d = normalizeDomain(s);
      // A single label is not a host name on the Internet; only `tld` indicators may be one.
      return d && d.includes('.') ? { kind, value: d } : null;
    }
    case 'ip': {
      const ip = normalizeIpValue(s);
      if (!ip) return null;
      const full = ip.cidr.family === 4 ? ip.cidr.prefix === 32 : ip.cidr.prefix === 128;
      // A network written where an address was expected is still a network.
      return { kind: full ? kind : 'cidr', value: ip.value };
    }
    case 'url': {
      const u = normalizeUrl(s);
      return u ? { kind, value: u } : null;
    }
    default: {
      const lengths = HEX_LENGTHS[kind];
      if (lengths) {
        const h = normalizeHex(s, lengths);
        return h ? { kind, value: h } : null;
      }
      if (kind === 'ja4') return /^[a-z0-9_]+$/i.test(s) ? { kind, value: s.toLowerCase() } : null;
      if (kind === 'app-id' || kind === 'email') return { kind, value: s.toLowerCase() };
      return { kind, value: s };
    }
  }
}

/** `file.yaml:12` style location from a 0-based line index. */
export function at(file: string, line: number | undefined, detail?: string): string {
  const l = line === undefined ? '' : `:${line}`;
  return detail ? `${file}${l} ${detail}` : `${file}${l}`;
}

/** First bytes that betray an HTML error page served instead of a feed (captive portals, GitHub 404s). */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 512).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<') && head.includes('<body'));
}

export function parseJson(text: string, file: string): unknown {
  if (looksLikeHtml(text)) throw new HtmlPageError(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const truncated = /Unexpected end|Unterminated/i.test(why);
    throw new FeedError(
      `${file}: not valid JSON (${why})${truncated ? ' — the file looks truncated; the download may have been cut off' : ''}`,
    );
  }
}

export class HtmlPageError extends FeedError {
  constructor(file: string) {
    super(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
  }
}
