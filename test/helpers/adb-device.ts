import { constants, createHash, createPublicKey, publicDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dumpsysOf, fullDumpsys, getpropText, settingsText, DEFAULT_GLOBAL, DEFAULT_PROPS, apkPath, type PhoneSpec } from './android-phone.js';

/**
 * An emulated Android phone for tests: these machines have no phone, so the device side of ADB is
 * emulated at its real interface — adbd's wire protocol over TCP (CNXN, AUTH with RSA keys, OPEN,
 * OKAY, WRTE, CLSE, with adbd's protocol version and payload size) — and reached by Debian's real
 * `adb` client and server (`adb connect 127.0.0.1:PORT`). It answers the shell commands a collection
 * sends from a described phone (see android-phone.ts) and reads APK files from the host, and it logs
 * every command so tests can prove nothing but reading was asked.
 */

const A_CNXN = 0x4e584e43;
const A_AUTH = 0x48545541;
const A_OPEN = 0x4e45504f;
const A_OKAY = 0x59414b4f;
const A_CLSE = 0x45534c43;
const A_WRTE = 0x45545257;
/** adbd's protocol version (checksums may be skipped) and payload size since Android 9. */
export const A_VERSION = 0x01000001;
export const MAX_PAYLOAD = 1024 * 1024;
const AUTH_TOKEN = 1;
const AUTH_SIGNATURE = 2;
const AUTH_RSAPUBLICKEY = 3;
/** The DigestInfo header of a PKCS#1 v1.5 SHA-1 signature: adb signs the 20-byte token as a SHA-1 digest. */
const SHA1_DIGEST_INFO = Buffer.from('3021300906052b0e03021a05000414', 'hex');

export interface EmulatorOptions {
  spec: PhoneSpec;
  /** Device path → host file: the APKs `pm list packages -f` points to. */
  files?: Map<string, string>;
  /** Keys (base64 part) the phone already trusts. */
  trusted?: string[];
  /** Accept a new computer's key at once, as if the person tapped "Allow" on the phone. */
  autoAccept?: boolean;
  /** Never answer CNXN: the host sees the phone "offline". */
  offline?: boolean;
  /** Drop the cable after this many commands (an unplugged phone). */
  unplugAfter?: number;
  /** Delay added to every command, to emulate a real phone's USB round trip. */
  latencyMs?: number;
}

/** Android's RSA public key structure (as in `adbkey.pub`) as a Node key. */
export function adbPublicKey(base64: string): KeyObject {
  const b = Buffer.from(base64, 'base64');
  const words = b.readUInt32LE(0);
  const n = Buffer.from(b.subarray(8, 8 + words * 4)).reverse();
  const e = b.readUInt32LE(8 + words * 8);
  const eBuf = Buffer.alloc(4);
  eBuf.writeUInt32BE(e);
  let i = 0;
  while (i < 3 && eBuf[i] === 0) i++;
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: eBuf.subarray(i).toString('base64url') }, format: 'jwk' });
}

function checksum(data: Buffer): number {
  let s = 0;
  for (const b of data) s = (s + b) >>> 0;
  return s;
}

