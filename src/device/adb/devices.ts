import type { AdbClient } from './client.js';

/** Phones adb sees, with their state: `device` (ready), `unauthorized` (accept the prompt on the phone), `offline`. */

export type DeviceState = 'device' | 'unauthorized' | 'offline' | 'no permissions' | 'other';

export interface ConnectedDevice {
  serial: string;
  state: DeviceState;
  model: string | null;
  product: string | null;
}

export function parseDevices(text: string): ConnectedDevice[] {
  const out: ConnectedDevice[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('List of devices') || line.startsWith('*')) continue;
    const m = /^(\S+)\s+(device|unauthorized|offline|no permissions|unknown|recovery|sideload|bootloader|authorizing|connecting)\b(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[3]!;
    const state: DeviceState = m[2] === 'device' || m[2] === 'unauthorized' || m[2] === 'offline' || m[2] === 'no permissions' ? m[2] : m[2] === 'authorizing' ? 'unauthorized' : m[2] === 'connecting' ? 'offline' : 'other';
    out.push({
      serial: m[1]!,
      state,
      model: /\bmodel:(\S+)/.exec(rest)?.[1]?.replace(/_/g, ' ') ?? null,
      product: /\bproduct:(\S+)/.exec(rest)?.[1] ?? null,
    });
  }
  return out;
}

export async function listDevices(client: AdbClient): Promise<ConnectedDevice[]> {
  const r = await client.run(['devices', '-l'], 30_000);
  return parseDevices(r.stdout.toString('utf8'));
}
