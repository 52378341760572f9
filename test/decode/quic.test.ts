import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../src/decode/errors.js';
import {
  QUIC_CRYPTO_LIMIT,
  QUIC_DRAFT29,
  QUIC_V1,
  QUIC_V2,
  QuicCryptoAssembler,
  addClientInitials,
  decryptClientInitials,
  looksLikeQuicInitial,
  quicClientInitialKeys,
  quicHeaderProtectionMask,
  quicVersionName,
} from '../../src/decode/quic.js';
import { sealClientInitial } from '../../src/decode/quic-seal.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const RFC_DCID = hex('8394c8f03e515708');

// RFC 9001 Appendix A.2: the CRYPTO frame of the client Initial (then PADDING up to 1162 bytes).
const RFC_CRYPTO_FRAME = hex(`
  060040f1010000ed0303ebf8fa56f129 39b9584a3896472ec40bb863cfd3e868
  04fe3a47f06a2b69484c000004130113 02010000c000000010000e00000b6578
  616d706c652e636f6dff01000100000a 00080006001d00170018001000070005
  04616c706e0005000501000000000033 00260024001d00209370b2c9caa47fba
  baf4559fedba753de171fa71f50f1ce1 5d43e994ec74d748002b000302030400
  0d0010000e0403050306030203080408 050806002d00020101001c0002400100
  3900320408ffffffffffffffff050480 00ffff07048000ffff08011001048000
  75300901100f088394c8f03e51570806 048000ffff`);
/** The ClientHello handshake message inside that frame (type 0x06, offset 0x00, length 0x40f1). */
const RFC_CLIENT_HELLO = RFC_CRYPTO_FRAME.subarray(4);

// RFC 9001 Appendix A.2: the protected client Initial.
const RFC9001_PACKET = hex(`
  c000000001088394c8f03e5157080000 449e7b9aec34d1b1c98dd7689fb8ec11
  d242b123dc9bd8bab936b47d92ec356c 0bab7df5976d27cd449f63300099f399
  1c260ec4c60d17b31f8429157bb35a12 82a643a8d2262cad67500cadb8e7378c
  8eb7539ec4d4905fed1bee1fc8aafba1 7c750e2c7ace01e6005f80fcb7df6212
  30c83711b39343fa028cea7f7fb5ff89 eac2308249a02252155e2347b63d58c5
  457afd84d05dfffdb20392844ae81215 4682e9cf012f9021a6f0be17ddd0c208
  4dce25ff9b06cde535d0f920a2db1bf3 62c23e596d11a4f5a6cf3948838a3aec
  4e15daf8500a6ef69ec4e3feb6b1d98e 610ac8b7ec3faf6ad760b7bad1db4ba3
  485e8a94dc250ae3fdb41ed15fb6a8e5 eba0fc3dd60bc8e30c5c4287e53805db
  059ae0648db2f64264ed5e39be2e20d8 2df566da8dd5998ccabdae053060ae6c
  7b4378e846d29f37ed7b4ea9ec5d82e7 961b7f25a9323851f681d582363aa5f8
  9937f5a67258bf63ad6f1a0b1d96dbd4 faddfcefc5266ba6611722395c906556
  be52afe3f565636ad1b17d508b73d874 3eeb524be22b3dcbc2c7468d54119c74
  68449a13d8e3b95811a198f3491de3e7 fe942b330407abf82a4ed7c1b311663a
  c69890f4157015853d91e923037c227a 33cdd5ec281ca3f79c44546b9d90ca00
  f064c99e3dd97911d39fe9c5d0b23a22 9a234cb36186c4819e8b9c5927726632
  291d6a418211cc2962e20fe47feb3edf 330f2c603a9d48c0fcb5699dbfe58964
  25c5bac4aee82e57a85aaf4e2513e4f0 5796b07ba2ee47d80506f8d2c25e50fd
  14de71e6c418559302f939b0e1abd576 f279c4b2e0feb85c1f28ff18f58891ff
  ef132eef2fa09346aee33c28eb130ff2 8f5b766953334113211996d20011a198
  e3fc433f9f2541010ae17c1bf202580f 6047472fb36857fe843b19f5984009dd
  c324044e847a4f4a0ab34f719595de37 252d6235365e9b84392b061085349d73
  203a4a13e96f5432ec0fd4a1ee65accd d5e3904df54c1da510b0ff20dcc0c77f
  cb2c0e0eb605cb0504db87632cf3d8b4 dae6e705769d1de354270123cb11450e
  fc60ac47683d7b8d0f811365565fd98c 4c8eb936bcab8d069fc33bd801b03ade
  a2e1fbc5aa463d08ca19896d2bf59a07 1b851e6c239052172f296bfb5e724047
  90a2181014f3b94a4e97d117b4381303 68cc39dbb2d198065ae3986547926cd2
  162f40a29f0c3c8745c0f50fba3852e5 66d44575c29d39a03f0cda721984b6f4
  40591f355e12d439ff150aab7613499d bd49adabc8676eef023b15b65bfc5ca0
  6948109f23f350db82123535eb8a7433 bdabcb909271a6ecbcb58b936a88cd4e
  8f2e6ff5800175f113253d8fa9ca8885 c2f552e657dc603f252e1a8e308f76f0
  be79e2fb8f5d5fbbe2e30ecadd220723 c8c0aea8078cdfcb3868263ff8f09400
  54da48781893a7e49ad5aff4af300cd8 04a6b6279ab3ff3afb64491c85194aab
  760d58a606654f9f4400e8b38591356f bf6425aca26dc85244259ff2b19c41b9
  f96f3ca9ec1dde434da7d2d392b905dd f3d1f9af93d1af5950bd493f5aa731b4
  056df31bd267b6b90a079831aaf579be 0a39013137aac6d404f518cfd4684064
  7e78bfe706ca4cf5e9c5453e9f7cfd2b 8b4c8d169a44e55c88d4a9a7f9474241
  e221af44860018ab0856972e194cd934`);

