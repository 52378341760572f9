/**
 * Connections whose flows have left the flow table (closed, or idle past a timeout), so that a capture
 * of days with millions of flows is analysed completely in bounded memory. The first ones are kept one
 * record per connection, as the flow table keeps them; past that bound a retired connection is folded
 * into the record of the same app, client, server, protocol and server port (`flows` counts what was
 * folded in, `starts` keeps the first start times for timing rules). Past the second bound a
 * connection is only counted (`capture.omitted.connections`).
 */

import type { FlowTable } from '../flows/table.js';

/** Records kept one per connection. */
export const MAX_SEPARATE = 60_000;
/** Records in all, folded ones included. */
export const MAX_RECORDS = 100_000;
/** Start times kept per folded record: enough for the timing rules to see a schedule. */
export const MAX_STARTS = 16;

export class RetiredConnections {
  count = 0;
  /** Connections only counted because every record was taken. */
  omitted = 0;
  /** Connections folded into another's record. */
  folded = 0;
  private cap = 0;
  fam = new Uint8Array(0);
  proto = new Uint8Array(0);
  cPort = new Uint16Array(0);
  sPort = new Uint16Array(0);
  pktsToServer = new Float64Array(0);
  pktsToClient = new Float64Array(0);
  bytesToServer = new Float64Array(0);
  bytesToClient = new Float64Array(0);
  first = new Float64Array(0);
  last = new Float64Array(0);
  service = new Uint8Array(0);
  app = new Int32Array(0);
  flows = new Uint32Array(0);
  readonly client: string[] = [];
  readonly server: string[] = [];
  readonly names: (string[] | null)[] = [];
  /** Start times of the connections folded into a record, by record. */
  readonly starts = new Map<number, number[]>();
  private readonly byKey = new Map<string, number>();

  /**
   * Keeps flow f of the table, about to leave it, with its addresses as text and the names it used;
   * returns its record, or -1 when it was only counted. The flow's counters are read straight from the
   * table's arrays.
   */
  add(flows: FlowTable, f: number, client: string, server: string, names: string[] | null): number {
    if (this.count >= MAX_SEPARATE) {
      const key = `${flows.proto[f]!}|${flows.app[f]!}|${client}|${server}|${flows.sPort[f]!}`;
      const i = this.byKey.get(key);
      if (i !== undefined) {
        this.fold(i, flows, f, names);
        return i;
      }
      if (this.count >= MAX_RECORDS) {
        this.omitted++;
        return -1;
      }
      this.byKey.set(key, this.count);
    }
    const i = this.count++;
    if (i >= this.cap) this.grow(Math.max(1024, this.cap * 2));
    this.fam[i] = flows.fam[f]!;
    this.proto[i] = flows.proto[f]!;
    this.cPort[i] = flows.cPort[f]!;
    this.sPort[i] = flows.sPort[f]!;
    this.pktsToServer[i] = flows.pktsToServer[f]!;
    this.pktsToClient[i] = flows.pktsToClient[f]!;
    this.bytesToServer[i] = flows.bytesToServer[f]!;
    this.bytesToClient[i] = flows.bytesToClient[f]!;
    this.first[i] = flows.first[f]!;
    this.last[i] = flows.last[f]!;
    this.service[i] = flows.service[f]!;
    this.app[i] = flows.app[f]!;
    this.flows[i] = 1;
    this.client.push(client);
    this.server.push(server);
    this.names.push(names);
    return i;
  }

  private fold(i: number, flows: FlowTable, f: number, names: string[] | null): void {
    this.folded++;
    if (this.flows[i] === 1) this.starts.set(i, [this.first[i]!]);
    this.flows[i]++;
    this.pktsToServer[i] += flows.pktsToServer[f]!;
    this.pktsToClient[i] += flows.pktsToClient[f]!;
    this.bytesToServer[i] += flows.bytesToServer[f]!;
    this.bytesToClient[i] += flows.bytesToClient[f]!;
    const first = flows.first[f]!;
    const last = flows.last[f]!;
    if (first < this.first[i]!) this.first[i] = first;
    if (last > this.last[i]!) this.last[i] = last;
    if (this.service[i] === 0) this.service[i] = flows.service[f]!;
    const s = this.starts.get(i)!;
    if (s.length < MAX_STARTS) s.push(first);
    if (names !== null) {
      const have = this.names[i];
      if (have === null) this.names[i] = names.slice(0, 16);
      else for (const n of names) if (have.length < 16 && !have.includes(n)) have.push(n);
    }
  }

  private grow(cap: number): void {
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.fam = copy(this.fam);
    this.proto = copy(this.proto);
    this.cPort = copy(this.cPort);
    this.sPort = copy(this.sPort);
    this.pktsToServer = copy(this.pktsToServer);
    this.pktsToClient = copy(this.pktsToClient);
    this.bytesToServer = copy(this.bytesToServer);
    this.bytesToClient = copy(this.bytesToClient);
    this.first = copy(this.first);
    this.last = copy(this.last);
    this.service = copy(this.service);
    this.app = copy(this.app);
    this.flows = copy(this.flows);
    this.cap = cap;
  }
}
