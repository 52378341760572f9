/** A traffic check as the API shows it: the stored record, the live counters, and (admin) indicator hits. */
import type { FastifyReply } from 'fastify';
import type { CheckManager } from '../checks/manager.js';
import type { CheckRecord } from '../store/store.js';
import { CHECK_RECORD_SCHEMA, LIVE_SCHEMA, type AdminCheckWire, type CheckRecordWire, type CheckWire, type LiveWire } from './schemas/checks.js';

/** What a status answer says that depends on the stored record only (everything but the live counters). */
export function recordView(c: CheckRecord): CheckRecordWire {
  return {
    id: c.id,
    source: c.source,
    state: c.state,
    interface: c.iface,
    device: c.device,
    durationSeconds: c.durationSeconds,
    lang: c.lang,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    stoppedAt: c.stoppedAt,
    finishedAt: c.finishedAt,
    packets: c.packets,
    bytes: c.bytes,
    error: c.error,
    recovered: c.recovered,
    mode: c.mode,
    deviceName: c.deviceName,
    filter: c.filter,
    // The store keeps the verdict's level as text; only verdict levels are ever written there.
    result: c.state === 'done' && c.level !== null ? { level: c.level as NonNullable<CheckRecordWire['result']>['level'], families: c.families } : null,
  };
}

export class CheckViews {
  // Status polls are most of the traffic while a check runs. The record's part of the answer is
  // serialised (by the route's own schema serialiser) once per version of the record: the store hands
  // out the same frozen object until the check changes. The live counters are serialised once per
  // snapshot (LiveStats hands out the same one until a frame arrives or a tenth of a second passes).
  private readonly recordJson = new WeakMap<CheckRecord, string>();
  private readonly liveJson = new WeakMap<object, string>();
  private serializeRecord: ((v: CheckRecordWire) => string) | null = null;
  private serializeLive: ((v: LiveWire) => string) | null = null;

  constructor(private readonly manager: CheckManager) {}

  view(c: CheckRecord, withHits: true): AdminCheckWire;
  view(c: CheckRecord, withHits: boolean): CheckWire;
  view(c: CheckRecord, withHits: boolean): CheckWire | AdminCheckWire {
    return {
      ...recordView(c),
      live: this.manager.snapshot(c.id),
      ...(withHits ? { indicatorHits: this.manager.indicatorHits(c.id) } : {}),
    };
  }

  /** The status answer as JSON, its result left out where this kiosk shows none. */
  statusJson(reply: FastifyReply, c: CheckRecord, hideResult = false): string {
    this.serializeRecord ??= reply.compileSerializationSchema(CHECK_RECORD_SCHEMA);
    this.serializeLive ??= reply.compileSerializationSchema(LIVE_SCHEMA);
    let head = hideResult ? this.serializeRecord({ ...recordView(c), result: null }).slice(0, -1) : this.recordJson.get(c);
    if (head === undefined) {
      head = this.serializeRecord(recordView(c)).slice(0, -1); // without its closing brace
      this.recordJson.set(c, head);
    }
    const live = this.manager.snapshot(c.id);
    if (live === null) return `${head},"live":null}`;
    let lj = this.liveJson.get(live);
    if (lj === undefined) {
      lj = this.serializeLive(live satisfies LiveWire);
      this.liveJson.set(live, lj);
    }
    return `${head},"live":${lj}}`;
  }
}
