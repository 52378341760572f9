import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { ensureDataDir } from '../config/paths.js';
import { hashPassword, passwordProblem } from '../server/auth.js';
import { startServer } from '../server/app.js';
import { loadServeConfig, ServeConfigError, type ServeFlags } from '../server/config.js';
import { effectiveHotspot, HOTSPOT_CONFIG_SETTING, HOTSPOT_SETTING, NO_LAYERS, readSavedHotspot } from '../hotspot/settings.js';
import { SqliteStore } from '../store/sqlite.js';
import { EXIT_BAD_INPUT } from './inspect.js';

interface ServeOpts extends ServeFlags {
  adminPassword?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the check service: a web API that captures a phone’s traffic on a network interface, analyses it and reports')
    .option('--config <file>', 'settings file (YAML); default: config.yaml in the data directory, if present')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; env QUIETCHECK_HOST)')
    .option('--port <n>', 'port to listen on (default 8080; env QUIETCHECK_PORT)')
    .option('--data-dir <dir>', 'where checks, captures and the database live (env QUIETCHECK_DATA_DIR)')
    .option('-i, --interface <name>', 'the interface checks capture on when a request names none (env QUIETCHECK_INTERFACE)')
    .option('--tcpdump <path>', 'the tcpdump program (default: tcpdump on the PATH)')
    .option('--max-upload-mb <n>', 'largest capture accepted for upload, in MiB (default 512)')
    .option('--retention-days <n>', 'delete checks older than this many days; 0 keeps them (default 30)')
    .option('--allow-remote-kiosk', 'let other machines start and follow checks (default: this machine only)')
    .option('--allow-remote-admin', 'let other machines use the admin API, behind the password (default: off)')
    .option('--allowed-host <names...>', 'host names the server may be reached by, besides localhost and --host')
    .option('--lang <code>', 'default report language')
    .option('--hotspot-interface <name>', 'the interface the phone joins: a Wi-Fi adapter, or a wired/USB one (env QUIETCHECK_HOTSPOT_INTERFACE)')
    .option('--hotspot-mode <mode>', 'the kiosk\'s default for quietcheck\'s own network: online (internet through the uplink) or sinkhole (env QUIETCHECK_HOTSPOT_MODE)')
    .option('--hotspot-uplink <name>', 'where the hotspot\'s traffic leaves; "auto": the default route\'s interface (env QUIETCHECK_HOTSPOT_UPLINK)')
    .option('--hotspot-backend <name>', 'auto, hostapd, networkmanager or wired (env QUIETCHECK_HOTSPOT_BACKEND)')
    .option('--hotspot-address <ip[/prefix]>', 'the hotspot\'s own private IPv4 address (default 10.77.0.1/24; env QUIETCHECK_HOTSPOT_ADDRESS)')
    .option('--hotspot-prefix <n>', 'the hotspot network\'s prefix length, 16 to 28 (env QUIETCHECK_HOTSPOT_PREFIX)')
    .option('--hotspot-channel <n>', 'Wi-Fi channel: 1–14, or a 5 GHz one such as 36 (default 6; env QUIETCHECK_HOTSPOT_CHANNEL)')
    .option('--hotspot-country <code>', 'two-letter country code for the legal channels and power (default DE; env QUIETCHECK_HOTSPOT_COUNTRY)')
    .option('--hotspot-ssid <name>', 'a fixed network name; "random": a new ordinary-looking one per check (env QUIETCHECK_HOTSPOT_SSID)')
    .option('--hotspot-dns <list>', 'comma-separated resolvers the hotspot forwards to (default: the machine\'s; env QUIETCHECK_HOTSPOT_DNS)')
    .option('--admin-password <password>', 'the admin password, set at the first start only (env QUIETCHECK_ADMIN_PASSWORD; else asked for)')
    .addHelpText(
      'after',
      `
At the first start an admin password must be given (flag, environment, or typed when asked); there is
no default. It is stored as a scrypt hash. Later starts ignore these.

quietcheck connects nowhere except the indicator feed updates the admin starts. The API is described
at /api/docs (OpenAPI).

Hotspot settings (quietcheck's own Wi-Fi for the phone) come from, lowest first: built-in defaults,
the "hotspot:" mapping of config.yaml, QUIETCHECK_HOTSPOT_* variables, what the admin saved in the
admin console (it wins over the file and environment, so a kiosk keeps its admin's choices), and
--hotspot-* flags, which win over everything (the admin console cannot change those). Values are
checked with the admin console's rules at start. A fixed hotspot password goes in config.yaml or
QUIETCHECK_HOTSPOT_PASSWORD only: a password on a command line is visible to every user (ps).

config.yaml example (in the data directory, or --config FILE):
  port: 8080
  retentionDays: 14
  hotspot:
    interface: wlan1
    mode: online          # or sinkhole: no internet for the phone, names answered locally
    uplink: eth0          # or auto: the default route's interface
    backend: auto         # auto | hostapd | networkmanager | wired
    address: 10.77.0.1/24
    channel: 36
    country: FR
    ssid: random          # or a fixed name
    password: random      # or a fixed one, 12 to 63 characters
    dns: [9.9.9.9]

Privileges: live checks need CAP_NET_RAW (tcpdump), the hotspot also CAP_NET_ADMIN (addresses,
nftables, forwarding) and CAP_NET_BIND_SERVICE (its dnsmasq answers DHCP on port 67 and DNS on 53);
deploy/quietcheck.service grants exactly these three to the user quietcheck. Started as root,
Debian's tcpdump drops to the user tcpdump once the capture is open; it writes to quietcheck through
its standard output, so that is fine.

Examples:
  sudo quietcheck serve --interface wlan0
  QUIETCHECK_ADMIN_PASSWORD=… quietcheck serve --data-dir /var/lib/quietcheck --port 8081
  sudo quietcheck serve --hotspot-interface wlan1 --hotspot-uplink eth0 --hotspot-country FR`,
    )
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT))
    .action(async (opts: ServeOpts) => {
      process.exitCode = await runServe(opts);
    });
}

