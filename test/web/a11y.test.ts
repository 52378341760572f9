/**
 * Accessibility of the kiosk and the admin console, in a real browser against a real `quietcheck serve`
 * (capturing on `lo`): keyboard only (Tab order, a visible focus ring, Enter starts a check, a capture
 * uploaded and the admin logged in without a mouse), an accessible name for every control, and the
 * WCAG 2.1 contrast of every visible text (4.5:1, 3:1 for large text) on Welcome, a live check, the
 * Result page of a High result, the upload page and the admin Status and Settings pages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { importIndicators } from '../server/helpers.js';
import { ECHAP_IOC, writeLabFeed } from './fixtures.js';
import { assertContrast, assertNames, focused, install, loaded, tabTo, type Contrast, type Focused } from './a11y-page.js';
import { context, launch, PASSWORD, serve, SIZES, SKIP_BROWSER, watch, type Served, showResult } from './harness.js';

const CAPTURE = pcap('tls-browsing-mixed.pcap');
const en = CATALOGUES.en;

describe('accessibility', { skip: SKIP_BROWSER, timeout: 240_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  const report: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-a11y-'));
    const dataDir = join(dir, 'data');
    await importIndicators(dataDir, [ECHAP_IOC, writeLabFeed(dir)]);
    srv = await serve({ dataDir, args: ['--interface', 'lo'] });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
    if (process.env['QC_WEB_DEBUG']) process.stderr.write(`${report.join('\n')}\n`);
  });

  async function kioskPage(size: { width: number; height: number } = SIZES.kiosk): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
    const ctx = await context(browser, size);
    const page = await ctx.newPage();
    await install(page);
    return { ctx, page, problems: watch(page) };
  }

  /** Stops a check and deletes it, as the worker's Cancel and Delete would. */
  async function removeCheck(id: string): Promise<void> {
    await fetch(`${srv.url}/api/checks/${id}/stop`, { method: 'POST' });
    const end = Date.now() + 30_000;
    for (;;) {
      const c = (await (await fetch(`${srv.url}/api/checks/${id}`)).json()) as { state: string };
      if (c.state === 'done' || c.state === 'failed') break;
      assert.ok(Date.now() < end, `the check did not finish: ${c.state}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal((await fetch(`${srv.url}/api/checks/${id}`, { method: 'DELETE' })).status, 204);
  }

  test('the contrast computation itself: #777 on white fails normal text (4.48:1), #767676 passes (4.54:1), #949494 passes only large text, 40 % black reads as #999 (2.85:1)', async () => {
    const { ctx, page } = await kioskPage();
    await page.goto(`${srv.url}/upload?lang=en`);
    await page.locator('h1').waitFor();
    // Styles set through the CSSOM (the page's Content-Security-Policy refuses style attributes).
    await page.evaluate(`(() => {
      const box = document.createElement('div');
      Object.assign(box.style, { background: '#fff', font: '400 16px sans-serif' });
      for (const [text, color, size] of [['grey 777', '#777777'], ['grey 767676', '#767676'], ['large 949494', '#949494', '24px'], ['small 949494', '#949494'], ['translucent black', 'rgba(0, 0, 0, 0.4)']]) {
        const p = document.createElement('p');
        p.textContent = text;
        p.style.color = color;
        if (size) p.style.fontSize = size;
        box.append(p);
      }
      document.body.replaceChildren(box);
    })()`);
    const c = (await page.evaluate('window.__qcA11y.contrast()')) as Contrast;
    assert.equal(c.count, 5);
    assert.deepEqual(
      c.failures.map((f) => [f.text, f.ratio]),
      [['grey 777', 4.48], ['small 949494', 3.03], ['translucent black', 2.85]],
    );
    await ctx.close();
  });

  test('keyboard only: Welcome in a sensible Tab order with a visible focus ring; Enter on "Check a phone" starts a check', async () => {
    const { ctx, page, problems } = await kioskPage();
    const hotspotAsked = page.waitForResponse((r) => r.url().endsWith('/api/hotspot'));
    await page.goto(`${srv.url}/?lang=en`);
    await hotspotAsked;
    await page.locator('[data-testid=start]').waitFor();
    assert.equal(await page.locator('h1').innerText(), en['ui.welcome.title']);
    const seen: Focused[] = [];
    await tabTo(page, (f) => f.testid === 'start', 30, seen);
    const order = (pred: (f: Focused) => boolean): number => seen.findIndex(pred);
    const firstLang = order((f) => f.lang !== null);
    const start = order((f) => f.testid === 'start');
    report.push(`welcome Tab order: ${seen.map((f) => f.name).join(' | ')}`);
    // The screen's title has the focus when it appears: the next stop is the first language.
    assert.equal(firstLang, 0, `order: ${seen.map((f) => f.name).join(' | ')}`);
    assert.ok(start > firstLang, `order: ${seen.map((f) => f.name).join(' | ')}`);
    assert.deepEqual(seen.filter((f) => f.lang !== null).map((f) => f.lang), ['en', 'fr', 'es', 'de', 'it', 'pt'], 'the six languages, one Tab stop each');
    // This box has a capture interface and no own Wi-Fi set up: no Wi-Fi mode to choose, no radio stop.
    assert.equal(seen.filter((f) => f.type === 'radio').length, 0);
    // After it: how long to listen, then the secondary links.
    await tabTo(page, (f) => f.tag === 'select');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page))?.testid, 'start');
    const posts: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/checks')) posts.push((r.postDataJSON() as { mode?: string }).mode);
    });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/check\/[0-9a-f]{32}$/, { timeout: 20_000 });
    const id = page.url().split('/').pop()!;
    assert.deepEqual(posts, [undefined]);
    const check = (await (await fetch(`${srv.url}/api/checks/${id}`)).json()) as { interface: string; mode?: string };
    assert.equal(check.interface, 'lo');
    // The live screens: named controls and readable text; Cancel or Stop is reached by keyboard.
    await page.locator('h1').waitFor();
    await page.getByRole('button', { name: new RegExp(`^(${en['ui.cancel']}|${en['ui.use.stop']})$`) }).waitFor();
    report.push(`live screen: ${await assertNames(page, 'live check')} controls named, ${await assertContrast(page, 'live check')} texts readable`);
    const stop = await tabTo(page, (f) => f.name === en['ui.cancel'] || f.name === en['ui.use.stop']);
    assert.ok(stop);
    await removeCheck(id);
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('Welcome: every control named, every text readable, at both sizes and in French', async () => {
    for (const size of Object.values(SIZES)) {
      for (const lang of ['en', 'fr'] as const) {
        const { ctx, page, problems } = await kioskPage(size);
        // The network choice is on screen where the own Wi-Fi is set up: the page is told it is.
        await page.route('**/api/hotspot', async (route) => {
          const real = await route.fetch();
          await route.fulfill({ response: real, json: { ...((await real.json()) as object), configured: true } });
        });
        await page.goto(`${srv.url}/?lang=${lang}`);
        await page.locator('[data-testid=modes]').waitFor();
        report.push(`welcome ${lang} ${size.width}: ${await assertNames(page, 'welcome')} controls, ${await assertContrast(page, 'welcome')} texts`);
        assert.deepEqual(problems, []);
        await ctx.close();
      }
    }
  });

  test('keyboard only: a capture is chosen and checked from the upload page; the High result is named and readable', async () => {
    const { ctx, page, problems } = await kioskPage();
    await page.goto(`${srv.url}/upload?lang=en`);
    await page.locator('[data-testid=file]').waitFor({ state: 'attached' });
    report.push(`upload: ${await assertNames(page, 'upload')} controls, ${await assertContrast(page, 'upload')} texts`);
    const file = await tabTo(page, (f) => f.type === 'file');
    assert.ok(file.ring && file.ring.on.includes('file-pick'), `the ring is drawn around the visible file picker: ${JSON.stringify(file.ring)}`);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(CAPTURE);
    await page.getByText('tls-browsing-mixed.pcap').waitFor();
    await tabTo(page, (f) => f.testid === 'analyse');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/result\/[0-9a-f]{32}$/, { timeout: 60_000 });
    await showResult(page);
    const verdict = page.locator('[data-testid=verdict]');
    assert.equal(await verdict.getAttribute('data-level'), 'high');
    report.push(`result (high): ${await assertNames(page, 'result')} controls, ${await assertContrast(page, 'result')} texts`);
    // The findings and the technical appendix open by keyboard too: then still readable.
    await tabTo(page, (f) => f.testid === 'appendix', 60);
    await page.keyboard.press('Enter');
    await page.locator('#appendix').waitFor();
    report.push(`result with appendix: ${await assertContrast(page, 'result appendix')} texts`);
    const id = page.url().split('/').pop()!;
    assert.equal((await fetch(`${srv.url}/api/checks/${id}`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('keyboard only: admin login, then Status and Settings: every control named, every text readable', async () => {
    const { ctx, page, problems } = await kioskPage(SIZES.laptop);
    await page.goto(`${srv.url}/admin`);
    await page.locator('[data-testid=password]').waitFor();
    report.push(`login: ${await assertNames(page, 'login')} controls, ${await assertContrast(page, 'login')} texts`);
    await tabTo(page, (f) => f.testid === 'password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('nav.tabs').waitFor();
    assert.equal(await page.locator('h1').innerText(), en['ui.admin.title']);
    await page.getByText(en['ui.admin.status.total']!).waitFor();
    await loaded(page);
    report.push(`admin status: ${await assertNames(page, 'status')} controls, ${await assertContrast(page, 'admin status')} texts`);
    await tabTo(page, (f) => f.href === '/admin/settings');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${srv.url}/admin/settings`);
    await page.getByText(en['ui.admin.settings.maxUpload']!).waitFor();
    await loaded(page);
    report.push(`admin settings: ${await assertNames(page, 'settings')} controls, ${await assertContrast(page, 'admin settings')} texts`);
    assert.deepEqual(problems, []);
    await ctx.close();
  });
});
