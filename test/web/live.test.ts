/**
 * A live check in a real browser, through quietcheck's own Wi-Fi, on the hotspot rig of
 * test/hotspot (network namespaces; no radio here):
 *
 *   phone ns ──veth── checker ns: `quietcheck serve` + its hotspot (dnsmasq, nftables) + Chromium ──veth── internet ns (lab)
 *
 * `quietcheck serve` runs in the rig's checker namespace and Chromium is started inside it too (an
 * `ip netns exec` wrapper), so the page talks to quietcheck on 127.0.0.1 as the kiosk's own screen does.
 * The hotspot's backend is hostapd with a stand-in `hostapd` on quietcheck's PATH (it only says
 * AP-ENABLED and keeps a copy of the configuration it was given): everything else is real — quietcheck's
 * dnsmasq gives the phone namespace its address by DHCP (busybox udhcpc, with a hostname), its nftables
 * table NATs the phone to the lab's internet, tcpdump captures, and the lab's servers answer a real C2
 * name from Echap's list.
 *
 * The browser walks the kiosk: Welcome → "Quietcheck's own Wi-Fi" → Connect (network name, password, QR)
 * → the phone joins and the screen moves on by itself, naming it → counters and sparkline rise while the
 * phone talks → Stop → Analysing → Result (High, naming the family); then the same with a clean phone.
 * Screenshots of steps 2, 3 and 5 at 800×480 and 1280×800 go to artifacts/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CATALOGUES } from '../../src/i18n/index.js';
import { Rig } from '../hotspot/rig.js';
import { Feeds, IOC_YAML } from '../lab/feeds.js';
import { Lab, labUnavailable } from '../lab/lab.js';
import { importIndicators, PASSWORD, removeDir, ServeProcess, sleep, tempDir } from '../server/helpers.js';
import { context, launchInNamespace, shot, SIZES, SKIP_BROWSER, watch, showResult } from './harness.js';

function unavailable(): string | false {
  if (SKIP_BROWSER) return SKIP_BROWSER;
  // Root, ip netns, dnsmasq, tcpdump, openssl, curl, getent.
  const lab = labUnavailable();
  if (lab) return lab;
  for (const [tool, pkg] of [['busybox', 'busybox'], ['nft', 'nftables']] as const) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `the live browser test needs ${tool} (apt-get install ${pkg})`;
  }
  if (!existsSync(IOC_YAML)) return `${IOC_YAML} is missing (the shared indicator data)`;
  return false;
}

const skip = unavailable();
const PORT = 8080;
const URL = `http://127.0.0.1:${PORT}`;
const CLEAN = 'news.example.net';
const T0 = Date.now();
/** QC_WEB_DEBUG=1: where the time goes. */
function mark(what: string): void {
  if (process.env['QC_WEB_DEBUG']) process.stderr.write(`[${((Date.now() - T0) / 1000).toFixed(1)} s] ${what}\n`);
}

type Lang = 'en' | 'fr';

/** The words of `key` in `lang`, as the screen shows them. */
function words(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const s = CATALOGUES[lang][key];
  assert.ok(s !== undefined, `no ${lang} text for ${key}`);
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? `{{${k}}}`));
}

/** "12.3 KB" / "12,3 Ko" as the counter shows it, in bytes. */
function shownBytes(lang: Lang, text: string): number {
  const parts = new Intl.NumberFormat(lang).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  for (const [key, unit] of [['size.GB', 1e9], ['size.MB', 1e6], ['size.KB', 1e3], ['size.B', 1]] as const) {
    const [pre, post] = words(lang, key).split('{{n}}') as [string, string];
    const shown = text.trim();
    if (!shown.startsWith(pre) || !shown.endsWith(post)) continue;
    const n = Number(shown.slice(pre.length, shown.length - post.length).split(group).join('').replace(/\s/g, '').replace(decimal, '.'));
    if (Number.isFinite(n)) return n * unit;
  }
  assert.fail(`not a byte count in ${lang}: ${text}`);
}