function ask(question: string): Promise<string> {
  let muted = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function firstPassword(opts: ServeOpts): Promise<string | null> {
  const given = opts.adminPassword ?? process.env.QUIETCHECK_ADMIN_PASSWORD;
  if (given !== undefined && given !== '') return given;
  if (!process.stdin.isTTY) return null;
  for (;;) {
    const a = await ask('Choose the admin password: ');
    const problem = passwordProblem(a);
    if (problem) {
      process.stderr.write(`${problem}\n`);
      continue;
    }
    if ((await ask('Type it again: ')) === a) return a;
    process.stderr.write('The two did not match.\n');
  }
}

async function runServe(opts: ServeOpts): Promise<number> {
  let cfg;
  try {
    cfg = loadServeConfig(opts);
  } catch (err) {
    if (err instanceof ServeConfigError) {
      process.stderr.write(`quietcheck: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
  ensureDataDir(cfg.dataDir);
  const store = SqliteStore.inDir(cfg.dataDir);
  if (store.adminPasswordHash() === null) {
    const pw = await firstPassword(opts);
    if (pw === null) {
      store.close();
      process.stderr.write('quietcheck: no admin password yet: give one with --admin-password, QUIETCHECK_ADMIN_PASSWORD, or start in a terminal to type it\n');
      return EXIT_BAD_INPUT;
    }
    const problem = passwordProblem(pw);
    if (problem) {
      store.close();
      process.stderr.write(`quietcheck: ${problem}\n`);
      return EXIT_BAD_INPUT;
    }
    store.setAdminPassword(await hashPassword(pw));
    process.stderr.write('quietcheck: admin password set\n');
  }
  const log = (m: string): void => void process.stderr.write(`quietcheck: ${m}\n`);
  // The hotspot service (and `quietcheck doctor`) read the configured hotspot layers from the store.
  const layers = cfg.hotspot ?? NO_LAYERS;
  store.setSetting(HOTSPOT_CONFIG_SETTING, JSON.stringify(layers));
  const eff = effectiveHotspot(layers, readSavedHotspot(store.getSetting(HOTSPOT_SETTING)));
  if (eff.ignoredSaved !== null) log(`hotspot: the admin's saved hotspot settings do not fit the configuration and are ignored: ${eff.ignoredSaved}`);
  if (eff.settings.iface !== null) log(`hotspot interface ${eff.settings.iface} (from the ${eff.sources.iface === 'admin' ? 'admin console' : eff.sources.iface})`);
  let server;
  try {
    server = await startServer({ config: cfg, store, log });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
      process.stderr.write(`quietcheck: cannot listen on ${cfg.host}:${cfg.port}: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
  process.stderr.write(`quietcheck: listening on ${server.url} (data in ${cfg.dataDir})\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('quietcheck: stopping: finishing running checks\n');
  await server.close();
  return 0;
}
