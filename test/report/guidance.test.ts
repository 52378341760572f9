/**
 * One guidance list for every place a result is read: the traffic report (HTML, and so the PDF) and
 * the device report show, at every verdict level and in every language, exactly the steps, help and
 * limits of `guidance()`, in its order — the list the kiosk renders too (test/web/guidance.test.ts
 * checks the kiosk in a browser against these reports).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeAcquisition, type DeviceAnalysis } from '../../src/device/analyze.js';
import { renderDeviceHtml } from '../../src/device/report/html.js';
import { renderDeviceMessage } from '../../src/device/report/words.js';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { loadIndicatorFiles } from '../../src/analysis/indicator-sources.js';
import { renderMessage } from '../../src/report/format.js';
import { guidance, helplineLines, type CheckKind, type GuidanceLevel } from '../../src/report/guidance.js';
import { esc, renderHtml } from '../../src/report/html.js';
import { CATALOGUES, LANGS, t } from '../../src/i18n/index.js';
import type { Analysis } from '../../src/analysis/types.js';
import { writeAcquisition } from '../helpers/android-phone.js';
import { IOC_YAML, writeDnsCapture } from './fixtures.js';

const LEVELS: GuidanceLevel[] = ['high', 'moderate', 'low', 'none', 'inconclusive'];
const KINDS: CheckKind[] = ['traffic', 'device'];

/** The steps each place showed before they were one list: none of them may be lost. */
const BEFORE: Record<CheckKind, Record<GuidanceLevel, string[][]>> = {
  traffic: {
    high: [['noRush', 'plan', 'evidence', 'device', 'trust'], ['noRush', 'plan', 'evidence', 'device']],
    moderate: [['noRush', 'plan', 'evidence', 'device', 'trust'], ['noRush', 'plan', 'evidence', 'device']],
    low: [['trust', 'plan'], ['trust', 'plan', 'evidence']],
    none: [['trust', 'plan'], ['trust', 'plan', 'evidence']],
    inconclusive: [['recordAgain', 'trust', 'plan']],
  },
  // Both checks of one phone keep every step of each, the safety plan standing for the device's support service.
  combined: {
    high: [['noRush', 'plan', 'evidence', 'device', 'trust', 'devOff']],
    moderate: [['noRush', 'plan', 'evidence', 'device', 'trust', 'devOff']],
    low: [['devOff', 'trust', 'plan', 'evidence']],
    none: [['devOff', 'trust', 'plan', 'evidence']],
    inconclusive: [['devOff', 'trust', 'plan', 'evidence']],
  },
  device: {
    high: [['noRush', 'support', 'evidence', 'devOff']],
    moderate: [['noRush', 'support', 'evidence', 'devOff']],
    low: [['devOff', 'trust', 'evidence']],
    none: [['devOff', 'trust', 'evidence']],
    inconclusive: [['devOff', 'trust', 'evidence']],
  },
};

