/**
 * AndroidQF's JSON files: packages.json (apps with their APK files, hashes and signing certificate),
 * processes.json, root_binaries.json, files.json, acquisition.json. Field names follow AndroidQF's
 * Go structs (`Sha1`, `Subject` in certificates; lower-case elsewhere); hashes are normalised to
 * lower-case hex whatever the writer used.
 */

export class JsonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}

export interface ApkCertificate {
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  subject: string | null;
  issuer: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface ApkFile {
  path: string;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  certificate: ApkCertificate | null;
}

export interface AcquiredPackage {
  name: string;
  /** Null when Android recorded no installer (AndroidQF writes the string "null"): adb or another method. */
  installer: string | null;
  uid: number | null;
  system: boolean;
  thirdParty: boolean;
  disabled: boolean;
  files: ApkFile[];
}

type Obj = Record<string, unknown>;

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new JsonFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function str(o: Obj, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** Lower-case hex without separators, or null for anything that is not hex. */
export function hex(v: string | null): string | null {
  if (v === null) return null;
  const h = v.replace(/[:\s]/g, '').toLowerCase();
  return /^[0-9a-f]+$/.test(h) && h.length >= 32 ? h : null;
}

function certificate(v: unknown): ApkCertificate | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Obj;
  const c: ApkCertificate = {
    md5: hex(str(o, 'Md5', 'md5', 'MD5')),
    sha1: hex(str(o, 'Sha1', 'sha1', 'SHA1')),
    sha256: hex(str(o, 'Sha256', 'sha256', 'SHA256')),
    subject: str(o, 'Subject', 'subject'),
    issuer: str(o, 'Issuer', 'issuer'),
    validFrom: str(o, 'ValidFrom', 'valid_from'),
    validTo: str(o, 'ValidTo', 'valid_to'),
  };
  return c.sha1 || c.sha256 || c.md5 ? c : null;
}

export function parsePackagesJson(text: string, file = 'packages.json'): AcquiredPackage[] {
  const data = parseJson(text, file);
  if (!Array.isArray(data)) throw new JsonFileError(`${file}: expected a list of apps`);
  const out: AcquiredPackage[] = [];
  for (const item of data) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Obj;
    const name = str(o, 'name', 'package_name');
    if (!name) continue;
    const installer = str(o, 'installer');
    const files: ApkFile[] = [];
    for (const f of Array.isArray(o.files) ? o.files : []) {
      if (typeof f !== 'object' || f === null) continue;
      const fo = f as Obj;
      files.push({
        path: str(fo, 'path') ?? '',
        md5: hex(str(fo, 'md5')),
        sha1: hex(str(fo, 'sha1')),
        sha256: hex(str(fo, 'sha256')),
        certificate: certificate(fo.certificate),
      });
    }
    out.push({
      name,
      installer: installer === null || installer === 'null' ? null : installer,
      uid: typeof o.uid === 'number' ? o.uid : null,
      system: o.system === true,
      thirdParty: o.third_party === true,
      disabled: o.disabled === true,
      files,
    });
  }
  return out;
}

export function parseStringList(text: string, file: string): string[] {
  const data = parseJson(text, file);
  if (!Array.isArray(data)) throw new JsonFileError(`${file}: expected a list`);
  return data.filter((x): x is string => typeof x === 'string');
}

/** Process names from processes.json (AndroidQF: objects with `name`/`cmdline`) or `ps` output. */
export function parseProcessesJson(text: string, file = 'processes.json'): string[] {
  const data = parseJson(text, file);
  if (!Array.isArray(data)) throw new JsonFileError(`${file}: expected a list of processes`);
  const out: string[] = [];
  for (const p of data) {
    if (typeof p !== 'object' || p === null) continue;
    const name = str(p as Obj, 'name', 'process_name', 'cmdline');
    if (name) out.push(name);
  }
  return out;
}

export function parsePs(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const nameCol = header.indexOf('NAME');
  const out: string[] = [];
  for (const line of lines.slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 2) continue;
    // NAME is the last column and the only one that may hold spaces.
    out.push(nameCol >= 0 ? cols.slice(nameCol).join(' ') : cols[cols.length - 1]!);
  }
  return out;
}

export interface FileEntry {
  path: string;
  sha256: string | null;
  size: number | null;
}

export function parseFilesJson(text: string, file = 'files.json'): FileEntry[] {
  const data = parseJson(text, file);
  if (!Array.isArray(data)) throw new JsonFileError(`${file}: expected a list of files`);
  const out: FileEntry[] = [];
  for (const f of data) {
    if (typeof f !== 'object' || f === null) continue;
    const o = f as Obj;
    const path = str(o, 'path');
    if (path) out.push({ path, sha256: hex(str(o, 'sha256')), size: typeof o.size === 'number' ? o.size : null });
  }
  return out;
}

export interface AcquisitionInfo {
  uuid: string | null;
  started: string | null;
  completed: string | null;
  collector: string | null;
  /** Set by quietcheck's own collection when the phone went away before the end. */
  partial: boolean;
  error: string | null;
}

export function parseAcquisitionJson(text: string, file = 'acquisition.json'): AcquisitionInfo {
  const data = parseJson(text, file);
  if (typeof data !== 'object' || data === null) throw new JsonFileError(`${file}: expected an object`);
  const o = data as Obj;
  return {
    uuid: str(o, 'uuid', 'UUID'),
    started: str(o, 'started', 'Started'),
    completed: str(o, 'completed', 'Completed'),
    collector: str(o, 'collector', 'androidqf_version', 'AndroidQFVersion'),
    partial: o.partial === true,
    error: str(o, 'error'),
  };
}
