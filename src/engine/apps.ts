import type { AppFact } from './facts.js';

/**
 * The Android apps a capture file names (PCAPdroid: a UID map block per app, a uid on every packet;
 * its older pcap trailer: a uid and a 20-byte label per packet). Bounded by count and by bytes, since
 * a hostile file can name any number of uids with 255-byte names; uids past the bound stay unnamed
 * and are counted.
 */
export const MAX_APPS = 4096;
export const MAX_APP_BYTES = 1 << 20;

export class AppTable {
  private readonly index = new Map<number, number>();
  readonly uids: number[] = [];
  readonly packages: (string | null)[] = [];
  readonly names: (string | null)[] = [];
  /** Whether the file gave a name for the uid (a map block or a trailer), not just the number. */
  private readonly named: boolean[] = [];
  private bytes = 0;
  /** Uids left out because the table was full. */
  overflow = 0;

  get size(): number {
    return this.uids.length;
  }

  /** An app from a UID map block. */
  define(uid: number, pkg: string, name: string): void {
    const i = this.indexOf(uid);
    if (i < 0) return;
    if (this.packages[i] === null && pkg !== '') this.packages[i] = this.charge(pkg);
    if (this.names[i] === null && name !== '') this.names[i] = this.charge(name);
    this.named[i] = true;
  }

  /** An app label from a packet trailer (no package name there). */
  label(uid: number, name: string): number {
    const i = this.indexOf(uid);
    if (i >= 0 && !this.named[i]) {
      if (name !== '') this.names[i] = this.charge(name);
      this.named[i] = true;
    }
    return i;
  }

  /** The table index for a uid a packet names, adding it unnamed if new; -1 when the table is full. */
  indexOf(uid: number): number {
    const i = this.index.get(uid);
    if (i !== undefined) return i;
    if (this.uids.length >= MAX_APPS || this.bytes >= MAX_APP_BYTES) {
      this.overflow++;
      return -1;
    }
    const n = this.uids.length;
    this.index.set(uid, n);
    this.uids.push(uid);
    this.packages.push(null);
    this.names.push(null);
    this.named.push(false);
    this.bytes += 64;
    return n;
  }

  /** Uids that packets named but the file never mapped to an app. */
  unnamed(): number {
    let n = 0;
    for (const x of this.named) if (!x) n++;
    return n;
  }

  private charge(s: string): string {
    this.bytes += 2 * s.length;
    return s;
  }

  facts(connections: (i: number) => number): AppFact[] {
    return this.uids.map((uid, i) => ({ uid, package: this.packages[i]!, name: this.names[i]!, connections: connections(i) }));
  }
}
