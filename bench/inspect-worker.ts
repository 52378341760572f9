/**
 * One quietcheck run, in a process of its own so that its peak RSS is its own and not the bench
 * runner's. Times what `quietcheck inspect --json` costs: decoding plus serialising the facts
 * (the text is built and dropped; writing it out would time the terminal or the disk instead).
 */
import { closeSync, openSync } from 'node:fs';
import { inspectFileToJson } from '../src/engine/inspect.js';

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: inspect-worker FILE');
  process.exit(2);
}

const t0 = process.hrtime.bigint();
// Exactly what `inspect FILE --json` does, written to /dev/null so the disk is not timed.
const sink = openSync('/dev/null', 'w');
const { written: jsonBytes, facts, connections } = inspectFileToJson(path, sink);
closeSync(sink);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

console.log(JSON.stringify({
  seconds,
  packets: facts.capture.packets,
  bytes: facts.capture.bytes,
  jsonBytes,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  connections,
  dns: facts.dns.length,
  tls: facts.tls.length,
  quic: facts.quic.length,
  http: facts.http.length,
  dhcp: facts.dhcp.length,
  malformed: facts.capture.malformed,
}));