// RFC 9369 Appendix A.2: the same ClientHello as a QUIC v2 client Initial.
const RFC9369_PACKET = hex(`
  d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485
  dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04
  9f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f17ac2053d21f57c5d
  250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a
  12834e3f249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500
  cb9122faa9f1df66c392079a1b40f0de1c6054196a11cbea40afb6ef5253cd68
  18f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da58976ff33
  12ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3
  d396ae5a3fb512384b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd
  6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc375eb198c63301c21801f6520
  bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045
  636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1f
  ac7cf4ed77f322e8fa894b6a83810a34b361901751a6f5eb65a0326e07de7c12
  16ccce2d0193f958bb3850a833f7ae432b65bc5a53975c155aa4bcb4f7b2c4e5
  4df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4
  fdf85290fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b
  8017c25ca9052ca1079d8b78aebd47876d330a30f6a8c6d61dd1ab5589329de7
  14d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2bb522ff9
  9c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91
  abfe43960977c87471cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd
  80bf4dc8b52a0ba031758022eb025cdd770b44d6d6cf0670f4e990b22347a7db
  848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18
  d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15
  c4d526250235ddcd6776fc77bc97e7a417ebcb31600d01e57f32162a8560cacc
  7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d7740f81193e8238e61
  f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e70710
  10d3f270121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b
  3d6758158197107c14ebb193230cd1157380aa79cae1374a7c1e5bbcb80ee23e
  06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7ca7331dce
  8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d1
  34b90c9058f8632c798d4490da4987307cba922d61c39805d072b589bd52fdf1
  e86215c2d54e6670e07383a27bbffb5addf47d66aa85a0c6f9f32e59d85a44dd
  5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3
  8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89
  d5974ee12e5cf7d5da4d6a31123041f33e61407e76cffcdcfd7e19ba58cf4b53
  6f4c4938ae79324dc402894b44faf8afbab35282ab659d13c93f70412e85cb19
  9a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96b
  a18b2faa745b6fe189cf772a9f84cbfc`);

/** Only DecodeError may escape a decoder; anything else is a bug. */
function onlyDecodeErrors(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    assert.match(e.kind, /^quic\./);
  }
}

test('RFC 9001 A.1: v1 client Initial keys', () => {
  const k = quicClientInitialKeys(QUIC_V1, RFC_DCID);
  assert.equal(k.secret.toString('hex'), 'c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea');
  assert.equal(k.key.toString('hex'), '1f369613dd76d5467730efcbe3b1a22d');
  assert.equal(k.iv.toString('hex'), 'fa044b2f42a3fd3b46fb255c');
  assert.equal(k.hp.toString('hex'), '9f50449e04a0e810283a1e9933adedd2');
});

