/**
 * One phone checked both ways, in a real browser against a real `quietcheck serve` and Debian's real
 * adb server with an emulated phone: after a traffic check the kiosk offers the USB check, then both
 * together behind the same discreet "Show the result"; a traffic check that followed a USB check offers
 * both together too; the admin console's checks history picks two checks and shows them as one result.
 * The kiosk's steps and limits are the combined HTML report's. Screenshots at 800×480 go to artifacts/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AdbClient } from '../../src/device/adb/client.js';
import { guidance } from '../../src/report/guidance.js';
import { CATALOGUES } from '../../src/i18n/index.js';
import { EmulatedPhone } from '../helpers/adb-device.js';
import { c2Domains, writeDnsCapture } from '../report/fixtures.js';
import { context, PASSWORD, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';
import { usbRig, type UsbRig } from './usb-rig.js';

describe('kiosk and console: a phone checked both ways', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let rig: UsbRig;
  let srv: Served;
  let browser: Browser;
  let adb: AdbClient;
  let phone: EmulatedPhone;
  let traffic: string;
  let trafficFr: string;
  let device: string;

  before(async () => {
    rig = await usbRig('qc-web-both-', { spec: { apps: [{ name: 'com.android.systemui', system: true }, { name: 'com.thetruth', installer: null, accessibility: true }] }, autoAccept: true, latencyMs: 5 });
    ({ srv, browser, adb, phone } = rig);
    // The traffic check: a recording of the phone talking to TheTruthSpy's servers, uploaded.
    const file = join(rig.dir, 'phone.pcap');
    writeDnsCapture(file, c2Domains('TheTruthSpy', 2), 6, 45);
    // A result is read in its check's language: one upload per language of the tests.
    const upload = async (lang: string): Promise<string> => {
      const r = await fetch(`${srv.url}/api/uploads?lang=${lang}&name=phone.pcap`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: readFileSync(file) });
      assert.equal(r.status, 201, await r.clone().text());
      const id = ((await r.json()) as { id: string }).id;
      for (let i = 0; i < 240 && ((await (await fetch(`${srv.url}/api/checks/${id}`)).json()) as { state: string }).state !== 'done'; i++) await new Promise((res) => setTimeout(res, 250));
      return id;
    };
    traffic = await upload('en');
    trafficFr = await upload('fr');
  });
  after(async () => {
    await rig?.close();
  });

  const stepsOf = async (p: Page, sel: string, title: string): Promise<[string, string][]> => {
    const items = p.locator(sel);
    const out: [string, string][] = [];
    for (let i = 0; i < (await items.count()); i++) out.push([(await items.nth(i).getAttribute('data-step'))!, (await items.nth(i).locator(title).innerText()).trim()]);
    return out;
  };

  test('kiosk (English): traffic result → "also with a USB cable" → both together, shown only when asked', async () => {
    const ctx = await context(browser, SIZES.kiosk);
    const page = await ctx.newPage();
    const problems = watch(page);
    await page.goto(`${srv.url}/result/${traffic}?lang=en`);
    await page.locator('[data-testid=reveal]').click();
    await page.locator('[data-testid=verdict]').waitFor();
    await page.locator('[data-testid=also-usb]').click();
    await page.waitForURL(`${srv.url}/usb?traffic=${traffic}`);
    await page.locator('[data-testid=usb-start]').click({ timeout: 30_000 });
    await page.waitForURL(new RegExp(`/usb/[0-9a-f]{32}\\?traffic=${traffic}$`));
    device = /\/usb\/([0-9a-f]{32})/.exec(page.url())![1]!;
    await page.locator('[data-testid=usb-finished]').waitFor({ timeout: 60_000 });
    // Before any reveal: the neutral offer to show both, nothing of either result.
    assert.equal(await page.locator('[data-testid=usb-result]').count(), 0);
    await page.locator('[data-testid=show-both]').click();
    await page.waitForURL(`${srv.url}/both/${traffic}/${device}`);
    await page.locator('[data-testid=combined-finished]').waitFor();
    const before = await page.locator('main').innerText();
    assert.ok(!/TheTruthSpy|High|spyware/i.test(before), `something alarming before the reveal: ${before}`);
    assert.equal(await page.locator('[data-testid=verdict]').count(), 0);
    await shot(page, 'combined-finished-en-800x480');
    await page.locator('[data-testid=combined-reveal]').click();
    await page.locator('[data-testid=verdict]').waitFor();
    assert.equal(await page.locator('[data-testid=verdict]').getAttribute('data-level'), 'high');
    assert.match(await page.locator('[data-testid=verdict]').innerText(), /TheTruthSpy/);
    assert.deepEqual(await page.locator('[data-testid=combined-halves] [data-check]').evaluateAll((els) => els.map((e) => e.getAttribute('data-check'))), ['device', 'traffic']);
    assert.ok((await page.locator('[data-testid=combined-finding][data-check=device]').count()) > 0);
    assert.ok((await page.locator('[data-testid=combined-finding][data-check=traffic]').count()) > 0);
    // The kiosk's browser keeps no downloads: no PDF link on its screen.
    assert.equal(await page.locator('[data-testid=combined-pdf]').count(), 0);
    // What it can read: the same lines as the HTML report, the family's first.
    const canRead = await page.locator('[data-testid=combined-can-read] p').allInnerTexts();
    assert.match(canRead[0]!, /^TheTruthSpy — /);
    assert.ok(canRead.some((l) => l.startsWith('com.thetruth — ')), canRead.join('\n'));
    await shot(page, 'combined-shown-en-800x480');
    await shot(page, 'combined-shown-en-800x480-full', true);
    // The same steps, help and limits as the combined HTML report, from the one guidance list.
    const kiosk = await stepsOf(page, 'section.guidance [data-step]', 'h3');
    const list = guidance({ level: 'high', kind: 'combined', trafficLevel: 'high', help: null, limits: [] })[0]!;
    assert.deepEqual(kiosk.map(([id]) => id), [...(list.kind === 'steps' ? list.steps.map((x) => x.id) : []), 'help']);
    const rep = await ctx.newPage();
    await rep.goto(`${srv.url}${(await page.locator('[data-testid=combined-full]').getAttribute('href'))!}`);
    assert.deepEqual(kiosk, await stepsOf(rep, 'section.guidance li[data-step]', 'strong'));
    assert.deepEqual(canRead, await rep.locator('section.can-read p').allInnerTexts());
    const kioskLimits = await page.locator('section.guidance + section[aria-labelledby=limits-h] li').allInnerTexts();
    assert.ok(kioskLimits.length > 3);
    assert.deepEqual(kioskLimits, await rep.locator('section.guidance + section.limits-section li').allInnerTexts());
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('kiosk (French): a traffic check after a USB check offers both together, behind the same reveal', async () => {
    assert.ok(device, 'the USB check of the first test');
    const ctx = await context(browser, SIZES.kiosk, 'fr-FR');
    const page = await ctx.newPage();
    const problems = watch(page);
    // The USB check's screen offers to check the traffic too, carrying its id to the traffic check.
    await page.goto(`${srv.url}/usb/${device}?lang=fr`);
    const also = page.locator('[data-testid=also-traffic]');
    await also.waitFor();
    assert.equal((await also.innerText()).trim(), CATALOGUES.fr['combine.ui.alsoTraffic']);
    assert.equal(await also.getAttribute('href'), `/?device=${device}`);
    await shot(page, 'combined-usb-offer-fr-800x480');
    // That traffic check's result (where its screens carry the device check's id) offers both together.
    await page.goto(`${srv.url}/result/${trafficFr}?device=${device}&lang=fr`);
    await page.locator('[data-testid=reveal]').click();
    await page.locator('[data-testid=show-both]').click();
    await page.waitForURL(`${srv.url}/both/${trafficFr}/${device}`);
    await page.locator('[data-testid=combined-finished]').waitFor();
    assert.equal((await page.locator('h1').innerText()).trim(), CATALOGUES.fr['combine.ui.finished.title']);
    await shot(page, 'combined-finished-fr-800x480');
    await page.locator('[data-testid=combined-reveal]').click();
    await page.locator('[data-testid=verdict]').waitFor();
    assert.match(await page.locator('[data-testid=combined-halves]').innerText(), new RegExp(CATALOGUES.fr['combine.checks.device']!.replace(/[()]/g, '.')));
    assert.match(await page.locator('section.guidance').innerText(), new RegExp(CATALOGUES.fr['device.guidance.devOff.title']!));
    await shot(page, 'combined-shown-fr-800x480');
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('console: the checks history picks a traffic check and a device check and shows them as one result', async () => {
    assert.ok(device, 'the USB check of the first test');
    for (const size of [SIZES.laptop, SIZES.kiosk]) {
      const ctx = await context(browser, size);
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(`${srv.url}/admin/checks?lang=en`);
      await page.locator('[data-testid=password]').fill(PASSWORD);
      await page.locator('[data-testid=login]').click();
      await page.locator('[data-testid=combine-form]').waitFor();
      await page.locator('[data-testid=combine-traffic]').selectOption(traffic);
      await page.locator('[data-testid=combine-device]').selectOption(device);
      await page.locator('[data-testid=combine-form]').scrollIntoViewIfNeeded();
      await shot(page, `combined-admin-pick-${size.width}x${size.height}`);
      await page.locator('[data-testid=combine-open]').click();
      await page.waitForURL(`${srv.url}/admin/checks/both/${traffic}/${device}`);
      // The console is the worker's own screen: the result at once.
      await page.locator('[data-testid=verdict]').waitFor();
      assert.equal(await page.locator('[data-testid=verdict]').getAttribute('data-level'), 'high');
      const full = await page.locator('[data-testid=combined-full]').getAttribute('href');
      assert.equal(full, `/api/admin/checks/combine/${traffic}/${device}/report?format=html&lang=en`);
      assert.equal(await page.locator('[data-testid=combined-pdf]').getAttribute('href'), `/api/admin/checks/combine/${traffic}/${device}/report?format=pdf&lang=en`);
      const r = await page.request.get(`${srv.url}${full!}`);
      assert.equal(r.status(), 200);
      assert.match(await r.text(), /Phone check report: traffic, apps and settings/);
      await shot(page, `combined-admin-shown-${size.width}x${size.height}`);
      await page.locator('[data-testid=finish]').first().click();
      await page.waitForURL(`${srv.url}/admin/checks`);
      assert.deepEqual(problems, []);
      await ctx.close();
    }
  });
});
