/**
 * The discreet reveal, in a real browser against a real `quietcheck serve`: at the end of an upload or
 * of a live capture (tcpdump on the loopback interface, limited to one address the test sends to) the
 * kiosk says only "The check is finished" — no level, no family, not even a request for the report —
 * until the worker taps "Show the result". The header is the kiosk's neutral name, set by the admin.
 * Where the admin chose the worker's own screen, the kiosk never shows the result; the admin console's
 * page of the check does. At 800×480 and 1280×800, in English and German.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { api, asAdmin, login } from '../server/helpers.js';
import { ECHAP_IOC, LAB_FAMILY, writeLabFeed } from './fixtures.js';
import { context, PASSWORD, shot, showResult, SIZES, SKIP_BROWSER, watch } from './harness.js';
import { adminLogin, webSuite } from './suite.js';

const CAPTURE = pcap('tls-browsing-mixed.pcap');
type Lang = 'en' | 'de';
const LANGS: Lang[] = ['en', 'de'];

function noLiveCapture(): string | false {
  if (process.getuid?.() !== 0) return 'a live capture on the loopback interface needs root';
  if (spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0) return 'tcpdump is missing';
  return false;
}

/** Words the finished screen must not show: the result's level, headline and family, and the old alarming header. */
function resultWords(lang: Lang): string[] {
  const c = CATALOGUES[lang];
  return [LAB_FAMILY, c['verdict.high.headline']!, c['level.high']!, CATALOGUES.en['ui.tagline']!, c['ui.tagline']!];
}