/** What a rendered report shows of the guidance: step ids with their titles, the help lines, the limits, in page order. */
function shown(html: string): { steps: [string, string][]; help: string[]; contact: string | null; limits: string[]; order: string[] } {
  const g = /<section class="guidance">([\s\S]*?)<\/section>/.exec(html);
  assert.ok(g, 'no guidance section');
  const steps = [...g[1]!.matchAll(/<li data-step="([^"]+)"><span class="step-no"[^>]*>\d+<\/span><div><strong>([^<]*)<\/strong>/g)].map((m) => [m[1]!, m[2]!] as [string, string]);
  const helpItem = /<li data-step="help">[\s\S]*?<ul class="help-list">([\s\S]*?)<\/ul>/.exec(g[1]!);
  const help = helpItem ? [...helpItem[1]!.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!) : [];
  const contact = /<p class="service-contact"><strong>[^<]*<\/strong> ([^<]*)<\/p>/.exec(g[1]!)?.[1] ?? null;
  const l = /<section class="limits-section">[\s\S]*?<ul class="limits">([\s\S]*?)<\/ul><\/section>/.exec(html);
  assert.ok(l, 'no limits section');
  const limits = [...l[1]!.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
  // Where to find help closes what to do now, and the limits follow at once, as on the kiosk.
  const order = [html.indexOf('<section class="guidance">'), html.indexOf('<section class="limits-section">')];
  assert.ok(order[0]! < order[1]! && !html.slice(html.indexOf('</section>', order[0]!) + 10, order[1]!).trim(), 'the limits do not follow the guidance');
  return { steps, help, contact, limits, order: steps.map((s) => s[0]) };
}

describe('guidance: one list for the reports and the kiosk', () => {
  let dir: string;
  let traffic: Analysis;
  let device: DeviceAnalysis;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-guidance-'));
    const sources = await loadIndicatorFiles([IOC_YAML]);
    const pcap = join(dir, 'quiet.pcap');
    writeDnsCapture(pcap, ['example.org'], 3);
    traffic = await analyzeCapture(pcap, { ...sources });
    const phone = writeAcquisition(join(dir, 'phone'), { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.whatsapp' }] });
    device = await analyzeAcquisition(phone, { indicators: sources.indicators, feeds: sources.feeds });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every level, every kind: "if you still feel watched" and help everywhere, no step lost', () => {
    for (const kind of [...KINDS, 'combined' as const]) {
      for (const level of LEVELS) {
        const blocks = guidance({ level, kind, help: null, limits: [] });
        assert.deepEqual(blocks.map((b) => b.kind), ['steps', 'help', 'limits'], `${kind} ${level}`);
        const ids = blocks[0]!.kind === 'steps' ? blocks[0]!.steps.map((s) => s.id) : [];
        assert.ok(ids.includes('trust'), `${kind} ${level}: no "if you still feel watched"`);
        assert.equal(new Set(ids).size, ids.length, `${kind} ${level}: a step twice`);
        for (const old of BEFORE[kind][level]) {
          for (const id of old) assert.ok(ids.includes(id), `${kind} ${level}: lost ${id}`);
        }
        for (const s of blocks[0]!.kind === 'steps' ? blocks[0]!.steps : []) {
          for (const key of [s.title, s.text]) assert.ok(CATALOGUES.en[key], `${kind} ${level}: no words for ${key}`);
        }
      }
    }
  });

  test('the HTML report and the device report show the list, in every language and at every level', () => {
    for (const kind of KINDS) {
      for (const lang of LANGS) {
        for (const level of LEVELS) {
          const limits = kind === 'traffic' ? traffic.verdict.limits : device.verdict.limits;
          const words = (m: (typeof limits)[number]): string => (kind === 'traffic' ? renderMessage(lang, m) : renderDeviceMessage(lang, m));
          const html =
            kind === 'traffic'
              ? renderHtml({ ...traffic, verdict: { ...traffic.verdict, level } }, lang)
              : renderDeviceHtml({ ...device, verdict: { ...device.verdict, level } }, lang);
          const blocks = guidance({ level, kind, help: null, limits });
          const steps = blocks[0]!.kind === 'steps' ? blocks[0]!.steps : [];
          const got = shown(html);
          const at = `${kind} ${level} ${lang}`;
          // Where to find help is the last numbered step.
          assert.deepEqual(got.steps, [...steps.map((s) => [s.id, esc(t(lang, s.title))]), ['help', esc(t(lang, 'guidance.help.title'))]], at);
          for (const s of steps) assert.ok(html.includes(esc(t(lang, s.text))), `${at}: ${s.text} not shown`);
          const help = blocks[1]!;
          assert.ok(help.kind === 'help');
          assert.deepEqual(got.help, helplineLines(help, (k) => t(lang, k)).map(esc), at);
          assert.equal(got.contact, null, at);
          assert.deepEqual(got.limits, limits.map((m) => esc(words(m))), at);
          assert.ok(got.limits.length > 0, at);
        }
      }
    }
  });

  test("the service's own help replaces the examples in both reports", () => {
    const help = { contact: 'Shelter <Nord>, 01 23 45 67 89', helplines: ['Ligne A: 3919', 'Ligne B: 114'] };
    for (const kind of KINDS) {
      const html = kind === 'traffic' ? renderHtml(traffic, 'fr', { help }) : renderDeviceHtml(device, 'fr', { help });
      const got = shown(html);
      assert.deepEqual(got.help, help.helplines, kind);
      assert.equal(got.contact, esc(help.contact), kind);
    }
  });
});
