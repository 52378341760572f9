/**
 * The admin console's settings, status and internet connection in a real browser against a real
 * `quietcheck serve`: the kiosk's defaults reach the welcome screen, a detection rule turned
 * off is saved to detection.yaml and back on after "reset", a hotspot setting is saved, the status page
 * shows the disk and the indicator families of Echap's real list, "allow this host" only for a
 * logged-in admin, the kiosk's idle return, and the kiosk's "Internet connection" behind the login.
 * Screenshots of the new sections at 800×480 and 1280×800, in English and French.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES, LANGS } from '../../src/i18n/index.js';
import { pcap } from '../helpers/paths.js';
import { importIndicators } from '../server/helpers.js';
import { ECHAP_IOC, LAB_FAMILY, writeLabFeed } from './fixtures.js';
import { ARTIFACTS, context, launch, PASSWORD, serve, shot, SIZES, SKIP_BROWSER, watch, type Served, showResult } from './harness.js';

const en = CATALOGUES.en;
const fr = CATALOGUES.fr;
/** Waits until the welcome screen's length picker shows `value` minutes (the kiosk settings arrived). */
async function durationShows(p: Page, value: string): Promise<void> {
  const sel = p.locator('[data-testid=duration]');
  const until = Date.now() + 10_000;
  while ((await sel.inputValue()) !== value) {
    assert.ok(Date.now() < until, `the length picker shows ${await sel.inputValue()}, not ${value}`);
    await p.waitForTimeout(100);
  }
}

test('every rule the detection card lists has a title in every language (the card shows the report’s own rule titles)', async () => {
  const { DETECTION_RULES } = await import('../../src/detect/config-file.js');
  assert.ok(DETECTION_RULES.length >= 40);
  for (const lang of LANGS) {
    const cat = CATALOGUES[lang];
    for (const { id } of DETECTION_RULES) {
      // Device rules' titles name the app found, so the card shows their short names instead.
      const shown = cat[`ui.admin.det.rule.${id}`] ?? cat[`finding.${id}.title`] ?? '';
      assert.ok(shown.length > 0 && !shown.includes('{'), `${lang} ${id}`);
    }
  }
});

