/**
 * `quietcheck doctor`: everything a check needs, looked at on this machine, each with a plain-language
 * sentence and how to fix it. Install and Wi-Fi problems are what people hit first with tools like
 * this one, so every finding names the command that fixes it.
 *
 * Nothing here changes the system: programs are only asked questions (`iw list`, `getcap`, `nmcli`),
 * the database is opened read-only, and a data directory that does not exist yet is not created.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { chromiumAvailable, chromiumPath } from '../report/pdf.js';
import { DB_FILE } from '../store/sqlite.js';
import {
  effectiveHotspot, HOTSPOT_CONFIG_SETTING, HOTSPOT_SETTING, pickBackend, readHotspotLayers, readSavedHotspot,
  type Backend, type HotspotConfigLayers, type HotspotKey, type HotspotSettings, type HotspotSource,
} from '../hotspot/settings.js';
import {
  CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_RAW, capEff, defaultRouteInterfaces, defaultRouteInterfaces6, euid, hasCap, parseGetcap, parseIwList, parseNmcliDevices, type Wiphy,
} from './parse.js';

export type Status = 'ok' | 'warn' | 'fail';

export interface DoctorItem {
  id: string;
  status: Status;
  /** What was found, in a sentence. */
  message: string;
  /** What to do about it; null when nothing needs doing. */
  fix: string | null;
}

export interface DoctorReport {
  ok: boolean;
  counts: Record<Status, number>;
  /** The hotspot backend a check would use: networkmanager, hostapd, wired (a cable or USB link), or null when none can run. */
  backend: Backend | null;
  /** The hotspot settings in effect (config.yaml, environment, the admin's saved ones, serve's flags) and where each comes from. */
  hotspot: { iface: string | null; uplink: string | null; backend: Backend | null; reason: string; sources: Record<HotspotKey, HotspotSource> };
  apInterfaces: string[];
  uplinks: string[];
  dataDir: string;
  items: DoctorItem[];
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export interface DoctorOptions {
  dataDir: string;
  /** PATH and QUIETCHECK_CHROMIUM are read from it. */
  env?: NodeJS.ProcessEnv;
  /** Searched after PATH: Debian puts nft, iw, hostapd and dnsmasq in /usr/sbin, which users' PATH lacks. */
  sbinDirs?: string[];
  procDir?: string;
  sysClassNet?: string;
  now?: Date;
  /** Runs a program (tests replace it to play recorded outputs). */
  run?: (bin: string, args: string[]) => RunResult;
  /**
   * The hotspot settings of config.yaml and QUIETCHECK_HOTSPOT_* (as `quietcheck serve` would read them
   * now); without them, those serve stored at its last start. The admin's saved settings and serve's
   * --hotspot-* flags are read from the database, read-only.
   */
  hotspotConfig?: HotspotConfigLayers;
  /** Why config.yaml (or the environment) could not be read, as `quietcheck serve` would refuse it. */
  configProblem?: string;
}

export const DEFAULT_SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Feeds older than this are reported as stale. */
export const FEED_STALE_DAYS = 30;
const MIN_YEAR = 2024;
const DISK_FAIL = 200 * 1024 ** 2;
const DISK_WARN = 2 * 1024 ** 3;

interface ToolSpec {
  name: string;
  pkg: string;
  /** What is lost without it. */
  need: string;
  /** fail: no check can run without it. */
  required: boolean;
}

const TOOLS: ToolSpec[] = [
  { name: 'tcpdump', pkg: 'tcpdump', need: 'no live check can capture traffic', required: true },
  { name: 'dnsmasq', pkg: 'dnsmasq-base', need: 'the hotspot cannot give the phone an address or answer its name lookups', required: false },
  { name: 'hostapd', pkg: 'hostapd', need: 'the hotspot cannot run on a Wi-Fi adapter that NetworkManager does not manage', required: false },
  { name: 'nft', pkg: 'nftables', need: 'the hotspot cannot share the internet with the phone nor keep it away from quietcheck\'s admin page', required: false },
  { name: 'iw', pkg: 'iw', need: 'quietcheck cannot tell which Wi-Fi adapters can run a hotspot', required: false },
  { name: 'nmcli', pkg: 'network-manager', need: 'NetworkManager cannot be asked to run the hotspot (hostapd is used instead)', required: false },
];

function defaultRun(env: NodeJS.ProcessEnv): (bin: string, args: string[]) => RunResult {
  return (bin, args) => {
    const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000, env: { ...env, LC_ALL: 'C' } });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error?.message };
  };
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface FoundTool {
  path: string | null;
  /** Found only outside PATH (in an sbin folder). */
  offPath: boolean;
}

