/**
 * The README's promise, measured: "Everything stays on the device: no telemetry. quietcheck makes no
 * outbound connection except the feed updates the admin configured."
 *
 *   checker ns: lo (quietcheck serve on 127.0.0.1:8080, its Chromium for PDFs, the kiosk's Chromium)
 *      10.203.7.1/30 ──veth── 10.203.7.2/30  internet ns (answers nothing; tcpdump on its veth end)
 *
 * The checker's default route and its resolver (/etc/netns/<ns>/resolv.conf) both point into the
 * internet namespace, so any connection attempt and any name lookup would cross the veth, where
 * tcpdump records for the whole test. Nothing listens in the internet namespace: TCP gets a reset and
 * UDP a port-unreachable, so nothing waits on a time-out. IPv6 is off in both namespaces.
 *
 * Everything a shelter does short of a feed update happens in the checker: serve starts, the admin
 * logs in, a real capture is uploaded, its report is fetched as HTML, JSON and PDF (serve starts
 * headless Chromium), the check is exported as a ZIP with and without passphrase, a live check runs
 * on lo, the kiosk and admin pages are opened in Chromium started with deploy/kiosk.sh's own flags,
 * `doctor` and `indicators list/search` run. Not one packet may leave. Then, as the control proving
 * the capture would see a leak, the admin starts a feed update towards the internet namespace (one
 * feed by name, one by address): its DNS query and its TCP SYN must be seen.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ip, runIn } from '../helpers/netns.js';
import { kioskFlags, launchKioskInNamespace } from '../helpers/kiosk-chromium.js';
import { pcap, ROOT } from '../helpers/paths.js';
import { IOC_YAML } from '../lab/feeds.js';
import { removeDeadNamespaces, removeNamespace } from '../lab/lab.js';
import { CLI, PASSWORD, removeDir, ServeProcess, sleep, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function why(): string | false {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (ip netns, tcpdump)';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (Debian's chromium package)`;
  for (const t of ['tcpdump', 'ip', 'curl']) if (!has(t)) return `${t} is missing`;
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist', 'web', 'index.html'))) return 'the CLI and web UI are not built (npm run build)';
  return false;
}
const skip = why();

const PID = process.pid;
const NS_PATTERN = /^qno-(\d+)-(chk|inet)$/;
const CHK = `qno-${PID}-chk`;
const INET = `qno-${PID}-inet`;
const VETH_CHK = `qno${PID}c`;
const VETH_INET = `qno${PID}i`;
const CHK_ADDR = '10.203.7.1';
const INET_ADDR = '10.203.7.2';
const PORT = 8080;
const BASE = `http://127.0.0.1:${PORT}`;
const CAPTURE = pcap('tls-browsing-mixed.pcap');
const FEED_HOST = 'feeds.quietcheck-control.test';

/** A packet line of tcpdump -nn sent by the checker (`IP 10.203.7.1.port >` or `IP 10.203.7.1 >`). */
const fromChecker = (line: string): boolean => new RegExp(`\\bIP ${CHK_ADDR.replace(/\./g, '\\.')}(\\.\\d+)? >`).test(line);

interface Curl {
  status: number;
  body: string;
}

