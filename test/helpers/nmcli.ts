/**
 * The real nmcli as an oracle for the NetworkManager profiles quietcheck makes. `nmcli --offline
 * connection add …` (NetworkManager 1.40 and later) needs no daemon: it checks every property as
 * NetworkManager would and prints the keyfile it would store. On the test machines nmcli is either on
 * PATH or unpacked by .ci/run from Debian's network-manager and libnm0 packages into a cache directory
 * (never installed: the NetworkManager service would take over the machine's networking).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface Nmcli {
  path: string;
  /** The environment to run it with (LD_LIBRARY_PATH for the unpacked libnm). */
  env: NodeJS.ProcessEnv;
  version: string;
  /** Where it was found, for test diagnostics. */
  source: string;
}

/** Where .ci/run unpacks nmcli; keep in step with it. */
export function nmcliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(env.HOME ?? homedir(), '.cache');
  return join(cache, 'quietcheck-ci', 'nmcli');
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

/** The folder holding the unpacked libnm.so.0 (usr/lib/<multiarch triplet>), whatever the architecture. */
function unpackedLibDir(root: string): string | null {
  const lib = join(root, 'usr', 'lib');
  if (!existsSync(lib)) return null;
  for (const d of readdirSync(lib)) if (existsSync(join(lib, d, 'libnm.so.0'))) return join(lib, d);
  return existsSync(join(lib, 'libnm.so.0')) ? lib : null;
}

/** "1.42.4" ≥ 1.40, where `--offline` appeared. */
function offlineCapable(version: string): boolean {
  const [maj, min] = version.split('.').map(Number);
  return maj! > 1 || (maj === 1 && min! >= 40);
}

