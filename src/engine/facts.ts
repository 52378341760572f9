/**
 * The shape printed by `quietcheck inspect --json`. Later stages and outside tools rely on it:
 * add fields, never rename. Timestamps are ISO 8601 strings in UTC; hex is lower case.
 */
export interface CaptureFacts {
  format: 'pcap' | 'pcapng';
  packets: number;
  bytes: number;
  firstSeen: string | null;
  lastSeen: string | null;
  linktypes: number[];
  truncated: boolean;
  /** Where in the file reading stopped because of damage (null when the file was whole). */
  damageOffset: number | null;
  malformed: Record<string, number>;
  /**
   * Facts left out because a kind reached its bound (in count or in bytes), counted by kind: dns, tls,
   * quic, http, dhcp; `addressNames` (names not remembered for an address: past 64 for one address, or
   * past the bound for all), `connections` (finished connections only counted, past every record).
   */
  omitted: Record<string, number>;
  /**
   * Frames that carried no IP but were recognised, by kind: `pppoe-discovery` (a PPPoE session being
   * set up or ended), `ppp-control` (PPP's link and address negotiation inside a session).
   */
  otherFrames?: Record<string, number>;
}

export type ConnProto = 'tcp' | 'udp' | 'icmp' | 'icmp6';

export interface ConnectionFact {
  proto: ConnProto;
  /** The side that opened the connection. */
  src: string;
  sport: number;
  dst: string;
  dport: number;
  firstSeen: string;
  lastSeen: string;
  packets: number;
  bytes: number;
  bytesToServer: number;
  bytesToClient: number;
  service: string | null;
  /** Names known for `dst`: DNS answers seen in the capture, TLS/QUIC SNI and HTTP Host of this connection. */
  names: string[];
  /** The Android app (its uid, a key of `apps`) that made the connection, when the capture says (PCAPdroid). */
  app?: number;
  /**
   * Long captures only: this many finished connections between the same client, server, port and app,
   * folded into one entry to keep memory bounded (`sport` is the first one's, counters are sums).
   * Absent for a single connection.
   */
  flows?: number;
  /** With `flows`: when the first of the folded connections started (at most 16), for timing rules. */
  starts?: string[];
}

/**
 * An Android app the capture file names: PCAPdroid records which app sent every packet. `package` and
 * `name` are null when the file gave only the number (or, for the older trailer format, only a label).
 */
export interface AppFact {
  uid: number;
  package: string | null;
  name: string | null;
  /** Connections made by the app. */
  connections: number;
}

export interface DnsAnswerFact {
  name: string;
  type: string;
  data: string;
}

export interface DnsFact {
  ts: string;
  client: string;
  server: string;
  transport: 'udp' | 'tcp';
  query: string;
  qtype: string;
  /** Null when no response was seen for the query. */
  rcode: string | null;
  answers: DnsAnswerFact[];
  multicast: boolean;
  /**
   * What the capture held: the query (and its response, if any), only a response whose query was not
   * captured, or an mDNS announcement (answers nobody asked for, reported under the first answer's name).
   */
  seen: 'query' | 'response-only' | 'announcement';
  /** The app (uid, a key of `apps`) whose connection this was, when the capture says. */
  app?: number;
  /** Index into `connections` of the connection this was made on (absent when that connection was only counted). */
  connection?: number;
}

export interface CertificateFact {
  subject: string;
  issuer: string;
  sha1: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  san: string[];
  selfSigned: boolean;
}

export interface TlsFact {
  ts: string;
  client: string;
  sport: number;
  server: string;
  dport: number;
  sni: string | null;
  alpn: string[];
  version: string;
  ja3: string;
  /** What `ja3` is the MD5 of (tshark's `tls.handshake.ja3_full`); absent in facts made by older versions. */
  ja3String?: string;
  ja3s: string | null;
  ja4: string;
  certificates: CertificateFact[];
  /** The app (uid, a key of `apps`) whose connection this was, when the capture says. */
  app?: number;
  /** Index into `connections` of the connection this was made on (absent when that connection was only counted). */
  connection?: number;
}

export interface QuicFact {
  ts: string;
  client: string;
  sport: number;
  server: string;
  dport: number;
  version: string;
  sni: string | null;
  alpn: string[];
  ja4: string;
  /** JA3 of the ClientHello inside the Initial packets, as tshark computes it; absent in facts made by older versions. */
  ja3?: string;
  ja3String?: string;
  /** The app (uid, a key of `apps`) whose connection this was, when the capture says. */
  app?: number;
  /** Index into `connections` of the connection this was made on (absent when that connection was only counted). */
  connection?: number;
}

export interface HttpFact {
  ts: string;
  client: string;
  server: string;
  dport: number;
  method: string;
  host: string;
  uri: string;
  userAgent: string | null;
  /** The app (uid, a key of `apps`) whose connection this was, when the capture says. */
  app?: number;
  /** Index into `connections` of the connection this was made on (absent when that connection was only counted). */
  connection?: number;
}

export interface DhcpFact {
  ts: string;
  mac: string;
  hostname: string | null;
  vendorClass: string | null;
  /** DISCOVER, REQUEST, INFORM, … */
  messageType: string | null;
  /** Option 55, the parameters the client asked for: a fingerprint of its DHCP client. */
  paramList: number[];
  clientId: string | null;
  requestedIp: string | null;
}

export interface PayloadHeadFact {
  /** Index into `connections`. */
  connection: number;
  toServer: string | null;
  toClient: string | null;
}

export interface Facts {
  capture: CaptureFacts;
  connections: ConnectionFact[];
  dns: DnsFact[];
  tls: TlsFact[];
  quic: QuicFact[];
  http: HttpFact[];
  dhcp: DhcpFact[];
  /**
   * Only when asked for (`keepHeads`): the first bytes each connection carried in each direction, base64,
   * for payload-content rules. Left out by default: payloads are the survivor's private data.
   */
  payloadHeads?: PayloadHeadFact[];
  /** Remote address → every name that resolved to it anywhere in the capture (CNAME chains included), lower case. */
  addressNames: Record<string, string[]>;
  /**
   * The Android apps the capture names (a PCAPdroid capture, made by an app on the phone itself), by uid;
   * connections and facts refer to them with `app`. Empty for captures made on the network.
   */
  apps?: AppFact[];
}
