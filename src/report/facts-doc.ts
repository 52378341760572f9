import { FACTS_SCHEMA } from '../engine/facts-schema.js';

/**
 * docs/facts.md, generated from the facts schema so that it cannot drift: `npm run docs` writes it and a test
 * fails when the checked-in copy differs.
 */

interface Node {
  type?: string | readonly string[];
  description?: string;
  enum?: readonly string[];
  anyOf?: readonly Node[];
  items?: Node;
  properties?: Record<string, Node>;
  required?: readonly string[];
  additionalProperties?: boolean | Node;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A short name for a field's type, as a reader of the JSON sees it. */
function typeText(n: Node, named: Map<Node, string>): string {
  const name = named.get(n);
  if (name !== undefined) return `[${name}](#${anchor(name)})`;
  if (n.anyOf) return n.anyOf.map((a) => typeText(a, named)).join(' or ');
  if (n.enum) return n.enum.map((e) => `\`"${e}"\``).join(' or ');
  const types = n.type === undefined ? [] : typeof n.type === 'string' ? [n.type] : [...n.type];
  return types
    .map((t) => {
      if (t === 'array') return `list of ${n.items ? typeText(n.items, named) : 'values'}`;
      if (t === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object') return `object: key → ${typeText(n.additionalProperties, named)}`;
      if (t === 'integer') return n.maximum === 65535 ? 'port (integer)' : 'integer';
      return t;
    })
    .join(' or ');
}

function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

/** The object schemas below the root, each one section, named by where it first appears. */
function sections(): [string, Node][] {
  const root = FACTS_SCHEMA as unknown as Node;
  const out: [string, Node][] = [['The document', root]];
  const seen = new Set<Node>([root]);
  const visit = (n: Node, path: string): void => {
    const inner = n.items ?? (n.anyOf?.find((a) => a.properties) as Node | undefined);
    const target = n.properties ? n : inner;
    if (target?.properties && !seen.has(target)) {
      seen.add(target);
      out.push([path, target]);
    }
    for (const [k, child] of Object.entries(target?.properties ?? {})) visit(child, `${path === 'The document' ? '' : `${path}.`}${k}`);
    if (target === undefined && n.items) visit(n.items, path);
  };
  for (const [k, child] of Object.entries(root.properties!)) visit(child, k);
  return out;
}

export function renderFactsDoc(): string {
  const list = sections();
  const named = new Map<Node, string>(list.slice(1).map(([name, n]) => [n, name]));
  const out: string[] = [];
  out.push('# Facts');
  out.push('');
  out.push('<!-- Generated from src/engine/facts-schema.ts by `npm run docs`; do not edit by hand. -->');
  out.push('');
  out.push(
    `${(FACTS_SCHEMA as unknown as Node).description} Every object below is closed: it holds only the fields listed. Fields are only ever added, never renamed or removed. Hex is lower case; times are ISO 8601 in UTC. What quietcheck concludes from these facts is in [rules.md](rules.md) and [verdict.md](verdict.md).`,
  );
  for (const [name, n] of list) {
    out.push('');
    out.push(`## ${name}`);
    out.push('');
    if (n !== FACTS_SCHEMA && n.description) {
      out.push(n.description);
      out.push('');
    }
    out.push('| field | type | always there | meaning |');
    out.push('|---|---|---|---|');
    const required = new Set(n.required ?? []);
    for (const [field, child] of Object.entries(n.properties!)) {
      out.push(`| \`${field}\` | ${cell(typeText(child, named))} | ${required.has(field) ? 'yes' : 'no'} | ${cell(child.description ?? '')} |`);
    }
  }
  out.push('');
  return out.join('\n');
}
