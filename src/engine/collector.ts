import type { DnsAnswer, DnsBrief, DnsQuestion } from '../decode/dns.js';
import { dnsRcodeName, dnsTypeName } from '../decode/dns.js';
import { addrToString } from '../decode/ip.js';
import { normaliseName } from '../decode/name.js';
import { formatIPv4Word } from '../decode/text.js';
import type { FlowTable } from '../flows/table.js';
import { AppTable } from './apps.js';
import { RetiredConnections } from './retired.js';
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
/**
 * The same bounds in bytes (an estimate of what each fact holds in memory: its strings at two bytes a
 * character plus the object itself), so that facts made of very long names cannot go past them either.
 */
export const FACT_BYTE_LIMITS: Record<FactKind, number> = { dns: 24 << 20, tls: 12 << 20, quic: 8 << 20, http: 12 << 20, dhcp: 2 << 20 };
/**
 * Names remembered per address, and for all addresses together (bytes, estimated as above: measured on
 * V8, an address with one name of 31 characters holds 280 bytes of heap, each further name about 90).
 * 12 MB is some 120,000 names, far more than a phone looks up in a day, and keeps `analyze` under 300 MB
 * on a 500 MB capture of millions of distinct names (the heap's own slack about doubles what is held).
 */
const MAX_NAMES_PER_ADDRESS = 64;
const MAX_ADDRESS_NAME_BYTES = 12 << 20;
/** What an object with a few fields costs besides its strings. */
const OBJECT_BYTES = 160;

/** Addresses whose resolved names are remembered, at most. */
const MAX_ADDRESSES = 60_000;

/** The names of every connection that has none, while the connection facts share their lists. */
const NO_NAMES: string[] = [];

/** An answer list facts share, and whether the names-per-address table has learnt all it says. */
interface SharedAnswers {
  answers: DnsAnswer[];
  learnt: boolean;
}

/** Distinct answer lists remembered for sharing between facts, at most. */
const MAX_ANSWER_LISTS = 4096;

/** The answers of every query still without its response (replaced, never added to, when it comes). */
const NO_ANSWERS: DnsAnswer[] = [];

/** Flows whose first bytes are kept for payload rules, at most. */
const MAX_HEADS = 100_000;

/**
 * What the engine knows of the capture when it builds the facts: their `capture` part, with times still as
 * numbers (seconds) and without `omitted`, which the collector counts itself.
 */
