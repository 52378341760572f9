import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { explanationKey, RULES, titleKey } from '../../src/detect/registry.js';
import { CATALOGUES, LANGS, has, t } from '../../src/report/i18n/index.js';
import { ROOT } from '../helpers/paths.js';

const placeholders = (s: string): string[] => [...new Set([...s.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!))].sort();

test('every key exists in every locale, with exactly the same placeholders', () => {
  const en = CATALOGUES.en;
  for (const lang of LANGS) {
    const cat = CATALOGUES[lang];
    assert.deepEqual(Object.keys(cat).sort(), Object.keys(en).sort(), `${lang}: keys differ from en`);
    for (const [key, text] of Object.entries(en)) {
      assert.deepEqual(placeholders(cat[key]!), placeholders(text), `${lang} ${key}: placeholders differ`);
      assert.ok(cat[key]!.trim().length > 0, `${lang} ${key} is empty`);
    }
  }
});

test('translations are not English left in place', () => {
  const en = CATALOGUES.en;
  for (const lang of LANGS.filter((l) => l !== 'en')) {
    const same = Object.keys(en).filter((k) => en[k]!.length > 25 && CATALOGUES[lang][k] === en[k]);
    assert.deepEqual(same, [], `${lang}: untranslated`);
  }
});

test('plural keys have both forms and select on the number', () => {
  for (const key of Object.keys(CATALOGUES.en)) {
    if (key.endsWith('.one')) assert.ok(`${key.slice(0, -4)}.other` in CATALOGUES.en, `${key} without .other`);
  }
  assert.match(t('en', 'verdict.summary.high.family', { count: 1, family: 'X' }), /1 server used/);
  assert.match(t('en', 'verdict.summary.high.family', { count: 3, family: 'X' }), /3 servers used/);
  // French counts 0 and 1 as singular.
  assert.match(t('fr', 'verdict.summary.moderate', { count: 0 }), /signe suspect a/);
});

test('every detection rule id has a title and an explanation in every language', () => {
  const ids = RULES.map((r) => r.id);
  for (const lang of LANGS) {
    for (const id of ids) {
      assert.ok(has(lang, titleKey(id)), `${lang}: finding.${id}.title missing`);
      assert.ok(has(lang, explanationKey(id)), `${lang}: finding.${id}.explanation missing`);
    }
  }
});

test("a rule's words use only the values the registry says it carries", () => {
  for (const r of RULES) {
    const allowed = new Set<string>(['host', 'evidenceCount', ...r.params]);
    for (const lang of LANGS) {
      for (const key of [titleKey(r.id), explanationKey(r.id)].flatMap((k) => [k, `${k}.one`, `${k}.other`])) {
        const extra = placeholders(CATALOGUES[lang][key] ?? '').filter((p) => !allowed.has(p));
        assert.deepEqual(extra, [], `${lang} ${key} uses values ${r.id} does not declare`);
      }
    }
  }
});

test('every key the report code asks for exists', () => {
  const dir = join(ROOT, 'src', 'report');
  const files = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)), join(ROOT, 'src', 'cli', 'analyze.ts')];
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*(?:lang|a\.lang),\s*'([a-zA-Z0-9_.-]+)'/g)) {
      assert.ok(has('en', m[1]!), `${f}: key ${m[1]} missing`);
    }
  }
});
