/**
 * deploy/: install.sh into a temporary root (no apt, no useradd, no systemctl there: it prints them),
 * then the installed unit checked by `systemd-analyze verify` and scored by `systemd-analyze security`
 * (the Debian package systemd; skipped with a note when it is missing).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOGUES, LANGS } from '../../src/i18n/index.js';
import { pcap, ROOT } from '../helpers/paths.js';
import { removeDir, tempDir } from '../server/helpers.js';

const INSTALL = join(ROOT, 'deploy', 'install.sh');
const UNIT = 'etc/systemd/system/quietcheck.service';
const UNIT_CAPS = ['CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_NET_BIND_SERVICE'];

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** The unit's settings as key → values (a key may repeat). */
function unitSettings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

describe('deploy: install.sh into a temporary root', () => {
  let dir: string;
  let root: string;
  let out: string;

  before(() => {
    dir = tempDir('qc-deploy-');
    root = join(dir, 'root');
    const r = spawnSync('bash', [INSTALL, '--root', root, '--interface', 'wlan0'], { encoding: 'utf8', env: { ...process.env, PATH: process.env.PATH } });
    out = r.stdout + r.stderr;
    assert.equal(r.status, 0, out);
  });
  after(() => removeDir(dir));

  test('it prints the system commands instead of running them: apt packages, the user, systemctl', () => {
    assert.match(out, /^would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tcpdump hostapd dnsmasq-base nftables iw .*chromium$/m);
    assert.match(out, /^would run: useradd --system --user-group --home-dir \/var\/lib\/quietcheck --no-create-home --shell \/usr\/sbin\/nologin --comment quietcheck\\ service quietcheck$/m);
    assert.match(out, /^would run: systemctl enable quietcheck\.service$/m);
    assert.match(out, /^would run: sh -c cd.*\/opt\/quietcheck.*npm\\ ci\\ --omit=dev/m);
    assert.doesNotMatch(out, /^(?!would run|quietcheck install).+$/m, 'nothing else was said or run');
  });

  test('files: the app under /opt/quietcheck, the data directory 0700, the command, settings and kiosk autostart', () => {
    assert.ok(existsSync(join(root, 'opt/quietcheck/dist/src/cli/main.js')));
    assert.ok(!existsSync(join(root, 'opt/quietcheck/dist/test')), 'tests are not installed');
    assert.equal(statSync(join(root, 'opt/quietcheck/dist/src/cli/main.js')).mode & 0o111, 0o111);
    assert.equal(statSync(join(root, 'var/lib/quietcheck')).mode & 0o777, 0o700);
    assert.equal(readlinkSync(join(root, 'usr/local/bin/quietcheck')), '/opt/quietcheck/dist/src/cli/main.js');
    assert.match(readFileSync(join(root, 'etc/default/quietcheck'), 'utf8'), /^QUIETCHECK_INTERFACE=wlan0$/m);
    const desktop = readFileSync(join(root, 'home/pi/.config/autostart/quietcheck-kiosk.desktop'), 'utf8');
    assert.match(desktop, /^Exec=\/opt\/quietcheck\/deploy\/kiosk\.sh$/m);
    const kiosk = readFileSync(join(root, 'opt/quietcheck/deploy/kiosk.sh'), 'utf8');
    assert.match(kiosk, /--kiosk/);
    // Taps reach the page as touches: they open the kiosk's own on-screen keyboard.
    assert.match(kiosk, /--touch-events=enabled/);
    assert.match(kiosk, /http:\/\/127\.0\.0\.1:8080\//);
    assert.equal(spawnSync('sh', ['-n', join(root, 'opt/quietcheck/deploy/kiosk.sh')]).status, 0);
    if (has('desktop-file-validate')) {
      const v = spawnSync('desktop-file-validate', [join(root, 'home/pi/.config/autostart/quietcheck-kiosk.desktop')], { encoding: 'utf8' });
      assert.equal(v.status, 0, v.stdout + v.stderr);
    }
  });

  test('the installed app reads its words from its own dist/locales: a report in French from /opt/quietcheck', () => {
    const app = join(root, 'opt/quietcheck');
    for (const lang of LANGS) for (const ns of ['report', 'ui']) assert.ok(existsSync(join(app, 'dist/locales', lang, `${ns}.json`)), `${lang}/${ns}.json`);
    // On the target `npm ci` fills node_modules; here the checkout's stand in for them.
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    const list = join(dir, 'indicators.txt');
    writeFileSync(list, 'stalkerware.invalid\n');
    const r = spawnSync(process.execPath, [join(app, 'dist/src/cli/main.js'), 'analyze', pcap('dns-edns-ecs.pcap'), '--lang', 'fr', '--indicators', list, '--no-progress'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes(`<h1>${CATALOGUES.fr['report.title']}</h1>`), r.stdout.slice(0, 2000));
  });

  test('running it again keeps the settings file', () => {
    writeFileSync(join(root, 'etc/default/quietcheck'), 'QUIETCHECK_PORT=8081\n');
    const r = spawnSync('bash', [INSTALL, '--root', root, '--no-kiosk'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(root, 'etc/default/quietcheck'), 'utf8'), 'QUIETCHECK_PORT=8081\n');
  });

  test('the unit runs `quietcheck serve` sandboxed, with CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE only', () => {
    const s = unitSettings(readFileSync(join(root, UNIT), 'utf8'));
    assert.match(s.get('ExecStart')![0]!, /^\/usr\/bin\/node \/opt\/quietcheck\/dist\/src\/cli\/main\.js serve --data-dir \/var\/lib\/quietcheck/);
    assert.deepEqual(s.get('User'), ['quietcheck']);
    // The set test/deploy/caps.test.ts proves sufficient (and CAP_NET_BIND_SERVICE necessary) for a hotspot check.
    assert.deepEqual(s.get('AmbientCapabilities'), [UNIT_CAPS.join(' ')]);
    assert.deepEqual(s.get('CapabilityBoundingSet'), [UNIT_CAPS.join(' ')]);
    // Per-interface forwarding is what the hotspot writes (ProtectKernelTunables would make it read-only).
    assert.ok(s.get('ReadWritePaths')!.includes('/proc/sys/net/ipv4/conf'));
    assert.deepEqual(s.get('ProtectKernelTunables'), ['yes']);
    for (const [k, v] of [['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['NoNewPrivileges', 'yes']] as const) assert.deepEqual(s.get(k), [v], k);
    assert.ok(s.get('ReadWritePaths')!.includes('/var/lib/quietcheck'));
    assert.match(s.get('RestrictAddressFamilies')![0]!, /AF_PACKET/);
    assert.ok(s.get('SystemCallFilter')!.includes('@system-service'));
  });

  test('systemd-analyze verify accepts the installed unit and rejects a broken copy', (t) => {
    if (!has('systemd-analyze')) {
      t.skip('systemd-analyze is not installed (Debian package systemd)');
      return;
    }
    const unit = join(root, UNIT);
    // /usr/bin/node must exist for verify to accept ExecStart: it does wherever these tests run under Node from Debian or a symlink.
    const v = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    if (!existsSync('/usr/bin/node')) {
      assert.match(v.stderr, /\/usr\/bin\/node/);
      t.diagnostic('/usr/bin/node is missing here: verify could only complain about ExecStart');
    } else {
      assert.equal(v.status, 0, v.stdout + v.stderr);
      assert.equal(v.stderr.trim(), '', 'no warnings');
    }
    const broken = join(dir, 'quietcheck.service');
    writeFileSync(broken, readFileSync(unit, 'utf8').replace('ProtectSystem=strict', 'ProtectSystem=stricter').replace('ExecStart=', 'ExecStrat='));
    const b = spawnSync('systemd-analyze', ['verify', broken], { encoding: 'utf8' });
    assert.notEqual(b.status, 0, 'verify notices a unit without ExecStart');
    assert.match(b.stderr, /ExecStrat|ProtectSystem|ExecStart/);
  });

  test('systemd-analyze security rates the unit\'s exposure low', (t) => {
    if (!has('systemd-analyze')) {
      t.skip('systemd-analyze is not installed (Debian package systemd)');
      return;
    }
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', join(root, UNIT)], { encoding: 'utf8' });
    const m = /Overall exposure level for quietcheck\.service: (\d+\.\d+)/.exec(r.stdout + r.stderr);
    if (m === null) {
      t.diagnostic(`systemd-analyze security --offline is not supported here: ${(r.stdout + r.stderr).slice(-300)}`);
      return;
    }
    assert.ok(Number(m[1]) <= 3.0, `exposure ${m[1]}`);
  });

  test('without --root and without root it refuses; unknown options are bad usage', () => {
    const bad = spawnSync('bash', [INSTALL, '--frobnicate'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    if (process.getuid?.() !== 0) {
      const r = spawnSync('bash', [INSTALL], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /run it as root/);
    }
  });
});
