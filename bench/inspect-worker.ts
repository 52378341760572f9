/**
 * One quietcheck run, in a process of its own so that its peak RSS is its own and not the bench
 * runner's. Times what `quietcheck inspect --json` costs: decoding plus serialising the facts
 * (the text is built and dropped; writing it out would time the terminal or the disk instead).
 */
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tuneV8ForOneShotRun } from '../src/cli/v8-tuning.js';
import { inspectFileToJson } from '../src/engine/inspect.js';

/**
 * CPU seconds of this process's main thread and of all its other threads together (V8's compiler and
 * garbage-collector helpers), from Linux's per-thread accounting; null elsewhere.
 */
function threadCpu(): { main: number; helpers: number } | null {
  try {
    let main = 0;
    let helpers = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (tid === String(process.pid)) main = seconds;
      else helpers += seconds;
    }
    return { main, helpers };
  } catch {
    return null;
  }
}

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: inspect-worker FILE');
  process.exit(2);
}

// The same V8 settings as the CLI's `inspect`.
tuneV8ForOneShotRun();
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
  threads: threadCpu(),
}));
