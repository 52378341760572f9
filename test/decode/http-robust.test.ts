/** HTTP request parsing on hand-made and corrupted input: framing, folding, limits; it must never throw. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeHttpRequest, MAX_HEAD, parseHttpRequests } from '../../src/decode/http.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function parse(s: string | Buffer) {
  const buf = typeof s === 'string' ? b(s) : s;
  return parseHttpRequests(buf, 0, buf.length);
}

test('pipelined requests with Content-Length and chunked bodies', () => {
  const s = 'POST /a HTTP/1.1\r\nHost: x.example\r\nContent-Length: 5\r\n\r\nhello' +
    'PUT /b HTTP/1.1\r\nhost: y.example\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: t\r\n\r\n' +
    'GET /c HTTP/1.0\r\nUSER-AGENT: Agent/1\r\n\r\n';
  const r = parse(s);
  assert.deepEqual(r.requests, [
    { method: 'POST', uri: '/a', version: 'HTTP/1.1', host: 'x.example', userAgent: null },
    { method: 'PUT', uri: '/b', version: 'HTTP/1.1', host: 'y.example', userAgent: null },
    { method: 'GET', uri: '/c', version: 'HTTP/1.0', host: null, userAgent: 'Agent/1' },
  ]);
  assert.equal(r.consumed, s.length);
  assert.equal(r.error, null);
  assert.equal(r.pending, null);
});

test('an incomplete body keeps its request pending and unconsumed', () => {
  const head = 'POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n';
  const r = parse('GET / HTTP/1.1\r\nHost: h\r\n\r\n' + head + 'abc');
  assert.equal(r.requests.length, 1);
  assert.equal(r.consumed, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n'.length);
  assert.equal(r.pending?.uri, '/up');
  const chunked = parse('POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc');
  assert.deepEqual([chunked.requests.length, chunked.consumed, chunked.pending?.uri, chunked.error], [0, 0, '/c', null]);
  // An incomplete head is neither a request nor pending.
  assert.deepEqual(parse('GET /x HTTP/1.1\r\nHost: a'), { requests: [], consumed: 0, error: null, pending: null, upgraded: false });
});

test('obs-fold, LF-only lines, leading empty lines, spaces around values', () => {
  const r = parse('\r\nGET /f HTTP/1.1\nHost:  a.example \nUser-Agent: Foo\n  Bar/2\n\tBaz\n\n');
  assert.deepEqual(r.requests, [{ method: 'GET', uri: '/f', version: 'HTTP/1.1', host: 'a.example', userAgent: 'Foo Bar/2 Baz' }]);
});

test('first Host wins; absolute-form URI gives the host when the header is missing', () => {
  assert.equal(parse('GET / HTTP/1.1\r\nHost: one\r\nHost: two\r\n\r\n').requests[0].host, 'one');
  assert.equal(parse('GET http://user@proxy.example:8080/p?q HTTP/1.1\r\n\r\n').requests[0].host, 'proxy.example:8080');
});

test('CONNECT and Upgrade stop parsing: the rest is another protocol', () => {
  const r = parse('CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n\x16\x03\x01\x02\x00');
  assert.deepEqual([r.requests.map((q) => q.uri), r.upgraded, r.error], [['a.example:443'], true, null]);
  const w = parse('GET /ws HTTP/1.1\r\nHost: w\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello');
  assert.deepEqual([w.requests.length, w.upgraded, w.consumed], [1, true, w.consumed]);
});

test('errors: garbage, bad framing, head too large', () => {
  assert.equal(parse('\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\n').error, 'http.request-line');
  assert.equal(parse('GET /a b HTTP/1.1\r\n\r\n').error, 'http.request-line');
  assert.equal(parse('GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n').error, 'http.content-length');
  assert.equal(parse('GET / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc').error, null);
  assert.equal(parse('GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n').error, 'http.content-length');
  assert.equal(parse('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n').error, 'http.transfer-encoding');
  assert.equal(parse('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n').error, 'http.chunk-size');
  assert.equal(parse('GET / HTTP/1.1\r\nno colon here\r\n\r\n').error, 'http.header');
  const big = 'GET / HTTP/1.1\r\nX: ' + 'a'.repeat(MAX_HEAD) + '\r\n\r\n';
  assert.equal(parse(big).error, 'http.head-too-large');
  // Without any line end, the limit applies as soon as the buffer passes it.
  assert.equal(parse('GET /' + 'a'.repeat(MAX_HEAD + 1)).error, 'http.head-too-large');
  assert.equal(parse('GET /' + 'a'.repeat(MAX_HEAD - 10)).error, null);
  // The good request before the error is kept and counted.
  const r = parse('GET / HTTP/1.1\r\n\r\nBAD LINE\r\n\r\n');
  assert.deepEqual([r.requests.length, r.consumed, r.error], [1, 18, 'http.request-line']);
});

test('reads only [off, off+len) of a bigger buffer', () => {
  const s = b('xxxxGET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n');
  const r = parseHttpRequests(s, 4, 28);
  assert.deepEqual([r.requests.map((q) => q.uri), r.consumed], [['/a'], 28]);
  const r2 = parseHttpRequests(s, 4, 27);
  assert.deepEqual([r2.requests.length, r2.consumed], [0, 0]);
});

test('looksLikeHttpRequest', () => {
  for (const s of ['GET / HTTP/1.1', 'POST ', 'PROPFIND /', 'OPTIONS * HTTP/1.1']) assert.ok(looksLikeHttpRequest(b(s), 0, s.length), s);
  for (const s of ['GETX /', 'GET', 'get /', '\x16\x03\x01', '', 'SSH-2.0-OpenSSH']) assert.ok(!looksLikeHttpRequest(b(s), 0, s.length), s);
  // Bytes past len do not count.
  assert.ok(!looksLikeHttpRequest(b('GET /'), 0, 3));
  assert.ok(looksLikeHttpRequest(b('..GET /'), 2, 5));
});

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLE = b('POST /log HTTP/1.1\r\nHost: spy.example\r\nUser-Agent: A/1\r\nContent-Length: 4\r\n\r\nabcd' +
  'GET /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' +
  'GET /y HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n');

test('truncation at every offset never throws and never invents requests', () => {
  const full = parse(SAMPLE);
  assert.equal(full.requests.length, 3);
  for (let cut = 0; cut <= SAMPLE.length; cut++) {
    const r = parseHttpRequests(Buffer.from(SAMPLE.subarray(0, cut)), 0, cut);
    assert.equal(r.error, null, `cut ${cut}`);
    assert.deepEqual(r.requests, full.requests.slice(0, r.requests.length));
    assert.ok(r.consumed <= cut);
  }
});

test('random byte flips never throw nor hang', () => {
  const rand = rng(99);
  const t0 = Date.now();
  for (let round = 0; round < 20000; round++) {
    const s = Buffer.from(SAMPLE);
    const n = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) s[Math.floor(rand() * s.length)] = Math.floor(rand() * 256);
    const cut = Math.floor(rand() * (s.length + 1));
    const r = parseHttpRequests(Buffer.from(s.subarray(0, cut)), 0, cut);
    assert.ok(r.consumed >= 0 && r.consumed <= cut);
  }
  assert.ok(Date.now() - t0 < 30_000);
});
