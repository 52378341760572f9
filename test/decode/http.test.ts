/**
 * HTTP request heads against tshark on the shared captures. Client byte streams come from tshark's
 * "follow tcp raw", so this test does not depend on the engine's reassembly.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { looksLikeHttpRequest, parseHttpRequests, type HttpRequest } from '../../src/decode/http.js';
import { pcap } from '../helpers/paths.js';

const SEP = '\x02';

/** tshark's output; its exit status is ignored because it reports a capture cut short (on purpose) as a failure. */
function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'latin1', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.error) throw r.error;
  return r.stdout;
}

/** Client-to-server bytes of every TCP stream (node 0 of tshark's follow is the side that sent first). */
export function clientStreams(file: string): Map<number, Buffer> {
  const ids = tshark(['-r', pcap(file), '-T', 'fields', '-e', 'tcp.stream', '-Y', 'tcp'])
    .split('\n').filter((l) => l.length > 0).map(Number);
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const args = ['-r', pcap(file), '-q'];
  for (const id of unique) args.push('-z', `follow,tcp,raw,${id}`);
  const out = new Map<number, Buffer[]>();
  let cur = -1;
  for (const line of tshark(args).split('\n')) {
    const f = /^Filter: tcp\.stream eq (\d+)$/.exec(line);
    if (f) {
      cur = Number(f[1]);
      out.set(cur, []);
      continue;
    }
    if (cur >= 0 && /^[0-9a-f]+$/.test(line)) out.get(cur)!.push(Buffer.from(line, 'hex'));
  }
  return new Map([...out].map(([k, v]) => [k, Buffer.concat(v)]));
}

/** tshark's requests, per stream, as "method host uri user-agent" lines. */
function tsharkRequests(file: string): Map<number, string[]> {
  const text = tshark(['-r', pcap(file), '-o', 'tcp.reassemble_out_of_order:TRUE', '-Y', 'http.request', '-T', 'fields',
    '-E', `separator=${SEP}`, '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.host', '-e', 'http.request.uri',
    '-e', 'http.user_agent', '-e', 'http.request.version']);
  const out = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [stream, ...rest] = line.split(SEP);
    const list = out.get(Number(stream)) ?? [];
    list.push(rest.join(' | '));
    out.set(Number(stream), list);
  }
  return out;
}

function show(r: HttpRequest): string {
  return [r.method, r.host ?? '', r.uri, r.userAgent ?? '', r.version].join(' | ');
}

/** Feeds `data` in pieces of `step` bytes, keeping the unconsumed rest, as the engine does with segments. */
export function feed(data: Buffer, step: number): { requests: HttpRequest[]; error: string | null; left: number } {
  const requests: HttpRequest[] = [];
  let kept = Buffer.alloc(0);
  for (let i = 0; i < data.length; i += step) {
    kept = Buffer.concat([kept, data.subarray(i, i + step)]);
    const r = parseHttpRequests(kept, 0, kept.length);
    requests.push(...r.requests);
    kept = kept.subarray(r.consumed);
    if (r.error !== null) return { requests, error: r.error, left: kept.length };
  }
  return { requests, error: null, left: kept.length };
}

const FILES = ['http-wikipedia.pcap', 'http-wikipedia-cut.pcap', 'http-vlan.pcap', 'http-sll.pcap', 'http-sll2.pcap',
  'http-ipv6-null.pcap', 'tls-browsing-mixed.pcap'];

for (const file of FILES) {
  test(`HTTP requests match tshark: ${file}`, () => {
    const expected = tsharkRequests(file);
    const streams = clientStreams(file);
    assert.ok(expected.size > 0);
    const diffs: string[] = [];
    for (const [id, data] of streams) {
      const theirs = expected.get(id) ?? [];
      const isHttp = looksLikeHttpRequest(data, 0, data.length);
      if (isHttp !== theirs.length > 0) diffs.push(`stream ${id}: looksLikeHttpRequest=${isHttp}, tshark requests=${theirs.length}`);
      if (!isHttp) continue;
      const whole = parseHttpRequests(data, 0, data.length);
      const ours = whole.requests.map(show);
      if (ours.join('\n') !== theirs.join('\n')) diffs.push(`stream ${id}: ours=${JSON.stringify(ours)} tshark=${JSON.stringify(theirs)}`);
      if (whole.error !== null) diffs.push(`stream ${id}: error ${whole.error}`);
      // The same result however the stream is cut into segments.
      for (const step of [1, 13, 536]) {
        const f = feed(data, step);
        if (f.requests.map(show).join('\n') !== ours.join('\n') || f.error !== whole.error) diffs.push(`stream ${id}: step ${step} differs`);
      }
    }
    assert.deepEqual(diffs, []);
  });
}
