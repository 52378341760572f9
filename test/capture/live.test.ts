/** Live capture through the real tcpdump, on the loopback interface only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveCaptureError, startLiveCapture, tcpdumpArgs } from '../../src/capture/live.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import { RecordingSink } from './build-pcapng.js';

const TCPDUMP = '/usr/bin/tcpdump';
const skip = existsSync(TCPDUMP) ? false : 'tcpdump is not installed';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

test('captures UDP datagrams sent to a loopback port, and writes the same pcap to disk', { skip }, async () => {
  const port = 40000 + Math.floor(Math.random() * 20000);
  const dir = mkdtempSync(join(tmpdir(), 'qc-live-'));
  const file = join(dir, 'live.pcap');
  const sink = new RecordingSink();
  const cap = startLiveCapture({ iface: 'lo', filter: `udp port ${port}`, tcpdumpPath: TCPDUMP, writeTo: file }, sink);
  const sock = createSocket('udp4');
  try {
    await withTimeout(cap.ready, 10_000, 'tcpdump to listen');
    const payloads = [0, 1, 2, 3, 4].map((i) => `quietcheck-live-${port}-${i}`);
    for (const p of payloads) {
      await new Promise<void>((res, rej) => sock.send(p, port, '127.0.0.1', (err) => (err ? rej(err) : res())));
    }
    await until(() => sink.frames.length >= payloads.length, 10_000);
    const summary = await withTimeout(cap.stop(), 10_000, 'tcpdump to stop');

    assert.equal(summary.format, 'pcap');
    assert.equal(summary.truncated, false);
    assert.deepEqual(summary.linktypes, [1]); // Linux loopback is presented as Ethernet
    assert.equal(summary.packets, payloads.length);
    assert.equal(sink.frames.length, payloads.length);
    const now = Date.now() / 1000;
    sink.frames.forEach((f, i) => {
      const payload = Buffer.from(payloads[i]!);
      // Ethernet 14 + IPv4 20 + UDP 8, then the datagram.
      assert.equal(f.caplen, 14 + 20 + 8 + payload.length);
      assert.equal(f.wirelen, f.caplen);
      assert.equal(f.linktype, 1);
      assert.ok(f.data.subarray(42).equals(payload), `frame ${i} payload`);
      assert.equal(f.data.readUInt16BE(14 + 20 + 2), port);
      assert.ok(Math.abs(f.ts - now) < 60, 'timestamp is now');
    });

    const fromDisk = new RecordingSink();
    const diskSummary = readCaptureFile(file, fromDisk);
    assert.deepEqual(fromDisk.frames, sink.frames);
    assert.equal(diskSummary.packets, summary.packets);
    // A second stop is harmless and gives the same result.
    assert.deepEqual(await cap.stop(), summary);
  } finally {
    sock.close();
    await cap.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stopping at once yields an empty capture, not an error', { skip }, async () => {
  const cap = startLiveCapture({ iface: 'lo', filter: 'udp port 9', tcpdumpPath: TCPDUMP }, new RecordingSink());
  const s = await withTimeout(cap.stop(), 10_000, 'stop');
  assert.equal(s.packets, 0);
});

test('a nonexistent interface is a LiveCaptureError naming it', { skip }, async () => {
  const cap = startLiveCapture({ iface: 'qcnosuch0', tcpdumpPath: TCPDUMP }, new RecordingSink());
  const check = (e: unknown): boolean =>
    e instanceof LiveCaptureError && e.kind === 'no-such-interface' && /interface "qcnosuch0" does not exist/.test(e.message);
  await assert.rejects(withTimeout(cap.done, 10_000, 'done'), check);
  await assert.rejects(cap.ready, check);
  await assert.rejects(cap.stop(), check);
});

test('a missing tcpdump binary is a LiveCaptureError that says so', async () => {
  const cap = startLiveCapture({ iface: 'lo', tcpdumpPath: '/nonexistent/bin/tcpdump' }, new RecordingSink());
  await assert.rejects(
    withTimeout(cap.done, 10_000, 'done'),
    (e: unknown) => e instanceof LiveCaptureError && e.kind === 'tcpdump-not-found' && /tcpdump not found at "\/nonexistent\/bin\/tcpdump"/.test(e.message),
  );
  await assert.rejects(withTimeout(cap.stop(), 10_000, 'stop'), LiveCaptureError);
});

test('a filter tcpdump cannot parse is a LiveCaptureError', { skip }, async () => {
  const cap = startLiveCapture({ iface: 'lo', filter: 'udp port and and', tcpdumpPath: TCPDUMP }, new RecordingSink());
  await assert.rejects(
    withTimeout(cap.done, 10_000, 'done'),
    (e: unknown) => e instanceof LiveCaptureError && e.kind === 'bad-filter' && /filter/.test(e.message),
  );
});

const canDropPrivileges = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') && existsSync(TCPDUMP);

test('tcpdump without capture privileges is a LiveCaptureError about permission', { skip: canDropPrivileges ? false : 'needs root and setpriv' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-perm-'));
  try {
    // The real tcpdump, run as nobody: the kernel refuses it the capture socket.
    const wrapper = join(dir, 'tcpdump-as-nobody');
    writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/setpriv --reuid=nobody --regid=nogroup --clear-groups ${TCPDUMP} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const cap = startLiveCapture({ iface: 'lo', tcpdumpPath: wrapper }, new RecordingSink());
    await assert.rejects(
      withTimeout(cap.done, 10_000, 'done'),
      (e: unknown) => e instanceof LiveCaptureError && e.kind === 'permission-denied' && /lacks permission to capture on "lo"/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a tcpdumpPath that is not executable is a LiveCaptureError', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-noexec-'));
  try {
    const file = join(dir, 'tcpdump');
    writeFileSync(file, 'not a program');
    chmodSync(file, 0o644);
    const cap = startLiveCapture({ iface: 'lo', tcpdumpPath: file }, new RecordingSink());
    await assert.rejects(
      withTimeout(cap.done, 10_000, 'done'),
      (e: unknown) => e instanceof LiveCaptureError && e.kind === 'permission-denied' && /cannot run/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tcpdump is asked for unbuffered, untruncated pcap on stdout, the filter kept apart from options', () => {
  assert.deepEqual(tcpdumpArgs({ iface: 'wlan0', filter: 'host 10.0.0.2' }), [
    '-i', 'wlan0', '-U', '-s', '0', '--immediate-mode', '-w', '-', '--', 'host 10.0.0.2',
  ]);
  assert.deepEqual(tcpdumpArgs({ iface: 'lo' }), ['-i', 'lo', '-U', '-s', '0', '--immediate-mode', '-w', '-']);
});
