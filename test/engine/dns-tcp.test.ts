/**
 * DNS over TCP (RFC 1035 §4.2.2) through the whole engine: length-prefixed messages cut across segments
 * and pipelined in one segment, with a malformed message between good ones. The good ones become facts,
 * the bad one is counted by kind, and its length prefix still leads to the messages after it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectFile } from '../../src/engine/inspect.js';
import {
  dnsQuery, ETH_IPV4, ethernet, ipv4, pcapFile, PROTO_TCP, tcp, TCP_ACK, TCP_PSH, TCP_SYN, type Frame,
} from '../helpers/pcap-writer.js';

const T0 = 1_700_000_000;
const cli = '10.1.1.2', srv = '10.1.1.53';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'qc-dns-tcp-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const framed = (msg: Buffer): Buffer => Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 0xff]), msg]);

describe('DNS over TCP', () => {
  it('reads messages cut across segments and pipelined, and counts a malformed one without losing the next', () => {
    const isn = 4000;
    let ts = T0;
    const seg = (seq: number, flags: number, payload?: Buffer): Frame => ({
      ts: (ts += 0.001),
      data: ethernet(ipv4({ src: cli, dst: srv, proto: PROTO_TCP, payload: tcp({ sport: 50500, dport: 53, seq, flags, payload }) }), ETH_IPV4),
    });
    // A header cut short: 5 bytes where 12 are needed.
    const stream = Buffer.concat([
      framed(dnsQuery(1, 'first.example')),
      framed(Buffer.from([0, 2, 1, 0, 0])),
      framed(dnsQuery(3, 'second.example')),
      framed(dnsQuery(4, 'third.example')),
    ]);
    const cutAt = 20;
    const frames = [
      seg(isn, TCP_SYN),
      seg(isn + 1, TCP_ACK | TCP_PSH, stream.subarray(0, cutAt)),
      seg(isn + 1 + cutAt, TCP_ACK | TCP_PSH, stream.subarray(cutAt)),
    ];
    const file = join(dir, 'dns-tcp.pcap');
    writeFileSync(file, pcapFile(frames));
    const f = inspectFile(file);
    assert.deepEqual(f.dns.map((d) => [d.query, d.transport]), [
      ['first.example', 'tcp'], ['second.example', 'tcp'], ['third.example', 'tcp'],
    ]);
    assert.deepEqual(f.capture.malformed, { 'dns.truncated': 1 });
  });
});