test('RFC 9001 A.2: header-protection mask from the sample', () => {
  const k = quicClientInitialKeys(QUIC_V1, RFC_DCID);
  const mask = quicHeaderProtectionMask(k.hp, hex('d1b1c98dd7689fb8ec11d242b123dc9b'));
  assert.equal(mask.toString('hex'), '437b9aec36');
});

test('RFC 9001 A.2: the protected v1 client Initial decrypts to the example ClientHello', () => {
  assert.equal(RFC9001_PACKET.length, 1200);
  assert.ok(looksLikeQuicInitial(RFC9001_PACKET, 0, RFC9001_PACKET.length));
  const pkts = decryptClientInitials(RFC9001_PACKET, 0, RFC9001_PACKET.length, null);
  assert.equal(pkts.length, 1);
  const p = pkts[0]!;
  assert.equal(p.version, QUIC_V1);
  assert.deepEqual(p.dcid, RFC_DCID);
  assert.deepEqual(p.keyDcid, RFC_DCID);
  assert.equal(p.scid.length, 0);
  assert.equal(p.packetNumber, 2);
  assert.equal(p.crypto.length, 1);
  assert.equal(p.crypto[0]!.offset, 0);
  assert.deepEqual(p.crypto[0]!.data, RFC_CLIENT_HELLO);
  const asm = new QuicCryptoAssembler();
  asm.add(p.crypto[0]!);
  const body = asm.clientHelloBody();
  assert.ok(body);
  assert.deepEqual(body, RFC_CLIENT_HELLO.subarray(4));
  assert.ok(body.includes(Buffer.from('example.com')));
});

test('RFC 9369 A.1: v2 client Initial keys', () => {
  const k = quicClientInitialKeys(QUIC_V2, RFC_DCID);
  assert.equal(k.secret.toString('hex'), '14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b');
  assert.equal(k.key.toString('hex'), '8b1a0bc121284290a29e0971b5cd045d');
  assert.equal(k.iv.toString('hex'), '91f73e2351d8fa91660e909f');
  assert.equal(k.hp.toString('hex'), '45b95e15235d6f45a6b19cbcb0294ba9');
  const mask = quicHeaderProtectionMask(k.hp, hex('ffe67b6abcdb4298b485dd04de806071'));
  assert.equal(mask.toString('hex'), '94a0c95e80');
});

test('RFC 9369 A.2: the protected v2 client Initial decrypts to the example ClientHello', () => {
  assert.equal(RFC9369_PACKET.length, 1200);
  assert.ok(looksLikeQuicInitial(RFC9369_PACKET, 0, RFC9369_PACKET.length));
  const [p, ...rest] = decryptClientInitials(RFC9369_PACKET, 0, RFC9369_PACKET.length, null);
  assert.equal(rest.length, 0);
  assert.equal(p!.version, QUIC_V2);
  assert.equal(p!.packetNumber, 2);
  assert.deepEqual(p!.crypto, [{ offset: 0, data: RFC_CLIENT_HELLO }]);
});

test('v1 type bits on a v2 packet (and the reverse) are not Initials', () => {
  const v2AsV1 = Buffer.from(RFC9369_PACKET);
  v2AsV1[0] = v2AsV1[0]! & ~0x30;
  assert.equal(looksLikeQuicInitial(v2AsV1, 0, v2AsV1.length), false);
  assert.throws(() => decryptClientInitials(v2AsV1, 0, v2AsV1.length, null), { kind: 'quic.not-initial' });
  const v1AsV2 = Buffer.from(RFC9001_PACKET);
  v1AsV2.writeUInt32BE(QUIC_V2, 1);
  assert.equal(looksLikeQuicInitial(v1AsV2, 0, v1AsV2.length), false);
});

test('decrypts at an offset inside a larger buffer and ignores bytes past len', () => {
  const big = Buffer.concat([Buffer.alloc(37, 0xee), RFC9001_PACKET, Buffer.alloc(50, 0xab)]);
  assert.ok(looksLikeQuicInitial(big, 37, 1200));
  const pkts = decryptClientInitials(big, 37, 1200, null);
  assert.equal(pkts.length, 1);
  assert.deepEqual(pkts[0]!.crypto[0]!.data, RFC_CLIENT_HELLO);
  // The caller's buffer is left untouched (header protection is removed on a copy).
  assert.deepEqual(big.subarray(37, 37 + 1200), RFC9001_PACKET);
});

