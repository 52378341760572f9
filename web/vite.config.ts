/**
 * The quietcheck web UI: Preact + TypeScript, built into dist/web and served by `quietcheck serve`.
 * Its words come from the same locale files as the report (locales/<lang>/ui.json, and the few keys of
 * report.json the UI shows); they are bundled as one small chunk per language, loaded when that language is picked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { localeFile, readNamespace } from '../src/i18n/catalogues.ts';

/** The keys the UI uses: its own (ui.*), the report's plain-words verdict and guidance (src/report/guidance.ts), and rule titles (admin detection settings). */
const UI_KEYS = /^(ui\.|level\.|guidance\.|device\.guidance\.|combine\.|device\.verdict\.(high|moderate|low|none|inconclusive)\.meaning$|report\.help\.service$|report\.limits\.heading$|size\.|verdict\.(high|moderate|low|none|inconclusive)\.(headline|meaning)$|finding\.[A-Z0-9-]+\.title$)/;
const PREFIX = 'virtual:qc-strings/';

/**
 * simple-keyboard's licence, shipped beside the bundle as third-party-licenses.txt: its banner comment
 * (with the project's web address) is left out of the JavaScript, which names no outside address.
 */
function thirdPartyLicenses(): Plugin {
  return {
    name: 'quietcheck-third-party-licenses',
    generateBundle() {
      const text = readFileSync(fileURLToPath(new URL('../node_modules/simple-keyboard/LICENSE', import.meta.url)), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'third-party-licenses.txt', source: `simple-keyboard (the on-screen keyboard)\n\n${text}` });
    },
  };
}

function uiStrings(): Plugin {
  return {
    name: 'quietcheck-ui-strings',
    resolveId(id) {
      return id.startsWith(PREFIX) ? '\0' + id : null;
    },
    load(id) {
      if (!id.startsWith('\0' + PREFIX)) return null;
      const lang = id.slice(PREFIX.length + 1);
      // Rebuilt on `vite` dev when a locale file changes.
      for (const ns of ['report', 'ui'] as const) this.addWatchFile(localeFile(lang, ns));
      const picked = Object.fromEntries(
        [...Object.entries(readNamespace(lang, 'report')), ...Object.entries(readNamespace(lang, 'ui'))].filter(([k]) => UI_KEYS.test(k)),
      );
      return `export default ${JSON.stringify(picked)};`;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  plugins: [uiStrings(), thirdPartyLicenses()],
  // The keyboard's build for current browsers: without the polyfills (and their licence banners) of its default one.
  resolve: { alias: [{ find: /^simple-keyboard$/, replacement: 'simple-keyboard/build/index.modern.esm.js' }] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    sourcemap: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: { output: { legalComments: 'none' } },
  },
});
