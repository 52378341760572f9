/**
 * The live counters a kiosk shows while a phone is being checked, fed with real captures: "servers
 * contacted" must count places the phone talked to, not DHCP broadcasts or multicast discovery.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCaptureFile } from '../../src/capture/reader.js';
import { LiveStats } from '../../src/checks/live-stats.js';
import { Engine } from '../../src/inspect/engine.js';
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