export type CaptureTotals = Omit<CaptureFacts, 'firstSeen' | 'lastSeen' | 'omitted'> & { firstTs: number | null; lastTs: number | null };

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
  /**
   * Queries waiting for their response, by flow and message id (`pendingKey`), matched on their type
   * and name (in any case) when the response comes: a number, unlike a text key, costs no string per
   * query and per response. The rare flow and id shared by several queries hold them as a list.
   */
  private readonly pendingDns = new Map<number, DnsFact | DnsFact[]>();
  /** Queries in `pendingDns`, lists counted by their length. */
  private pendingCount = 0;
  /** First payload bytes per flow and direction, kept only when the engine was asked to. */
  private readonly heads = new Map<number, [Buffer | null, Buffer | null]>();

  /** Apps the capture names (PCAPdroid), referred to by flows. */
  readonly apps = new AppTable();
  /** Connections of flows that left the flow table. */
  readonly retired = new RetiredConnections();
  /** First payload bytes of retired connections, by record. */
  private readonly retiredHeads = new Map<number, [Buffer | null, Buffer | null]>();

  constructor(private readonly flows: FlowTable) {}

  /** The uid of the app that made flow f, when the capture says. */
  appOf(f: number): number | undefined {
    const a = this.flows.app[f]!;
    return a === 0 ? undefined : this.apps.uids[a - 1];
  }

  /**
   * Facts made from a flow still in the flow table: they learn their connection's position in
   * `connections` when the flow retires (its record) or when the facts are built (its place among the live ones).
   */
  private readonly factsOfFlow: ({ connection?: number }[] | undefined)[] = [];
  /** Flows in `factsOfFlow` with a list. */
  private flowsWithFacts = 0;

  /** Marks a fact made from flow f with the flow's app, if any, and with its connection once that is known. */
  tag<T extends { app?: number; connection?: number }>(fact: T, f: number): T {
    const a = this.flows.app[f]!;
    if (a !== 0) fact.app = this.apps.uids[a - 1];
    // Indexed by flow like the flow table itself (a hash map cost more on every fact); kept dense.
    const lists = this.factsOfFlow;
    while (lists.length <= f) lists.push(undefined);
    const list = lists[f];
    if (list === undefined) {
      lists[f] = [fact];
      this.flowsWithFacts++;
    } else {
      list.push(fact);
    }
    return fact;
  }

  /** Gives the facts of the flows still in the table the position their connection will have (after the retired ones). */
  private placeLiveFacts(): void {
    if (this.flowsWithFacts === 0) return;
    const flows = this.flows;
    let position = this.retired.count;
    for (let f = 0; f < flows.count; f++) {
      if (flows.alive[f] !== 1) continue;
      const list = this.factsOfFlow[f];
      if (list !== undefined) for (const fact of list) fact.connection = position;
      position++;
    }
  }

  /** Address strings per flow, made once: DNS flows ask for them on every message. */
  private readonly clientText: (string | undefined)[] = [];
  private readonly serverText: (string | undefined)[] = [];

  clientAddr(f: number): string {
    return (this.clientText[f] ??= addrText(this.flows.fam[f], this.flows.cAddr, f * 4));
  }

  serverAddr(f: number): string {
    return (this.serverText[f] ??= addrText(this.flows.fam[f], this.flows.sAddr, f * 4));
  }

  private readonly factBytes: Record<FactKind, number> = { dns: 0, tls: 0, quic: 0, http: 0, dhcp: 0 };
  private addressNameBytes = 0;

  /**
   * Whether one more fact of this kind, holding `chars` characters of text, may be kept (and charges
   * it); counts it as omitted otherwise.
   */
  room(kind: FactKind, chars = 0): boolean {
    const cost = OBJECT_BYTES + 2 * chars;
    if (this[kind].length < FACT_LIMITS[kind] && this.factBytes[kind] + cost <= FACT_BYTE_LIMITS[kind]) {
      this.factBytes[kind] += cost;
      return true;
    }
    this.omitted.set(kind, (this.omitted.get(kind) ?? 0) + 1);
    return false;
  }

  /** Text added to a kept fact later (a DNS answer to a query already kept). */
  charge(kind: FactKind, chars: number): void {
    this.factBytes[kind] += 2 * chars;
  }

  /** Whether the first bytes of flow f in direction dir are still wanted. */
  wantsHead(f: number, dir: number): boolean {
    const h = this.heads.get(f);
    return h === undefined ? this.heads.size + this.retiredHeads.size < MAX_HEADS : h[dir] === null;
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
   * `multicast` marks mDNS/LLMNR. The answers become the facts' answers as they are, shared by every
   * question of the message.
   */
  dnsFacts(msg: DnsBrief, f: number, fromClient: boolean, transport: 'udp' | 'tcp', ts: number, multicast: boolean): void {
    const src = fromClient ? this.clientAddr(f) : this.serverAddr(f);
    const dst = fromClient ? this.serverAddr(f) : this.clientAddr(f);
    const questions = msg.questions;
    if (!msg.response) {
      for (let i = 0; i < questions.length; i++) this.dnsQuery(questions[i]!, msg.id, f, src, dst, transport, ts, multicast);
      return;
    }
    const shared = this.sharedAnswers(msg.answers);
    const answers = shared === null ? NO_ANSWERS : shared.answers;
    // A list learnt from in full before would add nothing again (names are only ever added).
    if (shared !== null && !shared.learnt) shared.learnt = this.learnAddresses(answers);
    let answerChars = 0;
    for (let i = 0; i < answers.length; i++) {
      const a = answers[i]!;
      answerChars += 24 + a.name.length + a.data.length;
    }
    const rcode = dnsRcodeName(msg.rcode);
    if (questions.length === 0) {
      this.dnsAnnouncement(answers, answerChars, rcode, f, src, dst, transport, ts, multicast);
      return;
    }
    for (let i = 0; i < questions.length; i++) {
      const q = questions[i]!;
      const fact = this.pendingQuery(f, msg.id, q.name, q.type);
      if (fact !== undefined && fact.rcode === null) {
        this.forgetQuery(pendingKey(f, msg.id), fact);
        fact.rcode = rcode;
        fact.answers = answers;
        this.charge('dns', answerChars);
      } else if (this.room('dns', q.name.length + answerChars)) {
        this.dns.push(this.tag<DnsFact>(
          new DnsEntry(isoTime(ts), dst, src, transport, q.name, dnsTypeName(q.type), rcode, answers, multicast, 'response-only'), f));
      }
    }
  }

  /**
   * Answer lists seen lately, by the data of their first answer: resolvers give the same answers to
   * the same questions again and again, and a fact keeping an equal list seen before costs no list of
   * its own (the decoders already share the answers' strings, so comparing them is mostly comparing
   * pointers). Emptied when full: it only saves memory, what it holds changes no fact.
   */
  private readonly answerLists = new Map<string, SharedAnswers>();

  /** `answers`, or an equal list kept by facts already; null for no answers. */
  private sharedAnswers(answers: DnsAnswer[]): SharedAnswers | null {
    if (answers.length === 0) return null;
    const key = answers[0]!.data;
    const known = this.answerLists.get(key);
    if (known !== undefined && sameAnswers(known.answers, answers)) return known;
    if (this.answerLists.size >= MAX_ANSWER_LISTS) this.answerLists.clear();
    const made = { answers, learnt: false };
    this.answerLists.set(key, made);
    return made;
  }

  /** A question: a fact that waits for its answer. */
  private dnsQuery(
    q: DnsQuestion, id: number, f: number, src: string, dst: string, transport: 'udp' | 'tcp', ts: number, multicast: boolean,
  ): void {
    if (!this.room('dns', q.name.length)) return;
    const fact: DnsFact = new DnsEntry(isoTime(ts), src, dst, transport, q.name, dnsTypeName(q.type), null, NO_ANSWERS, multicast, 'query');
    this.dns.push(this.tag(fact, f));
    if (this.pendingCount >= MAX_PENDING_DNS) this.forgetOldestQuery();
    const key = pendingKey(f, id);
    const held = this.pendingDns.get(key);
    if (held === undefined) {
      this.pendingDns.set(key, fact);
      this.pendingCount++;
    } else {
      this.addQuery(key, held, fact, q);
    }
  }

  /**
   * A query under a flow and id that already hold one (a message of several questions, or a
   * question asked again): kept apart from `dnsQuery`, which stays small enough to be inlined.
   */
  private addQuery(key: number, held: DnsFact | DnsFact[], fact: DnsFact, q: DnsQuestion): void {
    if (!Array.isArray(held)) {
      if (sameQuery(held, q.name, q.type)) {
        // The same question again with the same id: the later one waits, the earlier stays unanswered.
        this.pendingDns.set(key, fact);
      } else {
        this.pendingDns.set(key, [held, fact]);
        this.pendingCount++;
      }
    } else {
      const i = held.findIndex((e) => sameQuery(e, q.name, q.type));
      if (i >= 0) {
        held[i] = fact;
      } else {
        held.push(fact);
        this.pendingCount++;
      }
    }
  }

  /** The query waiting in flow f with this id, type and name, if any. */
  private pendingQuery(f: number, id: number, name: string, type: number): DnsFact | undefined {
    const held = this.pendingDns.get(pendingKey(f, id));
    if (held === undefined) return undefined;
    if (!Array.isArray(held)) return sameQuery(held, name, type) ? held : undefined;
    return held.find((e) => sameQuery(e, name, type));
  }

  /** Stops `fact`, held under `key`, from waiting. */
  private forgetQuery(key: number, fact: DnsFact): void {
    const held = this.pendingDns.get(key);
    if (held === fact) {
      this.pendingDns.delete(key);
    } else if (Array.isArray(held)) {
      held.splice(held.indexOf(fact), 1);
      if (held.length === 1) this.pendingDns.set(key, held[0]!);
    }
    this.pendingCount--;
  }

  /** Past the bound, the query waiting longest is forgotten (it stays reported, unanswered). */
  private forgetOldestQuery(): void {
    for (const [key, held] of this.pendingDns) {
      this.forgetQuery(key, Array.isArray(held) ? held[0]! : held);
      return;
    }
  }

  /** mDNS announcements carry answers without a question: reported under their first owner name. */
  private dnsAnnouncement(
    answers: DnsAnswer[], answerChars: number, rcode: string, f: number, src: string, dst: string,
    transport: 'udp' | 'tcp', ts: number, multicast: boolean,
  ): void {
    if (answers.length === 0 || !this.room('dns', answerChars)) return;
    this.dns.push(this.tag<DnsFact>(
      new DnsEntry(isoTime(ts), dst, src, transport, answers[0]!.name, answers[0]!.type, rcode, answers, multicast, 'announcement'), f));
  }

  /** CNAME records of the message being learnt from: alias → target, both normalised, in record order. */
  private readonly cnameAlias: string[] = [];
  private readonly cnameTarget: string[] = [];

  /**
   * Every A/AAAA answer maps its address to its owner name and to every name that CNAMEs to it.
   * Returns whether every name was kept (none left out by the bounds).
   */
  private learnAddresses(answers: DnsAnswer[]): boolean {
    const omittedBefore = this.omitted.get('addressNames');
    const aliases = this.cnameAlias;
    const targets = this.cnameTarget;
    aliases.length = 0;
    targets.length = 0;
    for (let i = 0; i < answers.length; i++) {
      const r = answers[i]!;
      if (r.type === 'CNAME') {
        targets.push(normaliseName(r.data));
        aliases.push(normaliseName(r.name));
      }
    }
    // Answers mostly repeat one owner name (the decoder hands out the very same string): normalised once.
    let lastName = '';
    let lastOwner = '';
    for (let i = 0; i < answers.length; i++) {
      const r = answers[i]!;
      if (r.type !== 'A' && r.type !== 'AAAA') continue;
      let set = this.namesByAddress.get(r.data);
      if (set === undefined) {
        if (this.namesByAddress.size >= MAX_ADDRESSES || this.addressNameBytes >= MAX_ADDRESS_NAME_BYTES) {
          this.omitted.set('addressNames', (this.omitted.get('addressNames') ?? 0) + 1);
          continue;
        }
        this.namesByAddress.set(r.data, (set = new Set()));
        this.addressNameBytes += OBJECT_BYTES + 2 * r.data.length;
      }
      if (r.name !== lastName) {
        lastName = r.name;
        lastOwner = normaliseName(r.name);
      }
      if (!this.keepName(set, lastOwner)) continue;
      if (aliases.length > 0) this.keepAliases(set, lastOwner);
    }
    aliases.length = 0;
    targets.length = 0;
    return this.omitted.get('addressNames') === omittedBefore;
  }

  /** Adds to an address's names every name that leads to `owner` through the message's CNAMEs. */
  private keepAliases(set: Set<string>, owner: string): void {
    const aliases = this.cnameAlias;
    const targets = this.cnameTarget;
    let frontier = [owner];
    for (let depth = 0; depth < MAX_CNAME_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const n of frontier) {
        for (let j = 0; j < targets.length; j++) {
          if (targets[j] !== n) continue;
          const alias = aliases[j]!;
          if (!set.has(alias) && this.keepName(set, alias)) next.push(alias);
        }
      }
      frontier = next;
    }
  }

  /**
   * Keeps what flow f's connection says before the flow leaves the table, and forgets everything held
   * by its index (which a new flow will get).
   */
  retire(f: number): void {
    const flows = this.flows;
    const own = this.flowNames.get(f);
    const r = this.retired.add(flows, f, this.clientAddr(f), this.serverAddr(f), own === undefined ? null : [...own]);
    const made = this.factsOfFlow[f];
    if (made !== undefined) {
      // A connection only counted (r < 0) has no entry to point at.
      if (r >= 0) for (const fact of made) fact.connection = r;
      this.factsOfFlow[f] = undefined;
      this.flowsWithFacts--;
    }
    const h = this.heads.get(f);
    if (h !== undefined) {
      if (r >= 0 && !this.retiredHeads.has(r)) this.retiredHeads.set(r, h);
      this.heads.delete(f);
    }
    this.flowNames.delete(f);
    this.clientText[f] = undefined;
    this.serverText[f] = undefined;
  }

  /**
   * The resolved names of an address as a list, one list per address while `connectionFacts()` runs:
   * connections that used no name of their own share it, instead of one copy per connection.
   */
  private resolvedLists: Map<string, string[]> | null = null;

  private namesFor(dst: string, own: Iterable<string> | undefined): string[] {
    const resolved = this.namesByAddress.get(dst);
    if (own === undefined) {
      const lists = this.resolvedLists;
      // Connections that name nothing share one empty list too, like the lists of resolved names.
      if (resolved === undefined) return lists === null ? [] : NO_NAMES;
      if (lists === null) return [...resolved];
      let list = lists.get(dst);
      if (list === undefined) lists.set(dst, (list = [...resolved]));
      return list;
    }
    if (resolved === undefined) return [...own];
    return [...new Set([...own, ...resolved])];
  }

  /**
   * Adds a name to an address's set within the bounds (per address and in all); a name past them is
   * counted in `omitted.addressNames`. Returns whether the name is in the set.
   */
  private keepName(set: Set<string>, name: string): boolean {
    if (set.has(name)) return true;
    if (set.size >= MAX_NAMES_PER_ADDRESS || this.addressNameBytes >= MAX_ADDRESS_NAME_BYTES) {
      this.omitted.set('addressNames', (this.omitted.get('addressNames') ?? 0) + 1);
      return false;
    }
    set.add(name);
    this.addressNameBytes += 40 + 2 * name.length;
    return true;
  }

  /** The connection facts, made one at a time (retired connections first, then the flow table), so a writer can stream them. */
  *connectionFacts(opts: { shareNames?: boolean } = {}): Generator<ConnectionFact> {
    if (opts.shareNames) this.resolvedLists = new Map();
    try {
      yield* this.makeConnectionFacts();
    } finally {
      this.resolvedLists = null;
    }
  }

  private *makeConnectionFacts(): Generator<ConnectionFact> {
    const rc = this.retired;
    for (let i = 0; i < rc.count; i++) {
      const fact: ConnectionFact = {
        proto: protoName(rc.proto[i]!, rc.fam[i]!),
        src: rc.client[i]!,
        sport: rc.cPort[i]!,
        dst: rc.server[i]!,
        dport: rc.sPort[i]!,
        firstSeen: isoTime(rc.first[i]!),
        lastSeen: isoTime(rc.last[i]!),
        packets: rc.pktsToServer[i]! + rc.pktsToClient[i]!,
        bytes: rc.bytesToServer[i]! + rc.bytesToClient[i]!,
        bytesToServer: rc.bytesToServer[i]!,
        bytesToClient: rc.bytesToClient[i]!,
        service: SERVICE_NAMES[rc.service[i]!] ?? null,
        names: this.namesFor(rc.server[i]!, rc.names[i] ?? undefined),
      };
      const a = rc.app[i]!;
      if (a !== 0) fact.app = this.apps.uids[a - 1];
      if (rc.flows[i]! > 1) {
        fact.flows = rc.flows[i]!;
        fact.starts = rc.starts.get(i)!.map(isoTime);
      }
      yield fact;
    }
    const flows = this.flows;
    for (let f = 0; f < flows.count; f++) {
      if (flows.alive[f] !== 1) continue;
      const dst = this.serverAddr(f);
      const names = this.namesFor(dst, this.flowNames.get(f));
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
      const a = flows.app[f]!;
      if (a !== 0) fact.app = this.apps.uids[a - 1];
      yield fact;
    }
  }

  private payloadHeads(): { connection: number; toServer: string | null; toClient: string | null }[] {
    return headFacts(this.retiredHeads, this.heads, this.retired.count, this.flows);
  }

  /** The apps table, with how many connections each made. */
  appFacts(): AppFact[] {
    if (this.apps.size === 0) return [];
    const counts = new Array<number>(this.apps.size).fill(0);
    const app = this.flows.app;
    for (let f = 0; f < this.flows.count; f++) if (this.flows.alive[f] === 1 && app[f]! !== 0) counts[app[f]! - 1]++;
    const rc = this.retired;
    for (let i = 0; i < rc.count; i++) if (rc.app[i]! !== 0) counts[rc.app[i]! - 1] += rc.flows[i]!;
    return this.apps.facts((i) => counts[i]!);
  }

  /**
   * The facts. With `connections: false` the connections list is left empty, for a writer that streams
   * `connectionFacts()` instead of holding one object per connection.
   */
  build(totals: CaptureTotals, opts: { connections?: boolean } = {}): Facts {
    const connections: ConnectionFact[] = opts.connections === false ? [] : [...this.connectionFacts({ shareNames: true })];
    this.placeLiveFacts();
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
        omitted: Object.fromEntries(this.retired.omitted > 0 ? [...this.omitted, ['connections', this.retired.omitted]] : this.omitted),
        otherFrames: totals.otherFrames ?? {},
      },
      connections,
      dns: this.dns,
      tls: this.tls,
      quic: this.quic,
      http: this.http,
      dhcp: this.dhcp,
      ...(this.heads.size + this.retiredHeads.size > 0 ? { payloadHeads: this.payloadHeads() } : {}),
      addressNames: Object.fromEntries([...this.namesByAddress].map(([addr, names]) => [addr, [...names]])),
      apps: this.appFacts(),
    };
  }
}

