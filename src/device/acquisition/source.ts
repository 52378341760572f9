import { spawn } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { bufferAccess, DEFAULT_ZIP_LIMITS, fileAccess, readZipEntry, readZipIndex, ZipFormatError, type RandomAccess, type ZipEntry } from './zip.js';

/**
 * Where an acquisition's files come from: a folder, AndroidQF's zip, or that zip encrypted with age
 * (AndroidQF's `key.txt`/age identity). Only the files the analyser reads are opened; APKs and
 * backups stay where they are.
 */

export class AcquisitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcquisitionError';
  }
}

/** The files of an AndroidQF acquisition that the analyser reads; any may be missing. */
export const ACQUISITION_FILES = [
  'acquisition.json',
  'packages.json',
  'dumpsys.txt',
  'getprop.txt',
  'settings_secure.txt',
  'settings_global.txt',
  'settings_system.txt',
  'processes.json',
  'ps.txt',
  'root_binaries.json',
  'files.json',
  // Written by quietcheck's own collection: which apps have an icon in the app drawer.
  'launcher_activities.txt',
] as const;
export type AcquisitionFile = (typeof ACQUISITION_FILES)[number];

/** Largest file read into memory: a real dumpsys.txt is 5–60 MB. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface SourceProblem {
  file: string;
  message: string;
}

export interface OpenedSource {
  kind: 'folder' | 'zip' | 'zip-age';
  /** The acquisition's name for the report (never a full path: it may hold a helper's user name). */
  name: string;
  files: Map<AcquisitionFile, Buffer>;
  problems: SourceProblem[];
  /** Set when the container itself is damaged (a zip cut short): what was read is a partial result. */
  damage: string | null;
}

export interface OpenOptions {
  /** An age identity file (AndroidQF's private key) for `.age` acquisitions. */
  keyFile?: string;
}

const AGE_BINARY = 'age-encryption.org/v1\n';
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

function isWanted(name: string): name is AcquisitionFile {
  return (ACQUISITION_FILES as readonly string[]).includes(name);
}

export async function openAcquisition(path: string, opts: OpenOptions = {}): Promise<OpenedSource> {
  const st = await stat(path);
  if (st.isDirectory()) return openFolder(path);
  const head = Buffer.alloc(40);
  const fh = await (await import('node:fs/promises')).open(path, 'r');
  try {
    await fh.read(head, 0, 40, 0);
  } finally {
    await fh.close();
  }
  const text = head.toString('latin1');
  if (text.startsWith(AGE_BINARY) || text.startsWith(AGE_ARMOR)) {
    if (!opts.keyFile) throw new AcquisitionError('this acquisition is encrypted with age: give the key file (--key FILE)');
    const plain = await ageDecrypt(path, opts.keyFile, st.size);
    return openZip(bufferAccess(plain), basename(path), 'zip-age');
  }
  if (head.readUInt32LE(0) !== 0x04034b50 && head.readUInt32LE(0) !== 0x06054b50) {
    throw new AcquisitionError('this is neither an acquisition folder nor an AndroidQF .zip');
  }
  return openZip(await fileAccess(path), basename(path), 'zip');
}

async function openFolder(dir: string): Promise<OpenedSource> {
  const files = new Map<AcquisitionFile, Buffer>();
  const problems: SourceProblem[] = [];
  for (const name of await readdir(dir)) {
    if (!isWanted(name)) continue;
    const p = join(dir, name);
    try {
      const s = await stat(p);
      if (!s.isFile()) continue;
      if (s.size > MAX_FILE_BYTES) {
        problems.push({ file: name, message: `too large to read (${s.size} bytes)` });
        continue;
      }
      files.set(name, await readFile(p));
    } catch (e) {
      problems.push({ file: name, message: (e as Error).message });
    }
  }
  return { kind: 'folder', name: basename(dir), files, problems, damage: null };
}

/** AndroidQF puts everything under one folder named after the acquisition; the shallowest copy of a name wins. */
function pickEntries(entries: readonly ZipEntry[]): Map<AcquisitionFile, ZipEntry> {
  const chosen = new Map<AcquisitionFile, ZipEntry>();
  for (const e of entries) {
    if (e.dir) continue;
    const base = e.name.slice(e.name.lastIndexOf('/') + 1);
    if (!isWanted(base)) continue;
    const prev = chosen.get(base);
    if (!prev || e.name.split('/').length < prev.name.split('/').length) chosen.set(base, e);
  }
  return chosen;
}

async function openZip(src: RandomAccess, name: string, kind: 'zip' | 'zip-age'): Promise<OpenedSource> {
  try {
    let index;
    try {
      index = await readZipIndex(src);
    } catch (e) {
      if (e instanceof ZipFormatError) throw new AcquisitionError(e.message);
      throw e;
    }
    const files = new Map<AcquisitionFile, Buffer>();
    const problems: SourceProblem[] = index.unsafe.map((n) => ({ file: n, message: 'refused: its name points outside the archive' }));
    let total = 0;
    for (const [base, entry] of pickEntries(index.entries)) {
      try {
        if (total + entry.size > DEFAULT_ZIP_LIMITS.maxTotalBytes) throw new ZipFormatError(`${entry.name}: the archive unpacks to more than any acquisition`);
        const data = await readZipEntry(src, entry, { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: MAX_FILE_BYTES });
        total += data.length;
        files.set(base, data);
      } catch (e) {
        if (!(e instanceof ZipFormatError)) throw e;
        problems.push({ file: base, message: e.message });
      }
    }
    return { kind, name, files, problems, damage: index.damage };
  } finally {
    await src.close();
  }
}

/** Decrypts with Debian's `age` into memory: the plain acquisition never touches the disk. */
function ageDecrypt(path: string, keyFile: string, encryptedBytes: number): Promise<Buffer> {
  const limit = Math.max(encryptedBytes + 1024 * 1024, 16 * 1024 * 1024);
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn('age', ['--decrypt', '--identity', keyFile, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      reject(e);
      return;
    }
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      // age output is never larger than its input: more means something is wrong.
      if (size > limit) child.kill();
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new AcquisitionError('the `age` program is needed to open this encrypted acquisition (Debian package "age")') : e);
    });
    child.on('close', (code) => {
      if (code === 0 && size <= limit) resolve(Buffer.concat(out));
      else {
        const why = err.replace(/^age: (error: )?/gm, '').split('\n').find((l) => l.trim() && !l.startsWith('[')) ?? 'unknown error';
        reject(new AcquisitionError(`the acquisition could not be decrypted with this key: ${why.trim()}`));
      }
    });
  });
}
