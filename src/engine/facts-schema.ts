/**
 * The facts the engine publishes — what `quietcheck inspect --json` prints and what every later stage
 * reads — declared once, as a JSON Schema. The TypeScript types (facts.ts) are derived from it, docs/facts.md
 * is generated from it (`npm run docs`), and tests validate real output against it. Outside tools rely on
 * this shape: add fields, never rename or remove one.
 */

/** Capture time: ISO 8601 in UTC with microseconds. */
const TIME = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$',
  description: 'A time in the capture: ISO 8601 in UTC with microseconds, e.g. 2024-05-01T10:00:00.123456Z.',
} as const;

const COUNT = { type: 'integer', minimum: 0 } as const;
const PORT = { type: 'integer', minimum: 0, maximum: 65535 } as const;
const COUNTS = { type: 'object', additionalProperties: COUNT } as const;

const APP = {
  ...COUNT,
  description: 'The Android app (its uid, one of `apps`) whose connection this was, when the capture says (PCAPdroid captures only).',
} as const;

const CONNECTION = {
  ...COUNT,
  description:
    'Position in `connections` (counting from 0) of the connection this was seen on. Absent when that connection was only counted, not kept (see `capture.omitted.connections`), and in facts made by older versions.',
} as const;

export const CAPTURE_FACTS_SCHEMA = {
  type: 'object',
  description: 'The capture file as a whole.',
  additionalProperties: false,
  required: ['format', 'packets', 'bytes', 'firstSeen', 'lastSeen', 'linktypes', 'truncated', 'damageOffset', 'malformed', 'omitted'],
  properties: {
    format: { type: 'string', enum: ['pcap', 'pcapng'], description: 'The file format.' },
    packets: { ...COUNT, description: 'Packets read.' },
    bytes: { ...COUNT, description: 'Bytes of packet data read (as captured, which may be less than what travelled).' },
    firstSeen: { anyOf: [TIME, { type: 'null' }], description: 'Time of the first packet; null for a capture without packets.' },
    lastSeen: { anyOf: [TIME, { type: 'null' }], description: 'Time of the last packet; null for a capture without packets.' },
    linktypes: { type: 'array', items: COUNT, description: 'The link types of the capture (1 Ethernet, 101 raw IP, 113 Linux cooked, …), as the file declares them.' },
    truncated: { type: 'boolean', description: 'True when the file ends in the middle of a packet or block, or is damaged: it was read up to that point.' },
    damageOffset: { anyOf: [COUNT, { type: 'null' }], description: 'Where in the file (byte offset) reading stopped because of damage; null when the file was whole.' },
    malformed: { ...COUNTS, description: 'Packets or messages that could not be decoded, counted by what was wrong (e.g. `dns.truncated`, `http.request-line`). Empty when all decoded.' },
    omitted: {
      ...COUNTS,
      description:
        'Facts left out because a kind reached its limit (in count or in bytes), by kind: dns, tls, quic, http, dhcp; `addressNames` (names not remembered for an address: past 64 for one address, or past the limit for all), `connections` (finished connections only counted, past every record). Empty when nothing was left out.',
    },
    otherFrames: {
      ...COUNTS,
      description:
        'Frames that carried no IP but were recognised, by kind: `pppoe-discovery` (a PPPoE session being set up or ended), `ppp-control` (PPP link and address negotiation inside a session).',
    },
  },
} as const;