/** "1:05" as the clock shows it, in seconds. */
function shownSeconds(text: string): number {
  return text.trim().split(':').reduce((a, p) => a * 60 + Number(p), 0);
}

/** A stand-in for hostapd (no radio here): keeps a copy of its configuration, says the AP is up, waits to be stopped. */
function standInHostapd(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const confs = join(dir, 'hostapd-confs');
  mkdirSync(confs, { recursive: true });
  const script = join(bin, 'hostapd');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      '# Test stand-in: there is no Wi-Fi radio on the test machine.',
      'test -r "$1" || { echo "hostapd stand-in: cannot read $1" >&2; exit 1; }',
      `cp "$1" "${confs}/$(date +%s%N).conf"`,
      'echo "$(sed -n "s/^interface=//p" "$1"): AP-ENABLED"',
      'exec sleep 3600',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return bin;
}

/** The page's document, in functions that run in the browser (the test is compiled without the DOM types). */
type Doc = { querySelector(s: string): { textContent: string | null } | null };

/** Headings the page showed, in order (recorded in the page, so that a screen shown for a moment is not missed). */
const RECORD_HEADINGS = `
  window.__qcHeadings = [];
  new MutationObserver(() => {
    const h = document.querySelector('h1');
    const text = h ? h.textContent.trim() : '';
    const seen = window.__qcHeadings;
    if (text !== '' && seen[seen.length - 1] !== text) seen.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

describe('kiosk: a live check through quietcheck’s Wi-Fi, in a browser, with a phone in a network namespace', { skip, timeout: 150_000 }, () => {
  let lab: Lab | null = null;
  let rig: Rig | null = null;
  let serve: ServeProcess | null = null;
  let browser: Browser | null = null;
  let work = '';
  let confs = '';
  let c2 = { family: '', domain: '' };

  before(async () => {
    work = tempDir('qc-web-live-');
    const feeds = new Feeds();
    const [pick] = feeds.pickFamilies(1, 1);
    c2 = { family: pick!.family, domain: pick!.domains[0]! };
    lab = await Lab.start({
      hosts: [
        { names: [c2.domain], services: [{ port: 443, proto: 'https' }, { port: 80, proto: 'http' }] },
        { names: [CLEAN], services: [{ port: 443, proto: 'https' }] },
      ],
    });
    mark('lab');
    rig = Rig.build(lab, work);
    const dataDir = join(work, 'data');
    await importIndicators(dataDir, [IOC_YAML]);
    const bin = standInHostapd(work);
    confs = join(work, 'hostapd-confs');
    serve = new ServeProcess(
      ['--data-dir', dataDir, '--port', String(PORT), '--admin-password', PASSWORD],
      { PATH: `${bin}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`, QUIETCHECK_INTERFACE: '', QUIETCHECK_LANG: '' },
      ['ip', 'netns', 'exec', rig.ns],
    );
    await serve.listening();
    mark('serve listening');
    await rig.login(PORT, PASSWORD);
    const put = await rig.api(PORT, 'PUT', '/api/admin/hotspot', { iface: rig.hotspotIface, backend: 'hostapd' });
    assert.equal(put.status, 200, put.body);
    browser = await launchInNamespace(rig.ns, work);
    mark('browser');
  });

  after(async () => {
    try {
      mark('after');
      await browser?.close().catch(() => undefined);
      mark('browser closed');
      await serve?.stop();
      mark('serve stopped');
      if (serve !== null && process.env['QC_WEB_DEBUG']) process.stderr.write(serve.output);
    } finally {
      // The checker namespace takes quietcheck's nftables table, its dnsmasq and Chromium with it.
      rig?.destroy();
      await lab?.stop();
      if (work !== '') removeDir(work);
      mark('all removed');
    }
  });

  /** Screenshots at both sizes, back at the kiosk's size afterwards. */
  async function shots(page: Page, name: string): Promise<void> {
    await shot(page, `live-${name}-800x480`);
    await page.setViewportSize(SIZES.laptop);
    await shot(page, `live-${name}-1280x800`);
    await page.setViewportSize(SIZES.kiosk);
  }

  async function hotspotStatus(): Promise<any> {
    return (await rig!.api(PORT, 'GET', '/api/hotspot')).json();
  }

  /**
   * Welcome → quietcheck's Wi-Fi → Connect → the phone joins as `phoneName` → it talks (`traffic`) →
   * Stop → Analysing → Result. Resolves to the check's id and the page (on the result).
   */
  async function liveCheck(page: Page, lang: Lang, label: string, phoneName: string, traffic: () => Promise<void>): Promise<string> {
    const say = (key: string, vars: Record<string, string | number> = {}): string => words(lang, key, vars);
    page.setDefaultTimeout(15_000);
    await page.addInitScript(RECORD_HEADINGS);

    // 1. Welcome: how the phone connects, then the one big button.
    await page.goto(`${URL}/?lang=${lang}`);
    await page.getByRole('radio', { name: say('ui.welcome.mode.hotspot') }).check();
    await page.getByRole('button', { name: say('ui.welcome.start') }).click();

    // 2. Connect: the network's name, its password and the QR code, as the radio is told to announce them.
    await page.getByRole('heading', { level: 1, name: say('ui.connect.title') }).waitFor();
    await page.getByRole('list', { name: say('ui.step.label', { step: 2, total: 5 }) }).waitFor();
    const ssid = page.getByTestId('ssid');
    await ssid.waitFor();
    const hs = await hotspotStatus();
    assert.equal(hs.state, 'on');
    assert.equal(hs.backend, 'hostapd');
    assert.equal(hs.mode, 'hotspot');
    assert.equal(await ssid.innerText(), hs.ssid);
    assert.equal(await page.getByTestId('wifi-password').innerText(), hs.password);
    const qr = page.getByRole('img', { name: say('ui.connect.qr') });
    await qr.waitFor();
    assert.ok((await qr.locator('svg path').count()) > 0, 'the QR code is drawn');
    assert.ok(await page.getByText(say('ui.connect.waiting')).isVisible(), 'the screen says it waits for the phone');
    // On the own Wi-Fi, the phone's mobile data must be off, or its apps can go round the check.
    assert.equal((await page.getByTestId('mobile-data').innerText()).trim(), say('ui.kiosk2.connect.mobileData'));
    const conf = readdirSync(confs).sort().map((f) => readFileSync(join(confs, f), 'utf8')).pop() ?? '';
    assert.match(conf, new RegExp(`^ssid=${hs.ssid}$`, 'm'), 'the name shown is the one hostapd announces');
    assert.match(conf, new RegExp(`^wpa_passphrase=${hs.password}$`, 'm'), 'the password shown is hostapd’s');
    assert.match(conf, new RegExp(`^interface=${rig!.hotspotIface}$`, 'm'));
    // Cancel is on the 800×480 screen without scrolling, under the name, password and QR code.
    const cancel = await page.getByRole('button', { name: say('ui.cancel') }).boundingBox();
    assert.ok(cancel && cancel.y + cancel.height <= SIZES.kiosk.height, `Cancel is below the fold at 800×480 (${JSON.stringify(cancel)})`);
    await shots(page, `${label}-2-connect`);

    // The phone joins: a DHCP lease from quietcheck's dnsmasq, asked with its name.
    mark(`${label}: connect screen`);
    const lease = await rig!.dhcp(phoneName);
    mark(`${label}: lease`);
    assert.match(lease.ip, /^10\.77\.0\.\d+$/);

    // 3. The screen moves on by itself and says which phone it sees.
    await page.getByRole('heading', { level: 1, name: say('ui.use.title') }).waitFor({ timeout: 10_000 });
    await page.getByRole('list', { name: say('ui.step.label', { step: 3, total: 5 }) }).waitFor();
    const found = page.getByText(say('ui.connect.found'));
    await found.waitFor();
    const device = page.getByTestId('device');
    await page.waitForFunction((name) => ((globalThis as unknown as { document: Doc }).document.querySelector('[data-testid=device]')?.textContent ?? '').includes(name), phoneName, { timeout: 10_000 });
    const deviceText = await device.innerText();
    assert.ok(deviceText.includes(phoneName), `the screen names the phone: "${deviceText}"`);

    const bytes = page.getByTestId('bytes');
    const servers = page.getByTestId('servers');
    const elapsed = page.getByTestId('elapsed');
    const bytes0 = shownBytes(lang, await bytes.innerText());
    const t0 = shownSeconds(await elapsed.innerText());

    mark(`${label}: use screen`);
    await traffic();
    mark(`${label}: traffic`);

    // The counters rise on the screen, the clock runs, the sparkline draws the traffic.
    const end = Date.now() + 10_000;
    while (shownBytes(lang, await bytes.innerText()) <= bytes0 + 10_000) {
      assert.ok(Date.now() < end, `the data counter did not rise: ${await bytes.innerText()}`);
      await sleep(100);
    }
    assert.ok(Number(await servers.innerText()) >= 2, `servers contacted: ${await servers.innerText()}`);
    assert.ok(shownSeconds(await elapsed.innerText()) > t0, 'the clock runs');
    const spark = page.getByRole('img', { name: say('ui.use.sparkline') });
    assert.ok((await spark.locator('polyline').count()) > 0, 'the sparkline draws the traffic (not the flat empty line)');
    assert.ok(await page.getByText(say('ui.use.data')).isVisible());
    assert.ok(await page.getByText(say('ui.use.servers')).isVisible());
    // The Stop button is on the 800×480 screen without scrolling.
    const stop = page.getByRole('button', { name: say('ui.use.stop') });
    const box = await stop.boundingBox();
    assert.ok(box && box.y + box.height <= SIZES.kiosk.height, `Stop is below the fold at 800×480 (${JSON.stringify(box)})`);
    await shots(page, `${label}-3-use`);

    // 4 → 5. Stop; the page analyses and shows the result by itself.
    await stop.click();
    mark(`${label}: stop`);
    await page.waitForURL(/\/result\/[0-9a-f]{32}$/, { timeout: 30_000 });
    await showResult(page);
    const verdict = page.getByTestId('verdict');
    await page.getByRole('list', { name: say('ui.step.label', { step: 5, total: 5 }) }).waitFor();
    const headings = (await page.evaluate('window.__qcHeadings')) as string[];
    const order = ['ui.connect.title', 'ui.use.title', 'ui.analyse.title'].map((k) => headings.indexOf(say(k)));
    assert.ok(order.every((i) => i >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, `the screens in order: ${headings.join(' → ')}`);
    mark(`${label}: result`);
    return page.url().split('/').pop()!;
  }

  /** A test that failed half-way leaves its check running (and the hotspot busy): stopped before the next one. */
  async function stopRunningChecks(): Promise<void> {
    const list = await rig!.api(PORT, 'GET', '/api/admin/checks').catch(() => null);
    if (list === null || list.status !== 200) return;
    for (const c of list.json() as { id: string; state: string }[]) {
      if (['created', 'waiting-for-device', 'capturing'].includes(c.state)) await rig!.api(PORT, 'POST', `/api/checks/${c.id}/stop`).catch(() => undefined);
    }
  }

  /** Runs a test's steps on a fresh kiosk-sized page; a failure leaves a screenshot of what the screen showed. */
  async function onPage(label: string, fn: (page: Page) => Promise<void>): Promise<void> {
    const ctx = await context(browser!, SIZES.kiosk);
    try {
      const page = await ctx.newPage();
      const problems = watch(page);
      try {
        await fn(page);
      } catch (err) {
        await shot(page, `live-${label}-FAILED`, true).catch(() => undefined);
        throw err;
      }
      assert.deepEqual(problems, []);
    } finally {
      await ctx.close();
    }
  }

  async function assertHotspotGone(): Promise<void> {
    const hs = await hotspotStatus();
    assert.equal(hs.state, 'off', 'the hotspot stops with the check');
    assert.doesNotMatch(await rig!.tables(), /quietcheck/, 'quietcheck’s nftables table is removed');
  }

  test('an infected phone: the screens follow the check to a High result naming the family', async (t) => {
    t.after(stopRunningChecks);
    const phone = lab!.phone;
    await onPage('infected', async (page) => {
      const id = await liveCheck(page, 'en', 'infected', 'Pixel-7a', async () => {
        // What the spyware does: look its server up, check in over HTTPS, post what it collected, call the gate over HTTP.
        assert.deepEqual(await phone.resolve(c2.domain), [lab!.host(c2.domain).address]);
        assert.equal(await phone.curl(`https://${c2.domain}/api/v2/sync?device=7f3a`), 200);
        await sleep(1100);
        assert.equal(await phone.upload(`https://${c2.domain}/api/v2/upload`, 60_000), 200);
        await sleep(1100);
        assert.equal(await phone.curl(`http://${c2.domain}/gate.php?id=7f3a`), 200);
      });
      const verdict = page.getByTestId('verdict');
      assert.equal(await verdict.getAttribute('data-level'), 'high');
      const text = await verdict.innerText();
      assert.ok(text.includes(words('en', 'verdict.high.headline')), text);
      assert.ok(text.includes(c2.family), `the verdict names ${c2.family}: ${text}`);
      assert.ok((await page.getByTestId('finding').first().innerText()).includes(c2.domain), 'the first finding names the C2 server');
      await shots(page, 'infected-5-result');
      if (process.env['QC_WEB_DEBUG']) {
        const rep = (await rig!.api(PORT, 'GET', `/api/checks/${id}/report?format=json`)).json();
        process.stderr.write(`connections: ${JSON.stringify(rep.facts.connections.map((c: any) => [c.proto, c.src, c.dst, c.dport]))}\n`);
      }
      const check = (await rig!.api(PORT, 'GET', `/api/checks/${id}`)).json();
      assert.equal(check.mode, 'hotspot');
      assert.equal(check.deviceName, 'Pixel-7a');
      assert.equal(check.device, rig!.phoneMac);
      await assertHotspotGone();
    });
  });

  test('a clean phone, in French: the same screens, and no High result', async (t) => {
    t.after(stopRunningChecks);
    const phone = lab!.phone;
    await onPage('clean', async (page) => {
      await liveCheck(page, 'fr', 'clean-fr', 'Galaxy-A54', async () => {
        assert.deepEqual(await phone.resolve(CLEAN), [lab!.host(CLEAN).address]);
        assert.equal(await phone.curl(`https://${CLEAN}/`), 200);
        await sleep(1100);
        assert.equal(await phone.upload(`https://${CLEAN}/comments`, 60_000), 200);
      });
      const verdict = page.getByTestId('verdict');
      const level = await verdict.getAttribute('data-level');
      // A few seconds of traffic: too little to say (inconclusive) unless something was seen.
      assert.ok(level === 'none' || level === 'low' || level === 'inconclusive', `a clean phone got ${level}: ${await verdict.innerText()}`);
      assert.ok(!(await verdict.innerText()).includes(words('fr', 'verdict.high.headline')));
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
      assert.ok(!(await page.locator('main').innerText()).includes(c2.family));
      await shots(page, 'clean-fr-5-result');
      await assertHotspotGone();
    });
  });
});
