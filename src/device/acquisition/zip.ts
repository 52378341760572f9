import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

/**
 * A ZIP reader for acquisitions, written for hostile input: an acquisition may come from anyone's USB
 * stick. Entries are read one at a time from the file (an AndroidQF zip can hold hundreds of MB of
 * APKs nobody asked for), every size is bounded while inflating (a zip bomb stops at the bound, not
 * when memory runs out), names that climb out of the archive (`../`, absolute, drive letters) are
 * refused, and a zip cut short is read from its local headers up to the damage.
 */

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

export interface ZipLimits {
  /** Largest size one entry may inflate to. */
  maxEntryBytes: number;
  /** Largest size all entries read together may inflate to. */
  maxTotalBytes: number;
  /** Entries above this ratio of inflated to compressed size (and above 1 MB) are a bomb. */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 1000,
  maxEntries: 100_000,
};

export interface ZipEntry {
  /** The name as written, with forward slashes. */
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  encrypted: boolean;
  dir: boolean;
}

export interface ZipIndex {
  entries: ZipEntry[];
  /** Names refused because they would land outside the folder (`../x`, `/etc/x`). */
  unsafe: string[];
  /** Set when the central directory was missing or damaged and entries were found by scanning instead. */
  damage: string | null;
}

/** Bytes read from where they sit: the archive is a file or, after decryption, a buffer in memory. */
export interface RandomAccess {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function bufferAccess(buf: Buffer): RandomAccess {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(Math.max(0, offset), Math.min(buf.length, offset + length)),
    close: async () => {},
  };
}

export async function fileAccess(path: string): Promise<RandomAccess> {
  const fh: FileHandle = await open(path, 'r');
  const size = (await fh.stat()).size;
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.alloc(n);
      let done = 0;
      while (done < n) {
        const { bytesRead } = await fh.read(buf, done, n - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    },
    close: () => fh.close(),
  };
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOC = 0x07064b50;

/** True for a name that stays inside the folder it is unpacked into. */
export function isSafeEntryName(name: string): boolean {
  if (name.length === 0 || name.includes('\0')) return false;
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) return false;
  return !n.split('/').some((part) => part === '..');
}

function decodeName(raw: Buffer, utf8: boolean): string {
  // Legacy zips use CP437; AndroidQF writes UTF-8 names. Either way only ASCII names matter here.
  return utf8 ? raw.toString('utf8') : raw.toString('latin1');
}

/** Reads the central directory, or scans local headers when it is missing (a zip cut short). */
export async function readZipIndex(src: RandomAccess, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipIndex> {
  if (src.size < 4) throw new ZipFormatError('the file is empty or too short to be a ZIP archive');
  const head = await src.read(0, 4);
  if (head.readUInt32LE(0) !== SIG_LOCAL && head.readUInt32LE(0) !== SIG_EOCD) {
    throw new ZipFormatError('the file is not a ZIP archive');
  }
  const tailLen = Math.min(src.size, 22 + 0xffff + 20);
  const tail = await src.read(src.size - tailLen, tailLen);
  let eocd = -1;
  for (let p = tail.length - 22; p >= 0; p--) {
    if (tail.readUInt32LE(p) === SIG_EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd >= 0) {
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === SIG_EOCD64_LOC) {
      const at = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const rec = await src.read(at, 56);
      if (rec.length === 56 && rec.readUInt32LE(0) === SIG_EOCD64) {
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOffset = Number(rec.readBigUInt64LE(48));
      }
    }
    if (count > limits.maxEntries) throw new ZipFormatError(`the archive lists ${count} files, more than an acquisition ever holds`);
    if (cdOffset + cdSize <= src.size) {
      const cd = await src.read(cdOffset, cdSize);
      const parsed = parseCentral(cd, count);
      if (parsed !== null) return parsed;
    }
  }
  return scanLocal(src, limits, eocd >= 0 ? 'the archive’s table of contents is damaged' : 'the archive is cut short (its table of contents is missing)');
}

function parseCentral(cd: Buffer, count: number): ZipIndex | null {
  const entries: ZipEntry[] = [];
  const unsafe: string[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) return null;
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) return null;
    const name = decodeName(cd.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0).replace(/\\/g, '/');
    // ZIP64 sizes live in the extra field when the 32-bit ones are saturated.
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) (size = Number(extra.readBigUInt64LE(q))), (q += 8);
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = Number(extra.readBigUInt64LE(q))), (q += 8);
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) localOffset = Number(extra.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    const entry: ZipEntry = { name, method, compressedSize, size, crc, localOffset, encrypted: (flags & 1) !== 0, dir: name.endsWith('/') };
    if (!isSafeEntryName(name)) unsafe.push(name);
    else entries.push(entry);
  }
  return { entries, unsafe, damage: null };
}