function packet(cmd: number, arg0: number, arg1: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(cmd, 0);
  h.writeUInt32LE(arg0 >>> 0, 4);
  h.writeUInt32LE(arg1 >>> 0, 8);
  h.writeUInt32LE(data.length, 12);
  h.writeUInt32LE(checksum(data), 16);
  h.writeUInt32LE((cmd ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([h, data]);
}

/** Splits a command line as sh would for the simple forms the collector sends (single quotes only). */
export function shellWords(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!;
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      cur += cmd.slice(i + 1, end < 0 ? cmd.length : end);
      i = end < 0 ? cmd.length : end;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

interface Stream {
  local: number;
  remote: number;
  chunks: Buffer[];
  waiting: boolean;
}

export class EmulatedPhone {
  readonly commands: string[] = [];
  readonly trusted = new Set<string>();
  /** Trusted keys as the phone lists them in `dumpsys adb` (key and the computer's user@host). */
  private readonly trustedLines = new Map<string, string>();
  /** Keys offered by computers and waiting for the person to tap "Allow". */
  readonly pending: { key: string; socket: Socket }[] = [];
  port = 0;
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private nextId = 1;
  private unplugged = false;

  constructor(private readonly opts: EmulatorOptions) {
    for (const k of opts.trusted ?? []) this.trust(k);
  }

  get serial(): string {
    return `127.0.0.1:${this.port}`;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((s) => this.serve(s));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        this.port = (server.address() as { port: number }).port;
        resolve(this.port);
      });
    });
  }

  private trust(line: string): void {
    const key = line.split(' ')[0]!;
    this.trusted.add(key);
    this.trustedLines.set(key, line);
  }

  /** The person taps "Allow" on the phone's USB debugging prompt. */
  acceptPrompt(): void {
    for (const p of this.pending.splice(0)) {
      this.trust(p.key);
      if (!p.socket.destroyed) p.socket.write(this.cnxn());
    }
  }

  /** The cable is pulled: every connection drops and the phone is gone. */
  unplug(): void {
    this.unplugged = true;
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }

  close(): Promise<void> {
    this.unplug();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private cnxn(): Buffer {
    const p = { ...DEFAULT_PROPS, ...this.opts.spec.props };
    const banner = `device::ro.product.name=${p['ro.product.model']!.toLowerCase().replace(/\s+/g, '_')};ro.product.model=${p['ro.product.model']!.replace(/\s+/g, '_')};ro.product.device=emu;features=cmd,stat_v2`;
    return packet(A_CNXN, A_VERSION, MAX_PAYLOAD, Buffer.from(banner));
  }

  private serve(socket: Socket): void {
    if (this.unplugged) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    let token = randomBytes(20);
    let hostMax = 4096;
    const streams = new Map<number, Stream>();
    const send = (b: Buffer): void => {
      if (!socket.destroyed) socket.write(b);
    };
    const pump = (s: Stream): void => {
      if (s.waiting) return;
      const next = s.chunks.shift();
      if (next === undefined) return;
      if (next.length === 0) {
        send(packet(A_CLSE, s.local, s.remote));
        streams.delete(s.local);
        return;
      }
      s.waiting = true;
      send(packet(A_WRTE, s.local, s.remote, next));
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 24) {
        const cmd = buf.readUInt32LE(0);
        const arg0 = buf.readUInt32LE(4);
        const arg1 = buf.readUInt32LE(8);
        const len = buf.readUInt32LE(12);
        if (buf.length < 24 + len) break;
        const data = buf.subarray(24, 24 + len);
        buf = buf.subarray(24 + len);
        switch (cmd) {
          case A_CNXN:
            hostMax = Math.min(arg1 || 4096, MAX_PAYLOAD);
            if (this.opts.offline) break;
            token = randomBytes(20);
            send(packet(A_AUTH, AUTH_TOKEN, 0, token));
            break;
          case A_AUTH:
            if (arg0 === AUTH_SIGNATURE) {
              if (this.verify(token, data)) send(this.cnxn());
              else {
                token = randomBytes(20);
                send(packet(A_AUTH, AUTH_TOKEN, 0, token));
              }
            } else if (arg0 === AUTH_RSAPUBLICKEY) {
              const key = data.toString('utf8').replace(/\0+$/, '').trim();
              if (this.opts.autoAccept) {
                this.trust(key);
                send(this.cnxn());
              } else this.pending.push({ key, socket });
            }
            break;
          case A_OPEN: {
            const service = data.toString('utf8').replace(/\0+$/, '');
            const local = this.nextId++;
            const stream: Stream = { local, remote: arg0, chunks: [], waiting: false };
            streams.set(local, stream);
            send(packet(A_OKAY, local, arg0));
            void this.run(service).then((out) => {
              if (out === null) {
                socket.destroy();
                return;
              }
              for (let i = 0; i < out.length; i += hostMax) stream.chunks.push(out.subarray(i, i + hostMax));
              stream.chunks.push(Buffer.alloc(0));
              pump(stream);
            });
            break;
          }
          case A_OKAY: {
            const s = streams.get(arg1);
            if (s) {
              s.waiting = false;
              pump(s);
            }
            break;
          }
          case A_CLSE:
            streams.delete(arg1);
            break;
          case A_WRTE:
            // Nothing the collection sends writes to a stream; acknowledge to keep the host's flow going.
            send(packet(A_OKAY, arg1, arg0));
            break;
        }
      }
    });
  }

  private verify(token: Buffer, signature: Buffer): boolean {
    for (const key of this.trusted) {
      try {
        const plain = publicDecrypt({ key: adbPublicKey(key), padding: constants.RSA_PKCS1_PADDING }, signature);
        if (plain.equals(Buffer.concat([SHA1_DIGEST_INFO, token]))) return true;
      } catch {
        // Not this key.
      }
    }
    return false;
  }

  /** A command's output, or null when the cable is pulled during it. */
  private async run(service: string): Promise<Buffer | null> {
    const m = /^(shell|exec):(.*)$/s.exec(service);
    const cmd = m ? m[2]! : service;
    this.commands.push(cmd);
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    if (this.opts.unplugAfter !== undefined && this.commands.length > this.opts.unplugAfter) {
      this.unplug();
      return null;
    }
    if (!m) return Buffer.from(`unknown service ${service}\n`);
    return this.exec(cmd);
  }

  private hostPath(path: string): string | null {
    return this.opts.files?.get(path) ?? null;
  }

  exec(cmd: string): Buffer {
    // The phone lists every computer it trusts, including the one asking.
    const spec = { ...this.opts.spec, adbKeys: [...(this.opts.spec.adbKeys ?? []), ...this.trustedLines.values()] };
    const w = shellWords(cmd.replace(/\s*2>\/dev\/null\s*$/, ''));
    const text = (s: string): Buffer => Buffer.from(s);
    switch (w[0]) {
      case 'getprop':
        return text(getpropText(spec));
      case 'settings':
        if (w[1] === 'list' && w[2] === 'global') return text(settingsText({ ...DEFAULT_GLOBAL, ...spec.global }));
        if (w[1] === 'list' && w[2] === 'secure') return text(settingsText(spec.secure));
        if (w[1] === 'list' && w[2] === 'system') return text(settingsText(spec.system));
        return text(`Invalid command: ${cmd}\n`);
      case 'dumpsys':
        return text(w[1] ? dumpsysOf(spec, w[1]) : fullDumpsys(spec));
      case 'pm':
        if (w[1] === 'list' && w[2] === 'packages') return text(this.pmList(w.slice(3)));
        return text(`Unknown command: ${w[1]}\n`);
      case 'cmd':
        if (w[1] === 'package' && w[2] === 'query-activities') {
          const apps = spec.apps.filter((a) => a.launcher !== false);
          return text(`${apps.length} activities found:\n${apps.map((a, i) => `  Activity #${i}:\n    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false\n    ${a.name}/.MainActivity\n`).join('')}`);
        }
        return text(`cmd: Can't find service: ${w[1]}\n`);
      case 'stat': {
        // stat -c %s,%n FILE...
        const out: string[] = [];
        for (const p of w.slice(3)) {
          const h = this.hostPath(p);
          out.push(h ? `${statSync(h).size},${p}` : `stat: '${p}': No such file or directory`);
        }
        return text(out.join('\n') + '\n');
      }
      case 'sha256sum': {
        const out: string[] = [];
        for (const p of w.slice(1)) {
          const h = this.hostPath(p);
          out.push(h ? `${createHash('sha256').update(readFileSync(h)).digest('hex')}  ${p}` : `sha256sum: ${p}: No such file or directory`);
        }
        return text(out.join('\n') + '\n');
      }
      case 'tail': {
        // tail -c N FILE
        const n = Number(w[2]);
        const h = this.hostPath(w[3] ?? '');
        if (!h) return text(`tail: ${w[3]}: No such file or directory\n`);
        const size = statSync(h).size;
        return readRange(h, Math.max(0, size - n), Math.min(n, size));
      }
      case 'dd': {
        // dd if=FILE iflag=skip_bytes,count_bytes skip=START count=LEN bs=65536
        const arg = (k: string): string | undefined => w.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1);
        const h = this.hostPath(arg('if') ?? '');
        if (!h) return text(`dd: ${arg('if')}: No such file or directory\n`);
        const size = statSync(h).size;
        const start = Number(arg('skip'));
        const len = Number(arg('count'));
        return readRange(h, Math.min(start, size), Math.max(0, Math.min(len, size - start)));
      }
      default:
        return text(`/system/bin/sh: ${w[0]}: inaccessible or not found\n`);
    }
  }

  private pmList(flags: string[]): string {
    const spec = this.opts.spec;
    let apps = spec.apps;
    if (flags.includes('-3')) apps = apps.filter((a) => !a.system);
    if (flags.includes('-s')) apps = apps.filter((a) => a.system);
    if (flags.includes('-d')) apps = [];
    return apps
      .map((a) => {
        const i = spec.apps.indexOf(a);
        let line = 'package:';
        if (flags.includes('-f')) line += `${apkPath(a)}=`;
        line += a.name;
        if (flags.includes('-i')) line += `  installer=${a.installer === undefined ? (a.system ? 'null' : 'com.android.vending') : a.installer ?? 'null'}`;
        if (flags.includes('-U')) line += ` uid:${(a.system ? 1000 : 10100) + i}`;
        return line + '\n';
      })
      .join('');
  }
}

function readRange(file: string, start: number, len: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const n = readSync(fd, b, done, len - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return b.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}
