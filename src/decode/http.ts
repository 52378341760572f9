/**
 * HTTP/1.x request heads (RFC 9112), read from the client-to-server byte stream of a connection. Only the
 * request line, Host and User-Agent are kept: bodies, cookies and other headers may hold a person's data
 * and are skipped unread.
 */

export interface HttpRequest {
  method: string;
  uri: string;
  /** "HTTP/1.1", "HTTP/1.0". */
  version: string;
  /** The Host header; when it is missing, the authority of an absolute-form URI (RFC 9112 3.2.2). */
  host: string | null;
  userAgent: string | null;
}

export interface HttpParseResult {
  /** Requests whose head and body are complete, in stream order. */
  requests: HttpRequest[];
  /**
   * Bytes from `off` up to the end of the last complete request (head and body). The bytes after it are the
   * start of the next request: keep them and call again with more data appended.
   */
  consumed: number;
  /** Why parsing stopped on bytes that are not HTTP/1.x requests; nothing after `consumed` can be parsed. */
  error: string | null;
  /**
   * The head of the next request when it is complete but its body is not yet: it will be returned in
   * `requests` by a later call once the body has arrived. A caller that gives up on the stream (closed,
   * buffer limit) can still report it.
   */
  pending: HttpRequest | null;
  /**
   * True after a CONNECT or Upgrade request: what follows is a tunnel or another protocol, so parsing
   * stops there; `consumed` covers the request.
   */
  upgraded: boolean;
}

/** RFC 9112 sets no limit; 16 KiB is far above real heads and bounds the work spent on garbage. */
export const MAX_HEAD = 16 * 1024;

const METHOD_NAMES: readonly string[] = [
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PROPFIND', 'PROPPATCH',
  'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKCALENDAR', 'MKACTIVITY', 'CHECKOUT',
  'MERGE', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'PURGE', 'LINK', 'UNLINK', 'ACL', 'BIND', 'REBIND',
  'UNBIND', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'QUERY',
];
const METHODS: readonly Buffer[] = METHOD_NAMES.map((m) => Buffer.from(m, 'latin1'));

/** Buffer's own latin1 slicer: toString('latin1', a, z) without its argument checks and encoding lookup. */
const latin1 = (b: Buffer, a: number, z: number): string =>
  (b as unknown as { latin1Slice(a: number, z: number): string }).latin1Slice(a, z);

/** The method token [a, b) as text: a known method is the same string every time, so none is built for it. */
function methodText(buf: Buffer, a: number, b: number): string {
  const n = b - a;
  for (let i = 0; i < METHODS.length; i++) {
    const m = METHODS[i]!;
    if (m.length !== n) continue;
    let j = 0;
    while (j < n && buf[a + j] === m[j]) j++;
    if (j === n) return METHOD_NAMES[i]!;
  }
  return latin1(buf, a, b);
}

/** The version "HTTP/d.d" at p (already checked), as one of the two real ones without building a string. */
function versionText(buf: Buffer, p: number): string {
  if (buf[p] === 0x48 && buf[p + 1] === 0x54 && buf[p + 2] === 0x54 && buf[p + 3] === 0x50 && buf[p + 5] === 0x31) {
    if (buf[p + 7] === 0x31) return 'HTTP/1.1';
    if (buf[p + 7] === 0x30) return 'HTTP/1.0';
  }
  return latin1(buf, p, p + 8);
}

/** A known method token followed by a space at `off`; no allocation, for guessing a stream's protocol. */
export function looksLikeHttpRequest(buf: Buffer, off: number, len: number): boolean {
  const end = Math.min(off + len, buf.length);
  for (let i = 0; i < METHODS.length; i++) {
    const m = METHODS[i];
    const n = m.length;
    if (end - off < n + 1 || buf[off + n] !== 0x20) continue;
    let j = 0;
    while (j < n && buf[off + j] === m[j]) j++;
    if (j === n) return true;
  }
  return false;
}

/** RFC 9110 5.6.2 tchar. */
function isTchar(b: number): boolean {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) return true;
  switch (b) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a: case 0x2b: case 0x2d:
    case 0x2e: case 0x5e: case 0x5f: case 0x60: case 0x7c: case 0x7e:
      return true;
    default:
      return false;
  }
}

