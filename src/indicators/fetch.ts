import { lookup } from 'node:dns/promises';
import { open } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { FeedError } from './types.js';

/**
 * Downloads a feed the careful way: https only, conditional (ETag / Last-Modified), bounded in time
 * and size. Feeds are fetched from networks a helpline does not control (shelter Wi-Fi, captive
 * portals), so every failure comes back as a FeedError with a reason a person can act on.
 */
export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  /** Whole request, headers and body. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Tests and local development only: accept http:// on 127.0.0.1, ::1 and localhost. */
  allowLoopbackHttp?: boolean;
  /**
   * The admin marked the feed local (a mirror on the shelter's network): its server may be on this
   * machine or a private network. Otherwise such addresses are refused before any connection.
   */
  allowLocal?: boolean;
  /** Sent as `Authorization` (MISP API keys). */
  authorization?: string;
  method?: 'GET' | 'POST';
  body?: string;
  onProgress?: (received: number, total: number | null) => void;
}

/** A server answer other than 200/304; callers that know the service (MISP) turn 401/403 into advice. */
export class HttpStatusError extends FeedError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export type FetchResult =
  | { status: 'unchanged'; etag: string | null; lastModified: string | null }
  | { status: 'ok'; bytes: Buffer; etag: string | null; lastModified: string | null; url: string };

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * This machine, the local network and addresses that are not on the Internet: a feed address leading
 * there would let whoever can add a feed probe the shelter's own network (and tell open ports from
 * closed ones by the errors), so it is refused before any connection unless the feed is marked local.
 */
const LOCAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) LOCAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]] as const) LOCAL.addSubnet(net, prefix, 'ipv6');

export function isLocalAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v = isIP(a);
  if (v === 4) return LOCAL.check(a, 'ipv4');
  if (v !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return LOCAL.check(mapped[1]!, 'ipv4');
  return LOCAL.check(a, 'ipv6');
}

/** Refuses a URL whose host is, or resolves to, a local address; every address the name has counts. */
async function checkDestination(u: URL, original: string): Promise<void> {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((r) => r.address);
    } catch {
      throw new FeedError(`${original}: the name ${host} cannot be resolved (no network, or a mistyped address)`);
    }
  }
  const local = addresses.find(isLocalAddress);
  if (local !== undefined) {
    throw new FeedError(
      `${original}: ${host === local ? host : `${host} (${local})`} is on this machine or a local network; feeds are fetched from the Internet only, ` +
        'unless the feed is marked local ("local: true" in feeds.yaml, --local for indicators import)',
    );
  }
}

export function isUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
}

function checkUrl(raw: string, allowLoopbackHttp: boolean): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FeedError(`${raw}: not a valid URL`);
  }
  if (u.protocol === 'https:') return u;
  if (u.protocol === 'http:' && allowLoopbackHttp && LOOPBACK.has(u.hostname)) return u;
  if (u.protocol === 'http:') throw new FeedError(`${raw}: only https:// feeds are fetched (a plain http download can be altered on the way)`);
  throw new FeedError(`${raw}: unsupported URL scheme ${u.protocol}`);
}

/**
 * Where a redirect may lead. It must stay on https, or the https-only rule means nothing; a step down
 * from https to http is refused even when loopback http is allowed for tests, since no real feed
 * does that. A request carrying an API key never leaves the origin it was sent to: fetch would
 * otherwise replay the Authorization header to whatever host the Location names.
 */
export function redirectTarget(from: URL, location: string, opts: Pick<FetchOptions, 'allowLoopbackHttp' | 'authorization'> = {}): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new FeedError(`${from}: redirected to an invalid URL (${location.slice(0, 200)})`);
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    throw new FeedError(`${from}: redirected from https to plain http (${next}); refused, a plain http download can be altered on the way`);
  }
  const checked = checkUrl(next.toString(), !!opts.allowLoopbackHttp);
  if (opts.authorization && checked.origin !== from.origin) {
    throw new FeedError(`${from}: redirected to another server (${checked.origin}); refused so the API key is not sent there`);
  }
  return checked;
}

