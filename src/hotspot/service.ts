/**
 * The hotspot a check runs on: the radio (hostapd, NetworkManager, or none for a wired/USB link), the
 * hotspot's address, quietcheck's dnsmasq, quietcheck's nftables table, and in sinkhole mode the local
 * listeners. One at a time; it lives as long as its check.
 *
 * Whatever is created is first written to a state file in the data directory (hotspot/state.json), so
 * that stop, the process's exit handler and — after a crash — the next start remove exactly that: the
 * processes started (by pid, checked against their command line), the nftables table, the address
 * added, the forwarding switches turned on, the NetworkManager connection.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, killRecorded, startTimeOf, type ChildEntry } from '../process/supervisor.js';
import { ProcessGroup, ProcessStartError, type WatchedProcess } from '../process/watched.js';
import type { SettingsStore } from '../store/store.js';
import { dnsmasqArgs, dnsmasqFailure, hostInNet, parseLeaseLine, type LeaseEvent } from './dnsmasq.js';
import { hostapdConf, hostapdConfProblems, HotspotConfigError } from './hostapd.js';
import { randomPassword, randomSsid } from './names.js';
import { NFT_DELETE_ARGS, nftApplyScript } from './nft.js';
import { nmConnectionAddArgs, NM_HOTSPOT_CONNECTION, nmPasswordFile } from './nm.js';
import { parseDefaultRoute, parseIpAddrJson, parseNmcliDeviceStatus, nmManages } from './parse.js';
import { wifiQrSvg, wifiQrText } from './qr.js';
import { HotspotSystemError, must, run as defaultRun, runSync, type Runner } from './run.js';
import {
  DEFAULT_HOTSPOT, effectiveHotspot, HOTSPOT_CONFIG_SETTING, HOTSPOT_KEYS, HOTSPOT_SETTING, hotspotFlag, hotspotSettingsProblem, pickBackend, readHotspotLayers, readSavedHotspot,
  type Backend, type EffectiveHotspot, type HotspotConfigLayers, type HotspotSettings,
} from './settings.js';
import { SINKHOLE_PORTS, startSinkhole, type SinkholeHandle } from './sinkhole.js';

export type HotspotMode = 'hotspot' | 'sinkhole';
export type HotspotState = 'off' | 'starting' | 'on' | 'stopping' | 'failed';

export interface JoinedDevice {
  mac: string;
  ip: string;
  hostname: string | null;
  at: string;
}

/** What a check holds of the hotspot it runs on. */
export interface HotspotSession {
  readonly iface: string;
  readonly mode: HotspotMode;
  readonly ssid: string | null;
  /** Called for each device that gets (or renews) a lease; also for devices that joined before. */
  onDevice(fn: (d: JoinedDevice) => void): void;
  stop(): Promise<void>;
}

/** What the check manager asks of the hotspot. */
export interface HotspotProvider {
  start(mode: HotspotMode): Promise<HotspotSession>;
}

export class HotspotBusyError extends Error {
  constructor() {
    super('the hotspot is already in use by another check');
    this.name = 'HotspotBusyError';
  }
}

export { HotspotConfigError, HotspotSystemError };

interface StateFile {
  pid: number;
  /** The owner's start time, so that a reused pid is not taken for it. */
  pidStart?: string | null;
  startedAt: string;
  mode: HotspotMode;
  iface: string;
  table: boolean;
  addressAdded: string | null;
  /** /proc/sys paths quietcheck wrote, with the value they had before. */
  sysctls: Record<string, string>;
  processes: ChildEntry[];
  nmConnection: string | null;
  files: string[];
}

export interface HotspotStatus {
  state: HotspotState;
  mode: HotspotMode | null;
  backend: Backend | null;
  iface: string | null;
  uplink: string | null;
  address: string | null;
  ssid: string | null;
  password: string | null;
  security: 'WPA2-PSK (CCMP)' | null;
  qrText: string | null;
  devices: JoinedDevice[];
  sinkholePorts: number[];
  error: string | null;
  startedAt: string | null;
}

