/**
 * A fresh, offline box in the console: the status says no list of spyware servers is loaded and that
 * nothing is downloaded unasked; "update now" adds nothing; the lists page offers the public lists
 * instead. A list imported by the CLI while the server runs shows with its role, can be made a block
 * list or an allow-list, and removed. Screenshots at 1280×800 (English) and 800×480 (German).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { INDICATORS } from '../helpers/paths.js';
import { CLI, context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

const run = promisify(execFile);
const en = CATALOGUES.en;
const de = CATALOGUES.de;

describe('admin console: a fresh box and its lists', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  let dataDir: string;
  let page: Page;
  let problems: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-feeds-'));
    dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    srv = await serve({ dataDir });
    browser = await launch();
    const ctx = await context(browser, SIZES.laptop);
    page = await ctx.newPage();
    problems = watch(page);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${srv.url}/admin`);
    await page.locator('[data-testid=password]').fill(PASSWORD);
    await page.locator('[data-testid=login]').click();
    await page.locator('nav.tabs').waitFor();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('status says what a fresh box lacks; the lists page offers the public lists; nothing is added unasked', async () => {
    await page.locator('[data-testid=no-block-lists]').waitFor();
    assert.equal(await page.locator('[data-testid=no-block-lists]').innerText(), en['ui.admin.status.noBlockLists']);
    await page.getByText(en['ui.admin.status.notChosen']!).waitFor();
    await shot(page, 'admin-status-fresh-en-1280x800', true);
    await page.locator('a[data-section="feeds"]').click();
    await page.locator('[data-testid=no-lists]').waitFor();
    await page.locator('[data-testid=update-feeds]').click();
    assert.equal(await page.locator('[data-testid=update-result]').innerText(), en['ui.admin.feeds.nothingToUpdate']);
    await page.locator('[data-testid=add-public-lists]').waitFor();
    await shot(page, 'admin-feeds-fresh-en-1280x800');
    assert.deepEqual(srv.query('SELECT name FROM feeds'), []);
    assert.equal(existsSync(join(dataDir, 'feeds.yaml')), false);

    const small = await context(browser, SIZES.kiosk, 'de-DE');
    const p2 = await small.newPage();
    await p2.goto(`${srv.url}/admin?lang=de`);
    await p2.locator('[data-testid=password]').fill(PASSWORD);
    await p2.locator('[data-testid=login]').click();
    await p2.locator('[data-testid=no-block-lists]').waitFor();
    assert.equal(await p2.locator('[data-testid=no-block-lists]').innerText(), de['ui.admin.status.noBlockLists']);
    await p2.locator('[data-testid=no-block-lists]').scrollIntoViewIfNeeded();
    await shot(p2, 'admin-status-fresh-de-800x480');
    await p2.locator('a[data-section="feeds"]').click();
    await p2.locator('[data-testid=no-lists]').waitFor();
    await shot(p2, 'admin-feeds-fresh-de-800x480');
    await small.close();
  });

  test('a list imported by the CLI while the server runs shows with its role; role change and removal from the console', async () => {
    await run(process.execPath, [CLI, 'indicators', 'import', join(INDICATORS, 'tinycheck', 'whitelist.json'), '--data-dir', dataDir]);
    await page.reload();
    const table = page.locator('[data-testid=feeds]');
    await table.getByText('import-whitelist').waitFor();
    const role = table.locator('[data-testid=feed-role]');
    assert.equal(await role.inputValue(), 'allow');
    await role.selectOption('block');
    await page.waitForResponse((r) => r.url().endsWith('/api/admin/feeds') && r.request().method() === 'GET');
    assert.deepEqual(srv.query('SELECT list FROM feeds'), [{ list: 'block' }]);
    await role.selectOption('allow');
    await page.waitForResponse((r) => r.url().endsWith('/api/admin/feeds') && r.request().method() === 'GET');
    assert.deepEqual(srv.query('SELECT list FROM feeds'), [{ list: 'allow' }]);
    await shot(page, 'admin-feeds-role-en-1280x800');
    await page.locator('[data-testid=remove-feed]').click();
    await page.locator('[data-testid=no-lists]').waitFor();
    assert.deepEqual(srv.query('SELECT name FROM feeds'), []);
    assert.deepEqual(srv.query('SELECT count(*) AS n FROM indicators'), [{ n: 0 }]);
    assert.deepEqual(problems, []);
  });
});
