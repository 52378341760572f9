/** JA3/JA3S/JA4 against the worked examples of their descriptions and the edge cases those spell out. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { helloFingerprints, ja3, ja3String, ja3s, ja3sRemembered, ja3sString, ja4, ja4Raw } from '../../src/decode/fingerprint.js';
import { tlsVersionName, type ClientHello, type ServerHello } from '../../src/decode/tls.js';

function hello(over: Partial<ClientHello>): ClientHello {
  return {
    legacyVersion: 0x0303,
    random: Buffer.alloc(32),
    ciphers: [],
    compression: [0],
    extensions: [],
    sni: null,
    alpn: [],
    supportedVersions: [],
    groups: [],
    ecPointFormats: [],
    sigAlgs: [],
    ...over,
  };
}

// FoxIO JA4.md's worked example, with GREASE added in every list it may appear in.
const example = hello({
  ciphers: [0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
  extensions: [
    0x1a1a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a,
    0x0015, 0xfafa,
  ],
  sni: 'example.com',
  alpn: ['h2', 'http/1.1'],
  supportedVersions: [0x6a6a, 0x0304, 0x0303],
  groups: [0x2a2a, 0x001d, 0x0017, 0x0018],
  ecPointFormats: [0],
  sigAlgs: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
});

describe('JA4', () => {
  it('reproduces the specification example', () => {
    assert.equal(ja4(example, 't'), 't13d1516h2_8daaf6152771_e5627efa2ab1');
    assert.equal(ja4(example, 'q'), 'q13d1516h2_8daaf6152771_e5627efa2ab1');
    assert.equal(
      Object.values(ja4Raw(example, 't')).join('_'),
      't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_' +
        '0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
    );
  });

  it('hashes the extensions without an underscore when there are no signature algorithms', () => {
    // The spec's own example value for this case.
    assert.equal(ja4(hello({ ...example, sigAlgs: [] }), 't').split('_')[2], '6d807ffa2a79');
  });

  it('uses i without SNI, the legacy version without supported_versions, zeros for empty lists', () => {
    const h = hello({ legacyVersion: 0x0301, extensions: [], ciphers: [] });
    assert.equal(ja4(h, 't'), 't10i000000_000000000000_000000000000');
    // Only SNI and ALPN: counted in part a, but nothing is left to hash in part c.
    const h2 = hello({ legacyVersion: 0x0303, ciphers: [0x002f], extensions: [0x0000, 0x0010], alpn: ['h2'], sni: 'a' });
    assert.equal(ja4(h2, 't'), `t12d0102h2_${createHash('sha256').update('002f').digest('hex').slice(0, 12)}_000000000000`);
  });

  it('maps versions as the spec lists them', () => {
    const v = (legacy: number, sv: number[] = []): string =>
      ja4(hello({ legacyVersion: legacy, supportedVersions: sv, extensions: sv.length ? [0x2b] : [] }), 't').slice(1, 3);
    assert.equal(v(0x0300), 's3');
    assert.equal(v(0x0002), 's2');
    assert.equal(v(0x0302), '11');
    assert.equal(v(0xfefd), 'd2');
    assert.equal(v(0x1234), '00');
    assert.equal(v(0x0303, [0x0a0a, 0x0303, 0x0304]), '13');
    // An extension holding only GREASE tells nothing; fall back to the hello's version.
    assert.equal(v(0x0303, [0x0a0a]), '12');
  });

  it('caps counts at 99', () => {
    const many = Array.from({ length: 120 }, (_, i) => i + 1);
    assert.equal(ja4(hello({ ciphers: many, extensions: many.map((x) => x + 0x100) }), 't').slice(4, 8), '9999');
  });

  it('derives the ALPN characters as the spec describes', () => {
    const al = (first: string): string => ja4(hello({ alpn: [first, 'zz'] }), 't').slice(8, 10);
    assert.equal(al('http/1.1'), 'h1');
    assert.equal(al('h3'), 'h3');
    assert.equal(al('x'), 'xx');
    assert.equal(al(''), '00');
    assert.equal(ja4(hello({}), 't').slice(8, 10), '00');
    // The spec's non-alphanumeric examples (ALPN strings hold bytes as latin1 characters).
    const bytes = (...b: number[]): string => Buffer.from(b).toString('latin1');
    assert.equal(al(bytes(0xab)), 'ab');
    assert.equal(al(bytes(0xab, 0xcd)), 'ad');
    assert.equal(al(bytes(0x30, 0xab)), '3b');
    assert.equal(al(bytes(0x30, 0x31, 0xab, 0xcd)), '3d');
    assert.equal(al(bytes(0x30, 0xab, 0xcd, 0x31)), '01');
  });
});

describe('JA3 / JA3S', () => {
  it('drops GREASE from ciphers, extensions and groups, keeps wire order', () => {
    assert.equal(
      ja3String(example),
      '771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,' +
        '27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23-24,0',
    );
    assert.equal(ja3(example), createHash('md5').update(ja3String(example)).digest('hex'));
  });

  it('leaves empty fields empty', () => {
    assert.equal(ja3String(hello({ legacyVersion: 0x0301, ciphers: [47], compression: [0] })), '769,47,,,');
  });

  it('JA3S is version, cipher and extensions in order', () => {
    const sh: ServerHello = { legacyVersion: 0x0303, cipher: 0xc02f, extensions: [0xff01, 0x000b, 0x0023], selectedVersion: null, alpn: null };
    assert.equal(ja3sString(sh), '771,49199,65281-11-35');
    assert.equal(ja3s(sh), createHash('md5').update('771,49199,65281-11-35').digest('hex'));
    assert.equal(ja3sString({ ...sh, extensions: [] }), '771,49199,');
  });
});

describe('helloFingerprints', () => {
  it('gives each hello its own JA3 string, JA3, JA4 and offered version, from memory as when computed', () => {
    const variants = [
      example,
      // GREASE values differ per connection and change no fingerprint.
      hello({ ...example, ciphers: [0x3a3a, ...example.ciphers.slice(1)], supportedVersions: [0x7a7a, 0x0304, 0x0303] }),
      hello({ ...example, alpn: ['http/1.1'] }),
      hello({ ...example, alpn: ['h3'] }),
      hello({ ...example, alpn: [] }),
      hello({ ...example, sigAlgs: [] }),
      hello({ ...example, sigAlgs: [0x0804, 0x0403] }),
      hello({ ...example, supportedVersions: [0x0303] }),
      hello({ ...example, supportedVersions: [] }),
      // Not GREASE (its bytes differ) but shaped like it: fingerprinted, yet never the offered version.
      hello({ ...example, supportedVersions: [0x1a2a, 0x0303] }),
      hello({ ...example, groups: [0x001d] }),
      hello({ ...example, ecPointFormats: [0, 0x0a0a] }),
      hello({ ...example, ecPointFormats: [0x0a0a, 0] }),
      hello({ ...example, legacyVersion: 0x0301 }),
      hello({ ...example, extensions: example.extensions.filter((e) => e !== 0x0000) }),
      // The same numbers moved from one list to the next must not look alike.
      hello({ ...example, ciphers: [0x1301], extensions: [0x1302, 0x0000] }),
      hello({ ...example, ciphers: [0x1301, 0x1302], extensions: [0x0000] }),
    ];
    for (const transport of ['t', 'q'] as const) {
      for (let round = 0; round < 2; round++) {
        for (const v of variants) {
          const offered = Math.max(0, ...v.supportedVersions.filter((x) => (x & 0x0f0f) !== 0x0a0a)) || v.legacyVersion;
          const want = { ja3String: ja3String(v), ja3: ja3(v), ja4: ja4(v, transport), offeredVersion: tlsVersionName(offered) };
          assert.deepEqual({ ...helloFingerprints(v, transport) }, want);
        }
      }
    }
  });
});

describe('ja3sRemembered', () => {
  it('gives each server hello its own JA3S, from memory as when computed', () => {
    const base: ServerHello = { legacyVersion: 0x0303, cipher: 0xc02f, extensions: [0xff01, 0x000b, 0x0023], selectedVersion: null, alpn: null };
    const variants: ServerHello[] = [
      base,
      { ...base, extensions: [0xff01, 0x0a0a, 0x000b, 0x0023] },
      { ...base, cipher: 0x1301 },
      { ...base, legacyVersion: 0x0301 },
      { ...base, extensions: [0xff01, 0x000b] },
      { ...base, extensions: [] },
      // The cipher moved into the extensions must not look alike.
      { ...base, cipher: 0xff01, extensions: [0x000b, 0x0023] },
    ];
    for (let round = 0; round < 2; round++) {
      for (const v of variants) assert.equal(ja3sRemembered(v), ja3s(v));
    }
  });
});
