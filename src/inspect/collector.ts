import type { DnsMessage } from '../decode/dns.js';
import { dnsRcodeName, dnsTypeName } from '../decode/dns.js';
import { addrToString } from '../decode/ip.js';
import type { FlowTable } from '../flows/table.js';
import { AppTable } from './apps.js';
import type {
  AppFact, CaptureFacts, ConnectionFact, ConnProto, DhcpFact, DnsFact, Facts, HttpFact, QuicFact, TlsFact,
} from './facts.js';
import { SERVICE_NAMES } from './service.js';
import { isoTime } from './time.js';

/** Queries waiting for their response; beyond this the oldest are forgotten (they stay reported, unanswered). */
const MAX_PENDING_DNS = 50_000;
/** Longest CNAME chain followed when deciding which names an address answers for. */
const MAX_CNAME_DEPTH = 16;
/**
 * Most facts of each kind kept. A phone check holds a few thousand; the bounds keep memory flat on an
 * enormous or hostile capture, and what is left out is counted in `capture.omitted`.
 */
export const FACT_LIMITS = { dns: 40_000, tls: 15_000, quic: 15_000, http: 15_000, dhcp: 5_000 } as const;
export type FactKind = keyof typeof FACT_LIMITS;

/** Addresses whose resolved names are remembered, at most. */
const MAX_ADDRESSES = 60_000;

/** Flows whose first bytes are kept for payload rules, at most. */
const MAX_HEADS = 100_000;

export interface CaptureTotals {
  format: CaptureFacts['format'];
  packets: number;
  bytes: number;
  linktypes: number[];
  truncated: boolean;
  damageOffset: number | null;
  malformed: Record<string, number>;
  otherFrames?: Record<string, number>;
  firstTs: number | null;
  lastTs: number | null;
}

/**
 * Gathers the facts the application decoders report, and keeps the two maps every later stage needs:
 * remote address → names that resolved to it (over the whole capture), and flow → names it used (SNI, Host).
 */
export class FactCollector {
  readonly dns: DnsFact[] = [];
  readonly tls: TlsFact[] = [];
  readonly quic: QuicFact[] = [];
  readonly http: HttpFact[] = [];
  readonly dhcp: DhcpFact[] = [];
  private readonly omitted = new Map<FactKind | 'addressNames', number>();
  /** Lower-cased names per address string, in order of first appearance. */
  readonly namesByAddress = new Map<string, Set<string>>();
  private readonly flowNames = new Map<number, Set<string>>();
  private readonly pendingDns = new Map<string, DnsFact>();
  /** First payload bytes per flow and direction, kept only when the engine was asked to. */
  private readonly heads = new Map<number, [Buffer | null, Buffer | null]>();

  /** Apps the capture names (PCAPdroid), referred to by flows. */
  readonly apps = new AppTable();

  constructor(private readonly flows: FlowTable) {}

  /** The uid of the app that made flow f, when the capture says. */
  appOf(f: number): number | undefined {
    const a = this.flows.app[f]!;
    return a === 0 ? undefined : this.apps.uids[a - 1];
  }

  /** Marks a fact made from flow f with the flow's app, if any. */
  tag<T extends { app?: number }>(fact: T, f: number): T {
    const a = this.flows.app[f]!;
    if (a !== 0) fact.app = this.apps.uids[a - 1];
    return fact;
  }

  /** Address strings per flow, made once: DNS flows ask for them on every message. */
  private readonly clientText: (string | undefined)[] = [];
  private readonly serverText: (string | undefined)[] = [];

  clientAddr(f: number): string {
    return (this.clientText[f] ??= addrToString(this.flows.fam[f], this.flows.cAddr, f * 4));
  }

  serverAddr(f: number): string {
    return (this.serverText[f] ??= addrToString(this.flows.fam[f], this.flows.sAddr, f * 4));
  }

  /** Whether one more fact of this kind may be kept; counts it as omitted otherwise. */
  room(kind: FactKind): boolean {
    if (this[kind].length < FACT_LIMITS[kind]) return true;
    this.omitted.set(kind, (this.omitted.get(kind) ?? 0) + 1);
    return false;
  }

