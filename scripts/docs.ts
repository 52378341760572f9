/** Writes the generated documentation (docs/rules.md) from the rule registry. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from '../src/report/rules-doc.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const target = resolve(root, 'docs', 'rules.md');
writeFileSync(target, renderRulesDoc());
console.log(`wrote ${target}`);
