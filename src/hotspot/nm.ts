/**
 * The NetworkManager backend (Raspberry Pi OS 12 and desktops, where NetworkManager owns Wi-Fi and
 * hostapd cannot take the adapter): an access-point connection made with nmcli, WPA2 (RSN) with CCMP
 * only, a fixed address and no NetworkManager DHCP or NAT (`ipv4.method manual`), so quietcheck's own
 * dnsmasq and nftables table do the rest exactly as with hostapd. The password is never on a command
 * line (where every user sees it in `ps`): it is given to `nmcli connection up` in a passwd-file in the
 * data directory, mode 0600 (quietcheck's user only), removed as soon as nmcli returns, and not saved
 * by NetworkManager (psk-flags 2).
 */
export const NM_HOTSPOT_CONNECTION = 'quietcheck-hotspot';

export function nmConnectionAddArgs(o: { iface: string; ssid: string; channel: number; address: string }): string[] {
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

/** The passwd-file for `nmcli connection up … passwd-file FILE`. */
export function nmPasswordFile(password: string): string {
  if (/[\r\n]/.test(password)) throw new Error('the password must be one line');
  return `802-11-wireless-security.psk:${password}\n`;
}
