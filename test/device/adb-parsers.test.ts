import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApkFormatError,
  certificatesFromSigningBlock,
  EOCD_SEARCH_BYTES,
  parseCentralDirectory,
  parseZipEnd,
  signingBlockSize,
  v1SignatureEntry,
  entryData,
  certificatesFromPkcs7,
  describeCertificate,
} from '../../src/device/adb/apk-signing.js';
import { isReadOnly } from '../../src/device/adb/client.js';
import { parsePmList } from '../../src/device/adb/collect.js';
import { parseDevices } from '../../src/device/adb/devices.js';
import { makeSignedApks, type SignedApk } from '../helpers/apks.js';

const tmp = mkdtempSync(join(tmpdir(), 'qc-apk-'));
let apks: SignedApk[] = [];
before(() => {
  apks = makeSignedApks(tmp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The certificate the way the collection reads it, from the whole file's bytes. */
function certOf(bytes: Buffer): string {
  const end = parseZipEnd(bytes.subarray(Math.max(0, bytes.length - EOCD_SEARCH_BYTES)), bytes.length);
  const before = bytes.subarray(0, end.cdOffset);
  const size = signingBlockSize(before);
  if (size !== null) return describeCertificate(certificatesFromSigningBlock(before.subarray(before.length - size))[0]!.certs[0]!).sha256!;
  const entry = v1SignatureEntry(parseCentralDirectory(bytes.subarray(end.cdOffset, end.cdOffset + end.cdSize)))!;
  return describeCertificate(certificatesFromPkcs7(entryData(bytes.subarray(entry.localOffset), entry))[0]!).sha256!;
}

describe('APK signing certificates', () => {
  it('v1, v2 and v3 signatures give the certificate apksigner reports', () => {
    for (const apk of apks) assert.equal(certOf(readFileSync(apk.path)), apk.certSha256, apk.scheme);
  });
  it('v2/v3 blocks carry their scheme; the v1 APK has no signing block', () => {
    const v3 = readFileSync(apks[2]!.path);
    const end = parseZipEnd(v3.subarray(v3.length - 200), v3.length);
    const size = signingBlockSize(v3.subarray(0, end.cdOffset))!;
    assert.deepEqual(certificatesFromSigningBlock(v3.subarray(end.cdOffset - size, end.cdOffset)).map((s) => s.scheme), ['v3']);
    const v1 = readFileSync(apks[0]!.path);
    const e1 = parseZipEnd(v1.subarray(v1.length - 200), v1.length);
    assert.equal(signingBlockSize(v1.subarray(0, e1.cdOffset)), null);
  });
  it('damaged input is a clear error, never a crash', () => {
    assert.throws(() => parseZipEnd(Buffer.from('not a zip at all, not at all'), 28), ApkFormatError);
    const v2 = readFileSync(apks[1]!.path);
    const end = parseZipEnd(v2.subarray(v2.length - 200), v2.length);
    const size = signingBlockSize(v2.subarray(0, end.cdOffset))!;
    const block = Buffer.from(v2.subarray(end.cdOffset - size, end.cdOffset));
    block.writeBigUInt64LE(BigInt(size * 4), 8);
    assert.throws(() => certificatesFromSigningBlock(block), ApkFormatError);
    assert.throws(() => certificatesFromPkcs7(Buffer.from([0x30, 0x82, 0xff, 0xff, 0x06])), ApkFormatError);
  });
});

describe('adb output', () => {
  it('reads pm list packages lines, with or without path, installer and uid', () => {
    const p = parsePmList(
      'package:/data/app/~~a==/com.x-b==/base.apk=com.x  installer=com.android.vending uid:10123\npackage:com.y\npackage:/system/app/Y/Y.apk=com.z installer=null uid:1000\n',
    );
    assert.deepEqual(p, [
      { name: 'com.x', path: '/data/app/~~a==/com.x-b==/base.apk', installer: 'com.android.vending', uid: 10123 },
      { name: 'com.y', path: null, installer: null, uid: null },
      { name: 'com.z', path: '/system/app/Y/Y.apk', installer: null, uid: 1000 },
    ]);
  });
  it('reads adb devices -l states', () => {
    const d = parseDevices(
      'List of devices attached\nR58M123ABC             device usb:1-1 product:a40eea model:SM_A405FN device:a40 transport_id:3\n0123456789ABCDEF       unauthorized usb:1-2 transport_id:4\n127.0.0.1:5555         offline transport_id:5\n\n',
    );
    assert.deepEqual(
      d.map((x) => [x.serial, x.state, x.model]),
      [['R58M123ABC', 'device', 'SM A405FN'], ['0123456789ABCDEF', 'unauthorized', null], ['127.0.0.1:5555', 'offline', null]],
    );
  });
  it('allows only reading commands', () => {
    for (const ok of ['getprop', 'dumpsys package', 'settings list secure', 'pm list packages -f -U -i', 'sha256sum /data/app/a/base.apk', 'dd if=/data/app/a/base.apk iflag=skip_bytes,count_bytes skip=1 count=2 bs=65536 2>/dev/null']) {
      assert.ok(isReadOnly(ok), ok);
    }
    for (const bad of ['pm uninstall com.x', 'settings put global adb_enabled 0', 'pm clear com.x', 'getprop; rm -rf /sdcard', 'dumpsys package | sh', 'rm /data/local/tmp/x', 'am start x', 'sha256sum $(reboot)']) {
      assert.ok(!isReadOnly(bad), bad);
    }
  });
});
