import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectFile } from '../../src/engine/inspect.js';
import { pcap } from '../helpers/paths.js';

describe('payload heads (for payload-content rules)', () => {
  it('are left out unless asked for: payloads are private', () => {
    assert.equal(inspectFile(pcap('http-wikipedia.pcap')).payloadHeads, undefined);
  });

  it('hold the first bytes of each direction, reassembled, for every protocol', () => {
    const facts = inspectFile(pcap('http-wikipedia.pcap'), { keepHeads: 64 });
    const heads = facts.payloadHeads ?? [];
    const http = facts.connections.flatMap((c, i) => (c.service === 'http' ? [i] : []));
    assert.ok(http.length > 0);
    for (const i of http) {
      const h = heads.find((x) => x.connection === i);
      assert.ok(h?.toServer, `connection ${i} has no head`);
      const up = Buffer.from(h.toServer, 'base64');
      assert.ok(up.length <= 64);
      assert.match(up.toString('latin1'), /^(GET|POST|HEAD) \//);
      if (h.toClient) assert.match(Buffer.from(h.toClient, 'base64').toString('latin1'), /^HTTP\/1\.[01] /);
    }
    // DNS over UDP: the first datagram of each direction.
    const dns = facts.connections.findIndex((c) => c.service === 'dns');
    const d = heads.find((x) => x.connection === dns);
    assert.ok(d?.toServer);
    assert.ok(Buffer.from(d.toServer, 'base64').length > 12);
  });

  it('keep the TLS ClientHello of a handshake split over three segments', () => {
    const facts = inspectFile(pcap('tls12-clienthello-mtu300.pcap'), { keepHeads: 1024 });
    const tls = facts.connections.findIndex((c) => c.service === 'tls');
    const h = facts.payloadHeads?.find((x) => x.connection === tls);
    const up = Buffer.from(h?.toServer ?? '', 'base64');
    // The first segment carries 260 bytes (MSS); the record is longer and must be whole.
    assert.ok(up.length > 260, `only ${up.length} bytes: not reassembled past the first segment`);
    assert.equal(up[0], 0x16);
    assert.equal(up[5], 0x01);
    assert.ok(up.length >= Math.min(1024, 5 + up.readUInt16BE(3)), 'the whole ClientHello record is kept');
  });
});

describe('fact bounds', () => {
  it('count what an enormous capture would add beyond them instead of growing without end', async () => {
    const { FACT_LIMITS } = await import('../../src/engine/collector.js');
    const facts = inspectFile(pcap('dns-edns-ecs.pcap'));
    assert.deepEqual(facts.capture.omitted, {}, 'nothing is left out of an ordinary capture');
    assert.ok(facts.dns.length < FACT_LIMITS.dns);
  });
});
