/**
 * The live counters a kiosk shows while a phone is being checked, fed with real captures: "servers
 * contacted" must count places the phone talked to, not DHCP broadcasts or multicast discovery.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import { LiveStats } from '../../src/checks/live-stats.js';
import { Engine } from '../../src/engine/engine.js';
import { pcap } from '../helpers/paths.js';

function replay(...names: string[]): LiveStats {
  const stats = new LiveStats(new Engine(), 0, () => undefined, () => 1000);
  for (const n of names) readCaptureFile(pcap(n), stats);
  return stats;
}

test('DHCP from 0.0.0.0 to the broadcast address is neither the device nor a server', () => {
  // dhcp.pcap: clients without an address broadcasting, and one DHCP server (128.2.6.152) answering two
  // hosts and the broadcast address.
  const s = replay('dhcp.pcap').snapshot();
  assert.ok(s.packets > 0);
  assert.match(s.deviceAddress ?? '', /^128\.2\.6\.(189|97)$/);
  assert.equal(s.servers, 1, 'the DHCP server only, no 255.255.255.255');
});

test('multicast discovery (mDNS on 224.0.0.251 and ff02::fb, IGMP, MLD) contacts no server', () => {
  const s = replay('mdns.pcap').snapshot();
  assert.ok(s.packets >= 20);
  assert.equal(s.servers, 0);
  assert.ok(s.deviceAddress !== null && !/^(224\.|ff)/.test(s.deviceAddress));
});

test('a check limited to one address names that address as the device, whichever side of the connection it is on', () => {
  // dns-tcp-multirequest.pcap: 10.16.1.11 asks the name server 10.16.1.1. Without a device the first
  // client is taken for the phone; a check limited to the name server's address must name that one,
  // and count the other side as the server it talked to (a check of 127.0.0.9 that saw 127.0.0.1
  // connect to it used to say "Phone seen: 127.0.0.1").
  const guessed = replay('dns-tcp-multirequest.pcap').snapshot();
  assert.equal(guessed.deviceAddress, '10.16.1.11');
  const stats = new LiveStats(new Engine(), 0, () => undefined, () => 1000, '10.16.1.1');
  readCaptureFile(pcap('dns-tcp-multirequest.pcap'), stats);
  const s = stats.snapshot();
  assert.equal(s.deviceAddress, '10.16.1.1');
  assert.equal(s.servers, 1, 'the other side, 10.16.1.11, is the one server');
  // A device given as a MAC address leaves the guess as it was.
  const byMac = new LiveStats(new Engine(), 0, () => undefined, () => 1000, 'aa:bb:cc:dd:ee:ff');
  readCaptureFile(pcap('dns-tcp-multirequest.pcap'), byMac);
  assert.equal(byMac.snapshot().deviceAddress, '10.16.1.11');
});
