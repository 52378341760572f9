/** Builders for synthetic TLS handshakes, for edge cases the real captures do not contain. */

export const u8 = (v: number): Buffer => Buffer.from([v & 0xff]);
export const u16 = (v: number): Buffer => Buffer.from([(v >> 8) & 0xff, v & 0xff]);
export const u24 = (v: number): Buffer => Buffer.from([(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
export const vec8 = (b: Buffer): Buffer => Buffer.concat([u8(b.length), b]);
export const vec16 = (b: Buffer): Buffer => Buffer.concat([u16(b.length), b]);
export const vec24 = (b: Buffer): Buffer => Buffer.concat([u24(b.length), b]);
export const list16 = (xs: number[]): Buffer => Buffer.concat(xs.map(u16));

export const ext = (type: number, data: Buffer): Buffer => Buffer.concat([u16(type), vec16(data)]);
export const sniExt = (name: string): Buffer => ext(0, vec16(Buffer.concat([u8(0), vec16(Buffer.from(name, 'latin1'))])));
export const alpnExt = (names: (string | Buffer)[]): Buffer =>
  ext(0x10, vec16(Buffer.concat(names.map((n) => vec8(typeof n === 'string' ? Buffer.from(n, 'latin1') : n)))));
export const versionsExt = (vs: number[]): Buffer => ext(0x2b, vec8(list16(vs)));
export const groupsExt = (gs: number[]): Buffer => ext(0x0a, vec16(list16(gs)));
export const pointsExt = (ps: number[]): Buffer => ext(0x0b, vec8(Buffer.from(ps)));
export const sigAlgsExt = (ss: number[]): Buffer => ext(0x0d, vec16(list16(ss)));

export interface HelloOpts {
  version?: number;
  ciphers: number[];
  extensions?: Buffer[] | null; // null: no extensions block at all
  sessionId?: Buffer;
}

export function clientHelloBody(o: HelloOpts): Buffer {
  const parts = [
    u16(o.version ?? 0x0303),
    Buffer.alloc(32, 0x11),
    vec8(o.sessionId ?? Buffer.alloc(0)),
    vec16(list16(o.ciphers)),
    vec8(Buffer.from([0])),
  ];
  if (o.extensions !== null) parts.push(vec16(Buffer.concat(o.extensions ?? [])));
  return Buffer.concat(parts);
}

export function serverHelloBody(version: number, cipher: number, extensions: Buffer[] | null): Buffer {
  const parts = [u16(version), Buffer.alloc(32, 0x22), vec8(Buffer.alloc(0)), u16(cipher), u8(0)];
  if (extensions !== null) parts.push(vec16(Buffer.concat(extensions)));
  return Buffer.concat(parts);
}

export const handshake = (type: number, body: Buffer): Buffer => Buffer.concat([u8(type), vec24(body)]);
export const record = (type: number, body: Buffer, version = 0x0303): Buffer => Buffer.concat([u8(type), u16(version), vec16(body)]);

/** TLS ≤ 1.2 Certificate body. */
export const certificateBody = (ders: Buffer[]): Buffer => vec24(Buffer.concat(ders.map(vec24)));
/** TLS 1.3 Certificate body: request context, then entries each followed by (empty) extensions. */
export const certificateBody13 = (ders: Buffer[], context = Buffer.alloc(0)): Buffer =>
  Buffer.concat([vec8(context), vec24(Buffer.concat(ders.map((d) => Buffer.concat([vec24(d), vec16(Buffer.alloc(0))]))))]);