export async function fetchFeed(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let current = checkUrl(url, !!opts.allowLoopbackHttp);
    for (let hop = 0; ; hop++) {
      // Each hop: a redirect must not lead to a local address either.
      if (!opts.allowLocal && !opts.allowLoopbackHttp) await checkDestination(current, url);
      const headers: Record<string, string> = { 'user-agent': 'quietcheck/0.1 (+indicator update)', accept: '*/*' };
      if (opts.etag) headers['if-none-match'] = opts.etag;
      if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
      if (opts.authorization) {
        headers.authorization = opts.authorization;
        headers.accept = 'application/json';
        headers['content-type'] = 'application/json';
      }
      let res: Response;
      try {
        res = await fetch(current, { method: opts.method ?? 'GET', body: opts.body, headers, redirect: 'manual', signal: controller.signal });
      } catch (e) {
        throw new FeedError(controller.signal.aborted ? `${url}: no answer within ${timeoutMs / 1000} s` : `${url}: cannot connect (${causeOf(e)})`);
      }
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const loc = res.headers.get('location');
        await res.body?.cancel();
        if (!loc) throw new FeedError(`${url}: HTTP ${res.status} redirect without a Location`);
        if (hop >= MAX_REDIRECTS) throw new FeedError(`${url}: too many redirects`);
        current = redirectTarget(current, loc, opts);
        continue;
      }
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      if (res.status === 304) {
        await res.body?.cancel();
        return { status: 'unchanged', etag: etag ?? opts.etag ?? null, lastModified: lastModified ?? opts.lastModified ?? null };
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new HttpStatusError(`${url}: HTTP ${res.status} ${res.statusText}`.trim(), res.status);
      }
      const type = res.headers.get('content-type') ?? '';
      if (/text\/html/i.test(type)) {
        await res.body?.cancel();
        throw new FeedError(`${url}: the server sent an HTML page (${type}), not a feed — an error or login page?`);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        await res.body?.cancel();
        throw new FeedError(`${url}: ${declared} bytes is over the ${maxBytes}-byte limit for a feed`);
      }
      const chunks: Buffer[] = [];
      let received = 0;
      try {
        for await (const chunk of res.body ?? []) {
          received += chunk.byteLength;
          if (received > maxBytes) {
            controller.abort();
            throw new FeedError(`${url}: more than ${maxBytes} bytes, over the limit for a feed; download stopped`);
          }
          chunks.push(Buffer.from(chunk));
          opts.onProgress?.(received, Number.isFinite(declared) ? declared : null);
        }
      } catch (e) {
        if (e instanceof FeedError) throw e;
        throw new FeedError(controller.signal.aborted ? `${url}: download not finished within ${timeoutMs / 1000} s` : `${url}: download cut off (${causeOf(e)})`);
      }
      // fetch gives the decoded body, so the announced length only describes it when nothing was
      // compressed on the way. A body that is not the length announced was cut off (or padded): its
      // last value may be a fragment, so none of it is used.
      const encoding = (res.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
      if (Number.isFinite(declared) && (encoding === '' || encoding === 'identity') && received !== declared) {
        throw new FeedError(`${url}: the server announced ${declared} bytes but sent ${received}; the download is incomplete, so none of it is used`);
      }
      return { status: 'ok', bytes: Buffer.concat(chunks), etag, lastModified, url: current.toString() };
    }
  } finally {
    clearTimeout(timer);
  }
}

function causeOf(e: unknown): string {
  const c = (e as { cause?: { code?: string; message?: string } })?.cause;
  return c?.code ?? c?.message ?? (e instanceof Error ? e.message : String(e));
}

/** Reads a local feed file with the same size cap as a download. */
export async function readLocalFeed(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new FeedError(`${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new FeedError(`${path}: is a folder, not a feed file`);
    if (st.size > maxBytes) throw new FeedError(`${path}: ${st.size} bytes is over the ${maxBytes}-byte limit for a feed`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** Feed bytes as text: UTF-8 with a BOM removed; refuses binary (a zip or gzip saved under a feed's name). */
export function feedText(bytes: Buffer, where: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0x1f && bytes[1] === 0x8b) || (bytes[0] === 0x50 && bytes[1] === 0x4b))) {
    throw new FeedError(`${where}: this is a compressed archive, not a feed; unpack it first`);
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
