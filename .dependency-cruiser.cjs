/**
 * Which part of quietcheck may import which (dependency-cruiser; `npm run lint:deps`, run by `npm test`
 * before the suite).
 *
 * A check runs up through these layers: capture → decode → flows → engine → device facts → indicators →
 * detection → analysis → report → store / hotspot / checks / export → server → cli. A layer imports only
 * from the layers it lists, all of them below it, never from one above: a change high up cannot break
 * the engine, and each part can be tested with only what is under it. Tests, bench and scripts are free
 * to import anything and are not cruised. The web bundle is separate: it takes only types from src/.
 *
 * Layers are listed bottom first; a module belongs to the layer whose paths match it (no path is in two
 * layers). The decoders sit under capture too, which shares their text renderings. src/device is a whole
 * check of its own (collection, rules, verdict, report, service), so its parts sit in the layers they do
 * the work of.
 */

const LAYERS = [
  {
    name: 'config',
    paths: ['^src/config/'],
    may: [],
    why: 'data-directory paths and feeds.yaml, read by every layer, so it reads none of them',
  },
  {
    name: 'process',
    paths: ['^src/process/'],
    may: [],
    why: 'starts and stops the helper programs (tcpdump, dnsmasq, hostapd) so none outlives quietcheck; knows nothing of what they do',
  },
  {
    name: 'i18n',
    paths: ['^src/i18n/'],
    may: [],
    why: 'the words of every screen and report, read by every layer that says something',
  },
  {
    name: 'decode',
    paths: ['^src/decode/'],
    may: [],
    why: 'the protocol decoders and the one name normaliser: they parse bytes and know nothing of who reads them',
  },
  {
    name: 'capture',
    paths: ['^src/capture/'],
    may: ['process', 'decode'],
    why: 'reads pcap and pcapng files and live captures; shares the decoders\' text renderings',
  },
  {
    name: 'flows',
    paths: ['^src/flows/'],
    may: ['decode'],
    why: 'connections, IP fragments and TCP streams, made from decoded packets',
  },
  {
    name: 'engine',
    paths: ['^src/engine/'],
    may: ['capture', 'decode', 'flows'],
    why: 'turns a capture into facts: reads it, decodes it, follows its flows',
  },
  {
    name: 'device-facts',
    paths: ['^src/device/(acquisition|adb|parse)/', '^src/device/(facts|build-facts)\\.ts$'],
    may: [],
    why: 'a phone\'s apps and settings read into facts, the device check\'s counterpart of the engine',
  },
  {
    name: 'indicators',
    paths: ['^src/indicators/'],
    may: ['config', 'decode'],
    why: 'feeds parsed and matched; declares the store contract it needs, which the store implements',
  },
  {
    name: 'detect',
    paths: ['^src/detect/', '^src/device/rules/', '^src/device/notes\\.ts$'],
    may: ['config', 'i18n', 'decode', 'engine', 'device-facts', 'indicators'],
    why: 'rules that turn facts and indicator matches into findings',
  },
  {
    name: 'analysis',
    paths: ['^src/analysis/', '^src/report/(analyze|verdict|types)\\.ts$', '^src/device/(analyze|verdict)\\.ts$'],
    may: ['config', 'i18n', 'decode', 'capture', 'engine', 'device-facts', 'indicators', 'detect'],
    why: 'wires capture, engine and detection, and gives the verdict: what every output is made from',
  },
  {
    name: 'report',
    paths: ['^src/report/(?!i18n/|(analyze|verdict|types)\\.ts$)', '^src/device/report/'],
    may: ['i18n', 'engine', 'device-facts', 'detect', 'analysis'],
    why: 'renderers only (HTML, JSON, PDF, paper, words): they draw an analysis and fetch nothing',
  },
  {
    name: 'store',
    paths: ['^src/store/'],
    may: ['config', 'i18n', 'indicators'],
    why: 'SQLite: keeps checks, feeds and settings; implements the indicators\' feed store',
  },
  {
    name: 'hotspot',
    paths: ['^src/hotspot/'],
    may: ['config', 'process', 'capture', 'store'],
    why: 'the Wi-Fi hotspot the phone joins, and its capture',
  },
  {
    name: 'checks',
    paths: ['^src/checks/', '^src/device/(checks|serve)\\.ts$'],
    may: ['config', 'process', 'i18n', 'capture', 'engine', 'device-facts', 'indicators', 'detect', 'analysis', 'report', 'store', 'hotspot'],
    why: 'the check services: run a check, analyse it off the main thread, keep its results',
  },
  {
    name: 'export',
    paths: ['^src/export/'],
    may: ['i18n', 'analysis', 'report', 'store', 'checks'],
    why: 'archives and USB copies of a finished check; its failures are plain reasons, the server maps them to HTTP',
  },
  {
    name: 'doctor',
    paths: ['^src/doctor/'],
    may: ['config', 'report', 'store', 'hotspot'],
    why: 'diagnoses the machine a service runs on',
  },
  {
    name: 'server',
    paths: ['^src/server/'],
    may: ['config', 'process', 'i18n', 'capture', 'engine', 'device-facts', 'indicators', 'detect', 'analysis', 'report', 'store', 'hotspot', 'checks', 'export', 'doctor'],
    why: 'the HTTP API: routes, sessions, HTTP statuses',
  },
  {
    name: 'cli',
    paths: ['^src/cli/'],
    may: ['config', 'process', 'i18n', 'capture', 'engine', 'device-facts', 'indicators', 'detect', 'analysis', 'report', 'store', 'hotspot', 'checks', 'export', 'doctor', 'server'],
    why: 'the command line, on top of everything',
  },
];

