/**
 * The NetworkManager backend (Raspberry Pi OS 12 and desktops, where NetworkManager owns Wi-Fi and
 * hostapd cannot take the adapter): an access-point connection made with nmcli, WPA2 (RSN) with CCMP
 * only, a fixed address and no NetworkManager DHCP or NAT (`ipv4.method manual`), so quietcheck's own
 * dnsmasq and nftables table do the rest exactly as with hostapd. The password is never on a command
 * line (where every user sees it in `ps`): it is given to `nmcli connection up` in a passwd-file in the
 * data directory, mode 0600 (quietcheck's user only), removed as soon as nmcli returns, and not saved
 * by NetworkManager (psk-flags 2).
 *
 * test/hotspot/nmcli-offline.test.ts runs these argument lists through the real nmcli (`--offline`,
 * no daemon needed) and checks the profile it would store.
 */
import { HotspotConfigError } from './hostapd.js';

export const NM_HOTSPOT_CONNECTION = 'quietcheck-hotspot';

/**
 * Channels quietcheck's settings allow (hostapd knows them) that NetworkManager 1.42 — Debian 12 and
 * Raspberry Pi OS 12 — refuses: its 5 GHz table has no channel 144, so `connection add` fails with
 * "'144' is not a valid channel" (seen with the real nmcli 1.42.4).
 */
const NM_UNKNOWN_CHANNELS: readonly number[] = [144];

/** Why NetworkManager cannot run the hotspot on this channel, or null. */
export function nmChannelProblem(channel: number): string | null {
  return NM_UNKNOWN_CHANNELS.includes(channel)
    ? `channel ${channel} cannot be used with the NetworkManager hotspot backend (NetworkManager 1.42 does not know it): choose another channel, such as 36 or 149, or the hostapd backend`
    : null;
}

export function nmConnectionAddArgs(o: { iface: string; ssid: string; channel: number; address: string }): string[] {
  // Refused here rather than by nmcli, so the kiosk says which setting to change instead of nmcli's words.
  const problem = nmChannelProblem(o.channel);
  if (problem !== null) throw new HotspotConfigError(problem);
  return [
    'connection', 'add',
    'type', 'wifi',
    'ifname', o.iface,
    'con-name', NM_HOTSPOT_CONNECTION,
    'autoconnect', 'no',
    'ssid', o.ssid,
    '802-11-wireless.mode', 'ap',
    '802-11-wireless.band', o.channel > 14 ? 'a' : 'bg',
    '802-11-wireless.channel', String(o.channel),
    'ipv4.method', 'manual',
    'ipv4.addresses', o.address,
    'ipv6.method', 'disabled',
    'wifi-sec.key-mgmt', 'wpa-psk',
    'wifi-sec.proto', 'rsn',
    'wifi-sec.pairwise', 'ccmp',
    'wifi-sec.group', 'ccmp',
    // 2: "not saved" — the secret comes with `connection up` and is forgotten afterwards.
    'wifi-sec.psk-flags', '2',
  ];
}

/** The whitespace nmcli's passwd-file reader strips from both ends of a value (GLib's g_ascii_isspace). */
const NM_SPACE = /[ \t\n\v\f\r]/;
const NM_ESCAPES: Record<string, string> = { ' ': '\\ ', '\t': '\\t', '\v': '\\v', '\f': '\\f' };

/**
 * One `setting.property:secret` line of an nmcli passwd-file (nmcli(1), `connection up`). The format
 * documented there is not the whole story: nmcli (1.42) strips unescaped whitespace from both ends of
 * the secret and reads `\` as an escape (`\\`, `\ `, `\t`, octal `\101`…), so a password such as
 * `pa\55word` or one ending in a space reached NetworkManager changed and the join or hotspot failed
 * with a "wrong password". Every backslash and the whitespace at either end are therefore escaped;
 * everything else (spaces inside, `:`, `=`, `#`) nmcli takes literally.
 */
export function nmPasswdLine(key: string, secret: string): string {
  if (/[\r\n\0]/.test(secret)) throw new Error('the password must be one line');
  const chars = [...secret];
  let start = 0;
  while (start < chars.length && NM_SPACE.test(chars[start]!)) start++;
  let end = chars.length;
  while (end > start && NM_SPACE.test(chars[end - 1]!)) end--;
  const escaped = chars
    .map((c, i) => (c === '\\' ? '\\\\' : i < start || i >= end ? (NM_ESCAPES[c] ?? c) : c))
    .join('');
  return `${key}:${escaped}\n`;
}

/** The passwd-file for `nmcli connection up … passwd-file FILE`. */
export function nmPasswordFile(password: string): string {
  return nmPasswdLine('802-11-wireless-security.psk', password);
}