export function findTool(name: string, env: NodeJS.ProcessEnv, sbinDirs: readonly string[]): FoundTool {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, name))) return { path: join(dir, name), offPath: false };
  }
  for (const dir of sbinDirs) if (executable(join(dir, name))) return { path: join(dir, name), offPath: true };
  return { path: null, offPath: false };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function gib(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(n / 1024 ** 2)} MiB`;
}

/** Wi-Fi interfaces by their radio: /sys/class/net/<if>/phy80211/name holds "phy0". */
function interfacesByPhy(sysClassNet: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let names: string[] = [];
  try {
    names = readdirSync(sysClassNet);
  } catch {
    return out;
  }
  for (const n of names.sort()) {
    const phy = readText(join(sysClassNet, n, 'phy80211', 'name'))?.trim();
    if (phy) out.set(phy, [...(out.get(phy) ?? []), n]);
  }
  return out;
}

interface FeedRow {
  name: string;
  fetched_at: string | null;
  loaded_at: string | null;
  last_error: string | null;
  indicator_count: number;
}

function readFeeds(dataDir: string): FeedRow[] | string {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return 'missing';
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.prepare('SELECT name, fetched_at, loaded_at, last_error, indicator_count FROM feeds ORDER BY name').all() as FeedRow[];
  } catch (err) {
    return `unreadable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    db?.close();
  }
}

/** The bytes of the largest check kept, from the database opened read-only; 0 when there is none. */
function largestCheckBytes(dataDir: string): number {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return ((db.prepare('SELECT MAX(bytes) AS m FROM checks').get() as { m: number | null } | undefined)?.m ?? 0) || 0;
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

/** The hotspot's saved settings and serve's stored layers, from the database opened read-only. */
function readHotspotRows(dataDir: string): { saved: string | null; layers: string | null } {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return { saved: null, layers: null };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const get = db.prepare('SELECT value FROM settings WHERE key = ?');
    const v = (k: string): string | null => (get.get(k) as { value: string } | undefined)?.value ?? null;
    return { saved: v(HOTSPOT_SETTING), layers: v(HOTSPOT_CONFIG_SETTING) };
  } catch {
    // An unreadable database is reported with the feeds.
    return { saved: null, layers: null };
  } finally {
    db?.close();
  }
}

const SOURCE_WORDS: Record<HotspotSource, string> = {
  default: 'not configured',
  'config file': 'set in config.yaml',
  environment: 'set by QUIETCHECK_HOTSPOT_* in the environment',
  admin: 'set in the admin console',
  'command line': 'set by a --hotspot-* flag of quietcheck serve',
};

