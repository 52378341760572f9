import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { FeedError, type IndicatorKind, type ParseResult } from '../types.js';
import { Collector, looksLikeHtml, requireWholeLines } from './common.js';

/**
 * Echap's stalkerware-indicators `ioc.yaml` / `watchware.yaml`: a list of apps, each with a family
 * name, aliases, type (stalkerware/watchware), packages, signing-certificate SHA-1s, websites,
 * distribution sites and C2 domains/IPs. Two real entries write `c2: {ip: [...]}` for `ips`.
 */

const LIST_KINDS: Record<string, IndicatorKind> = {
  packages: 'app-id',
  ios_bundles: 'app-id',
  certificates: 'apk-cert-sha1',
  websites: 'website',
  distribution: 'website',
};
const C2_KINDS: Record<string, IndicatorKind> = { domains: 'c2-domain', ips: 'c2-ip', ip: 'c2-ip' };
/** Keys that describe an app but are not matchable values (yet): counted, not stored. */
const KNOWN_UNUSED = new Set(['certificate_organizations', 'certificate_cname_re']);

export function parseEchapYaml(text: string, file: string): ParseResult {
  if (looksLikeHtml(text)) throw new FeedError(`${file}: this is an HTML page, not an indicator feed (an error or login page served in place of the feed?)`);
  requireWholeLines(text, file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new FeedError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML (${e.message.split('\n')[0]})`);
  }
  const root = doc.contents;
  if (!isSeq(root)) {
    throw new FeedError(`${file}: expected a YAML list of apps (- name: …, type: …, packages: …), found ${root ? describe(root) : 'an empty document'}`);
  }
  const lineOf = (n: Node | null | undefined): number | undefined => (n?.range ? lines.linePos(n.range[0]).line : undefined);
  const c = new Collector('echap-yaml');
  root.items.forEach((app, i) => {
    if (!isMap(app)) throw new FeedError(`${file}:${lineOf(app as Node) ?? '?'}: entry ${i + 1} is not an app (a mapping with name, type, …)`);
    const name: unknown = app.get('name');
    if (typeof name !== 'string' || !name.trim()) {
      throw new FeedError(`${file}:${lineOf(app)}: entry ${i + 1} has no name`);
    }
    const type: unknown = app.get('type');
    const tag = typeof type === 'string' ? type : null;
    const aliases = app.get('names');
    const meta: Record<string, string> = {};
    if (isSeq(aliases)) {
      const list = aliases.items.flatMap((s) => (isScalar(s) ? [String(s.value)] : [])).filter((a) => a !== name);
      if (list.length) meta.aliases = list.join(', ');
    }
    const addList = (seq: unknown, kind: IndicatorKind, path: string, role?: string): void => {
      if (seq === undefined || seq === null) return;
      if (!isSeq(seq)) throw new FeedError(`${file}:${lineOf(seq as Node) ?? lineOf(app)}: ${name}: ${path} should be a list`);
      seq.items.forEach((item, j) => {
        if (!isScalar(item) || item.value === null) {
          c.skip(`invalid-${kind}`);
          return;
        }
        const m = role ? { ...meta, role } : meta;
        c.add(kind, String(item.value), { family: name, tag, tlp: null, source: `${file}:${lineOf(item)} ${name} ${path}[${j}]`, meta: m });
      });
    };
    for (const pair of app.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key in LIST_KINDS) addList(pair.value, LIST_KINDS[key]!, key, key === 'distribution' ? 'distribution' : undefined);
      else if (key === 'c2') {
        if (pair.value === null) continue;
        if (!isMap(pair.value)) throw new FeedError(`${file}:${lineOf(pair.value as Node)}: ${name}: c2 should map ips/domains to lists`);
        for (const c2 of pair.value.items) {
          const k = isScalar(c2.key) ? String(c2.key.value) : '';
          const kind = C2_KINDS[k];
          if (kind) addList(c2.value, kind, `c2.${k}`);
          else c.skip(`echap:unknown-key:c2.${k}`);
        }
      } else if (KNOWN_UNUSED.has(key)) c.skip(`echap:unused-key:${key}`);
      else if (!['name', 'names', 'type'].includes(key)) c.skip(`echap:unknown-key:${key}`);
    }
  });
  return c.result();
}

function describe(n: unknown): string {
  if (isMap(n)) return 'a mapping';
  if (isScalar(n)) return `a single value (${JSON.stringify(String(n.value)).slice(0, 40)})`;
  return 'something else';
}
