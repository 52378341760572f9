/**
 * Not a test: times readCaptureFile with a no-op sink on a ~200 MB capture.
 * Run: npx tsx test/capture/throughput.ts --run [MiB] [chunkMiB] [--pcapng]
 * (guarded, because the test runner executes every module under test/.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcap } from '../helpers/paths.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import type { FrameSink } from '../../src/capture/types.js';
import { writeBigPcap } from './big-capture.js';

const MiB = 1024 * 1024;

if (process.argv.includes('--run')) {
  const args = process.argv.slice(process.argv.indexOf('--run') + 1);
  const size = Number(args[0] ?? 200) * MiB;
  const chunk = args[1] !== undefined && !args[1].startsWith('--') ? Number(args[1]) * MiB : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'qc-tput-'));
  try {
    const file = join(dir, 'big.pcap');
    const sources = ['tls-browsing-mixed.pcap', 'quic-firefox-cloudflare.pcap'];
    const time = (label: string, path: string, frames: number): void => {
      const bytes = statSync(path).size;
      let seen = 0;
      const sink: FrameSink = { frame: () => void seen++, malformed: () => undefined };
      const opts = chunk === undefined ? {} : { chunkSize: chunk };
      readCaptureFile(path, sink, opts); // warm page cache and JIT
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        readCaptureFile(path, sink, opts);
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
      }
      if (seen !== frames * 6) throw new Error(`expected ${frames} frames per pass, saw ${seen / 6}`);
      const best = Math.min(...times);
      const median = times.sort((a, b) => a - b)[2]!;
      console.log(
        `${label}: ${Math.round(bytes / MiB)} MiB, ${frames} frames (avg ${(bytes / frames).toFixed(0)} B): ` +
          `best ${(bytes / best / 1e9).toFixed(2)} GB/s, median ${(bytes / median / 1e9).toFixed(2)} GB/s, ` +
          `${((best * 1e9) / frames).toFixed(0)} ns/frame`,
      );
    };
    for (const source of sources) {
      const big = writeBigPcap(pcap(source), file, size);
      time(`${source} repeated (pcap)`, file, big.packets);
      if (process.argv.includes('--pcapng')) {
        const ng = join(dir, 'big.pcapng');
        execFileSync('editcap', ['-F', 'pcapng', file, ng]);
        time(`${source} repeated (pcapng via editcap)`, ng, big.packets);
        rmSync(ng);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
