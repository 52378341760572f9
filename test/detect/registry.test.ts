import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import { DETECTION_RULES, parseDetectionConfig } from '../../src/detect/config-file.js';
import { renderRulesDoc } from '../../src/report/rules-doc.js';
import { RULES } from '../../src/detect/registry.js';
import { ROOT } from '../helpers/paths.js';

test('docs/rules.md is the registry as it is now (run `npm run docs` after changing a rule)', () => {
  const onDisk = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
  assert.equal(onDisk, renderRulesDoc());
});

test('rule ids are unique, and every one can be switched off by name in detection.yaml', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(DETECTION_RULES.map((r) => r.id), ids);
  const parsed = parseDetectionConfig(`disabled: [${ids.join(', ')}]\n`, 'test');
  assert.deepEqual(parsed.disabled, ids);
  assert.throws(() => parseDetectionConfig('disabled: [IOC-99]\n', 'test'), /unknown rule ids: IOC-99/);
});

test('every setting a rule names is a detection setting with a default', () => {
  for (const r of RULES) for (const s of r.settings) assert.ok(s in DEFAULT_DETECTION_CONFIG, `${r.id}: ${s}`);
});