/**
 * Imports that still point up, each waiting on a change in flight. Remove an entry once it is done; the
 * check then holds the line.
 */
const KNOWN_EXCEPTIONS = [];

// Every layer listed in `may` must be below: the matrix can only point down.
LAYERS.forEach((layer, i) => {
  for (const other of layer.may) {
    const j = LAYERS.findIndex((l) => l.name === other);
    if (j < 0 || j >= i) throw new Error(`.dependency-cruiser.cjs: layer ${layer.name} may import ${other}, which is not a layer below it`);
  }
});

const pathsOf = (names) => LAYERS.filter((l) => names.includes(l.name)).flatMap((l) => l.paths);
const ALL_LAYERS = LAYERS.flatMap((l) => l.paths);

const layerRules = LAYERS.flatMap((layer) => {
  const allowed = [...layer.paths, ...pathsOf(layer.may)];
  const own = KNOWN_EXCEPTIONS.filter((e) => e.layer === layer.name);
  const rule = (suffix, from, exception) => ({
    name: `layer-${layer.name}${suffix}`,
    severity: 'error',
    comment:
      `${layer.name}: ${layer.why}. It may import: ${layer.may.join(', ') || 'nothing of quietcheck'}.` +
      (exception ? ` Allowed for now: ${exception.to} (${exception.why}).` : ''),
    from,
    to: { path: '^(src|web)/', pathNot: [...allowed, ...(exception ? [exception.to] : [])] },
  });
  return [
    rule('', { path: layer.paths, pathNot: own.map((e) => e.from) }, null),
    ...own.map((e, k) => rule(`-pending-${k + 1}`, { path: e.from }, e)),
  ];
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'decode-not-engine',
      severity: 'error',
      comment: 'The decoders are below the engine: they never import from it (not even its types).',
      from: { path: '^src/decode/' },
      to: { path: '^src/engine/' },
    },
    {
      name: 'report-renders-only',
      severity: 'error',
      comment: 'The report layer draws what it is given: it never reaches into the store, the check services or the server.',
      from: { path: '^src/report/', pathNot: KNOWN_EXCEPTIONS.map((e) => e.from) },
      to: { path: '^src/(store|checks|server)/' },
    },
    {
      name: 'web-types-only',
      severity: 'error',
      comment:
        'The web bundle runs in the browser: from src/ it takes types only (`import type`), except guidance.ts, ' +
        'the one list of advice the kiosk shares with the reports, and src/i18n/translate.ts, the one lookup of ' +
        'words the kiosk shares with the server (they import nothing themselves, see below).',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/report/guidance\\.ts$', '^src/i18n/translate\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'guidance-stands-alone',
      severity: 'error',
      comment: 'guidance.ts and translate.ts are bundled into the web as they are, so they import nothing at run time.',
      from: { path: ['^src/report/guidance\\.ts$', '^src/i18n/translate\\.ts$'] },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'No two directories under src/ import each other, directly or round a loop. dependency-cruiser takes ' +
        'src/device/report and src/device as two; scripts/lint-deps.mjs checks the top-level folders as wholes.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'in-a-layer',
      severity: 'error',
      comment: 'Every module under src/ belongs to a layer above; a new folder gets its place in LAYERS.',
      from: { path: '^src/', pathNot: ALL_LAYERS },
      to: {},
    },
    {
      name: 'to-a-layer',
      severity: 'error',
      comment: 'Every module under src/ belongs to a layer above; a new folder gets its place in LAYERS.',
      from: {},
      to: { path: '^src/', pathNot: ALL_LAYERS },
    },
  ],
  options: {
    // Type-only imports count: a type from a layer above ties the two together as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};

// For scripts/lint-deps.mjs, which also refuses loops between the top-level folders of src/ (dependency-cruiser
// sees only whole directories). Not enumerable, so dependency-cruiser's own schema does not see it.
Object.defineProperty(module.exports, 'knownExceptions', { value: KNOWN_EXCEPTIONS, enumerable: false });
