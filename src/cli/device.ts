import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { resolveDataDir } from '../config/paths.js';
import { loadDetectionConfig } from '../detect/config-file.js';
import { AdbClient, AdbMissingError, ownAdbKeys } from '../device/adb/client.js';
import { CollectionError, collectDevice, type CollectProgress } from '../device/adb/collect.js';
import { listDevices, type ConnectedDevice } from '../device/adb/devices.js';
import { analyzeAcquisition } from '../device/analyze.js';
import { renderDeviceHtml } from '../device/report/html.js';
import { renderDeviceJson } from '../device/report/json.js';
import { FeedError } from '../indicators/types.js';
import { loadIndicatorFiles } from '../analysis/indicator-sources.js';
import { loadIndicatorStore } from './stored-indicators.js';
import { renderMessage } from '../report/format.js';
import { LANGS, isLang, langFromLocale, t, type Lang } from '../i18n/index.js';
import { paperFromEnv } from '../report/paper.js';
import { htmlToPdf } from '../report/pdf.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './inspect.js';

/**
 * `quietcheck device list | collect | check`: a phone on USB, through Debian's adb. Collection only
 * reads (see device/adb/client.ts); progress and problems go to standard error in the reader's language.
 */

interface CommonOpts {
  serial?: string;
  adbPort?: string;
  connect?: string;
  lang?: string;
  progress: boolean;
  json?: boolean;
}

class DeviceProblem extends Error {}

function pickLang(opt: string | undefined): Lang {
  if (opt && isLang(opt)) return opt;
  return langFromLocale(process.env.LC_ALL) ?? langFromLocale(process.env.LC_MESSAGES) ?? langFromLocale(process.env.LANG) ?? 'en';
}

function clientOf(opts: CommonOpts): AdbClient {
  const port = opts.adbPort ? Number(opts.adbPort) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new DeviceProblem(`--adb-port: ${opts.adbPort} is not a port number`);
  return new AdbClient({ serverPort: port });
}

const STATE_KEY: Record<ConnectedDevice['state'], string> = {
  device: 'device.state.device',
  unauthorized: 'device.state.unauthorized',
  offline: 'device.state.offline',
  'no permissions': 'device.state.noPermissions',
  other: 'device.state.other',
};

async function pickDevice(client: AdbClient, opts: CommonOpts, lang: Lang): Promise<string> {
  if (opts.connect) await client.connect(opts.connect);
  const devices = await listDevices(client);
  const chosen = opts.serial ? devices.find((d) => d.serial === opts.serial) : devices.length === 1 ? devices[0] : undefined;
  if (opts.serial && !chosen) throw new DeviceProblem(t(lang, 'device.cli.notFound', { serial: opts.serial }));
  if (!chosen) {
    if (devices.length === 0) throw new DeviceProblem(t(lang, 'device.cli.none'));
    throw new DeviceProblem(t(lang, 'device.cli.several', { serials: devices.map((d) => d.serial).join(', ') }));
  }
  if (chosen.state === 'unauthorized') throw new DeviceProblem(t(lang, 'device.cli.unauthorized', { serial: chosen.serial }));
  if (chosen.state !== 'device') throw new DeviceProblem(t(lang, 'device.cli.offline', { serial: chosen.serial }));
  return chosen.serial;
}

function progressPrinter(lang: Lang, on: boolean): (p: CollectProgress) => void {
  let last = '';
  return (p) => {
    if (!on) return;
    const line = t(lang, `device.cli.step.${p.step}`, { done: p.done, total: p.total });
    if (line === last) return;
    last = line;
    process.stderr.write(`${line}\n`);
  };
}

async function collectInto(client: AdbClient, serial: string, dir: string, lang: Lang, progress: boolean): Promise<void> {
  try {
    const r = await collectDevice({ client, serial, outDir: dir, onProgress: progressPrinter(lang, progress) });
    if (progress) process.stderr.write(`${t(lang, 'device.cli.collected', { apps: r.apps, thirdParty: r.thirdParty, seconds: r.seconds.toFixed(1) })}\n`);
  } catch (e) {
    if (e instanceof CollectionError) throw new DeviceProblem(t(lang, 'device.cli.partial', { dir }));
    throw e;
  }
}

function common(cmd: Command): Command {
  return cmd
    .option('--serial <serial>', 'the phone to use, as `quietcheck device list` shows it (needed when several are connected)')
    .option('--adb-port <port>', 'the port of the adb server to use (default: adb’s own, 5037)')
    .option('--connect <host:port>', 'first connect adb to a phone over the network (wireless debugging)')
    .addOption(new Option('--lang <code>', 'language of messages and report (default: from $LANG, else en)').choices([...LANGS]))
    .option('--no-progress', 'print nothing on standard error except errors');
}

