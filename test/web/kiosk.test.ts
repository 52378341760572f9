/**
 * The kiosk in a real browser against a real `quietcheck serve`: a real capture uploaded through the
 * page, to the result page (verdict, findings, appendix), deleted from there and gone from the
 * database; the same in French; screenshots at 800×480 and 1280×800.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { ECHAP_IOC, LAB_DOMAIN, LAB_FAMILY, writeLabFeed } from './fixtures.js';
import { context, shot, SIZES, SKIP_BROWSER, watch, showResult } from './harness.js';
import { webSuite } from './suite.js';

const CAPTURE = pcap('tls-browsing-mixed.pcap');

describe('kiosk', { skip: SKIP_BROWSER, timeout: 240_000 }, () => {
  const web = webSuite('qc-web-kiosk-', { feeds: (dir) => [ECHAP_IOC, writeLabFeed(dir)] });

  async function uploadThroughPage(page: Page, lang: 'en' | 'fr'): Promise<string> {
    await page.goto(`${web.srv.url}/`);
    await page.locator(`button[data-lang="${lang}"]`).click();
    await page.locator('a[href="/upload"]').click();
    await page.waitForURL(`${web.srv.url}/upload`);
    await page.locator('[data-testid=file]').setInputFiles(CAPTURE);
    await page.locator('[data-testid=analyse]').click();
    await page.waitForURL(/\/result\/[0-9a-f]{32}$/, { timeout: 60_000 });
    await showResult(page);
    return page.url().split('/').pop()!;
  }

  test('welcome: one big button, six languages, what the check does and does not do', async () => {
    for (const [name, size] of Object.entries(SIZES)) {
      for (const lang of ['en', 'fr'] as const) {
        const ctx = await context(web.browser, size);
        const page = await ctx.newPage();
        const problems = watch(page);
        await page.goto(`${web.srv.url}/?lang=${lang}`);
        await page.locator('[data-testid=start]').waitFor();
        assert.equal(await page.locator('.lang').count(), 6);
        assert.equal(await page.locator('h1').innerText(), CATALOGUES[lang]['ui.welcome.title']);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        // The main action is visible without scrolling, even on the 800×480 screen.
        const box = await page.locator('[data-testid=start]').boundingBox();
        assert.ok(box && box.y + box.height <= size.height, `${name}: the start button is below the fold`);
        await shot(page, `welcome-${lang}-${size.width}x${size.height}`);
        assert.deepEqual(problems, []);
        await ctx.close();
      }
    }
  });

  test('how the phone connects: three choices in plain words where the device has a hotspot; the chosen one starts the check', async () => {
    const docs = (await (await fetch(`${web.srv.url}/api/docs`)).json()) as { paths: Record<string, unknown> };
    const ctx = await context(web.browser, SIZES.kiosk);
    const page = await ctx.newPage();
    // The choice is offered where the own Wi-Fi is set up: this test server has none, the page is told it has.
    await page.route('**/api/hotspot', async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...((await real.json()) as object), configured: true } });
    });
    await page.goto(`${web.srv.url}/?lang=en`);
    await page.locator('[data-testid=start]').waitFor();
    if (!('/api/hotspot' in docs.paths)) {
      // No hotspot on this device: no choice to make, the check uses the configured interface.
      assert.equal(await page.locator('[data-testid=modes]').count(), 0);
      await ctx.close();
      return;
    }
    const modes = page.locator('[data-testid=modes]');
    await modes.waitFor();
    for (const m of ['interface', 'hotspot', 'sinkhole']) {
      const text = await modes.locator(`[data-mode=${m}]`).innerText();
      assert.match(text, new RegExp(CATALOGUES.en[`ui.welcome.mode.${m}`]!.replace(/[()/]/g, '\\$&')), text);
      assert.ok(text.includes(CATALOGUES.en[`ui.welcome.mode.${m}Help`]!), text);
    }
    // The choice starts on the admin's default mode (here the default one, the own Wi-Fi with internet).
    const hs = (await (await fetch(`${web.srv.url}/api/hotspot`)).json()) as { defaultMode: string; configured: boolean };
    assert.equal(hs.defaultMode, 'hotspot');
    assert.equal(await page.getByRole('radio', { name: CATALOGUES.en['ui.welcome.mode.hotspot'] }).isChecked(), true);
    // The start button stays on the 800×480 screen with the choices above it.
    const box = await page.locator('[data-testid=start]').boundingBox();
    assert.ok(box && box.y + box.height <= SIZES.kiosk.height, 'the start button is below the fold');
    // What the page asks for is caught here: a hotspot is not started on the test machine.
    const sent: Record<string, unknown>[] = [];
    await page.route('**/api/checks', async (route) => {
      sent.push(route.request().postDataJSON() as Record<string, unknown>);
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'test', message: 'caught by the test' }) });
    });
    for (const m of ['sinkhole', 'hotspot', 'interface'] as const) {
      await page.getByRole('radio', { name: CATALOGUES.en[`ui.welcome.mode.${m}`] }).check();
      await page.locator('[data-testid=start]').click();
      await page.locator('[role=alert]').waitFor();
      await page.locator('[data-testid=start]:not([disabled])').waitFor();
    }
    assert.deepEqual(sent.map((b) => [b.mode, b.lang]), [['sinkhole', 'en'], ['hotspot', 'en'], ['interface', 'en']]);
    await page.getByRole('radio', { name: CATALOGUES.en['ui.welcome.mode.sinkhole'] }).check();
    await shot(page, 'welcome-modes-en-800x480');
    // The same choices in the language picked for the check.
    await page.locator('button[data-lang="fr"]').click();
    await modes.getByText(CATALOGUES.fr['ui.welcome.modeLegend']!).waitFor();
    assert.ok((await modes.innerText()).includes(CATALOGUES.fr['ui.welcome.mode.sinkholeHelp']!));
    await shot(page, 'welcome-modes-fr-800x480');
    await ctx.close();
  });

  test('the choice starts on the admin’s default mode where the own Wi-Fi is set up; without it, no Wi-Fi mode is offered', async () => {
    const ctx = await context(web.browser, SIZES.kiosk);
    // An admin who set up the own Wi-Fi and chose "no internet" as its default.
    const p1 = await ctx.newPage();
    await p1.route('**/api/hotspot', async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...((await real.json()) as object), configured: true, defaultMode: 'sinkhole' } });
    });
    await p1.goto(`${web.srv.url}/?lang=en`);
    await p1.locator('[data-testid=modes]').waitFor();
    assert.equal(await p1.getByRole('radio', { name: CATALOGUES.en['ui.welcome.mode.sinkhole'] }).isChecked(), true);
    await p1.close();
    // This server has no hotspot interface (and no capture interface): the Wi-Fi modes could only fail,
    // so none is offered and the check uses this network.
    const hs = (await (await fetch(`${web.srv.url}/api/hotspot`)).json()) as { configured: boolean };
    assert.equal(hs.configured, false);
    const p2 = await ctx.newPage();
    const modes: unknown[] = [];
    p2.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/checks')) modes.push((r.postDataJSON() as { mode?: string }).mode);
    });
    const asked = p2.waitForResponse((r) => r.url().endsWith('/api/hotspot'));
    await p2.goto(`${web.srv.url}/?lang=en`);
    await asked;
    await p2.locator('[data-testid=start]').waitFor();
    await p2.waitForTimeout(300);
    assert.equal(await p2.locator('[data-testid=modes]').count(), 0);
    await p2.locator('[data-testid=start]').click();
    const alert = p2.locator('[role=alert]');
    await alert.waitFor();
    assert.deepEqual(modes, [undefined]);
    assert.equal(await alert.innerText(), CATALOGUES.en['ui.error.noInterface']);
    await shot(p2, 'welcome-no-wifi-modes-en-800x480');
    await ctx.close();
  });

  test('without a network interface configured, "Check a phone" says what to do instead of failing silently', async () => {
    const ctx = await context(web.browser, SIZES.laptop);
    const page = await ctx.newPage();
    await page.goto(`${web.srv.url}/`);
    await page.locator('[data-testid=start]').click();
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /network connection|interface|hotspot|Wi-Fi/i);
    await ctx.close();
  });

  test('upload a real capture → result page with verdict, findings and appendix; delete removes it everywhere', async () => {
    const ctx = await context(web.browser, SIZES.laptop);
    const page = await ctx.newPage();
    const problems = watch(page);
    const id = await uploadThroughPage(page, 'en');
    const verdict = page.locator('[data-testid=verdict]');
    assert.equal(await verdict.getAttribute('data-level'), 'high');
    const text = await verdict.innerText();
    assert.match(text, new RegExp(CATALOGUES.en['verdict.high.headline']!));
    assert.match(text, new RegExp(LAB_FAMILY));
    // What it means and what to do now, in plain words, before the findings.
    assert.match(await page.locator('main').innerText(), /What to do now/);
    const findings = page.locator('[data-testid=finding]');
    assert.ok((await findings.count()) >= 1);
    const first = findings.first();
    assert.match(await first.innerText(), new RegExp(LAB_DOMAIN.replace('.', '\\.')));
    await shot(page, `result-en-1280x800`);
    await shot(page, `result-en-1280-full`, true);
    // The technical appendix is one tap away.
    await page.locator('[data-testid=appendix]').click();
    await page.locator('#appendix').waitFor();
    assert.match(await page.locator('#appendix').innerText(), /SHA-256/);
    // The fingerprint of the very file that was uploaded, for anyone who must show it is the same recording.
    assert.match(await page.locator('#appendix').innerText(), new RegExp(createHash('sha256').update(readFileSync(CAPTURE)).digest('hex')));
    // The report exists as PDF-able HTML and in the database before deletion.
    assert.equal(web.srv.query('SELECT id FROM checks WHERE id = ?', id).length, 1);
    await page.locator('[data-testid=delete]').click();
    await page.locator('[data-testid=confirm-delete]').click();
    await page.getByText(CATALOGUES.en['ui.deleted.title']!).waitFor();
    assert.equal(web.srv.query('SELECT id FROM checks WHERE id = ?', id).length, 0, 'the check is still in the database');
    assert.equal(existsSync(join(web.srv.dataDir, 'checks', id)), false, 'the check folder is still on disk');
    const r = await fetch(`${web.srv.url}/api/checks/${id}`);
    assert.equal(r.status, 404);
    // Its address now says it is gone, rather than showing an error.
    await page.goto(`${web.srv.url}/result/${id}`);
    await page.getByText(CATALOGUES.en['ui.missing.title']!).waitFor();
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('the same in French at 800×480: every word of the result in the language chosen for the check', async () => {
    const ctx = await context(web.browser, SIZES.kiosk);
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${web.srv.url}/upload?lang=fr`);
    await page.locator('[data-testid=file]').waitFor({ state: 'attached' });
    await shot(page, 'upload-fr-800x480');
    const id = await uploadThroughPage(page, 'fr');
    const check = (await (await fetch(`${web.srv.url}/api/checks/${id}`)).json()) as { lang: string };
    assert.equal(check.lang, 'fr');
    assert.match(await page.locator('[data-testid=verdict]').innerText(), new RegExp(CATALOGUES.fr['verdict.high.headline']!));
    assert.match(await page.locator('main').innerText(), new RegExp(CATALOGUES.fr['guidance.heading']!));
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await shot(page, 'result-fr-800x480');
    // The first (strongest) finding opens by itself; another opens with a tap.
    assert.equal(await page.locator('[data-testid=finding]').first().getAttribute('open'), '');
    await page.locator('[data-testid=finding]').nth(1).locator('summary').click();
    await page.locator('[data-testid=finding]').nth(1).scrollIntoViewIfNeeded();
    await shot(page, 'result-fr-800x480-finding');
    // Reopening the check later shows it in its own language, whatever the browser's.
    const other = await (await context(web.browser, SIZES.laptop, 'de-DE')).newPage();
    await other.goto(`${web.srv.url}/result/${id}`);
    await showResult(other);
    assert.equal(await other.locator('html').getAttribute('lang'), 'fr');
    await shot(other, 'result-fr-1280x800');
    await other.context().close();
    // Finish goes back to the start.
    await page.locator('[data-testid=finish]').first().click();
    await page.waitForURL(`${web.srv.url}/`);
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('a file that is not a capture is refused with words a support worker understands', async () => {
    const ctx = await context(web.browser, SIZES.laptop);
    const page = await ctx.newPage();
    await page.goto(`${web.srv.url}/upload`);
    await page.locator('[data-testid=file]').setInputFiles({ name: 'notes.pcap', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a capture at all') });
    await page.locator('[data-testid=analyse]').click();
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    assert.equal(await alert.innerText(), CATALOGUES.en['ui.error.notCapture']);
    await ctx.close();
  });

  test('keyboard only: the start page can be used with Tab and Enter, with a visible focus', async () => {
    const ctx = await context(web.browser, SIZES.laptop);
    const page = await ctx.newPage();
    await page.goto(`${web.srv.url}/`);
    await page.locator('[data-testid=start]').waitFor();
    const seen: string[] = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate('document.activeElement ? (document.activeElement.textContent || document.activeElement.getAttribute("aria-label") || document.activeElement.tagName).trim() : ""') as string);
    }
    assert.ok(seen.includes('Français'), seen.join(' | '));
    assert.ok(seen.some((s) => s.includes('Check a phone')), seen.join(' | '));
    // Language buttons come before the action, the action before the secondary links.
    assert.ok(seen.indexOf('Français') < seen.findIndex((s) => s.includes('Check a phone')));
    // Enter on a language button switches the page.
    await page.locator('button[data-lang="de"]').focus();
    await page.keyboard.press('Enter');
    // A function, not a string: the page's Content-Security-Policy refuses a string predicate's eval.
    await page.waitForFunction(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === 'de');
    await ctx.close();
  });
});