export const CONNECTION_FACT_SCHEMA = {
  type: 'object',
  description: 'One connection (TCP, or a UDP or ICMP exchange between two addresses and ports), from its first packet to its last.',
  additionalProperties: false,
  required: ['proto', 'src', 'sport', 'dst', 'dport', 'firstSeen', 'lastSeen', 'packets', 'bytes', 'bytesToServer', 'bytesToClient', 'service', 'names'],
  properties: {
    proto: { type: 'string', enum: ['tcp', 'udp', 'icmp', 'icmp6'], description: 'The transport protocol.' },
    src: { type: 'string', description: 'Address of the side that opened the connection (the client, usually the phone).' },
    sport: { ...PORT, description: 'Port of the side that opened the connection.' },
    dst: { type: 'string', description: 'Address of the other side (the server).' },
    dport: { ...PORT, description: 'Port of the server.' },
    firstSeen: { ...TIME, description: 'Time of the first packet.' },
    lastSeen: { ...TIME, description: 'Time of the last packet.' },
    packets: { ...COUNT, description: 'Packets in both directions.' },
    bytes: { ...COUNT, description: 'Bytes in both directions (IP packets, headers included).' },
    bytesToServer: { ...COUNT, description: 'Bytes sent by the client.' },
    bytesToClient: { ...COUNT, description: 'Bytes sent by the server.' },
    service: { type: ['string', 'null'], description: 'What the connection carried, when a decoder recognised it (dns, mdns, llmnr, dhcp, quic, tls, http, ssh, ntp); null when unknown.' },
    names: {
      type: 'array',
      items: { type: 'string' },
      description: 'Names known for the server: the names DNS answers in the capture gave for `dst`, and the TLS/QUIC server name and HTTP Host this connection used itself, lower case.',
    },
    app: { ...APP, description: 'The Android app (its uid, one of `apps`) that made the connection, when the capture says (PCAPdroid captures only).' },
    flows: {
      type: 'integer',
      minimum: 2,
      description:
        'Long captures only: this many finished connections between the same client, server, port and app were folded into this one entry to keep memory bounded (`sport` is the first one\'s, counters are sums). Absent for a single connection.',
    },
    starts: {
      type: 'array',
      items: TIME,
      description: 'With `flows`: when the first of the folded connections started (at most 16), for rules that look at timing.',
    },
  },
} as const;

export const APP_FACT_SCHEMA = {
  type: 'object',
  description: 'An Android app the capture file names: PCAPdroid, an app on the phone, records which app sent every packet.',
  additionalProperties: false,
  required: ['uid', 'package', 'name', 'connections'],
  properties: {
    uid: { ...COUNT, description: 'The app\'s user id on the phone; connections and facts refer to the app by it.' },
    package: { type: ['string', 'null'], description: 'The app\'s package name (e.g. com.example.app); null when the file gave only the number.' },
    name: { type: ['string', 'null'], description: 'The app\'s name as shown on the phone; null when the file did not give it.' },
    connections: { ...COUNT, description: 'Connections the app made.' },
  },
} as const;

export const DNS_ANSWER_FACT_SCHEMA = {
  type: 'object',
  description: 'One record of a DNS answer.',
  additionalProperties: false,
  required: ['name', 'type', 'data'],
  properties: {
    name: { type: 'string', description: 'The name the record is about.' },
    type: { type: 'string', description: 'The record type (A, AAAA, CNAME, …; a number for types without a name).' },
    data: { type: 'string', description: 'What the record says: an address for A/AAAA, a name for CNAME, text for others.' },
  },
} as const;

export const DNS_FACT_SCHEMA = {
  type: 'object',
  description: 'One DNS question, with its answer when the capture holds it (also mDNS and LLMNR).',
  additionalProperties: false,
  required: ['ts', 'client', 'server', 'transport', 'query', 'qtype', 'rcode', 'answers', 'multicast', 'seen'],
  properties: {
    ts: { ...TIME, description: 'When the question (or, without one, the answer) was seen.' },
    client: { type: 'string', description: 'Address of the side that asked.' },
    server: { type: 'string', description: 'Address of the side asked (the resolver, or a multicast group).' },
    transport: { type: 'string', enum: ['udp', 'tcp'], description: 'How the message travelled.' },
    query: { type: 'string', description: 'The name asked for, as written in the message.' },
    qtype: { type: 'string', description: 'The record type asked for (A, AAAA, HTTPS, …).' },
    rcode: { type: ['string', 'null'], description: 'The answer\'s result (NOERROR, NXDOMAIN, SERVFAIL, …); null when no answer was seen.' },
    answers: { type: 'array', items: DNS_ANSWER_FACT_SCHEMA, description: 'The records of the answer section.' },
    multicast: { type: 'boolean', description: 'True for mDNS and LLMNR (names on the local network), false for ordinary DNS.' },
    seen: {
      type: 'string',
      enum: ['query', 'response-only', 'announcement'],
      description:
        'What the capture held: the question (and its answer, if any), only an answer whose question was not captured, or an mDNS announcement (answers nobody asked for, reported under the first answer\'s name).',
    },
    app: APP,
    connection: CONNECTION,
  },
} as const;

