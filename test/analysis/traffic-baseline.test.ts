import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import type { DetectionConfig } from '../../src/detect/types.js';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles, type IndicatorSources } from '../../src/analysis/indicator-sources.js';
import type { Lang } from '../../src/i18n/index.js';
import { toJsonReport } from '../../src/report/json.js';
import type { Analysis, FeedSummary } from '../../src/analysis/types.js';
import type { CaptureMode } from '../../src/detect/types.js';
import { INDICATORS, PCAPS, ROOT, pcap } from '../helpers/paths.js';

/**
 * Every shared capture analysed under several settings, compared with what the code gave before the
 * pipeline moved out of report/ and the verdict stopped reading facts: findings, verdict, limits and
 * the words of the verdict must stay what they were. The baseline holds only our own output about
 * public captures (rule ids, levels, hosts, message keys), never the captures themselves.
 *
 * QUIETCHECK_WRITE_BASELINE=1 rewrites the baseline from the code as it is; do that only for an
 * intended change of results (a rule, a note, or the words of a limit in a catalogue), and say why in
 * the commit.
 */

const BASELINE = join(ROOT, 'test', 'analysis', 'traffic-baseline.json');
const NOW = new Date('2026-12-01T12:00:00Z');

/** A feed of our own naming hosts of the shared captures as spyware servers, so High, Moderate and allow-listed signs occur. */
const TEST_FEED = `- name: TestSpy
  type: stalkerware
  websites:
  - www.bing.com
  c2:
    domains:
    - heise.de
    - bro.org
    - api.cirrus-ci.com
    - mamzon.ru
    - www.netflix.com
    - upload.wikimedia.org
    - lh3.google.com
    ips:
    - 17.248.236.64
    - 128.3.26.249
- name: TestWatch
  type: watchware
  c2:
    domains:
    - www.blogger.com
    - example.com
`;

interface Scenario {
  name: string;
  files: () => string[];
  config: Partial<DetectionConfig>;
  mode: CaptureMode | null;
  /** Feed dates and failures set by hand: a file's date is its modification time, which differs between checkouts. */
  feeds: (f: FeedSummary, i: number) => FeedSummary;
  lang: Lang;
}

let dir: string;
const fresh = (f: FeedSummary): FeedSummary => ({ ...f, date: '2026-11-28T00:00:00.000Z' });
const SHARED_FEEDS = [
  'stalkerware-indicators/ioc.yaml',
  'stalkerware-indicators/watchware.yaml',
  'tinycheck/iocs.json',
  'tinycheck/whitelist.json',
  'amnesty/2021-07-18_nso_pegasus.stix2',
].map((f) => join(INDICATORS, f));
const EXTRA_DOH = [...DEFAULT_DETECTION_CONFIG.dohResolvers, 'blog.cloudflare.com', 'cloudflare-quic.com'];

const SCENARIOS: Scenario[] = [
  { name: 'bare', files: () => [], config: {}, mode: null, feeds: fresh, lang: 'en' },
  { name: 'shared', files: () => SHARED_FEEDS, config: {}, mode: null, feeds: fresh, lang: 'en' },
  {
    name: 'synthetic-hotspot',
    files: () => [join(dir, 'testspy.yaml'), join(INDICATORS, 'tinycheck', 'whitelist.json')],
    config: { allowNames: ['upload.wikimedia.org'], dohResolvers: EXTRA_DOH, hotspotName: 'quietcheck-7F3A' },
    mode: 'hotspot',
    feeds: (f, i) => ({ ...f, date: i === 0 ? '2026-09-01T00:00:00.000Z' : '2026-11-30T00:00:00.000Z', lastError: i === 0 ? 'HTTP 503' : null }),
    lang: 'en',
  },
  {
    name: 'synthetic-silenced-sinkhole',
    files: () => [join(dir, 'testspy.yaml')],
    config: { disabled: ['BEH-DOH', 'BEH-DOT', 'BEH-VPN', 'BEH-TOR', 'IOC-11', 'IOC-13', 'ADV-01', 'PROTO-05'], dohResolvers: EXTRA_DOH },
    mode: 'sinkhole',
    feeds: fresh,
    lang: 'fr',
  },
  {
    name: 'synthetic-long-enough',
    files: () => [join(dir, 'testspy.yaml')],
    config: { inconclusiveMinSeconds: 0, inconclusiveMinBytes: 0 },
    mode: 'interface',
    feeds: fresh,
    lang: 'de',
  },
];

