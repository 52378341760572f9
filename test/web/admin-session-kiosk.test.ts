/**
 * An admin session left open on the kiosk's browser: the kiosk's header says so and offers to end it,
 * and returning to the welcome screen (Finish, Start over, the idle return) ends it, so the next person
 * at the kiosk is never logged in as the admin.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pcap } from '../helpers/paths.js';
import { context, shot, SIZES, SKIP_BROWSER, watch } from './harness.js';
import { adminLogin, upload, webSuite } from './suite.js';

describe('kiosk: an admin session on the kiosk', { skip: SKIP_BROWSER, timeout: 180_000 }, () => {
  const web = webSuite('qc-web-admin-kiosk-');

  for (const [lang, locale] of [['en', 'en-GB'], ['fr', 'fr-FR']] as const) {
    test(`is shown in the header and ends at Finish (${lang}, 800×480)`, async () => {
      const id = await upload(web.srv, pcap('http-wikipedia.pcap'), lang);

      const ctx = await context(web.browser, SIZES.kiosk, locale);
      const page = await ctx.newPage();
      const problems = watch(page);
      await adminLogin(page, web.srv);
      await page.locator('nav.tabs').waitFor();

      // A fresh load of a kiosk screen still knows the session (the cookie is HttpOnly: the API is asked).
      await page.goto(`${web.srv.url}/result/${id}?lang=${lang}`);
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
    const ctx = await context(web.browser, SIZES.laptop);
    const page = await ctx.newPage();
    await adminLogin(page, web.srv);
    await page.locator('nav.tabs').waitFor();
    await page.goto(`${web.srv.url}/`);
    await page.locator('[data-testid=admin-off]').click();
    await page.locator('[data-testid=admin-on]').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(async () => (await fetch('/api/admin/session')).status), 401);
    await ctx.close();
  });
});