describe('no outbound traffic: a whole shelter session leaves nothing on the wire', { skip, timeout: 120_000 }, () => {
  const dir = tempDir('qc-no-outbound-');
  const dataDir = join(dir, 'data');
  const jar = join(dir, 'cookies');
  let tcpdump: ChildProcess | null = null;
  let wire = '';
  let serve: ServeProcess | null = null;
  let csrf = '';
  let checkId = '';
  const cleanup = (): void => {
    tcpdump?.kill('SIGKILL');
    removeNamespace(CHK);
    removeNamespace(INET);
  };

  /** curl inside the checker, as the kiosk machine's own programs call the API; the body goes to `out` when given. */
  const curl = async (method: string, path: string, opts: { json?: object; file?: string; out?: string; admin?: boolean } = {}): Promise<Curl> => {
    const args = ['-sS', '--max-time', '60', '-X', method, '-b', jar, '-c', jar, '-o', opts.out ?? '-', '-w', '\n%{http_code}'];
    if (opts.admin) args.push('-H', `x-csrf-token: ${csrf}`);
    if (opts.json !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(opts.json));
    if (opts.file !== undefined) args.push('-H', 'content-type: application/vnd.tcpdump.pcap', '--data-binary', `@${opts.file}`);
    args.push(`${BASE}${path}`);
    const r = await runIn(CHK, 'curl', args, 70_000);
    if (r.code !== 0) throw new Error(`curl ${method} ${path}: ${r.stderr.trim()}`);
    const i = r.stdout.lastIndexOf('\n');
    return { status: Number(r.stdout.slice(i + 1)), body: r.stdout.slice(0, i) };
  };
  const cli = (args: string[]) => runIn(CHK, process.execPath, [CLI, ...args, '--data-dir', dataDir], 60_000);
  const packetLines = (): string[] => wire.split('\n').filter((l) => /^\d+\.\d+ /.test(l));
  /** When each step began (tcpdump -tt's clock), to tell which step a stray packet belongs to. */
  const steps: { name: string; at: number }[] = [{ name: 'start-up', at: 0 }];
  const step = (name: string): void => void steps.push({ name, at: Date.now() / 1000 });
  const stepOf = (line: string): string => {
    const t = Number(line.split(' ')[0]);
    return steps.filter((s) => s.at <= t).at(-1)!.name;
  };

  before(async () => {
    removeDeadNamespaces(NS_PATTERN);
    process.once('exit', cleanup);
    mkdirSync(dataDir, { mode: 0o700 });
    try {
      for (const ns of [CHK, INET]) {
        ip(['netns', 'add', ns]);
        for (const key of ['all', 'default']) ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
        ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      }
      ip(['link', 'add', VETH_CHK, 'netns', CHK, 'type', 'veth', 'peer', 'name', VETH_INET, 'netns', INET]);
      ip(['-n', CHK, 'addr', 'add', `${CHK_ADDR}/30`, 'dev', VETH_CHK]);
      ip(['-n', INET, 'addr', 'add', `${INET_ADDR}/30`, 'dev', VETH_INET]);
      ip(['-n', CHK, 'link', 'set', VETH_CHK, 'up']);
      ip(['-n', INET, 'link', 'set', VETH_INET, 'up']);
      // Everything that is not loopback goes to the "internet", name lookups included.
      ip(['-n', CHK, 'route', 'add', 'default', 'via', INET_ADDR]);
      ip(['-n', INET, 'route', 'add', 'default', 'via', CHK_ADDR]);
      mkdirSync(join('/etc/netns', CHK), { recursive: true });
      writeFileSync(join('/etc/netns', CHK, 'resolv.conf'), `nameserver ${INET_ADDR}\n`);

      tcpdump = spawn('ip', ['netns', 'exec', INET, 'tcpdump', '-i', VETH_INET, '-nn', '-l', '-tt', 'not arp'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      tcpdump.stdout!.on('data', (d: Buffer) => (wire += d.toString()));
      tcpdump.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      for (let i = 0; !/listening on/.test(err); i++) {
        if (i > 100 || tcpdump.exitCode !== null) throw new Error(`tcpdump did not start: ${err}`);
        await sleep(50);
      }

      const imp = await cli(['indicators', 'import', IOC_YAML]);
      assert.equal(imp.code, 0, imp.stderr);
      serve = new ServeProcess(['--data-dir', dataDir, '--port', String(PORT), '--interface', 'lo', '--admin-password', PASSWORD], { QUIETCHECK_INTERFACE: '', QUIETCHECK_LANG: '' }, ['ip', 'netns', 'exec', CHK]);
      await serve.listening();
    } catch (e) {
      cleanup();
      throw e;
    }
  });

  after(async () => {
    await serve?.stop();
    cleanup();
    process.removeListener('exit', cleanup);
    removeDir(dir);
  });

  test('the admin logs in and a real capture is uploaded', async () => {
    step('login+upload');
    const login = await curl('POST', '/api/admin/login', { json: { password: PASSWORD } });
    assert.equal(login.status, 200, login.body);
    csrf = JSON.parse(login.body).csrfToken;
    assert.ok(csrf);
    assert.equal((await curl('GET', '/api/admin/checks', { admin: true })).status, 200);
    const up = await curl('POST', '/api/uploads?lang=en', { file: CAPTURE });
    assert.equal(up.status, 201, up.body);
    checkId = JSON.parse(up.body).id;
    assert.equal(JSON.parse(up.body).state, 'done');
  });

  test('the report as HTML, JSON and PDF (headless Chromium inside the checker)', async () => {
    step('report html/json/pdf');
    const html = await curl('GET', `/api/checks/${checkId}/report?format=html`);
    assert.equal(html.status, 200);
    assert.match(html.body, /<html/i);
    const json = await curl('GET', `/api/checks/${checkId}/report?format=json`);
    assert.equal(json.status, 200);
    assert.ok(JSON.parse(json.body).verdict);
    const pdfFile = join(dir, 'report.pdf');
    const pdf = await curl('GET', `/api/checks/${checkId}/report?format=pdf&lang=fr`, { out: pdfFile });
    assert.equal(pdf.status, 200, readFileSync(pdfFile, 'utf8').slice(0, 300));
    assert.equal(readFileSync(pdfFile).subarray(0, 4).toString('latin1'), '%PDF');
  });

  test('the check exported as a ZIP, without and with passphrase', async () => {
    step('zip export');
    const plain = join(dir, 'plain.zip');
    const r1 = await curl('GET', `/api/checks/${checkId}/export`, { out: plain });
    assert.equal(r1.status, 200, readFileSync(plain, 'utf8').slice(0, 300));
    assert.equal(readFileSync(plain).subarray(0, 2).toString('latin1'), 'PK');
    const enc = join(dir, 'encrypted.zip');
    const r2 = await curl('POST', `/api/checks/${checkId}/export`, { json: { passphrase: 'correct horse battery staple' }, out: enc });
    assert.equal(r2.status, 200, readFileSync(enc, 'utf8').slice(0, 300));
    assert.equal(readFileSync(enc).subarray(0, 2).toString('latin1'), 'PK');
  });

  test('a live check on lo, started and stopped', async () => {
    step('live check on lo');
    const c = await curl('POST', '/api/checks', { json: { interface: 'lo', lang: 'en' } });
    assert.equal(c.status, 201, c.body);
    const id = JSON.parse(c.body).id;
    await curl('GET', '/api/health');
    await sleep(500);
    const s = await curl('POST', `/api/checks/${id}/stop`);
    assert.equal(s.status, 200, s.body);
    assert.equal(JSON.parse(s.body).state, 'done');
  });

  test("the kiosk and admin pages in Chromium with deploy/kiosk.sh's flags", async (t) => {
    step('kiosk browser');
    const flags = kioskFlags();
    t.diagnostic(`kiosk flags: ${flags.join(' ')}`);
    const browser = await launchKioskInNamespace(CHK, dir, flags);
    try {
      const ctx = await browser.newContext({ viewport: { width: 800, height: 480 } });
      const page = await ctx.newPage();
      await page.goto(`${BASE}/`, { waitUntil: 'networkidle' });
      assert.ok((await page.locator('body').innerText()).trim().length > 0, 'the kiosk page shows something');
      await page.goto(`${BASE}/admin`, { waitUntil: 'networkidle' });
      const pw = page.locator('input[type=password]').first();
      await pw.fill(PASSWORD);
      await pw.press('Enter');
      await page.waitForLoadState('networkidle');
      await page.goto(`${BASE}/`, { waitUntil: 'networkidle' });
      // Chromium's background services start in the first seconds after launch: give them time.
      await sleep(8000);
    } finally {
      await browser.close();
    }
    t.diagnostic(`Chromium ran as: ${readFileSync(join(dir, 'chromium-argv.log'), 'utf8').trim()}`);
  });

  test('doctor and indicators list/search', async () => {
    step('doctor+indicators');
    const doc = await cli(['doctor', '--json']);
    assert.ok(doc.code === 0 || doc.code === 1 || doc.code === 2, doc.stderr);
    JSON.parse(doc.stdout);
    const list = await cli(['indicators', 'list']);
    assert.equal(list.code, 0, list.stderr);
    const search = await cli(['indicators', 'search', 'thetruthspy.com']);
    assert.equal(search.code, 0, search.stderr);
  });

  test('not one packet left the checker namespace', async (t) => {
    await sleep(1000); // what is in flight reaches tcpdump
    const lines = packetLines();
    const leaked = lines.filter(fromChecker);
    if (leaked.length > 0) {
      // Which step sent what: one line per step and destination (names asked for, ports connected to).
      const seen = new Map<string, number>();
      for (const l of leaked) {
        const dst = / > (\S+): (?:\d+\+? )?(?:\S+\? (\S+))?/.exec(l);
        const key = `${stepOf(l)}: ${dst?.[2] ?? dst?.[1] ?? l}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      t.diagnostic(`leaked, by step:\n${[...seen].map(([k, n]) => `${k} ×${n}`).join('\n')}`);
      t.diagnostic(`first packets:\n${leaked.slice(0, 10).join('\n')}`);
    }
    assert.equal(leaked.length, 0, `${leaked.length} packets from the checker (${CHK_ADDR}) on ${VETH_INET}`);
  });

  test('control: the feed update the admin starts IS seen (DNS for a name, TCP for an address)', async (t) => {
    const before = packetLines().length;
    writeFileSync(
      join(dataDir, 'feeds.yaml'),
      [
        'defaults: false',
        'feeds:',
        '  - name: control-by-name',
        `    url: https://${FEED_HOST}/ioc.yaml`,
        '    format: echap-yaml',
        // This test's "Internet" is a namespace on a private network: the feeds are marked local.
        '    local: true',
        '  - name: control-by-address',
        `    url: https://${INET_ADDR}/ioc.yaml`,
        '    format: echap-yaml',
        '    local: true',
        '',
      ].join('\n'),
    );
    const r = await curl('POST', '/api/admin/feeds/update', { admin: true });
    assert.equal(r.status, 200, r.body);
    const out = JSON.parse(r.body) as { feed: string; status: string }[];
    assert.deepEqual(out.filter((o) => o.feed.startsWith('control-')).map((o) => o.status), ['failed', 'failed'], r.body);
    await sleep(1000);
    const seen = packetLines().slice(before).filter(fromChecker);
    t.diagnostic(`control traffic:\n${seen.slice(0, 20).join('\n')}`);
    assert.ok(seen.some((l) => new RegExp(`> ${INET_ADDR.replace(/\./g, '\\.')}\\.53: .*${FEED_HOST.replace(/\./g, '\\.')}`).test(l)), 'the DNS query for the feed host is seen');
    assert.ok(seen.some((l) => new RegExp(`> ${INET_ADDR.replace(/\./g, '\\.')}\\.443: Flags \\[S\\]`).test(l)), 'the TCP SYN to the feed address is seen');
  });
});