export const CERTIFICATE_FACT_SCHEMA = {
  type: 'object',
  description: 'One certificate the server sent (readable in TLS 1.2 and earlier; TLS 1.3 encrypts them).',
  additionalProperties: false,
  required: ['subject', 'issuer', 'sha1', 'sha256', 'notBefore', 'notAfter', 'san', 'selfSigned'],
  properties: {
    subject: { type: 'string', description: 'Whom the certificate is for, as a distinguished name (e.g. CN=example.org).' },
    issuer: { type: 'string', description: 'Who signed it, as a distinguished name.' },
    sha1: { type: 'string', pattern: '^[0-9a-f]{40}$', description: 'SHA-1 of the certificate, lower-case hex.' },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the certificate, lower-case hex.' },
    notBefore: { type: 'string', description: 'Start of validity, ISO 8601 in UTC.' },
    notAfter: { type: 'string', description: 'End of validity, ISO 8601 in UTC.' },
    san: { type: 'array', items: { type: 'string' }, description: 'The names and addresses the certificate is valid for (subject alternative names).' },
    selfSigned: { type: 'boolean', description: 'True when the certificate signed itself (issuer and subject are the same).' },
  },
} as const;

export const TLS_FACT_SCHEMA = {
  type: 'object',
  description: 'One TLS handshake over TCP: what the phone asked for and, when visible, what the server answered.',
  additionalProperties: false,
  required: ['ts', 'client', 'sport', 'server', 'dport', 'sni', 'alpn', 'version', 'ja3', 'ja3s', 'ja4', 'certificates'],
  properties: {
    ts: { ...TIME, description: 'When the ClientHello was seen.' },
    client: { type: 'string', description: 'Address of the client.' },
    sport: { ...PORT, description: 'Port of the client.' },
    server: { type: 'string', description: 'Address of the server.' },
    dport: { ...PORT, description: 'Port of the server.' },
    sni: { type: ['string', 'null'], description: 'The server name the client asked for (SNI); null when it sent none.' },
    alpn: { type: 'array', items: { type: 'string' }, description: 'The application protocols the client offered (h2, http/1.1, …).' },
    version: { type: 'string', description: 'The TLS version agreed (or offered, without an answer), e.g. "TLS 1.3".' },
    ja3: { type: 'string', description: 'JA3 fingerprint of the ClientHello (MD5, lower-case hex): identifies the TLS library of the app.' },
    ja3String: { type: 'string', description: 'What `ja3` is the MD5 of. Absent in facts made by older versions.' },
    ja3s: { type: ['string', 'null'], description: 'JA3S fingerprint of the server\'s answer; null when no answer was seen.' },
    ja4: { type: 'string', description: 'JA4 fingerprint of the ClientHello.' },
    certificates: { type: 'array', items: CERTIFICATE_FACT_SCHEMA, description: 'The certificates the server sent, its own first; empty when they were not visible.' },
    app: APP,
    connection: CONNECTION,
  },
} as const;

export const QUIC_FACT_SCHEMA = {
  type: 'object',
  description: 'One QUIC connection start (HTTP/3): the ClientHello read from its decrypted Initial packets.',
  additionalProperties: false,
  required: ['ts', 'client', 'sport', 'server', 'dport', 'version', 'sni', 'alpn', 'ja4'],
  properties: {
    ts: { ...TIME, description: 'When the Initial packet was seen.' },
    client: { type: 'string', description: 'Address of the client.' },
    sport: { ...PORT, description: 'Port of the client.' },
    server: { type: 'string', description: 'Address of the server.' },
    dport: { ...PORT, description: 'Port of the server.' },
    version: { type: 'string', description: 'The QUIC version (e.g. "1").' },
    sni: { type: ['string', 'null'], description: 'The server name the client asked for; null when it sent none.' },
    alpn: { type: 'array', items: { type: 'string' }, description: 'The application protocols the client offered (h3, …).' },
    ja4: { type: 'string', description: 'JA4 fingerprint of the ClientHello.' },
    ja3: { type: 'string', description: 'JA3 fingerprint of the ClientHello. Absent in facts made by older versions.' },
    ja3String: { type: 'string', description: 'What `ja3` is the MD5 of. Absent in facts made by older versions.' },
    app: APP,
    connection: CONNECTION,
  },
} as const;

