import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApkCertificate } from '../parse/androidqf.js';
import {
  ApkFormatError,
  certificatesFromPkcs7,
  certificatesFromSigningBlock,
  describeCertificate,
  entryData,
  EOCD_SEARCH_BYTES,
  parseCentralDirectory,
  parseZipEnd,
  signingBlockSize,
  v1SignatureEntry,
} from './apk-signing.js';
import { AdbClient, DeviceGoneError } from './client.js';

/**
 * `quietcheck device collect`: reads a phone over USB with read-only commands and writes the same
 * files as an AndroidQF acquisition, so the same analyser runs on it and it can be exported. APKs are
 * never pulled: their SHA-256 is computed on the phone (`sha256sum`) and their signing certificate is
 * read from the APK Signing Block and the zip's end (a few KB per app). Every file is written
 * atomically; a phone unplugged half-way leaves what was read, marked partial in acquisition.json.
 */

export const COLLECTION_SERVICES = ['package', 'accessibility', 'notification', 'device_policy', 'adb', 'appops'] as const;

/** Where su and Magisk binaries live on rooted phones. */
export const ROOT_PATHS = ['/system/bin/su', '/system/xbin/su', '/sbin/su', '/system/sbin/su', '/vendor/bin/su', '/su/bin/su', '/data/local/su', '/data/local/bin/su', '/data/local/xbin/su', '/data/local/tmp/su', '/system/bin/magisk', '/sbin/magisk', '/debug_ramdisk/magisk', '/data/adb/magisk'];

export type CollectStep = 'props' | 'settings' | 'services' | 'packages' | 'launchers' | 'hashes' | 'certificates' | 'root';

export interface CollectProgress {
  step: CollectStep;
  done: number;
  total: number;
}

export interface CollectOptions {
  client: AdbClient;
  serial: string;
  outDir: string;
  onProgress?: (p: CollectProgress) => void;
  /** Parallel commands for per-app reads (the adb server multiplexes them on one USB link). */
  concurrency?: number;
  /** Stops between two commands (the check was deleted): nothing more is read or written. */
  signal?: AbortSignal;
}

export interface CollectResult {
  outDir: string;
  seconds: number;
  apps: number;
  thirdParty: number;
  partial: boolean;
  error: string | null;
  files: string[];
}

export class CollectionError extends Error {
  constructor(
    message: string,
    readonly result: CollectResult,
  ) {
    super(message);
    this.name = 'CollectionError';
  }
}

export interface PmPackage {
  name: string;
  path: string | null;
  installer: string | null;
  uid: number | null;
}

/** `pm list packages -f -i -U` lines: `package:PATH=NAME  installer=X uid:N` (fields in any order after the name). */
export function parsePmList(text: string): PmPackage[] {
  const out: PmPackage[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^package:(\S+)/.exec(line.trim());
    if (!m) continue;
    const first = m[1]!;
    const eq = first.lastIndexOf('=');
    const path = eq > 0 && first.startsWith('/') ? first.slice(0, eq) : null;
    const name = path !== null ? first.slice(eq + 1) : first;
    const inst = /\binstaller=(\S+)/.exec(line)?.[1] ?? null;
    const uid = /\buid:(\d+)/.exec(line)?.[1];
    out.push({ name, path, installer: inst === null || inst === 'null' ? null : inst, uid: uid ? Number(uid) : null });
  }
  return out;
}

function writeAtomic(dir: string, name: string, data: string | Buffer): void {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, join(dir, name));
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
}

/** Reads an APK's signing certificate with two or three small reads from the phone. */
export async function apkCertificate(client: AdbClient, serial: string, path: string, size: number): Promise<ApkCertificate> {
  const tailLen = Math.min(size, EOCD_SEARCH_BYTES);
  const tail = await client.exec(serial, `tail -c ${tailLen} ${path}`);
  const end = parseZipEnd(tail, size);
  const range = (start: number, len: number): Promise<Buffer> =>
    client.exec(serial, `dd if=${path} iflag=skip_bytes,count_bytes skip=${start} count=${len} bs=65536 2>/dev/null`);
  // The signing block is usually a few KB: one read of 16 KB before the directory covers it.
  const guess = Math.min(end.cdOffset, 16 * 1024);
  let before = await range(end.cdOffset - guess, guess);
  const blockLen = signingBlockSize(before);
  if (blockLen !== null) {
    if (blockLen > before.length) before = await range(end.cdOffset - blockLen, blockLen);
    const block = before.subarray(before.length - blockLen);
    const schemes = certificatesFromSigningBlock(block);
    const cert = schemes[0]?.certs[0];
    if (cert) return describeCertificate(cert);
  }
  // v1 only: the certificate is in META-INF/*.RSA, found through the central directory.
  const tailStart = size - tail.length;
  const cd = end.cdOffset >= tailStart ? tail.subarray(end.cdOffset - tailStart, end.cdOffset - tailStart + end.cdSize) : await range(end.cdOffset, end.cdSize);
  const entry = v1SignatureEntry(parseCentralDirectory(cd));
  if (!entry) throw new ApkFormatError('no signature found (no APK Signing Block, no META-INF signature file)');
  const local = await range(entry.localOffset, 30 + 1024 + entry.compressedSize);
  const certs = certificatesFromPkcs7(entryData(local, entry));
  if (!certs[0]) throw new ApkFormatError('the v1 signature holds no certificate');
  return describeCertificate(certs[0]);
}

