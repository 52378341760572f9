/**
 * A clock that moves only when the test says so, for the parts that take one (the check manager):
 * its waits fire, in time order, as the test advances it past them.
 */
import type { Clock } from '../../src/checks/clock.js';

export class ManualClock implements Clock {
  private ms: number;
  private waits: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;

  constructor(start: string | Date) {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  after(ms: number, fn: () => void): () => void {
    const w = { at: this.ms + ms, fn, seq: this.seq++ };
    this.waits.push(w);
    return () => {
      this.waits = this.waits.filter((x) => x !== w);
    };
  }

  /** How many waits are set and not yet due. */
  get pending(): number {
    return this.waits.length;
  }

  /** Moves time forward by `ms`, calling each wait that falls due at its own time. */
  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      const due = this.waits.filter((w) => w.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.waits = this.waits.filter((w) => w !== due);
      this.ms = Math.max(this.ms, due.at);
      due.fn();
    }
    this.ms = end;
  }
}
