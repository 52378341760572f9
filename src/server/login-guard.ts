/**
 * Wrong-password limits that a local attacker cannot turn against the admin. Every program on the
 * machine reaches serve from 127.0.0.1, so a limit per address would let any of them lock the admin
 * out by guessing. Limits are kept per client instead: a browser where the admin logged in before
 * carries a device cookie (issued only after a right password) and has its own count; everything
 * else shares the count of its address. Guesses without that cookie then lock out only other clients
 * without it, and each lock is noted in serve's log so the admin sees someone is trying.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SettingsStore } from '../store/store.js';

export const DEVICE_COOKIE = 'qc_device';
const DEVICES_SETTING = 'adminDevices';
/** Browsers remembered; the oldest is forgotten first (it then counts with the rest of its address). */
const KEEP_DEVICES = 20;
const WINDOW_MS = 60_000;
/** Clients tracked at once; the least recently seen go first, so a flood of addresses cannot grow it. */
const KEEP_CLIENTS = 10_000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** What the admin console shows: wrong passwords since the server started, and when the last one came. */
export interface WrongPasswordSummary {
  count: number;
  last: string | null;
  /** Clients that had to wait at least once. */
  lockedClients: number;
}

export class LoginGuard {
  private readonly failures = new Map<string, number[]>();
  private count = 0;
  private last: number | null = null;
  private readonly locked = new Set<string>();

  constructor(
    private readonly store: SettingsStore,
    private readonly maxPerMinute: number,
    private readonly log: (m: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  private devices(): string[] {
    try {
      const v = JSON.parse(this.store.getSetting(DEVICES_SETTING) ?? '[]') as unknown;
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  /** The client a request counts as: a remembered browser by its cookie, anything else by its address. */
  clientOf(deviceCookie: string | undefined, address: string): string {
    if (deviceCookie !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(deviceCookie)) {
      const h = sha256(deviceCookie);
      if (this.devices().includes(h)) return `device ${h.slice(0, 8)}`;
    }
    return `address ${address}`;
  }

  private recent(client: string): number[] {
    const t = this.now();
    const list = (this.failures.get(client) ?? []).filter((x) => t - x < WINDOW_MS);
    if (list.length === 0) this.failures.delete(client);
    else this.failures.set(client, list);
    return list;
  }

  /** Whether this client may try a password now; asked before the password is even looked at. */
  check(client: string): Verdict {
    const list = this.recent(client);
    if (list.length < this.maxPerMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((list[0]! + WINDOW_MS - this.now()) / 1000)) };
  }

  summary(): WrongPasswordSummary {
    return { count: this.count, last: this.last === null ? null : new Date(this.last).toISOString(), lockedClients: this.locked.size };
  }

  failed(client: string, what: string): void {
    this.count++;
    this.last = this.now();
    const list = this.recent(client);
    list.push(this.now());
    this.failures.delete(client);
    this.failures.set(client, list);
    if (this.failures.size > KEEP_CLIENTS) this.failures.delete(this.failures.keys().next().value!);
    if (list.length === this.maxPerMinute) {
      if (this.locked.size < KEEP_CLIENTS) this.locked.add(client);
      this.log(
        `admin: ${list.length} wrong ${what} within a minute from ${client}; it must wait before trying again. ` +
          'Browsers where the admin logged in before are not affected. If this was not you, something on this machine or network is guessing the admin password.',
      );
    }
  }

  succeeded(client: string): void {
    this.failures.delete(client);
  }

  /** A new device cookie for the browser that just logged in. */
  rememberDevice(): string {
    const token = randomBytes(32).toString('base64url');
    const list = [...this.devices(), sha256(token)].slice(-KEEP_DEVICES);
    this.store.setSetting(DEVICES_SETTING, JSON.stringify(list));
    return token;
  }
}