/** Case-insensitive compare of [a, b) with a lower-case ASCII name, without building a string. */
function nameIs(buf: Buffer, a: number, b: number, lower: string): boolean {
  if (b - a !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = buf[a + i];
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Index of the first byte `b` in [p, end), or -1. */
function find(buf: Buffer, b: number, p: number, end: number): number {
  // Native indexOf: most heads are parsed before V8 optimises this, and a byte loop is slow until then.
  // Past `end` it may scan the stream buffer's spare room (at most 64 KiB, at memchr speed) when the
  // byte is missing, which only a head still arriving has; no view is made per line to prevent that.
  const i = buf.indexOf(b, p);
  return i >= 0 && i < end ? i : -1;
}

/** End of the line starting at `p` (index of its LF), or -1 if no LF before `end`. */
function lineEnd(buf: Buffer, p: number, end: number): number {
  return find(buf, 0x0a, p, end);
}

/** [a, b) without a trailing CR and without leading/trailing spaces and tabs. */
let trimA = 0;
let trimB = 0;
function trim(buf: Buffer, a: number, b: number): void {
  if (b > a && buf[b - 1] === 0x0d) b--;
  while (a < b && (buf[a] === 0x20 || buf[a] === 0x09)) a++;
  while (b > a && (buf[b - 1] === 0x20 || buf[b - 1] === 0x09)) b--;
  trimA = a;
  trimB = b;
}

/** Transfer-Encoding whose last coding is "chunked" (RFC 9112 6.1). */
function lastCodingIsChunked(v: string): boolean {
  const i = v.lastIndexOf(',');
  return v.slice(i + 1).trim().toLowerCase() === 'chunked';
}

/** The header fields the parser reads; the others are skipped unread. Host and User-Agent may be continued by obs-fold. */
const Field = { None: 0, Host: 1, UserAgent: 2, ContentLength: 3, TransferEncoding: 4, Upgrade: 5 } as const;

/** Which of the read fields the name [a, b) is (names are case-insensitive), else Field.None. */
function fieldOf(buf: Buffer, a: number, b: number): number {
  let name: string;
  let field: number;
  switch (b - a) {
    case 4: name = 'host'; field = Field.Host; break;
    case 10: name = 'user-agent'; field = Field.UserAgent; break;
    case 14: name = 'content-length'; field = Field.ContentLength; break;
    case 17: name = 'transfer-encoding'; field = Field.TransferEncoding; break;
    case 7: name = 'upgrade'; field = Field.Upgrade; break;
    default: return Field.None;
  }
  // One comparison call site: the compiler copies its loop in once, not once per name.
  return nameIs(buf, a, b, name) ? field : Field.None;
}

/**
 * A Content-Length value [a, b), or -1 when it is not one. A list of equal values is allowed
 * (RFC 9110 8.6); different ones make the framing unknowable.
 */
function contentLengthValue(buf: Buffer, a: number, b: number): number {
  let n = -1;
  let i = a;
  while (i < b) {
    let v = 0;
    let digits = 0;
    while (i < b && buf[i]! >= 0x30 && buf[i]! <= 0x39) {
      v = v * 10 + (buf[i]! - 0x30);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 15) return -1;
    if (n >= 0 && v !== n) return -1;
    n = v;
    while (i < b && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
    if (i < b) {
      if (buf[i] !== 0x2c) return -1;
      i++;
      while (i < b && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
    }
  }
  return n;
}

interface Head {
  req: HttpRequest;
  /** First byte after the empty line ending the head. */
  bodyStart: number;
  contentLength: number;
  chunked: boolean;
  upgrade: boolean;
}

/** obs-fold (RFC 9112 5.2): the line [a, e) continues the previous field's value, joined by one space. */
function unfold(req: HttpRequest, last: number, buf: Buffer, a: number, e: number): void {
  trim(buf, a, e);
  if (trimB <= trimA) return;
  const more = latin1(buf, trimA, trimB);
  if (last === Field.Host && req.host !== null) req.host += ' ' + more;
  else if (last === Field.UserAgent && req.userAgent !== null) req.userAgent += ' ' + more;
}

/** Parse result codes of one head, besides a Head: incomplete, or an error kind. */
const INCOMPLETE = 'incomplete';

function parseHead(buf: Buffer, start: number, end: number): Head | string {
  let p = start;
  // RFC 9112 2.2: a server should ignore at least one empty line before the request line.
  while (p < end && (buf[p] === 0x0d || buf[p] === 0x0a)) {
    if (p - start > 8) return 'http.request-line';
    p++;
  }
  const lineStart = p;
  const le = lineEnd(buf, p, end);
  if (le < 0) return end - start > MAX_HEAD ? 'http.head-too-large' : INCOMPLETE;
  if (le - start > MAX_HEAD) return 'http.head-too-large';
  // request-line = method SP request-target SP HTTP-version
  let q = lineStart;
  while (q < le && isTchar(buf[q])) q++;
  if (q === lineStart || buf[q] !== 0x20) return 'http.request-line';
  const method = methodText(buf, lineStart, q);
  const uriStart = q + 1;
  let lineStop = le;
  if (lineStop > uriStart && buf[lineStop - 1] === 0x0d) lineStop--;
  let sp = lineStop;
  while (sp > uriStart && buf[sp - 1] !== 0x20) sp--;
  if (sp <= uriStart + 1) return 'http.request-line';
  const uriEnd = sp - 1;
  for (let i = uriStart; i < uriEnd; i++) {
    const b = buf[i];
    if (b <= 0x20 || b === 0x7f) return 'http.request-line';
  }
  if (lineStop - sp !== 8 || !nameIs(buf, sp, sp + 5, 'http/') || buf[sp + 6] !== 0x2e ||
    buf[sp + 5] < 0x30 || buf[sp + 5] > 0x39 || buf[sp + 7] < 0x30 || buf[sp + 7] > 0x39) {
    return 'http.request-line';
  }
  const req: HttpRequest = {
    method,
    uri: latin1(buf, uriStart, uriEnd),
    version: versionText(buf, sp),
    host: null,
    userAgent: null,
  };
  let contentLength = -1;
  let chunked = false;
  let transferEncoding = false;
  let upgrade = false;
  let last: number = Field.None;
  p = le + 1;
  for (;;) {
    const e = lineEnd(buf, p, end);
    if (e < 0) return end - start > MAX_HEAD ? 'http.head-too-large' : INCOMPLETE;
    if (e + 1 - start > MAX_HEAD) return 'http.head-too-large';
    const a = p;
    p = e + 1;
    if (e === a || (e === a + 1 && buf[a] === 0x0d)) break;
    if (buf[a] === 0x20 || buf[a] === 0x09) {
      unfold(req, last, buf, a, e);
      continue;
    }
    const colon = find(buf, 0x3a, a, e);
    if (colon < 0) return 'http.header';
    let ne = colon;
    // A space before the colon is forbidden in requests (RFC 9112 5.1); tolerate it, as browsers' peers do.
    while (ne > a && (buf[ne - 1] === 0x20 || buf[ne - 1] === 0x09)) ne--;
    const field = fieldOf(buf, a, ne);
    last = field;
    if (field === Field.None) continue;
    trim(buf, colon + 1, e);
    const va = trimA;
    const vb = trimB;
    switch (field) {
      case Field.Host:
        if (req.host === null) req.host = latin1(buf, va, vb);
        break;
      case Field.UserAgent:
        if (req.userAgent === null) req.userAgent = latin1(buf, va, vb);
        break;
      case Field.ContentLength: {
        const n = contentLengthValue(buf, va, vb);
        if (n < 0 || (contentLength >= 0 && contentLength !== n)) return 'http.content-length';
        contentLength = n;
        break;
      }
      case Field.TransferEncoding:
        transferEncoding = true;
        chunked = lastCodingIsChunked(latin1(buf, va, vb));
        break;
      default:
        upgrade = true;
        break;
    }
  }
  // A request whose final coding is not chunked has no knowable length (RFC 9112 6.3 item 4).
  if (transferEncoding && !chunked) return 'http.transfer-encoding';
  if (req.host === null && !(req.uri.length > 0 && req.uri[0] === '/')) req.host = authorityOf(req.uri);
  return {
    req,
    bodyStart: p,
    contentLength: chunked ? -1 : Math.max(contentLength, 0),
    chunked,
    upgrade: upgrade || method === 'CONNECT',
  };
}

/** The host[:port] of an absolute-form URI ("http://example.com:8080/x"), else null. */
function authorityOf(uri: string): string | null {
  const s = uri.indexOf('://');
  if (s <= 0) return null;
  const a = s + 3;
  let e = a;
  while (e < uri.length && uri[e] !== '/' && uri[e] !== '?' && uri[e] !== '#') e++;
  const at = uri.lastIndexOf('@', e);
  const host = uri.slice(at >= a ? at + 1 : a, e);
  return host.length > 0 ? host : null;
}

/**
 * Skips a chunked body (RFC 9112 7.1) starting at `p`. Returns the first byte after it (after the trailer
 * section), -1 if it is not complete before `end`, or an error kind.
 */
function skipChunked(buf: Buffer, p: number, end: number): number | string {
  for (;;) {
    const e = lineEnd(buf, p, end);
    if (e < 0) return end - p > MAX_HEAD ? 'http.chunk-size' : -1;
    let size = 0;
    let digits = 0;
    let i = p;
    for (; i < e; i++) {
      const b = buf[i] | 0x20;
      const d = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x61 + 10 : -1;
      if (d < 0) break;
      size = size * 16 + d;
      if (++digits > 12) return 'http.chunk-size';
    }
    if (digits === 0) return 'http.chunk-size';
    // What may follow the size: chunk extensions after ";", spaces, the CR.
    const after = buf[i];
    if (i < e && after !== 0x3b && after !== 0x20 && after !== 0x09 && after !== 0x0d) return 'http.chunk-size';
    p = e + 1;
    if (size === 0) {
      const trailerStart = p;
      for (;;) {
        const t = lineEnd(buf, p, end);
        if (t < 0) return end - trailerStart > MAX_HEAD ? 'http.head-too-large' : -1;
        const a = p;
        p = t + 1;
        if (t === a || (t === a + 1 && buf[a] === 0x0d)) return p;
      }
    }
    // chunk-data CRLF; a bare LF is tolerated like on other lines.
    const dataEnd = p + size;
    if (dataEnd >= end) return -1;
    if (buf[dataEnd] === 0x0a) p = dataEnd + 1;
    else if (buf[dataEnd] === 0x0d) {
      if (dataEnd + 1 >= end) return -1;
      if (buf[dataEnd + 1] !== 0x0a) return 'http.chunk-data';
      p = dataEnd + 2;
    } else return 'http.chunk-data';
  }
}

/**
 * Parses as many complete HTTP/1.x requests as [off, off+len) holds (pipelining, keep-alive): skips bodies
 * announced by Content-Length or chunked coding; stops at an incomplete head or body; `consumed` tells how far
 * it got. Only the listed fields are kept (no bodies, no cookies). Header names are case-insensitive; obs-fold
 * is tolerated; a head larger than 16 KiB gives error 'http.head-too-large'. Never throws.
 */
export function parseHttpRequests(buf: Buffer, off: number, len: number): HttpParseResult {
  const requests: HttpRequest[] = [];
  const end = Math.max(off, Math.min(off + len, buf.length));
  let p = off;
  let error: string | null = null;
  let pending: HttpRequest | null = null;
  let upgraded = false;
  while (p < end) {
    const head = parseHead(buf, p, end);
    if (typeof head === 'string') {
      if (head !== INCOMPLETE) error = head;
      break;
    }
    let next: number;
    if (head.chunked) {
      const r = skipChunked(buf, head.bodyStart, end);
      if (typeof r === 'string') {
        // The head itself was sound: report it, then say why the stream cannot be followed further.
        requests.push(head.req);
        p = head.bodyStart;
        error = r;
        break;
      }
      next = r;
    } else {
      next = head.bodyStart + head.contentLength;
    }
    if (next < 0 || next > end) {
      pending = head.req;
      break;
    }
    requests.push(head.req);
    p = next;
    if (head.upgrade) {
      upgraded = true;
      break;
    }
  }
  return { requests, consumed: p - off, error, pending, upgraded };
}