/** Where each connection's first bytes are, by its position in `connections` (retired ones first). */
function headFacts(
  retired: Map<number, [Buffer | null, Buffer | null]>,
  live: Map<number, [Buffer | null, Buffer | null]>,
  retiredCount: number,
  flows: FlowTable,
): { connection: number; toServer: string | null; toClient: string | null }[] {
  const out: { connection: number; toServer: string | null; toClient: string | null }[] = [];
  const put = (connection: number, [up, down]: [Buffer | null, Buffer | null]): void => {
    out.push({ connection, toServer: up?.toString('base64') ?? null, toClient: down?.toString('base64') ?? null });
  };
  for (const [r, h] of [...retired].sort((a, b) => a[0] - b[0])) put(r, h);
  let position = retiredCount;
  for (let f = 0; f < flows.count; f++) {
    if (flows.alive[f] !== 1) continue;
    const h = live.get(f);
    if (h !== undefined) put(position, h);
    position++;
  }
  return out;
}

/**
 * A DNS fact, made by a constructor rather than as a literal: V8 ties literals to an allocation site
 * whose later "keep these in old space" decision throws away the optimised code that made them, and
 * facts live to the end, so that decision always comes, in the middle of the capture. The fields are
 * in the order the facts are written.
 */
class DnsEntry {
  ts: string;
  client: string;
  server: string;
  transport: 'udp' | 'tcp';
  query: string;
  qtype: string;
  rcode: string | null;
  answers: DnsAnswer[];
  multicast: boolean;
  seen: DnsFact['seen'];

