import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import { DETECTION_RULES, parseDetectionConfig } from '../../src/detect/config-file.js';
import { renderRulesDoc } from '../../src/report/rules-doc.js';
import { NOTES, RULES } from '../../src/detect/registry.js';
import { CATALOGUES, LANGS } from '../../src/i18n/index.js';
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

test('note ids are unique, differ from rule ids, cannot be switched off, and their words are in every catalogue', () => {
  const ids = NOTES.map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.ok(!RULES.some((r) => (r.id as string) === id), id);
  assert.throws(() => parseDetectionConfig('disabled: [NOTE-NOT-PROOF]\n', 'test'), /unknown rule ids: NOTE-NOT-PROOF/);
  for (const n of NOTES) {
    for (const s of n.settings) assert.ok(s in DEFAULT_DETECTION_CONFIG, `${n.id}: ${s}`);
    if (n.message === null) continue;
    for (const lang of LANGS) {
      const c = CATALOGUES[lang];
      // A plural message has one text per plural form of the language (`key_one`, `key_other`, …).
      const texts = n.message in c ? [c[n.message]!] : Object.keys(c).filter((k) => k.startsWith(`${n.message}_`)).map((k) => c[k]);
      assert.ok(texts.length > 0 && texts.every((t) => typeof t === 'string' && t.length > 0), `${lang}: no words for ${n.id} (${n.message})`);
      for (const t of texts) for (const [, name] of t!.matchAll(/\{\{(\w+)\}\}/g)) assert.ok((n.params as readonly string[]).includes(name!), `${lang} ${n.message}: {${name}} is not a param of ${n.id}`);
    }
  }
});