test('draft-29 Initials use their own salt', () => {
  const dcid = hex('0102030405060708');
  const pkt = sealClientInitial({
    version: QUIC_DRAFT29,
    dcid,
    packetNumber: 0,
    frames: [{ crypto: { offset: 0, data: RFC_CLIENT_HELLO } }],
    padTo: 1100,
  });
  assert.ok(looksLikeQuicInitial(pkt, 0, pkt.length));
  const [p] = decryptClientInitials(pkt, 0, pkt.length, null);
  assert.equal(p!.version, QUIC_DRAFT29);
  assert.deepEqual(p!.crypto[0]!.data, RFC_CLIENT_HELLO);
  // A draft-29 packet relabelled v1 fails authentication: the salts differ.
  const asV1 = Buffer.from(pkt);
  asV1.writeUInt32BE(QUIC_V1, 1);
  assert.throws(() => decryptClientInitials(asV1, 0, asV1.length, null), { kind: 'quic.decrypt' });
});

test('quicVersionName', () => {
  assert.equal(quicVersionName(1), 'QUIC v1');
  assert.equal(quicVersionName(0x6b3343cf), 'QUIC v2');
  assert.equal(quicVersionName(0xff00001d), 'QUIC draft-29');
  assert.equal(quicVersionName(0x709a50c4), '0x709a50c4');
  assert.equal(quicVersionName(0), '0x00000000');
  assert.equal(quicVersionName(0xfaceb002), '0xfaceb002');
});

test('looksLikeQuicInitial rejects short headers, other types, versions and CID lengths', () => {
  const p = RFC9001_PACKET;
  assert.equal(looksLikeQuicInitial(p, 0, 6), false);
  assert.equal(looksLikeQuicInitial(Buffer.alloc(0), 0, 0), false);
  assert.equal(looksLikeQuicInitial(p, 0, 5000), true, 'len past the buffer is clipped');
  const variants: Array<[number, number]> = [
    [0, 0x40], // short header
    [0, 0xe0], // Handshake
    [4, 0x02], // unknown version
    [5, 21], // DCID too long
  ];
  for (const [at, v] of variants) {
    const q = Buffer.from(p);
    q[at] = v;
    assert.equal(looksLikeQuicInitial(q, 0, q.length), false, `byte ${at} = ${v}`);
  }
  // Version negotiation (version 0) is not an Initial.
  const vn = Buffer.from(p);
  vn.writeUInt32BE(0, 1);
  assert.equal(looksLikeQuicInitial(vn, 0, vn.length), false);
  assert.throws(() => decryptClientInitials(vn, 0, vn.length, null), { kind: 'quic.version' });
});

test('coalesced Initials are all decrypted; a following Handshake or junk ends the datagram', () => {
  const dcid = hex('aabbccdd11223344');
  const hello = RFC_CLIENT_HELLO;
  const a = sealClientInitial({
    version: QUIC_V1,
    dcid,
    scid: hex('0102'),
    packetNumber: 0,
    pnLength: 1,
    frames: [{ crypto: { offset: 100, data: hello.subarray(100) } }, { raw: hex('01') }],
  });
  const b = sealClientInitial({
    version: QUIC_V1,
    dcid,
    scid: hex('0102'),
    packetNumber: 1,
    pnLength: 2,
    frames: [{ raw: hex('0300000000 010203') }, { crypto: { offset: 0, data: hello.subarray(0, 100) } }],
  });
  const handshakeLike = Buffer.from(a);
  handshakeLike[0] = (handshakeLike[0]! & ~0x30) | 0x20;
  const dgram = Buffer.concat([a, b, handshakeLike, Buffer.alloc(40)]);
  const pkts = decryptClientInitials(dgram, 0, dgram.length, null);
  assert.deepEqual(
    pkts.map((p) => [p.packetNumber, p.crypto.map((c) => [c.offset, c.data.length])]),
    [
      [0, [[100, hello.length - 100]]],
      [1, [[0, 100]]],
    ],
  );
  assert.deepEqual(pkts[0]!.scid, hex('0102'));
  const asm = new QuicCryptoAssembler();
  for (const p of pkts) for (const c of p.crypto) asm.add(c);
  assert.deepEqual(asm.clientHelloBody(), hello.subarray(4));

  // A coalesced packet for another DCID is not ours (RFC 9000 §12.2) and is skipped.
  const other = sealClientInitial({ version: QUIC_V1, dcid: hex('99'), packetNumber: 5, frames: [{ raw: hex('01') }] });
  assert.equal(decryptClientInitials(Buffer.concat([a, other]), 0, a.length + other.length, null).length, 1);
  // So is an authenticated follower whose frames are broken: the good packet before it is kept.
  const broken = sealClientInitial({ version: QUIC_V1, dcid, packetNumber: 2, frames: [{ raw: hex('06 00 50 00') }] });
  assert.throws(() => decryptClientInitials(broken, 0, broken.length, null), { kind: 'quic.truncated' });
  assert.equal(decryptClientInitials(Buffer.concat([a, broken]), 0, a.length + broken.length, null).length, 1);
});

