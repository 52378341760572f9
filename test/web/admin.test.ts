/**
 * The admin console in a real browser against a real `quietcheck serve`: log in, update the indicator
 * lists from local files, search an indicator, add a list by its https address, allow a host, delete
 * a check and see it gone from the SQLite database, retention; screenshots at 800×480 and 1280×800 in
 * English and German.
 *
 * Adding a list is https only (the server reads no local path for a web request), so the test serves
 * Echap's ioc.yaml from a throw-away https server on 127.0.0.1 whose self-signed certificate the
 * server trusts through NODE_EXTRA_CA_CERTS, as test/indicators/https.test.ts does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { INDICATORS, pcap } from '../helpers/paths.js';
import { ECHAP_IOC, writeFeedsYaml } from './fixtures.js';
import { context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served } from './harness.js';

const en = CATALOGUES.en;

/** Echap's list names 1topspy.com as a server of this family (ioc.yaml, "c2: domains"). */
const KNOWN_C2 = '1topspy.com';
const KNOWN_FAMILY = 'HelloSpy';

/** A self-signed certificate for 127.0.0.1 in `dir`, or false when openssl is missing. */
function makeCert(dir: string): boolean {
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
}

describe('admin console', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];
  let feedServer: HttpsServer | null = null;
  let feedBase: string | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-admin-'));
    if (makeCert(dir)) {
      feedServer = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
        if (req.url === '/echap/ioc.yaml') res.writeHead(200, { 'content-type': 'application/yaml' }).end(readFileSync(ECHAP_IOC));
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => feedServer!.listen(0, '127.0.0.1', r));
      feedBase = `https://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    }
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFeedsYaml(dataDir, [
      { name: 'echap-ioc', file: ECHAP_IOC, format: 'echap-yaml' },
      { name: 'tinycheck-whitelist', file: join(INDICATORS, 'tinycheck', 'whitelist.json'), format: 'tinycheck-whitelist', list: 'allow' },
    ]);
    srv = await serve({ dataDir, ...(feedBase ? { env: { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } } : {}) });
    browser = await launch();
    ctx = await context(browser, SIZES.laptop);
    page = await ctx.newPage();
    problems = watch(page);
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    feedServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The browser's admin session, for calling the API directly (the cookie's path is /api). */
  const adminCookie = async (): Promise<string> => (await ctx.cookies(`${srv.url}/api/`)).map((c) => `${c.name}=${c.value}`).join('; ');

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

  test('a list whose new version is much smaller is refused with both counts, and the admin can accept it', async () => {
    const feedsYaml = join(dir, 'data', 'feeds.yaml');
    const original = readFileSync(feedsYaml, 'utf8');
    const copy = join(dir, 'ioc-copy.yaml');
    const ioc = readFileSync(ECHAP_IOC);
    writeFileSync(copy, ioc);
    writeFileSync(feedsYaml, `${original}  - name: echap-copy\n    url: ${copy}\n    format: echap-yaml\n    refresh: 1s\n`);
    try {
      const result = page.locator('[data-testid=update-result]');
      await page.locator('[data-testid=update-feeds]').click();
      await result.getByText(/echap-copy: updated/).waitFor({ timeout: 120_000 });
      // The copy is cut at 40 kB, on a line end: valid YAML, under half the entries.
      writeFileSync(copy, ioc.subarray(0, ioc.lastIndexOf(0x0a, 40_000) + 1));
      await new Promise((r) => setTimeout(r, 1100));
      await page.locator('[data-testid=update-feeds]').click();
      const accept = page.locator('[data-testid=accept-shrink]');
      await accept.waitFor({ timeout: 120_000 });
      assert.match(await result.innerText(), /echap-copy: .*holds 1273 indicators where the stored set has 2745/);
      assert.equal(await accept.innerText(), 'Use the smaller list anyway (1273 entries instead of 2745)');
      await shot(page, 'admin-feed-shrink-en-1280x800', true);
      await accept.click();
      await result.getByText(/accepted although it shrank/).waitFor({ timeout: 120_000 });
      assert.match(await result.innerText(), /echap-copy: updated, 1273 entries — accepted although it shrank \(it had 2745\)/);
      assert.equal(srv.query<{ n: number }>("SELECT indicator_count AS n FROM feeds WHERE name = 'echap-copy'")[0]!.n, 1273);
    } finally {
      writeFileSync(feedsYaml, original);
    }
  });

  test('indicator search: a known stalkerware server shows its family, list and provenance', async () => {
    await tab('feeds');
    const input = page.locator('[data-testid=search]');
    await input.fill(`www.${KNOWN_C2.toUpperCase()}`);
    await input.press('Enter');
    const results = page.locator('[data-testid=search-results]');
    await results.locator('[data-testid=search-hit]').first().waitFor();
    const text = await results.innerText();
    // A sub-domain, typed in capitals, finds the listed name with its family and the list it comes from.
    assert.match(text, new RegExp(KNOWN_C2.replace('.', '\\.')), text);
    assert.match(text, /echap-ioc/, text);
    assert.match(text, new RegExp(en['ui.feeds.block']!), text);
    const families = await results.locator('[data-testid=search-family]').allInnerTexts();
    assert.ok(families.includes(KNOWN_FAMILY), families.join(' | '));
    await shot(page, 'admin-search-en-1280x800', true);
    // The API behind it: JSON-schema validated, the same answer, and nothing for an unknown name.
    const cookie = await adminCookie();
    const r = await fetch(`${srv.url}/api/admin/indicators/search?q=${KNOWN_C2}`, { headers: { cookie } });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { matches: { value: string; kind: string; family: string | null; feed: string; feedVersion: string | null; source: string; allowed: boolean }[] };
    // Echap lists it twice: as a server the spyware reports to, and as the vendor's web site.
    const hit = body.matches.find((m) => m.value === KNOWN_C2 && m.feed === 'echap-ioc' && m.kind === 'c2-domain');
    assert.ok(hit, JSON.stringify(body));
    assert.equal(hit.family, KNOWN_FAMILY);
    assert.equal(hit.allowed, false);
    assert.ok(hit.feedVersion && hit.source);
    assert.equal((await fetch(`${srv.url}/api/admin/indicators/search?q=${'a'.repeat(513)}`, { headers: { cookie } })).status, 400);
    assert.equal((await fetch(`${srv.url}/api/admin/indicators/search`, { headers: { cookie } })).status, 400);
    assert.equal((await fetch(`${srv.url}/api/admin/indicators/search?q=${KNOWN_C2}`)).status, 401);
    await input.fill('surely-not-listed.example');
    await input.press('Enter');
    await results.getByText(en['ui.admin.feeds.noHits']!).waitFor();
  });

  test('add a list by its https address: Echap\'s ioc.yaml loads, the count shows, and search finds it', async (t) => {
    if (feedBase === null) return t.skip('openssl is not installed');
    await tab('feeds');
    await page.locator('[data-testid=add-feed-url]').fill(`${feedBase}/echap/ioc.yaml`);
    // The test's feed server is on this machine: an address the server refuses unless the list is marked local.
    await page.locator('[data-testid=add-feed-local]').check();
    await page.locator('[data-testid=add-feed-go]').click();
    const result = page.locator('[data-testid=add-feed-result]');
    await result.waitFor({ timeout: 120_000 });
    const text = await result.innerText();
    assert.match(text, /import-ioc: updated, [\d,]+ entries/, text);
    const row = srv.query<{ name: string; url: string; list: string; origin: string; indicator_count: number }>("SELECT name, url, list, origin, indicator_count FROM feeds WHERE name = 'import-ioc'")[0];
    assert.ok(row && row.indicator_count > 1000, JSON.stringify(row));
    assert.equal(row.url, `${feedBase}/echap/ioc.yaml`);
    assert.equal(row.list, 'block');
    assert.match(text, new RegExp(`\\b${row.indicator_count} entries`));
    // The table of lists shows it with the same count, without reloading the page.
    const table = page.locator('[data-testid=feeds]');
    await table.getByText('import-ioc').waitFor();
    assert.match(await table.innerText(), new RegExp(`import-ioc[\\s\\S]*${row.indicator_count.toLocaleString('en-GB')}`));
    await shot(page, 'admin-add-feed-en-1280x800', true);
    // The indicator cache was rebuilt: the new list answers searches at once.
    await page.locator('[data-testid=search]').fill(KNOWN_C2);
    await page.locator('[data-testid=search]').press('Enter');
    await page.locator('[data-testid=search-results]').getByText('import-ioc').first().waitFor();
    // Only https: a local path or plain http is refused before anything is read.
    const cookie = await adminCookie();
    const csrf = (await (await fetch(`${srv.url}/api/admin/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    for (const url of [ECHAP_IOC, `file://${ECHAP_IOC}`, `http://127.0.0.1:${srv.port}/`]) {
      const r = await fetch(`${srv.url}/api/admin/feeds`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
      assert.equal(r.status, 400, url);
    }
    // A failed download says why in the form, and leaves no half-added list behind.
    await page.locator('[data-testid=add-feed-url]').fill(`${feedBase}/missing.yaml`);
    await page.locator('[data-testid=add-feed-go]').click();
    await page.locator('[role=alert]').filter({ hasText: /could not be added/ }).waitFor();
    assert.equal(srv.query("SELECT name FROM feeds WHERE name = 'import-missing'").length, 0);
    // That refusal is the one console error expected here (the browser logs every 4xx answer).
    const expected = problems.filter((p) => /status of 422/.test(p));
    assert.equal(expected.length, 1, problems.join('\n'));
    problems.splice(0, problems.length, ...problems.filter((p) => !expected.includes(p)));
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
    await row.getByRole('link', { name: en['ui.admin.checks.open'] }).click();
    await page.waitForURL(`${srv.url}/admin/checks/${id}`);
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
    // The wrong password typed in the first test is reported to the admin.
    assert.match(await page.locator('[data-testid=wrong-passwords]').innerText(), /^Wrong admin passwords tried since quietcheck started: 1 \(the last: /);
    await loaded(page);
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
    await loaded(p2);
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

/** Every card of the page has its data: no spinner and no "…" placeholder left (a screenshot of loading cards shows nothing). */
async function loaded(p: Page): Promise<void> {
  // A function, not a string: the page's Content-Security-Policy (script-src 'self') refuses a string predicate's eval.
  await p.waitForFunction(
    () => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown; querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document;
      return doc.querySelector('.spinner') === null && ![...doc.querySelectorAll('dd')].some((d) => d.textContent === '…');
    },
    undefined,
    { timeout: 15_000 },
  );
}
