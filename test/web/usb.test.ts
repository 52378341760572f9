/**
 * Evidence leaves the kiosk, in a real browser against a real `quietcheck serve`: "Save to USB drive"
 * writes the check's ZIP (AES-encrypted with the passphrase typed, or plain) to a real file system the
 * test makes — an ext4 image, loop-mounted, so quietcheck's drive detection reads this machine's own
 * /proc/mounts and statfs; only the kernel's "removable" flag comes from a stand-in /sys/block folder,
 * since a loop device says it is fixed. "Save as PDF" on the kiosk writes the PDF there; the technical
 * report opens in the same window with a bar back to the result. At 800×480 and 1280×800, in English
 * and German.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { api, importIndicators } from '../server/helpers.js';
import { ECHAP_IOC, writeLabFeed } from './fixtures.js';
import { context, launch, serve, shot, showResult, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

const PASS = 'blue kettle on the hill';

function unavailable(): string | false {
  if (SKIP_BROWSER) return SKIP_BROWSER;
  if (process.getuid?.() !== 0) return 'loop-mounting a drive image needs root';
  for (const tool of ['mkfs.ext4', 'mount', 'umount', 'findmnt', 'losetup', '7z']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `${tool} is missing`;
  }
  // A container may have no loop devices to mount an image on.
  if (spawnSync('losetup', ['-f'], { stdio: 'ignore' }).status !== 0) return 'no free loop device to mount a drive image on';
  return false;
}

type Lang = 'en' | 'de';

describe('kiosk: evidence to a USB drive', { skip: unavailable(), timeout: 400_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  let image: string;
  let mnt: string;
  let sys: string;
  let mounted = false;

  function mountDrive(): void {
    execFileSync('mount', ['-o', 'loop', image, mnt]);
    mounted = true;
    const dev = execFileSync('findmnt', ['-n', '-o', 'SOURCE', mnt], { encoding: 'utf8' }).trim();
    assert.match(dev, /^\/dev\/loop\d+$/);
    // The stand-in for a USB stick's kernel flag: the loop device behind this mount is "removable".
    rmSync(sys, { recursive: true, force: true });
    mkdirSync(join(sys, dev.slice('/dev/'.length)), { recursive: true });
    writeFileSync(join(sys, dev.slice('/dev/'.length), 'removable'), '1\n');
  }
  function unmountDrive(): void {
    if (!mounted) return;
    execFileSync('umount', [mnt]);
    mounted = false;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-usb-'));
    image = join(dir, 'stick.img');
    mnt = join(dir, 'stick');
    sys = join(dir, 'sys-block');
    mkdirSync(mnt);
    mkdirSync(sys);
    execFileSync('truncate', ['-s', '64M', image]);
    execFileSync('mkfs.ext4', ['-q', '-L', 'QCSTICK', image]);
    const dataDir = join(dir, 'data');
    await importIndicators(dataDir, [ECHAP_IOC, writeLabFeed(dir)]);
    srv = await serve({ dataDir, env: { QUIETCHECK_SYS_BLOCK_DIR: sys } });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    try {
      unmountDrive();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function uploaded(lang: Lang): Promise<string> {
    const r = await api(srv.port, `/api/uploads?lang=${lang}`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('tls-browsing-mixed.pcap')) });
    assert.equal(r.status, 201, r.text);
    return r.json<{ id: string }>().id;
  }

  async function openResult(page: Page, id: string): Promise<void> {
    await page.goto(`${srv.url}/result/${id}`);
    await showResult(page);
  }

  /** 7-Zip's test of every file of an archive, with a password (wrong ones fail an encrypted archive). */
  function zipTest(file: string, password: string): boolean {
    return spawnSync('7z', ['t', `-p${password}`, file], { stdio: 'ignore' }).status === 0;
  }

  test('no drive: the panel says so; plugged in, "look again" finds it; an encrypted ZIP is written and says so', async () => {
    for (const [lang, size] of [['en', SIZES.kiosk], ['de', SIZES.laptop]] as const) {
      const c = CATALOGUES[lang];
      const id = await uploaded(lang);
      const ctx = await context(browser, size);
      const page = await ctx.newPage();
      const problems = watch(page);
      await openResult(page, id);
      await page.locator('[data-testid=usb]').click();
      await page.locator('[data-testid=no-drive]').waitFor();
      assert.equal((await page.locator('[data-testid=no-drive]').innerText()).trim(), c['ui.kiosk2.usb.none']);
      await page.locator('[data-testid=usb-panel]').scrollIntoViewIfNeeded();
      await shot(page, `usb-no-drive-${lang}-${size.width}x${size.height}`);
      mountDrive();
      try {
        await page.locator('[data-testid=usb-look]').click();
        await page.locator('[data-testid=usb-drive]').waitFor();
        assert.equal(await page.locator('[data-testid=usb-drive]').count(), 1);
        assert.equal(await page.locator('[data-testid=usb-drive]').inputValue(), mnt);
        // Too short a passphrase is refused on the screen, before anything is built.
        await page.locator('[data-testid=usb-passphrase]').fill('short');
        await page.locator('[data-testid=usb-save]').click();
        await page.getByText(c['ui.kiosk2.usb.passShort']!.replace('{{min}}', '8')).waitFor();
        assert.deepEqual(readdirSync(mnt).filter((f) => f.endsWith('.zip')), []);
        await page.locator('[data-testid=usb-passphrase]').fill(PASS);
        await page.locator('[data-testid=usb-panel]').scrollIntoViewIfNeeded();
        await shot(page, `usb-panel-${lang}-${size.width}x${size.height}`);
        await page.locator('[data-testid=usb-save]').click();
        const done = page.locator('[data-testid=usb-done]');
        await done.waitFor({ timeout: 60_000 });
        const zips = readdirSync(mnt).filter((f) => f.endsWith('.zip'));
        assert.equal(zips.length, 1);
        assert.ok(zips[0]!.includes(id));
        assert.ok((await done.innerText()).includes(zips[0]!));
        assert.ok((await done.innerText()).includes(c['ui.kiosk2.usb.savedLocked']!));
        // Encrypted: 7-Zip opens it with the passphrase only; no temporary file is left beside it.
        assert.equal(zipTest(join(mnt, zips[0]!), PASS), true, 'the passphrase does not open the archive');
        assert.equal(zipTest(join(mnt, zips[0]!), 'not the passphrase'), false, 'the archive opens without its passphrase');
        assert.deepEqual(readdirSync(mnt).filter((f) => f.endsWith('.tmp')), []);
        // The passphrase is not kept on the screen after saving.
        assert.equal(await page.locator('[data-testid=usb-passphrase]').inputValue(), '');
        await done.scrollIntoViewIfNeeded();
        await shot(page, `usb-saved-${lang}-${size.width}x${size.height}`);

        // Plain: the same check again, replacing the file, readable without a passphrase.
        await page.locator('[data-testid=usb-protect]').uncheck();
        await page.locator('[data-testid=usb-save]').click();
        // Done when the outcome no longer says the file is locked.
        await page.waitForFunction(
          (locked: string) => {
            const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=usb-done]');
            return d !== null && !(d.textContent ?? '').includes(locked);
          },
          c['ui.kiosk2.usb.savedLocked']!,
          { timeout: 60_000 },
        );
        const list = execFileSync('7z', ['l', join(mnt, zips[0]!)], { encoding: 'utf8' });
        assert.match(list, /report\.html/);
        assert.equal(zipTest(join(mnt, zips[0]!), ''), true);
        assert.ok(!(await page.locator('[data-testid=usb-done]').innerText()).includes(c['ui.kiosk2.usb.savedLocked']!));
        assert.deepEqual(problems, []);
      } finally {
        await ctx.close();
        for (const f of readdirSync(mnt)) if (f.startsWith('quietcheck')) rmSync(join(mnt, f));
        unmountDrive();
      }
    }
  });

  test('"Save as PDF" on the kiosk writes the PDF report to the drive', async () => {
    mountDrive();
    try {
      for (const [lang, size] of [['de', SIZES.kiosk], ['en', SIZES.laptop]] as const) {
        const id = await uploaded(lang);
        const ctx = await context(browser, size);
        const page = await ctx.newPage();
        const problems = watch(page);
        let downloads = 0;
        page.on('download', () => downloads++);
        await openResult(page, id);
        await page.locator('[data-testid=pdf]').click();
        const panel = page.locator('[data-testid=usb-panel]');
        await panel.getByText(CATALOGUES[lang]['ui.kiosk2.usb.pdfTitle']!).waitFor();
        assert.equal(await panel.locator('[data-testid=usb-passphrase]').count(), 0);
        await panel.locator('[data-testid=usb-save]').click();
        await panel.locator('[data-testid=usb-done]').waitFor({ timeout: 90_000 });
        const pdfs = readdirSync(mnt).filter((f) => f.endsWith('.pdf') && f.includes(id));
        assert.equal(pdfs.length, 1);
        assert.equal(readFileSync(join(mnt, pdfs[0]!)).subarray(0, 5).toString('latin1'), '%PDF-');
        assert.equal(downloads, 0, 'the kiosk browser downloaded the PDF instead');
        await panel.scrollIntoViewIfNeeded();
        await shot(page, `usb-pdf-${lang}-${size.width}x${size.height}`);
        assert.deepEqual(problems, []);
        await ctx.close();
      }
    } finally {
      for (const f of readdirSync(mnt)) if (f.startsWith('quietcheck')) rmSync(join(mnt, f));
      unmountDrive();
    }
  });

  test('the full technical report opens in the same window, with a bar back to the result', async () => {
    for (const [lang, size] of [['en', SIZES.kiosk], ['de', SIZES.laptop]] as const) {
      const id = await uploaded(lang);
      const ctx = await context(browser, size);
      const page = await ctx.newPage();
      const problems = watch(page);
      await openResult(page, id);
      await page.locator('[data-testid=appendix]').click();
      await page.locator('[data-testid=full-report]').click();
      await page.waitForURL(`${srv.url}/api/checks/${id}/report/view?lang=${lang}`);
      assert.equal(ctx.pages().length, 1, 'a new tab was opened');
      const back = page.locator('[data-testid=report-back]');
      await back.waitFor();
      assert.equal((await back.innerText()).replace('←', '').trim(), CATALOGUES[lang]['ui.kiosk2.report.back']);
      // The bar stays at the top while the report scrolls.
      await page.mouse.wheel(0, 3000);
      await page.waitForTimeout(300);
      const box = await back.boundingBox();
      assert.ok(box && box.y >= 0 && box.y < 60, `the way back scrolled away: ${JSON.stringify(box)}`);
      await shot(page, `usb-report-in-place-${lang}-${size.width}x${size.height}`);
      await back.click();
      await page.waitForURL(`${srv.url}/result/${id}?shown=1`);
      // Back on the result the worker had already chosen to see.
      await page.locator('[data-testid=verdict]').waitFor();
      assert.deepEqual(problems, []);
      await ctx.close();
    }
  });
});