test('keys come from the first DCID after the client switches, and fall back to the own DCID after a Retry', () => {
  const first = hex('c5a5015ae8f479784a');
  const serverChosen = hex('01275b138ee6aca8a6276b132ae6b3547cf7773f');
  const pkt = sealClientInitial({
    version: QUIC_V2,
    dcid: serverChosen,
    keyDcid: first,
    packetNumber: 3,
    frames: [{ crypto: { offset: 0, data: RFC_CLIENT_HELLO } }],
  });
  assert.throws(() => decryptClientInitials(pkt, 0, pkt.length, null), { kind: 'quic.decrypt' });
  const [p] = decryptClientInitials(pkt, 0, pkt.length, first);
  assert.deepEqual(p!.dcid, serverChosen);
  assert.deepEqual(p!.keyDcid, first);
  assert.equal(p!.packetNumber, 3);

  // After a Retry the client keys its new Initial (with the token) from the Retry's SCID.
  const retried = sealClientInitial({
    version: QUIC_V1,
    dcid: serverChosen,
    token: Buffer.from('retry-token'),
    packetNumber: 1,
    frames: [{ crypto: { offset: 0, data: RFC_CLIENT_HELLO } }],
  });
  const [r] = decryptClientInitials(retried, 0, retried.length, first);
  assert.deepEqual(r!.keyDcid, serverChosen);
  assert.equal(r!.token.toString(), 'retry-token');
});

test('addClientInitials feeds the assembler what decryptClientInitials returns, and nothing from a failed datagram', () => {
  const dcid = hex('aabbccdd11223344');
  const hello = RFC_CLIENT_HELLO;
  const a = sealClientInitial({
    version: QUIC_V2,
    dcid,
    packetNumber: 0,
    frames: [{ crypto: { offset: 300, data: hello.subarray(300) } }, { raw: Buffer.alloc(50) }, { crypto: { offset: 0, data: hello.subarray(0, 120) } }],
  });
  const b = sealClientInitial({
    version: QUIC_V2,
    dcid,
    packetNumber: 1,
    frames: [{ raw: hex('01') }, { crypto: { offset: 100, data: hello.subarray(100, 310) } }],
  });
  // Inside a larger buffer, followed by padding that is not a packet.
  const block = Buffer.concat([Buffer.alloc(33, 0xee), a, b, Buffer.alloc(20), Buffer.alloc(9, 0xee)]);
  const off = 33, len = a.length + b.length + 20;
  const asm = new QuicCryptoAssembler();
  const k = addClientInitials(block, off, len, null, asm);
  assert.equal(k.version, QUIC_V2);
  assert.deepEqual(k.dcid, dcid);
  assert.deepEqual(asm.clientHelloBody(), hello.subarray(4));
  const viaPackets = new QuicCryptoAssembler();
  for (const p of decryptClientInitials(block, off, len, null)) for (const c of p.crypto) viaPackets.add(c);
  assert.deepEqual(viaPackets.clientHelloBody(), asm.clientHelloBody());

  // Keys from the connection's first DCID; the returned key DCID is that one.
  const first = hex('0102030405060708');
  const switched = sealClientInitial({
    version: QUIC_V1, dcid: hex('99887766'), keyDcid: first, packetNumber: 2,
    frames: [{ crypto: { offset: 0, data: hello } }],
  });
  const asm2 = new QuicCryptoAssembler();
  assert.throws(() => addClientInitials(switched, 0, switched.length, null, asm2), { kind: 'quic.decrypt' });
  assert.deepEqual(addClientInitials(switched, 0, switched.length, first, asm2).dcid, first);
  assert.deepEqual(asm2.clientHelloBody(), hello.subarray(4));

  // A first packet whose frames break after a good CRYPTO frame adds none of it.
  const broken = sealClientInitial({
    version: QUIC_V1, dcid, packetNumber: 3,
    frames: [{ crypto: { offset: 0, data: hello.subarray(0, 50) } }, { raw: hex('06 00 50 00') }],
  });
  const asm3 = new QuicCryptoAssembler();
  assert.throws(() => addClientInitials(broken, 0, broken.length, null, asm3), { kind: 'quic.truncated' });
  assert.equal(asm3.contiguousLength, 0);
});

