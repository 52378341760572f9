/** DHCPv4 decoder against tshark on the shared captures, plus hand-made and corrupted messages. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { decodeDhcp, type DhcpMessage } from '../../src/decode/dhcp.js';
import { DecodeError } from '../../src/decode/errors.js';
import { pcap } from '../helpers/paths.js';

const AGG = '\x01';
const SEP = '\x02';
const FIELDS = ['udp.payload', 'dhcp.type', 'dhcp.id', 'dhcp.hw.mac_addr', 'dhcp.option.dhcp', 'dhcp.option.hostname',
  'dhcp.option.vendor_class_id', 'dhcp.option.request_list_item', 'dhcp.option.requested_ip_address', 'dhcp.ip.client',
  'dhcp.ip.your', 'dhcp.fqdn.name'];

function rows(file: string): string[][][] {
  const args = ['-r', pcap(file), '-Y', 'dhcp', '-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${AGG}`, '-E', `separator=${SEP}`];
  for (const f of FIELDS) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l).map((l) => l.split(SEP).map((c) => (c === '' ? [] : c.split(AGG))));
}

function ours(m: DhcpMessage): string[][] {
  const opt = (v: string | null): string[] => (v === null ? [] : [v]);
  return [
    [String(m.op)],
    ['0x' + m.xid.toString(16).padStart(8, '0')],
    [m.mac],
    m.messageType === null ? [] : [String(m.messageType)],
    opt(m.hostname),
    opt(m.vendorClass),
    m.paramList.map(String),
    opt(m.requestedIp),
    [m.clientIp],
    [m.yourIp],
    opt(m.fqdn),
  ];
}

for (const [file, count] of [['dhcp.pcap', 9], ['dhcp_discover_param_req_and_client_id.pcap', 1]] as const) {
  test(`DHCP matches tshark: ${file}`, () => {
    const all = rows(file);
    assert.equal(all.length, count);
    const diffs: string[] = [];
    let clientIds = 0;
    for (const [i, row] of all.entries()) {
      const payload = Buffer.from(row[0][0], 'hex');
      const m = decodeDhcp(payload, 0, payload.length);
      const theirs = row.slice(1);
      // tshark repeats dhcp.hw.mac_addr for a client id of type 1 (Ethernet): that second one is the client id's.
      if (theirs[2].length === 2) {
        assert.equal(m.clientId, '01' + theirs[2][1].replaceAll(':', ''));
        theirs[2] = theirs[2].slice(0, 1);
        clientIds++;
      } else {
        assert.equal(m.clientId, null);
      }
      const o = ours(m);
      for (let f = 0; f < o.length; f++) {
        if (o[f].join(',') !== theirs[f].join(',')) diffs.push(`#${i + 1} ${FIELDS[f + 1]}: ours=${o[f]} tshark=${theirs[f]}`);
      }
    }
    assert.deepEqual(diffs, []);
    assert.equal(clientIds, file === 'dhcp.pcap' ? 0 : 1);
  });
}

function bootp(options: number[], over: (b: Buffer) => void = () => {}): Buffer {
  const b = Buffer.alloc(240);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  b.writeUInt32BE(0xdeadbeef, 4);
  Buffer.from([0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]).copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  over(b);
  return Buffer.concat([b, Buffer.from(options)]);
}

const str = (s: string): number[] => [...Buffer.from(s, 'utf8')];

test('options: split long options joined, FQDN in both encodings, UTF-8 names, trailing NUL dropped', () => {
  const host = str('Anna’s iPhone');
  const m = decodeDhcp(...args(bootp([
    53, 1, 3,
    12, 5, ...host.slice(0, 5), 0, 12, host.length - 5, ...host.slice(5),
    60, 10, ...str('android-'), 0x01, 0,
    55, 3, 1, 3, 6,
    61, 7, 1, 2, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
    50, 4, 192, 168, 1, 23,
    81, 3 + 1 + 4 + 1 + 7 + 1, 0x05, 0, 0, 4, ...str('anna'), 7, ...str('example'), 0,
    255,
  ])));
  assert.deepEqual(m, {
    op: 1, xid: 0xdeadbeef, mac: '02:aa:bb:cc:dd:ee', messageType: 3, messageTypeName: 'REQUEST',
    hostname: 'Anna’s iPhone', vendorClass: 'android-\\001', paramList: [1, 3, 6], clientId: '0102aabbccddee',
    requestedIp: '192.168.1.23', clientIp: '0.0.0.0', yourIp: '0.0.0.0', fqdn: 'anna.example',
  });
  const ascii = decodeDhcp(...args(bootp([53, 1, 1, 81, 3 + 8, 0x01, 0, 0, ...str('pc.local'), 255])));
  assert.equal(ascii.fqdn, 'pc.local');
  assert.equal(ascii.messageTypeName, 'DISCOVER');
});

test('option overload: file then sname carry more options', () => {
  const m = decodeDhcp(...args(bootp([53, 1, 8, 52, 1, 3, 255], (b) => {
    Buffer.from([12, 4, ...str('host'), 255]).copy(b, 108);
    Buffer.from([60, 3, ...str('vnd'), 255]).copy(b, 44);
  })));
  assert.deepEqual([m.messageTypeName, m.hostname, m.vendorClass], ['INFORM', 'host', 'vnd']);
});

test('BOOTP without the magic cookie has no options; bad headers throw DecodeError', () => {
  const m = decodeDhcp(...args(bootp([], (b) => b.writeUInt32BE(0, 236))));
  assert.deepEqual([m.messageType, m.hostname, m.paramList], [null, null, []]);
  const kind = (buf: Buffer): string => {
    try {
      decodeDhcp(buf, 0, buf.length);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof DecodeError);
      return e.kind;
    }
  };
  assert.equal(kind(Buffer.alloc(100)), 'dhcp.truncated');
  assert.equal(kind(bootp([], (b) => (b[0] = 7))), 'dhcp.op');
  assert.equal(kind(bootp([], (b) => (b[2] = 17))), 'dhcp.hlen');
  assert.equal(kind(bootp([12, 10, 1, 2])), 'dhcp.option-length');
  // No End option: tolerated.
  assert.equal(kind(bootp([53, 1, 1])), 'ok');
});

function args(b: Buffer): [Buffer, number, number] {
  return [b, 0, b.length];
}

test('truncation at every offset and random flips of real messages: only DecodeError, nothing read past the range', () => {
  const real = [...rows('dhcp.pcap'), ...rows('dhcp_discover_param_req_and_client_id.pcap')].map((r) => Buffer.from(r[0][0], 'hex'));
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const outcome = (msg: Buffer, len: number): string => {
    const run = (buf: Buffer, off: number): string => {
      try {
        return JSON.stringify(decodeDhcp(buf, off, len));
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        return e.kind;
      }
    };
    const big = Buffer.alloc(len + 300, 0x0c);
    msg.copy(big, 30, 0, len);
    const a = run(Buffer.from(msg.subarray(0, len)), 0);
    assert.equal(run(big, 30), a);
    return a;
  };
  for (const msg of real) {
    for (let cut = 0; cut <= msg.length; cut++) outcome(msg, cut);
    for (let round = 0; round < 500; round++) {
      const m = Buffer.from(msg);
      for (let i = 0; i < 3; i++) m[240 + Math.floor(rand() * (m.length - 240))] = Math.floor(rand() * 256);
      outcome(m, m.length);
    }
  }
});
