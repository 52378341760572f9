import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_DETECTION_CONFIG } from '../../src/detect/config.js';
import { DetectionConfigError, loadDetectionConfig, parseDetectionConfig } from '../../src/detect/config-file.js';
import { INDICATORS, ROOT, pcap } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('detection settings file', () => {
  it('overrides only what it names', () => {
    const c = loadDetectionConfig(undefined, null);
    assert.deepEqual(c.disabled, DEFAULT_DETECTION_CONFIG.disabled);
    const p = parseDetectionConfig('disabled: [PROTO-03]\nbeaconMinContacts: 7\nhotspotName: Cafe-Guest\n', 'x.yaml');
    assert.deepEqual(p, { disabled: ['PROTO-03'], beaconMinContacts: 7, hotspotName: 'Cafe-Guest' });
  });

  it('refuses unknown settings and wrong types, naming the file and the key', () => {
    assert.throws(() => parseDetectionConfig('beaconMinContact: 3\n', 'd.yaml'), (e: Error) => e instanceof DetectionConfigError && /d\.yaml.*unknown setting "beaconMinContact"/.test(e.message));
    assert.throws(() => parseDetectionConfig('beaconMinContacts: many\n', 'd.yaml'), /"beaconMinContacts" must be a number/);
    assert.throws(() => parseDetectionConfig('disabled: PROTO-03\n', 'd.yaml'), /"disabled" must be a list/);
    assert.throws(() => parseDetectionConfig('- a\n- b\n', 'd.yaml'), /mapping/);
    assert.throws(() => parseDetectionConfig('a: [\n', 'd.yaml'), /not valid YAML/);
  });

  it('is read from the data directory by analyze, and a rule turned off there stays off', () => {
    const cli = join(ROOT, 'dist', 'src', 'cli', 'main.js');
    const args = ['analyze', pcap('http-wikipedia.pcap'), '--format', 'json', '--no-progress', '--data-dir', dir,
      '--indicators', join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml')];
    const before = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.equal(before.status, 0, before.stderr);
    const ids = (out: string): string[] => (JSON.parse(out) as { findings: { id: string }[] }).findings.map((f) => f.id);
    assert.ok(ids(before.stdout).includes('PROTO-03'), 'plain HTTP is a finding by default');
    writeFileSync(join(dir, 'detection.yaml'), 'disabled: [PROTO-03]\n');
    const off = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.equal(off.status, 0, off.stderr);
    assert.ok(!ids(off.stdout).includes('PROTO-03'));
    writeFileSync(join(dir, 'bad.yaml'), 'disabeld: [PROTO-03]\n');
    const bad = spawnSync(process.execPath, [cli, ...args, '--rules', join(dir, 'bad.yaml')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown setting "disabeld"/);
  });
});