export interface HotspotServiceOptions {
  store: SettingsStore;
  dataDir: string;
  /** The API port, kept out of the phone's reach (asked when a hotspot starts). */
  adminPort: number | (() => number);
  log?: (m: string) => void;
  runner?: Runner;
  dnsmasqPath?: string;
  hostapdPath?: string;
  /** /sys/class/net, for tests. */
  sysNet?: string;
  /** serve's configuration layers; default: those `quietcheck serve` stored at its start (HOTSPOT_CONFIG_SETTING). */
  config?: HotspotConfigLayers;
}

const SETTLE_MS = 15_000;

/** The effective capability mask of a process (from /proc/PID/status), or null when unreadable. */
function capEffOf(pid: number): bigint | null {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? BigInt(`0x${m[1]}`) : null;
  } catch {
    return null;
  }
}

/** Waits for a program's ready line; its failure is the hotspot's (the admin sees the program's last words). */
async function settled(p: WatchedProcess, ready: RegExp): Promise<void> {
  try {
    await p.waitFor(ready, SETTLE_MS);
  } catch (err) {
    throw err instanceof ProcessStartError ? new HotspotSystemError(err.message, 'system') : err;
  }
}

function forwardingPath(iface: string): string {
  return `/proc/sys/net/ipv4/conf/${iface}/forwarding`;
}

/**
 * The backend for these settings, and why: the administrator's choice, else NetworkManager when it
 * manages the Wi-Fi adapter (Raspberry Pi OS 12), hostapd for an adapter it does not manage, "wired" for
 * an interface that is not Wi-Fi (cable or USB tethering; also the tests' veth). Used by `doctor` too.
 */
