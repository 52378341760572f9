/**
 * For bench/serve-load.ts only (QUIETCHECK_BENCH_TIMINGS=1): the server's own view of status and report
 * latency (reply.elapsedTime) and of its event-loop delay, read (and with ?reset=1 restarted) at a hidden route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';

export interface BenchTimings {
  /** An onResponse hook recording the latency of one kind of request. */
  hook(kind: string): (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Milliseconds per kind, and the event loop's delay. */
  read(): Record<string, unknown>;
  reset(): void;
}

/** The timings when the environment asks for them, else null. */
export function benchTimingsFromEnv(): BenchTimings | null {
  return process.env.QUIETCHECK_BENCH_TIMINGS === '1' ? benchTimings() : null;
}

function benchTimings(): BenchTimings {
  const hist = new Map<string, RecordableHistogram>();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const ms = (h: IntervalHistogram | RecordableHistogram, scale: number): Record<string, number> => ({
    n: h.count, p50: h.percentile(50) / scale, p90: h.percentile(90) / scale, p99: h.percentile(99) / scale, max: h.max / scale, mean: h.mean / scale,
  });
  return {
    hook: (kind) => {
      const h = createHistogram();
      hist.set(kind, h);
      return async (_req, reply) => h.record(Math.max(1, Math.round(reply.elapsedTime * 1000)));
    },
    // The loop histogram holds whole sampling intervals: the delay is what exceeds the 5 ms asked for.
    read: () => ({ ...Object.fromEntries([...hist].map(([k, h]) => [k, ms(h, 1000)])), loop: Object.fromEntries(Object.entries(ms(loop, 1e6)).map(([k, v]) => [k, k === 'n' ? v : Math.max(0, v - 5)])) }),
    reset: () => {
      for (const h of hist.values()) h.reset();
      loop.reset();
    },
  };
}