/** Walks local headers from the start: what a zip cut short still holds, up to the cut. */
async function scanLocal(src: RandomAccess, limits: ZipLimits, damage: string): Promise<ZipIndex> {
  const entries: ZipEntry[] = [];
  const unsafe: string[] = [];
  let p = 0;
  while (p + 30 <= src.size && entries.length + unsafe.length < limits.maxEntries) {
    const h = await src.read(p, 30);
    if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL) break;
    const flags = h.readUInt16LE(6);
    const method = h.readUInt16LE(8);
    const nameLen = h.readUInt16LE(26);
    const extraLen = h.readUInt16LE(28);
    // Sizes written after the data (streaming writers) cannot be known without inflating to find the end.
    if ((flags & 0x08) !== 0) break;
    const compressedSize = h.readUInt32LE(18);
    const name = decodeName(await src.read(p + 30, nameLen), (flags & 0x800) !== 0).replace(/\\/g, '/');
    const dataEnd = p + 30 + nameLen + extraLen + compressedSize;
    if (dataEnd > src.size) break;
    const entry: ZipEntry = {
      name,
      method,
      compressedSize,
      size: h.readUInt32LE(22),
      crc: h.readUInt32LE(14),
      localOffset: p,
      encrypted: (flags & 1) !== 0,
      dir: name.endsWith('/'),
    };
    if (!isSafeEntryName(name)) unsafe.push(name);
    else entries.push(entry);
    p = dataEnd;
  }
  if (entries.length === 0 && unsafe.length === 0) throw new ZipFormatError(`${damage}, and no file in it could be read`);
  return { entries, unsafe, damage };
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The entry's bytes, inflated within the limits and checked against its CRC. */
export async function readZipEntry(src: RandomAccess, entry: ZipEntry, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Buffer> {
  if (entry.encrypted) throw new ZipFormatError(`${entry.name}: the file is password-protected inside the archive`);
  if (entry.size > limits.maxEntryBytes) throw new ZipFormatError(`${entry.name}: too large to read (${entry.size} bytes)`);
  if (entry.size > 1024 * 1024 && entry.size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
    throw new ZipFormatError(`${entry.name}: compressed suspiciously well (a "zip bomb"), not unpacked`);
  }
  const h = await src.read(entry.localOffset, 30);
  if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL) throw new ZipFormatError(`${entry.name}: the file's header in the archive is damaged`);
  const start = entry.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  const raw = await src.read(start, entry.compressedSize);
  if (raw.length < entry.compressedSize) throw new ZipFormatError(`${entry.name}: the archive is cut short inside this file`);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      // The declared size may lie: inflation itself stops at the bound.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(limits.maxEntryBytes, entry.size)) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new ZipFormatError(`${entry.name}: unpacks to more than it declares (a "zip bomb"), not unpacked`);
      throw new ZipFormatError(`${entry.name}: the compressed data is damaged`);
    }
  } else throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported`);
  if (data.length !== entry.size || crc32(data) !== entry.crc) throw new ZipFormatError(`${entry.name}: the data is damaged (checksum mismatch)`);
  return data;
}