export async function chooseHotspotBackend(s: HotspotSettings, runner: Runner = defaultRun, sysNet = '/sys/class/net'): Promise<{ backend: Backend | null; reason: string }> {
  if (s.iface === null || s.backend !== 'auto') return pickBackend(s, { wireless: false, nmManages: false });
  const wireless = existsSync(join(sysNet, s.iface, 'wireless')) || existsSync(join(sysNet, s.iface, 'phy80211'));
  let managed = false;
  if (wireless) {
    const nm = await runner('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'status']);
    managed = nm.code === 0 && nmManages(parseNmcliDeviceStatus(nm.stdout), s.iface);
  }
  return pickBackend(s, { wireless, nmManages: managed });
}

export class HotspotService extends EventEmitter implements HotspotProvider {
  private state: HotspotState = 'off';
  private mode: HotspotMode | null = null;
  private backend: Backend | null = null;
  private iface: string | null = null;
  private uplink: string | null = null;
  private ssid: string | null = null;
  private password: string | null = null;
  private devices: JoinedDevice[] = [];
  private error: string | null = null;
  private startedAt: string | null = null;
  private record: StateFile | null = null;
  private readonly procs = new ProcessGroup();
  private sinkhole: SinkholeHandle | null = null;
  private sessionListeners: ((d: JoinedDevice) => void)[] = [];
  private transition: Promise<unknown> = Promise.resolve();
  private readonly run: Runner;
  private readonly log: (m: string) => void;
  private readonly exitHandler = (): void => this.teardownSync();

  constructor(private readonly opts: HotspotServiceOptions) {
    super();
    this.run = opts.runner ?? defaultRun;
    this.log = opts.log ?? (() => {});
  }

  get dir(): string {
    return join(this.opts.dataDir, 'hotspot');
  }

  private get stateFile(): string {
    return join(this.dir, 'state.json');
  }

  /** serve's configuration layers: given, else what `quietcheck serve` left in the store at its start. */
  private layers(): HotspotConfigLayers {
    return this.opts.config ?? readHotspotLayers(this.opts.store.getSetting(HOTSPOT_CONFIG_SETTING));
  }

  /** The settings in effect and where each comes from (defaults < config file < environment < admin < command line). */
  effective(): EffectiveHotspot {
    return effectiveHotspot(this.layers(), readSavedHotspot(this.opts.store.getSetting(HOTSPOT_SETTING)));
  }

  settings(): HotspotSettings {
    return this.effective().settings;
  }

  /**
   * Validates and stores the keys given as the admin's own; throws HotspotConfigError with the reason.
   * A key pinned by a --hotspot-* flag cannot be changed to another value. Applies to the next hotspot.
   */
  updateSettings(patch: Partial<HotspotSettings>): HotspotSettings {
    const layers = this.layers();
    const given = Object.fromEntries(Object.entries(patch).filter(([k, v]) => (HOTSPOT_KEYS as readonly string[]).includes(k) && v !== undefined)) as Partial<HotspotSettings>;
    for (const k of HOTSPOT_KEYS) {
      if (!(k in given) || !(k in layers.pinned)) continue;
      if (JSON.stringify(given[k]) !== JSON.stringify(layers.pinned[k])) {
        throw new HotspotConfigError(`the hotspot's ${k === 'iface' ? 'interface' : k} is fixed by ${hotspotFlag(k)} on quietcheck's command line: change it there`);
      }
      delete given[k];
    }
    const saved = { ...readSavedHotspot(this.opts.store.getSetting(HOTSPOT_SETTING)), ...given };
    const next: HotspotSettings = { ...DEFAULT_HOTSPOT, ...layers.base, ...saved, ...layers.pinned };
    const problem = hotspotSettingsProblem(next);
    if (problem !== null) throw new HotspotConfigError(problem);
    this.opts.store.setSetting(HOTSPOT_SETTING, JSON.stringify(saved));
    return next;
  }

  status(): HotspotStatus {
    const on = this.state === 'on' || this.state === 'starting';
    const s = this.settings();
    const radio = on && this.mode !== null && this.backend !== 'wired';
    return {
      state: this.state,
      mode: this.mode,
      backend: this.backend,
      iface: this.iface,
      uplink: this.uplink,
      address: on ? `${s.address}/${s.prefix}` : null,
      ssid: radio ? this.ssid : null,
      password: radio ? this.password : null,
      security: radio ? 'WPA2-PSK (CCMP)' : null,
      qrText: radio && this.ssid !== null && this.password !== null ? wifiQrText(this.ssid, this.password) : null,
      devices: [...this.devices],
      sinkholePorts: this.sinkhole?.ports ?? [],
      error: this.error,
      startedAt: this.startedAt,
    };
  }

  async qrSvg(): Promise<string | null> {
    const st = this.status();
    return st.ssid !== null && st.password !== null ? wifiQrSvg(st.ssid, st.password) : null;
  }

  // -----------------------------------------------------------------------------------------------
  // Which backend

  /** The backend a hotspot on `iface` would use, and why (for the admin and `doctor`). */
  chooseBackend(s: HotspotSettings = this.settings()): Promise<{ backend: Backend | null; reason: string }> {
    return chooseHotspotBackend(s, this.run, this.opts.sysNet);
  }

  private async defaultRouteDev(): Promise<string | null> {
    const r = await this.run('ip', ['-j', 'route', 'show', 'default']);
    if (r.code !== 0) return null;
    try {
      return parseDefaultRoute(r.stdout || '[]')?.dev ?? null;
    } catch {
      return null;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // State file

  private saveState(): void {
    if (this.record === null) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.record), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  /**
   * Removes what a previous run left (its process died without cleaning up). Call once at start-up,
   * before any hotspot is started; returns what was done, for the log.
   */
  async recoverStale(): Promise<string[]> {
    if (!existsSync(this.stateFile)) return [];
    let st: StateFile;
    try {
      st = JSON.parse(readFileSync(this.stateFile, 'utf8')) as StateFile;
    } catch {
      rmSync(this.stateFile, { force: true });
      return ['removed an unreadable hotspot state file'];
    }
    if (st.pid !== process.pid && alive(st.pid, 'node', st.pidStart)) {
      // Another quietcheck on the same data directory still runs its hotspot: not ours to remove.
      return [`the hotspot of process ${st.pid} is still running`];
    }
    return this.undo(st, runSync);
  }

  /** Undoes a state file's entries; synchronous so that the exit handler can use it. */
  private undo(st: StateFile, sync: typeof runSync): string[] {
    const done = killRecorded(st.processes);
    if (st.nmConnection !== null) {
      sync('nmcli', ['connection', 'down', 'id', st.nmConnection]);
      if (sync('nmcli', ['connection', 'delete', 'id', st.nmConnection]).code === 0) done.push(`deleted NetworkManager connection ${st.nmConnection}`);
    }
    if (st.table && sync('nft', NFT_DELETE_ARGS).code === 0) done.push('deleted nftables table inet quietcheck');
    for (const [path, before] of Object.entries(st.sysctls)) {
      try {
        writeFileSync(path, before);
        done.push(`restored ${path} to ${before.trim()}`);
      } catch {
        /* the interface is gone, and its setting with it */
      }
    }
    if (st.addressAdded !== null && sync('ip', ['addr', 'del', st.addressAdded, 'dev', st.iface]).code === 0) done.push(`removed ${st.addressAdded} from ${st.iface}`);
    for (const f of st.files) rmSync(f, { force: true });
    rmSync(this.stateFile, { force: true });
    return done;
  }

  private teardownSync(): void {
    this.procs.killAllSync();
    if (this.record !== null) this.undo(this.record, runSync);
    this.record = null;
  }

  // -----------------------------------------------------------------------------------------------
  // Start and stop

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.transition.then(fn, fn);
    this.transition = p.catch(() => undefined);
    return p;
  }

  start(mode: HotspotMode): Promise<HotspotSession> {
    return this.serial(async () => {
      if (this.state === 'on' || this.state === 'starting') throw new HotspotBusyError();
      this.state = 'starting';
      this.error = null;
      this.devices = [];
      this.sessionListeners = [];
      try {
        await this.bringUp(mode);
        this.state = 'on';
        this.emit('change');
      } catch (err) {
        this.error = err instanceof Error ? err.message : String(err);
        await this.tearDown().catch(() => undefined);
        this.state = 'failed';
        this.emit('change');
        throw err;
      }
      return this.session(mode);
    });
  }

  private session(mode: HotspotMode): HotspotSession {
    let stopped = false;
    const listeners = this.sessionListeners;
    return {
      iface: this.iface!,
      mode,
      ssid: this.backend === 'wired' ? null : this.ssid,
      onDevice: (fn) => {
        listeners.push(fn);
        for (const d of this.devices) fn(d);
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await this.stop();
      },
    };
  }

  /** Stops the hotspot and removes everything it made. Idempotent. */
  stop(): Promise<void> {
    return this.serial(async () => {
      if (this.state === 'off') return;
      this.state = 'stopping';
      this.emit('change');
      try {
        await this.tearDown();
      } finally {
        this.state = 'off';
        this.mode = null;
        this.emit('change');
      }
    });
  }

  private async bringUp(mode: HotspotMode): Promise<void> {
    const s = this.settings();
    if (s.iface === null) throw new HotspotConfigError('no hotspot interface is configured (admin: hotspot settings)');
    const { backend } = await this.chooseBackend(s);
    const iface = s.iface;
    let uplink: string | null = null;
    if (mode === 'hotspot') {
      uplink = s.uplink ?? (await this.defaultRouteDev());
      if (uplink === null) throw new HotspotSystemError('no uplink: connect Ethernet or join a Wi-Fi network, or use sinkhole mode', 'no-uplink');
      if (uplink === iface) throw new HotspotSystemError(`the hotspot interface ${iface} carries the default route: choose another uplink`, 'no-uplink');
    }
    const links = parseIpAddrJson((await must(this.run, 'ip', ['-j', 'addr', 'show'], 'listing interfaces')).stdout || '[]');
    const link = links.find((l) => l.ifname === iface);
    if (link === undefined) throw new HotspotSystemError(`the hotspot interface ${iface} does not exist`, 'no-interface');
    if (uplink !== null && !links.some((l) => l.ifname === uplink)) throw new HotspotSystemError(`the uplink ${uplink} does not exist`, 'no-uplink');

    this.mode = mode;
    this.backend = backend;
    this.iface = iface;
    this.uplink = uplink;
    this.ssid = s.ssid ?? randomSsid();
    this.password = s.password ?? randomPassword(16);
    this.startedAt = new Date().toISOString();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // The state file exists before anything it lists.
    this.record = { pid: process.pid, pidStart: startTimeOf(process.pid), startedAt: this.startedAt, mode, iface, table: false, addressAdded: null, sysctls: {}, processes: [], nmConnection: null, files: [] };
    this.saveState();
    process.once('exit', this.exitHandler);

    const cidr = `${s.address}/${s.prefix}`;
    // 1. The radio.
    if (backend === 'hostapd') {
      const conf = hostapdConf({ iface, ssid: this.ssid, password: this.password, channel: s.channel, country: s.country });
      const problems = hostapdConfProblems(conf);
      if (problems.length > 0) throw new HotspotConfigError(`refusing to start hostapd: ${problems.join('; ')}`);
      const file = join(this.dir, 'hostapd.conf');
      this.record.files.push(file);
      this.saveState();
      writeFileSync(file, conf, { mode: 0o600 });
      const p = this.spawn('hostapd', this.opts.hostapdPath ?? 'hostapd', [file], () => {});
      await settled(p, /AP-ENABLED/);
    } else if (backend === 'networkmanager') {
      this.record.nmConnection = NM_HOTSPOT_CONNECTION;
      this.saveState();
      await this.run('nmcli', ['connection', 'delete', 'id', NM_HOTSPOT_CONNECTION]);
      await must(this.run, 'nmcli', nmConnectionAddArgs({ iface, ssid: this.ssid, channel: s.channel, address: cidr }), 'creating the NetworkManager hotspot');
      const pw = join(this.dir, 'nm-secret');
      this.record.files.push(pw);
      this.saveState();
      // A file left by a crash goes first: 'wx' then creates it 0600, never through an existing file or link.
      rmSync(pw, { force: true });
      writeFileSync(pw, nmPasswordFile(this.password), { mode: 0o600, flag: 'wx' });
      await this.run('iw', ['reg', 'set', s.country]);
      try {
        await must(this.run, 'nmcli', ['--wait', '20', 'connection', 'up', 'id', NM_HOTSPOT_CONNECTION, 'passwd-file', pw], 'starting the NetworkManager hotspot');
      } finally {
        rmSync(pw, { force: true });
      }
    }

    // 2. The address (NetworkManager sets it itself).
    if (backend !== 'networkmanager') {
      const now = parseIpAddrJson((await must(this.run, 'ip', ['-j', 'addr', 'show', 'dev', iface], 'reading the hotspot interface')).stdout || '[]')[0];
      if (!now?.ipv4.some((a) => a.local === s.address && a.prefixlen === s.prefix)) {
        this.record.addressAdded = cidr;
        this.saveState();
        await must(this.run, 'ip', ['addr', 'add', cidr, 'dev', iface], 'giving the hotspot its address');
      }
      await must(this.run, 'ip', ['link', 'set', iface, 'up'], 'bringing the hotspot interface up');
    }

    // 3. Forwarding, for the hotspot and the uplink only.
    let uplinkWasOff = false;
    if (uplink !== null) {
      for (const dev of [iface, uplink]) {
        const path = forwardingPath(dev);
        const before = readFileSync(path, 'utf8');
        if (before.trim() !== '1') {
          if (dev === uplink) uplinkWasOff = true;
          this.record.sysctls[path] = before;
          this.saveState();
          writeFileSync(path, '1');
        }
      }
    }

    // 4. The firewall and NAT.
    const adminPort = typeof this.opts.adminPort === 'function' ? this.opts.adminPort() : this.opts.adminPort;
    const sinkholePorts = mode === 'sinkhole' ? SINKHOLE_PORTS.filter((p) => p !== adminPort) : [];
    this.record.table = true;
    this.saveState();
    await must(
      this.run,
      'nft',
      ['-f', '-'],
      'installing the nftables table inet quietcheck',
      nftApplyScript({ hotspotIface: iface, address: s.address, prefix: s.prefix, uplinkIface: uplink, adminPort, sinkholePorts, uplinkForwardingWasOff: uplinkWasOff }),
    );

    // 5. DHCP and DNS.
    const leases = join(this.dir, 'dnsmasq.leases');
    rmSync(leases, { force: true });
    this.record.files.push(leases);
    this.saveState();
    const dns = this.spawn(
      'dnsmasq',
      this.opts.dnsmasqPath ?? 'dnsmasq',
      dnsmasqArgs({
        iface,
        address: s.address,
        prefix: s.prefix,
        rangeStart: hostInNet(s.address, s.prefix, 10),
        rangeEnd: hostInNet(s.address, s.prefix, Math.min(250, 2 ** (32 - s.prefix) - 2)),
        leaseFile: leases,
        mode,
        upstream: s.dns,
      }),
      (line) => this.leaseLine(line),
    );
    try {
      await settled(dns, /DHCP, IP range/);
    } catch (err) {
      // dnsmasq's own words are kept at the end; what to do comes first.
      throw dnsmasqFailure(dns.output, capEffOf(process.pid)) ?? err;
    }

    // 6. The sinkhole's listeners.
    if (mode === 'sinkhole') this.sinkhole = await startSinkhole(s.address, sinkholePorts, this.log);
    this.log(`hotspot on ${iface} (${backend}, ${mode}${uplink !== null ? `, uplink ${uplink}` : ''})`);
  }

  private spawn(name: string, cmd: string, args: string[], onLine: (l: string) => void): WatchedProcess {
    // Killed by the kernel if serve dies, and listed for the next start to reap (see process/supervisor.ts).
    return this.procs.spawn(name, cmd, args, onLine, (entry) => {
      if (this.record === null) return;
      this.record.processes.push(entry);
      this.saveState();
    });
  }

  private leaseLine(line: string): void {
    const ev: LeaseEvent | null = parseLeaseLine(line);
    if (ev === null || ev.iface !== this.iface) return;
    const d: JoinedDevice = { mac: ev.mac, ip: ev.ip, hostname: ev.hostname, at: new Date().toISOString() };
    const i = this.devices.findIndex((x) => x.mac === d.mac);
    if (i >= 0) {
      const prev = this.devices[i]!;
      if (prev.ip === d.ip && prev.hostname === d.hostname) return;
      this.devices[i] = d;
    } else this.devices.push(d);
    this.log(`hotspot: ${d.mac} joined as ${d.ip}${d.hostname ? ` (${d.hostname})` : ''}`);
    for (const fn of this.sessionListeners) {
      try {
        fn(d);
      } catch (err) {
        this.log(`hotspot: device listener failed: ${String(err)}`);
      }
    }
    this.emit('device', d);
    this.emit('change');
  }

  private async tearDown(): Promise<void> {
    if (this.sinkhole !== null) {
      await this.sinkhole.close().catch(() => undefined);
      this.sinkhole = null;
    }
    await this.procs.stopAll();
    if (this.record !== null) {
      if (this.record.nmConnection !== null) {
        await this.run('nmcli', ['connection', 'down', 'id', this.record.nmConnection]);
        await this.run('nmcli', ['connection', 'delete', 'id', this.record.nmConnection]);
        this.record.nmConnection = null;
      }
      if (this.record.table) {
        const r = await this.run('nft', NFT_DELETE_ARGS);
        if (r.code !== 0 && !/No such file|does not exist/i.test(r.stderr)) this.log(`hotspot: could not delete the nftables table: ${r.stderr.trim()}`);
        this.record.table = false;
      }
      this.record.processes = [];
      this.saveState();
      this.undo(this.record, runSync);
      this.record = null;
    }
    process.removeListener('exit', this.exitHandler);
  }
}
