/**
 * The one name form: normaliseName itself, and that the engine's names and the indicator feeds' domains
 * come out in it, so a name on the wire and the same name in a feed meet whatever their spelling.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normaliseName } from '../../src/decode/name.js';
import { lowerName } from '../../src/detect/context.js';
import { detectFormat, parseFeed } from '../../src/indicators/formats/index.js';
import { normalizeDomain } from '../../src/indicators/normalize.js';
import { spaceOf } from '../../src/indicators/types.js';
import { inspectFile } from '../../src/engine/inspect.js';
import { INDICATORS, pcap } from '../helpers/paths.js';

describe('normaliseName', () => {
  it('drops surrounding blanks, lower-cases, and drops the root dot', () => {
    assert.equal(normaliseName('Example.COM.'), 'example.com');
    assert.equal(normaliseName('  WWW.Example.com..\t'), 'www.example.com');
    assert.equal(normaliseName('xn--BCHER-KVA.example'), 'xn--bcher-kva.example');
    assert.equal(normaliseName('...'), '');
    assert.equal(normaliseName(''), '');
    // Only the ends: a blank or dot inside a name is part of it.
    assert.equal(normaliseName('a .b.'), 'a .b');
    assert.equal(normaliseName('.leading'), '.leading');
  });

  it('is what detection calls lowerName', () => {
    assert.equal(lowerName, normaliseName);
  });

  it('changes nothing in a name already in the form', () => {
    for (const n of ['example.com', 'a', '_dmarc.example.org', 'xn--bcher-kva.example']) assert.equal(normaliseName(n), n);
  });
});

describe('every layer keys names in that form', () => {
  it('the engine: connection names and the names of addresses', () => {
    let seen = 0;
    for (const file of ['dns-cname-additional-rawip4.pcap', 'tls-browsing-mixed.pcap', 'quic-multi-sni.pcap', 'http-wikipedia.pcap']) {
      const facts = inspectFile(pcap(file));
      const names = [...facts.connections.flatMap((c) => c.names), ...Object.values(facts.addressNames).flat()];
      for (const n of names) assert.equal(normaliseName(n), n, `${file}: ${n}`);
      seen += names.length;
    }
    assert.ok(seen > 50, `only ${seen} names seen`);
  });

  it('the indicator feeds: every stored domain, from the shared feeds', () => {
    let seen = 0;
    for (const file of ['stalkerware-indicators/ioc.yaml', 'stalkerware-indicators/generated/hosts', 'amnesty/2021-07-18_nso_pegasus.stix2']) {
      const path = join(INDICATORS, file);
      const text = readFileSync(path, 'utf8');
      const format = detectFormat(path, text);
      assert.ok(format !== null, file);
      for (const ind of parseFeed(text, path, format).indicators) {
        if (spaceOf(ind.kind) !== 'domain') continue;
        assert.equal(normaliseName(ind.value), ind.value, `${file}: ${ind.value}`);
        seen++;
      }
    }
    assert.ok(seen > 1000, `only ${seen} domains seen`);
  });

  it('a feed domain spelt in Unicode, capitals or with a full stop of another script gets the wire\'s key', () => {
    const wire = normaliseName('xn--bcher-kva.example.');
    for (const spelt of ['bücher.example', 'BÜCHER.Example.', '*.bücher.example', 'bücher.example。', 'bücher．example．', ' XN--BCHER-KVA.EXAMPLE ']) {
      assert.equal(normalizeDomain(spelt), wire, spelt);
    }
    assert.equal(normalizeDomain('。'), null, 'nothing left is no domain');
  });
});
