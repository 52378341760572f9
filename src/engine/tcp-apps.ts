import { decodeDnsTcpStream } from '../decode/dns.js';
import { DecodeError } from '../decode/errors.js';
import { ja3Of, ja3s, ja3String, ja4With } from '../decode/fingerprint.js';
import { looksLikeHttpRequest, parseHttpRequests, type HttpRequest } from '../decode/http.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type PacketView } from '../decode/packet.js';
import { looksLikeTls, tlsVersionName, TlsStreamReader, type ClientHello } from '../decode/tls.js';
import { FlowSlots } from '../flows/slots.js';
import { StreamDirection } from '../flows/stream.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, type FlowTable } from '../flows/table.js';
import { CertificateCache } from './cert-cache.js';
import type { FactCollector } from './collector.js';
import type { HttpFact, TlsFact } from './facts.js';
import { Service } from './service.js';
import { isoTime } from './time.js';

/** Facts use a message's questions and answers only; the other records are checked, not turned into text. */
const ANSWERS_ONLY = { answersOnly: true } as const;

const enum App { Undecided, None, Tls, Http, Dns, Ssh }

/** Bytes a server may send first before we stop waiting for the client to say what the protocol is. */
const SERVER_FIRST_LIMIT = 4096;
/** Bytes of client data after which an unrecognised stream is given up. */
const SNIFF_BYTES = 8;

interface TlsState {
  client: TlsStreamReader;
  server: TlsStreamReader;
  fact: TlsFact | null;
  serverHelloApplied: boolean;
  certsApplied: number;
  /** Left out of the facts because the TLS bound was reached (counted once). */
  omitted: boolean;
}

interface TcpState {
  dirs: [StreamDirection, StreamDirection];
  /** Contiguous bytes already handed to the application decoder, per direction. */
  fed: [number, number];
  app: App;
  tls: TlsState | null;
  /** Time of the latest packet that completed data, for facts' timestamps. */
  ts: number;
  /** The HTTP request at the parse position was already reported from its head alone. */
  httpHeadReported: boolean;
  /** FIN seen: bit 0 from the client, bit 1 from the server. */
  fin: number;
}

/**
 * Application decoders on TCP: reassembles the first bytes of each direction, recognises TLS, HTTP/1.x,
 * DNS over TCP and SSH, and reports handshakes and requests. Once a flow has given what it can, it is
 * marked done and its later packets cost a single array read.
 */
export class TcpApps {
  private readonly states = new FlowSlots<TcpState>();
  private readonly certs = new CertificateCache();

  constructor(
    private readonly flows: FlowTable,
    private readonly facts: FactCollector,
    private readonly bad: (kind: string) => void,
    private readonly keepHeads = 0,
  ) {}

  packet(p: PacketView, f: number, dir: number): void {
    const syn = (p.tcpFlags & TCP_SYN) !== 0;
    if (this.flows.appDone[f] !== 0) {
      // A fresh SYN on a finished 5-tuple is a new connection reusing the ports: read it too.
      if (!syn || (p.tcpFlags & TCP_ACK) !== 0 || this.states.has(f)) return;
      this.flows.appDone[f] = 0;
    }
    let st = this.states.get(f);
    if (st === undefined) {
      if (p.payLen === 0 && !syn) return;
      st = {
        dirs: [new StreamDirection(), new StreamDirection()], fed: [0, 0], app: App.Undecided, tls: null, ts: p.ts,
        httpHeadReported: false, fin: 0,
      };
      this.states.set(f, st);
    }
    const stream = st.dirs[dir];
    if (syn) stream.syn(p.seq);
    if (p.payLen > 0 && stream.add(p.seq, p.buf, p.payOff, p.payLen) > 0) this.data(st, f, dir, p.ts);
    // A closed connection gives nothing more: release its buffers now rather than at the end of the capture.
    if ((p.tcpFlags & TCP_RST) !== 0) {
      if (this.flows.appDone[f] === 0) this.done(f);
    } else if ((p.tcpFlags & TCP_FIN) !== 0) {
      st.fin |= dir === DIR_TO_SERVER ? 1 : 2;
      if (st.fin === 3 && this.flows.appDone[f] === 0) this.done(f);
    }
  }

  private data(st: TcpState, f: number, dir: number, ts: number): void {
    const stream = st.dirs[dir];
    st.ts = ts;
    if (st.app === App.Undecided) {
      if (!this.decide(st, f)) return;
      // Data that arrived before the decision is delivered now, in both directions.
      this.deliver(st, f, DIR_TO_SERVER);
      this.deliver(st, f, DIR_TO_CLIENT);
    } else {
      this.deliver(st, f, dir);
    }
    if (!stream.closed && stream.len >= stream.limit) this.closeDir(st, f, dir);
  }

