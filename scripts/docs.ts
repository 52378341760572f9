/** Writes the generated documentation (docs/rules.md from the rule registry, docs/facts.md from the facts schema). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFactsDoc } from '../src/report/facts-doc.js';
import { renderRulesDoc } from '../src/report/rules-doc.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
for (const [name, text] of [['rules.md', renderRulesDoc()], ['facts.md', renderFactsDoc()]] as const) {
  const target = resolve(root, 'docs', name);
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