export async function collectDevice(opts: CollectOptions): Promise<CollectResult> {
  const { client, serial, outDir } = opts;
  const t0 = performance.now();
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  if (readdirSync(outDir).some((n) => !n.startsWith('.'))) throw new Error(`${outDir} is not empty: collect into a new folder so no earlier acquisition is mixed in`);
  const started = new Date().toISOString();
  const written: string[] = [];
  const put = (name: string, data: string | Buffer): void => {
    opts.signal?.throwIfAborted();
    writeAtomic(outDir, name, data);
    written.push(name);
  };
  const progress = (step: CollectStep, done: number, total: number): void => opts.onProgress?.({ step, done, total });
  const text = async (cmd: string): Promise<string> => {
    opts.signal?.throwIfAborted();
    return (await client.exec(serial, cmd)).toString('utf8');
  };
  const n = opts.concurrency ?? 4;
  let apps = 0;
  let thirdParty = 0;
  const problems: string[] = [];

  const finish = (partial: boolean, error: string | null): CollectResult => {
    put(
      'acquisition.json',
      JSON.stringify({ uuid: randomUUID(), collector: 'quietcheck', serial, started, completed: new Date().toISOString(), partial, error, problems }, null, 2),
    );
    return { outDir, seconds: (performance.now() - t0) / 1000, apps, thirdParty, partial, error, files: written.sort() };
  };

  try {
    progress('props', 0, 1);
    put('getprop.txt', await text('getprop'));
    progress('settings', 0, 3);
    for (const [i, ns] of (['secure', 'global', 'system'] as const).entries()) {
      put(`settings_${ns}.txt`, await text(`settings list ${ns}`));
      progress('settings', i + 1, 3);
    }
    const dumps: Buffer[] = [];
    for (const [i, service] of COLLECTION_SERVICES.entries()) {
      progress('services', i, COLLECTION_SERVICES.length);
      opts.signal?.throwIfAborted();
      const out = await client.exec(serial, `dumpsys ${service}`);
      dumps.push(Buffer.from(`-------------------------------------------------------------------------------\nDUMP OF SERVICE ${service}:\n`), out);
    }
    put('dumpsys.txt', Buffer.concat(dumps));

    progress('packages', 0, 4);
    const all = parsePmList(await text('pm list packages -f -U -i'));
    const third = new Set(parsePmList(await text('pm list packages -3')).map((p) => p.name));
    const system = new Set(parsePmList(await text('pm list packages -s')).map((p) => p.name));
    const disabled = new Set(parsePmList(await text('pm list packages -d')).map((p) => p.name));
    apps = all.length;
    thirdParty = third.size;
    progress('packages', 4, 4);

    progress('launchers', 0, 1);
    put('launcher_activities.txt', await text('cmd package query-activities --brief -a android.intent.action.MAIN -c android.intent.category.LAUNCHER'));

    const targets = all.filter((p) => third.has(p.name) && p.path !== null);
    const sizes = new Map<string, number>();
    const hashes = new Map<string, string>();
    const certs = new Map<string, ApkCertificate>();
    // Written as soon as the apps are listed, and again with hashes and certificates: a phone
    // unplugged in between still leaves the list of apps and where each came from.
    const packagesJson = (): string =>
      JSON.stringify(
        all.map((p) => {
          const cert = p.path ? certs.get(p.path) : undefined;
          return {
            name: p.name,
            files: p.path
              ? [
                  {
                    path: p.path,
                    local_name: '',
                    md5: '',
                    sha1: '',
                    sha256: hashes.get(p.path) ?? '',
                    sha512: '',
                    error: '',
                    verified_certificate: false,
                    certificate: cert
                      ? { Md5: cert.md5, Sha1: cert.sha1, Sha256: cert.sha256, ValidFrom: cert.validFrom, ValidTo: cert.validTo, Issuer: cert.issuer, Subject: cert.subject }
                      : null,
                    certificate_error: '',
                    trusted_certificate: false,
                  },
                ]
              : [],
            installer: p.installer ?? 'null',
            uid: p.uid ?? 0,
            disabled: disabled.has(p.name),
            system: system.has(p.name),
            third_party: third.has(p.name),
          };
        }),
        null,
        2,
      );
    put('packages.json', packagesJson());

    // Hashes and certificates of the apps someone installed: preinstalled ones come with the phone's system.
    for (let i = 0; i < targets.length; i += 40) {
      const batch = targets.slice(i, i + 40).map((p) => p.path!);
      for (const line of (await text(`stat -c %s,%n ${batch.join(' ')}`)).split('\n')) {
        const m = /^(\d+),(\/\S+)$/.exec(line.trim());
        if (m) sizes.set(m[2]!, Number(m[1]));
      }
      for (const line of (await text(`sha256sum ${batch.join(' ')}`)).split('\n')) {
        const m = /^([0-9a-f]{64})\s+(\/\S+)$/.exec(line.trim());
        if (m) hashes.set(m[2]!, m[1]!);
      }
      progress('hashes', Math.min(i + 40, targets.length), targets.length);
    }
    let done = 0;
    await pool(targets, n, async (p) => {
      opts.signal?.throwIfAborted();
      const size = sizes.get(p.path!);
      if (size !== undefined) {
        try {
          certs.set(p.path!, await apkCertificate(client, serial, p.path!, size));
        } catch (e) {
          if (e instanceof DeviceGoneError) throw e;
          problems.push(`${p.name}: ${(e as Error).message}`);
        }
      }
      progress('certificates', ++done, targets.length);
    });

    put('packages.json', packagesJson());

    progress('root', 0, 1);
    const found: string[] = [];
    for (const line of (await text(`stat -c %s,%n ${ROOT_PATHS.join(' ')}`)).split('\n')) {
      const m = /^\d+,(\/\S+)$/.exec(line.trim());
      if (m) found.push(m[1]!);
    }
    put('root_binaries.json', JSON.stringify(found));
    return finish(false, null);
  } catch (e) {
    if (!(e instanceof DeviceGoneError)) throw e;
    const result = finish(true, e.message);
    throw new CollectionError(e.message, result);
  }
}
