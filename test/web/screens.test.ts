/**
 * Every kiosk screen at 800×480 in all six languages, in a real browser against a real `quietcheck
 * serve` (live screens: tcpdump on the loopback interface, limited to one address the test sends to):
 * a screenshot of each for a person to look at, and the checks a person would make — no text cut off or
 * pushed off the side, and the parts that were seen cut off (the capture's footnote, "Check a recording
 * file instead", the delete confirmation) whole on the screen. Also the smaller kiosk fixes: "Choose a
 * file first." goes once a file is chosen; without an own Wi-Fi no Wi-Fi mode is offered.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CATALOGUES, LANGS, type Lang } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { api, importIndicators } from '../server/helpers.js';
import { ECHAP_IOC, writeLabFeed } from './fixtures.js';
import { context, launch, serve, shot, showResult, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

const SIZE = SIZES.kiosk;

function noLive(): string | false {
  if (process.getuid?.() !== 0) return 'the live screens need a capture on the loopback interface (root)';
  if (spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0) return 'tcpdump is missing';
  return false;
}

type Box = { x: number; y: number; width: number; height: number };
type Cut = { text: string; why: string };

/**
 * Text the screen does not show whole: an element that clips its text (overflow hidden or ellipsis with
 * more text than room) or sticks out past the right edge, and a page wider than the screen.
 */
