/**
 * The on-screen keyboard of a touch-only kiosk, in a real browser (touch events) against a real
 * `quietcheck serve`: a touched field opens it in the screen's language's layout (AZERTY, QWERTZ,
 * QWERTY with each language's accented letters), taps type into the field as real typing does (the
 * page's own handlers see it), OK submits — the admin login is done by touch alone —, the field stays
 * above the keyboard at 800×480, Hide closes it, and a mouse click never opens it. The kiosk's own
 * text field (the USB passphrase) works the same way. At 800×480 and 1280×800, in all six languages for
 * the layouts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LANGS, type Lang } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { api } from '../server/helpers.js';
import { launch, PASSWORD, serve, shot, showResult, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

/** The letters each layout must offer beyond a–z, and the start of its first letter row. */
const EXPECT: Record<Lang, { accents: string[]; firstRow: string }> = {
  en: { accents: [], firstRow: 'qwerty' },
  fr: { accents: ['é', 'è', 'à', 'ç', 'ù'], firstRow: 'azerty' },
  es: { accents: ['ñ', 'á', 'é', 'í', 'ó', 'ú'], firstRow: 'qwerty' },
  de: { accents: ['ü', 'ö', 'ä', 'ß'], firstRow: 'qwertz' },
  it: { accents: ['à', 'è', 'é', 'ì', 'ò', 'ù'], firstRow: 'qwerty' },
  pt: { accents: ['ç', 'ã', 'õ', 'á', 'é'], firstRow: 'qwerty' },
};

async function touchContext(browser: Browser, size: { width: number; height: number }): Promise<BrowserContext> {
  return browser.newContext({ viewport: size, locale: 'en-GB', hasTouch: true });
}

/** Taps one key; upper-case letters through Shift, as a person does. */
async function tapKey(page: Page, ch: string): Promise<void> {
  const kb = page.locator('[data-testid=keyboard]');
  const name = ch === ' ' ? '{space}' : ch;
  const needsShift = ch !== ch.toLocaleLowerCase() && ch === ch.toLocaleUpperCase();
  if (needsShift) await kb.locator('.hg-button[data-skbtn="{shift}"]').tap();
  await kb.locator(`.hg-button[data-skbtn="${name}"]`).tap();
}

async function typeByTouch(page: Page, text: string): Promise<void> {
  for (const ch of text) await tapKey(page, ch);
}

/** The field is on the screen and not under the keyboard. */
async function assertAbove(page: Page, field: string, size: { height: number }): Promise<void> {
  const f = await page.locator(field).boundingBox();
  const k = await page.locator('[data-testid=keyboard]').boundingBox();
  assert.ok(f && k, 'field or keyboard not shown');
  assert.ok(f.y >= 0 && f.y + f.height <= k.y + 1, `the field (${f.y}–${f.y + f.height}) is under the keyboard (from ${k.y})`);
  assert.ok(k.y + k.height <= size.height + 1);
}

