/** Builds a large pcap by repeating the records of a real capture, writing through one small buffer. */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface BigCapture {
  packets: number;
  bytes: number;
}

export function writeBigPcap(source: string, target: string, targetBytes: number): BigCapture {
  const src = readFileSync(source);
  if (src.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('expected a little-endian µs pcap as source');
  const header = src.subarray(0, 24);
  const body = src.subarray(24);
  let perCopy = 0;
  for (let p = 0; p + 16 <= body.length; p += 16 + body.readUInt32LE(p + 8)) perCopy++;
  const fd = openSync(target, 'w');
  try {
    writeSync(fd, header);
    let bytes = header.length;
    let packets = 0;
    while (bytes < targetBytes) {
      writeSync(fd, body);
      bytes += body.length;
      packets += perCopy;
    }
    return { packets, bytes };
  } finally {
    closeSync(fd);
  }
}
