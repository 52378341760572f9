/**
 * Export: the ZIP of a check (plain and AES-256), downloaded through the API and written to a USB
 * drive. The drive is a temporary folder presented as a mount through a fake mounts file and a fake
 * /sys/block (QUIETCHECK_MOUNTS_FILE, QUIETCHECK_SYS_BLOCK_DIR): nothing on this machine is mounted or
 * unmounted. The real detector also reads this machine's /proc/mounts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { detectDrives, parseMounts, unescapeMountField } from '../../src/export/drives.js';
import { pickDrive, writeToDrive } from '../../src/export/usb.js';
import { passphraseProblem } from '../../src/export/zip.js';
import { chromiumAvailable } from '../../src/report/pdf.js';
import { pcap } from '../helpers/paths.js';
import { api, removeDir, startTestServer, tempDir, type TestServer } from '../server/helpers.js';

const CAPTURE = pcap('tls-browsing-mixed.pcap');
const PASS = 'correct horse battery';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function unzipAll(zip: Buffer, password?: string): Promise<Map<string, Buffer>> {
  const r = new ZipReader(new BlobReader(new Blob([zip])), password !== undefined ? { password } : {});
  const out = new Map<string, Buffer>();
  for (const e of await r.getEntries()) {
    if (e.directory) continue;
    out.set(e.filename, Buffer.from(await e.getData!(new Uint8ArrayWriter())));
  }
  await r.close();
  return out;
}

/** A fake machine: a mounts file and /sys/block with one USB stick (sdz), one read-only card (sdy), one fixed disk (sdx). */
function fakeMachine(root: string): { mounts: string; sys: string; stick: string; card: string; fixed: string } {
  const sys = join(root, 'sys', 'block');
  const stick = join(root, 'media', 'USB STICK');
  const card = join(root, 'media', 'card');
  const fixed = join(root, 'data');
  for (const d of [stick, card, fixed]) mkdirSync(d, { recursive: true });
  mkdirSync(join(sys, 'sdz', 'sdz1'), { recursive: true });
  writeFileSync(join(sys, 'sdz', 'removable'), '1\n');
  mkdirSync(join(sys, 'sdy', 'sdy1'), { recursive: true });
  writeFileSync(join(sys, 'sdy', 'removable'), '1\n');
  mkdirSync(join(sys, 'sdx', 'sdx1'), { recursive: true });
  writeFileSync(join(sys, 'sdx', 'removable'), '0\n');
  const esc = (p: string): string => p.replace(/ /g, '\\040');
  const mounts = join(root, 'mounts');
  writeFileSync(
    mounts,
    [
      'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
      '/dev/sdx1 / ext4 rw,relatime 0 0',
      `/dev/sdx1 ${esc(fixed)} ext4 rw,relatime 0 0`,
      'tmpfs /run tmpfs rw,nosuid,nodev,size=805860k,mode=755 0 0',
      `/dev/sdz1 ${esc(stick)} vfat rw,nosuid,nodev,relatime,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,showexec,utf8,flush,errors=remount-ro 0 0`,
      `/dev/sdy1 ${esc(card)} exfat ro,nosuid,nodev,relatime 0 0`,
      '',
    ].join('\n'),
  );
  return { mounts, sys, stick, card, fixed };
}

