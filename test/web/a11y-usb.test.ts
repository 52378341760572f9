/**
 * Accessibility of the kiosk's USB cable screens, in a real browser against a real `quietcheck serve`
 * and Debian's real adb with an emulated phone: the start screen (instructions, "tap Allow", the ready
 * phone), progress, "The check is finished" and the result. Keyboard only (a visible focus ring at every
 * Tab stop; Enter starts the check and shows the result), landmarks and headings, a named progress bar
 * with its value, an accessible name for every control, WCAG 2.1 contrast of every text and touch
 * targets of at least 44×44 px, at 800×480 in English and French.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AdbClient } from '../../src/device/adb/client.js';
import { CATALOGUES, type Lang } from '../../src/i18n/index.js';
import { EmulatedPhone } from '../helpers/adb-device.js';
import { assertContrast, assertNames, assertTargets, install, tabTo } from './a11y-page.js';
import { context, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';
import { usbRig, type UsbRig } from './usb-rig.js';

/** One h1, headings in order without a skipped level, and the main landmark holding the screen. */
async function assertStructure(page: Page, label: string): Promise<void> {
  const levels = await page.locator('main h1, main h2, main h3').evaluateAll((els) => els.map((e) => Number(e.tagName.slice(1))));
  assert.equal(levels.filter((l) => l === 1).length, 1, `${label}: one h1 (${levels.join(',')})`);
  assert.equal(levels[0], 1, `${label}: the h1 comes first`);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `${label}: heading h${levels[i]} after h${levels[i - 1]}`);
  assert.equal(await page.locator('main#main').count(), 1, `${label}: no main landmark`);
}

async function assertAll(page: Page, label: string): Promise<void> {
  await assertStructure(page, label);
  await assertNames(page, label);
  await assertContrast(page, label);
  await assertTargets(page, label);
}

describe('accessibility of the USB cable screens', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let rig: UsbRig;
  let srv: Served;
  let browser: Browser;
  let adb: AdbClient;
  let phone: EmulatedPhone;

  before(async () => {
    rig = await usbRig('qc-web-a11y-usb-', { spec: { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.thetruth', installer: null, accessibility: true }] }, autoAccept: false, latencyMs: 40 });
    ({ srv, browser, adb, phone } = rig);
  });
  after(async () => {
    await rig?.close();
  });

  for (const lang of ['en', 'fr'] as const satisfies readonly Lang[]) {
    test(`${lang}: keyboard only from "tap Allow" to the result; every screen named, readable and large enough to touch`, async () => {
      const c = CATALOGUES[lang];
      const ctx = await context(browser, SIZES.kiosk, lang === 'fr' ? 'fr-FR' : 'en-GB');
      const page = await ctx.newPage();
      await install(page);
      const problems = watch(page);
      await page.goto(`${srv.url}/usb?lang=${lang}`);
      // The start screen, first with the phone asking "Allow USB debugging?".
      if (lang === 'en') {
        await page.getByText(c['ui.usb.allow']!).waitFor({ timeout: 20_000 });
        await assertAll(page, `${lang} allow`);
        await shot(page, `a11y-usb-allow-${lang}-800x480`);
        phone.acceptPrompt();
      }
      await page.locator('[data-testid=usb-start]').waitFor({ timeout: 20_000 });
      // The phone's state is announced as it changes.
      assert.equal(await page.locator('[data-testid=usb-phone]').getAttribute('aria-live'), 'polite');
      await assertAll(page, `${lang} ready`);
      // The instructions' sections open from the keyboard too.
      const samsung = await tabTo(page, (f) => f.name === c['ui.usb.samsungHeading']);
      assert.equal(samsung.tag, 'summary');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('.usb-howto details').first().getAttribute('open'), '');
      const start = await tabTo(page, (f) => f.testid === 'usb-start');
      assert.equal(start.tag, 'button');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/usb\/[0-9a-f]{32}$/);
      // Progress: a progress bar with its value, named by the step it is at.
      const bar = page.locator('[role=progressbar]');
      if (await bar.count()) {
        assert.equal(await bar.getAttribute('aria-valuemin'), '0');
        assert.equal(await bar.getAttribute('aria-valuemax'), '100');
        assert.match((await bar.getAttribute('aria-valuenow')) ?? '', /^\d+$/);
        const by = (await bar.getAttribute('aria-labelledby')) ?? '';
        assert.ok(by && (await page.locator(`#${by}`).innerText()).trim().length > 0, 'the progress bar has no name');
        assert.equal(await page.locator('[data-testid=usb-progress]').getAttribute('aria-live'), 'polite');
      }
      await page.locator('[data-testid=usb-finished]').waitFor({ timeout: 60_000 });
      await assertAll(page, `${lang} finished`);
      await shot(page, `a11y-usb-finished-${lang}-800x480`);
      const show = await tabTo(page, (f) => f.testid === 'usb-show');
      assert.equal(show.name, c['ui.usb.show']);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid=usb-result]').waitFor();
      await assertAll(page, `${lang} result`);
      await shot(page, `a11y-usb-result-${lang}-800x480`, true);
      // The result's links and the closing steps are reached by Tab as well.
      await tabTo(page, (f) => f.href !== null && f.href.startsWith('/api/device/checks/'), 40);
      await tabTo(page, (f) => f.testid === 'also-traffic', 40);
      assert.deepEqual(problems, []);
      await ctx.close();
    });
  }
});
