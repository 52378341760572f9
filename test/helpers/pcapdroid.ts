/**
 * PCAPdroid captures built from the byte layout (pcapng with UID map blocks and `u-<uid>` comments, pcap
 * with 32-byte trailers), from the IP packets of the shared captures.
 */
import { crc32 } from 'node:zlib';
import { networkOffset } from '../../src/decode/link.js';
import { PcapngBuilder } from '../capture/build-pcapng.js';
import { pcap } from './paths.js';
import { readFrames } from './pcap-writer.js';

export interface PcapdroidApp {
  uid: number;
  pkg: string;
  name: string;
}

/** The UID map block as PCAPdroid writes it: PEN, version 1, type 1, uid, two lengths, package, label. */
export function uidMapBody(uid: number, pkg: string, name: string, lengths?: [number, number]): Buffer {
  const p = Buffer.from(pkg, 'utf8');
  const n = Buffer.from(name, 'utf8');
  const h = Buffer.alloc(14);
  h.writeUInt32LE(62652, 0);
  h.writeUInt16LE(1, 4);
  h.writeUInt16LE(1, 6);
  h.writeInt32LE(uid, 8);
  h[12] = lengths?.[0] ?? p.length;
  h[13] = lengths?.[1] ?? n.length;
  return Buffer.concat([h, p, n]);
}

/** An EPB with the comment option `comment` (and the direction flags option, as in root mode). */
export function epbWithComment(b: PcapngBuilder, ts: number, data: Buffer, comment: string | null): void {
  const pad = (x: Buffer): Buffer => Buffer.concat([x, Buffer.alloc((4 - (x.length % 4)) % 4)]);
  const head = Buffer.alloc(20);
  const us = BigInt(Math.round(ts * 1e6));
  head.writeUInt32LE(0, 0);
  head.writeUInt32LE(Number(us >> 32n), 4);
  head.writeUInt32LE(Number(us & 0xffffffffn), 8);
  head.writeUInt32LE(data.length, 12);
  head.writeUInt32LE(data.length, 16);
  const opts: Buffer[] = [];
  const flags = Buffer.alloc(8);
  flags.writeUInt16LE(2, 0);
  flags.writeUInt16LE(4, 2);
  flags.writeUInt32LE(2, 4);
  opts.push(flags);
  if (comment !== null) {
    const c = Buffer.from(comment, 'latin1');
    const oh = Buffer.alloc(4);
    oh.writeUInt16LE(1, 0);
    oh.writeUInt16LE(c.length, 2);
    opts.push(oh, pad(c));
  }
  opts.push(Buffer.alloc(4));
  b.block(6, Buffer.concat([head, pad(data), ...opts]));
}

/** The IP packets of a shared capture, each with the server port of its flow (to give flows apps). */
export function ipPackets(name: string): { ts: number; ip: Buffer }[] {
  const src = readFrames(pcap(name));
  const out: { ts: number; ip: Buffer }[] = [];
  for (const f of src.frames) {
    const net = networkOffset(src.linktype, f.data, 0, f.data.length);
    if (net >= 0) out.push({ ts: f.ts, ip: Buffer.from(f.data.subarray(net)) });
  }
  return out;
}

/** A frame of PCAPdroid's older pcap: zero MACs, the IP packet, padding to 4 bytes, the trailer. */
export function trailerFrame(ip: Buffer, uid: number, label: string, opts: { magic?: number; crcLe?: boolean; breakCrc?: boolean } = {}): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800, 12);
  const pad = (4 - ((14 + ip.length) % 4)) % 4;
  const t = Buffer.alloc(32);
  t.writeUInt32BE(opts.magic ?? 0x01072021, 0);
  t.writeInt32BE(uid, 4);
  t.write(label.slice(0, 19), 8, 'utf8');
  const frame = Buffer.concat([eth, ip, Buffer.alloc(pad), t]);
  const c = crc32(frame.subarray(0, frame.length - 4)) ^ (opts.breakCrc ? 1 : 0);
  if (opts.crcLe ?? true) frame.writeUInt32LE(c >>> 0, frame.length - 4);
  else frame.writeUInt32BE(c >>> 0, frame.length - 4);
  return frame;
}

/** A PCAPdroid pcapng of a shared capture: one UID map block per app, every packet commented with `uidOf(ip)`. */
export function pcapdroidPcapng(name: string, apps: PcapdroidApp[], uidOf: (ip: Buffer) => number): Buffer {
  const b = new PcapngBuilder().shb().idb(101, 0xffff);
  for (const a of apps) b.block(0xbad, uidMapBody(a.uid, a.pkg, a.name));
  for (const p of ipPackets(name)) epbWithComment(b, p.ts, p.ip, `u-${uidOf(p.ip)}`);
  return b.build();
}