  /** Whether the first bytes of flow f in direction dir are still wanted. */
  wantsHead(f: number, dir: number): boolean {
    const h = this.heads.get(f);
    return h === undefined ? this.heads.size < MAX_HEADS : h[dir] === null;
  }

  /** Keeps a copy of the first bytes of flow f in direction dir (the first call wins). */
  head(f: number, dir: number, buf: Buffer, off: number, len: number): void {
    if (len <= 0 || !this.wantsHead(f, dir)) return;
    let h = this.heads.get(f);
    if (h === undefined) this.heads.set(f, (h = [null, null]));
    h[dir] = Buffer.from(buf.subarray(off, off + len));
  }

  /** A name this flow used itself (TLS/QUIC SNI, HTTP Host). */
  flowName(f: number, name: string): void {
    const n = normaliseName(name);
    if (n === '') return;
    let set = this.flowNames.get(f);
    if (!set) this.flowNames.set(f, (set = new Set()));
    set.add(n);
  }

  /**
   * One DNS message. `fromClient` says whether it travelled client → server in flow terms;
   * `multicast` marks mDNS/LLMNR.
   */
  dnsMessage(msg: DnsMessage, f: number, fromClient: boolean, transport: 'udp' | 'tcp', ts: number, multicast: boolean): void {
    const src = fromClient ? this.clientAddr(f) : this.serverAddr(f);
    const dst = fromClient ? this.serverAddr(f) : this.clientAddr(f);
    if (!msg.response) {
      for (const q of msg.questions) {
        const fact: DnsFact = {
          ts: isoTime(ts), client: src, server: dst, transport, query: q.name, qtype: dnsTypeName(q.type),
          rcode: null, answers: [], multicast, seen: 'query',
        };
        if (!this.room('dns')) continue;
        this.dns.push(this.tag(fact, f));
        if (this.pendingDns.size >= MAX_PENDING_DNS) {
          const oldest = this.pendingDns.keys().next().value;
          if (oldest !== undefined) this.pendingDns.delete(oldest);
        }
        this.pendingDns.set(pendingKey(f, msg.id, q.name, q.type), fact);
      }
      return;
    }
    this.learnAddresses(msg);
    const answers = msg.answers.map((r) => ({ name: r.name, type: dnsTypeName(r.type), data: r.data }));
    const rcode = dnsRcodeName(msg.rcode);
    if (msg.questions.length === 0) {
      // mDNS announcements carry answers without a question: report them under their first owner name.
      if (answers.length === 0 || !this.room('dns')) return;
      this.dns.push(this.tag<DnsFact>({
        ts: isoTime(ts), client: dst, server: src, transport, query: answers[0].name, qtype: answers[0].type,
        rcode, answers, multicast, seen: 'announcement',
      }, f));
      return;
    }
    for (const q of msg.questions) {
      const key = pendingKey(f, msg.id, q.name, q.type);
      const fact = this.pendingDns.get(key);
      if (fact && fact.rcode === null) {
        this.pendingDns.delete(key);
        fact.rcode = rcode;
        fact.answers = answers;
      } else if (this.room('dns')) {
        this.dns.push(this.tag<DnsFact>({
          ts: isoTime(ts), client: dst, server: src, transport, query: q.name, qtype: dnsTypeName(q.type),
          rcode, answers, multicast, seen: 'response-only',
        }, f));
      }
    }
  }

  /** Every A/AAAA answer maps its address to its owner name and to every name that CNAMEs to it. */
  private learnAddresses(msg: DnsMessage): void {
    const records = msg.answers;
    let aliasesOf: Map<string, string[]> | null = null;
    for (const r of records) {
      if (r.type === 5) {
        aliasesOf ??= new Map();
        const target = normaliseName(r.data);
        const list = aliasesOf.get(target);
        if (list) list.push(normaliseName(r.name));
        else aliasesOf.set(target, [normaliseName(r.name)]);
      }
    }
    for (const r of records) {
      if (r.type !== 1 && r.type !== 28) continue;
      let set = this.namesByAddress.get(r.data);
      if (!set) {
        if (this.namesByAddress.size >= MAX_ADDRESSES) {
          this.omitted.set('addressNames', (this.omitted.get('addressNames') ?? 0) + 1);
          continue;
        }
        this.namesByAddress.set(r.data, (set = new Set()));
      }
      const owner = normaliseName(r.name);
      set.add(owner);
      if (aliasesOf === null) continue;
      let frontier = [owner];
      for (let depth = 0; depth < MAX_CNAME_DEPTH && frontier.length > 0; depth++) {
        const next: string[] = [];
        for (const n of frontier) {
          for (const alias of aliasesOf.get(n) ?? []) {
            if (!set.has(alias)) {
              set.add(alias);
              next.push(alias);
            }
          }
        }
        frontier = next;
      }
    }
  }

