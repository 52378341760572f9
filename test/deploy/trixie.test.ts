/**
 * The platform a shelter has: Raspberry Pi OS 13 is Debian 13 (trixie), whose own nodejs is 20.19. In a
 * trixie root made by debootstrap (.ci/run prepares it; the test skips, saying why, without one):
 * every package install.sh asks for exists in Debian 13 under that name, Debian's node satisfies the
 * engines package.json declares, install.sh --root runs there and takes Debian's nodejs, every program
 * the service and its checks run is where the unit and the code expect it, and quietcheck itself runs on
 * that node (doctor).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRequire } from 'node:module';
import { ROOT } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(v: string, range: string): boolean };

const TRIXIE = process.env.QUIETCHECK_TRIXIE_ROOT ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'quietcheck-ci', 'trixie');

function unavailable(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (chroot)';
  if (!existsSync(join(TRIXIE, '.ready'))) return `no Debian 13 root at ${TRIXIE} (.ci/run makes one with debootstrap)`;
  if (!/^VERSION_ID="?13"?$/m.test(readFileSync(join(TRIXIE, 'etc', 'os-release'), 'utf8'))) return `${TRIXIE} is not Debian 13`;
  return false;
}

function inRoot(cmd: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync('chroot', [TRIXIE, 'env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...cmd], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** The packages install.sh names, read from the script itself. */
function installPackages(): string[] {
  const text = readFileSync(join(ROOT, 'deploy', 'install.sh'), 'utf8');
  const m = /^PACKAGES=\(([^)]*)\)/m.exec(text);
  assert.ok(m, 'install.sh has a PACKAGES list');
  return [...m[1]!.trim().split(/\s+/), 'nodejs', 'npm', 'chromium'];
}

describe('Debian 13 (trixie)', { skip: unavailable() }, () => {
  const src = join(TRIXIE, 'opt', 'qc-src');
  before(() => {
    mkdirSync(src, { recursive: true });
    execFileSync('mount', ['--bind', '-o', 'ro', ROOT, src]);
    execFileSync('mount', ['-o', 'remount,bind,ro', src]);
  });
  after(() => {
    spawnSync('umount', [src]);
  });

  test("Debian's nodejs satisfies the engines package.json declares, and every dependency's", () => {
    const v = inRoot(['node', '-p', 'process.versions.node']);
    assert.equal(v.code, 0, v.out);
    const version = v.out.trim();
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.ok(semver.satisfies(version, pkg.engines.node), `Debian 13's node ${version} is outside engines ${pkg.engines.node}`);
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } }> };
    const refused = Object.entries(lock.packages)
      .filter(([k, p]) => k !== '' && p.engines?.node !== undefined && !semver.satisfies(version, p.engines.node))
      .map(([k, p]) => `${k}@${p.version} needs node ${p.engines!.node}`);
    assert.deepEqual(refused, []);
  });

  test('every package install.sh installs exists in Debian 13 under that name', () => {
    const r = inRoot(['apt-get', 'install', '-s', '-qq', '--no-install-recommends', ...installPackages()]);
    assert.equal(r.code, 0, r.out);
  });

  test("install.sh --root runs on Debian 13 and takes Debian's own nodejs, with no warning about the system", () => {
    const out = '/tmp/qc-install-root';
    inRoot(['rm', '-rf', out]);
    // A PATH without node, as on a fresh Raspberry Pi OS 13: install.sh has to get one, and Debian's will do.
    const bin = '/tmp/qc-bin-without-node';
    inRoot(['sh', '-c', `rm -rf ${bin} && mkdir -p ${bin} && for f in /usr/bin/*; do [ "\${f##*/}" = node ] || ln -s "$f" ${bin}/; done`]);
    const r = inRoot(['bash', '/opt/qc-src/deploy/install.sh', '--root', out, '--source', '/opt/qc-src', '--no-kiosk'], { PATH: `${bin}:/usr/sbin:/sbin` });
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /warning: made for/);
    assert.doesNotMatch(r.out, /Node\.js .* is needed/);
    assert.match(r.out, /Node\.js missing here; installing Debian's nodejs 20\.19\./);
    assert.match(r.out, /would run: .*apt-get install -y --no-install-recommends tcpdump hostapd dnsmasq-base nftables iw libcap2-bin curl nodejs npm chromium/);
    // With Debian's node present, nothing more is asked for.
    const again = inRoot(['bash', '/opt/qc-src/deploy/install.sh', '--root', out, '--source', '/opt/qc-src', '--no-kiosk']);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /would run: .*apt-get install -y --no-install-recommends tcpdump hostapd dnsmasq-base nftables iw libcap2-bin curl (npm )?chromium\n/);
    inRoot(['rm', '-rf', bin]);
    const unit = readFileSync(join(TRIXIE, out.slice(1), 'etc', 'systemd', 'system', 'quietcheck.service'), 'utf8');
    const exec = /^ExecStart=(\S+)/m.exec(unit)![1]!;
    assert.equal(inRoot(['test', '-x', exec]).code, 0, `${exec} (ExecStart) exists on Debian 13 with its nodejs`);
    inRoot(['rm', '-rf', out]);
  });

  test('the programs the service runs are where it looks for them', () => {
    for (const p of ['/usr/bin/node', '/usr/bin/setpriv', '/usr/bin/tcpdump', '/usr/sbin/dnsmasq', '/usr/sbin/hostapd', '/usr/sbin/nft', '/usr/sbin/iw', '/usr/sbin/setcap', '/usr/bin/ip', '/usr/sbin/ip']) {
      if (p.endsWith('/ip') && inRoot(['test', '-x', p]).code !== 0) continue; // iproute2 has one of the two
      assert.equal(inRoot(['test', '-x', p]).code, 0, `${p} on Debian 13`);
    }
    assert.equal(inRoot(['sh', '-c', 'command -v ip']).code, 0, 'ip on Debian 13');
  });

  test("quietcheck runs on Debian 13's node: doctor answers", () => {
    const data = mkdtempSync(join(TRIXIE, 'tmp', 'qc-doctor-'));
    try {
      const r = inRoot(['node', '/opt/qc-src/dist/src/cli/main.js', 'doctor', '--json', '--data-dir', data.slice(TRIXIE.length)]);
      const report = JSON.parse(r.out.slice(r.out.indexOf('{'))) as { items: { id: string; status: string }[] };
      const status = Object.fromEntries(report.items.map((i) => [i.id, i.status]));
      assert.equal(status.disk, 'ok', r.out);
      // Installed in the Debian 13 root: found by doctor there, under Debian 13's names and paths.
      for (const tool of ['tool.tcpdump', 'tool.dnsmasq', 'tool.hostapd', 'tool.nft', 'tool.iw']) assert.equal(status[tool], 'ok', `${tool}: ${r.out}`);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
