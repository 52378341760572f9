import { normalizeIpValue } from '../normalize.js';
import { FeedError, type IndicatorKind, type ParseResult } from '../types.js';
import { Collector, looksLikeHtml } from './common.js';

/** Plain lists: hosts files, one domain/IP/CIDR per line, and CSV with a header row. */

function refuseHtml(text: string, file: string): void {
  if (looksLikeHtml(text)) throw new FeedError(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
}

function addDomainOrIp(c: Collector, value: string, source: string): void {
  const ip = normalizeIpValue(value);
  c.add(ip ? (ip.value.includes('/') ? 'cidr' : 'ip') : 'domain', value, { family: null, tag: null, tlp: null, source });
}

/** `0.0.0.0 name [name…]` lines; a line with a bare name is accepted too (Echap's `hosts` is just names). */
export function parseHosts(text: string, file: string): ParseResult {
  refuseHtml(text, file);
  const c = new Collector('hosts');
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const fields = line.split(/\s+/);
    const names = fields.length > 1 && normalizeIpValue(fields[0]!) ? fields.slice(1) : fields;
    for (const n of names) {
      if (n === 'localhost' || n === 'localhost.localdomain' || n === 'broadcasthost') continue;
      addDomainOrIp(c, n, `${file}:${i + 1}`);
    }
  });
  if (c.indicators.length === 0 && Object.keys(c.skipped).length === 0) throw new FeedError(`${file}: no entries found`);
  return c.result();
}

export function parseLines(text: string, file: string): ParseResult {
  refuseHtml(text, file);
  const c = new Collector('lines');
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)[#;].*/, '').trim();
    if (!line) return;
    if (/\s/.test(line)) {
      c.skip('lines:not-a-single-value');
      return;
    }
    addDomainOrIp(c, line, `${file}:${i + 1}`);
  });
  if (c.indicators.length === 0 && Object.keys(c.skipped).length === 0) throw new FeedError(`${file}: no entries found`);
  return c.result();
}

/** Splits one CSV line (RFC 4180 quotes). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

const TYPE_COLUMN_KINDS: Record<string, IndicatorKind> = {
  domain: 'domain',
  hostname: 'domain',
  ipv4: 'ip',
  ipv6: 'ip',
  ip: 'ip',
  cidr: 'cidr',
  url: 'url',
  sha256: 'file-sha256',
  sha1: 'file-sha1',
  md5: 'file-md5',
};

/** Columns that name a value of a fixed kind, as in Echap's samples.csv (SHA256, Package Name, Certificate). */
const NAMED_COLUMNS: Record<string, IndicatorKind> = {
  sha256: 'file-sha256',
  'package name': 'app-id',
  package: 'app-id',
  certificate: 'apk-cert-sha1',
  domain: 'domain',
  ip: 'ip',
  url: 'url',
};
const FAMILY_COLUMNS = ['app', 'family', 'malware', 'name'];
const TAG_COLUMNS = ['tag', 'category'];

/**
 * CSV with a header. Either a type column with an indicator column (Echap's network.csv:
 * `type,indicator,app`) or columns named after their kind (samples.csv).
 */
export function parseCsv(text: string, file: string): ParseResult {
  refuseHtml(text, file);
  const lines = text.split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  if (header.length < 2) throw new FeedError(`${file}: expected a CSV header row (e.g. "type,indicator,app")`);
  const typeCol = header.indexOf('type');
  const valueCol = ['indicator', 'value', 'ioc'].map((h) => header.indexOf(h)).find((i) => i >= 0) ?? -1;
  const famCol = FAMILY_COLUMNS.map((h) => header.indexOf(h)).find((i) => i >= 0) ?? -1;
  const tagCol = TAG_COLUMNS.map((h) => header.indexOf(h)).find((i) => i >= 0) ?? -1;
  const named = header.map((h, i) => ({ i, kind: NAMED_COLUMNS[h] })).filter((x): x is { i: number; kind: IndicatorKind } => !!x.kind);
  if ((typeCol < 0 || valueCol < 0) && named.length === 0) {
    throw new FeedError(`${file}: CSV header "${lines[0]}" names no indicator column (expected type+indicator, or columns like domain, ip, sha256, package name)`);
  }
  const c = new Collector('csv');
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]!.trim()) continue;
    const f = csvFields(lines[i]!);
    if (f.length !== header.length) throw new FeedError(`${file}:${i + 1}: ${f.length} fields where the header has ${header.length} — the file may be truncated`);
    const p = { family: famCol >= 0 ? f[famCol] || null : null, tag: tagCol >= 0 ? f[tagCol] || null : null, tlp: null, source: `${file}:${i + 1}` };
    if (typeCol >= 0 && valueCol >= 0) {
      const kind = TYPE_COLUMN_KINDS[f[typeCol]!.toLowerCase()];
      if (!kind) c.skip(`csv:unknown-type:${f[typeCol]}`);
      else c.add(kind, f[valueCol]!, p);
    } else {
      for (const col of named) if (f[col.i]) c.add(col.kind, f[col.i]!, p);
    }
  }
  return c.result();
}