test('keys stay right for more connections than the key cache holds', () => {
  const hello = RFC_CLIENT_HELLO;
  const pkts: Array<[Buffer, Buffer]> = [];
  for (let i = 0; i < 600; i++) {
    const dcid = Buffer.alloc(2 + (i % 19));
    dcid.writeUInt16BE(i, 0);
    const version = [QUIC_V1, QUIC_V2, QUIC_DRAFT29][i % 3]!;
    pkts.push([dcid, sealClientInitial({ version, dcid, packetNumber: i, frames: [{ crypto: { offset: 0, data: hello } }] })]);
  }
  // Twice round, so the second pass finds evicted and kept entries alike.
  for (let round = 0; round < 2; round++) {
    for (const [dcid, pkt] of pkts) {
      const asm = new QuicCryptoAssembler();
      assert.deepEqual(addClientInitials(pkt, 0, pkt.length, null, asm).dcid, dcid);
      assert.deepEqual(asm.clientHelloBody(), hello.subarray(4));
    }
  }
});

test('ACK with ECN, PING, CONNECTION_CLOSE are parsed; other frames stop parsing without error', () => {
  const dcid = hex('1111111111111111');
  const pkt = sealClientInitial({
    version: QUIC_V1,
    dcid,
    packetNumber: 7,
    frames: [
      { raw: hex('01') },
      // ACK_ECN: largest 0x4100, delay 2, 2 more ranges, first range 0, gaps/lengths, ECT0/ECT1/CE counts.
      { raw: hex('03 4100 02 02 00 01 01 00 00 05 06 07') },
      { crypto: { offset: 5, data: hex('aabbcc') } },
      { raw: hex('1c 4001 06 03 616263') },
      { raw: hex('08 00') }, // STREAM: not allowed in Initial
      { crypto: { offset: 0, data: hex('ffff') } },
    ],
  });
  const [p] = decryptClientInitials(pkt, 0, pkt.length, null);
  assert.deepEqual(p!.crypto, [{ offset: 5, data: hex('aabbcc') }]);
  assert.equal(p!.closeErrorCode, 1);
});

test('a truncated frame inside an authenticated payload is a DecodeError', () => {
  const dcid = hex('2222222222222222');
  for (const raw of ['06 00 10 aabb', '02 00 00 40', '03 00 00 00 00 01', '1c 00 00 05 61', '06 80']) {
    const pkt = sealClientInitial({ version: QUIC_V1, dcid, packetNumber: 1, frames: [{ raw: hex(raw) }] });
    assert.throws(() => decryptClientInitials(pkt, 0, pkt.length, null), (e: unknown) => e instanceof DecodeError, raw);
  }
  // An ACK claiming 2^62 ranges fails fast rather than looping.
  const huge = sealClientInitial({
    version: QUIC_V1,
    dcid,
    packetNumber: 1,
    frames: [{ raw: hex('02 00 00 ffffffffffffffff 00 00 00') }],
  });
  const t0 = Date.now();
  assert.throws(() => decryptClientInitials(huge, 0, huge.length, null), { kind: 'quic.truncated' });
  assert.ok(Date.now() - t0 < 1000);
});

test('assembler: out of order, overlapping, duplicate chunks; first bytes win', () => {
  const msg = Buffer.concat([hex('01000010'), Buffer.from('0123456789abcdef')]);
  const asm = new QuicCryptoAssembler();
  asm.add({ offset: 10, data: msg.subarray(10) });
  assert.equal(asm.clientHelloBody(), null);
  asm.add({ offset: 2, data: msg.subarray(2, 12) });
  asm.add({ offset: 2, data: msg.subarray(2, 12) });
  assert.equal(asm.clientHelloBody(), null);
  assert.equal(asm.contiguousLength, 0);
  // A conflicting retransmission of already-held bytes must not replace them.
  asm.add({ offset: 4, data: Buffer.from('XXXX') });
  asm.add({ offset: 0, data: msg.subarray(0, 3) });
  const body = asm.clientHelloBody();
  assert.deepEqual(body, msg.subarray(4));
  assert.equal(asm.clientHelloBody(), body);
});