async function guarded(lang: Lang, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DeviceProblem || e instanceof FeedError) {
      process.stderr.write(`quietcheck: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof AdbMissingError) {
      process.stderr.write(`quietcheck: ${t(lang, 'device.cli.noAdb')}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}

export function registerDevice(program: Command): void {
  const device = program
    .command('device')
    .description('check an Android phone connected with a USB cable (through adb): list, collect, check')
    .addHelpText(
      'after',
      `
The phone needs USB debugging: Settings, About phone, tap Build number seven times; then Settings,
System, Developer options, USB debugging (Samsung: Settings, Developer options; Xiaomi: Settings,
Additional settings, Developer options). Unlock the phone and tap "Allow" when it asks.
Only read-only commands are sent; nothing is installed, pushed, changed or cleared on the phone.
After the check, revoke USB debugging authorisations and switch Developer options off again.

Examples:
  quietcheck device list
  quietcheck device collect -o ./phone-2026-12-06
  quietcheck device check --lang fr -o rapport.html`,
    );

  common(device.command('list'))
    .option('--json', 'machine-readable output')
    .description('list connected phones and their state (unauthorized: accept the prompt on the phone)')
    .action(async (opts: CommonOpts) => {
      const lang = pickLang(opts.lang);
      process.exitCode = await guarded(lang, async () => {
        const client = clientOf(opts);
        if (opts.connect) await client.connect(opts.connect);
        const devices = await listDevices(client);
        if (opts.json) {
          process.stdout.write(JSON.stringify(devices.map((d) => ({ ...d, advice: t(lang, STATE_KEY[d.state]) })), null, 2) + '\n');
          return EXIT_OK;
        }
        if (devices.length === 0) process.stdout.write(`${t(lang, 'device.cli.listNone')}\n`);
        for (const d of devices) process.stdout.write(`${d.serial}\t${d.model ?? ''}\t${d.state}\t${t(lang, STATE_KEY[d.state])}\n`);
        return EXIT_OK;
      });
    });

  common(device.command('collect'))
    .requiredOption('-o, --output <dir>', 'a new folder to write the acquisition into (AndroidQF layout)')
    .description('read a phone’s apps and settings into a folder, without changing anything on it')
    .action(async (opts: CommonOpts & { output: string }) => {
      const lang = pickLang(opts.lang);
      process.exitCode = await guarded(lang, async () => {
        const client = clientOf(opts);
        const serial = await pickDevice(client, opts, lang);
        await collectInto(client, serial, opts.output, lang, opts.progress);
        return EXIT_OK;
      });
    });

  common(device.command('check'))
    .addOption(new Option('--format <format>', 'html, json or pdf').choices(['html', 'json', 'pdf']).default('html'))
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .option('--keep <dir>', 'keep the acquisition in this new folder (default: deleted after the report)')
    .option('--indicators <files...>', 'use these indicator files instead of the stored lists')
    .option('--data-dir <dir>', 'where `quietcheck indicators update` keeps the lists')
    .option('--rules <file>', 'detection settings in YAML (rules turned off)')
    .description('collect a phone over USB and write the report (same outputs as analyze)')
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT))
    .action(async (opts: CommonOpts & { format: string; output?: string; keep?: string; indicators?: string[]; dataDir?: string; rules?: string }) => {
      const lang = pickLang(opts.lang);
      process.exitCode = await guarded(lang, async () => {
        const sources = opts.indicators?.length ? await loadIndicatorFiles(opts.indicators) : loadIndicatorStore(resolveDataDir(opts.dataDir));
        const config = loadDetectionConfig(opts.rules, opts.rules ? null : resolveDataDir(opts.dataDir));
        const client = clientOf(opts);
        const serial = await pickDevice(client, opts, lang);
        const dir = opts.keep ?? mkdtempSync(join(tmpdir(), 'quietcheck-device-'));
        try {
          let partial = false;
          try {
            await collectInto(client, serial, dir, lang, opts.progress);
          } catch (e) {
            // An interrupted collection is still analysed, up to where it stopped, and the report says so.
            if (!(e instanceof DeviceProblem) || !existsSync(join(dir, 'acquisition.json'))) throw e;
            process.stderr.write(`quietcheck: ${e.message}\n`);
            partial = true;
          }
          const a = await analyzeAcquisition(dir, { indicators: sources.indicators, feeds: sources.feeds, config: { disabled: config.disabled, ownAdbKeys: ownAdbKeys() } });
          const out = opts.format === 'json' ? renderDeviceJson(a, lang) : opts.format === 'pdf' ? await htmlToPdf(renderDeviceHtml(a, lang, { openAppendix: true, print: { paper: paperFromEnv(), checkId: (a.acquisition.sha256 ?? a.acquisition.name).slice(0, 12) } })) : renderDeviceHtml(a, lang);
          if (opts.output) writeFileSync(opts.output, out, { mode: 0o600 });
          else process.stdout.write(out);
          if (opts.progress) process.stderr.write(`${t(lang, 'cli.verdict', { level: t(lang, `level.${a.verdict.level}`), summary: renderMessage(lang, a.verdict.summary) })}\n`);
          return partial ? EXIT_BAD_INPUT : EXIT_OK;
        } finally {
          if (!opts.keep) rmSync(dir, { recursive: true, force: true });
        }
      });
    });
}
