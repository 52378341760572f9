/** What a flow was recognised to carry, stored as a small number per flow in the flow table. */
export const enum Service {
  None = 0,
  Dns = 1,
  Mdns = 2,
  Llmnr = 3,
  Dhcp = 4,
  Quic = 5,
  Tls = 6,
  Http = 7,
  Ssh = 8,
  Ntp = 9,
}

export const SERVICE_NAMES: readonly (string | null)[] = [
  null, 'dns', 'mdns', 'llmnr', 'dhcp', 'quic', 'tls', 'http', 'ssh', 'ntp',
];
