/**
 * A value per flow index, for state that only some flows have (a TCP reassembly, a QUIC handshake).
 * A Map keyed by flow index did this, but a Map that keeps emptying and filling reallocates its hash
 * table each time; with a table of tens of thousands of flows those tables are large objects, and
 * over a long capture they were the largest share of the garbage behind `inspect`'s peak memory.
 * Slots are reused with the flow indexes, so this array never outgrows the flow table.
 */
export class FlowSlots<T> {
  private readonly values: (T | undefined)[] = [];
  /** When each value was set, to give them back in that order (as a Map would). */
  private readonly order: number[] = [];
  private next = 0;
  size = 0;

  get(f: number): T | undefined {
    return this.values[f];
  }

  has(f: number): boolean {
    return this.values[f] !== undefined;
  }

  set(f: number, v: T): void {
    // Filled up to f so the array stays a packed list rather than becoming a dictionary.
    while (this.values.length <= f) {
      this.values.push(undefined);
      this.order.push(0);
    }
    if (this.values[f] === undefined) this.size++;
    this.values[f] = v;
    this.order[f] = this.next++;
  }

  delete(f: number): void {
    if (this.values[f] === undefined) return;
    this.values[f] = undefined;
    this.size--;
  }

  /** The flows holding a value, in the order their values were set. */
  flows(): number[] {
    const out: number[] = [];
    for (let f = 0; f < this.values.length; f++) if (this.values[f] !== undefined) out.push(f);
    return out.sort((a, b) => this.order[a]! - this.order[b]!);
  }

  clear(): void {
    this.values.length = 0;
    this.order.length = 0;
    this.size = 0;
  }
}
