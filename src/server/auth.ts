/**
 * The admin account: one password, hashed with scrypt, and server-side sessions. The cookie carries a
 * random token whose SHA-256 is stored, so a copy of the database opens no session; each session has
 * its own CSRF token that state-changing admin requests must echo in a header.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { AdminStore, SessionRecord } from '../store/store.js';

export const MIN_PASSWORD_LENGTH = 10;
export const SESSION_COOKIE = 'qc_admin';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * N = 2^15, r = 8: 32 MiB and about 0.1 s per attempt on a laptop, a few tenths on a Raspberry Pi —
 * slow for a guesser with the hash, still quick for the one person logging in.
 */
const COST = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LEN, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the admin password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, 'base64');
  const want = Buffer.from(parts[5]!, 'base64');
  const got = await scryptAsync(password, salt, { N, r, p });
  return got.length === want.length && timingSafeEqual(got, want);
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface NewSession {
  token: string;
  csrf: string;
  expiresAt: string;
}

export class Sessions {
  constructor(
    private readonly store: AdminStore,
    private readonly hours: number,
  ) {}

  create(now = new Date()): NewSession {
    this.store.deleteSessionsExpiredBefore(now.toISOString());
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.hours * 3_600_000).toISOString();
    this.store.createSession({ tokenHash: sha256(token), csrf, createdAt: now.toISOString(), expiresAt });
    return { token, csrf, expiresAt };
  }

  /** The live session of this cookie value, or null. */
  find(token: string | undefined, now = new Date()): SessionRecord | null {
    if (!token || token.length > 200) return null;
    const s = this.store.getSession(sha256(token));
    if (s === null) return null;
    if (s.expiresAt <= now.toISOString()) {
      this.store.deleteSession(s.tokenHash);
      return null;
    }
    return s;
  }

  end(token: string | undefined): void {
    if (token) this.store.deleteSession(sha256(token));
  }

  endAll(): void {
    this.store.deleteAllSessions();
  }
}

/** Compares the header to the session's token in constant time. */
export function csrfMatches(session: SessionRecord, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
