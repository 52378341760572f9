import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AdbClient } from '../../src/device/adb/client.js';
import { DeviceChecks, DeviceCheckError, type DeviceCheck } from '../../src/device/checks.js';
import { Indicators } from '../../src/indicators/matcher.js';
import { removeDir, tempDir } from '../server/helpers.js';

/** Device check records without a phone: restarts, retention, deletion. */

const dir = tempDir('qc-devchecks-');
after(() => removeDir(dir));

function record(id: string, state: DeviceCheck['state'], createdAt: string): void {
  const d = join(dir, 'device-checks', id);
  mkdirSync(d, { recursive: true });
  const c: DeviceCheck = { id, kind: 'device', state, serial: 'X', lang: 'en', createdAt, finishedAt: null, progress: null, level: null, families: [], partial: false, error: null };
  writeFileSync(join(d, 'check.json'), JSON.stringify(c));
}

function open(now: string, retentionDays = 30): DeviceChecks {
  return new DeviceChecks({
    dataDir: dir,
    // An adb that does not exist: nothing here may talk to a phone.
    adb: new AdbClient({ adb: join(dir, 'no-such-adb') }),
    sources: () => ({ indicators: new Indicators(), feeds: [] }),
    ownAdbKeys: () => [],
    retentionDays: () => retentionDays,
    now: () => new Date(now),
  });
}

describe('device check records', () => {
  it('a check cut off by a restart is failed, not running forever; retention deletes old ones with their folder', () => {
    record('a'.repeat(32), 'collecting', '2026-12-01T10:00:00.000Z');
    record('b'.repeat(32), 'done', '2026-10-01T10:00:00.000Z');
    record('c'.repeat(32), 'done', '2026-12-05T10:00:00.000Z');
    mkdirSync(join(dir, 'device-checks', '..%2f'), { recursive: true });
    const checks = open('2026-12-06T10:00:00.000Z');
    const cut = checks.get('a'.repeat(32))!;
    assert.equal(cut.state, 'failed');
    assert.match(cut.error!, /restart/);
    assert.equal(checks.sweep(), 1);
    assert.equal(checks.get('b'.repeat(32)), null);
    assert.ok(!existsSync(join(dir, 'device-checks', 'b'.repeat(32))));
    assert.deepEqual(checks.list().map((c) => c.id), ['c'.repeat(32), 'a'.repeat(32)]);
    assert.ok(checks.delete('c'.repeat(32)));
    assert.ok(!checks.delete('c'.repeat(32)));
    assert.ok(existsSync(join(dir, 'device-checks', '..%2f')), 'names that are not check ids are left alone');
    assert.equal(JSON.parse(readFileSync(join(dir, 'device-checks', 'a'.repeat(32), 'check.json'), 'utf8')).state, 'failed', 'written back, atomically');
  });
  it('retention 0 keeps everything', () => {
    record('d'.repeat(32), 'done', '2020-01-01T00:00:00.000Z');
    assert.equal(open('2026-12-06T10:00:00.000Z', 0).sweep(), 0);
  });
  it('without adb, starting a check says so', async () => {
    await assert.rejects(open('2026-12-06T10:00:00.000Z').start({ lang: 'en' }), (e: Error) => !(e instanceof DeviceCheckError) && /adb/.test(e.message));
  });
});