  constructor(
    ts: string, client: string, server: string, transport: 'udp' | 'tcp', query: string, qtype: string,
    rcode: string | null, answers: DnsAnswer[], multicast: boolean, seen: DnsFact['seen'],
  ) {
    this.ts = ts;
    this.client = client;
    this.server = server;
    this.transport = transport;
    this.query = query;
    this.qtype = qtype;
    this.rcode = rcode;
    this.answers = answers;
    this.multicast = multicast;
    this.seen = seen;
  }
}

function sameAnswers(a: DnsAnswer[], b: DnsAnswer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.data !== y.data || x.name !== y.name || x.type !== y.type) return false;
  }
  return true;
}

/** Where queries of flow f with message id `id` wait for their response. */
function pendingKey(f: number, id: number): number {
  return f * 65536 + id;
}

/** Whether a waiting query asked this question: the same type, and the same name in any case. */
function sameQuery(fact: DnsFact, name: string, type: number): boolean {
  return fact.qtype === dnsTypeName(type) && (fact.query === name || fact.query.toLowerCase() === name.toLowerCase());
}

/**
 * A flow's address as text. IPv4 addresses come from the decoders' table of recent addresses: one flat
 * string per address instead of a new chain of linked pieces per flow, and every fact keeps its flow's.
 */
function addrText(fam: number, words: Uint32Array, base: number): string {
  return fam === 4 ? formatIPv4Word(words[base + 3]!) : addrToString(fam, words, base);
}

function protoName(proto: number, fam: number): ConnProto {
  if (proto === 6) return 'tcp';
  if (proto === 17) return 'udp';
  return fam === 6 ? 'icmp6' : 'icmp';
}
