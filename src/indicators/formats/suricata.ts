import { normalizeIpValue } from '../normalize.js';
import { FeedError, type ContentMatch, type ParseResult, type PayloadRule } from '../types.js';
import { Collector, looksLikeHtml } from './common.js';

/**
 * Suricata/Snort rules as stalkerware feeds write them. Rules that only name a domain (DNS query,
 * TLS SNI, HTTP Host) or an IP become indicators, so they are matched like every other feed; rules on
 * payload bytes become PayloadRules for the engine. Anything using a keyword outside this subset is
 * counted under `suricata:keyword:<name>` and left out whole: half a rule would raise false alarms.
 */

const META_KEYWORDS = new Set(['msg', 'sid', 'rev', 'gid', 'metadata', 'classtype', 'reference', 'priority', 'target']);
const CONTENT_MODIFIERS = new Set(['depth', 'offset', 'nocase', 'fast_pattern', 'endswith', 'startswith', 'rawbytes']);
/** Sticky buffers holding a host name: every content after them inspects that name. */
const DOMAIN_BUFFERS: Record<string, string> = {
  'dns.query': 'dns',
  dns_query: 'dns',
  'tls.sni': 'tls',
  tls_sni: 'tls',
  'http.host': 'http',
};
/**
 * `http_host` is the legacy spelling of `http.host`, but a content modifier: it applies to the
 * content before it (`content:"evil.com"; http_host;`), not to those after.
 */
const DOMAIN_MODIFIERS: Record<string, string> = {
  http_host: 'http',
};
const TAG_WORDS = new Set(['stalkerware', 'watchware', 'spyware', 'apt', 'tracker', 'suspect', 'malicious', 'cybercrime', 'doh', 'dual-use', 'tor']);

export interface RuleDefaults {
  family: string | null;
  tag: string | null;
  tlp: string | null;
}

interface RuleOption {
  key: string;
  value: string | null;
}

/** Splits `key:value; key; …` honouring quotes and backslash escapes (a `;` inside msg is text). */
function splitOptions(body: string): RuleOption[] {
  const out: RuleOption[] = [];
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i]!)) i++;
    if (i >= body.length) break;
    let raw = '';
    let inQuote = false;
    for (; i < body.length; i++) {
      const ch = body[i]!;
      if (ch === '\\' && i + 1 < body.length) {
        raw += ch + body[i + 1];
        i++;
        continue;
      }
      if (ch === '"') inQuote = !inQuote;
      if (ch === ';' && !inQuote) {
        i++;
        break;
      }
      raw += ch;
    }
    if (inQuote) throw new Error('unterminated quoted string');
    raw = raw.trim();
    if (!raw) continue;
    const colon = raw.indexOf(':');
    if (colon < 0) out.push({ key: raw.toLowerCase(), value: null });
    else out.push({ key: raw.slice(0, colon).trim().toLowerCase(), value: raw.slice(colon + 1).trim() });
  }
  return out;
}

function unquote(v: string): string {
  const s = v.trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) return s.slice(1, -1).replace(/\\(.)/g, '$1');
  return s;
}

/** A content string: text with `|hex hex|` sections, as Snort and Suricata write it. */
export function decodeContent(v: string): Uint8Array {
  let s = v.trim();
  if (s.startsWith('!')) throw new Error('negated content');
  if (!(s.startsWith('"') && s.endsWith('"'))) throw new Error(`content must be quoted: ${v}`);
  s = s.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '|') {
      const end = s.indexOf('|', i + 1);
      if (end < 0) throw new Error('unterminated |hex| in content');
      const hex = s.slice(i + 1, end).replace(/\s+/g, '');
      if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`bad hex in content: |${s.slice(i + 1, end)}|`);
      for (let k = 0; k < hex.length; k += 2) bytes.push(parseInt(hex.slice(k, k + 2), 16));
      i = end;
    } else if (ch === '\\' && i + 1 < s.length) {
      bytes.push(s.charCodeAt(++i));
    } else {
      const code = s.charCodeAt(i);
      if (code > 0x7f) for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      else bytes.push(code);
    }
  }
  return Uint8Array.from(bytes);
}

/** DNS wire-format labels (`|05|mfy60|03|com`) to a name; null when the bytes are not exactly that. */
export function dnsLabelsToName(b: Uint8Array): string | null {
  const labels: string[] = [];
  let i = 0;
  while (i < b.length) {
    const len = b[i]!;
    if (len === 0) {
      if (i !== b.length - 1) return null;
      break;
    }
    if (len > 63 || i + 1 + len > b.length) return null;
    let label = '';
    for (let k = i + 1; k <= i + len; k++) {
      const c = b[k]!;
      if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f)) return null;
      label += String.fromCharCode(c);
    }
    labels.push(label);
    i += 1 + len;
  }
  return labels.length >= 2 ? labels.join('.') : null;
}

