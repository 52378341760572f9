import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { explanationKey, RULES, titleKey } from '../../src/detect/registry.js';
import { LOCALES_DIR, NAMESPACES, readNamespace, type Namespace } from '../../src/i18n/catalogues.js';
import { CATALOGUES, LANGS, has, t, type Lang } from '../../src/i18n/index.js';
import { placeholders } from '../../src/i18n/translate.js';
import { ROOT } from '../helpers/paths.js';

const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/;

/** A key's stem and plural form (`a.b_one` → a.b, one); a key that is not a plural form is its own stem. */
function split(key: string): { stem: string; form: string | null } {
  const m = PLURAL.exec(key);
  return m ? { stem: m[1]!, form: m[2]! } : { stem: key, form: null };
}

const files = LANGS.flatMap((lang) => NAMESPACES.map((ns) => ({ lang, ns, data: readNamespace(lang, ns) })));
const file = (lang: Lang, ns: Namespace): Record<string, string> => files.find((f) => f.lang === lang && f.ns === ns)!.data;

test('every key exists in every language, with exactly the same placeholders', () => {
  for (const ns of NAMESPACES) {
    const en = file('en', ns);
    const enStems = [...new Set(Object.keys(en).map((k) => split(k).stem))].sort();
    for (const lang of LANGS) {
      const cat = file(lang, ns);
      // Plural forms are the language's own (French may one day add _many): the texts they stand for must match.
      assert.deepEqual([...new Set(Object.keys(cat).map((k) => split(k).stem))].sort(), enStems, `${lang}/${ns}.json: keys differ from en`);
      const categories = new Set<string>(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
      for (const [key, text] of Object.entries(cat)) {
        const { stem, form } = split(key);
        if (form !== null) {
          assert.ok(categories.has(form), `${lang}/${ns}.json ${key}: ${lang} has no plural form "${form}"`);
          assert.ok(`${stem}_other` in cat, `${lang}/${ns}.json ${key} without ${stem}_other`);
        } else assert.ok(key in en, `${lang}/${ns}.json ${key}: en has it only as plural forms`);
        const ref = en[key] ?? en[`${stem}_other`]!;
        assert.deepEqual(placeholders(text), placeholders(ref), `${lang}/${ns}.json ${key}: placeholders differ from en`);
        assert.ok(text.trim().length > 0, `${lang}/${ns}.json ${key} is empty`);
      }
    }
  }
});

test('the files are i18next JSON v4 as quietcheck reads it: ui.* in ui.json, {{name}} placeholders only', () => {
  for (const { lang, ns, data } of files) {
    for (const [key, text] of Object.entries(data)) {
      assert.equal(key.startsWith('ui.'), ns === 'ui', `${lang}/${ns}.json: ${key} belongs in the other namespace`);
      // A single-brace {name} (the old catalogue style) would be shown to a survivor as it is.
      assert.doesNotMatch(text.replace(/\{\{\s*[a-zA-Z0-9_]+\s*\}\}/g, ''), /\{[a-zA-Z0-9_ ,]*\}/, `${lang}/${ns}.json ${key}: a placeholder not written {{name}}`);
      // Nesting ($t) and formatters ({{x, number}}) are i18next features quietcheck's translate() does not have.
      assert.doesNotMatch(text, /\$t\(|\{\{[^}]*,[^}]*\}\}/, `${lang}/${ns}.json ${key}: i18next nesting or formatting is not supported`);
    }
  }
  for (const ns of NAMESPACES) {
    const text = readFileSync(join(LOCALES_DIR, 'en', `${ns}.json`), 'utf8');
    assert.ok(text.endsWith('}\n'), `en/${ns}.json ends with one newline`);
  }
});

test('the built program reads the locale files from dist, the same files as locales/', () => {
  const dist = join(ROOT, 'dist', 'locales');
  assert.equal(LOCALES_DIR.replace(/\/$/, ''), dist, 'compiled code must read dist/locales');
  for (const lang of LANGS) {
    for (const ns of NAMESPACES) {
      const same = readFileSync(join(dist, lang, `${ns}.json`), 'utf8') === readFileSync(join(ROOT, 'locales', lang, `${ns}.json`), 'utf8');
      assert.ok(same, `dist/locales/${lang}/${ns}.json differs from locales/: run npm run build`);
    }
  }
  assert.deepEqual(readdirSync(join(ROOT, 'locales')).filter((d) => statSync(join(ROOT, 'locales', d)).isDirectory()).sort(), [...LANGS].sort());
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
    if (key.endsWith('_one')) assert.ok(`${key.slice(0, -4)}_other` in CATALOGUES.en, `${key} without _other`);
  }
  assert.match(t('en', 'verdict.summary.high.family', { count: 1, family: 'X' }), /1 server used/);
  assert.match(t('en', 'verdict.summary.high.family', { count: 3, family: 'X' }), /3 servers used/);
  // French counts 0 and 1 as singular.
  assert.match(t('fr', 'verdict.summary.moderate', { count: 0 }), /signe suspect a/);
  // An explicit count picks the form even when the text does not show the number.
  assert.equal(t('en', 'device.summary.high.family', { family: 'X' }, 1), 'X is installed on this phone.');
  // A key that merely ends in "other" is a plain key, not a plural form.
  assert.ok(has('en', 'device.state.other'));
});

test('a missing word falls back to English, then to the key; a placeholder without a value stays visible', () => {
  assert.equal(t('fr', 'no.such.key'), 'no.such.key');
  assert.equal(t('en', 'constructor'), 'constructor');
  assert.match(t('en', 'limit.feedsOld', {}), /\{\{days\}\}/);
  assert.match(t('de', 'limit.feedsOld', { days: 40 }), /40/);
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
      for (const key of [titleKey(r.id), explanationKey(r.id)].flatMap((k) => [k, `${k}_one`, `${k}_other`])) {
        const extra = placeholders(CATALOGUES[lang][key] ?? '').filter((p) => !allowed.has(p));
        assert.deepEqual(extra, [], `${lang} ${key} uses values ${r.id} does not declare`);
      }
    }
  }
});

test('every key the server-side code asks for by name exists', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  let seen = 0;
  for (const f of sources(join(ROOT, 'src'))) {
    const text = readFileSync(f, 'utf8');
    // t(lang, 'key' …) and the keys of Messages and advice (`key: 'verdict.summary.none'`, `title: 'guidance.plan.title'`).
    for (const m of text.matchAll(/\b(?:t\(\s*[A-Za-z_][\w.]*,\s*|has\(\s*[A-Za-z_][\w.]*,\s*|(?:key|title|text):\s*)'([a-z]+\.[a-zA-Z0-9_.-]*[a-zA-Z0-9])'/g)) {
      seen++;
      assert.ok(has('en', m[1]!), `${relative(ROOT, f)}: key ${m[1]} missing`);
    }
  }
  assert.ok(seen > 150, `only ${seen} keys found in the code: the pattern no longer matches how code asks for words`);
});
