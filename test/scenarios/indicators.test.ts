/**
 * Scenarios on real indicators (issues 4 and 8), recorded in one lab: a phone talking to the C2 servers of
 * two real stalkerware families, a phone that only visited a vendor's sales website, a clean phone, a phone
 * asking for a C2 name that no longer exists (NXDOMAIN), and a phone uploading to a C2 name that sits under
 * a cloud domain TinyCheck's allow-list allows. Every name is picked from ioc.yaml and whitelist.json here.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromiumAvailable, htmlToPng } from '../../src/report/pdf.js';
import { ROOT } from '../helpers/paths.js';
import { Feeds, IOC_YAML, WHITELIST, inIpv4, loadAllowAddresses, under } from '../lab/feeds.js';
import { Lab, labUnavailable } from '../lab/lab.js';
import { analyzeHtml, analyzeMissing } from '../lab/quietcheck.js';
import {
  dnsQueries, expectFamily, expectFinding, expectResolved, findingsFor, httpTo, on, sameFamily, scenario, tlsTo,
} from './scenario.js';

const skip = labUnavailable();
const feeds = new Feeds();
const picked = feeds.pickFamilies(3, 2);
const [famA, famB, famDead] = [picked[0]!, picked[1]!, picked[2]!];
const site = feeds.pickWebsite();
const cloud = feeds.allowListedC2().length > 0 ? feeds.pickAllowListedCloudC2() : undefined;
const deadName = famDead.domains[0]!;
const CLEAN = ['www.example.test', 'mail.example.test', 'cdn.example.test'];
const BOTH = [IOC_YAML, WHITELIST];
const UPLOAD_BYTES = 3_000_000;
const ARTIFACTS = join(ROOT, 'artifacts');
const missingAnalyze = analyzeMissing();
const htmlSkip = !chromiumAvailable()
  ? { skip: 'Chromium is not installed at /usr/bin/chromium (Debian package chromium)' }
  : missingAnalyze ? { todo: missingAnalyze } : {};

const web = [{ port: 443, proto: 'https' as const }, { port: 80, proto: 'http' as const }];

describe('scenarios on real stalkerware indicators', { skip }, () => {
  let lab: Lab | null = null;
  const phone = () => {
    if (lab === null) throw new Error('the lab did not start');
    return lab.phone;
  };
  const addr = (name: string): string => lab!.host(name).address;

  before(async () => {
    assert.ok(cloud, 'ioc.yaml has C2 names under domains whitelist.json allows');
    lab = await Lab.start({
      hosts: [
        ...[...famA.domains, ...famB.domains].map((d) => ({ names: [d], services: web })),
        { names: [site.website], services: web },
        ...CLEAN.map((d) => ({ names: [d], services: web })),
        { names: [cloud.domain], services: [{ port: 443, proto: 'https' as const }] },
      ],
      nxdomain: [deadName],
    });
  });
  after(async () => {
    await lab?.stop();
  });

  // (1) Two real families: for each, one C2 name over HTTPS (DNS + SNI), one over plain HTTP (DNS + Host),
  // and a TLS handshake with openssl s_client.
  const highPcap = scenario({
    name: `C2 servers of two families: ${famA.family} and ${famB.family}`,
    indicators: BOTH,
    record: on(phone, 'two-families', async (p) => {
      for (const f of [famA, famB]) {
        const [tlsName, httpName] = [f.domains[0]!, f.domains[1]!];
        assert.equal(await p.curl(`https://${tlsName}/api/v2/sync?device=7f3a`), 200);
        await p.tls(tlsName, 443);
        assert.equal(await p.curl(`http://${httpName}/gate.php?id=7f3a`, ['-A', 'Dalvik/2.1.0 (Linux; U; Android 12)']), 200);
      }
    }),
    facts: (f) => {
      for (const fam of [famA, famB]) {
        const [tlsName, httpName] = [fam.domains[0]!, fam.domains[1]!];
        expectResolved(f, tlsName, addr(tlsName));
        expectResolved(f, httpName, addr(httpName));
        assert.ok(tlsTo(f, tlsName).length >= 2, `two TLS sessions with SNI ${tlsName} (curl and s_client)`);
        assert.ok(httpTo(f, httpName).some((h) => h.method === 'GET' && h.uri.startsWith('/gate.php')), `HTTP GET with Host ${httpName}`);
        const names = f.addressNames[addr(tlsName)] ?? [];
        assert.ok(names.includes(tlsName), `addressNames maps ${addr(tlsName)} to ${tlsName}`);
      }
    },
    report: (r) => {
      assert.equal(r.verdict.level, 'high');
      for (const fam of [famA, famB]) {
        expectFamily(r, fam.family);
        const [tlsName, httpName] = [fam.domains[0]!, fam.domains[1]!];
        for (const [id, host] of [['IOC-03', tlsName], ['IOC-SNI', tlsName], ['IOC-03', httpName], ['IOC-08', httpName]] as const) {
          const f = expectFinding(r, id, host);
          assert.equal(f.level, 'high', `${id} ${host} is high`);
          assert.ok(sameFamily(f.family, fam.family), `${id} ${host} names ${fam.family}, not ${f.family}`);
          assert.ok(f.indicator && f.indicator.feed.length > 0 && under(host, f.indicator.value.toLowerCase()), `${id} ${host} names the feed and the indicator`);
        }
      }
    },
  });

  // (2) Only the vendor's sales website: not proof of infection, so below High, but reported.
  scenario({
    name: `only the sales website of ${site.family} (${site.website})`,
    indicators: BOTH,
    record: on(phone, 'vendor-website', async (p) => {
      assert.equal(await p.curl(`https://${site.website}/`), 200);
      assert.equal(await p.curl(`https://${site.website}/pricing`), 200);
      assert.equal(await p.curl(`http://${site.website}/`), 200);
    }),
    facts: (f) => {
      expectResolved(f, site.website, addr(site.website));
      assert.equal(tlsTo(f, site.website).length, 2);
      assert.equal(httpTo(f, site.website).length, 1);
    },
    report: (r) => {
      assert.notEqual(r.verdict.level, 'high', 'a visit to a vendor website alone is not High');
      assert.notEqual(r.verdict.level, 'none', 'the visit is reported');
      const f = expectFinding(r, 'IOC-WEBSITE', site.website);
      assert.notEqual(f.level, 'high');
      assert.ok(r.findings.every((x) => x.level !== 'high'), 'no High finding');
    },
  });

  // (3) A clean phone: benign names only.
  const cleanPcap = scenario({
    name: 'a clean phone (benign local names only)',
    indicators: BOTH,
    record: on(phone, 'clean', async (p) => {
      for (const n of CLEAN) assert.equal(await p.curl(`https://${n}/`), 200);
      assert.equal(await p.curl(`https://${CLEAN[0]}/news`), 200);
    }),
    facts: (f) => {
      for (const n of CLEAN) {
        expectResolved(f, n, addr(n));
        assert.ok(tlsTo(f, n).length > 0, `TLS to ${n}`);
      }
    },
    report: (r) => {
      assert.notEqual(r.verdict.level, 'high');
      assert.deepEqual(r.verdict.families, []);
      assert.ok(r.findings.every((x) => x.level !== 'high' && x.family === null), 'no High finding, no family');
    },
  });

  // (4, indicator heuristic) A DNS query for a dead C2 name: NXDOMAIN, no connection — still infected.
  scenario({
    name: `an NXDOMAIN query for a C2 name of ${famDead.family} (${deadName})`,
    indicators: BOTH,
    record: on(phone, 'nxdomain-c2', async (p) => {
      assert.deepEqual(await p.resolve(deadName), []);
      assert.deepEqual(await p.resolve(deadName), []);
    }),
    facts: (f) => {
      const qs = dnsQueries(f, deadName);
      assert.ok(qs.length >= 2, `DNS queries for ${deadName}`);
      assert.ok(qs.every((d) => d.rcode === 'NXDOMAIN' && d.answers.length === 0), 'answered NXDOMAIN');
      assert.ok(f.connections.every((c) => c.proto !== 'tcp'), 'no connection followed');
    },
    report: (r) => {
      const f = expectFinding(r, 'IOC-03', deadName);
      assert.equal(f.level, 'high');
      assert.ok(sameFamily(f.family, famDead.family), `IOC-03 names ${famDead.family}`);
      assert.ok(JSON.stringify(f.evidence).includes('NXDOMAIN'), 'the evidence shows the NXDOMAIN answer');
      assert.equal(r.verdict.level, 'high');
      expectFamily(r, famDead.family);
    },
  });

  // Issue 4: the HTML reports of a High and a None recording, as a phone and a desktop show them, kept in
  // artifacts/ (git-ignored) for a person to look at.
  test('HTML reports of the High and the clean recording, rendered to PNG by Chromium', htmlSkip, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, get] of [['high', highPcap], ['clean', cleanPcap]] as const) {
      const file = get();
      assert.ok(file, `the ${name} scenario was recorded`);
      const html = await analyzeHtml(file, BOTH);
      assert.ok(!/<(script|link)\b|src="https?:/i.test(html), 'self-contained: no scripts, stylesheets or remote images');
      if (name === 'high') for (const fam of [famA, famB]) assert.ok(html.includes(fam.family), `the report names ${fam.family}`);
      // A phone's width for both; the desktop layout of the High one too (each shot is a Chromium start).
      for (const width of name === 'high' ? [390, 1280] : [390]) {
        const png = await htmlToPng(html, width, 2400);
        assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
        writeFileSync(join(ARTIFACTS, `lab-${name}-${width}.png`), png);
      }
      writeFileSync(join(ARTIFACTS, `lab-${name}.html`), html);
    }
  });

  // (5) Issue 8: an upload to a C2 name under an allow-listed cloud parent (e.g. *.s3.amazonaws.com).
  scenario({
    name: `an upload to ${cloud?.family ?? '?'}'s ${cloud?.domain ?? '?'} under allow-listed ${cloud?.parent ?? '?'}`,
    indicators: BOTH,
    record: on(phone, 'allowlisted-cloud-c2', async (p) => {
      assert.equal(await p.curl(`https://${cloud!.domain}/`), 200);
      assert.equal(await p.upload(`https://${cloud!.domain}/upload/media?kind=photos`, UPLOAD_BYTES), 200);
    }),
    facts: (f) => {
      const name = cloud!.domain;
      expectResolved(f, name, addr(name));
      assert.equal(tlsTo(f, name).length, 2);
      const up = f.connections.filter((c) => c.dst === addr(name) && c.dport === 443);
      assert.equal(up.length, 2);
      const big = up.find((c) => c.bytesToServer >= UPLOAD_BYTES);
      assert.ok(big, `a connection carried the ${UPLOAD_BYTES}-byte upload: ${JSON.stringify(up.map((c) => c.bytesToServer))}`);
      assert.ok(big.bytesToServer > 20 * big.bytesToClient, 'upload-heavy: far more bytes up than down');
      assert.ok(big.names.includes(name));
    },
    report: (r) => {
      const c = cloud!;
      assert.equal(r.verdict.level, 'high');
      expectFamily(r, c.family);
      const fs = findingsFor(r, c.domain).filter((f) => f.level === 'high' && sameFamily(f.family, c.family));
      assert.ok(fs.length > 0, `a High finding about ${c.domain} naming ${c.family}`);
      // The report shows both facts: allowed cloud provider, and this exact name is a C2 server.
      const allowEntries = new Set([c.parent, ...loadAllowAddresses().filter((a) => inIpv4(addr(c.domain), a))]);
      for (const id of ['IOC-03', 'IOC-SNI']) {
        const f = expectFinding(r, id, c.domain);
        assert.ok(sameFamily(f.family, c.family));
        assert.ok(f.alsoAllowedBy, `${id} shows the allow-list entry that also matched ${c.domain}`);
        assert.ok(allowEntries.has(f.alsoAllowedBy.value), `${id}.alsoAllowedBy ${f.alsoAllowedBy.value} is one of ${[...allowEntries].join(', ')}`);
      }
      // The upload heuristic, no more specific than the allow entry, is silenced — and listed as such.
      const allowed = (r.allowed as { host?: string; silenced?: string[] }[]).find((a) => a.host === c.domain);
      assert.ok(allowed?.silenced?.includes('BEH-UPLOAD'), `the report lists ${c.domain} as allowed with BEH-UPLOAD silenced`);
    },
  });
});
