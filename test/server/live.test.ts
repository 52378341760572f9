/**
 * Live checks with tcpdump on the loopback interface, on traffic these tests make themselves between
 * 127.0.0.x addresses (the device filter keeps the API's own 127.0.0.1 traffic out). Needs root (or
 * a tcpdump allowed to capture).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Feeds, IOC_YAML } from '../lab/feeds.js';
import { api, importIndicators, login, readEvents, removeDir, ServeProcess, startTestServer, tempDir, waitFor, type SseEvent, type TestServer } from './helpers.js';

/** A /24 of the loopback range of this run's own: two runs on one machine never see each other's device. */
const NET = `127.${10 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 250)}`;

function liveUnavailable(): string | false {
  if (process.platform !== 'linux') return 'live capture tests need Linux';
  if (spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0) return 'tcpdump is not installed';
  const probe = spawnSync('tcpdump', ['-i', 'lo', '-c', '1', '-w', '/dev/null', '--immediate-mode', 'udp port 9'], { timeout: 1500, encoding: 'utf8' });
  if (/permission|not permitted/i.test(probe.stderr ?? '')) return 'tcpdump may not capture here (needs root or CAP_NET_RAW)';
  return false;
}

const skip = liveUnavailable();
const feeds = new Feeds();
const C2 = feeds.pickFamilies(1, 1)[0]!;

/** A DNS query for `name` (A record), as a phone's resolver sends it. */
function dnsQuery(name: string, id: number): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

async function sendDns(from: string, to: string, name: string, count: number): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((res) => sock.bind({ address: from, port: 0 }, res));
  for (let i = 0; i < count; i++) await new Promise<void>((res, rej) => sock.send(dnsQuery(name, 0x4000 + i), 53, to, (e) => (e ? rej(e) : res())));
  sock.close();
}

async function tcpExchange(from: string, server: Server, bytes: number): Promise<void> {
  const addr = server.address() as { address: string; port: number };
  await new Promise<void>((res, rej) => {
    const s = connect({ host: addr.address, port: addr.port, localAddress: from }, () => s.end(Buffer.alloc(bytes, 0x61)));
    s.on('error', rej);
    s.on('close', () => res());
    s.resume();
  });
}