export const HTTP_FACT_SCHEMA = {
  type: 'object',
  description: 'One unencrypted HTTP request.',
  additionalProperties: false,
  required: ['ts', 'client', 'server', 'dport', 'method', 'host', 'uri', 'userAgent'],
  properties: {
    ts: { ...TIME, description: 'When the request was seen.' },
    client: { type: 'string', description: 'Address of the client.' },
    server: { type: 'string', description: 'Address of the server.' },
    dport: { ...PORT, description: 'Port of the server.' },
    method: { type: 'string', description: 'The request method (GET, POST, …).' },
    host: { type: 'string', description: 'The Host header, as sent (may carry a port).' },
    uri: { type: 'string', description: 'The path and query asked for.' },
    userAgent: { type: ['string', 'null'], description: 'The User-Agent header; null when none was sent.' },
    app: APP,
    connection: CONNECTION,
  },
} as const;

export const DHCP_FACT_SCHEMA = {
  type: 'object',
  description: 'One DHCP message from a device asking the network for an address: says what kind of device it is.',
  additionalProperties: false,
  required: ['ts', 'mac', 'hostname', 'vendorClass', 'messageType', 'paramList', 'clientId', 'requestedIp'],
  properties: {
    ts: { ...TIME, description: 'When the message was seen.' },
    mac: { type: 'string', description: 'The device\'s hardware (MAC) address, lower case.' },
    hostname: { type: ['string', 'null'], description: 'The name the device gave itself; null when none.' },
    vendorClass: { type: ['string', 'null'], description: 'The vendor class the device sent (e.g. "android-dhcp-13"); null when none.' },
    messageType: { type: ['string', 'null'], description: 'DISCOVER, REQUEST, INFORM, …; null when the message did not say.' },
    paramList: { type: 'array', items: COUNT, description: 'Option 55, the settings the device asked for, in its order: a fingerprint of its DHCP client.' },
    clientId: { type: ['string', 'null'], description: 'The client identifier option, hex; null when none.' },
    requestedIp: { type: ['string', 'null'], description: 'The address the device asked to keep; null when none.' },
  },
} as const;

export const PAYLOAD_HEAD_FACT_SCHEMA = {
  type: 'object',
  description: 'The first bytes a connection carried in each direction.',
  additionalProperties: false,
  required: ['connection', 'toServer', 'toClient'],
  properties: {
    connection: { ...COUNT, description: 'Position in `connections` (counting from 0) of the connection.' },
    toServer: { type: ['string', 'null'], description: 'The first bytes the client sent, base64; null when it sent none.' },
    toClient: { type: ['string', 'null'], description: 'The first bytes the server sent, base64; null when it sent none.' },
  },
} as const;

export const FACTS_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'quietcheck facts',
  type: 'object',
  description:
    'What quietcheck decoded from a capture, before any judgement: the document `quietcheck inspect --json` prints. Facts of one kind past their limit are left out and counted in `capture.omitted`.',
  additionalProperties: false,
  required: ['capture', 'connections', 'dns', 'tls', 'quic', 'http', 'dhcp', 'addressNames'],
  properties: {
    capture: CAPTURE_FACTS_SCHEMA,
    connections: { type: 'array', items: CONNECTION_FACT_SCHEMA, description: 'Every connection, finished ones first, each in the order it started.' },
    dns: { type: 'array', items: DNS_FACT_SCHEMA, description: 'DNS questions and answers, in capture order.' },
    tls: { type: 'array', items: TLS_FACT_SCHEMA, description: 'TLS handshakes, in capture order.' },
    quic: { type: 'array', items: QUIC_FACT_SCHEMA, description: 'QUIC connection starts, in capture order.' },
    http: { type: 'array', items: HTTP_FACT_SCHEMA, description: 'Unencrypted HTTP requests, in capture order.' },
    dhcp: { type: 'array', items: DHCP_FACT_SCHEMA, description: 'DHCP messages from devices, in capture order.' },
    payloadHeads: {
      type: 'array',
      items: PAYLOAD_HEAD_FACT_SCHEMA,
      description:
        'Only when asked for: the first bytes each connection carried, for rules that look at content. Left out by default: payloads are the survivor\'s private data.',
    },
    addressNames: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } },
      description: 'For each server address, every name that DNS answers in the capture said resolves to it (CNAME chains included), lower case.',
    },
    apps: {
      type: 'array',
      items: APP_FACT_SCHEMA,
      description: 'The Android apps the capture names (a PCAPdroid capture, made by an app on the phone itself); connections and facts refer to them by `app`. Empty for captures made on the network.',
    },
  },
} as const;
