/**
 * Secrets and start-up failures of the hotspot, without NetworkManager or a radio (neither runs here):
 * the NetworkManager backend gets the hotspot's password in a 0600 passwd-file that is removed right after
 * `nmcli connection up` — never on a command line — and a dnsmasq refused its ports is explained (which
 * capability is missing and how to fix it) instead of being passed on raw. nmcli, ip, iw and nft are a
 * recording fake; dnsmasq is a script that fails as the real one does without CAP_NET_BIND_SERVICE
 * (test/deploy/caps.test.ts shows the real one failing that way).
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dnsmasqFailure } from '../../src/hotspot/dnsmasq.js';
import { HotspotService, HotspotSystemError } from '../../src/hotspot/service.js';
import { HOTSPOT_SETTING } from '../../src/hotspot/settings.js';
import type { Runner } from '../../src/hotspot/run.js';
import { IP_ADDR, MemoryStore } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'qc-hotspot-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CAP_NET_ADMIN_RAW = (1n << 12n) | (1n << 13n);
const WITH_BIND = CAP_NET_ADMIN_RAW | (1n << 10n);

test('dnsmasq refused its ports: the cause, the fix and dnsmasq\'s own words', () => {
  const dhcp = 'dnsmasq: failed to bind DHCP server socket: Permission denied\n';
  const e = dnsmasqFailure(dhcp, CAP_NET_ADMIN_RAW)!;
  assert.ok(e instanceof HotspotSystemError);
  assert.equal(e.code, 'no-bind-permission');
  assert.equal(
    e.message,
    "the hotspot's DHCP and DNS server (dnsmasq) may not use ports 67 and 53: quietcheck runs without CAP_NET_BIND_SERVICE. Run quietcheck as its systemd service " +
      '(deploy/quietcheck.service grants CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE; reinstall it with deploy/install.sh if it is older), or with sudo. ' +
      '(dnsmasq said: dnsmasq: failed to bind DHCP server socket: Permission denied)',
  );
  const dns = dnsmasqFailure('dnsmasq: failed to create listening socket for 10.77.0.1: Permission denied\n', WITH_BIND)!;
  assert.equal(dns.code, 'no-bind-permission');
  assert.match(dns.message, /: binding them was refused\./, 'with the capability, the message does not blame it');
  const busy = dnsmasqFailure('dnsmasq: failed to create listening socket for port 53: Address already in use\n', WITH_BIND)!;
  assert.equal(busy.code, 'port-in-use');
  assert.match(busy.message, /^another DNS or DHCP server on this machine holds port 53 or 67/);
  assert.match(busy.message, /systemctl disable --now dnsmasq/);
  assert.equal(dnsmasqFailure('dnsmasq: bad dhcp-range at line 1\n', WITH_BIND), null, 'an unknown cause is left to the generic message');
});


test('NetworkManager hotspot: the password only in a 0600 passwd-file, removed after `connection up`; a refused dnsmasq is explained and everything undone', async () => {
  const PASSWORD = 'a fixed hotspot pw';
  const data = join(dir, 'data');
  const store = new MemoryStore();
  store.setSetting(HOTSPOT_SETTING, JSON.stringify({ iface: 'wlan9', backend: 'networkmanager', ssid: 'Garden 93B0', password: PASSWORD }));
  const calls: string[][] = [];
  const seen: { path: string; mode: number; text: string }[] = [];
  const runner: Runner = async (cmd, args) => {
    calls.push([cmd, ...args]);
    const i = args.indexOf('passwd-file');
    if (i >= 0) {
      const path = args[i + 1]!;
      seen.push({ path, mode: statSync(path).mode & 0o777, text: readFileSync(path, 'utf8') });
    }
    if (cmd === 'ip' && args.join(' ') === '-j addr show') return { code: 0, stdout: IP_ADDR, stderr: '' };
    return { code: 0, stdout: '', stderr: '' };
  };
  // dnsmasq as it fails without CAP_NET_BIND_SERVICE.
  const fake = join(dir, 'fake-dnsmasq');
  writeFileSync(fake, '#!/bin/sh\necho "dnsmasq: failed to bind DHCP server socket: Permission denied" >&2\nexit 2\n');
  chmodSync(fake, 0o755);
  const hs = new HotspotService({ store, dataDir: data, adminPort: 8080, runner, dnsmasqPath: fake });

  await assert.rejects(hs.start('sinkhole'), (e: unknown) => e instanceof HotspotSystemError && e.code === 'no-bind-permission');
  const st = hs.status();
  assert.equal(st.state, 'failed');
  assert.match(st.error!, /^the hotspot's DHCP and DNS server \(dnsmasq\) may not use ports 67 and 53: /);
  assert.match(st.error!, /dnsmasq said: dnsmasq: failed to bind DHCP server socket: Permission denied/);

  // The secret never was an argument of any command.
  assert.ok(!calls.some((c) => c.some((a) => a.includes(PASSWORD))), 'no command line holds the password');
  const add = calls.find((c) => c[0] === 'nmcli' && c[1] === 'connection' && c[2] === 'add')!;
  assert.ok(add.join(' ').includes('wifi-sec.psk-flags 2'), 'NetworkManager does not keep the secret');
  assert.ok(!add.includes('wifi-sec.psk'));
  const up = calls.find((c) => c.includes('up'))!;
  assert.deepEqual(up.slice(0, 7), ['nmcli', '--wait', '20', 'connection', 'up', 'id', 'quietcheck-hotspot']);
  assert.equal(up[7], 'passwd-file');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.mode, 0o600);
  assert.equal(seen[0]!.text, `802-11-wireless-security.psk:${PASSWORD}\n`);
  assert.ok(seen[0]!.path.startsWith(join(data, 'hotspot') + '/'), 'in the data directory');
  assert.ok(!existsSync(seen[0]!.path), 'removed right after');

  // Undone: the NetworkManager connection, the nftables table, the state file.
  const after = calls.slice(calls.indexOf(up) + 1).map((c) => c.join(' '));
  assert.ok(after.includes('nmcli connection delete id quietcheck-hotspot'), after.join('\n'));
  assert.ok(after.includes('nft delete table inet quietcheck'), after.join('\n'));
  assert.deepEqual(readdirSync(join(data, 'hotspot')).filter((f) => f !== 'dnsmasq.leases'), []);
});