describe('export: drive detection', () => {
  test('mount fields are unescaped; this machine\'s /proc/mounts parses and its root is never offered', () => {
    assert.equal(unescapeMountField('/media/pi/USB\\040STICK'), '/media/pi/USB STICK');
    const real = parseMounts(readFileSync('/proc/mounts', 'utf8'));
    assert.ok(real.length > 0);
    assert.ok(real.some((m) => m.mountPoint === '/'), 'the root file system is in /proc/mounts');
    for (const m of real) assert.ok(m.fsType.length > 0 && m.options.length > 0);
    const drives = detectDrives({ mountsFile: '/proc/mounts', sysBlockDir: '/sys/block' });
    assert.ok(Array.isArray(drives));
    assert.ok(!drives.some((d) => d.mountPoint === '/' || d.mountPoint.startsWith('/boot')));
  });

  test('removable drives are found; fixed disks, the system and pseudo file systems are not', () => {
    const root = tempDir('qc-drives-');
    try {
      const m = fakeMachine(root);
      const drives = detectDrives({ mountsFile: m.mounts, sysBlockDir: m.sys });
      assert.deepEqual(drives.map((d) => [d.mountPoint, d.disk, d.fsType, d.readOnly, d.why]), [
        [m.stick, 'sdz', 'vfat', false, 'removable'],
        [m.card, 'sdy', 'exfat', true, 'removable'],
      ]);
      assert.ok(drives[0]!.freeBytes! > 0);
      assert.equal(detectDrives({ mountsFile: join(root, 'nope'), sysBlockDir: m.sys }).length, 0);
    } finally {
      removeDir(root);
    }
  });

  test('a full drive and a FAT32 drive too small for the file are refused before anything is written', () => {
    const root = tempDir('qc-drives-');
    try {
      const m = fakeMachine(root);
      const full = pickDrive(m.stick, 10 * 1024 * 1024, { mountsFile: m.mounts, sysBlockDir: m.sys, space: () => ({ free: 1024 * 1024, total: 8 * 1024 ** 3 }) });
      assert.ok('ok' in full && !full.ok);
      assert.equal(full.reason, 'full');
      assert.match(full.message, /needs 10\.0 MiB, 1\.0 MiB is free/);
      const big = pickDrive(m.stick, 5 * 1024 ** 3, { mountsFile: m.mounts, sysBlockDir: m.sys, space: () => ({ free: 64 * 1024 ** 3, total: 64 * 1024 ** 3 }) });
      assert.ok('ok' in big && big.reason === 'too-large-for-drive');
      assert.deepEqual(readdirSync(m.stick), []);
    } finally {
      removeDir(root);
    }
  });

  test('passphrases: short ones and control characters are refused', () => {
    assert.match(passphraseProblem('short')!, /at least 8/);
    assert.match(passphraseProblem('line\nbreak here')!, /control/);
    assert.equal(passphraseProblem('a fine long passphrase'), null);
  });
});

