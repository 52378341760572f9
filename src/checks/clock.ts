/**
 * Time as the check manager sees it: the times it records (created, started, stopped, finished) and
 * the waits it sets (tcpdump's start, a check's duration). One object, so a test moves time forward
 * instead of waiting for it, and every recorded time agrees with the waits.
 */
export interface Clock {
  now(): Date;
  /** Calls `fn` once, `ms` from now on this clock; the function returned cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