  /** Flow f leaves the table: what its decoders still hold becomes facts, and its state is dropped. */
  retire(f: number): void {
    if (this.states.has(f)) this.done(f);
  }

  /** Flushes handshakes still open when the capture ended. */
  finish(): void {
    for (const f of this.states.flows()) {
      const st = this.states.get(f)!;
      this.keepHead(st, f, DIR_TO_SERVER);
      this.keepHead(st, f, DIR_TO_CLIENT);
      if (st.tls) this.syncTls(st, f);
    }
    this.states.clear();
  }

  /** Picks the protocol from the first bytes. Returns false while it is too early to tell. */
  private decide(st: TcpState, f: number): boolean {
    const toServer = st.dirs[DIR_TO_SERVER];
    const toClient = st.dirs[DIR_TO_CLIENT];
    const flows = this.flows;
    const port53 = flows.sPort[f] === 53 || flows.cPort[f] === 53;
    let app = App.Undecided;
    if (port53) app = App.Dns;
    else if (startsWith(toServer, SSH) || startsWith(toClient, SSH)) app = App.Ssh;
    else if (toServer.len > 0 && toServer.buf !== null) {
      if (looksLikeTls(toServer.buf, 0, toServer.len)) app = App.Tls;
      else if (looksLikeHttpRequest(toServer.buf, 0, toServer.len)) app = App.Http;
      else if (toServer.len >= SNIFF_BYTES) app = App.None;
    } else if (toClient.len > SERVER_FIRST_LIMIT) {
      app = App.None;
    }
    if (app === App.Undecided) return false;
    st.app = app;
    switch (app) {
      case App.Dns: flows.service[f] = Service.Dns; break;
      case App.Ssh: flows.service[f] = Service.Ssh; break;
      case App.Tls:
        flows.service[f] = Service.Tls;
        // The stream keeps its bytes, so the readers may leave a message cut short for the next delivery.
        st.tls = {
          client: new TlsStreamReader(true), server: new TlsStreamReader(true), fact: null, serverHelloApplied: false, certsApplied: 0, omitted: false,
        };
        break;
      case App.Http: flows.service[f] = Service.Http; break;
      default: break;
    }
    if (app === App.None || app === App.Ssh) {
      // With payload rules to serve, unknown streams are read up to the head size before letting go.
      if (this.keepHeads === 0) {
        this.done(f);
        return false;
      }
    }
    return true;
  }

  private deliver(st: TcpState, f: number, dir: number): void {
    const stream = st.dirs[dir];
    if (stream.closed || stream.buf === null) return;
    const from = st.fed[dir];
    const n = stream.len - from;
    if (n <= 0) return;
    switch (st.app) {
      case App.Tls: {
        const reader = dir === DIR_TO_SERVER ? st.tls!.client : st.tls!.server;
        st.fed[dir] = from + reader.push(stream.buf, from, n);
        this.syncTls(st, f);
        // The client's side has nothing more for us once its ClientHello is read.
        const finished = dir === DIR_TO_SERVER ? reader.clientHello !== null : reader.done;
        if (finished || reader.error !== null) {
          if (reader.error !== null) this.bad(reader.error);
          this.closeDir(st, f, dir);
        }
        return;
      }
      case App.Http: {
        if (dir !== DIR_TO_SERVER) {
          // Responses tell nothing about where the phone went.
          this.closeDir(st, f, dir);
          return;
        }
        const res = parseHttpRequests(stream.buf, from, n);
        st.fed[dir] += res.consumed;
        let requests = res.requests;
        // A request whose body is still arriving was reported when its head completed: not twice.
        if (st.httpHeadReported && requests.length > 0) {
          requests = requests.slice(1);
          st.httpHeadReported = false;
        }
        for (const req of requests) this.httpRequest(st, f, req);
        if (res.pending !== null && !st.httpHeadReported) {
          // Uploads are what matter most here, and their bodies may never fit the reassembly window.
          this.httpRequest(st, f, res.pending);
          st.httpHeadReported = true;
        }
        if (res.error !== null) this.bad(res.error);
        if (res.error !== null || res.upgraded) this.closeDir(st, f, dir);
        return;
      }
      case App.Dns: {
        const res = decodeDnsTcpStream(stream.buf, from, n, ANSWERS_ONLY);
        st.fed[dir] += res.consumed;
        for (const msg of res.messages) this.facts.dnsMessage(msg, f, dir === DIR_TO_SERVER, 'tcp', st.ts, false);
        for (const e of res.errors) this.bad(e);
        return;
      }
      default:
        // Unrecognised protocols are only read for their first bytes (payload rules).
        if (stream.len >= this.keepHeads) this.closeDir(st, f, dir);
        return;
    }
  }

