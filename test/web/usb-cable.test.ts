/**
 * The kiosk's "With a USB cable (Android)" path in a real browser against a real `quietcheck serve`
 * and Debian's real adb server, with an emulated phone (no phone on these machines): the instructions,
 * the "tap Allow" state, progress, the result only when asked for with the device report's guidance, and
 * how to switch USB debugging off.
 * Screenshots at 800×480 go to artifacts/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AdbClient } from '../../src/device/adb/client.js';
import { guidance } from '../../src/report/guidance.js';
import { CATALOGUES } from '../../src/i18n/index.js';
import { EmulatedPhone } from '../helpers/adb-device.js';
import { context, PASSWORD, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';
import { usbRig, type UsbRig } from './usb-rig.js';

describe('kiosk: device check over USB', { skip: SKIP_BROWSER, timeout: 240_000 }, () => {
  let rig: UsbRig;
  let srv: Served;
  let browser: Browser;
  let adb: AdbClient;
  let phone: EmulatedPhone;

  before(async () => {
    rig = await usbRig('qc-web-usb-', { spec: { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.thetruth', installer: null, accessibility: true }] }, autoAccept: false, latencyMs: 20 });
    ({ srv, browser, adb, phone } = rig);
  });
  after(async () => {
    await rig?.close();
  });

  test('from the welcome screen to the result and the closing steps', async () => {
    const ctx = await context(browser, SIZES.kiosk);
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${srv.url}/?lang=en`);
    await page.locator('[data-testid=usb-link]').click();
    await page.waitForURL(`${srv.url}/usb`);
    assert.equal(await page.locator('h1').innerText(), CATALOGUES.en['ui.usb.title']);
    // The phone asks "Allow USB debugging?": the screen says to tap Allow, and offers no start yet.
    await page.getByText(CATALOGUES.en['ui.usb.allow']!).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-testid=usb-start]').count(), 0);
    await shot(page, 'usb-allow-800x480', true);
    phone.acceptPrompt();
    await page.locator('[data-testid=usb-start]').waitFor({ timeout: 20_000 });
    await shot(page, 'usb-ready-800x480');
    await page.locator('[data-testid=usb-start]').click();
    await page.waitForURL(/\/usb\/[0-9a-f]{32}$/);
    // Nothing alarming before the worker asks for it.
    await page.locator('[data-testid=usb-finished]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('[data-testid=usb-result]').count(), 0);
    await shot(page, 'usb-finished-800x480');
    await page.locator('[data-testid=usb-show]').click();
    await page.locator('[data-testid=usb-result]').waitFor();
    assert.match(await page.locator('[data-testid=usb-result]').innerText(), /TheTruthSpy/);
    assert.equal(await page.locator('[data-testid=usb-result] .verdict').getAttribute('data-level'), 'high');
    assert.match(await page.locator('[data-testid=usb-after]').innerText(), /Revoke USB debugging authorisations/);
    await shot(page, 'usb-result-800x480', true);
    // What to do now, help and limits: the device report's list, in its order, as the report shows it.
    const steps = async (p: Page, sel: string, title: string): Promise<[string, string][]> => {
      const items = p.locator(sel);
      const out: [string, string][] = [];
      for (let i = 0; i < (await items.count()); i++) out.push([(await items.nth(i).getAttribute('data-step'))!, (await items.nth(i).locator(title).innerText()).trim()]);
      return out;
    };
    const kiosk = await steps(page, '[data-testid=usb-result] section.guidance [data-step]', 'h3');
    const rep = await ctx.newPage();
    await rep.goto(`${srv.url}${(await page.locator('[data-testid=usb-result] a.link-button').getAttribute('href'))!}`);
    assert.deepEqual(kiosk, await steps(rep, 'section.guidance li[data-step]', 'strong'));
    const list = guidance({ level: 'high', kind: 'device', help: null, limits: [] })[0]!;
    assert.deepEqual(kiosk.map(([id]) => id), [...(list.kind === 'steps' ? list.steps.map((x) => x.id) : []), 'help']);
    const kioskLimits = await page.locator('[data-testid=usb-result] section.guidance + section[aria-labelledby=limits-h] li').allInnerTexts();
    assert.ok(kioskLimits.length > 0);
    assert.deepEqual(kioskLimits, await rep.locator('section.guidance + section.limits-section li').allInnerTexts());
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test("the admin's checks history lists the device check with its result, opens its report, and deletes it", async () => {
    const ctx = await context(browser, SIZES.laptop);
    const page = await ctx.newPage();
    const problems = watch(page);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${srv.url}/admin/checks?lang=en`);
    await page.locator('[data-testid=password]').fill(PASSWORD);
    await page.locator('[data-testid=login]').click();
    const [row] = srv.query<{ id: string; source: string; device: string; level: string }>("SELECT id, source, device, level FROM checks WHERE source = 'device'");
    assert.ok(row, 'the device check is a row of the checks table');
    assert.deepEqual([row.device, row.level], [phone.serial, 'high']);
    const tr = page.locator(`tr[data-check="${row.id}"]`);
    await tr.waitFor();
    assert.match(await tr.innerText(), new RegExp(CATALOGUES.en['ui.admin.checks.device']!.replace('{{serial}}', phone.serial.replace(/\./g, '\\.'))));
    assert.match(await tr.innerText(), /TheTruthSpy/);
    await shot(page, 'admin-checks-device-1280x800');
    const [report] = await Promise.all([ctx.waitForEvent('page'), tr.locator('[data-testid=open-device-report]').click()]);
    await report.waitForLoadState();
    assert.match(await report.locator('body').innerText(), /TheTruthSpy/);
    await report.close();
    const folder = join(srv.dataDir, 'checks', row.id);
    assert.ok(existsSync(join(folder, 'acquisition')));
    await tr.locator('[data-testid=delete-check]').click();
    await page.getByText(CATALOGUES.en['ui.admin.checks.deleted']!).waitFor();
    await tr.waitFor({ state: 'detached' });
    assert.equal(srv.query('SELECT id FROM checks WHERE id = ?', row.id).length, 0);
    assert.ok(!existsSync(folder), 'the acquisition is shredded with the row');
    assert.deepEqual(problems, []);
    await ctx.close();
  });
});
