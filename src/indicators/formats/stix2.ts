import { FeedError, type IndicatorKind, type ParseResult } from '../types.js';
import { Collector, parseJson } from './common.js';

/**
 * STIX 2.1 bundles as Echap, Amnesty and MVT publish them: `indicator` objects with a `pattern`,
 * linked to `malware` (or `report`) objects that name the family.
 */

/** Object paths quietcheck understands, with and without quotes around hash names. */
const PATH_KINDS: Record<string, IndicatorKind> = {
  'domain-name:value': 'domain',
  'ipv4-addr:value': 'ip',
  'ipv6-addr:value': 'ip',
  'url:value': 'url',
  'email-addr:value': 'email',
  'app:id': 'app-id',
  'app:cert.sha1': 'apk-cert-sha1',
  'app:cert.sha256': 'apk-cert-sha256',
  'app:cert.md5': 'apk-cert-md5',
  'file:hashes.sha256': 'file-sha256',
  'file:hashes.sha-256': 'file-sha256',
  'file:hashes.sha1': 'file-sha1',
  'file:hashes.sha-1': 'file-sha1',
  'file:hashes.md5': 'file-md5',
  'file:name': 'file-name',
  'file:path': 'file-path',
  'process:name': 'process-name',
  'configuration-profile:id': 'configuration-profile',
  'android-property:name': 'android-property',
  'x509-certificate:hashes.sha1': 'tls-cert-sha1',
  'x509-certificate:hashes.sha-1': 'tls-cert-sha1',
  'x509-certificate:hashes.sha256': 'tls-cert-sha256',
  'x509-certificate:hashes.sha-256': 'tls-cert-sha256',
};

/** The four TLP 2.0 marking definitions fixed by the STIX 2.1 specification. */
const TLP_MARKINGS: Record<string, string> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'white',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

export interface Comparison {
  path: string;
  op: string;
  value: string;
}

export interface ParsedPattern {
  comparisons: Comparison[];
  /** True when any comparison is joined by AND/FOLLOWEDBY or qualified: no single lookup can honour it. */
  conjunctive: boolean;
}

/**
 * Reads the comparison-expression subset of the STIX patterning language. Throws on syntax errors
 * (unbalanced brackets or quotes, a missing value) so a broken bundle is refused, not half-loaded.
 */
export function parseStixPattern(pattern: string): ParsedPattern {
  const toks = tokenize(pattern);
  const comparisons: Comparison[] = [];
  let conjunctive = false;
  let depth = 0;
  let i = 0;
  let expectOperand = true;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.t === 'punct' && (t.v === '[' || t.v === '(')) {
      if (!expectOperand) throw new Error(`unexpected '${t.v}' at ${t.pos}`);
      depth++;
      i++;
      continue;
    }
    if (t.t === 'punct' && (t.v === ']' || t.v === ')')) {
      if (expectOperand || depth === 0) throw new Error(`unexpected '${t.v}' at ${t.pos}`);
      depth--;
      i++;
      continue;
    }
    if (t.t === 'word' && /^(OR|AND|FOLLOWEDBY)$/.test(t.v)) {
      if (expectOperand) throw new Error(`unexpected ${t.v} at ${t.pos}`);
      if (t.v !== 'OR') conjunctive = true;
      expectOperand = true;
      i++;
      continue;
    }
    if (t.t === 'word' && /^(WITHIN|REPEATS|START|STOP)$/.test(t.v)) {
      // Qualifiers constrain time or repetition: not something a single lookup can check.
      conjunctive = true;
      i++;
      while (i < toks.length && !(toks[i]!.t === 'word' && /^(OR|AND|FOLLOWEDBY)$/.test(toks[i]!.v)) && !(toks[i]!.t === 'punct' && toks[i]!.v !== '[' && toks[i]!.v !== '(')) i++;
      continue;
    }
    if (t.t === 'word' && t.v.includes(':')) {
      if (!expectOperand) throw new Error(`unexpected '${t.v}' at ${t.pos}`);
      let j = i + 1;
      let negate = false;
      if (toks[j]?.t === 'word' && toks[j]!.v === 'NOT') {
        negate = true;
        j++;
      }
      const op = toks[j];
      const val = toks[j + 1];
      if (!op || op.t !== 'op' && op.t !== 'word') throw new Error(`missing operator after ${t.v}`);
      if (!val) throw new Error(`missing value after ${t.v} ${op.v}`);
      if (op.v === 'IN') {
        // ('a', 'b', …): each member is an alternative, like an OR.
        if (val.t !== 'punct' || val.v !== '(') throw new Error(`IN needs a list at ${val.pos}`);
        let k = j + 2;
        for (;;) {
          const m = toks[k];
          if (!m) throw new Error('unterminated IN list');
          if (m.t === 'string') comparisons.push({ path: t.v, op: negate ? '!=' : '=', value: m.v });
          else if (!(m.t === 'punct' && m.v === ',')) {
            if (m.t === 'punct' && m.v === ')') break;
            throw new Error(`unexpected '${m.v}' in IN list at ${m.pos}`);
          }
          k++;
        }
        i = k + 1;
      } else {
        if (val.t !== 'string' && val.t !== 'number') throw new Error(`expected a value after ${t.v} ${op.v}, found '${val.v}' at ${val.pos}`);
        comparisons.push({ path: t.v, op: negate ? `NOT ${op.v}` : op.v, value: val.v });
        i = j + 2;
      }
      expectOperand = false;
      continue;
    }
    throw new Error(`unexpected '${t.v}' at ${t.pos}`);
  }
  if (depth !== 0) throw new Error('unbalanced brackets');
  if (expectOperand) throw new Error(comparisons.length ? 'pattern ends with an operator' : 'empty pattern');
  return { comparisons, conjunctive };
}

