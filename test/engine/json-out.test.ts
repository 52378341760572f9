/** The facts writer gives exactly JSON.stringify of the facts, whatever the size and script of the text. */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspectFile } from '../../src/engine/inspect.js';
import { writeFactsJson } from '../../src/engine/json-out.js';
import type { Facts } from '../../src/engine/facts.js';
import { pcap } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'quietcheck-json-out-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function written(facts: Facts): { text: string; size: number } {
  const out = join(dir, 'facts.json');
  const fd = openSync(out, 'w');
  const size = writeFactsJson(fd, facts);
  closeSync(fd);
  return { text: readFileSync(out, 'utf8'), size };
}

describe('facts JSON writer', () => {
  const base = inspectFile(pcap('dns-a-aaaa-mx-nsec.pcap'));

  it('writes a capture\'s facts as JSON.stringify does', () => {
    const { text, size } = written(base);
    assert.equal(text, JSON.stringify(base) + '\n');
    assert.equal(size, Buffer.byteLength(text));
  });

  it('keeps the text exact across flushes, multi-byte characters and facts larger than its buffer', () => {
    const q = base.dns[0]!;
    const dns = [];
    // Many facts in many batches, some with text that takes two to four bytes a character.
    for (let i = 0; i < 20_000; i++) dns.push({ ...q, query: i % 7 === 0 ? `bücher-${i}.例え.テスト😀` : `name-${i}.example` });
    // One fact whose text alone exceeds the writer's buffer, in the middle of the list, and one at its end.
    dns.splice(5000, 0, { ...q, query: 'x'.repeat(3_000_000) + 'é' });
    dns.push({ ...q, query: '😀'.repeat(1_500_000) });
    const facts = { ...base, dns } as Facts;
    const { text, size } = written(facts);
    assert.equal(text, JSON.stringify(facts) + '\n');
    assert.equal(size, Buffer.byteLength(text));
  });

  it('writes TLS facts whose certificates are shared, empty or huge as JSON.stringify does, and leaves them as they were', () => {
    const tls = inspectFile(pcap('tls12-digicert-chain.pcap')).tls.find((t) => t.certificates.length > 1)!;
    assert.ok(tls !== undefined);
    const [leaf, ...rest] = tls.certificates;
    const odd = { ...leaf!, subject: 'CN="certificates":[],ü😀\n' };
    const facts = {
      ...base,
      tls: Array.from({ length: 700 }, (_, i) => ({
        ...tls,
        sni: i % 5 === 0 ? '"certificates":[]' : `host-${i}.example`,
        // Shared lists, lists of their own, empty lists, one huge certificate, and the same object twice.
        certificates: i % 3 === 0 ? [] : i % 3 === 1 ? tls.certificates : [odd, ...rest, odd],
        ...(i === 350 ? { certificates: [{ ...leaf!, subject: 'z'.repeat(5_000_000) }] } : {}),
      })),
    } as Facts;
    const before = JSON.stringify(facts);
    const lists = facts.tls.map((t) => t.certificates);
    assert.equal(written(facts).text, before + '\n');
    assert.ok(facts.tls.every((t, i) => t.certificates === lists[i]));
    assert.equal(JSON.stringify(facts), before);
  });

  it('writes a huge fact first in its list and empty lists as []', () => {
    const q = base.dns[0]!;
    const facts = { ...base, dns: [{ ...q, query: 'y'.repeat(2_000_000) }, q], tls: [], http: [] } as Facts;
    assert.equal(written(facts).text, JSON.stringify(facts) + '\n');
  });
});
