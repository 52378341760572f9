/**
 * The uplink list the admin (and the kiosk's "Internet connection") shows, read by the real `ip` and
 * sysfs inside a namespace of this test's own: virtual devices with nothing behind them (ifb, dummy)
 * are not offered as a way to the internet; veth pairs and bridges are.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../helpers/paths.js';
import { checkerNsName, cleanCheckerNamespaces, ip, runIn } from '../helpers/netns.js';

const root = process.getuid?.() === 0;
const skip = process.platform !== 'linux' ? 'needs Linux' : !root ? 'needs root (ip netns)' : false;
const { ns } = checkerNsName('qc-upl');
const MODULE = join(ROOT, 'dist', 'src', 'hotspot', 'uplinks.js');

let ifb = false;
before(() => {
  if (skip) return;
  cleanCheckerNamespaces('qc-upl');
  ip(['netns', 'add', ns]);
  ip(['-n', ns, 'link', 'add', 'qcv0', 'type', 'veth', 'peer', 'name', 'qcv1']);
  ip(['-n', ns, 'link', 'add', 'qcbr0', 'type', 'bridge']);
  // Not every kernel has the ifb or dummy drivers; the test says which ones it could make.
  ifb = spawnSync('ip', ['-n', ns, 'link', 'add', 'qcifb0', 'type', 'ifb']).status === 0;
  spawnSync('ip', ['-n', ns, 'link', 'add', 'qcdummy0', 'type', 'dummy']);
});
after(() => {
  if (!skip) spawnSync('ip', ['netns', 'del', ns]);
});

test('the uplink list offers veth pairs and bridges, not ifb or dummy devices', { skip }, async (t) => {
  const script = `import(${JSON.stringify(MODULE)}).then(async (m) => { const r = await m.listUplinks({}, false); console.log(JSON.stringify(r.ethernet.map((e) => e.iface).sort())); })`;
  const r = await runIn(ns, process.execPath, ['-e', script]);
  assert.equal(r.code, 0, r.stderr);
  const listed = JSON.parse(r.stdout.trim()) as string[];
  assert.deepEqual(listed.filter((n) => n.startsWith('qcv') || n === 'qcbr0'), ['qcbr0', 'qcv0', 'qcv1']);
  assert.ok(!listed.includes('qcdummy0'));
  if (ifb) assert.ok(!listed.includes('qcifb0'), JSON.stringify(listed));
  else t.diagnostic('this kernel cannot make an ifb device: only dummy was checked');
});