describe('export: API', () => {
  let srv: TestServer;
  let dir: string;
  let fake: string;
  let machine: ReturnType<typeof fakeMachine>;
  let id: string;
  const saved = { mounts: process.env.QUIETCHECK_MOUNTS_FILE, sys: process.env.QUIETCHECK_SYS_BLOCK_DIR };

  before(async () => {
    dir = tempDir();
    fake = tempDir('qc-fake-machine-');
    machine = fakeMachine(fake);
    process.env.QUIETCHECK_MOUNTS_FILE = machine.mounts;
    process.env.QUIETCHECK_SYS_BLOCK_DIR = machine.sys;
    srv = await startTestServer({ dataDir: dir });
    const r = await api(srv.port, '/api/uploads', { method: 'POST', headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, body: readFileSync(CAPTURE) });
    assert.equal(r.status, 201, r.text);
    id = r.json().id;
  });
  after(async () => {
    await srv.close();
    removeDir(dir);
    removeDir(fake);
    if (saved.mounts === undefined) delete process.env.QUIETCHECK_MOUNTS_FILE;
    else process.env.QUIETCHECK_MOUNTS_FILE = saved.mounts;
    if (saved.sys === undefined) delete process.env.QUIETCHECK_SYS_BLOCK_DIR;
    else process.env.QUIETCHECK_SYS_BLOCK_DIR = saved.sys;
  });

  test('GET downloads a plain ZIP: README, the capture byte for byte, HTML, JSON and (with Chromium) PDF', async () => {
    const r = await api(srv.port, `/api/checks/${id}/export`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/zip');
    assert.match(String(r.headers['content-disposition']), new RegExp(`^attachment; filename="quietcheck-\\d{4}-\\d{2}-\\d{2}-${id}\\.zip"$`));
    assert.equal(Number(r.headers['content-length']), r.body.length);
    assert.equal(r.headers['x-quietcheck-sha256'], createHash('sha256').update(r.body).digest('hex'));
    assert.equal(r.headers['x-quietcheck-encrypted'], 'no');
    const files = await unzipAll(r.body);
    assert.deepEqual(files.get('capture.pcap'), readFileSync(CAPTURE));
    assert.match(files.get('report.html')!.toString('utf8'), /^<!doctype html>/i);
    assert.equal(typeof JSON.parse(files.get('report.json')!.toString('utf8')).verdict.level, 'string');
    assert.match(files.get('README.txt')!.toString('utf8'), new RegExp(`Check: +${id}`));
    if (chromiumAvailable()) {
      assert.equal(files.get('report.pdf')!.subarray(0, 4).toString('latin1'), '%PDF');
      assert.equal(r.headers['x-quietcheck-skipped'], undefined);
    } else {
      assert.equal(r.headers['x-quietcheck-skipped'], 'report.pdf');
      assert.match(files.get('README.txt')!.toString('utf8'), /report\.pdf +NOT INCLUDED: Chromium/);
    }
    if (has('unzip')) {
      const tmp = join(dir, 'plain.zip');
      writeFileSync(tmp, r.body);
      const u = spawnSync('unzip', ['-t', tmp], { encoding: 'utf8' });
      rmSync(tmp);
      assert.equal(u.status, 0, u.stdout + u.stderr);
      assert.match(u.stdout, /No errors detected/);
    }
    assert.deepEqual(readdirSync(join(dir, 'exports')), [], 'the temporary archive is gone');
  });

  test('POST with a passphrase downloads an AES-256 ZIP that 7-Zip opens with it and refuses without it', async (t) => {
    const r = await api(srv.port, `/api/checks/${id}/export`, { method: 'POST', body: { passphrase: PASS } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-quietcheck-encrypted'], 'aes-256');
    const files = await unzipAll(r.body, PASS);
    assert.deepEqual(files.get('capture.pcap'), readFileSync(CAPTURE));
    await assert.rejects(unzipAll(r.body, 'not the passphrase'));
    // Nothing readable leaks: the capture's bytes are not in the archive in the clear.
    assert.equal(r.body.indexOf(readFileSync(CAPTURE).subarray(100, 164)), -1);
    if (!has('7z')) {
      t.diagnostic('7z not installed (Debian package p7zip-full): the AES check with a standard tool was skipped');
      return;
    }
    const zip = join(dir, 'enc.zip');
    writeFileSync(zip, r.body);
    const listing = spawnSync('7z', ['l', '-slt', `-p${PASS}`, zip], { encoding: 'utf8' });
    assert.match(listing.stdout, /Method = AES-256/);
    const ok = spawnSync('7z', ['t', `-p${PASS}`, zip], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /Everything is Ok/);
    const out = join(dir, 'x');
    const x = spawnSync('7z', ['x', `-p${PASS}`, `-o${out}`, zip], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    assert.deepEqual(readFileSync(join(out, 'capture.pcap')), readFileSync(CAPTURE));
    const bad = spawnSync('7z', ['t', '-pwrong passphrase', zip], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout + bad.stderr, /Wrong password/i);
    rmSync(out, { recursive: true, force: true });
    rmSync(zip);
  });

  test('a passphrase in the URL, a short one, an unknown field or a check not done are refused clearly', async () => {
    let r = await api(srv.port, `/api/checks/${id}/export?passphrase=${encodeURIComponent(PASS)}`);
    assert.equal(r.status, 400);
    assert.equal(r.json().error, 'passphrase-in-url');
    r = await api(srv.port, `/api/checks/${id}/export?passphrase=x`, { method: 'POST', body: {} });
    assert.equal(r.json().error, 'passphrase-in-url');
    r = await api(srv.port, `/api/checks/${id}/export`, { method: 'POST', body: { passphrase: 'short' } });
    assert.equal(r.status, 400);
    r = await api(srv.port, `/api/checks/${id}/export`, { method: 'POST', body: { password: PASS } });
    assert.equal(r.status, 400);
    r = await api(srv.port, `/api/checks/${'0'.repeat(32)}/export`);
    assert.equal(r.status, 404);
    r = await api(srv.port, `/api/checks/${id}/export`, { method: 'POST', body: { passphrase: PASS }, headers: { origin: 'http://evil.example' } });
    assert.equal(r.status, 403, 'a foreign page cannot make the kiosk build an archive');
  });

  test('the drives the machine has mounted are listed', async () => {
    const r = await api(srv.port, '/api/export/drives');
    assert.equal(r.status, 200);
    const d = r.json().drives;
    assert.deepEqual(d.map((x: any) => [x.mountPoint, x.readOnly]), [[machine.stick, false], [machine.card, true]]);
  });

  test('writing to a USB drive: the answer names the file, its size and checksum; the file is whole; nothing else is left', async () => {
    const r = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: machine.stick, passphrase: PASS } });
    assert.equal(r.status, 201, r.text);
    const w = r.json();
    assert.equal(w.written, true);
    assert.equal(w.path, join(machine.stick, w.fileName));
    assert.match(w.fileName, new RegExp(`^quietcheck-\\d{4}-\\d{2}-\\d{2}-${id}\\.zip$`));
    assert.equal(w.encrypted, true);
    assert.equal(w.replaced, false);
    const bytes = readFileSync(w.path);
    assert.equal(bytes.length, w.bytes);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), w.sha256);
    assert.equal(statSync(w.path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(machine.stick), [w.fileName], 'no temporary file is left on the drive');
    assert.deepEqual((await unzipAll(bytes, PASS)).get('capture.pcap'), readFileSync(CAPTURE));
    assert.ok(w.entries.some((e: any) => e.name === 'capture.pcap' && e.bytes === statSync(CAPTURE).size));
    assert.match(w.message, /^wrote quietcheck-.*AES-256 encrypted\) to /);

    const again = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: machine.stick } });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json().replaced, true);
    assert.equal(again.json().encrypted, false);
    assert.deepEqual(readdirSync(machine.stick), [w.fileName]);
    assert.deepEqual(readdirSync(join(dir, 'exports')), []);
  });

  test('writing to a drive that is not there, read-only or not a drive says why, and writes nothing', async () => {
    let r = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: machine.card } });
    assert.equal(r.status, 409);
    assert.equal(r.json().error, 'read-only');
    assert.match(r.json().message, /read-only/);
    assert.deepEqual(readdirSync(machine.card), []);

    r = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: machine.fixed } });
    assert.equal(r.status, 404);
    assert.equal(r.json().error, 'not-mounted');
    assert.deepEqual(r.json().drives, [machine.stick, machine.card]);
    assert.deepEqual(readdirSync(machine.fixed), []);

    r = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: '/etc' } });
    assert.equal(r.json().error, 'not-mounted', 'only detected drives are written to, never an arbitrary path');
    assert.ok(!existsSync(join('/etc', `quietcheck-`)));

    const empty = join(fake, 'no-mounts');
    writeFileSync(empty, 'proc /proc proc rw 0 0\n');
    process.env.QUIETCHECK_MOUNTS_FILE = empty;
    try {
      r = await api(srv.port, `/api/checks/${id}/export/usb`, { method: 'POST', body: { mountPoint: machine.stick } });
      assert.equal(r.status, 409);
      assert.equal(r.json().error, 'no-drive');
      assert.match(r.json().message, /no USB drive is mounted/);
    } finally {
      process.env.QUIETCHECK_MOUNTS_FILE = machine.mounts;
    }
  });

  test('the export routes are in the OpenAPI document', async () => {
    const doc = (await api(srv.port, '/api/docs')).json();
    for (const p of ['/api/checks/{id}/export', '/api/checks/{id}/export/usb', '/api/export/drives']) assert.ok(doc.paths[p], p);
    assert.ok(doc.paths['/api/checks/{id}/export'].post);
  });
});

describe('export: writer', () => {
  test('a drive pulled out before writing is reported as not mounted, not thrown', async () => {
    const root = tempDir('qc-drives-');
    try {
      const m = fakeMachine(root);
      const prep = { path: join(root, 'x.zip'), fileName: 'quietcheck-x.zip', bytes: 3, sha256: '', encrypted: false, entries: [], skipped: [], dispose() {} };
      writeFileSync(prep.path, 'abc');
      rmSync(m.stick, { recursive: true });
      const r = await writeToDrive(prep, m.stick, { mountsFile: m.mounts, sysBlockDir: m.sys });
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.reason === 'not-mounted', JSON.stringify(r));
    } finally {
      removeDir(root);
    }
  });
});
