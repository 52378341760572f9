import { decodeDnsBrief, type DnsBrief } from '../decode/dns.js';
import { DecodeError } from '../decode/errors.js';
import { helloFingerprints, ja3sRemembered } from '../decode/fingerprint.js';
import { looksLikeHttpRequest, parseHttpRequests, type HttpRequest } from '../decode/http.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type PacketView } from '../decode/packet.js';
import { looksLikeTls, tlsVersionName, TlsStreamReader } from '../decode/tls.js';
import { FlowSlots } from '../flows/slots.js';
import { StreamDirection } from '../flows/stream.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, type FlowTable } from '../flows/table.js';
import { CertificateCache } from './cert-cache.js';
import type { FactCollector } from './collector.js';
import type { HttpFact, TlsFact } from './facts.js';
import { Service } from './service.js';
import { isoTime } from './time.js';

const enum App { Undecided, None, Tls, Http, Dns, Ssh }

/** Bytes a server may send first before we stop waiting for the client to say what the protocol is. */
const SERVER_FIRST_LIMIT = 4096;
/** Bytes of client data after which an unrecognised stream is given up. */
const SNIFF_BYTES = 8;

/** What the two TLS readers of a connection have given so far, and how much of it is in the fact. */
class TlsState {
  /**
   * The stream keeps its bytes, so the readers may leave a message cut short for the next delivery;
   * the server's certificates are views of the stream until they are either in the fact or kept.
   */
  readonly client = new TlsStreamReader(true);
  readonly server = new TlsStreamReader(true, true);
  fact: TlsFact | null = null;
  serverHelloApplied = false;
  certsApplied = 0;
  /** Left out of the facts because the TLS bound was reached (counted once). */
  omitted = false;
}

/** One connection being read: a class, so every connection's state has the same shape. */
class TcpState {
  readonly toServer = new StreamDirection();
  readonly toClient = new StreamDirection();
  /** Contiguous bytes already handed to the application decoder, per direction. */
  fedToServer = 0;
  fedToClient = 0;
  app: App = App.Undecided;
  tls: TlsState | null = null;
  /** The HTTP request at the parse position was already reported from its head alone. */
  httpHeadReported = false;
  /** FIN seen: bit 0 from the client, bit 1 from the server. */
  fin = 0;

  constructor(
    /** Time of the latest packet that completed data, for facts' timestamps. */
    public ts: number,
  ) {}

  dir(dir: number): StreamDirection {
    return dir === DIR_TO_SERVER ? this.toServer : this.toClient;
  }

  fed(dir: number): number {
    return dir === DIR_TO_SERVER ? this.fedToServer : this.fedToClient;
  }

  setFed(dir: number, n: number): void {
    if (dir === DIR_TO_SERVER) this.fedToServer = n;
    else this.fedToClient = n;
  }
}

