/**
 * `npm run lint:deps`: checks .dependency-cruiser.cjs's rules over src/ and web/src/, then that no two
 * top-level folders of src/ import each other round a loop. dependency-cruiser's own folder rule sees whole
 * directories only (src/device and src/device/report are two to it), so the top-level loops are found here.
 * Plain JavaScript, so it runs before anything is built. Exits 1 on any violation.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise, format } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const CONFIG = './.dependency-cruiser.cjs';
const { knownExceptions } = createRequire(import.meta.url)(`.${CONFIG}`);

const options = await extractDepcruiseOptions(CONFIG);
const { output: result } = await cruise(['src', 'web/src'], { ...options, validate: true }, undefined, {
  tsConfig: extractTSConfig(options.tsConfig.fileName),
});

const rules = await format(result, { outputType: 'err' });
let failed = rules.exitCode !== 0;

/** Top-level folder → folder → the module imports that make that edge (a known exception makes none). */
const top = (path) => /^src\/([^/]+)\//.exec(path)?.[1] ?? null;
const excepted = (from, to) => knownExceptions.some((e) => new RegExp(e.from).test(from) && new RegExp(e.to).test(to));
const edges = new Map();
for (const m of result.modules) {
  const a = top(m.source);
  if (a === null) continue;
  for (const d of m.dependencies) {
    const b = top(d.resolved);
    if (b === null || b === a || excepted(m.source, d.resolved)) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    const out = edges.get(a);
    if (!out.has(b)) out.set(b, []);
    out.get(b).push(`${m.source} → ${d.resolved}`);
  }
}

// Tarjan's strongly connected components: a component of two or more folders is a loop.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const loops = [];
let next = 0;
const visit = (v) => {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) loops.push(component.sort());
  }
};
for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);

let text = rules.output;
for (const loop of loops) {
  failed = true;
  text += `\n  error top-level-folder-cycle: ${loop.map((f) => `src/${f}`).join(', ')} import each other:\n`;
  for (const a of loop) {
    for (const [b, why] of edges.get(a) ?? []) {
      if (!loop.includes(b)) continue;
      text += `      src/${a} → src/${b}: ${why.slice(0, 3).join('; ')}${why.length > 3 ? `; and ${why.length - 3} more` : ''}\n`;
    }
  }
}
if (loops.length > 0) text += `\nx ${loops.length} loop(s) between top-level folders of src/.\n`;
process.stdout.write(text);
process.exitCode = failed ? 1 : 0;
