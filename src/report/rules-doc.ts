import { t } from '../i18n/index.js';
import { DEFAULT_DETECTION_CONFIG } from '../detect/config.js';
import { NOTES, RULES, ruleFamily, titleKey, type LevelChoice, type RuleFamily } from '../detect/registry.js';

const FAMILY_HEADINGS: Record<RuleFamily, string> = {
  IOC: 'Indicators from the feeds (IOC)',
  PROTO: 'Protocols (PROTO)',
  SSL: 'Certificates and TLS (SSL)',
  BEH: 'Behaviour (BEH)',
  ADV: 'Advice (ADV)',
  DEV: 'On the phone: Android device check (DEV)',
};

const LEVEL_WORDS: Record<string, string> = {
  indicator: 'per indicator',
  'indicator-suspect-low': 'per indicator; a TinyCheck "suspect" network is low',
  'payload-rule': 'high when the rule names a family or a spyware tag, else moderate',
  'host-findings': "the highest level among the host's other findings",
  rule: 'chosen by the rule (see its meaning)',
};

function levelText(l: LevelChoice): string {
  return 'fixed' in l ? l.fixed : LEVEL_WORDS[l.from]!;
}

/** A title's values shown by name, `{family}`, as the values column names them (the locale files write `{{family}}`). */
function valueNames(params: readonly string[]): Record<string, string> {
  return Object.fromEntries(['host', 'evidenceCount', ...params].map((p) => [p, `{${p}}`]));
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function defaultOf(key: string): string {
  const v = (DEFAULT_DETECTION_CONFIG as unknown as Record<string, unknown>)[key];
  if (Array.isArray(v)) return v.length > 6 ? `${v.length} entries` : v.length === 0 ? 'none' : v.join(', ');
  return v === null ? 'none' : String(v);
}

/**
 * docs/rules.md, generated from the registry (rules and notes) so that it cannot drift: `npm run docs` writes it and a
 * test fails when the checked-in copy differs.
 */
export function renderRulesDoc(): string {
  const out: string[] = [];
  out.push('# Detection rules');
  out.push('');
  out.push('<!-- Generated from src/detect/registry.ts by `npm run docs`; do not edit by hand. -->');
  out.push('');
  out.push(
    'Every finding quietcheck reports comes from one of these rules. Ids are stable: TinyCheck\'s where TinyCheck has the rule, ours otherwise. A rule can be switched off, and its settings changed, in `detection.yaml` in the data directory (or with `--rules FILE`), or from the admin console. Every finding also carries `host` and `evidenceCount`. How findings become one verdict is in [verdict.md](verdict.md).',
  );
  out.push('');
  out.push(
    '**Per indicator** means the level follows what the feed says about the entry that matched: **high** for a server entry (Echap `c2`), a spyware tag (stalkerware, spyware, pegasus, apt, malicious, cybercrime) or a named family; **moderate** for watchware, TinyCheck `suspect` and lists that say nothing about their entries. A name that a feed classifies as a vendor\'s website is a visit (IOC-WEBSITE), not a server, unless a feed lists that exact name as a server (see verdict.md).',
  );
  for (const family of Object.keys(FAMILY_HEADINGS) as RuleFamily[]) {
    const rules = RULES.filter((r) => ruleFamily(r.id) === family);
    if (rules.length === 0) continue;
    out.push('');
    out.push(`## ${FAMILY_HEADINGS[family]}`);
    out.push('');
    out.push('| id | title (en) | level | what it means | values | settings |');
    out.push('|---|---|---|---|---|---|');
    for (const r of rules) {
      const settings = r.settings.filter((s) => s !== 'allowNames');
      out.push(
        `| ${r.id} | ${cell(t('en', titleKey(r.id), valueNames(r.params)))} | ${cell(levelText(r.level))} | ${cell(r.doc)} | ${r.params.join(', ')} | ${settings.map((s) => `\`${s}\``).join(', ')} |`,
      );
    }
  }
  out.push('');
  out.push('## Notes');
  out.push('');
  out.push(
    'Beside findings, detection makes notes: not signs of spyware, but what the result must take into account — the recording\'s length, how the phone was connected, the lists\' age, traffic the check could not see into. The verdict is computed from findings and notes alone; the notes with words are the limits stated with every result, in this order. Notes cannot be switched off.',
  );
  out.push('');
  out.push('| id | what it means | words | values | settings |');
  out.push('|---|---|---|---|---|');
  for (const n of NOTES) {
    const settings = n.settings.filter((s) => s !== 'allowNames');
    out.push(`| ${n.id} | ${cell(n.doc)} | ${n.message === null ? 'none: makes a low or none result inconclusive' : `\`${n.message}\``} | ${n.params.join(', ')} | ${settings.map((s) => `\`${s}\``).join(', ')} |`);
  }
  const used = [...new Set([...RULES, ...NOTES].flatMap((r) => r.settings as readonly string[]))].sort();
  out.push('');
  out.push('## Settings');
  out.push('');
  out.push('The allow-list (`allowNames`, and the feeds of role allow) applies to every indicator rule. Defaults:');
  out.push('');
  out.push('| setting | default | rules |');
  out.push('|---|---|---|');
  for (const key of used) {
    const ids = [...RULES, ...NOTES].filter((r) => (r.settings as readonly string[]).includes(key)).map((r) => r.id);
    out.push(`| \`${key}\` | ${cell(defaultOf(key))} | ${key === 'allowNames' ? 'every indicator rule' : ids.join(', ')} |`);
  }
  out.push('');
  return out.join('\n');
}
