/**
 * The admin console in a real browser against a real `quietcheck serve`: log in, update the indicator
 * lists from local files, search an indicator, allow a host, delete a check and see it gone from the
 * SQLite database, retention; screenshots at 800×480 and 1280×800 in English and German.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/report/i18n/index.js';
import { INDICATORS, pcap } from '../helpers/paths.js';
import { ECHAP_IOC, writeFeedsYaml } from './fixtures.js';
import { context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

const en = CATALOGUES.en;

describe('admin console', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-admin-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFeedsYaml(dataDir, [
      { name: 'echap-ioc', file: ECHAP_IOC, format: 'echap-yaml' },
      { name: 'tinycheck-whitelist', file: join(INDICATORS, 'tinycheck', 'whitelist.json'), format: 'tinycheck-whitelist', list: 'allow' },
    ]);
    srv = await serve({ dataDir });
    browser = await launch();
    ctx = await context(browser, SIZES.laptop);
    page = await ctx.newPage();
    problems = watch(page);
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tab = async (name: string): Promise<void> => {
    await page.locator(`a[data-section="${name}"]`).click();
    await page.waitForURL(`${srv.url}/admin/${name}`);
  };

  test('a wrong password is refused; the right one opens the console', async () => {
    await page.goto(`${srv.url}/admin`);
    await page.locator('[data-testid=password]').fill('not the password');
    await page.locator('[data-testid=login]').click();
    assert.equal(await page.locator('[role=alert]').innerText(), en['ui.error.badPassword']);
    await page.locator('[data-testid=password]').fill(PASSWORD);
    await page.locator('[data-testid=login]').click();
    await page.locator('nav.tabs').waitFor();
    assert.equal(await page.locator('h1').innerText(), en['ui.admin.title']);
    // The session survives a reload (HttpOnly cookie; the CSRF token is asked for again).
    await page.reload();
    await page.locator('nav.tabs').waitFor();
  });

  test('indicator lists: update now from local files shows the outcome and the counts; the database has them', async () => {
    await tab('feeds');
    await page.locator('[data-testid=update-feeds]').click();
    const result = page.locator('[data-testid=update-result]');
    await result.waitFor({ timeout: 120_000 });
    const text = await result.innerText();
    assert.match(text, /echap-ioc: updated, [\d,]+ entries/, text);
    assert.match(text, /tinycheck-whitelist: updated/, text);
    const table = page.locator('[data-testid=feeds]');
    await table.getByText('echap-ioc').waitFor();
    const rows = srv.query<{ name: string; indicator_count: number }>('SELECT name, indicator_count FROM feeds ORDER BY name');
    const echap = rows.find((r) => r.name === 'echap-ioc');
    assert.ok(echap && echap.indicator_count > 1000, JSON.stringify(rows));
    assert.match(await table.innerText(), new RegExp(echap.indicator_count.toLocaleString('en-GB')));
    await shot(page, 'admin-feeds-en-1280x800', true);
  });

  test('indicator search: the family and list of a known stalkerware domain, where the API offers search', async () => {
    const docs = (await (await fetch(`${srv.url}/api/docs`)).json()) as { paths: Record<string, unknown> };
    const searchPath = Object.keys(docs.paths).find((p) => /^\/api\/admin\/(indicators|feeds)\/search$/.test(p));
    await tab('feeds');
    if (!searchPath) {
      // This device's API has no search yet: the console says so rather than offering a dead form.
      const card = page.locator('section', { has: page.getByRole('heading', { name: en['ui.admin.feeds.search'] }) });
      assert.match(await card.innerText(), new RegExp(en['ui.admin.notYet']!.replace('.', '\\.')));
      return;
    }
    await page.locator('[data-testid=search]').fill('1topspy.com');
    await page.locator('[data-testid=search]').press('Enter');
    const results = page.locator('[data-testid=search-results]');
    await results.waitFor();
    assert.match(await results.innerText(), /1topspy\.com/);
  });

  test('allow-list: add and remove a domain', async () => {
    await tab('allow');
    await page.locator('[data-testid=allow-value]').fill('Example.ORG');
    await page.locator('[data-testid=allow-value]').press('Enter');
    const list = page.locator('[data-testid=allow-list]');
    await list.getByText('example.org').waitFor();
    assert.deepEqual(srv.query('SELECT kind, value FROM allow_list'), [{ kind: 'domain', value: 'example.org' }]);
    await list.getByRole('button', { name: /example\.org/ }).click();
    await page.getByText(en['ui.admin.allow.empty']!).waitFor();
    assert.equal(srv.query('SELECT * FROM allow_list').length, 0);
  });

  test('checks: an uploaded check is listed with its result, opens, and "delete" removes it from the database', async () => {
    const body = readFileSync(pcap('tls-browsing-mixed.pcap'));
    const up = await fetch(`${srv.url}/api/uploads?lang=en`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body });
    assert.equal(up.status, 201);
    const { id } = (await up.json()) as { id: string };
    await tab('checks');
    const row = page.locator(`tr[data-check="${id}"]`);
    await row.waitFor();
    await shot(page, 'admin-checks-en-1280x800');
    // "Allow this host" appears on the result's findings for a logged-in admin.
    await row.getByRole('link', { name: en['ui.admin.checks.open'] }).click();
    await page.waitForURL(`${srv.url}/result/${id}`);
    await page.locator('[data-testid=verdict]').waitFor();
    await page.goBack();
    await page.locator(`tr[data-check="${id}"]`).waitFor();
    assert.equal(srv.query('SELECT id FROM checks WHERE id = ?', id).length, 1);
    await page.locator(`tr[data-check="${id}"] [data-testid=delete-check]`).click();
    await page.getByText(en['ui.admin.checks.deleted']!).waitFor();
    await page.locator(`tr[data-check="${id}"]`).waitFor({ state: 'detached' });
    assert.equal(srv.query('SELECT id FROM checks WHERE id = ?', id).length, 0, 'still in the database');
  });

  test('retention and delete all data', async () => {
    await fetch(`${srv.url}/api/uploads`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('dns-tcp-multirequest.pcap')) });
    await tab('checks');
    await page.locator('[data-testid=retention]').fill('7');
    await page.locator('[data-testid=retention]').press('Enter');
    await page.getByText(en['ui.admin.saved']!).waitFor();
    assert.deepEqual(srv.query("SELECT value FROM settings WHERE key = 'retentionDays'"), [{ value: '7' }]);
    assert.equal(await page.locator('[data-testid=delete-all]').isDisabled(), true);
    await page.locator('[data-testid=delete-all-confirm]').fill(en['ui.admin.checks.phrase']!);
    await page.locator('[data-testid=delete-all]').click();
    await page.locator('[data-testid=no-checks]').waitFor();
    assert.equal(srv.query('SELECT id FROM checks').length, 0);
  });

  test('status, settings and the parts this device does not offer yet; screenshots in two languages and sizes', async () => {
    await tab('status');
    await page.getByText(en['ui.admin.status.total']!).waitFor();
    await shot(page, 'admin-status-en-1280x800', true);
    await tab('settings');
    await page.getByText(en['ui.admin.settings.maxUpload']!).waitFor();
    const docs = (await (await fetch(`${srv.url}/api/docs`)).json()) as { paths: Record<string, unknown> };
    if (!Object.keys(docs.paths).some((p) => /^\/api\/(admin\/)?hotspot$/.test(p))) {
      assert.ok((await page.locator('[data-testid=not-available]').count()) >= 1);
    }
    await shot(page, 'admin-settings-en-1280x800', true);
    const small = await context(browser, SIZES.kiosk);
    // The session cookie belongs to the first context: log in again in the small one, in German.
    const p2 = await small.newPage();
    await p2.goto(`${srv.url}/admin?lang=de`);
    await p2.locator('[data-testid=password]').fill(PASSWORD);
    await p2.locator('[data-testid=login]').click();
    await p2.locator('nav.tabs').waitFor();
    assert.equal(await p2.locator('h1').innerText(), CATALOGUES.de['ui.admin.title']);
    await p2.locator('[data-testid=uplink-status], [data-testid=not-available]').first().waitFor();
    await p2.getByText('0.1.0').or(p2.getByText(/^\d+\.\d+\.\d+/)).first().waitFor();
    await shot(p2, 'admin-status-de-800x480');
    await p2.locator('a[data-section="feeds"]').click();
    await p2.locator('[data-testid=feeds]').waitFor();
    await shot(p2, 'admin-feeds-de-800x480');
    await small.close();
  });

  test('change password: every session ends, the new password works', async () => {
    await tab('password');
    const fields = page.locator('input[type=password]');
    await fields.nth(0).fill(PASSWORD);
    await fields.nth(1).fill('an even longer new password');
    await fields.nth(2).fill('an even longer new password');
    await page.getByRole('button', { name: en['ui.admin.pw.change'] }).click();
    await page.getByText(en['ui.admin.pw.changed']!).waitFor();
    await page.locator('[data-testid=password]').fill('an even longer new password');
    await page.locator('[data-testid=login]').click();
    await page.locator('nav.tabs').waitFor();
    await page.locator('[data-testid=logout]').click();
    await page.locator('[data-testid=password]').waitFor();
    assert.deepEqual(problems, []);
  });
});
