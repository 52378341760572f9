/**
 * A running check stays reachable, in a real browser against a real `quietcheck serve` capturing on the
 * loopback interface (tcpdump, limited to one address the test sends to): during the capture the home
 * link asks to stop first and the footer offers no way out; "another check is running" on the welcome
 * screen opens that check; the admin console's list offers Open and Stop for it. At 800×480 and
 * 1280×800, in English and German.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { api } from '../server/helpers.js';
import { context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

function unavailable(): string | false {
  if (SKIP_BROWSER) return SKIP_BROWSER;
  if (process.getuid?.() !== 0) return 'a live capture on the loopback interface needs root';
  if (spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0) return 'tcpdump is missing';
  return false;
}

/** The "phone": UDP datagrams to 127.0.0.9 every 200 ms, the only traffic the check records. */
function phone(): { stop(): void } {
  const sock: Socket = createSocket('udp4');
  const timer = setInterval(() => sock.send('quietcheck test', 40000, '127.0.0.9'), 200);
  return {
    stop() {
      clearInterval(timer);
      sock.close();
    },
  };
}

describe('kiosk: a running check stays reachable', { skip: unavailable(), timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-running-'));
    // The kiosk's own start button captures on lo too: a second check there is "another check is running".
    srv = await serve({ dataDir: join(dir, 'data'), env: { QUIETCHECK_INTERFACE: 'lo' } });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    ['en', SIZES.kiosk, 'admin'],
    ['de', SIZES.kiosk, 'dialog'],
    ['en', SIZES.laptop, 'dialog'],
    ['de', SIZES.laptop, 'admin'],
  ] as const;
  for (const [lang, size, stopBy] of cases) {
    test(`${lang} at ${size.width}×${size.height}: home asks first, "another check" opens it, stopped by ${stopBy === 'admin' ? 'the admin list' : 'the home dialog'}`, async () => {
      const c = CATALOGUES[lang];
      const tag = `${lang}-${size.width}x${size.height}`;
      const r = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: '127.0.0.9', durationSeconds: 600, lang } });
      assert.equal(r.status, 201, r.text);
      const id = r.json<{ id: string }>().id;
      const ph = phone();
      const ctx = await context(browser, size);
      try {
        const page = await ctx.newPage();
        const problems = watch(page);
        await page.goto(`${srv.url}/check/${id}`);
        await page.locator('[data-testid=stop]').waitFor({ timeout: 20_000 });
        // The phone is the address the check is limited to, not the side that talked to it.
        await page.locator('[data-testid=device]').waitFor();
        assert.equal((await page.locator('[data-testid=device]').innerText()).trim(), '127.0.0.9');
        // No way out through the footer while the check runs.
        assert.equal(await page.locator('footer a[href="/admin"]').count(), 0);
        // The home link asks; keeping on leaves the capture on screen.
        await page.locator('[data-testid=home]').click();
        const dialog = page.locator('[data-testid=stop-first]');
        await dialog.waitFor();
        assert.ok((await dialog.innerText()).includes(c['ui.kiosk2.lock.title']!));
        assert.equal(page.url(), `${srv.url}/check/${id}`);
        for (const b of ['keep-checking', 'stop-first-stop']) {
          const box = await page.locator(`[data-testid=${b}]`).boundingBox();
          assert.ok(box && box.y + box.height <= size.height && box.x + box.width <= size.width, `${b} is off screen`);
        }
        await shot(page, `running-home-asks-${tag}`);
        await page.locator('[data-testid=keep-checking]').click();
        await dialog.waitFor({ state: 'detached' });
        assert.equal(page.url(), `${srv.url}/check/${id}`);
        await page.locator('[data-testid=stop]').waitFor();

        // Another screen (or the same kiosk after a reload) meets "another check is running" and opens it.
        const other = await ctx.newPage();
        const otherProblems = watch(other);
        await other.goto(`${srv.url}/?lang=${lang}`);
        await other.locator('[data-testid=start]').click();
        const open = other.locator('[data-testid=open-running]');
        await open.waitFor();
        assert.ok((await other.locator('[role=alert]').innerText()).includes(c['ui.error.busy']!));
        await shot(other, `running-busy-${tag}`);
        await open.click();
        await other.waitForURL(`${srv.url}/check/${id}`);
        await other.locator('[data-testid=stop]').waitFor();
        // The browser's Back does not leave it either: the check comes back and the screen asks.
        await other.goBack();
        await other.locator('[data-testid=stop-first]').waitFor();
        assert.equal(other.url(), `${srv.url}/check/${id}`);
        await other.locator('[data-testid=keep-checking]').click();
        await other.locator('[data-testid=stop]').waitFor();
        await other.close();
        assert.deepEqual(otherProblems.filter((p) => !/status of 409/.test(p)), []);

        if (stopBy === 'dialog') {
          await page.locator('[data-testid=home]').click();
          await page.locator('[data-testid=stop-first-stop]').click();
        } else {
          // The admin console lists it with Open and Stop.
          const adm = await ctx.newPage();
          await adm.goto(`${srv.url}/admin/checks?lang=${lang}`);
          await adm.locator('[data-testid=password]').fill(PASSWORD);
          await adm.locator('[data-testid=login]').click();
          const row = adm.locator(`tr[data-check="${id}"]`);
          await row.locator('[data-testid=stop-check]').waitFor();
          assert.equal(await row.locator('[data-testid=open-running]').getAttribute('href'), `/check/${id}`);
          await shot(adm, `running-admin-list-${tag}`);
          await row.locator('[data-testid=stop-check]').click();
          await adm.getByText(c['ui.kiosk2.admin.stopped']!).waitFor({ timeout: 60_000 });
          await row.locator('.badge').waitFor();
          await adm.close();
        }
        // Either way the kiosk's screen follows the check to its end, without showing the result by itself.
        await page.waitForURL(`${srv.url}/result/${id}`, { timeout: 60_000 });
        await page.locator('[data-testid=finished]').waitFor();
        // Once the check is over, home goes home again.
        await page.locator('[data-testid=home]').click();
        await page.waitForURL(`${srv.url}/`);
        assert.deepEqual(problems, []);
      } finally {
        ph.stop();
        await ctx.close();
        await api(srv.port, `/api/checks/${id}/stop`, { method: 'POST' }).catch(() => undefined);
      }
    });
  }
});