  /** The connection facts, made one at a time from the flow table (a writer can stream them). */
  *connectionFacts(): Generator<ConnectionFact> {
    const flows = this.flows;
    for (let f = 0; f < flows.count; f++) {
      const dst = this.serverAddr(f);
      const own = this.flowNames.get(f);
      const resolved = this.namesByAddress.get(dst);
      let names: string[];
      if (own === undefined) names = resolved === undefined ? [] : [...resolved];
      else if (resolved === undefined) names = [...own];
      else names = [...new Set([...own, ...resolved])];
      const fact: ConnectionFact = {
        proto: protoName(flows.proto[f], flows.fam[f]),
        src: this.clientAddr(f),
        sport: flows.cPort[f],
        dst,
        dport: flows.sPort[f],
        firstSeen: isoTime(flows.first[f]),
        lastSeen: isoTime(flows.last[f]),
        packets: flows.pktsToServer[f] + flows.pktsToClient[f],
        bytes: flows.bytesToServer[f] + flows.bytesToClient[f],
        bytesToServer: flows.bytesToServer[f],
        bytesToClient: flows.bytesToClient[f],
        service: SERVICE_NAMES[flows.service[f]] ?? null,
        names,
      };
      yield this.tag(fact, f);
    }
  }

  /** The apps table, with how many connections each made. */
  appFacts(): AppFact[] {
    if (this.apps.size === 0) return [];
    const counts = new Array<number>(this.apps.size).fill(0);
    const app = this.flows.app;
    for (let f = 0; f < this.flows.count; f++) if (app[f]! !== 0) counts[app[f]! - 1]++;
    return this.apps.facts((i) => counts[i]!);
  }

  /**
   * The facts. With `connections: false` the connections list is left empty, for a writer that streams
   * `connectionFacts()` instead of holding one object per connection.
   */
  build(totals: CaptureTotals, opts: { connections?: boolean } = {}): Facts {
    const connections: ConnectionFact[] = opts.connections === false ? [] : [...this.connectionFacts()];
    return {
      capture: {
        format: totals.format,
        packets: totals.packets,
        bytes: totals.bytes,
        firstSeen: totals.firstTs === null ? null : isoTime(totals.firstTs),
        lastSeen: totals.lastTs === null ? null : isoTime(totals.lastTs),
        linktypes: totals.linktypes,
        truncated: totals.truncated,
        damageOffset: totals.damageOffset,
        malformed: totals.malformed,
        omitted: Object.fromEntries(this.omitted),
        otherFrames: totals.otherFrames ?? {},
      },
      connections,
      dns: this.dns,
      tls: this.tls,
      quic: this.quic,
      http: this.http,
      dhcp: this.dhcp,
      ...(this.heads.size > 0 ? {
        payloadHeads: [...this.heads].sort((a, b) => a[0] - b[0]).map(([connection, [up, down]]) => ({
          connection, toServer: up?.toString('base64') ?? null, toClient: down?.toString('base64') ?? null,
        })),
      } : {}),
      addressNames: Object.fromEntries([...this.namesByAddress].map(([addr, names]) => [addr, [...names]])),
      apps: this.appFacts(),
    };
  }
}

function pendingKey(f: number, id: number, name: string, type: number): string {
  return `${f}|${id}|${type}|${name.toLowerCase()}`;
}

/** Names compare case-insensitively and without the root dot. */
export function normaliseName(name: string): string {
  let n = name.toLowerCase();
  while (n.endsWith('.')) n = n.slice(0, -1);
  return n;
}

function protoName(proto: number, fam: number): ConnProto {
  if (proto === 6) return 'tcp';
  if (proto === 17) return 'udp';
  return fam === 6 ? 'icmp6' : 'icmp';
}
