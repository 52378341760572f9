import { decodeDhcp } from '../decode/dhcp.js';
import { decodeDnsBrief } from '../decode/dns.js';
import { DecodeError } from '../decode/errors.js';
import { helloFingerprints } from '../decode/fingerprint.js';
import { isMulticast } from '../decode/ip.js';
import type { PacketView } from '../decode/packet.js';
import { addClientInitials, looksLikeQuicInitial, QuicCryptoAssembler, quicVersionName } from '../decode/quic.js';
import { parseClientHello, type ClientHello } from '../decode/tls.js';
import { FlowSlots } from '../flows/slots.js';
import { DIR_TO_SERVER, type FlowTable } from '../flows/table.js';
import type { FactCollector } from './collector.js';
import type { QuicFact } from './facts.js';
import { Service } from './service.js';
import { isoTime } from './time.js';

/** Client datagrams of one QUIC connection tried before giving up on finding its ClientHello. */
const QUIC_MAX_TRIES = 12;

class QuicState {
  keyDcid: Buffer | null = null;
  readonly assembler = new QuicCryptoAssembler();
  tries = 0;
  version = 0;
  constructor(readonly firstTs: number) {}
}

/** Application decoders for UDP: DNS (unicast, mDNS, LLMNR), DHCP and QUIC Initials. */
export class UdpApps {
  private readonly quic = new FlowSlots<QuicState>();

  constructor(
    private readonly flows: FlowTable,
    private readonly facts: FactCollector,
    private readonly bad: (kind: string) => void,
    private readonly keepHeads = 0,
  ) {}

  packet(p: PacketView, f: number, dir: number): void {
    const sport = p.sport, dport = p.dport;
    if (this.keepHeads > 0 && this.facts.wantsHead(f, dir)) {
      this.facts.head(f, dir, p.buf, p.payOff, Math.min(p.payLen, this.keepHeads));
    }
    if (sport === 53 || dport === 53) return this.dns(p, f, dir, Service.Dns, false);
    if (sport === 5353 || dport === 5353) return this.dns(p, f, dir, Service.Mdns, true);
    if (sport === 5355 || dport === 5355) return this.dns(p, f, dir, Service.Llmnr, true);
    if (sport === 67 || dport === 67 || sport === 68 || dport === 68) return this.dhcp(p, f);
    if (sport === 123 || dport === 123) {
      this.flows.service[f] = Service.Ntp;
      return;
    }
    if (dir === DIR_TO_SERVER && this.flows.appDone[f] === 0) this.maybeQuic(p, f);
  }

  /** Flow f leaves the table: a QUIC handshake still waiting for its ClientHello is given up. */
  retire(f: number): void {
    this.quic.delete(f);
  }

  /** Later datagrams of this flow skip QUIC work; its crypto buffers are released. */
  private quicDone(f: number): void {
    this.quic.delete(f);
    this.flows.appDone[f] = 1;
  }

  private dns(p: PacketView, f: number, dir: number, service: Service, multicast: boolean): void {
    try {
      // Facts use a message's questions and answers only; the other records are checked, not turned into text.
      const msg = decodeDnsBrief(p.buf, p.payOff, p.payLen);
      this.flows.service[f] = service;
      const mc = multicast || isMulticast(p.fam, p.dst);
      this.facts.dnsFacts(msg, f, dir === DIR_TO_SERVER, 'udp', p.ts, mc);
    } catch (err) {
      this.bad(err instanceof DecodeError ? err.kind : 'dns.error');
    }
  }

  private dhcp(p: PacketView, f: number): void {
    try {
      const msg = decodeDhcp(p.buf, p.payOff, p.payLen);
      this.flows.service[f] = Service.Dhcp;
      // Requests name the device; the server's replies add nothing about it.
      if (msg.op !== 1 || !this.facts.room('dhcp')) return;
      this.facts.dhcp.push({
        ts: isoTime(p.ts),
        mac: msg.mac,
        hostname: msg.hostname,
        vendorClass: msg.vendorClass,
        messageType: msg.messageTypeName,
        paramList: msg.paramList,
        clientId: msg.clientId,
        requestedIp: msg.requestedIp,
      });
    } catch (err) {
      this.bad(err instanceof DecodeError ? err.kind : 'dhcp.error');
    }
  }

  /** Most client datagrams of an unfinished flow are not Initials; they cost one look at the header. */
  private maybeQuic(p: PacketView, f: number): void {
    if (looksLikeQuicInitial(p.buf, p.payOff, p.payLen)) this.quicInitial(p, f);
  }

  /**
   * The steps of one connection's handshake are small methods: each runs about once per connection, too few times
   * for V8 to spend an optimizing compile on them, which one large method would get.
   */
  private quicInitial(p: PacketView, f: number): void {
    const st = this.quicState(p, f);
    if (++st.tries > QUIC_MAX_TRIES) return this.quicDone(f);
    if (!this.quicDecrypt(p, st)) return;
    const body = st.assembler.clientHelloBody();
    if (body === null) {
      if (st.assembler.hopeless) this.quicDone(f);
      return;
    }
    this.flows.service[f] = Service.Quic;
    if (this.quicFact(f, st, body)) this.quicDone(f);
  }

  private quicState(p: PacketView, f: number): QuicState {
    let st = this.quic.get(f);
    if (st === undefined) {
      st = new QuicState(p.ts);
      this.quic.set(f, st);
    }
    return st;
  }

  /** Adds the datagram's CRYPTO data to the connection's stream; false (and counted as malformed) when it fails. */
  private quicDecrypt(p: PacketView, st: QuicState): boolean {
    try {
      const k = addClientInitials(p.buf, p.payOff, p.payLen, st.keyDcid, st.assembler);
      st.keyDcid ??= k.dcid;
      st.version = k.version;
      return true;
    } catch (err) {
      this.bad(err instanceof DecodeError ? err.kind : 'quic.error');
      return false;
    }
  }

  /**
   * False when the facts are full: the flow stays open, and its next Initials count as omitted facts too, up to
   * QUIC_MAX_TRIES.
   */
  private quicFact(f: number, st: QuicState, body: Buffer): boolean {
    try {
      const ch = parseClientHello(body);
      if (!this.facts.room('quic', (ch.sni?.length ?? 0) + 200)) return false;
      this.facts.quic.push(this.quicFactOf(f, st, ch));
      if (ch.sni) this.facts.flowName(f, ch.sni);
    } catch (err) {
      this.bad(err instanceof DecodeError ? err.kind : 'quic.error');
    }
    return true;
  }

  private quicFactOf(f: number, st: QuicState, ch: ClientHello): QuicFact {
    const prints = helloFingerprints(ch, 'q');
    return this.facts.tag<QuicFact>({
      ts: isoTime(st.firstTs),
      client: this.facts.clientAddr(f),
      sport: this.flows.cPort[f],
      server: this.facts.serverAddr(f),
      dport: this.flows.sPort[f],
      version: quicVersionName(st.version),
      sni: ch.sni,
      alpn: ch.alpn,
      ja4: prints.ja4,
      ja3: prints.ja3,
      ja3String: prints.ja3String,
    }, f);
  }
}
