/**
 * Builds protected client Initial packets. quietcheck never sends QUIC; this exists so tests can produce
 * cases that the shared captures lack (a ClientHello split over datagrams, v2, coalesced Initials) from real
 * ClientHello bytes, with the same key schedule that the RFC test vectors pin down.
 */
import { createCipheriv } from 'node:crypto';
import { QUIC_V2, quicClientInitialKeys, quicHeaderProtectionMask } from './quic.js';

export interface SealFrame {
  /** CRYPTO frame at this offset; omit `crypto` for raw frame bytes. */
  crypto?: { offset: number; data: Buffer };
  raw?: Buffer;
}

export interface SealOptions {
  version: number;
  dcid: Buffer;
  scid?: Buffer;
  token?: Buffer;
  /** Keys come from this DCID (the connection's first one) when it differs from the header's. */
  keyDcid?: Buffer;
  packetNumber: number;
  /** 1–4 bytes on the wire. */
  pnLength?: number;
  frames: SealFrame[];
  /** Pad the payload with PADDING frames up to this many bytes. */
  padTo?: number;
}

function varint(v: number): Buffer {
  if (v < 0x40) return Buffer.from([v]);
  if (v < 0x4000) return Buffer.from([0x40 | (v >> 8), v & 0xff]);
  if (v < 0x40000000) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(0x80000000 + v, 0);
    return b;
  }
  const b = Buffer.alloc(8);
  b.writeUInt32BE(0xc0000000 + Math.floor(v / 2 ** 32), 0);
  b.writeUInt32BE(v % 2 ** 32, 4);
  return b;
}

export function sealClientInitial(o: SealOptions): Buffer {
  const pnLen = o.pnLength ?? 4;
  const parts: Buffer[] = [];
  for (const f of o.frames) {
    if (f.crypto) parts.push(Buffer.from([0x06]), varint(f.crypto.offset), varint(f.crypto.data.length), f.crypto.data);
    if (f.raw) parts.push(f.raw);
  }
  let payload = Buffer.concat(parts);
  // Header protection samples 16 bytes starting 4 bytes after the packet number start.
  const minPayload = Math.max(o.padTo ?? 0, 4 - pnLen);
  if (payload.length < minPayload) payload = Buffer.concat([payload, Buffer.alloc(minPayload - payload.length)]);

  const keys = quicClientInitialKeys(o.version, o.keyDcid ?? o.dcid);
  const typeBits = o.version === QUIC_V2 ? 1 : 0;
  const scid = o.scid ?? Buffer.alloc(0);
  const token = o.token ?? Buffer.alloc(0);
  const versionBytes = Buffer.alloc(4);
  versionBytes.writeUInt32BE(o.version >>> 0, 0);
  const pnBytes = Buffer.alloc(pnLen);
  for (let i = 0; i < pnLen; i++) pnBytes[pnLen - 1 - i] = Math.floor(o.packetNumber / 256 ** i) & 0xff;
  // A 2-byte Length keeps the header layout fixed, as most stacks do.
  const lengthField = Buffer.from([0x40 | ((pnLen + payload.length + 16) >> 8), (pnLen + payload.length + 16) & 0xff]);
  const header = Buffer.concat([
    Buffer.from([0xc0 | (typeBits << 4) | (pnLen - 1)]),
    versionBytes,
    Buffer.from([o.dcid.length]),
    o.dcid,
    Buffer.from([scid.length]),
    scid,
    varint(token.length),
    token,
    lengthField,
    pnBytes,
  ]);
  const nonce = Buffer.from(keys.iv);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ o.packetNumber) >>> 0, 8);
  const c = createCipheriv('aes-128-gcm', keys.key, nonce, { authTagLength: 16 });
  c.setAAD(header);
  const ct = Buffer.concat([c.update(payload), c.final(), c.getAuthTag()]);
  const pkt = Buffer.concat([header, ct]);
  const pnOffset = header.length - pnLen;
  const mask = quicHeaderProtectionMask(keys.hp, pkt.subarray(pnOffset + 4, pnOffset + 20));
  pkt[0] = pkt[0]! ^ (mask[0]! & 0x0f);
  for (let i = 0; i < pnLen; i++) pkt[pnOffset + i] = pkt[pnOffset + i]! ^ mask[1 + i]!;
  return pkt;
}
