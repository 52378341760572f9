/**
 * The allow-list's guard rails in the console, in a real browser against a real `quietcheck serve`:
 * an entry that would hide a known spyware server asks for confirmation naming the family; cancelling
 * saves nothing; confirming saves it; a later check shows, in the console's list of checks, what the
 * entry hid, with the family. Screenshots at 1280×800 (English) and 800×480 (French).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { writeDnsCapture } from '../report/fixtures.js';
import { ECHAP_IOC, writeFeedsYaml } from './fixtures.js';
import { context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

/** Echap's list names 1topspy.com as a server of HelloSpy (ioc.yaml, "c2: domains"). */
const KNOWN_C2 = '1topspy.com';
const KNOWN_FAMILY = 'HelloSpy';

describe('admin console: allow-list guard rails', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  let page: Page;
  let problems: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-allow-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFeedsYaml(dataDir, [{ name: 'echap-ioc', file: ECHAP_IOC, format: 'echap-yaml' }]);
    srv = await serve({ dataDir });
    browser = await launch();
    const ctx = await context(browser, SIZES.laptop);
    page = await ctx.newPage();
    problems = watch(page);
    await page.goto(`${srv.url}/admin`);
    await page.locator('[data-testid=password]').fill(PASSWORD);
    await page.locator('[data-testid=login]').click();
    await page.locator('nav.tabs').waitFor();
    await page.locator('a[data-section="feeds"]').click();
    await page.locator('[data-testid=update-feeds]').click();
    await page.locator('[data-testid=update-result]').waitFor({ timeout: 120_000 });
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('allowing a known server asks first, naming the family; cancel saves nothing, confirm saves it', async () => {
    await page.locator('a[data-section="allow"]').click();
    await page.locator('[data-testid=allow-value]').fill(KNOWN_C2);
    await page.locator('[data-testid=allow-value]').press('Enter');
    const dialog = page.locator('[data-testid=allow-confirm]');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, new RegExp(KNOWN_FAMILY), text);
    assert.match(text, new RegExp(KNOWN_C2.replace('.', '\\.')), text);
    await shot(page, 'admin-allow-confirm-en-1280x800');
    assert.equal(srv.query('SELECT * FROM allow_list').length, 0, 'nothing saved before confirmation');
    await page.locator('[data-testid=allow-cancel]').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(srv.query('SELECT * FROM allow_list').length, 0);

    await page.locator('[data-testid=allow-value]').press('Enter');
    await dialog.waitFor();
    await page.locator('[data-testid=allow-confirm-yes]').click();
    await page.locator('[data-testid=allow-list]').getByText(KNOWN_C2).waitFor();
    assert.deepEqual(srv.query('SELECT kind, value FROM allow_list'), [{ kind: 'domain', value: KNOWN_C2 }]);
  });

  test('entries allowing everything are refused with a reason', async () => {
    await page.locator('[data-testid=allow-value]').fill('com');
    await page.locator('[data-testid=allow-value]').press('Enter');
    await page.getByText(/whole top-level domain/).waitFor();
    assert.equal(srv.query("SELECT * FROM allow_list WHERE value = 'com'").length, 0);
  });

  test('a check of a phone using that server shows, in the list of checks, what the allow-list hid', async () => {
    const file = join(dir, 'c2.pcap');
    writeDnsCapture(file, [KNOWN_C2]);
    const up = await fetch(`${srv.url}/api/uploads?lang=en`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(file) });
    assert.equal(up.status, 201);
    const { id } = (await up.json()) as { id: string };
    await page.locator('a[data-section="checks"]').click();
    const hidden = page.locator(`tr[data-check="${id}"] [data-testid=hidden-by-allow]`);
    await hidden.waitFor();
    const text = await hidden.innerText();
    assert.match(text, new RegExp(KNOWN_FAMILY), text);
    assert.match(text, new RegExp(CATALOGUES.en['level.high']!), text);
    await shot(page, 'admin-checks-hidden-en-1280x800');

    const small = await context(browser, SIZES.kiosk, 'fr-FR');
    const p2 = await small.newPage();
    await p2.goto(`${srv.url}/admin?lang=fr`);
    await p2.locator('[data-testid=password]').fill(PASSWORD);
    await p2.locator('[data-testid=login]').click();
    await p2.locator('nav.tabs').waitFor();
    await p2.locator('a[data-section="checks"]').click();
    await p2.locator(`tr[data-check="${id}"] [data-testid=hidden-by-allow]`).waitFor();
    await shot(p2, 'admin-checks-hidden-fr-800x480');
    await p2.locator('a[data-section="allow"]').click();
    await p2.locator('[data-testid=allow-value]').fill(`www.${KNOWN_C2}`);
    await p2.locator('[data-testid=allow-value]').press('Enter');
    await p2.locator('[data-testid=allow-confirm]').waitFor();
    await shot(p2, 'admin-allow-confirm-fr-800x480');
    await small.close();
    assert.deepEqual(problems.filter((p) => !/status of 40[09]/.test(p)), []);
  });
});