  private httpRequest(st: TcpState, f: number, req: HttpRequest): void {
    const server = this.facts.serverAddr(f);
    if (!this.facts.room('http', (req.host?.length ?? 0) + req.uri.length + (req.userAgent?.length ?? 0))) return;
    this.facts.http.push(this.facts.tag<HttpFact>({
      ts: isoTime(st.ts), client: this.facts.clientAddr(f), server, dport: this.flows.sPort[f],
      method: req.method, host: req.host ?? server, uri: req.uri, userAgent: req.userAgent,
    }, f));
    if (req.host) this.facts.flowName(f, hostWithoutPort(req.host));
  }

  /** Turns what the two TLS readers have parsed into the session's fact; safe to call repeatedly. */
  private syncTls(st: TcpState, f: number): void {
    const tls = st.tls!;
    const ch = tls.client.clientHello;
    if (tls.fact === null) {
      if (ch === null || tls.omitted) return;
      if (!this.facts.room('tls', (ch.sni?.length ?? 0) + 200)) {
        tls.omitted = true;
        return;
      }
      const j3 = ja3String(ch);
      tls.fact = {
        ts: isoTime(st.ts),
        client: this.facts.clientAddr(f),
        sport: this.flows.cPort[f],
        server: this.facts.serverAddr(f),
        dport: this.flows.sPort[f],
        sni: ch.sni,
        alpn: ch.alpn,
        version: tlsVersionName(offeredVersion(ch)),
        ja3: ja3Of(j3),
        ja3String: j3,
        ja3s: null,
        ja4: ja4With(ch, 't', j3),
        certificates: [],
      };
      this.facts.tls.push(this.facts.tag(tls.fact, f));
      if (ch.sni) this.facts.flowName(f, ch.sni);
    }
    const fact = tls.fact;
    const sh = tls.server.serverHello;
    if (sh !== null && !tls.serverHelloApplied) {
      tls.serverHelloApplied = true;
      fact.ja3s = ja3s(sh);
      fact.version = tlsVersionName(sh.selectedVersion ?? sh.legacyVersion);
    }
    const certs = tls.server.certificates;
    while (tls.certsApplied < certs.length) {
      const der = certs[tls.certsApplied++];
      try {
        fact.certificates.push(this.certs.facts(der));
      } catch (err) {
        this.bad(err instanceof DecodeError ? err.kind : 'x509.error');
      }
    }
  }

  private closeDir(st: TcpState, f: number, dir: number): void {
    this.keepHead(st, f, dir);
    st.dirs[dir].close();
    if (st.dirs[0].closed && st.dirs[1].closed) this.done(f);
  }

  private keepHead(st: TcpState, f: number, dir: number): void {
    const s = st.dirs[dir];
    if (this.keepHeads > 0 && s.buf !== null && s.len > 0) this.facts.head(f, dir, s.buf, 0, Math.min(s.len, this.keepHeads));
  }

  private done(f: number): void {
    const st = this.states.get(f);
    if (st !== undefined) {
      this.keepHead(st, f, DIR_TO_SERVER);
      this.keepHead(st, f, DIR_TO_CLIENT);
    }
    if (st !== undefined) {
      if (st.tls) this.syncTls(st, f);
      // Their buffers go to later connections.
      st.dirs[0].close();
      st.dirs[1].close();
    }
    this.flows.appDone[f] = 1;
    this.states.delete(f);
  }
}

const SSH = Buffer.from('SSH-');

function startsWith(s: StreamDirection, prefix: Buffer): boolean {
  if (s.buf === null || s.len < prefix.length) return false;
  return s.buf.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** The highest version a ClientHello offers, GREASE values aside. */
function offeredVersion(ch: ClientHello): number {
  let best = 0;
  for (const v of ch.supportedVersions) if ((v & 0x0f0f) !== 0x0a0a && v > best) best = v;
  return best || ch.legacyVersion;
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(1, end) : host;
  }
  const colon = host.indexOf(':');
  return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.slice(0, colon) : host;
}