function probe(path: string, env: NodeJS.ProcessEnv, source: string): Nmcli | string {
  const r = spawnSync(path, ['--version'], { env, encoding: 'utf8', timeout: 10_000 });
  if (r.error) return `${path} (${source}) does not run: ${r.error.message}`;
  const m = /version (\d+\.\d+(?:\.\d+)?)/.exec(r.stdout);
  if (r.status !== 0 || m === null) return `${path} (${source}) does not run: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
  if (!offlineCapable(m[1]!)) return `${path} (${source}) is nmcli ${m[1]}: --offline needs 1.40 or later`;
  return { path, env, version: m[1]!, source };
}

/** A usable nmcli, or why there is none (for the tests' skip message). */
export function findNmcli(): { nmcli: Nmcli } | { reason: string } {
  // English messages whatever the machine's locale: the tests read nmcli's errors.
  const base = { ...process.env, LC_ALL: 'C' };
  const reasons: string[] = [];
  const system = onPath('nmcli');
  if (system !== null) {
    const p = probe(system, base, 'PATH');
    if (typeof p !== 'string') return { nmcli: p };
    reasons.push(p);
  }
  const root = nmcliCacheDir();
  const bin = join(root, 'usr', 'bin', 'nmcli');
  if (executable(bin)) {
    const lib = unpackedLibDir(root);
    const env = lib === null ? base : { ...base, LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter((x) => x !== undefined && x !== '').join(':') };
    const p = probe(bin, env, 'unpacked by .ci/run');
    if (typeof p !== 'string') return { nmcli: p };
    reasons.push(p);
  } else reasons.push(`no nmcli on PATH and none unpacked in ${root} (.ci/run puts Debian's there)`);
  return { reason: reasons.join('; ') };
}

/** A keyfile: section → key → value (GLib escapes undone; NetworkManager's own list escapes kept). */
export type Keyfile = Record<string, Record<string, string>>;

/**
 * Parses the .ini-style keyfile nmcli prints (nm-settings-keyfile(5), GLib key-file syntax): `[section]`
 * headers, `key=value` lines, `#` comments. In values `\s`, `\t`, `\n`, `\r` and `\\` are GLib's escapes;
 * any other `\x` is left as it is, for the property's own reader (e.g. `\;` in an SSID).
 */
export function parseKeyfile(text: string): Keyfile {
  const out: Keyfile = {};
  let section: Record<string, string> | null = null;
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const head = /^\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      section = out[head[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || section === null) throw new Error(`keyfile line ${n + 1} is neither a [section] nor key=value: ${JSON.stringify(raw)}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).replace(/^[ \t]+/, '');
    section[key] = value.replace(/\\(.)/g, (all, c: string) => ({ s: ' ', t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? all);
  }
  return out;
}

/**
 * The SSID a keyfile stores: a `;`-terminated list of byte values (what NetworkManager writes for
 * names that are not plain ASCII), else the text with NetworkManager's `\;` undone.
 */
export function keyfileSsid(value: string): string {
  if (/^(\d+;)+$/.test(value)) return Buffer.from(value.split(';').filter((x) => x !== '').map(Number)).toString('utf8');
  return value.replace(/\\;/g, ';');
}

export interface OfflineResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The profile nmcli would store; null when it refused the command. */
  keyfile: Keyfile | null;
}

/** Runs `nmcli --offline ARGS` (ARGS as quietcheck would give them to nmcli) and parses what it prints. */
export function nmcliOffline(n: Nmcli, args: string[]): OfflineResult {
  const r = spawnSync(n.path, ['--offline', ...args], { env: n.env, encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, keyfile: r.status === 0 ? parseKeyfile(r.stdout) : null };
}

/**
 * What nmcli takes from a passwd-file (`nmcli connection up … passwd-file FILE`), as nmcli(1) documents
 * it — one `setting.property:secret` per line, `wifi-sec` and `wifi` accepted for
 * 802-11-wireless-security — and as nmcli 1.42 reads it beyond that: `\r\n`, `\n` or `\r` end a line,
 * blank lines and lines starting with `#` are skipped, the key ends at the first `:` or `=`, and in the
 * secret unescaped whitespace at either end is dropped and `\` escapes (C letters, up to three octal
 * digits, anything else taken literally). Written for these tests to check quietcheck's files; it does
 * not run nmcli, which reads the file only when talking to a running NetworkManager.
 */
export function readPasswdFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [n, raw] of text.split(/\r\n|\n|\r/).entries()) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const sep = line.search(/[:=]/);
    if (sep < 0) throw new Error(`passwd-file line ${n + 1}: no ':' (setting.property:secret)`);
    const key = line.slice(0, sep).trim();
    const dot = key.indexOf('.');
    if (dot <= 0 || dot === key.length - 1) throw new Error(`passwd-file line ${n + 1}: "${key}" is not setting.property`);
    const setting = key.slice(0, dot);
    const name = `${setting === 'wifi-sec' || setting === 'wifi' ? '802-11-wireless-security' : setting}.${key.slice(dot + 1)}`;
    out.set(name, unescapeSecret(line.slice(sep + 1)));
  }
  return out;
}

const SPACE = /[ \t\n\v\f\r]/;
const LETTERS: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescapeSecret(v: string): string {
  let i = 0;
  while (i < v.length && SPACE.test(v[i]!)) i++;
  let out = '';
  // Where the text after the last escape starts: only that part loses its trailing whitespace.
  let plainFrom = 0;
  while (i < v.length) {
    const c = v[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = v[i + 1];
    if (e === undefined) {
      i++; // a lone trailing backslash is dropped
      break;
    }
    if (e >= '0' && e <= '9') {
      let code = e.charCodeAt(0) - 48;
      i += 2;
      for (let k = 0; k < 2 && i < v.length && v[i]! >= '0' && v[i]! <= '7'; k++, i++) code = code * 8 + (v.charCodeAt(i) - 48);
      out += String.fromCharCode(code & 0xff);
    } else {
      out += LETTERS[e] ?? e;
      i += 2;
    }
    plainFrom = out.length;
  }
  let end = out.length;
  while (end > plainFrom && SPACE.test(out[end - 1]!)) end--;
  return out.slice(0, end);
}
