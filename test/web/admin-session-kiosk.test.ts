/**
 * An admin session left open on the kiosk's browser: the kiosk's header says so and offers to end it,
 * and returning to the welcome screen (Finish, Start over, the idle return) ends it, so the next person
 * at the kiosk is never logged in as the admin.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { pcap } from '../helpers/paths.js';
import { context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

describe('kiosk: an admin session on the kiosk', { skip: SKIP_BROWSER, timeout: 180_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-admin-kiosk-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    srv = await serve({ dataDir });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [lang, locale] of [['en', 'en-GB'], ['fr', 'fr-FR']] as const) {
    test(`is shown in the header and ends at Finish (${lang}, 800×480)`, async () => {
      const up = await fetch(`${srv.url}/api/uploads?lang=${lang}`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.tcpdump.pcap' },
        body: readFileSync(pcap('http-wikipedia.pcap')),
      });
      assert.equal(up.status, 201, await up.clone().text());
      const { id } = (await up.json()) as { id: string };

      const ctx = await context(browser, SIZES.kiosk, locale);
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(`${srv.url}/admin`);
      await page.locator('[data-testid=password]').fill(PASSWORD);
      await page.locator('[data-testid=login]').click();
      await page.locator('nav.tabs').waitFor();

      // A fresh load of a kiosk screen still knows the session (the cookie is HttpOnly: the API is asked).
      await page.goto(`${srv.url}/result/${id}?lang=${lang}`);
      await page.locator('[data-testid=admin-on]').waitFor();
      await shot(page, `admin-on-kiosk-${lang}-800x480`);
      await page.locator('[data-testid=finished] [data-testid=finish]').click();
      await page.locator('[data-testid=admin-on]').waitFor({ state: 'detached' });
      const status = await page.evaluate(async () => (await fetch('/api/admin/session')).status);
      assert.equal(status, 401, 'the session ended with the return to the welcome screen');
      assert.deepEqual(problems, []);
      await ctx.close();
    });
  }

  test('the header button ends the session at once', async () => {
    const ctx = await context(browser, SIZES.laptop);
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/admin`);
    await page.locator('[data-testid=password]').fill(PASSWORD);
    await page.locator('[data-testid=login]').click();
    await page.locator('nav.tabs').waitFor();
    await page.goto(`${srv.url}/`);
    await page.locator('[data-testid=admin-off]').click();
    await page.locator('[data-testid=admin-on]').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(async () => (await fetch('/api/admin/session')).status), 401);
    await ctx.close();
  });
});