/**
 * Application decoders on TCP: reassembles the first bytes of each direction, recognises TLS, HTTP/1.x,
 * DNS over TCP and SSH, and reports handshakes and requests. Once a flow has given what it can, it is
 * marked done and its later packets cost a single array read.
 *
 * The functions every packet or handshake runs through are kept small, with what happens once per
 * connection or rarely (deciding the protocol, DNS over TCP, closing, errors) in functions of their own:
 * V8 compiles hot functions together with what they call, and that compiling costs as much CPU as running.
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
    const flags = p.tcpFlags;
    if (this.flows.appDone[f] !== 0 && !this.reopens(f, flags)) return;
    let st = this.states.get(f);
    if (st === undefined) {
      if (p.payLen === 0 && (flags & TCP_SYN) === 0) return;
      st = new TcpState(p.ts);
      this.states.set(f, st);
    }
    const stream = st.dir(dir);
    if ((flags & TCP_SYN) !== 0) stream.syn(p.seq);
    if (p.payLen > 0 && stream.add(p.seq, p.buf, p.payOff, p.payLen) > 0) this.data(st, f, dir, p.ts);
    if ((flags & (TCP_RST | TCP_FIN)) !== 0) this.closing(st, f, dir, flags);
  }

  /** A fresh SYN on a finished 5-tuple is a new connection reusing the ports: it is read too. */
  private reopens(f: number, flags: number): boolean {
    if ((flags & TCP_SYN) === 0 || (flags & TCP_ACK) !== 0 || this.states.has(f)) return false;
    this.flows.appDone[f] = 0;
    return true;
  }

  /** A closed connection gives nothing more: its buffers are released now rather than at the end of the capture. */
  private closing(st: TcpState, f: number, dir: number, flags: number): void {
    if ((flags & TCP_RST) !== 0) {
      if (this.flows.appDone[f] === 0) this.done(f);
    } else {
      st.fin |= dir === DIR_TO_SERVER ? 1 : 2;
      if (st.fin === 3 && this.flows.appDone[f] === 0) this.done(f);
    }
  }

  private data(st: TcpState, f: number, dir: number, ts: number): void {
    st.ts = ts;
    if (st.app === App.Undecided) {
      if (!this.decide(st, f)) return;
      // Data that arrived before the decision is delivered now, in both directions.
      this.deliver(st, f, DIR_TO_SERVER);
      this.deliver(st, f, DIR_TO_CLIENT);
    } else {
      this.deliver(st, f, dir);
    }
    const stream = st.dir(dir);
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
    const toServer = st.toServer;
    const toClient = st.toClient;
    const flows = this.flows;
    const port53 = flows.sPort[f] === 53 || flows.cPort[f] === 53;
    let app = App.Undecided;
    if (port53) app = App.Dns;
    else if (startsWithSsh(toServer) || startsWithSsh(toClient)) app = App.Ssh;
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
        st.tls = new TlsState();
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
    const stream = st.dir(dir);
    const buf = stream.buf;
    if (stream.closed || buf === null) return;
    const from = st.fed(dir);
    const n = stream.len - from;
    if (n <= 0) return;
    const app = st.app;
    if (app === App.Tls) this.deliverTls(st, f, dir, buf, from, n);
    else if (app === App.Http) this.deliverHttp(st, f, dir, buf, from, n);
    else if (app === App.Dns) this.deliverDns(st, f, dir, buf, from, n);
    // Unrecognised protocols are only read for their first bytes (payload rules).
    else if (stream.len >= this.keepHeads) this.closeDir(st, f, dir);
  }

  private deliverTls(st: TcpState, f: number, dir: number, buf: Buffer, from: number, n: number): void {
    const tls = st.tls!;
    const reader = dir === DIR_TO_SERVER ? tls.client : tls.server;
    st.setFed(dir, from + reader.push(buf, from, n));
    this.syncTls(st, f);
    // Certificates not in the fact yet must not stay views of a buffer that goes to other streams.
    if (tls.certsApplied < tls.server.certificates.length) tls.server.keepCertificates();
    // The client's side has nothing more for us once its ClientHello is read.
    if ((dir === DIR_TO_SERVER ? reader.clientHello !== null : reader.done) || reader.error !== null) {
      this.readerFinished(st, f, dir, reader);
    }
  }

  private readerFinished(st: TcpState, f: number, dir: number, reader: TlsStreamReader): void {
    if (reader.error !== null) this.bad(reader.error);
    this.closeDir(st, f, dir);
  }

  private deliverHttp(st: TcpState, f: number, dir: number, buf: Buffer, from: number, n: number): void {
    if (dir !== DIR_TO_SERVER) {
      // Responses tell nothing about where the phone went.
      this.closeDir(st, f, dir);
      return;
    }
    const res = parseHttpRequests(buf, from, n);
    st.fedToServer += res.consumed;
    const requests = res.requests;
    // A request whose body is still arriving was reported when its head completed: not twice.
    let first = 0;
    if (st.httpHeadReported && requests.length > 0) {
      first = 1;
      st.httpHeadReported = false;
    }
    for (let i = first; i < requests.length; i++) this.httpRequest(st, f, requests[i]!);
    if (res.pending !== null && !st.httpHeadReported) {
      // Uploads are what matter most here, and their bodies may never fit the reassembly window.
      this.httpRequest(st, f, res.pending);
      st.httpHeadReported = true;
    }
    if (res.error !== null || res.upgraded) this.httpStops(st, f, dir, res.error);
  }

  private httpStops(st: TcpState, f: number, dir: number, error: string | null): void {
    if (error !== null) this.bad(error);
    this.closeDir(st, f, dir);
  }

  /**
   * DNS over TCP (RFC 1035 §4.2.2): 2-byte length-prefixed messages; what is complete is read, the rest
   * waits for more data. A malformed message is skipped (its length prefix still tells where the next
   * one starts) and reported. Messages are read in the same brief form as over UDP: facts use their
   * questions and answers only, and the other records are checked, not turned into text.
   */
  private deliverDns(st: TcpState, f: number, dir: number, buf: Buffer, from: number, n: number): void {
    const end = from + n;
    let p = from;
    while (end - p >= 2) {
      const mlen = (buf[p]! << 8) | buf[p + 1]!;
      if (end - p - 2 < mlen) break;
      const msg = this.dnsMessage(buf, p + 2, mlen);
      if (msg !== null) this.facts.dnsFacts(msg, f, dir === DIR_TO_SERVER, 'tcp', st.ts, false);
      p += 2 + mlen;
    }
    st.setFed(dir, p);
  }

  private dnsMessage(buf: Buffer, off: number, len: number): DnsBrief | null {
    try {
      return decodeDnsBrief(buf, off, len);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.bad(e.kind);
      return null;
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
    if (tls.fact === null && !this.openTlsFact(st, tls, f)) return;
    if (!tls.serverHelloApplied && tls.server.serverHello !== null) this.applyServerHello(tls);
    if (tls.certsApplied < tls.server.certificates.length) this.applyCertificates(tls);
  }

  /** Makes the session's fact once the ClientHello is read; false while there is none (or no room for it). */
  private openTlsFact(st: TcpState, tls: TlsState, f: number): boolean {
    const ch = tls.client.clientHello;
    if (ch === null || tls.omitted) return false;
    if (!this.facts.room('tls', (ch.sni?.length ?? 0) + 200)) {
      tls.omitted = true;
      return false;
    }
    const prints = helloFingerprints(ch, 't');
    tls.fact = {
      ts: isoTime(st.ts),
      client: this.facts.clientAddr(f),
      sport: this.flows.cPort[f],
      server: this.facts.serverAddr(f),
      dport: this.flows.sPort[f],
      sni: ch.sni,
      alpn: ch.alpn,
      version: prints.offeredVersion,
      ja3: prints.ja3,
      ja3String: prints.ja3String,
      ja3s: null,
      ja4: prints.ja4,
      certificates: [],
    };
    this.facts.tls.push(this.facts.tag(tls.fact, f));
    if (ch.sni) this.facts.flowName(f, ch.sni);
    return true;
  }

  private applyServerHello(tls: TlsState): void {
    const sh = tls.server.serverHello!;
    const fact = tls.fact!;
    tls.serverHelloApplied = true;
    fact.ja3s = ja3sRemembered(sh);
    fact.version = tlsVersionName(sh.selectedVersion ?? sh.legacyVersion);
  }

  private applyCertificates(tls: TlsState): void {
    const fact = tls.fact!;
    const certs = tls.server.certificates;
    while (tls.certsApplied < certs.length) {
      const der = certs[tls.certsApplied++]!;
      try {
        fact.certificates.push(this.certs.facts(der));
      } catch (err) {
        this.bad(err instanceof DecodeError ? err.kind : 'x509.error');
      }
    }
  }

  private closeDir(st: TcpState, f: number, dir: number): void {
    this.keepHead(st, f, dir);
    st.dir(dir).close();
    if (st.toServer.closed && st.toClient.closed) this.done(f);
  }

  private keepHead(st: TcpState, f: number, dir: number): void {
    if (this.keepHeads === 0) return;
    const s = st.dir(dir);
    if (s.buf !== null && s.len > 0) this.facts.head(f, dir, s.buf, 0, Math.min(s.len, this.keepHeads));
  }

  private done(f: number): void {
    const st = this.states.get(f);
    if (st !== undefined) {
      this.keepHead(st, f, DIR_TO_SERVER);
      this.keepHead(st, f, DIR_TO_CLIENT);
      if (st.tls) this.syncTls(st, f);
      // Their buffers go to later connections.
      st.toServer.close();
      st.toClient.close();
    }
    this.flows.appDone[f] = 1;
    this.states.delete(f);
  }
}

/** Whether the stream starts with "SSH-" (RFC 4253 §4.2), compared in place. */
function startsWithSsh(s: StreamDirection): boolean {
  const b = s.buf;
  return b !== null && s.len >= 4 && b[0] === 0x53 && b[1] === 0x53 && b[2] === 0x48 && b[3] === 0x2d;
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(1, end) : host;
  }
  const colon = host.indexOf(':');
  return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.slice(0, colon) : host;
}