function parsePorts(s: string): number[] | null | 'unsupported' {
  const t = s.trim();
  if (t === 'any') return null;
  const inner = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  const out: number[] = [];
  for (const part of inner.split(',')) {
    const p = part.trim();
    if (/^\d+$/.test(p)) out.push(Number(p));
    else if (/^\d+:\d+$/.test(p)) {
      const [a, b] = p.split(':').map(Number) as [number, number];
      if (b - a > 1024) return 'unsupported';
      for (let x = a; x <= b; x++) out.push(x);
    } else return 'unsupported';
  }
  return out;
}

/** Literal, non-negated addresses in an address field (`1.2.3.4`, `[1.2.3.4,5.6.7.0/24]`); null if it has variables or negations. */
function literalAddresses(s: string): string[] | null {
  const t = s.trim();
  const inner = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  const out: string[] = [];
  for (const part of inner.split(',')) {
    const ip = normalizeIpValue(part.trim());
    if (!ip) return null;
    out.push(ip.value);
  }
  return out;
}

function familyFrom(msg: string, metaType: string | null): { family: string | null; tag: string | null } {
  let family: string | null = null;
  let tag: string | null = null;
  if (metaType) {
    if (TAG_WORDS.has(metaType.toLowerCase())) tag = metaType.toLowerCase();
    else family = metaType;
  }
  if (!family) {
    // Echap: "PTS STALKERWARE TheTruthSpy (domain)"; TinyCheck: "STALKERWARE - AllTracker DNS Request".
    const m = /\b(?:STALKERWARE|WATCHWARE)\b\s*[-:]?\s*(.+?)(?:\s+\(|\s+(?:DNS|HTTP|connection|Location|request)\b|$)/.exec(msg);
    const cand = m?.[1]?.trim();
    if (cand && !cand.includes('[.]') && !normalizeIpValue(cand)) family = cand;
  }
  if (!tag) {
    tag = /\bWATCHWARE\b/.test(msg) ? 'watchware' : /\bSTALKERWARE\b/.test(msg) ? 'stalkerware' : null;
  }
  return { family, tag };
}

/**
 * Adds one rule to the collector: as domain/IP indicators when that is all it says, as a PayloadRule
 * when it inspects payload bytes. Returns false when the rule was counted as unsupported.
 */
export function addRule(c: Collector, line: string, source: string, defaults: RuleDefaults): boolean {
  const m = /^\s*(alert|drop|reject|pass|log)\s+(\S+)\s+(\S+|\[[^\]]*\])\s+(\S+|\[[^\]]*\])\s+(->|<>)\s+(\S+|\[[^\]]*\])\s+(\S+|\[[^\]]*\])\s*\((.*)\)\s*$/s.exec(line);
  if (!m) throw new Error('not a rule: expected `action proto src port -> dst port (options)`');
  const [, action, protoRaw, src, sport, dirArrow, dst, dport, body] = m as unknown as [string, string, string, string, string, string, string, string, string];
  if (action === 'pass') {
    c.skip('suricata:action:pass');
    return false;
  }
  const opts = splitOptions(body);
  let msg = '';
  let sid: number | null = null;
  let metaType: string | null = null;
  const metadata: string[] = [];
  let buffer: string | null = null;
  /** `bsize:N` on a name buffer: the name is exactly N bytes long. */
  let bsize: number | null = null;
  /** `dotprefix` prepends a dot to the name, so `.evil.com` with endswith covers evil.com and its sub-domains. */
  let dotprefix = false;
  let direction: PayloadRule['direction'] = null;
  const contents: (ContentMatch & { startswith: boolean; endswith: boolean; buffer: string | null })[] = [];
  const unsupported: string[] = [];
  for (const o of opts) {
    const k = o.key;
    if (k === 'msg') msg = unquote(o.value ?? '');
    else if (k === 'sid') sid = Number(o.value);
    else if (k === 'metadata') {
      metadata.push(o.value ?? '');
      const t = /(?:^|,)\s*type\s+([^,]+)/.exec(o.value ?? '');
      if (t) metaType = t[1]!.trim();
    } else if (META_KEYWORDS.has(k)) continue;
    else if (k in DOMAIN_BUFFERS) buffer = DOMAIN_BUFFERS[k]!;
    else if (k in DOMAIN_MODIFIERS) {
      const last = contents.at(-1);
      if (!last || last.buffer !== null) unsupported.push(`${k}-without-content`);
      else last.buffer = DOMAIN_MODIFIERS[k]!;
    } else if (k === 'bsize' && buffer !== null && /^\d+$/.test(o.value ?? '')) bsize = Number(o.value);
    else if (k === 'dotprefix' && buffer !== null && contents.length === 0) dotprefix = true;
    else if (k === 'content') {
      contents.push({ bytes: decodeContent(o.value ?? ''), offset: 0, depth: null, nocase: false, startswith: false, endswith: false, buffer });
    } else if (CONTENT_MODIFIERS.has(k)) {
      const last = contents.at(-1);
      if (!last) {
        unsupported.push(`${k}-without-content`);
        continue;
      }
      if (k === 'depth') last.depth = Number(o.value);
      else if (k === 'offset') last.offset = Number(o.value);
      else if (k === 'nocase') last.nocase = true;
      else if (k === 'startswith') last.startswith = true;
      else if (k === 'endswith') last.endswith = true;
    } else if (k === 'flow') {
      for (const f of (o.value ?? '').split(',').map((x) => x.trim())) {
        if (f === 'to_server' || f === 'from_client') direction = 'to_server';
        else if (f === 'to_client' || f === 'from_server') direction = 'to_client';
        else if (f !== 'established' && f !== 'stateless') unsupported.push(`flow:${f}`);
      }
    } else unsupported.push(k);
  }
  if (unsupported.length) {
    for (const u of new Set(unsupported)) c.skip(`suricata:keyword:${u}`);
    return false;
  }
  if (dirArrow === '<>') {
    c.skip('suricata:bidirectional');
    return false;
  }
  const fam = familyFrom(msg, metaType);
  const family = fam.family ?? defaults.family;
  const tag = defaults.tag ?? fam.tag;
  const meta: Record<string, string> = { msg };
  if (sid !== null) meta.sid = String(sid);
  if (metadata.length) meta.metadata = metadata.join('; ');
  const prov = { family, tag, tlp: defaults.tlp, source, meta };
  const proto = protoRaw.toLowerCase();

  // A name in a DNS/TLS/HTTP buffer, or a DNS query's wire labels on port 53, is a domain indicator.
  if (contents.length === 1) {
    const only = contents[0]!;
    let name: string | null = null;
    if (only.buffer) name = new TextDecoder().decode(only.bytes);
    else if (proto === 'udp' && dport.trim() === '53') name = dnsLabelsToName(only.bytes);
    if (name) {
      const len = only.bytes.length;
      // A name padded by a leading dot cannot be the whole buffer: it names sub-domains (and, with
      // dotprefix, the name itself), which is what a suffix entry matches.
      const leadingDot = name.startsWith('.');
      const exact = !leadingDot && !dotprefix && ((only.endswith && (only.startswith || only.depth === len)) || bsize === len);
      if (bsize !== null && bsize !== len) {
        c.skip('suricata:keyword:bsize');
        return false;
      }
      // The Host header may carry a port; the name before it is the indicator.
      if (only.buffer === 'http') name = name.replace(/:\d{1,5}$/, '');
      const added = c.add('domain', name, { ...prov, meta: { ...meta, rule: exact ? 'exact-name' : 'name-suffix' } });
      return added !== null;
    }
  }
  if (dotprefix || bsize !== null) {
    c.skip(bsize !== null ? 'suricata:keyword:bsize' : 'suricata:keyword:dotprefix');
    return false;
  }
  if (contents.some((x) => x.buffer)) {
    c.skip('suricata:buffer-with-several-contents');
    return false;
  }
  const sPorts = parsePorts(sport);
  const dPorts = parsePorts(dport);
  if (sPorts === 'unsupported' || dPorts === 'unsupported') {
    c.skip('suricata:port-syntax');
    return false;
  }
  // A rule that only names destination addresses is an IP indicator.
  if (contents.length === 0 && dPorts === null && sPorts === null) {
    const ips = literalAddresses(dst) ?? literalAddresses(src);
    if (ips) {
      for (const ip of ips) c.add('ip', ip, prov);
      return true;
    }
  }
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'ip') {
    c.skip(`suricata:protocol:${proto}`);
    return false;
  }
  c.rules.push({
    proto,
    src,
    dst,
    srcPorts: sPorts,
    dstPorts: dPorts,
    direction,
    contents: contents.map(({ bytes, offset, depth, nocase }) => ({ bytes, offset, depth, nocase })),
    msg,
    sid,
    family,
    tag,
    tlp: defaults.tlp,
    source,
  });
  return true;
}

export function parseSuricata(text: string, file: string): ParseResult {
  if (looksLikeHtml(text)) throw new FeedError(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
  const c = new Collector('suricata');
  const lines = text.split(/\r?\n/);
  let rules = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const first = i;
    // Rules may continue over several lines with a trailing backslash.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    rules++;
    try {
      addRule(c, t, `${file}:${first + 1}`, { family: null, tag: null, tlp: null });
    } catch (e) {
      throw new FeedError(`${file}:${first + 1}: ${(e as Error).message}`);
    }
  }
  if (rules === 0) throw new FeedError(`${file}: no rules found`);
  return c.result();
}