async function cutOff(page: Page): Promise<Cut[]> {
  return page.evaluate(() => {
    type El = {
      children: ArrayLike<El>;
      childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
      scrollWidth: number;
      clientWidth: number;
      scrollHeight: number;
      clientHeight: number;
      textContent: string | null;
      closest(s: string): El | null;
      getBoundingClientRect(): { right: number; width: number; height: number };
    };
    const g = globalThis as unknown as {
      document: { body: El; documentElement: { scrollWidth: number } };
      innerWidth: number;
      getComputedStyle(e: El): { overflowX: string; overflowY: string; textOverflow: string; display: string; visibility: string; position: string };
    };
    const out: { text: string; why: string }[] = [];
    if (g.document.documentElement.scrollWidth > g.innerWidth + 1) out.push({ text: '(page)', why: `page is ${g.document.documentElement.scrollWidth}px wide` });
    const walk = (el: El): void => {
      const st = g.getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden') return;
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
      const r = el.getBoundingClientRect();
      const text = (el.textContent ?? '').trim().slice(0, 60);
      if (own && r.width > 0 && el.closest('.sr-only, .skip, [data-testid=keyboard]') === null) {
        if ((st.overflowX !== 'visible' || st.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1) out.push({ text, why: 'clipped across' });
        if (st.overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 1) out.push({ text, why: 'clipped down' });
        if (r.right > g.innerWidth + 1) out.push({ text, why: `runs to ${Math.round(r.right)}px` });
      }
      for (const c of Array.from(el.children)) walk(c);
    };
    walk(g.document.body);
    return out;
  });
}

/** The element is whole on the screen without scrolling. */
async function onScreen(page: Page, selector: string, what: string): Promise<void> {
  const b = (await page.locator(selector).first().boundingBox()) as Box | null;
  assert.ok(b, `${what}: not shown`);
  assert.ok(b.y >= 0 && b.y + b.height <= SIZE.height + 0.5 && b.x >= 0 && b.x + b.width <= SIZE.width + 0.5, `${what} is cut off at 800×480: ${JSON.stringify(b)}`);
}

describe('kiosk: every screen at 800×480 in six languages', { skip: SKIP_BROWSER, timeout: 900_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  const problems: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-screens-'));
    const dataDir = join(dir, 'data');
    await importIndicators(dataDir, [ECHAP_IOC, writeLabFeed(dir)]);
    srv = await serve({ dataDir, env: { QUIETCHECK_INTERFACE: 'lo' } });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function look(page: Page, name: string, lang: Lang): Promise<void> {
    await page.waitForTimeout(150);
    await shot(page, `screen-${name}-${lang}-800x480`);
    for (const c of await cutOff(page)) problems.push(`${name} ${lang}: "${c.text}" ${c.why}`);
  }

  async function uploadCheck(lang: Lang): Promise<string> {
    const r = await api(srv.port, `/api/uploads?lang=${lang}`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('tls-browsing-mixed.pcap')) });
    assert.equal(r.status, 201, r.text);
    return r.json<{ id: string }>().id;
  }

  for (const lang of LANGS) {
    test(`${lang}: welcome, upload, result, delete, finished, USB, gone`, async () => {
      const c = CATALOGUES[lang];
      const ctx = await context(browser, SIZE);
      const page = await ctx.newPage();
      const errors = watch(page);
      // Welcome: no own Wi-Fi here, so no Wi-Fi mode; "Check a recording file instead" whole on screen.
      await page.goto(`${srv.url}/?lang=${lang}`);
      await page.locator('a[href="/upload"]').waitFor();
      assert.equal(await page.locator('[data-testid=modes]').count(), 0);
      await onScreen(page, 'a[href="/upload"]', '"Check a recording file instead"');
      await look(page, 'welcome', lang);
      // With an own Wi-Fi set up (the page is told so): the three choices, and still everything on screen.
      const withWifi = await ctx.newPage();
      await withWifi.route('**/api/hotspot', async (route) => {
        const real = await route.fetch();
        await route.fulfill({ response: real, json: { ...((await real.json()) as object), configured: true } });
      });
      await withWifi.goto(`${srv.url}/?lang=${lang}`);
      await withWifi.locator('[data-testid=modes]').waitFor();
      await onScreen(withWifi, '[data-testid=start]', 'Check a phone');
      await onScreen(withWifi, 'a[href="/upload"]', '"Check a recording file instead" with the Wi-Fi choices');
      await look(withWifi, 'welcome-modes', lang);
      await withWifi.close();

      // Upload: "Choose a file first." until a file is chosen.
      await page.locator('a[href="/upload"]').click();
      await page.locator('[data-testid=analyse]').click();
      const pick = page.getByText(c['ui.upload.pick']!);
      await pick.waitFor();
      await look(page, 'upload-error', lang);
      await page.locator('[data-testid=file]').setInputFiles(pcap('tls-browsing-mixed.pcap'));
      await pick.waitFor({ state: 'detached' });
      await look(page, 'upload', lang);

      // Result: finished, then shown; the delete confirmation whole on screen.
      const id = await uploadCheck(lang);
      await page.goto(`${srv.url}/result/${id}`);
      await page.locator('[data-testid=reveal]').waitFor();
      await look(page, 'finished', lang);
      await showResult(page);
      await look(page, 'result', lang);
      await page.locator('.guidance').scrollIntoViewIfNeeded();
      await look(page, 'result-guidance', lang);
      await page.locator('[data-testid=usb]').click();
      await page.locator('[data-testid=no-drive]').waitFor();
      await page.locator('[data-testid=usb-panel]').scrollIntoViewIfNeeded();
      await look(page, 'usb-none', lang);
      await page.locator('[data-testid=delete]').scrollIntoViewIfNeeded();
      await page.evaluate(() => (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -400));
      await page.locator('[data-testid=delete]').click();
      // The question is brought whole into view by itself.
      await page.locator('.confirm').waitFor();
      await page.waitForTimeout(300);
      await onScreen(page, '.confirm', 'the delete confirmation');
      await look(page, 'delete-confirm', lang);
      await page.locator('[data-testid=confirm-delete]').click();
      await page.getByText(c['ui.deleted.title']!).waitFor();
      await look(page, 'deleted', lang);
      await page.goto(`${srv.url}/result/${'0'.repeat(32)}?lang=${lang}`);
      await page.getByText(c['ui.missing.title']!).waitFor();
      await look(page, 'missing', lang);
      assert.deepEqual(errors, []);
      await ctx.close();
    });
  }

  for (const lang of LANGS) {
    test(`${lang}: connect, capture (footnote whole), stop first, analysing, busy`, { skip: noLive() }, async () => {
      const r = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.0.0.9', durationSeconds: 600, lang } });
      assert.equal(r.status, 201, r.text);
      const id = r.json<{ id: string }>().id;
      const ctx = await context(browser, SIZE);
      const sock = createSocket('udp4');
      let timer: NodeJS.Timeout | null = null;
      try {
        const page = await ctx.newPage();
        const errors = watch(page);
        await page.goto(`${srv.url}/check/${id}`);
        await page.locator('[data-testid=interface]').waitFor();
        await look(page, 'connect', lang);
        // Another screen meets "another check is running".
        const other = await ctx.newPage();
        await other.goto(`${srv.url}/?lang=${lang}`);
        await other.locator('[data-testid=start]').click();
        await other.locator('[data-testid=open-running]').waitFor();
        await onScreen(other, '[data-testid=open-running]', 'Open the running check');
        await look(other, 'busy', lang);
        await other.close();
        // The phone talks: the capture screen, its footnote whole.
        timer = setInterval(() => sock.send('quietcheck test', 40000, '127.0.0.9'), 200);
        await page.locator('[data-testid=stop]').waitFor({ timeout: 20_000 });
        await page.locator('[data-testid=device]').waitFor();
        await onScreen(page, '[data-testid=stop]', 'Stop');
        await onScreen(page, '[data-testid=stop-help]', 'the capture footnote');
        await look(page, 'capture', lang);
        await page.locator('[data-testid=home]').click();
        await page.locator('[data-testid=stop-first]').waitFor();
        await look(page, 'stop-first', lang);
        await page.locator('[data-testid=stop-first-stop]').click();
        await page.waitForURL(`${srv.url}/result/${id}`, { timeout: 60_000 });
        await page.locator('[data-testid=finished]').waitFor();
        await look(page, 'finished-live', lang);
        assert.deepEqual(errors, []);
      } finally {
        if (timer) clearInterval(timer);
        sock.close();
        await ctx.close();
        await api(srv.port, `/api/checks/${id}/stop`, { method: 'POST' }).catch(() => undefined);
      }
    });
  }

  for (const lang of LANGS) {
    // Layout only: the connect screen of the own Wi-Fi needs a radio this machine does not have, so the
    // page is given the statuses it would get (the real flow is test/web/live.test.ts, on a hotspot rig).
    test(`${lang}: connect on the own Wi-Fi — mobile data reminder, name, password, QR code and Cancel on screen`, { skip: noLive() }, async () => {
      const r = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.0.0.9', durationSeconds: 600, lang } });
      assert.equal(r.status, 201, r.text);
      const id = r.json<{ id: string; state: string }>().id;
      const ctx = await context(browser, SIZE);
      try {
        const page = await ctx.newPage();
        const errors = watch(page);
        const status = { ...(await api(srv.port, `/api/checks/${id}`)).json<Record<string, unknown>>(), mode: 'hotspot', state: 'waiting-for-device' };
        await page.route(`**/api/checks/${id}/events`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/event-stream', body: `retry: 60000\nevent: status\ndata: ${JSON.stringify(status)}\n\n` }),
        );
        await page.route('**/api/hotspot', (route) =>
          route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ state: 'on', backend: 'hostapd', mode: 'hotspot', configured: true, ssid: 'Kitchen_F534', password: 'sCCEki4hNYiv6Qb6', devices: [] }) }),
        );
        await page.goto(`${srv.url}/check/${id}`);
        await page.locator('[data-testid=ssid]').waitFor();
        assert.equal((await page.locator('[data-testid=mobile-data]').innerText()).trim(), CATALOGUES[lang]['ui.kiosk2.connect.mobileData']);
        await page.locator('.qr-img svg').waitFor();
        await onScreen(page, '[data-testid=mobile-data]', 'the mobile data reminder');
        await onScreen(page, '[data-testid=wifi-password]', 'the Wi-Fi password');
        await onScreen(page, `button:has-text("${CATALOGUES[lang]['ui.cancel']}")`, 'Cancel');
        await look(page, 'connect-wifi', lang);
        assert.deepEqual(errors, []);
      } finally {
        await ctx.close();
        await api(srv.port, `/api/checks/${id}/stop`, { method: 'POST' }).catch(() => undefined);
      }
    });
  }

  test('nothing was cut off on any screen', () => {
    assert.deepEqual(problems, []);
  });
});
