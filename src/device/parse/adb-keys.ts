import { createHash } from 'node:crypto';
import { linesOf } from './dumpsys.js';

/**
 * Computers trusted for USB debugging, from `dumpsys adb`: `user_keys=` holds one public key per line
 * (`<base64> user@host`), the keystore (XML or binary ABX) repeats them with their last connection.
 * A key's fingerprint is the MD5 of its decoded bytes, as the phone shows it (`last_key_received`).
 */

export interface AdbKey {
  /** MD5 of the key bytes, upper-case colon hex, as Android prints it. */
  fingerprint: string;
  /** The `user@host` comment the computer wrote. */
  comment: string;
  /** The base64 key itself, to recognise quietcheck's own key. */
  key: string;
  lastConnection: string | null;
}

export interface AdbDump {
  connected: boolean | null;
  lastKeyReceived: string | null;
  keys: AdbKey[];
  wifiDebugging: boolean | null;
}

export function adbKeyFingerprint(base64: string): string | null {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return null;
  return [...createHash('md5').update(bytes).digest()].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

const KEY_LINE = /([A-Za-z0-9+/]{16,}={0,2})(?:[ \t]+([^\s"<>]+))?/;

export function parseAdb(text: string): AdbDump {
  const out: AdbDump = { connected: null, lastKeyReceived: null, keys: [], wifiDebugging: null };
  const byKey = new Map<string, AdbKey>();
  const add = (key: string, comment: string, last: string | null): void => {
    const fp = adbKeyFingerprint(key);
    if (fp === null) return;
    const prev = byKey.get(key);
    if (prev) {
      if (!prev.comment && comment) prev.comment = comment;
      if (last) prev.lastConnection = last;
      return;
    }
    byKey.set(key, { fingerprint: fp, comment, key, lastConnection: last });
  };
  let inUserKeys = false;
  let inWifi = false;
  for (const line of linesOf(text)) {
    const t = line.trim();
    if (t.startsWith('connected_to_adb=')) out.connected = t.endsWith('true');
    else if (t.startsWith('last_key_received=')) out.lastKeyReceived = t.slice('last_key_received='.length).toUpperCase() || null;
    if (t.startsWith('adb_wifi=')) inWifi = true;
    if (inWifi && t.startsWith('enabled=')) out.wifiDebugging = t.endsWith('true');
    if (inWifi && t === '}') inWifi = false;
    if (t.startsWith('user_keys=')) {
      inUserKeys = true;
      const m = KEY_LINE.exec(t.slice('user_keys='.length));
      if (m) add(m[1]!, m[2] ?? '', null);
      continue;
    }
    if (inUserKeys) {
      const m = /^([A-Za-z0-9+/]{40,}={0,2})(?:[ \t]+(\S+))?$/.exec(t);
      if (m) {
        add(m[1]!, m[2] ?? '', null);
        continue;
      }
      if (t === '') continue;
      inUserKeys = false;
    }
    // XML keystore: <adbKey key="BASE64 user@host" lastConnection="ms" />
    const xml = /<adbKey key="([A-Za-z0-9+/=]+)(?: ([^"]*))?"(?: lastConnection="(\d+)")?/.exec(t);
    if (xml) add(xml[1]!, xml[2] ?? '', xml[3] ? new Date(Number(xml[3])).toISOString() : null);
  }
  out.keys = [...byKey.values()];
  return out;
}