test('assembler: byte-by-byte in reverse order and random splits', () => {
  const body = Buffer.alloc(3000);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
  const msg = Buffer.concat([hex('01000bb8'), body]);
  const asm = new QuicCryptoAssembler();
  for (let i = msg.length - 1; i >= 0; i--) {
    assert.equal(asm.clientHelloBody(), null);
    asm.add({ offset: i, data: msg.subarray(i, i + 1) });
  }
  assert.deepEqual(asm.clientHelloBody(), body);

  let seed = 42;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let round = 0; round < 50; round++) {
    const a = new QuicCryptoAssembler();
    const chunks: Array<[number, number]> = [];
    for (let s = 0; s < msg.length; ) {
      const e = Math.min(msg.length, s + 1 + rnd(400));
      chunks.push([s, e]);
      s = e;
    }
    // Plus random overlapping duplicates.
    for (let i = 0; i < 10; i++) {
      const s = rnd(msg.length);
      chunks.push([s, Math.min(msg.length, s + rnd(600))]);
    }
    chunks.sort(() => rnd(3) - 1);
    for (const [s, e] of chunks) a.add({ offset: s, data: msg.subarray(s, e) });
    assert.deepEqual(a.clientHelloBody(), body, `round ${round}`);
  }
});

test('assembler: bounded at 64 KiB, not a ClientHello, empty chunks', () => {
  const asm = new QuicCryptoAssembler();
  asm.add({ offset: QUIC_CRYPTO_LIMIT, data: Buffer.alloc(10) });
  asm.add({ offset: 2 ** 62, data: Buffer.alloc(10) });
  asm.add({ offset: 0, data: Buffer.alloc(0) });
  assert.equal(asm.contiguousLength, 0);
  // A ClientHello claiming 16 MB can never complete inside the bound.
  asm.add({ offset: 0, data: Buffer.concat([hex('01ffffff'), Buffer.alloc(QUIC_CRYPTO_LIMIT * 2)]) });
  assert.equal(asm.contiguousLength, QUIC_CRYPTO_LIMIT);
  assert.equal(asm.clientHelloBody(), null);
  assert.equal(asm.hopeless, true);

  const sh = new QuicCryptoAssembler();
  sh.add({ offset: 0, data: hex('02000000') });
  assert.equal(sh.clientHelloBody(), null);
  assert.equal(sh.hopeless, true);

  const empty = new QuicCryptoAssembler();
  empty.add({ offset: 0, data: hex('01000000') });
  assert.deepEqual(empty.clientHelloBody(), Buffer.alloc(0));
});

test('fuzz: truncating and corrupting the RFC packets only ever raises DecodeError', () => {
  for (const pkt of [RFC9001_PACKET, RFC9369_PACKET]) {
    for (let n = 0; n <= pkt.length; n++) {
      onlyDecodeErrors(() => decryptClientInitials(pkt, 0, n, null));
      onlyDecodeErrors(() => decryptClientInitials(pkt.subarray(0, n), 0, n, null));
    }
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 0; i < 2000; i++) {
      const q = Buffer.from(pkt);
      const flips = 1 + rnd(4);
      for (let f = 0; f < flips; f++) q[rnd(i < 1000 ? 40 : q.length)] ^= 1 + rnd(255);
      let ok = true;
      try {
        decryptClientInitials(q, 0, q.length, null);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        ok = false;
      }
      // Any flip in the authenticated part must be caught by GCM (the DCID selects the keys).
      if (ok) assert.ok(q.equals(pkt), 'a corrupted packet decrypted');
    }
  }
  onlyDecodeErrors(() => decryptClientInitials(RFC9001_PACKET, -1, 10, null));
  onlyDecodeErrors(() => decryptClientInitials(RFC9001_PACKET, 5000, 10, null));
  onlyDecodeErrors(() => decryptClientInitials(RFC9001_PACKET, 0, -5, null));
});