describe('kiosk: on-screen keyboard', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-keyboard-'));
    // A drive for the passphrase field to appear: quietcheck's documented stand-ins for /proc/mounts and
    // /sys/block (nothing is written to it in this test).
    const stick = join(dir, 'stick');
    const sys = join(dir, 'sys');
    mkdirSync(stick);
    mkdirSync(join(sys, 'sdz', 'sdz1'), { recursive: true });
    writeFileSync(join(sys, 'sdz', 'removable'), '1\n');
    writeFileSync(join(dir, 'mounts'), `/dev/sdz1 ${stick} vfat rw,relatime 0 0\n`);
    srv = await serve({ dataDir: join(dir, 'data'), env: { QUIETCHECK_MOUNTS_FILE: join(dir, 'mounts'), QUIETCHECK_SYS_BLOCK_DIR: sys } });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the admin login by touch alone: the keyboard opens on the field, types the password, OK logs in', async () => {
    for (const [lang, size] of [['en', SIZES.kiosk], ['de', SIZES.laptop]] as const) {
      const ctx = await touchContext(browser, size);
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(`${srv.url}/admin?lang=${lang}`);
      const field = page.locator('[data-testid=password]');
      await field.waitFor();
      assert.equal(await page.locator('[data-testid=keyboard]').isVisible(), false);
      await field.tap();
      await page.locator('[data-testid=keyboard] .hg-button').first().waitFor();
      assert.equal(await page.locator('[data-testid=keyboard]').getAttribute('data-layout'), lang);
      await typeByTouch(page, PASSWORD);
      assert.equal(await field.inputValue(), PASSWORD);
      await assertAbove(page, '[data-testid=password]', size);
      await shot(page, `keyboard-login-${lang}-${size.width}x${size.height}`);
      await page.locator('[data-testid=keyboard] .hg-button[data-skbtn="{enter}"]').tap();
      await page.locator('nav.tabs').waitFor();
      // The field went away with the login form: so does the keyboard.
      assert.equal(await page.locator('[data-testid=keyboard]').isVisible(), false);
      assert.deepEqual(problems, []);
      await ctx.close();
    }
  });

  test('six layouts: each language’s letter order and accented letters, digits, capitals, delete', async () => {
    const ctx = await touchContext(browser, SIZES.kiosk);
    const page = await ctx.newPage();
    const problems = watch(page);
    for (const lang of LANGS) {
      await page.goto(`${srv.url}/admin?lang=${lang}`);
      const field = page.locator('[data-testid=password]');
      await field.tap();
      const kb = page.locator('[data-testid=keyboard]');
      await kb.locator('.hg-button').first().waitFor();
      assert.equal(await kb.getAttribute('data-layout'), lang);
      // The row holding the letters' first row, in order.
      const rows = await kb.locator('.hg-row').evaluateAll((els) => els.map((r) => Array.from((r as unknown as { querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null }> }).querySelectorAll('.hg-button')).map((b) => b.getAttribute('data-skbtn') ?? '').join('')));
      assert.ok(rows.some((r) => r.startsWith(EXPECT[lang].firstRow)), `${lang}: no row starts with ${EXPECT[lang].firstRow}: ${rows.join(' | ')}`);
      for (const a of EXPECT[lang].accents) assert.equal(await kb.locator(`.hg-button[data-skbtn="${a}"]`).count(), 1, `${lang}: no ${a} key`);
      // Type a word with a capital, the language's accents and digits; one letter too many, deleted.
      const first = EXPECT[lang].accents[0] ?? 'a';
      const word = `Qx${EXPECT[lang].accents.join('')}${first.toLocaleUpperCase()}2024z`;
      await typeByTouch(page, word);
      await kb.locator('.hg-button[data-skbtn="{bksp}"]').tap();
      assert.equal(await field.inputValue(), word.slice(0, -1), lang);
      // The symbols layer, for passwords.
      await kb.locator('.hg-button[data-skbtn="{sym}"]').tap();
      await kb.locator('.hg-button[data-skbtn="@"]').tap();
      await kb.locator('.hg-button[data-skbtn="{abc}"]').tap();
      await kb.locator('.hg-layout-default').waitFor();
      assert.equal(await field.inputValue(), `${word.slice(0, -1)}@`);
      await shot(page, `keyboard-layout-${lang}-800x480`);
      await kb.locator('.hg-button[data-skbtn="{hide}"]').tap();
      await kb.waitFor({ state: 'hidden' });
    }
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('the kiosk’s passphrase for the USB drive is typed by touch; a mouse click opens no keyboard', async () => {
    for (const [lang, size] of [['en', SIZES.kiosk], ['de', SIZES.laptop]] as const) {
      const up = await api(srv.port, `/api/uploads?lang=${lang}`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('dns-tcp-multirequest.pcap')) });
      assert.equal(up.status, 201, up.text);
      const id = up.json<{ id: string }>().id;
      const ctx = await touchContext(browser, size);
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(`${srv.url}/result/${id}`);
      await showResult(page);
      await page.locator('[data-testid=usb]').tap();
      const field = page.locator('[data-testid=usb-passphrase]');
      await field.tap();
      await page.locator('[data-testid=keyboard] .hg-button').first().waitFor();
      await typeByTouch(page, 'river stone 42');
      assert.equal(await field.inputValue(), 'river stone 42');
      await assertAbove(page, '[data-testid=usb-passphrase]', size);
      await shot(page, `keyboard-passphrase-${lang}-${size.width}x${size.height}`);
      // A touch on a button elsewhere closes it.
      await page.locator('[data-testid=usb-protect]').tap();
      await page.locator('[data-testid=keyboard]').waitFor({ state: 'hidden' });
      assert.deepEqual(problems, []);
      await ctx.close();
    }
    // A machine with a mouse and a real keyboard: clicking the field opens nothing.
    const ctx = await browser.newContext({ viewport: SIZES.laptop, locale: 'en-GB' });
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/admin`);
    await page.locator('[data-testid=password]').click();
    await page.keyboard.type('abc');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-testid=keyboard]').isVisible(), false);
    await ctx.close();
  });
});
