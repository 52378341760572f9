/**
 * Small hand-built captures and facts for the report tests: a phone asking DNS for real C2 names of
 * Echap's ioc.yaml (a High case), a hostile HTTP Host header, and facts/findings built by hand for the
 * verdict rules. Indicator values are read from the shared feed at test time, never copied here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Level } from '../../src/detect/types.js';
import type { Facts } from '../../src/engine/facts.js';
import { parseFeed } from '../../src/indicators/formats/index.js';
import { INDICATORS } from '../helpers/paths.js';
import { TCP_ACK, TCP_PSH, TCP_SYN, dnsQuery, pcapFile, tcp4Frame, udp4Frame, type Frame } from '../helpers/pcap-writer.js';

export const IOC_YAML = join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml');
export const WHITELIST = join(INDICATORS, 'tinycheck', 'whitelist.json');

/** C2 domains of one family, straight from the feed. */
export function c2Domains(family: string, n: number): string[] {
  const r = parseFeed(readFileSync(IOC_YAML, 'utf8'), IOC_YAML, 'echap-yaml');
  return r.indicators.filter((i) => i.kind === 'c2-domain' && i.family === family).slice(0, n).map((i) => i.value);
}

const PHONE = '192.168.50.23';
const RESOLVER = '9.9.9.9';

/** A TCP exchange: handshake, one request, one reply. Enough for the decoder to see HTTP. */
function tcpExchange(frames: Frame[], ts: number, dst: string, sport: number, dport: number, request: Buffer, replyBytes: number): void {
  frames.push({ ts, data: tcp4Frame(PHONE, dst, { sport, dport, seq: 1000, flags: TCP_SYN }) });
  frames.push({ ts: ts + 0.02, data: tcp4Frame(dst, PHONE, { sport: dport, dport: sport, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK }) });
  frames.push({ ts: ts + 0.03, data: tcp4Frame(PHONE, dst, { sport, dport, seq: 1001, ack: 5001, flags: TCP_ACK }) });
  frames.push({ ts: ts + 0.04, data: tcp4Frame(PHONE, dst, { sport, dport, seq: 1001, ack: 5001, flags: TCP_PSH | TCP_ACK, payload: request }) });
  frames.push({
    ts: ts + 0.1,
    data: tcp4Frame(dst, PHONE, { sport: dport, dport: sport, seq: 5001, ack: 1001 + request.length, flags: TCP_PSH | TCP_ACK, payload: Buffer.alloc(replyBytes, 0x41) }),
  });
}

/** The phone asks for each name every `everySeconds`, over `minutes`, and talks to a web server in between. */
export function writeDnsCapture(path: string, names: readonly string[], minutes = 3, everySeconds = 30): void {
  const frames: Frame[] = [];
  const t0 = 1_700_000_000;
  let id = 1;
  let port = 40000;
  for (let s = 0; s < minutes * 60; s += everySeconds) {
    for (const name of names) frames.push({ ts: t0 + s, data: udp4Frame(PHONE, RESOLVER, 50000 + (id % 1000), 53, dnsQuery(id++, name)) });
    tcpExchange(frames, t0 + s + 1, '93.184.216.34', port++, 80, Buffer.from('GET / HTTP/1.1\r\nHost: example.org\r\n\r\n'), 800 + s * 10);
  }
  writeFileSync(path, pcapFile(frames));
}

/** One plain-HTTP request whose Host header is markup: the report must show it as text. */
export function writeHostileCapture(path: string, host: string): void {
  const frames: Frame[] = [];
  const t0 = 1_700_000_000;
  frames.push({ ts: t0, data: udp4Frame(PHONE, RESOLVER, 50001, 53, dnsQuery(7, 'x.example')) });
  tcpExchange(frames, t0 + 1, '203.0.113.9', 41000, 8080, Buffer.from(`GET /<img/src=x/onerror=alert(2)> HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: "><svg onload=alert(3)>\r\n\r\n`), 300);
  writeFileSync(path, pcapFile(frames));
}

export function emptyFacts(over: { seconds?: number; packets?: number; bytes?: number } = {}): Facts {
  const start = Date.parse('2024-05-01T10:00:00Z');
  return {
    capture: {
      format: 'pcap',
      packets: over.packets ?? 20_000,
      bytes: over.bytes ?? 30_000_000,
      firstSeen: new Date(start).toISOString(),
      lastSeen: new Date(start + (over.seconds ?? 3600) * 1000).toISOString(),
      linktypes: [1],
      truncated: false,
      damageOffset: null,
      malformed: {},
      omitted: {},
    },
    connections: [],
    dns: [],
    tls: [],
    quic: [],
    http: [],
    dhcp: [],
    addressNames: {},
  };
}

export function finding(id: string, level: Level, host: string, family: string | null = null): Finding {
  return {
    id,
    level,
    host,
    family,
    indicator: family
      ? { value: host, kind: 'c2-domain', family, tag: 'stalkerware', feed: 'ioc.yaml', feedVersion: 'abc', source: 'ioc.yaml:1' }
      : null,
    params: { host, family: family ?? '', evidenceCount: 1 },
    evidence: [{ kind: 'dns', ts: '2024-05-01T10:05:00.000Z', text: `query ${host} A` }],
    alsoAllowedBy: null,
  };
}
