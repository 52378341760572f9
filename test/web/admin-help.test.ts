/**
 * The service's own help in the console: set the contact and helplines for a language, see them
 * saved, and the kiosk's help API answer with them. Screenshots at 1280×800 (English) and 800×480
 * (Portuguese); a short upload's result screen shows "not enough was recorded" and the contact.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CATALOGUES } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { context, shot, SIZES, SKIP_BROWSER, watch, showResult } from './harness.js';
import { adminLogin, upload, webSuite } from './suite.js';

describe('admin console: help shown with every result', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  const web = webSuite('qc-web-help-');

  for (const [size, lang, locale] of [['laptop', 'en', 'en-GB'], ['kiosk', 'pt', 'pt-PT']] as const) {
    test(`${lang} at ${SIZES[size].width}×${SIZES[size].height}: set the contact and helplines for a language`, async () => {
      const ctx = await context(web.browser, SIZES[size], locale);
      const page = await ctx.newPage();
      const problems = watch(page);
      await adminLogin(page, web.srv, `/admin/settings?lang=${lang}`);
      const card = page.locator('[data-testid=local-help]');
      await card.waitFor();
      await page.locator('[data-testid=help-lang]').selectOption(lang);
      // The examples show as a placeholder until the service writes its own.
      assert.equal(await page.locator('[data-testid=help-lines]').getAttribute('placeholder'), CATALOGUES[lang]['guidance.help.numbers']);
      const contact = lang === 'en' ? 'Safe Harbour, 0161 000 0000, 9am–5pm weekdays' : 'Casa Abrigo, 210 000 000, das 9h às 18h';
      await page.locator('[data-testid=help-contact]').fill(contact);
      await page.locator('[data-testid=help-lines]').fill(lang === 'en' ? 'Local helpline: 0161 111 1111\nOut of hours: 0161 222 2222' : 'Linha local: 800 000 000');
      await page.locator('[data-testid=help-save]').click();
      await page.locator('[data-testid=help-result]').getByText(CATALOGUES[lang]['ui.admin.saved']!).waitFor();
      await card.scrollIntoViewIfNeeded();
      await shot(page, `admin-help-${lang}-${SIZES[size].width}x${SIZES[size].height}`);
      const k = (await (await fetch(`${web.srv.url}/api/kiosk/help?lang=${lang}`)).json()) as { contact: string; helplines: string[]; fromService: boolean };
      assert.equal(k.contact, contact);
      assert.equal(k.fromService, true);
      assert.deepEqual(problems, []);
      await ctx.close();
    });
  }

  test('a short upload on the result screen: inconclusive in words and style, with the service contact', async () => {
    const id = await upload(web.srv, pcap('dns-a-aaaa-mx-nsec.pcap'));
    for (const size of ['kiosk', 'laptop'] as const) {
      const ctx = await context(web.browser, SIZES[size]);
      const page = await ctx.newPage();
      await page.goto(`${web.srv.url}/result/${id}`);
      await showResult(page);
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor();
      assert.equal(await verdict.getAttribute('data-level'), 'inconclusive');
      const text = await verdict.innerText();
      assert.ok(text.includes(CATALOGUES.en['verdict.inconclusive.headline']!), text);
      assert.ok(!text.includes(CATALOGUES.en['verdict.none.headline']!));
      await page.getByTestId('service-contact').waitFor({ state: 'attached' });
      assert.match(await page.getByTestId('service-contact').innerText(), /Safe Harbour/);
      await shot(page, `result-inconclusive-en-${SIZES[size].width}x${SIZES[size].height}`);
      await ctx.close();
    }
  });
});
