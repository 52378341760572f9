/**
 * End to end in network namespaces (issue 5): phone → checker → internet, dnsmasq answering real C2
 * names from Echap's ioc.yaml with lab addresses, `quietcheck serve` in the checker capturing the
 * phone-side veth, everything driven through the HTTP API. An infected phone gets High naming the
 * family; a clean phone does not; a server killed with SIGKILL mid-capture finalises the check from
 * its pcap at the next start. Namespaces and processes go away even when a step fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Feeds, IOC_YAML } from '../lab/feeds.js';
import { Lab, labUnavailable } from '../lab/lab.js';
import { Checker, PHONE_ADDR } from './checker-ns.js';
import { importIndicators, removeDir, ServeProcess, sleep, tempDir } from './helpers.js';

const skip = labUnavailable();
const feeds = new Feeds();
const [fam, famKill] = feeds.pickFamilies(2, 2);
const CLEAN = ['www.example.test', 'news.example.test'];
const PORT = 8080;
const web = [{ port: 443, proto: 'https' as const }, { port: 80, proto: 'http' as const }];

describe('quietcheck serve in a checker namespace between phone and internet', { skip }, () => {
  let lab: Lab | null = null;
  let checker: Checker | null = null;
  let serve: ServeProcess | null = null;
  const dataDir = tempDir('qc-serve-ns-');

  const startServe = async (): Promise<void> => {
    serve = new ServeProcess(['--data-dir', dataDir, '--port', String(PORT), '--interface', checker!.phoneIface, '--admin-password', 'a long test password'], {}, ['ip', 'netns', 'exec', checker!.ns]);
    await serve.listening();
  };
  const api = (method: string, path: string, body?: object) => checker!.api(PORT, method, path, body);
  const status = async (id: string): Promise<any> => (await api('GET', `/api/checks/${id}`)).json();

  /** Starts a check on the phone's traffic and waits until tcpdump listens. */
  const create = async (): Promise<string> => {
    const r = await api('POST', '/api/checks', { device: PHONE_ADDR, lang: 'en' });
    assert.equal(r.status, 201, r.body);
    const c = r.json();
    assert.equal(c.state, 'waiting-for-device');
    assert.equal(c.interface, checker!.phoneIface);
    return c.id;
  };

  const infected = async (f: { domains: string[] }): Promise<void> => {
    const phone = lab!.phone;
    assert.equal(await phone.curl(`https://${f.domains[0]}/api/v2/sync?device=7f3a`), 200);
    assert.equal(await phone.curl(`http://${f.domains[1]}/gate.php?id=7f3a`, ['-A', 'Dalvik/2.1.0 (Linux; U; Android 12)']), 200);
    await phone.tls(f.domains[0]!, 443);
  };

  before(async () => {
    assert.ok(fam && famKill, 'ioc.yaml has two families with two C2 names each');
    await importIndicators(dataDir, [IOC_YAML]);
    lab = await Lab.start({
      hosts: [...[...fam.domains, ...famKill.domains].map((d) => ({ names: [d], services: web })), ...CLEAN.map((d) => ({ names: [d], services: web }))],
    });
    checker = Checker.build(lab);
    // The route through the checker works before anything depends on it.
    assert.deepEqual(await lab.phone.resolve(CLEAN[0]!), [lab.host(CLEAN[0]!).address], `dnsmasq answers through the checker:\n${lab.dnsLog()}`);
    await startServe();
  });

  after(async () => {
    await serve?.stop();
    checker?.destroy();
    await lab?.stop();
    removeDir(dataDir);
  });

  test(`an infected phone (${fam?.family}): the report names the family at High`, async () => {
    const id = await create();
    await infected(fam!);
    await sleep(300);
    const live = await status(id);
    assert.equal(live.state, 'capturing');
    assert.ok(live.live.packets > 10 && live.live.servers >= 2, JSON.stringify(live.live));
    assert.equal(live.live.deviceAddress, PHONE_ADDR);
    const stopped = await api('POST', `/api/checks/${id}/stop`);
    assert.equal(stopped.status, 200, stopped.body);
    assert.equal(stopped.json().state, 'done');
    const rep = (await api('GET', `/api/checks/${id}/report?format=json`)).json();
    assert.equal(rep.verdict.level, 'high', rep.verdict.summary);
    assert.ok(rep.verdict.families.includes(fam!.family), `${fam!.family} in ${JSON.stringify(rep.verdict.families)}`);
    assert.ok(rep.findings.some((f: any) => f.family === fam!.family && f.level === 'high'));
    const html = await api('GET', `/api/checks/${id}/report?format=html&lang=fr`);
    assert.equal(html.status, 200);
    assert.ok(html.body.includes(fam!.family), 'the HTML report names the family');
  });

  test('a clean phone: no High', async () => {
    const id = await create();
    const phone = lab!.phone;
    for (const n of CLEAN) {
      assert.equal(await phone.curl(`https://${n}/`), 200);
      assert.equal(await phone.curl(`http://${n}/index.html`), 200);
    }
    await sleep(300);
    const stopped = (await api('POST', `/api/checks/${id}/stop`)).json();
    assert.equal(stopped.state, 'done');
    assert.ok(stopped.packets > 10);
    const rep = (await api('GET', `/api/checks/${id}/report?format=json`)).json();
    assert.notEqual(rep.verdict.level, 'high');
    assert.deepEqual(rep.verdict.families, []);
    assert.ok(rep.facts.tls.some((t: any) => t.sni === CLEAN[0]), 'the clean traffic was captured');
  });

  test(`SIGKILL during a capture (${famKill?.family}): the restarted server finalises the check from disk`, async () => {
    const id = await create();
    await infected(famKill!);
    await sleep(300);
    const before = await status(id);
    assert.ok(before.live.packets > 10);
    serve!.kill('SIGKILL');
    await serve!.exited;
    // After the kill nothing captures: this must not be in the report.
    await lab!.phone.curl(`https://${CLEAN[1]}/after-the-kill`);

    await startServe();
    // Finished in the background once serve listens.
    let st = await status(id);
    for (let i = 0; i < 300 && st.state !== 'done'; i++) {
      await sleep(100);
      st = await status(id);
    }
    assert.equal(st.state, 'done');
    assert.match(serve!.output, /finalised 1 check/);
    assert.equal(st.recovered, true);
    assert.ok(st.packets >= before.live.packets, `${st.packets} packets on disk, ${before.live.packets} counted before the kill`);
    const rep = (await api('GET', `/api/checks/${id}/report?format=json`)).json();
    assert.equal(rep.verdict.level, 'high');
    assert.ok(rep.verdict.families.includes(famKill!.family));
    assert.ok(!rep.facts.tls.some((t: any) => t.sni === CLEAN[1]), 'traffic after the kill is not in the check');
  });
});