describe('admin settings, status and internet connection', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  let srv: Served;
  let browser: Browser;
  let dir: string;
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];
  let checkId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-web-settings-'));
    const dataDir = join(dir, 'data');
    await importIndicators(dataDir, [ECHAP_IOC, writeLabFeed(dir)]);
    srv = await serve({ dataDir });
    browser = await launch();
    ctx = await context(browser, SIZES.laptop);
    page = await ctx.newPage();
    problems = watch(page);
    page.on('dialog', (d) => void d.accept());
    // An uploaded check with a finding (the lab list names a server of this real capture).
    const up = await fetch(`${srv.url}/api/uploads?lang=en`, { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(pcap('tls-browsing-mixed.pcap')) });
    assert.equal(up.status, 201);
    checkId = ((await up.json()) as { id: string }).id;
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The browser's admin session, for calling the API directly (the cookie's path is /api). */
  const cookie = async (c: BrowserContext = ctx): Promise<string> => (await c.cookies(`${srv.url}/api/`)).map((x) => `${x.name}=${x.value}`).join('; ');
  const apiGet = async <T>(path: string, c: BrowserContext = ctx): Promise<T> => {
    const r = await fetch(`${srv.url}${path}`, { headers: { cookie: await cookie(c) } });
    assert.equal(r.status, 200, path);
    return (await r.json()) as T;
  };
  const apiPut = async (path: string, body: unknown): Promise<void> => {
    const c = await cookie();
    const { csrfToken } = (await (await fetch(`${srv.url}/api/admin/session`, { headers: { cookie: c } })).json()) as { csrfToken: string };
    const r = await fetch(`${srv.url}${path}`, { method: 'PUT', headers: { cookie: c, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 200, `${path}: ${await r.text()}`);
  };
  const login = async (p: Page): Promise<void> => {
    await p.locator('[data-testid=password]').fill(PASSWORD);
    await p.locator('[data-testid=login]').click();
  };
  const tab = async (p: Page, name: string): Promise<void> => {
    await p.locator(`a[data-section="${name}"]`).click();
    await p.waitForURL(`${srv.url}/admin/${name}`);
  };

  test('log in and open the settings: one card each for checks, kiosk, hotspot, connection and detection', async () => {
    await page.goto(`${srv.url}/admin`);
    await login(page);
    await page.locator('nav.tabs').waitFor();
    await tab(page, 'settings');
    for (const card of ['set-checks', 'set-kiosk', 'hset', 'uplink', 'det']) await page.locator(`[data-card="${card}"]`).waitFor();
    // Every input of the new cards has a name a screen reader reads out.
    await page.locator('[data-testid=detection]').waitFor();
    const unnamed = await page.locator('section.panel input, section.panel select, section.panel textarea').evaluateAll((els) =>
      els.filter((e) => !(e as unknown as { labels: { length: number } | null }).labels?.length && !e.getAttribute('aria-label')).map((e) => e.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unnamed, []);
  });

  test('default capture length and language: saved, and the kiosk welcome screen uses them', async () => {
    await tab(page, 'settings');
    await page.locator('[data-testid=default-minutes]').fill('45');
    await page.locator('[data-testid=default-lang]').selectOption('fr');
    await page.locator('[data-testid=save-checks]').click();
    await page.locator('[data-testid=checks-result]').getByText(en['ui.admin.saved']!).waitFor();
    const k = await (await fetch(`${srv.url}/api/kiosk/settings`)).json() as { defaultDurationMinutes: number; defaultLang: string };
    assert.equal(k.defaultDurationMinutes, 45);
    assert.equal(k.defaultLang, 'fr');
    // A kiosk browser (English locale, no admin session) starts in French with 45 minutes.
    const kiosk = await context(browser, SIZES.kiosk);
    const p = await kiosk.newPage();
    const kp = watch(p);
    await p.goto(`${srv.url}/`);
    await p.locator('h1', { hasText: fr['ui.welcome.title']! }).waitFor();
    assert.equal(await p.locator('html').getAttribute('lang'), 'fr');
    await durationShows(p, '45');
    // A language picked by hand stays picked on the way back to the start screen.
    await p.locator('button[data-lang="de"]').click();
    await p.locator('a[href="/upload"]').click();
    await p.locator('a[href="/"]').last().click();
    await p.locator('h1', { hasText: CATALOGUES.de['ui.welcome.title']! }).waitFor();
    assert.deepEqual(kp, []);
    await kiosk.close();
  });

  test('kiosk options: without file analysis and network choice the welcome screen hides them', async () => {
    await tab(page, 'settings');
    await page.locator('[data-testid=kiosk-upload]').uncheck();
    await page.locator('[data-testid=kiosk-choice]').uncheck();
    // The header's neutral name and where results are read, from the same card.
    await page.locator('[data-testid=kiosk-title]').fill('Front desk');
    await page.locator('[data-testid=kiosk-elsewhere]').check();
    await page.locator('[data-testid=save-kiosk]').click();
    await page.locator('[data-testid=kiosk-result]').getByText(en['ui.admin.saved']!).waitFor();
    const s = await apiGet<{ kioskUpload: boolean; kioskNetworkChoice: boolean; kioskTitle: string; kioskRevealElsewhere: boolean }>('/api/admin/settings');
    assert.equal(s.kioskUpload, false);
    assert.equal(s.kioskNetworkChoice, false);
    assert.equal(s.kioskTitle, 'Front desk');
    assert.equal(s.kioskRevealElsewhere, true);
    // A name of spaces only is refused on the form, with the rule said.
    await page.locator('[data-testid=kiosk-title]').fill('   ');
    await page.locator('[data-testid=save-kiosk]').click();
    await page.locator('[data-testid=kiosk-result]').getByText(en['ui.kiosk2.set.titleRange']!).waitFor();
    await apiPut('/api/admin/settings', { kioskTitle: 'quietcheck', kioskRevealElsewhere: false });
    await page.reload();
    await page.locator('[data-testid=kiosk-title]').waitFor();
    const kiosk = await context(browser, SIZES.kiosk);
    const p = await kiosk.newPage();
    await p.goto(`${srv.url}/?lang=en`);
    await durationShows(p, '45');
    assert.equal(await p.locator('a[href="/upload"]').count(), 0);
    assert.equal(await p.locator('[data-testid=modes]').count(), 0);
    // The address itself says file analysis is off instead of offering it.
    await p.goto(`${srv.url}/upload?lang=en`);
    await p.getByText(en['ui.upload.off']!).waitFor();
    await kiosk.close();
    await apiPut('/api/admin/settings', { kioskUpload: true, kioskNetworkChoice: true });
  });

  test('detection: a rule turned off is saved to detection.yaml, and "reset to defaults" turns it on again', async () => {
    await tab(page, 'settings');
    const rule = page.locator('input[data-rule="PROTO-03"]');
    await rule.waitFor();
    assert.equal(await rule.isChecked(), true);
    // The toggle says what the rule is, in the report's own words.
    assert.match(await page.locator('label.rule', { has: rule }).innerText(), new RegExp(en['finding.PROTO-03.title']!));
    await rule.uncheck();
    await page.locator('[data-testid=det-beaconMinContacts]').fill('6');
    await page.locator('[data-testid=save-detection]').click();
    await page.locator('[data-testid=detection-result]').getByText(en['ui.admin.det.saved']!).waitFor();
    type Det = { overrides: { disabled?: string[]; beaconMinContacts?: number }; effective: { disabled: string[] }; error: string | null };
    let d = await apiGet<Det>('/api/admin/detection');
    assert.deepEqual(d.overrides.disabled, ['PROTO-03']);
    assert.equal(d.overrides.beaconMinContacts, 6);
    assert.deepEqual(Object.keys(d.overrides).sort(), ['beaconMinContacts', 'disabled'], 'only the changes are saved');
    const yaml = readFileSync(join(srv.dataDir, 'detection.yaml'), 'utf8');
    assert.match(yaml, /PROTO-03/);
    assert.match(yaml, /beaconMinContacts: 6/);
    // Still off after a reload.
    await page.reload();
    await page.locator('input[data-rule="PROTO-03"]').waitFor();
    assert.equal(await page.locator('input[data-rule="PROTO-03"]').isChecked(), false);
    assert.equal(await page.locator('[data-testid=det-beaconMinContacts]').inputValue(), '6');
    await shot(page, 'settings-detection-changed-en-1280x800', true);
    await page.locator('[data-testid=reset-detection]').click();
    await page.locator('[data-testid=detection-result]').getByText(en['ui.admin.det.resetDone']!).waitFor();
    assert.equal(await page.locator('input[data-rule="PROTO-03"]').isChecked(), true);
    assert.equal(await page.locator('[data-testid=det-beaconMinContacts]').inputValue(), '5');
    d = await apiGet<Det>('/api/admin/detection');
    assert.deepEqual(d.overrides, {});
    assert.deepEqual(d.effective.disabled, []);
    assert.doesNotMatch(existsSync(join(srv.dataDir, 'detection.yaml')) ? readFileSync(join(srv.dataDir, 'detection.yaml'), 'utf8') : '', /PROTO-03/);
  });

  test('detection: a broken detection.yaml is shown with its reason, and a bad value is refused in words', async () => {
    writeFileSync(join(srv.dataDir, 'detection.yaml'), 'beaconMinContact: 6\n');
    const d = await apiGet<{ error: string | null }>('/api/admin/detection');
    assert.match(d.error ?? '', /beaconMinContact/);
    await tab(page, 'status');
    await tab(page, 'settings');
    const shown = await page.locator('[data-testid=detection-error]').innerText();
    assert.ok(shown.includes(d.error!), shown);
    await page.locator('[data-testid=detection-error]').scrollIntoViewIfNeeded();
    await shot(page, 'settings-detection-broken-en-1280x800');
    writeFileSync(join(srv.dataDir, 'detection.yaml'), '');
    await tab(page, 'status');
    await tab(page, 'settings');
    await page.locator('[data-testid=det-suspectTlds]').waitFor();
    assert.equal(await page.locator('[data-testid=detection-error]').count(), 0);
    await page.locator('details.more > summary').click();
    await page.locator('[data-testid=det-standardTlsPorts]').fill('443\nnot-a-port');
    await page.locator('[data-testid=save-detection]').click();
    await page.locator('[data-testid=detection-result] [role=alert]').waitFor();
    assert.match(await page.locator('[data-testid=detection-result]').innerText(), new RegExp(en['ui.admin.det.set.standardTlsPorts']!));
  });

  test('hotspot: a changed country and channel are saved', async () => {
    await tab(page, 'settings');
    await page.locator('[data-testid=hs-country]').fill('fr');
    await page.locator('[data-testid=hs-channel]').selectOption('11');
    // Where the server keeps a default mode, it is offered with what sinkhole means.
    const sinkhole = page.locator('[data-testid=hs-mode-sinkhole]');
    const hasMode = (await sinkhole.count()) === 1;
    if (hasMode) await sinkhole.check();
    await page.locator('[data-testid=save-hotspot]').click();
    await page.locator('[data-testid=hotspot-result]').getByText(en['ui.admin.hs.saved']!).waitFor();
    const h = await apiGet<{ settings: { country: string; channel: number; mode?: string } }>('/api/admin/hotspot');
    assert.equal(h.settings.country, 'FR');
    assert.equal(h.settings.channel, 11);
    if (hasMode) assert.equal(h.settings.mode, 'sinkhole');
    else assert.ok(await page.getByText(en['ui.admin.hs.mode.sinkholeHelp']!).count() >= 1);
    // A fixed Wi-Fi password too short is refused before it is sent, and the field can be shown.
    await page.locator('[data-testid=hs-pw-fixed]').check();
    await page.locator('[data-testid=hs-pw]').fill('short');
    assert.equal(await page.locator('[data-testid=hs-pw]').getAttribute('type'), 'password');
    await page.locator('[data-testid=hs-pw-show]').click();
    assert.equal(await page.locator('[data-testid=hs-pw]').getAttribute('type'), 'text');
    await page.locator('[data-testid=save-hotspot]').click();
    await page.locator('[data-testid=hotspot-result]').getByText(en['ui.admin.hs.passwordBad']!).waitFor();
    await page.locator('[data-testid=hs-pw-random]').check();
  });

  test('status: disk space and the indicator families with their counts', async () => {
    await tab(page, 'status');
    const status = await apiGet<{ disk: { freeBytes: number; totalBytes: number }; indicators: { total: number; families: { family: string; count: number }[] } }>('/api/admin/status');
    await page.locator('[data-testid=disk-free]').waitFor();
    assert.match(await page.locator('[data-testid=disk-free]').innerText(), /free of/);
    assert.equal(await page.locator('[data-testid=disk-low]').count(), status.disk.freeBytes < 1e9 ? 1 : 0);
    assert.ok(status.indicators.families.length > 8, `${status.indicators.families.length} families`);
    const rows = page.locator('[data-testid=family]');
    assert.equal(await rows.count(), 8);
    const top = [...status.indicators.families].sort((a, b) => b.count - a.count)[0]!;
    assert.match(await rows.first().innerText(), new RegExp(`${top.family}\\s+${top.count.toLocaleString('en-GB')}`));
    await page.locator('[data-testid=families-all]').click();
    assert.equal(await rows.count(), status.indicators.families.length);
    assert.ok(await page.locator('[data-testid=family]', { hasText: LAB_FAMILY }).count() === 1);
    assert.equal(await page.locator('[data-testid=families-all]').getAttribute('aria-expanded'), 'true');
    await page.locator('[data-testid=families-all]').click();
    assert.equal(await rows.count(), 8);
  });

  test('no "allow" button on a kiosk result, for the kiosk user or a logged-in admin: allowing is done in the console, with confirmation', async () => {
    const kiosk = await context(browser, SIZES.kiosk);
    const p = await kiosk.newPage();
    await p.goto(`${srv.url}/result/${checkId}`);
    await showResult(p);
    assert.ok((await p.locator('[data-testid=finding]').count()) > 0, 'the result has findings');
    await p.locator('[data-testid=finding] summary').first().click();
    assert.equal(await p.locator('.finding-admin').count(), 0);
    assert.equal(await p.getByRole('button', { name: /^Allow / }).count(), 0);
    await kiosk.close();
    // The admin's own browser, logged in: still none.
    await page.goto(`${srv.url}/result/${checkId}`);
    await showResult(page);
    await page.waitForLoadState('networkidle');
    await page.locator('[data-testid=finding] summary').first().click();
    assert.equal(await page.locator('.finding-admin').count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Allow / }).count(), 0);
    await page.goto(`${srv.url}/admin`);
    await page.locator('nav.tabs').waitFor();
  });

  test('idle return: a result goes back to the welcome screen after the kiosk idle time, not before', async () => {
    await apiPut('/api/admin/settings', { kioskIdleMinutes: 2 });
    const kiosk = await context(browser, SIZES.kiosk);
    const p = await kiosk.newPage();
    await p.clock.install();
    await p.goto(`${srv.url}/result/${checkId}`);
    await showResult(p);
    await p.clock.fastForward('01:30');
    await p.mouse.move(100, 100);
    await p.clock.fastForward('01:30');
    assert.match(p.url(), /\/result\//, 'input restarts the wait');
    await p.clock.fastForward('00:45');
    await p.waitForURL(`${srv.url}/`);
    await p.locator('[data-testid=start]').waitFor();
    await kiosk.close();
    await apiPut('/api/admin/settings', { kioskIdleMinutes: 0 });
  });

  test('kiosk "Internet connection": asks for the admin login, shows the connection, "Done" logs out again', async () => {
    const docs = (await (await fetch(`${srv.url}/api/docs`)).json()) as { paths: Record<string, unknown> };
    if (!('/api/admin/uplinks/status' in docs.paths)) return;
    const kiosk = await context(browser, SIZES.kiosk);
    const p = await kiosk.newPage();
    const kp = watch(p);
    await p.goto(`${srv.url}/?lang=en`);
    await p.locator('[data-testid=uplink-link]').click();
    await p.waitForURL(`${srv.url}/connection`);
    assert.equal(await p.locator('h1').innerText(), en['ui.admin.uplink']);
    await p.getByText(en['ui.kiosk.uplinkLogin']!).waitFor();
    await shot(p, 'connection-login-en-800x480');
    await login(p);
    await p.locator('[data-testid=uplink]').waitFor();
    await p.locator('[data-testid=uplink-now], [data-testid=uplink] [role=alert]').first().waitFor();
    await shot(p, 'connection-en-800x480');
    await p.locator('[data-testid=uplink-done]').click();
    await p.waitForURL(`${srv.url}/`);
    const r = await fetch(`${srv.url}/api/admin/session`, { headers: { cookie: await cookie(kiosk) } });
    assert.equal(r.status, 401, 'the kiosk is not left logged in');
    assert.deepEqual(kp.filter((x) => !/status of 50[03]/.test(x)), []);
    await kiosk.close();
  });

  test('internet connection: Wi-Fi list with signal and lock, password shown on demand, join result (answers stubbed: no radio here)', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const cat = CATALOGUES[lang];
      const c = await context(browser, SIZES.kiosk);
      await c.addCookies(await ctx.cookies());
      const p = await c.newPage();
      const adapters = [{ iface: 'wlan1', state: 'disconnected', connection: null, isDefault: false }];
      const nets = [
        { ssid: 'Cafe Free', bssid: null, signal: 30, dbm: -80, security: '', channel: 6, inUse: false, device: 'wlan1' },
        { ssid: 'Shelter-Office', bssid: '02:00:00:00:00:01', signal: 82, dbm: -48, security: 'WPA2', channel: 36, inUse: false, device: 'wlan1' },
      ];
      await p.route(/\/api\/admin\/uplinks\?scan=/, (route) =>
        route.fulfill({ json: { defaultRoute: null, ethernet: [], wifiAdapters: adapters, wifiNetworks: route.request().url().endsWith('true') ? nets : [], scanner: 'nmcli', notes: [] } }),
      );
      await p.route(/\/api\/admin\/uplinks\/status$/, (route) => route.fulfill({ json: { defaultRoute: null, online: false, networkManager: true, devices: [] } }));
      let joins = 0;
      await p.route(/\/api\/admin\/uplinks\/wifi$/, (route) => {
        const body = route.request().postDataJSON() as { iface: string; ssid: string; password?: string };
        assert.deepEqual(body, { iface: 'wlan1', ssid: 'Shelter-Office', password: joins === 0 ? 'wrong password' : 'the right one' });
        return joins++ === 0
          ? route.fulfill({ status: 400, json: { error: 'bad-password', message: 'the network refused the password' } })
          : route.fulfill({ json: { iface: 'wlan1', ssid: 'Shelter-Office', state: 'connected' } });
      });
      await p.goto(`${srv.url}/connection?lang=${lang}`);
      await p.locator('[data-testid=uplink-now]').getByText(cat['ui.admin.up.offline']!).waitFor();
      await p.locator('[data-testid=scan]').click();
      const rows = p.locator('[data-testid=network]');
      await rows.first().waitFor();
      // Strongest first; the signal and the lock are words for a screen reader too.
      assert.match(await rows.nth(0).innerText(), /Shelter-Office/);
      assert.match(await rows.nth(0).locator('.sr-only').allInnerTexts().then((x) => x.join(' ')), new RegExp(`${cat['ui.admin.up.signal.strong']!}.*82`));
      assert.equal(await rows.nth(0).locator('.net-lock').count(), 1);
      assert.equal(await rows.nth(1).locator('.net-lock').count(), 0);
      await rows.nth(0).click();
      const pw = p.locator('[data-testid=uplink-pw]');
      await pw.fill('wrong password');
      assert.equal(await pw.getAttribute('type'), 'password');
      await p.locator('[data-testid=join]').click();
      await p.locator('[data-testid=join-result] [role=alert]').getByText(/the network refused the password/).waitFor();
      await pw.fill('the right one');
      await p.locator('[data-testid=uplink-pw-show]').click();
      assert.equal(await pw.getAttribute('type'), 'text');
      assert.equal(await p.locator('[data-testid=uplink-pw-show]').getAttribute('aria-pressed'), 'true');
      await shot(p, `settings-uplink-wifi-${lang}-800x480`, true);
      await p.locator('[data-testid=join]').click();
      await p.locator('[data-testid=join-result]').getByText(/Shelter-Office/).waitFor();
      assert.equal(joins, 2);
      await c.close();
    }
  });

  test('screenshots of the new sections at 800×480 and 1280×800 in English and French', async () => {
    for (const lang of ['en', 'fr'] as const) {
      for (const [, size] of Object.entries(SIZES)) {
        const c = await context(browser, size);
        // The admin's session (logging in again each time would meet the login rate limit).
        await c.addCookies(await ctx.cookies());
        const p = await c.newPage();
        const pp = watch(p);
        await p.goto(`${srv.url}/admin/status?lang=${lang}`);
        await p.locator('[data-testid=families]').waitFor();
        const tag = `${lang}-${size.width}x${size.height}`;
        await shot(p, `settings-status-${tag}`, true);
        await p.locator('a[data-section="settings"]').click();
        await p.locator('[data-testid=detection]').waitFor();
        await p.locator('[data-testid=hotspot-settings]').waitFor();
        await shot(p, `settings-admin-${tag}`, true);
        if (size.width === SIZES.kiosk.width) await shot(p, `settings-admin-top-${tag}`);
        // Each card on its own, for a closer look at its layout.
        for (const card of ['set-checks', 'set-kiosk', 'hset', 'uplink', 'det']) {
          await p.locator(`[data-card="${card}"]`).screenshot({ path: join(ARTIFACTS, `web-settings-card-${card}-${tag}.png`) });
        }
        await p.goto(`${srv.url}/?lang=${lang}`);
        await p.locator('[data-testid=start]').waitFor();
        await p.locator('[data-testid=uplink-link]').waitFor();
        const box = await p.locator('[data-testid=start]').boundingBox();
        assert.ok(box && box.y + box.height <= size.height, `${tag}: the start button is below the fold`);
        await shot(p, `settings-welcome-${tag}`);
        assert.deepEqual(pp.filter((x) => !/status of 50[03]/.test(x)), []);
        await c.close();
      }
    }
    assert.deepEqual(problems, []);
  });
});