export function runDoctor(opts: DoctorOptions): DoctorReport {
  const env = opts.env ?? process.env;
  const sbin = opts.sbinDirs ?? DEFAULT_SBIN;
  const proc = opts.procDir ?? '/proc';
  const now = opts.now ?? new Date();
  const run = opts.run ?? defaultRun(env);
  const items: DoctorItem[] = [];
  const add = (id: string, status: Status, message: string, fix: string | null = null): void => void items.push({ id, status, message, fix });

  // ---- Tools
  const tools = new Map<string, FoundTool>();
  for (const t of TOOLS) {
    const f = findTool(t.name, env, sbin);
    tools.set(t.name, f);
    if (f.path === null) {
      // hostapd and nmcli are judged with the backend below: only one of them is needed.
      if (t.name === 'nmcli' || t.name === 'hostapd') continue;
      add(`tool.${t.name}`, t.required ? 'fail' : 'warn', `${t.name} is not installed: ${t.need}.`, `sudo apt install ${t.pkg}`);
    } else if (f.offPath) {
      add(`tool.${t.name}`, 'ok', `${t.name} is installed (${f.path}; that folder is not on your PATH, which is normal for a non-root user).`);
    } else {
      add(`tool.${t.name}`, 'ok', `${t.name} is installed (${f.path}).`);
    }
  }
  const chromium = chromiumPath({ chromium: env.QUIETCHECK_CHROMIUM });
  if (chromiumAvailable({ chromium })) add('tool.chromium', 'ok', `Chromium is installed (${chromium}): reports can be saved as PDF.`);
  else add('tool.chromium', 'warn', `Chromium is not installed at ${chromium}: reports can be read and saved as HTML, not as PDF, and the kiosk screen cannot start.`, 'sudo apt install chromium (or set QUIETCHECK_CHROMIUM to where it is)');

  // ---- Permissions
  const status = readText(join(proc, 'self', 'status')) ?? '';
  const caps = capEff(status);
  const uid = euid(status) ?? process.geteuid?.() ?? -1;
  const effRaw = caps !== null && hasCap(caps, CAP_NET_RAW);
  const effAdmin = caps !== null && hasCap(caps, CAP_NET_ADMIN);
  const tcpdump = tools.get('tcpdump')!.path;
  if (effRaw) {
    add('permissions.capture', 'ok', uid === 0 ? 'Running as root: tcpdump may capture.' : 'This process has CAP_NET_RAW: tcpdump may capture.');
  } else if (tcpdump !== null) {
    const getcap = findTool('getcap', env, sbin).path;
    const fileCaps = getcap !== null ? parseGetcap(run(getcap, [tcpdump]).stdout) : new Set<string>();
    if (fileCaps.has('cap_net_raw')) {
      add('permissions.capture', 'ok', `tcpdump (${tcpdump}) has the capture capability (cap_net_raw): it may capture without root.`);
    } else {
      add(
        'permissions.capture',
        'fail',
        `quietcheck runs as an ordinary user${uid >= 0 ? ` (uid ${uid})` : ''} without CAP_NET_RAW, and tcpdump has no capture capability${getcap === null ? ' (getcap is not installed to tell)' : ''}: live checks cannot capture.`,
        `run quietcheck as the systemd service (deploy/quietcheck.service), or with sudo, or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip ${tcpdump}`,
      );
    }
  } else {
    add('permissions.capture', 'fail', 'No capture permission can be checked: tcpdump is missing.', 'sudo apt install tcpdump');
  }
  if (effAdmin) add('permissions.network', 'ok', 'This process has CAP_NET_ADMIN: it may set up the hotspot (addresses, firewall rules).');
  else add('permissions.network', 'warn', 'This process lacks CAP_NET_ADMIN: it cannot set up the hotspot (addresses, firewall rules); checks on an existing network still work.', 'run quietcheck as the systemd service (it grants CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE only) or with sudo');

  // The hotspot's dnsmasq answers DHCP on port 67 and DNS on 53 (it inherits quietcheck's capabilities).
  const unprivStart = Number((readText(join(proc, 'sys', 'net', 'ipv4', 'ip_unprivileged_port_start')) ?? '1024').trim());
  if (caps !== null && hasCap(caps, CAP_NET_BIND_SERVICE)) {
    add('permissions.ports', 'ok', uid === 0 ? 'Running as root: the hotspot\'s DHCP and DNS server may use ports 67 and 53.' : 'This process has CAP_NET_BIND_SERVICE: the hotspot\'s DHCP and DNS server may use ports 67 and 53.');
  } else if (Number.isFinite(unprivStart) && unprivStart <= 53) {
    add('permissions.ports', 'ok', `Ports from ${unprivStart} up are open to every user here (net.ipv4.ip_unprivileged_port_start): the hotspot's DHCP and DNS server may use ports 67 and 53.`);
  } else {
    add('permissions.ports', 'warn', 'This process lacks CAP_NET_BIND_SERVICE: the hotspot\'s DHCP and DNS server (dnsmasq) cannot use ports 67 and 53, so the hotspot cannot start; checks on an existing network still work.', 'run quietcheck as the systemd service (deploy/quietcheck.service grants CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE) or with sudo');
  }

  // ---- Wi-Fi radios able to be an access point
  const iw = tools.get('iw')!.path;
  let phys: Wiphy[] = [];
  let wifiKnown = false;
  const byPhy = interfacesByPhy(opts.sysClassNet ?? '/sys/class/net');
  if (iw === null) {
    add('wifi.ap', 'warn', 'iw is not installed, so quietcheck cannot tell whether this computer has a Wi-Fi adapter able to run a hotspot.', 'sudo apt install iw');
  } else {
    const r = run(iw, ['list']);
    const out = r.stdout + r.stderr;
    wifiKnown = true;
    phys = r.status === 0 ? parseIwList(r.stdout) : [];
    if (phys.length === 0) {
      add(
        'wifi.ap',
        'warn',
        /nl80211 not found/i.test(out)
          ? 'This computer has no Wi-Fi (the kernel has no Wi-Fi support loaded): it cannot make a hotspot for the phone. Checks on an existing network and uploaded captures still work.'
          : 'This computer has no Wi-Fi adapter: it cannot make a hotspot for the phone. Checks on an existing network and uploaded captures still work.',
        'plug in a USB Wi-Fi adapter that supports access-point (AP) mode, or connect the phone to a network whose traffic passes an interface of this computer',
      );
    } else {
      const apPhys = phys.filter((p) => p.ap);
      const name = (p: Wiphy): string => {
        const ifs = byPhy.get(p.name) ?? [];
        return ifs.length > 0 ? `${ifs.join(', ')} (${p.name})` : p.name;
      };
      if (apPhys.length === 0) {
        add('wifi.ap', 'fail', `No Wi-Fi adapter here can be an access point: ${phys.map(name).join('; ')} support only ${[...new Set(phys.flatMap((p) => p.modes))].join(', ')}.`, 'plug in a USB Wi-Fi adapter that lists "AP" under "Supported interface modes" in `iw list`');
      } else {
        add('wifi.ap', 'ok', `Can run a hotspot: ${apPhys.map((p) => `${name(p)}${p.bands.length > 0 ? ` on ${p.bands.join(' and ')}` : ''}`).join('; ')}.${phys.length > apPhys.length ? ` Not able to: ${phys.filter((p) => !p.ap).map(name).join('; ')}.` : ''}`);
      }
    }
  }
  const apIfaces = phys.filter((p) => p.ap).flatMap((p) => byPhy.get(p.name) ?? []);

  // ---- The hotspot settings in effect: the configured interface rather than a guess
  if (opts.configProblem !== undefined) add('config', 'fail', `quietcheck serve would refuse its settings: ${opts.configProblem}.`, 'correct that setting (see quietcheck serve --help)');
  const rows = readHotspotRows(opts.dataDir);
  const stored = readHotspotLayers(rows.layers);
  const layers: HotspotConfigLayers = opts.hotspotConfig
    ? { base: opts.hotspotConfig.base, pinned: stored.pinned, sources: { ...opts.hotspotConfig.sources, ...Object.fromEntries(Object.keys(stored.pinned).map((k) => [k, 'command line'])) } }
    : stored;
  const eff = effectiveHotspot(layers, readSavedHotspot(rows.saved));
  const hs: HotspotSettings = eff.settings;
  const net = opts.sysClassNet ?? '/sys/class/net';
  const isWireless = (i: string): boolean => existsSync(join(net, i, 'wireless')) || existsSync(join(net, i, 'phy80211'));
  const configured = hs.iface;
  if (eff.ignoredSaved !== null) add('hotspot.settings', 'warn', `The hotspot settings saved in the admin console do not fit the configuration and are ignored: ${eff.ignoredSaved}.`, 'open the admin console\'s hotspot settings and save them again');
  if (configured !== null) {
    const where = SOURCE_WORDS[eff.sources.iface];
    if (!existsSync(join(net, configured))) {
      add('hotspot.interface', 'fail', `The hotspot interface ${configured} (${where}) does not exist on this computer: hotspot checks cannot start.`, 'plug in that adapter, or choose another hotspot interface (admin console, hotspot settings; or hotspot: interface: in config.yaml)');
    } else if (isWireless(configured) && wifiKnown && phys.length > 0 && !apIfaces.includes(configured) && hs.backend !== 'wired') {
      add('hotspot.interface', 'fail', `The hotspot interface ${configured} (${where}) is a Wi-Fi adapter that cannot be an access point.`, 'choose an adapter that lists "AP" under "Supported interface modes" in `iw list`');
    } else {
      add('hotspot.interface', 'ok', `The hotspot runs on ${configured} (${where})${isWireless(configured) ? '' : ', which is not Wi-Fi: the phone joins by cable or USB'}.`);
    }
  }

  // ---- Uplink
  const uplinks = [
    ...new Set([...defaultRouteInterfaces(readText(join(proc, 'net', 'route')) ?? ''), ...defaultRouteInterfaces6(readText(join(proc, 'net', 'ipv6_route')) ?? '')]),
  ];
  const freeAp = apIfaces.filter((i) => !uplinks.includes(i));
  const hotspotIface = configured ?? freeAp[0] ?? apIfaces[0] ?? null;
  if (hs.uplink !== null) {
    const where = SOURCE_WORDS[eff.sources.uplink];
    if (!existsSync(join(net, hs.uplink))) add('uplink', 'warn', `The configured uplink ${hs.uplink} (${where}) does not exist on this computer: the hotspot can run only in sinkhole mode.`, 'plug it in, or set the uplink back to the default route (admin console, hotspot settings)');
    else add('uplink', 'ok', `The hotspot's traffic leaves through ${hs.uplink} (${where})${uplinks.includes(hs.uplink) ? ', which has the default route' : ''}.`);
  } else if (uplinks.length === 0) {
    add('uplink', 'warn', 'No interface leads to the internet (no default route): the hotspot can run only in sinkhole mode, where the phone reaches nothing and its wanted servers are still recorded.', 'plug in an Ethernet cable, or join a network with a second Wi-Fi adapter');
  } else if (configured !== null && uplinks.includes(configured)) {
    add('uplink', 'fail', `The internet comes through ${uplinks.join(', ')}, which is also the hotspot interface ${configured}: it cannot do both.`, 'plug in an Ethernet cable or a second (USB) Wi-Fi adapter for the internet, or choose another hotspot interface');
  } else if (configured === null && apIfaces.length > 0 && freeAp.length === 0) {
    const shared = phys.find((p) => (byPhy.get(p.name) ?? []).includes(apIfaces[0]!));
    if (shared?.apWithManaged) add('uplink', 'warn', `${uplinks.join(', ')} reaches the internet over the same Wi-Fi radio that would run the hotspot: it can do both, but both share one channel and slow down.`, 'use Ethernet or a second Wi-Fi adapter for the internet');
    else add('uplink', 'fail', `The internet comes through ${uplinks.join(', ')}, which is also the only Wi-Fi adapter able to run the hotspot: it cannot do both.`, 'plug in an Ethernet cable or a second (USB) Wi-Fi adapter for the internet');
  } else {
    add('uplink', 'ok', `${uplinks.join(', ')} reaches the internet (default route)${hotspotIface !== null ? `, and ${hotspotIface} is free for the hotspot` : ''}.`);
  }

  // ---- Backend
  let backend: DoctorReport['backend'] = null;
  let reason = 'no hotspot interface is configured';
  const nmcli = tools.get('nmcli')!.path;
  const hostapd = tools.get('hostapd')!.path;
  let nmWifi: string[] = [];
  if (nmcli !== null) {
    const r = run(nmcli, ['-t', '-f', 'DEVICE,TYPE,STATE', 'device']);
    if (r.status === 0) nmWifi = parseNmcliDevices(r.stdout).filter((d) => d.type === 'wifi' && !/^unmanaged/.test(d.state)).map((d) => d.device);
  }
  if (configured !== null) {
    // The same choice the hotspot service makes (pickBackend), for the configured interface.
    const pick = pickBackend(hs, { wireless: isWireless(configured), nmManages: nmWifi.includes(configured) });
    backend = pick.backend;
    reason = pick.reason;
    const how = `The hotspot on ${configured} will use ${backend === 'networkmanager' ? 'NetworkManager (nmcli)' : backend === 'hostapd' ? 'hostapd' : 'no radio (wired backend)'}: ${pick.reason}.`;
    if (backend === 'hostapd' && hostapd === null) add('hotspot.backend', 'fail', `${how} But hostapd is not installed.`, 'sudo apt install hostapd');
    else if (backend === 'networkmanager' && nmcli === null) add('hotspot.backend', 'fail', `${how} But NetworkManager (nmcli) is not installed.`, 'sudo apt install network-manager, or set the hotspot backend to hostapd');
    else if (backend === 'networkmanager' && !nmWifi.includes(configured)) add('hotspot.backend', 'fail', `${how} But NetworkManager does not manage ${configured}.`, `let NetworkManager manage ${configured} (nmcli device set ${configured} managed yes), or set the hotspot backend to auto or hostapd`);
    else add('hotspot.backend', 'ok', how);
  } else {
    const nmManaged = hotspotIface !== null ? nmWifi.includes(hotspotIface) : nmWifi.length > 0;
    if (nmManaged) {
      backend = 'networkmanager';
      reason = `NetworkManager manages ${hotspotIface ?? nmWifi[0]}`;
      add('hotspot.backend', 'ok', `NetworkManager manages ${hotspotIface ?? nmWifi[0]}: the hotspot will be made through NetworkManager (nmcli).`);
    } else if (hostapd !== null && (hotspotIface !== null || !wifiKnown)) {
      backend = 'hostapd';
      reason = `${hotspotIface ?? 'the Wi-Fi adapter'} is not managed by NetworkManager`;
      add('hotspot.backend', 'ok', `The hotspot will be run by hostapd${hotspotIface !== null ? ` on ${hotspotIface}` : ''}${nmcli !== null ? ' (NetworkManager does not manage that adapter)' : ''}.`);
    } else if (hostapd === null && nmcli === null) {
      add('hotspot.backend', 'warn', 'Neither hostapd nor NetworkManager is installed: no hotspot can be made.', 'sudo apt install hostapd');
    } else if (hostapd === null) {
      add('hotspot.backend', 'warn', `NetworkManager is installed but manages no Wi-Fi adapter${hotspotIface !== null ? ` (${hotspotIface} is unmanaged)` : ''}, and hostapd is not installed: no hotspot can be made.`, 'sudo apt install hostapd');
    } else {
      add('hotspot.backend', 'warn', 'hostapd is installed, but there is no Wi-Fi adapter able to run a hotspot.', 'plug in a USB Wi-Fi adapter that supports AP mode');
    }
    if (hotspotIface !== null) add('hotspot.interface', 'warn', `No hotspot interface is configured: ${hotspotIface} looks usable, but a hotspot check will not start until one is chosen.`, `choose it in the admin console (hotspot settings), or put "hotspot: {interface: ${hotspotIface}}" in config.yaml`);
  }

  // ---- Disk space in the data directory (or where it will be created)
  let probe = opts.dataDir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    const s = statfsSync(probe);
    const free = s.bavail * s.bsize;
    const where = probe === opts.dataDir ? opts.dataDir : `${opts.dataDir} (not created yet; measured on ${probe})`;
    const largest = largestCheckBytes(opts.dataDir);
    if (free >= DISK_FAIL && free < 2 * largest) {
      add('disk', 'warn', `${gib(free)} is free for ${where}, less than twice the largest check kept (${gib(largest)}): a check as long as that one may fill the disk.`, 'delete old checks (admin page), or shorten the retention of old checks');
    } else if (free < DISK_FAIL) add('disk', 'fail', `Only ${gib(free)} is free for ${where}: a check's capture could fill the disk.`, 'delete old checks (admin page, "delete all data"), or choose a data directory on a larger disk with --data-dir');
    else if (free < DISK_WARN) add('disk', 'warn', `${gib(free)} is free for ${where}: enough for short checks; long ones may run out.`, 'free some space, or shorten the retention of old checks');
    else add('disk', 'ok', `${gib(free)} is free for ${where}.`);
  } catch (err) {
    add('disk', 'warn', `The free space of ${opts.dataDir} cannot be read (${err instanceof Error ? err.message : String(err)}).`, null);
  }

  // ---- Indicator feeds and the clock
  const feeds = readFeeds(opts.dataDir);
  const year = now.getUTCFullYear();
  let future: FeedRow | undefined;
  if (typeof feeds === 'string') {
    if (feeds === 'missing') add('feeds', 'warn', `No indicator feeds are stored in ${opts.dataDir} yet: checks will rely on behaviour alone and cannot name stalkerware.`, `quietcheck indicators update --data-dir ${opts.dataDir}`);
    else add('feeds', 'fail', `The database in ${opts.dataDir} cannot be read: ${feeds.slice('unreadable: '.length)}.`, 'check the data directory\'s owner and permissions (it belongs to the user quietcheck runs as)');
  } else {
    const loaded = feeds.filter((f) => f.indicator_count > 0);
    const failing = feeds.filter((f) => f.last_error !== null);
    const times = loaded.map((f) => Date.parse(f.fetched_at ?? f.loaded_at ?? '')).filter((t) => Number.isFinite(t));
    future = feeds.find((f) => f.fetched_at !== null && Date.parse(f.fetched_at) > now.getTime() + 3_600_000);
    if (loaded.length === 0) {
      add('feeds', 'warn', 'No indicator feed has any indicators yet: checks will rely on behaviour alone and cannot name stalkerware.', `quietcheck indicators update --data-dir ${opts.dataDir}`);
    } else {
      const newest = Math.max(...times);
      const days = Math.floor((now.getTime() - newest) / 86_400_000);
      const total = loaded.reduce((n, f) => n + f.indicator_count, 0);
      const fails = failing.length > 0 ? ` The last update of ${failing.map((f) => f.name).join(', ')} failed: ${failing[0]!.last_error}.` : '';
      if (times.length === 0 || days > FEED_STALE_DAYS) {
        add('feeds', 'warn', `The indicator feeds (${total} indicators) were last updated ${times.length === 0 ? 'at an unknown time' : `${days} days ago`}: new stalkerware servers may be missing.${fails}`, `quietcheck indicators update --data-dir ${opts.dataDir}`);
      } else if (failing.length > 0) {
        add('feeds', 'warn', `${total} indicators from ${loaded.length} feed(s), updated ${days <= 0 ? 'today' : `${days} day(s) ago`}.${fails}`, 'check the feed addresses in feeds.yaml and the internet connection, then update again');
      } else {
        add('feeds', 'ok', `${total} indicators from ${loaded.length} feed(s), updated ${days <= 0 ? 'today' : `${days} day(s) ago`}.`);
      }
    }
  }
  if (year < MIN_YEAR) {
    add('clock', 'fail', `The clock says ${now.toISOString().slice(0, 10)}, which cannot be right: report times will be wrong and secure downloads of the indicator feeds will fail.`, 'connect to the internet so the clock sets itself (sudo timedatectl set-ntp true), or set it: sudo date -s "YYYY-MM-DD HH:MM"');
  } else if (future !== undefined) {
    add('clock', 'fail', `The clock (${now.toISOString().slice(0, 16).replace('T', ' ')} UTC) is behind: the feed ${future.name} was updated on ${future.fetched_at}, after that. A Raspberry Pi has no battery clock and may have started with an old time.`, 'connect to the internet so the clock sets itself (sudo timedatectl set-ntp true), or set it: sudo date -s "YYYY-MM-DD HH:MM"');
  } else {
    add('clock', 'ok', `The clock says ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC, which looks right.`);
  }

  const counts: Record<Status, number> = { ok: 0, warn: 0, fail: 0 };
  for (const i of items) counts[i.status]++;
  return {
    ok: counts.fail === 0,
    counts,
    backend,
    hotspot: { iface: configured, uplink: hs.uplink, backend: configured !== null ? backend : null, reason, sources: eff.sources },
    apInterfaces: apIfaces,
    uplinks,
    dataDir: opts.dataDir,
    items,
  };
}

const MARK: Record<Status, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

/** The report for people: one line per item, the fix under it. */
export function formatDoctor(r: DoctorReport): string {
  const width = Math.max(...r.items.map((i) => i.id.length));
  const lines = [`quietcheck doctor (data directory ${r.dataDir})`, ''];
  for (const i of r.items) {
    lines.push(`  ${MARK[i.status]}  ${i.id.padEnd(width)}  ${i.message}`);
    if (i.fix !== null && i.status !== 'ok') lines.push(`  ${' '.repeat(4)}  ${' '.repeat(width)}  fix: ${i.fix}`);
  }
  lines.push('');
  lines.push(
    r.counts.fail > 0
      ? `${r.counts.fail} problem(s) must be fixed before a check can run${r.counts.warn > 0 ? `; ${r.counts.warn} warning(s)` : ''}.`
      : r.counts.warn > 0
        ? `Checks can run; ${r.counts.warn} warning(s) limit what they can do.`
        : 'Everything a check needs is in place.',
  );
  return lines.join('\n') + '\n';
}