/** What must not change: everything the verdict and the findings list say, as keys and as words. */
function digest(a: Analysis, lang: Lang): unknown {
  const j = toJsonReport(a, lang);
  return {
    findings: a.findings.map((f) => `${f.id} ${f.level} ${f.host} ${f.family ?? '-'}`),
    allowed: a.allowed.map((h) => `${h.host} ${h.level ?? '-'} ${h.families.join('+')} ${h.silenced.join('+')}`),
    verdict: { level: a.verdict.level, families: a.verdict.families, summary: a.verdict.summary, limits: a.verdict.limits },
    words: { summary: j.verdict.summary, limits: j.verdict.limits },
  };
}

async function run(s: Scenario, file: string, sources: IndicatorSources): Promise<unknown> {
  const a = await analyzeCapture(pcap(file), { indicators: sources.indicators, feeds: sources.feeds, config: s.config, now: NOW, mode: s.mode ?? undefined });
  return digest(a, s.lang);
}

const captures = readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'quietcheck-baseline-'));
  writeFileSync(join(dir, 'testspy.yaml'), TEST_FEED);
});
after(() => rmSync(dir, { recursive: true, force: true }));

if (process.env.QUIETCHECK_WRITE_BASELINE === '1') {
  test('write the baseline', async () => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const s of SCENARIOS) {
      const loaded = await loadIndicatorFiles(s.files());
      const sources = { indicators: loaded.indicators, feeds: loaded.feeds.map(s.feeds) };
      out[s.name] = {};
      for (const file of captures) out[s.name]![file] = await run(s, file, sources);
    }
    writeFileSync(BASELINE, JSON.stringify(out, null, 1) + '\n');
  });
} else {
  const baseline = existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as Record<string, Record<string, unknown>>) : {};
  test('the baseline covers every shared capture under every setting', () => {
    assert.deepEqual(Object.keys(baseline), SCENARIOS.map((s) => s.name));
    for (const s of SCENARIOS) assert.deepEqual(Object.keys(baseline[s.name] ?? {}).sort(), captures, s.name);
  });
  test('the settings reach High, Moderate, Low, None and Inconclusive and every kind of limit', () => {
    const levels = new Set<string>();
    const limits = new Set<string>();
    for (const byFile of Object.values(baseline)) {
      for (const d of Object.values(byFile) as { verdict: { level: string; limits: { key: string }[] } }[]) {
        levels.add(d.verdict.level);
        for (const l of d.verdict.limits) limits.add(l.key);
      }
    }
    assert.deepEqual([...levels].sort(), ['high', 'inconclusive', 'low', 'moderate', 'none']);
    for (const k of ['limit.short', 'limit.damaged', 'limit.feedsOld', 'limit.feedFailed', 'limit.noFeeds', 'limit.allowHid.family', 'limit.hidden.dns', 'limit.hidden.noname', 'limit.mode.hotspot', 'limit.mode.sinkhole']) {
      assert.ok(limits.has(k), `no capture gives ${k}`);
    }
  });
  for (const s of SCENARIOS) {
    describe(s.name, () => {
      let sources: IndicatorSources;
      before(async () => {
        const loaded = await loadIndicatorFiles(s.files());
        sources = { indicators: loaded.indicators, feeds: loaded.feeds.map(s.feeds) };
      });
      for (const file of captures) test(file, async () => assert.deepEqual(await run(s, file, sources), baseline[s.name]?.[file]));
    });
  }
}
