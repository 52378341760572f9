/** Small stand-ins the hotspot unit tests share: settings kept in memory and an `ip -j addr show` answer. */
import type { SettingsStore } from '../../src/store/store.js';

export class MemoryStore implements SettingsStore {
  readonly values = new Map<string, string>();
  getSetting(k: string): string | null {
    return this.values.get(k) ?? null;
  }
  setSetting(k: string, v: string): void {
    this.values.set(k, v);
  }
  allSettings(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

/** A machine with loopback and one Wi-Fi adapter (wlan9), down. */
export const IP_ADDR = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00', addr_info: [] },
  { ifindex: 3, ifname: 'wlan9', flags: ['BROADCAST'], operstate: 'DOWN', link_type: 'ether', address: '02:00:00:00:00:09', addr_info: [] },
]);
