/**
 * The kiosk's result and the HTML report of the same check, both in a real browser against a real
 * `quietcheck serve`: what to do now, where to find help and the limits are the same steps in the
 * same order — at two verdict levels, in two languages — with the service's own help on both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { guidance } from '../../src/report/guidance.js';
import { CATALOGUES } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { writeDnsCapture } from '../report/fixtures.js';
import { api, asAdmin, importIndicators, login } from '../server/helpers.js';
import { ECHAP_IOC, writeLabFeed } from './fixtures.js';
import { context, launch, PASSWORD, serve, shot, showResult, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

type Lang = 'en' | 'de';
const LANGS: Lang[] = ['en', 'de'];

interface Shown {
  steps: [string, string][];
  help: string;
  contact: string | null;
  contactLabel: string | null;
  limits: string[];
}

/**
 * What a page shows of the guidance, read in the page (a string, as the browser runs it): step ids
 * with their titles, the help lines, the service's contact, and the limits — only where they follow
 * the guidance at once.
 */
function reader(sel: { step: string; title: string; help: string; contact: string; limits: string }): string {
  return `(() => {
    const q = (s) => [...document.querySelectorAll(s)];
    const contact = document.querySelector(${JSON.stringify(sel.contact)});
    return {
      steps: q(${JSON.stringify(sel.step)}).map((c) => [c.getAttribute('data-step'), c.querySelector(${JSON.stringify(sel.title)}).textContent.trim()]),
      help: q(${JSON.stringify(sel.help)}).map((e) => e.textContent).join('\\n').split('\\n').map((l) => l.trim()).filter(Boolean).join('\\n'),
      contact: contact ? contact.lastChild.textContent.trim() : null,
      contactLabel: contact ? contact.querySelector('strong').textContent.trim() : null,
      limits: q(${JSON.stringify(sel.limits)}).map((l) => l.textContent.trim()),
    };
  })()`;
}

const KIOSK = reader({
  step: 'section.guidance [data-step]',
  title: 'h3',
  help: 'section.guidance [data-step=help] .pre',
  contact: 'section.guidance [data-testid=service-contact]',
  limits: 'section.guidance + section[aria-labelledby=limits-h] li',
});
const REPORT = reader({
  step: 'section.guidance li[data-step]',
  title: 'strong',
  help: 'section.guidance .help-list li',
  contact: 'section.guidance .service-contact',
  limits: 'section.guidance + section.limits-section li',
});

const kioskGuidance = (page: Page): Promise<Shown> => page.evaluate(KIOSK) as Promise<Shown>;
const reportGuidance = (page: Page): Promise<Shown> => page.evaluate(REPORT) as Promise<Shown>;

describe('guidance: the kiosk and the report say the same', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  const HELP = { de: { contact: 'Frauenberatung Nord, 030 123 456', helplines: ['Hilfetelefon Gewalt gegen Frauen: 116 016'] } };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-guidance-'));
    const dataDir = join(dir, 'data');
    await importIndicators(dataDir, [ECHAP_IOC, writeLabFeed(dir)]);
    srv = await serve({ dataDir });
    browser = await launch();
    const s = await login(srv.port, PASSWORD);
    const r = await api(srv.port, '/api/admin/help', { method: 'PUT', headers: asAdmin(s), body: { lang: 'de', ...HELP.de } });
    assert.equal(r.status, 200, r.text);
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function uploaded(file: string, lang: Lang): Promise<string> {
    const r = await fetch(`${srv.url}/api/uploads?lang=${lang}&name=${encodeURIComponent(file.split('/').pop()!)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: readFileSync(file),
    });
    assert.equal(r.status, 201, await r.clone().text());
    const { id } = (await r.json()) as { id: string };
    for (let i = 0; i < 240; i++) {
      const c = (await (await fetch(`${srv.url}/api/checks/${id}`)).json()) as { state: string };
      if (c.state === 'done') return id;
      assert.notEqual(c.state, 'failed');
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new Error('the check did not finish');
  }

  test('two levels × two languages: same steps, same help, same limits, same order', async () => {
    const quiet = join(dir, 'quiet.pcap');
    writeDnsCapture(quiet, ['example.org'], 3);
    const levels = new Set<string>();
    for (const file of [pcap('tls-browsing-mixed.pcap'), quiet]) {
      for (const lang of LANGS) {
        const id = await uploaded(file, lang);
        const ctx = await context(browser, SIZES.kiosk);
        const page = await ctx.newPage();
        const problems = watch(page);
        await page.goto(`${srv.url}/result/${id}`);
        await showResult(page);
        const level = (await page.locator('[data-testid=verdict]').getAttribute('data-level'))!;
        levels.add(level);
        const kiosk = await kioskGuidance(page);
        await page.locator('section.guidance [data-step=help]').scrollIntoViewIfNeeded();
        await shot(page, `guidance-${level}-${lang}-800x480`);

        const rep = await ctx.newPage();
        await rep.goto(`${srv.url}/api/checks/${id}/report?format=html&lang=${lang}`);
        const report = await reportGuidance(rep);
        const at = `${level} ${lang}`;
        assert.deepEqual(kiosk, report, at);

        // Both are the one list, in the check's language.
        const c = CATALOGUES[lang];
        const blocks = guidance({ level: level as never, kind: 'traffic', help: null, limits: [] });
        const steps = blocks[0]!.kind === 'steps' ? blocks[0]!.steps : [];
        assert.deepEqual(kiosk.steps, [...steps.map((s) => [s.id, c[s.title]]), ['help', c['guidance.help.title']]], at);
        assert.ok(kiosk.steps.some(([id]) => id === 'trust'), `${at}: no "if you still feel watched"`);
        assert.ok(kiosk.limits.length > 0, at);
        if (lang === 'de') {
          assert.equal(kiosk.help, HELP.de.helplines.join('\n'), at);
          assert.equal(kiosk.contact, HELP.de.contact, at);
          assert.equal(kiosk.contactLabel, c['report.help.service'], at);
        } else {
          assert.equal(kiosk.help, c['guidance.help.numbers']!.split('\n').join('\n'), at);
          assert.equal(kiosk.contact, null, at);
        }
        assert.deepEqual(problems, []);
        await ctx.close();
      }
    }
    assert.equal(levels.size, 2, `two levels expected, saw ${[...levels].join(', ')}`);
  });
});
