import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { detectFormat, parseFeed } from '../../src/indicators/formats/index.js';
import { Indicators } from '../../src/indicators/matcher.js';
import { FeedError } from '../../src/indicators/types.js';
import { INDICATORS } from '../helpers/paths.js';

const FILE = 'stalkerware-indicators/samples.csv';
const text = readFileSync(join(INDICATORS, FILE), 'utf8');

/** The rows as the file says them, read with a plain split (the file has no quoted fields). */
function rows(): { sha: string; pkg: string; cert: string; version: string; app: string }[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [sha, pkg, cert, version, app] = l.split(',');
      return { sha: sha!, pkg: pkg!, cert: cert!, version: version!, app: app! };
    });
}

function loaded(): Indicators {
  const r = parseFeed(text, FILE, 'echap-samples');
  const m = new Indicators();
  for (const i of r.indicators) m.add(i, { name: 'echap-samples', version: 'x', list: 'block' });
  return m;
}

describe("Echap's samples.csv", () => {
  test('is recognised by its header under any name, a plain CSV is not', () => {
    assert.equal(detectFormat(FILE, text), 'echap-samples');
    assert.equal(detectFormat('https://example.org/download?id=3', text), 'echap-samples');
    assert.equal(detectFormat('list.txt', text), 'echap-samples');
    assert.equal(detectFormat('network.csv', 'type,indicator,app\ndomain,x.com,A\n'), 'csv');
  });

  test('every row gives its APK hash, package and certificate with the family', () => {
    const r = parseFeed(text, FILE, 'echap-samples');
    const want = { 'apk-sha256': new Set<string>(), 'app-id': new Set<string>(), 'apk-cert-sha1': new Set<string>() };
    const rs = rows();
    assert.ok(rs.length > 3000, `only ${rs.length} rows`);
    for (const x of rs) {
      want['apk-sha256'].add(`${x.sha.toLowerCase()}|${x.app}`);
      if (x.pkg) want['app-id'].add(`${x.pkg.toLowerCase()}|${x.app}`);
      if (x.cert) want['apk-cert-sha1'].add(`${x.cert.toLowerCase()}|${x.app}`);
    }
    for (const [kind, set] of Object.entries(want)) {
      const got = new Set(r.indicators.filter((i) => i.kind === kind).map((i) => `${i.value}|${i.family}`));
      assert.deepEqual([...got].sort(), [...set].sort(), kind);
    }
    assert.equal(r.indicators.filter((i) => !['apk-sha256', 'app-id', 'apk-cert-sha1'].includes(i.kind)).length, 0);
    const first = rs[0]!;
    const apk = r.indicators.find((i) => i.kind === 'apk-sha256' && i.value === first.sha.toLowerCase())!;
    assert.equal(apk.meta?.package, first.pkg.toLowerCase());
    assert.equal(apk.meta?.version, first.version);
    assert.equal(apk.source, `${FILE}:2`);
  });

  test('the matcher answers a device check: package, APK hash, signing certificate, in any case', () => {
    const m = loaded();
    const x = rows().find((r) => r.cert)!;
    assert.equal(m.matchPackage(x.pkg.toUpperCase())[0]?.family, x.app);
    assert.equal(m.matchApkHash(x.sha.toUpperCase())[0]?.kind, 'apk-sha256');
    const colons = x.cert.match(/../g)!.join(':');
    assert.ok(m.matchApkCertificate(colons.toLowerCase()).some((h) => h.kind === 'apk-cert-sha1' && h.family === x.app));
    // A signing certificate is not a TLS certificate: the network check must not take one for the other.
    assert.equal(m.matchCertificate(x.cert).length, 0);
    assert.equal(m.matchPackage('com.android.chrome').length, 0);
    assert.equal(m.matchApkHash('00'.repeat(32)).length, 0);
    assert.equal(m.matchApkHash('not hex').length, 0);
  });

  test('an APK hash listed only as a file hash (STIX, MISP) is found too', () => {
    const m = new Indicators();
    const h = 'ab'.repeat(32);
    m.add({ kind: 'file-sha256', value: h, family: 'F', tag: null, tlp: null, source: 's' }, { name: 'stix', version: null, list: 'block' });
    assert.equal(m.matchApkHash(h.toUpperCase())[0]?.family, 'F');
  });

  test('a file cut short is refused, never read as fewer or broken indicators', () => {
    const cutInRow = text.slice(0, text.indexOf('\n', 40_000) + 30);
    assert.throws(() => parseFeed(cutInRow, FILE, 'echap-samples'), (e: unknown) => e instanceof FeedError && /cut off|fields/.test(e.message));
    // Cut inside the last field (the family name) leaves a well-formed looking row: refused for its missing line break.
    const cutInName = text.slice(0, text.length - 4);
    assert.throws(() => parseFeed(cutInName, FILE, 'echap-samples'), (e: unknown) => e instanceof FeedError && /cut off/.test(e.message));
    const headerOnly = text.slice(0, text.indexOf('\n') + 1);
    assert.throws(() => parseFeed(headerOnly, FILE, 'echap-samples'), (e: unknown) => e instanceof FeedError && /no rows/.test(e.message));
  });

  test('bad values are counted, not stored', () => {
    const csv = 'SHA256,Package Name,Certificate,Version,App\nzz12,com.ok.app,XYZ,1,Fam\n' + `${'a'.repeat(64)},not a package,${'b'.repeat(40)},2,Fam\n`;
    const r = parseFeed(csv, 'bad.csv', 'echap-samples');
    assert.deepEqual(r.indicators.map((i) => `${i.kind}:${i.value}`).sort(), [`apk-cert-sha1:${'b'.repeat(40)}`, `apk-sha256:${'a'.repeat(64)}`, 'app-id:com.ok.app']);
    assert.equal(r.skipped['invalid-apk-sha256'], 1);
    assert.equal(r.skipped['invalid-apk-cert-sha1'], 1);
    assert.equal(r.skipped['invalid-app-id'], 1);
  });
});
