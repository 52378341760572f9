import { Command, CommanderError } from 'commander';
import { resolveDataDir } from '../config/paths.js';
import { formatDoctor, runDoctor } from '../doctor/doctor.js';
import { loadServeConfig, ServeConfigError, type ServeConfig } from '../server/config.js';
import { EXIT_BAD_INPUT } from './inspect.js';

export const EXIT_DOCTOR_FAILED = 1;

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check that this machine has everything a check needs, and say how to fix what is missing')
    .option('--json', 'print the findings as JSON')
    .option('--data-dir <dir>', 'the data directory to look at (env QUIETCHECK_DATA_DIR)')
    .option('--config <file>', 'the settings file quietcheck serve reads (default: config.yaml in the data directory, if present)')
    .addHelpText(
      'after',
      `
What it looks at:
  the programs a check uses (tcpdump, dnsmasq, hostapd, nft, iw, nmcli, chromium), whether captures
  are permitted (root, or CAP_NET_RAW/CAP_NET_ADMIN, or tcpdump's file capabilities), which Wi-Fi
  adapters can run a hotspot ("iw list"), the hotspot settings in effect (config.yaml, QUIETCHECK_HOTSPOT_*
  variables, what the admin saved, quietcheck serve's --hotspot-* flags at its last start): the
  configured hotspot interface and uplink, and which backend will be used for it (NetworkManager when
  it manages the adapter, else hostapd; "wired" for a cable or USB link), free disk space, how fresh
  the indicator feeds are, and whether the clock is plausible. Nothing is changed: the database is
  opened read-only.

Each finding is ok, WARN (checks run, with less) or FAIL (fix it first), with how to fix it.

Examples:
  quietcheck doctor
  sudo -u quietcheck quietcheck doctor --data-dir /var/lib/quietcheck
  quietcheck doctor --json | jq '.items[] | select(.status != "ok")'

Exit codes:
  0  nothing failed (warnings may remain)
  1  at least one finding is FAIL (or an internal error)
  2  bad usage`,
    )
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT))
    .action((opts: { json?: boolean; dataDir?: string; config?: string }) => {
      // The hotspot settings as `quietcheck serve` reads them (config.yaml and the environment).
      let cfg: ServeConfig | null = null;
      let configProblem: string | undefined;
      try {
        cfg = loadServeConfig({ dataDir: opts.dataDir, config: opts.config });
      } catch (err) {
        if (!(err instanceof ServeConfigError)) throw err;
        configProblem = err.message;
      }
      const dataDir = cfg?.dataDir ?? resolveDataDir(opts.dataDir);
      const report = runDoctor({ dataDir, hotspotConfig: cfg?.hotspot, configProblem });
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
      process.exitCode = report.ok ? 0 : EXIT_DOCTOR_FAILED;
    });
}