interface Tok {
  t: 'punct' | 'string' | 'word' | 'op' | 'number';
  v: string;
  pos: number;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if ('[]()'.includes(c) || c === ',') {
      out.push({ t: 'punct', v: c, pos: i });
      i++;
    } else if (c === "'" || ((c === 'h' || c === 'b' || c === 't') && s[i + 1] === "'" && !/[a-z0-9_:.-]/i.test(s[i - 1] ?? ' '))) {
      const start = i;
      if (c !== "'") i++;
      i++;
      let v = '';
      for (;;) {
        if (i >= s.length) throw new Error(`unterminated string starting at ${start}`);
        const d = s[i]!;
        if (d === '\\') {
          v += s[i + 1] ?? '';
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push({ t: 'string', v, pos: start });
    } else if ('=!<>'.includes(c)) {
      const two = s.slice(i, i + 2);
      const v = two === '!=' || two === '<=' || two === '>=' ? two : c;
      if (v === '!') throw new Error(`unexpected '!' at ${i}`);
      out.push({ t: 'op', v, pos: i });
      i += v.length;
    } else if (/[0-9-]/.test(c) && out.at(-1)?.t === 'op') {
      const m = /^-?[0-9.]+/.exec(s.slice(i))!;
      out.push({ t: 'number', v: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z0-9_-]/.test(c)) {
      // An object path: type:prop.prop, with quoted segments ('SHA-256') and [*] indexes.
      const start = i;
      let v = '';
      while (i < s.length) {
        const d = s[i]!;
        if (/[A-Za-z0-9_:.\-*]/.test(d)) {
          v += d;
          i++;
        } else if (d === "'" && v.endsWith('.')) {
          const end = s.indexOf("'", i + 1);
          if (end < 0) throw new Error(`unterminated quoted property at ${i}`);
          v += s.slice(i + 1, end);
          i = end + 1;
        } else if (d === '[' && v.includes(':')) {
          const end = s.indexOf(']', i);
          if (end < 0) throw new Error(`unterminated index at ${i}`);
          v += s.slice(i, end + 1);
          i = end + 1;
        } else break;
      }
      out.push({ t: 'word', v, pos: start });
    } else {
      throw new Error(`unexpected character '${c}' at ${i}`);
    }
  }
  return out;
}

interface StixObject {
  type?: unknown;
  id?: unknown;
  name?: unknown;
  pattern?: unknown;
  pattern_type?: unknown;
  relationship_type?: unknown;
  source_ref?: unknown;
  target_ref?: unknown;
  object_refs?: unknown;
  object_marking_refs?: unknown;
  malware_types?: unknown;
  definition_type?: unknown;
  definition?: unknown;
  revoked?: unknown;
}

const FAMILY_TYPES = new Set(['malware', 'intrusion-set', 'campaign', 'tool', 'threat-actor']);

export function parseStix2(text: string, file: string): ParseResult {
  const doc = parseJson(text, file) as { type?: unknown; objects?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.objects)) {
    throw new FeedError(`${file}: not a STIX 2 bundle (expected {"type": "bundle", "objects": [...]})`);
  }
  const objects = doc.objects as StixObject[];
  const names = new Map<string, { name: string; tag: string | null }>();
  const tlpById = new Map<string, string>(Object.entries(TLP_MARKINGS));
  for (const o of objects) {
    if (!o || typeof o !== 'object' || typeof o.id !== 'string') continue;
    if (typeof o.type === 'string' && FAMILY_TYPES.has(o.type) && typeof o.name === 'string') {
      const types = Array.isArray(o.malware_types) ? o.malware_types.filter((x): x is string => typeof x === 'string') : [];
      names.set(o.id, { name: o.name, tag: types[0] ?? null });
    }
    if (o.type === 'marking-definition') {
      const def = o.definition as { tlp?: unknown } | undefined;
      const name = typeof o.name === 'string' ? o.name : '';
      const tlp = typeof def?.tlp === 'string' ? def.tlp : /^TLP:\s*(\w+)/i.exec(name)?.[1];
      if (tlp) tlpById.set(o.id, tlp.toLowerCase());
    }
  }
  // Families per indicator: `indicates` relationships first, then reports that list both.
  const families = new Map<string, Set<string>>();
  const link = (ind: string, fam: string): void => {
    let s = families.get(ind);
    if (!s) families.set(ind, (s = new Set()));
    s.add(fam);
  };
  for (const o of objects) {
    if (o?.type === 'relationship' && o.relationship_type === 'indicates' && typeof o.source_ref === 'string' && typeof o.target_ref === 'string' && names.has(o.target_ref)) {
      link(o.source_ref, o.target_ref);
    }
  }
  for (const o of objects) {
    if (o?.type !== 'report' || !Array.isArray(o.object_refs)) continue;
    const refs = o.object_refs.filter((r): r is string => typeof r === 'string');
    const fams = refs.filter((r) => names.has(r));
    if (fams.length === 0 && typeof o.name === 'string' && typeof o.id === 'string') {
      names.set(o.id, { name: o.name, tag: null });
      fams.push(o.id);
    }
    for (const r of refs) if (r.startsWith('indicator--') && !families.has(r)) for (const f of fams) link(r, f);
  }

  const c = new Collector('stix2');
  objects.forEach((o, idx) => {
    if (o?.type !== 'indicator') return;
    const id = typeof o.id === 'string' ? o.id : `objects[${idx}]`;
    if (o.revoked === true) {
      c.skip('stix:revoked');
      return;
    }
    if (o.pattern_type !== undefined && o.pattern_type !== 'stix') {
      c.skip(`stix:pattern-type:${String(o.pattern_type)}`);
      return;
    }
    if (typeof o.pattern !== 'string') throw new FeedError(`${file}: ${id} has no pattern`);
    let parsed: ParsedPattern;
    try {
      parsed = parseStixPattern(o.pattern);
    } catch (e) {
      throw new FeedError(`${file}: ${id} (objects[${idx}]) has a broken pattern ${JSON.stringify(o.pattern.slice(0, 120))}: ${(e as Error).message}`);
    }
    if (parsed.conjunctive) {
      c.skip('stix:and-or-qualified-pattern');
      return;
    }
    const marking = Array.isArray(o.object_marking_refs) ? o.object_marking_refs.find((r) => typeof r === 'string' && tlpById.has(r)) : undefined;
    const tlp = typeof marking === 'string' ? tlpById.get(marking)! : null;
    const famIds = [...(families.get(id) ?? [])];
    const fams = famIds.length ? famIds.map((f) => names.get(f)!) : [{ name: null, tag: null }];
    for (const cmp of parsed.comparisons) {
      const path = cmp.path.toLowerCase();
      const kind = PATH_KINDS[path];
      if (!kind) {
        c.skip(`stix:unknown-kind:${cmp.path}`);
        continue;
      }
      if (cmp.op !== '=') {
        c.skip(`stix:operator:${cmp.op}`);
        continue;
      }
      for (const f of fams) c.add(kind, cmp.value, { family: f.name, tag: f.tag, tlp, source: `${file} objects[${idx}] ${id}` });
    }
  });
  return c.result();
}