describe('live checks on lo', { skip }, () => {
  let srv: TestServer;
  let sink: Server;
  // Absorbs the DNS queries: without a listener each would bring an ICMP "port unreachable" back.
  let dnsSink: Socket;

  before(async () => {
    const dir = tempDir();
    await importIndicators(dir, [IOC_YAML]);
    srv = await startTestServer({ dataDir: dir, loginMaxPerMinute: 100 });
    sink = createServer((s) => s.resume().on('end', () => s.end()));
    await new Promise<void>((res) => sink.listen(0, `${NET}.3`, res));
    dnsSink = createSocket('udp4');
    await new Promise<void>((res) => dnsSink.bind({ address: `${NET}.3`, port: 53 }, res));
  });
  after(async () => {
    sink.close();
    dnsSink.close();
    await srv.close();
    removeDir(srv.dataDir);
  });

  test('create → waiting-for-device → capturing → stop → done, with live events and a report ready at Stop', async () => {
    const created = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: `${NET}.2`, lang: 'en' } });
    assert.equal(created.status, 201, created.text);
    const c = created.json();
    assert.equal(c.state, 'waiting-for-device');
    assert.equal(c.device, `${NET}.2`);
    const pcapFile = join(srv.dataDir, 'checks', c.id, 'capture.pcap');
    assert.equal(statSync(pcapFile).mode & 0o777, 0o600);

    const s = await login(srv.port);
    const done = (e: SseEvent): boolean => e.event === 'status' && (e.data.state === 'done' || e.data.state === 'failed');
    const kiosk = readEvents(srv.port, `/api/checks/${c.id}/events`, {}, done);
    const admin = readEvents(srv.port, `/api/admin/checks/${c.id}/events`, { cookie: s.cookie }, done);

    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await api(srv.port, `/api/checks/${c.id}`)).json().state, 'waiting-for-device', 'the API traffic on lo is not the device');

    await sendDns(`${NET}.2`, `${NET}.3`, C2.domains[0]!, 3);
    await tcpExchange(`${NET}.2`, sink, 20_000);
    const live = await waitFor('the capture to count the traffic', async () => {
      const st = (await api(srv.port, `/api/checks/${c.id}`)).json();
      return st.live && st.live.packets >= 3 + 6 && st.live.bytes > 20_000 && st.state === 'capturing' ? st : null;
    });
    assert.ok(live.live.bytes > 20_000);
    assert.equal(live.live.deviceSeen, true);
    assert.equal(live.live.deviceAddress, `${NET}.2`);
    assert.ok(live.live.servers >= 1);
    assert.ok(live.live.series.length >= 1);
    // The file on disk holds the packets as soon as they are counted, before any Stop.
    await waitFor('the capture file to hold the traffic', async () => statSync(pcapFile).size > 20_000);
    await new Promise((r) => setTimeout(r, 1100));

    const t0 = performance.now();
    const stopped = await api(srv.port, `/api/checks/${c.id}/stop`, { method: 'POST' });
    const stopMs = performance.now() - t0;
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal(stopped.json().state, 'done');
    const report = await api(srv.port, `/api/checks/${c.id}/report?format=json`);
    const readyMs = performance.now() - t0;
    assert.equal(report.status, 200);
    assert.ok(readyMs < 1000, `report ready ${readyMs.toFixed(0)} ms after Stop (stop answered in ${stopMs.toFixed(0)} ms)`);
    const rep = report.json();
    // Hashed as it was written, not read again at Stop: it must still be the hash of the file on disk.
    assert.equal(rep.meta.sha256, createHash('sha256').update(readFileSync(pcapFile)).digest('hex'));
    assert.equal(rep.meta.capture.fileBytes, statSync(pcapFile).size);
    assert.ok(rep.facts.dns.some((d: any) => d.query === C2.domains[0]), 'the DNS query is in the facts');
    assert.ok(rep.facts.connections.some((x: any) => x.dst === `${NET}.3` && x.proto === 'tcp'));
    assert.ok(rep.findings.some((f: any) => f.family === C2.family), `a finding names ${C2.family}`);

    const kEvents = await kiosk;
    const aEvents = await admin;
    const states = new Set(kEvents.map((e) => e.data.state));
    for (const st of ['waiting-for-device', 'capturing', 'done']) assert.ok(states.has(st), `the kiosk stream showed ${st}`);
    for (const e of kEvents) assert.ok(!('indicatorHits' in e.data), 'no indicator count on the kiosk stream');
    assert.ok(kEvents.some((e) => e.data.live?.packets > 0 && e.data.live.servers >= 1));
    assert.ok(aEvents.some((e) => e.data.indicatorHits >= 1), 'the admin stream counts the C2 lookup');
  });

  test('a duration ends the check by itself', async () => {
    const c = (await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: `${NET}.5`, durationSeconds: 10 } })).json();
    assert.equal(c.durationSeconds, 10);
    await sendDns(`${NET}.5`, `${NET}.3`, 'example.test', 2);
    const end = await readEvents(srv.port, `/api/checks/${c.id}/events`, {}, (e) => e.data?.state === 'done', 20_000);
    const last = end[end.length - 1]!.data;
    assert.equal(last.state, 'done');
    assert.equal(last.packets, 2);
    assert.equal((await api(srv.port, `/api/checks/${c.id}/report?format=json`)).status, 200);
  });

  test('one capture per interface; a missing interface or tcpdump is a clear error', async () => {
    const a = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: `${NET}.6` } });
    assert.equal(a.status, 201);
    const b = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'lo' } });
    assert.equal(b.status, 409);
    assert.equal((await api(srv.port, `/api/checks/${a.json().id}`, { method: 'DELETE' })).status, 204);
    assert.ok(!existsSync(join(srv.dataDir, 'checks', a.json().id)));

    const none = await api(srv.port, '/api/checks', { method: 'POST', body: { interface: 'qcnosuch0' } });
    assert.equal(none.status, 400);
    assert.equal(none.json().error, 'no-such-interface');

    const other = await startTestServer({ tcpdumpPath: '/nonexistent/tcpdump' });
    try {
      const r = await api(other.port, '/api/checks', { method: 'POST', body: { interface: 'lo' } });
      assert.equal(r.status, 503);
      assert.equal(r.json().error, 'tcpdump-not-found');
      assert.match(r.json().message, /install tcpdump/);
    } finally {
      await other.close();
      removeDir(other.dataDir);
    }
  });

  test('SIGKILL mid-capture: the next start finalises the check from the pcap on disk', async () => {
    const dir = tempDir();
    let p = new ServeProcess(['--data-dir', dir, '--port', '0', '--admin-password', 'a long test password']);
    try {
      let port = Number(new URL(await p.listening()).port);
      const c = (await api(port, '/api/checks', { method: 'POST', body: { interface: 'lo', device: `${NET}.4` } })).json();
      assert.equal(c.state, 'waiting-for-device');
      await sendDns(`${NET}.4`, `${NET}.3`, 'before-the-kill.example.test', 7);
      await waitFor('7 packets counted', async () => (await api(port, `/api/checks/${c.id}`)).json().live?.packets >= 7);
      p.kill('SIGKILL');
      await p.exited;
      // Sent while nothing captures: must not appear.
      await sendDns(`${NET}.4`, `${NET}.3`, 'after-the-kill.example.test', 3);

      p = new ServeProcess(['--data-dir', dir, '--port', '0']);
      port = Number(new URL(await p.listening()).port);
      // Finished in the background once serve listens.
      const st = await waitFor('the check finalised', async () => {
        const s = (await api(port, `/api/checks/${c.id}`)).json();
        return s.state === 'done' ? s : null;
      });
      assert.match(p.output, /finalised 1 check/);
      assert.equal(st.recovered, true);
      assert.equal(st.packets, 7);
      const rep = (await api(port, `/api/checks/${c.id}/report?format=json`)).json();
      const names = rep.facts.dns.map((d: any) => d.query);
      assert.equal(names.filter((n: string) => n === 'before-the-kill.example.test').length, 7);
      assert.ok(!names.includes('after-the-kill.example.test'));
    } finally {
      await p.stop();
      removeDir(dir);
    }
  });
});
