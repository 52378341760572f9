/**
 * quietcheck's own nftables table, `table inet quietcheck`: nothing else in the machine's ruleset is
 * read or changed. It is created whole with `nft -f` (one transaction) and deleted whole.
 *
 * - input: from the hotspot interface only DHCP, DNS, ping and, in sinkhole mode, the sinkhole's ports
 *   reach this machine; everything else (the admin API above all) is dropped.
 * - forward: the hotspot's traffic to the uplink and the answers back; nothing else to or from the
 *   hotspot. When quietcheck turned forwarding on for the uplink, nothing else received there is forwarded.
 * - NAT: the hotspot's addresses are masqueraded behind the uplink's. In sinkhole mode there is no
 *   uplink: nothing is forwarded, and connections to any address are redirected to the sinkhole so that
 *   a phone calling a server (or a resolver) by its address still shows which name it wanted.
 */
export const TABLE_FAMILY = 'inet';
export const TABLE_NAME = 'quietcheck';

export interface NftPlan {
  hotspotIface: string;
  /** The hotspot's own address and prefix, e.g. 10.77.0.1/24. */
  address: string;
  prefix: number;
  /** Null in sinkhole mode. */
  uplinkIface: string | null;
  /** The API port to keep the phone away from (also dropped with everything else not allowed). */
  adminPort: number;
  /** TCP ports the sinkhole listens on (sinkhole mode only). */
  sinkholePorts: number[];
  /** True when quietcheck enabled forwarding on the uplink: then nothing else received there is forwarded. */
  uplinkForwardingWasOff: boolean;
}

const q = (s: string): string => {
  if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(s)) throw new Error(`bad interface name ${JSON.stringify(s)}`);
  return `"${s}"`;
};

function network(address: string, prefix: number): string {
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const v = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.')}/${prefix}`;
}

export function nftRuleset(p: NftPlan): string {
  const hs = q(p.hotspotIface);
  const net = network(p.address, p.prefix);
  const sinkhole = p.uplinkIface === null;
  const ports = [...new Set(p.sinkholePorts)].filter((x) => x !== p.adminPort).sort((a, b) => a - b);
  const lines: string[] = [
    `table ${TABLE_FAMILY} ${TABLE_NAME} {`,
    '  chain input {',
    '    type filter hook input priority -10; policy accept;',
    `    iifname ${hs} ct state established,related accept`,
    `    iifname ${hs} udp dport { 53, 67 } accept`,
    `    iifname ${hs} tcp dport 53 accept`,
    `    iifname ${hs} icmp type echo-request accept`,
  ];
  if (sinkhole && ports.length > 0) lines.push(`    iifname ${hs} ip daddr ${p.address} tcp dport { ${ports.join(', ')} } accept`);
  lines.push(
    `    iifname ${hs} tcp dport ${p.adminPort} drop`,
    `    iifname ${hs} drop`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
  );
  if (!sinkhole) {
    const up = q(p.uplinkIface!);
    lines.push(
      `    iifname ${hs} oifname ${up} ip saddr ${net} accept`,
      `    iifname ${up} oifname ${hs} ct state established,related accept`,
    );
    if (p.uplinkForwardingWasOff) lines.push(`    iifname ${up} drop`);
  }
  lines.push(`    iifname ${hs} drop`, `    oifname ${hs} drop`, '  }');
  if (!sinkhole) {
    lines.push(
      '  chain postrouting {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      `    oifname ${q(p.uplinkIface!)} ip saddr ${net} masquerade`,
      '  }',
    );
  } else if (ports.length > 0) {
    lines.push(
      '  chain prerouting {',
      '    type nat hook prerouting priority dstnat; policy accept;',
      `    iifname ${hs} ip daddr != ${p.address} tcp dport { ${ports.join(', ')} } dnat ip to ${p.address}`,
      // A resolver called by its address (8.8.8.8) gets quietcheck's dnsmasq, which answers with the sinkhole.
      `    iifname ${hs} ip daddr != ${p.address} meta l4proto { tcp, udp } th dport 53 dnat ip to ${p.address}`,
      '  }',
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The script that replaces the table: created empty first so that the delete never fails. */
export function nftApplyScript(p: NftPlan): string {
  return `table ${TABLE_FAMILY} ${TABLE_NAME}\ndelete table ${TABLE_FAMILY} ${TABLE_NAME}\n${nftRuleset(p)}`;
}

export const NFT_DELETE_ARGS = ['delete', 'table', TABLE_FAMILY, TABLE_NAME];
