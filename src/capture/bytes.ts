/** Unaligned integer reads; plain byte arithmetic keeps the per-record path free of bounds-check calls. */

export function u32le(b: Buffer, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

export function u32be(b: Buffer, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

export function u16le(b: Buffer, p: number): number {
  return b[p]! | (b[p + 1]! << 8);
}

export function u16be(b: Buffer, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}