describe('kiosk: discreet reveal', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  const web = webSuite('qc-web-reveal-', { feeds: (dir) => [ECHAP_IOC, writeLabFeed(dir)] });

  // One admin session for the test's own API calls: logins are limited to a few a minute.
  let session: Awaited<ReturnType<typeof login>> | null = null;
  async function settings(body: Record<string, unknown>): Promise<void> {
    const s = (session ??= await login(web.srv.port, PASSWORD));
    const r = await api(web.srv.port, '/api/admin/settings', { method: 'PUT', headers: asAdmin(s), body });
    assert.equal(r.status, 200, r.text);
  }

  /** Report requests the page made: none may go out before the worker asks for the result. */
  function reportRequests(page: Page): string[] {
    const seen: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/checks\/[0-9a-f]{32}\/(report|export)/.test(r.url())) seen.push(r.url());
    });
    return seen;
  }

  async function assertFinished(page: Page, lang: Lang, size: { width: number; height: number }): Promise<void> {
    const c = CATALOGUES[lang];
    await page.locator('[data-testid=finished]').waitFor();
    assert.equal((await page.locator('h1').innerText()).trim(), c['ui.kiosk2.finished.title']);
    assert.equal(await page.locator('[data-testid=verdict]').count(), 0);
    const text = await page.locator('body').innerText();
    for (const w of resultWords(lang)) assert.ok(!text.includes(w), `the finished screen shows "${w}"`);
    assert.equal((await page.locator('header.top').innerText()).trim(), 'quietcheck');
    // "Show the result" is on the screen without scrolling, even at 800×480.
    const box = await page.locator('[data-testid=reveal]').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= size.height, `the reveal button is off screen: ${JSON.stringify(box)}`);
  }

  test('an upload ends on "The check is finished"; the result comes only with "Show the result"', async () => {
    for (const [name, size] of Object.entries(SIZES)) {
      for (const lang of LANGS) {
        const ctx = await context(web.browser, size);
        const page = await ctx.newPage();
        const problems = watch(page);
        const reports = reportRequests(page);
        await page.goto(`${web.srv.url}/?lang=${lang}`);
        await page.locator('a[href="/upload"]').click();
        await page.locator('[data-testid=file]').setInputFiles(CAPTURE);
        await page.locator('[data-testid=analyse]').click();
        await page.waitForURL(/\/result\/[0-9a-f]{32}$/, { timeout: 60_000 });
        await assertFinished(page, lang, size);
        // The page stays as it is: nothing appears by itself.
        await page.waitForTimeout(1500);
        assert.equal(await page.locator('[data-testid=verdict]').count(), 0);
        assert.deepEqual(reports, [], 'the report was fetched before the worker asked for it');
        await shot(page, `reveal-finished-upload-${lang}-${size.width}x${size.height}`);
        await showResult(page);
        assert.equal(await page.locator('[data-testid=verdict]').getAttribute('data-level'), 'high');
        assert.ok((await page.locator('[data-testid=verdict]').innerText()).includes(LAB_FAMILY));
        assert.equal(reports.length, 1);
        await shot(page, `reveal-shown-upload-${lang}-${size.width}x${size.height}`);
        assert.deepEqual(problems, [], name);
        await ctx.close();
      }
    }
  });

  test('a live check (tcpdump on lo, one address) ends on the same finished screen', { skip: noLiveCapture() }, async () => {
    const cases: [Lang, { width: number; height: number }][] = [['en', SIZES.kiosk], ['de', SIZES.laptop]];
    for (const [lang, size] of cases) {
      const ctx = await context(web.browser, size);
      const page = await ctx.newPage();
      const problems = watch(page);
      const reports = reportRequests(page);
      const r = await api(web.srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.0.0.9', durationSeconds: 60, lang } });
      assert.equal(r.status, 201, r.text);
      const id = r.json<{ id: string }>().id;
      const sock = createSocket('udp4');
      const timer = setInterval(() => sock.send('quietcheck test', 40000, '127.0.0.9'), 200);
      try {
        await page.goto(`${web.srv.url}/check/${id}`);
        await page.locator('[data-testid=stop]').waitFor({ timeout: 20_000 });
        await page.locator('[data-testid=stop]').click();
        await page.waitForURL(`${web.srv.url}/result/${id}`, { timeout: 60_000 });
      } finally {
        clearInterval(timer);
        sock.close();
      }
      await assertFinished(page, lang, size);
      assert.deepEqual(reports, []);
      await shot(page, `reveal-finished-live-${lang}-${size.width}x${size.height}`);
      await showResult(page);
      assert.deepEqual(problems, []);
      await ctx.close();
    }
  });

  test("the admin's name for the kiosk in its header; the result on the worker's own screen only", async () => {
    await settings({ kioskTitle: 'Front desk', kioskRevealElsewhere: true });
    try {
      for (const [lang, size] of [['de', SIZES.kiosk], ['en', SIZES.laptop]] as const) {
        const ctx = await context(web.browser, size);
        const page = await ctx.newPage();
        const problems = watch(page);
        const reports = reportRequests(page);
        await page.goto(`${web.srv.url}/?lang=${lang}`);
        await page.locator('header.top').getByText('Front desk').waitFor();
        assert.equal(await page.title(), 'Front desk');
        await page.locator('a[href="/upload"]').click();
        await page.locator('[data-testid=file]').setInputFiles(CAPTURE);
        await page.locator('[data-testid=analyse]').click();
        await page.waitForURL(/\/result\/[0-9a-f]{32}$/, { timeout: 60_000 });
        const id = page.url().split('/').pop()!;
        await page.locator('[data-testid=finished]').getByText(CATALOGUES[lang]['ui.kiosk2.finished.elsewhere']!).waitFor();
        assert.equal(await page.locator('[data-testid=reveal]').count(), 0, 'no way to show the result on the kiosk');
        const text = await page.locator('body').innerText();
        for (const w of resultWords(lang)) assert.ok(!text.includes(w), `the kiosk shows "${w}"`);
        await page.waitForTimeout(1000);
        assert.deepEqual(reports, []);
        await shot(page, `reveal-elsewhere-${lang}-${size.width}x${size.height}`);
        // Nor can the kiosk ask for it: the report, the evidence and the level in the status are for an admin session.
        for (const path of [`/api/checks/${id}/report?format=json`, `/api/checks/${id}/report?format=html`, `/api/checks/${id}/report/view`, `/api/checks/${id}/export`]) {
          const r = await api(web.srv.port, path);
          assert.equal(r.status, 403, path);
          assert.equal(r.json<{ error: string }>().error, 'result-elsewhere', path);
        }
        assert.equal((await api(web.srv.port, `/api/checks/${id}`)).json<{ result: unknown }>().result, null);
        const s = (session ??= await login(web.srv.port, PASSWORD));
        assert.equal((await api(web.srv.port, `/api/checks/${id}/report?format=json`, { headers: asAdmin(s) })).status, 200);
        assert.equal((await api(web.srv.port, `/api/checks/${id}`, { headers: asAdmin(s) })).json<{ result: { level: string } }>().result.level, 'high');
        // The worker's own screen: the admin console's list opens the check's page, with the result.
        await adminLogin(page, web.srv, `/admin/checks?lang=${lang}`);
        const row = page.locator(`tr[data-check="${id}"]`);
        await row.getByRole('link', { name: CATALOGUES[lang]['ui.admin.checks.open'] }).click();
        await page.waitForURL(`${web.srv.url}/admin/checks/${id}`);
        const verdict = page.locator('[data-testid=verdict]');
        await verdict.waitFor();
        assert.equal(await verdict.getAttribute('data-level'), 'high');
        await shot(page, `reveal-admin-page-${lang}-${size.width}x${size.height}`);
        // Finish there goes back to the console's list, not to the kiosk.
        await page.locator('[data-testid=finish]').first().click();
        await page.waitForURL(`${web.srv.url}/admin/checks`);
        assert.deepEqual(problems, []);
        await ctx.close();
      }
    } finally {
      await settings({ kioskTitle: 'quietcheck', kioskRevealElsewhere: false });
    }
  });
});
