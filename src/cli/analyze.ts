import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CaptureFormatError } from '../capture/types.js';
import { resolveDataDir } from '../config/paths.js';
import { DETECTION_FILE, DetectionConfigError, loadDetectionConfig } from '../detect/config-file.js';
import { FeedError } from '../indicators/types.js';
import { analyzeCapture } from '../analysis/analyze.js';
import { loadIndicatorFiles, type IndicatorSources } from '../analysis/indicator-sources.js';
import { loadIndicatorStore } from './stored-indicators.js';
import { renderMessage } from '../report/format.js';
import { renderHtml } from '../report/html.js';
import { paperFromEnv } from '../report/paper.js';
import { LANGS, isLang, langFromLocale, t, type Lang } from '../i18n/index.js';
import { combineReports } from '../device/report/combined.js';
import { renderJson, toJsonReport, writeJsonReport } from '../report/json.js';
import { ChromiumFailedError, ChromiumMissingError, chromiumPath, htmlToPdf } from '../report/pdf.js';
import type { Analysis } from '../analysis/types.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './inspect.js';
import { AcquisitionError } from '../device/acquisition/source.js';
import { analyzeAcquisition, looksLikeAcquisition, type DeviceAnalysis } from '../device/analyze.js';
import { renderCombinedHtml } from '../device/report/combined-html.js';
import { renderDeviceHtml } from '../device/report/html.js';
import { renderDeviceJson, toDeviceJson } from '../device/report/json.js';
import { DB_FILE, SqliteStore } from '../store/sqlite.js';
import { localHelpFor, type LocalHelp } from '../store/local-help.js';

/**
 * `quietcheck analyze`: capture → facts → findings → verdict → a report in the reader's language.
 * The verdict level is a result, not an error: exit 0 whatever was found (the level is in the JSON), so
 * scripts never mistake "spyware found" for "the check failed".
 */

const FORMATS = ['html', 'json', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

interface AnalyzeOpts {
  lang?: string;
  format: string;
  output?: string;
  indicators?: string[];
  dataDir?: string;
  progress: boolean;
  rules?: string;
  key?: string;
}

class UsageError extends Error {}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .argument('<capture>', 'a pcap or pcapng file of the phone’s traffic, or an AndroidQF acquisition (folder, .zip or age-encrypted .zip)')
    .argument('[acquisition]', 'with a capture: an AndroidQF acquisition of the same phone, for one combined report')
    .addOption(new Option('--lang <code>', 'language of the report (default: from $LANG, else en)').choices([...LANGS]))
    .addOption(new Option('--format <format>', 'html (one self-contained file), json, or pdf (needs Chromium)').choices([...FORMATS]).default('html'))
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .option('--indicators <files...>', 'use these indicator files instead of the stored lists (Echap YAML/STIX, TinyCheck iocs.json and whitelist.json, MISP, Suricata rules, plain lists)')
    .option('--data-dir <dir>', 'where `quietcheck indicators update` keeps the lists (default: $QUIETCHECK_DATA_DIR, else $XDG_DATA_HOME/quietcheck or ~/.local/share/quietcheck)')
    .option('--rules <file>', `detection settings in YAML: rules to turn off, thresholds, the hotspot name (default: ${DETECTION_FILE} in the data directory, if present)`)
    .option('--key <file>', 'the age key file of an encrypted AndroidQF acquisition')
    .option('--no-progress', 'print nothing on standard error except errors')
    .description('check a capture for stalkerware and write a report for the person whose phone it is')
    .addHelpText(
      'after',
      `
What it does:
  Reads the recording of a phone's traffic, compares every server, name and certificate in it with
  public lists of known stalkerware servers, looks for behaviour typical of spyware, and writes a
  report in plain words: a result (High, Moderate, Low or None), what it means, what to do now —
  safety first — and what the check could not see. Technical details for specialists are at the end.
  Nothing is sent anywhere.

Where the indicator lists come from:
  --indicators FILE…   these files only (useful offline, e.g. from a USB stick); TinyCheck's
                       whitelist.json is used as an allow-list
  otherwise            the lists stored by "quietcheck indicators update" in the data directory
  With no list at all, only behaviour is checked, and the report says so.

An AndroidQF acquisition (a folder, its .zip, or the .zip encrypted with age and --key) is a check of
the phone itself: its apps (against the lists of stalkerware apps, signing certificates and APK
hashes), where they came from, which hold accessibility, notification or administrator access, and
settings such as Play Protect, root and computers trusted for USB debugging.

A capture and an acquisition of the same phone, in either order, give one combined report (any
format): the worse of the two verdicts, the stalkerware named by either, what it can read, the
findings and the limits of both checks, and one list of what to do now.

Examples:
  quietcheck analyze phone.pcapng -o report.html
  quietcheck analyze androidqf_2026-12-06.zip --lang de -o bericht.html
  quietcheck analyze phone.pcap --lang fr --format pdf -o rapport.pdf
  quietcheck analyze phone.pcap --format json | jq .verdict.level
  quietcheck analyze phone.pcap --indicators ioc.yaml whitelist.json -o report.html
  quietcheck analyze phone.pcap androidqf.zip --format json -o both.json   (one verdict: the worse of the two)
  quietcheck analyze androidqf.zip phone.pcap --format pdf -o both.pdf

Exit codes:
  0  the report was written, whatever the result (the level is in the JSON: verdict.level)
  2  bad input: the capture or an indicator file is missing or unreadable, or Chromium is missing for --format pdf
  1  internal error (a bug: please report it)`,
    )
    .exitOverride((err: CommanderError) => {
      // Commander's own exit code for a bad option is 1, which here means a bug.
      process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    })
    .action(async (capture: string, acquisition: string | undefined, opts: AnalyzeOpts) => {
      process.exitCode = acquisition === undefined ? await runAnalyze(capture, opts) : await runCombined(capture, acquisition, opts);
    });
}

function pickLang(opt: string | undefined): Lang {
  if (opt && isLang(opt)) return opt;
  return langFromLocale(process.env.LC_ALL) ?? langFromLocale(process.env.LC_MESSAGES) ?? langFromLocale(process.env.LANG) ?? 'en';
}

async function runAnalyze(capture: string, opts: AnalyzeOpts): Promise<number> {
  const lang = pickLang(opts.lang);
  const format = opts.format as Format;
  const say = (key: string, params: Record<string, string | number> = {}): void => {
    if (opts.progress) process.stderr.write(`${t(lang, key, params)}\n`);
  };
  try {
    if (format === 'pdf' && !opts.output && process.stdout.isTTY) throw new UsageError(t(lang, 'cli.pdfToTerminal'));
    let sources: IndicatorSources;
    if (opts.indicators && opts.indicators.length > 0) {
      say('cli.loadingFiles', { count: opts.indicators.length });
      sources = await loadIndicatorFiles(opts.indicators);
    } else {
      const dir = resolveDataDir(opts.dataDir);
      say('cli.loadingStore', { dir });
      sources = loadIndicatorStore(dir);
      if (sources.feeds.filter((f) => f.list === 'block').length === 0) say('cli.noFeeds');
    }
    const config = loadDetectionConfig(opts.rules, opts.rules ? null : resolveDataDir(opts.dataDir));
    const device = await looksLikeAcquisition(capture);
    say(device ? 'device.cli.reading' : 'cli.reading', { file: capture });
    const analysis = device
      ? await analyzeAcquisition(capture, { indicators: sources.indicators, feeds: sources.feeds, keyFile: opts.key, config: { disabled: config.disabled ?? [] } })
      : await analyzeCapture(capture, { indicators: sources.indicators, feeds: sources.feeds, config });
    say('cli.rendering', { format });
    const help = serviceHelp(resolveDataDir(opts.dataDir), lang);
    if (format === 'json' && !('kind' in analysis)) {
      // Streamed: the JSON of a long capture is large, and holding it as one string doubles the memory.
      if (opts.output) {
        const tmp = `${opts.output}.${process.pid}.tmp`;
        const fd = openSync(tmp, 'w', 0o600);
        try {
          writeJsonReport(fd, analysis, lang, help);
          fsyncSync(fd);
          closeSync(fd);
          renameSync(tmp, opts.output);
        } catch (e) {
          closeSync(fd);
          rmSync(tmp, { force: true });
          throw e;
        }
        say('cli.written', { file: opts.output });
      } else {
        writeJsonReport(1, analysis, lang, help);
      }
    } else {
      const out = await render(analysis, format, lang, help);
      if (opts.output) {
        writeFileSync(opts.output, out, { mode: 0o600 });
        say('cli.written', { file: opts.output });
      } else {
        process.stdout.write(out);
      }
    }
    if (opts.progress) {
      process.stderr.write(
        `${t(lang, 'cli.verdict', { level: t(lang, `level.${analysis.verdict.level}`), summary: renderMessage(lang, analysis.verdict.summary) })}\n`,
      );
    }
    return EXIT_OK;
  } catch (err) {
    const reason = inputProblem(err, capture, lang);
    if (reason === null) throw err;
    process.stderr.write(`quietcheck: ${reason}\n`);
    return EXIT_BAD_INPUT;
  }
}

/** A capture and an acquisition of the same phone (either order): one report in any format, the worse verdict of the two. */
async function runCombined(first: string, second: string, opts: AnalyzeOpts): Promise<number> {
  const lang = pickLang(opts.lang);
  const say = (key: string, params: Record<string, string | number> = {}): void => {
    if (opts.progress) process.stderr.write(`${t(lang, key, params)}\n`);
  };
  let current = first;
  try {
    if (opts.format === 'pdf' && !opts.output && process.stdout.isTTY) throw new UsageError(t(lang, 'cli.pdfToTerminal'));
    const firstIsAcq = await looksLikeAcquisition(first);
    current = second;
    const secondIsAcq = await looksLikeAcquisition(second);
    if (firstIsAcq === secondIsAcq) throw new UsageError(t(lang, 'cli.combined.needsBoth'));
    const [capture, acquisition] = firstIsAcq ? [second, first] : [first, second];
    let sources: IndicatorSources;
    if (opts.indicators && opts.indicators.length > 0) {
      say('cli.loadingFiles', { count: opts.indicators.length });
      sources = await loadIndicatorFiles(opts.indicators);
    } else {
      const dir = resolveDataDir(opts.dataDir);
      say('cli.loadingStore', { dir });
      sources = loadIndicatorStore(dir);
      if (sources.feeds.filter((f) => f.list === 'block').length === 0) say('cli.noFeeds');
    }
    const config = loadDetectionConfig(opts.rules, opts.rules ? null : resolveDataDir(opts.dataDir));
    current = capture;
    say('cli.reading', { file: capture });
    const traffic = await analyzeCapture(capture, { indicators: sources.indicators, feeds: sources.feeds, config });
    current = acquisition;
    say('device.cli.reading', { file: acquisition });
    const device = await analyzeAcquisition(acquisition, { indicators: sources.indicators, feeds: sources.feeds, keyFile: opts.key, config: { disabled: config.disabled ?? [] } });
    const help = serviceHelp(resolveDataDir(opts.dataDir), lang);
    const report = combineReports(toJsonReport(traffic, lang, help), toDeviceJson(device, lang, help), lang);
    say('cli.rendering', { format: opts.format });
    const out = opts.format === 'json' ? JSON.stringify(report, null, 2) : await renderCombined(traffic, device, opts.format as 'html' | 'pdf', lang, help);
    if (opts.output) {
      const tmp = `${opts.output}.${process.pid}.tmp`;
      writeFileSync(tmp, out, { mode: 0o600 });
      renameSync(tmp, opts.output);
      say('cli.written', { file: opts.output });
    } else {
      process.stdout.write(out);
    }
    if (opts.progress) process.stderr.write(`${t(lang, 'cli.verdict', { level: t(lang, `level.${report.verdict.level}`), summary: report.verdict.summary })}\n`);
    return EXIT_OK;
  } catch (err) {
    const reason = inputProblem(err, current, lang);
    if (reason === null) throw err;
    process.stderr.write(`quietcheck: ${reason}\n`);
    return EXIT_BAD_INPUT;
  }
}

/** The service's contact and helplines set in the console, when the data directory has a database; else the examples. */
function serviceHelp(dataDir: string, lang: Lang): LocalHelp | undefined {
  if (!existsSync(join(dataDir, DB_FILE))) return undefined;
  let store: SqliteStore | null = null;
  try {
    store = SqliteStore.inDir(dataDir);
    return localHelpFor(store, lang);
  } catch {
    return undefined; // a database this version cannot read: the report still gets the examples
  } finally {
    store?.close();
  }
}

/** The name printed at the foot of every page outside the service, where there is no check id: the capture's or the acquisition's hash. */
function printedId(a: Analysis | DeviceAnalysis): string {
  return 'kind' in a ? (a.acquisition.sha256 ?? a.acquisition.name).slice(0, 12) : a.capture.sha256.slice(0, 12);
}

async function pdfOf(html: () => string, lang: Lang): Promise<Buffer> {
  try {
    return await htmlToPdf(html());
  } catch (e) {
    if (e instanceof ChromiumMissingError) throw new UsageError(t(lang, 'cli.pdfMissing', { path: chromiumPath() }));
    if (e instanceof ChromiumFailedError) throw new UsageError(t(lang, 'cli.pdfFailed', { reason: e.message }));
    throw e;
  }
}

async function renderCombined(traffic: Analysis, device: DeviceAnalysis, format: 'html' | 'pdf', lang: Lang, help?: LocalHelp): Promise<string | Buffer> {
  if (format === 'html') return renderCombinedHtml(traffic, device, lang, { help });
  return pdfOf(() => renderCombinedHtml(traffic, device, lang, { openAppendix: true, help, print: { paper: paperFromEnv(), checkId: printedId(traffic) } }), lang);
}

async function render(a: Analysis | DeviceAnalysis, format: Format, lang: Lang, help?: LocalHelp): Promise<string | Buffer> {
  switch (format) {
    case 'json':
      return 'kind' in a ? renderDeviceJson(a, lang, help) : renderJson(a, lang, help);
    case 'html':
      return 'kind' in a ? renderDeviceHtml(a, lang, { help }) : renderHtml(a, lang, { help });
    case 'pdf': {
      // No check id outside the service: the file's hash names the report on every page instead.
      const print = { paper: paperFromEnv(), checkId: printedId(a) };
      return pdfOf(() => ('kind' in a ? renderDeviceHtml(a, lang, { openAppendix: true, help, print }) : renderHtml(a, lang, { openAppendix: true, help, print })), lang);
    }
  }
}

/** A one-line reason for errors that are the input's (or the machine's) fault, or null for a bug. */
function inputProblem(err: unknown, path: string, lang: Lang): string | null {
  if (err instanceof UsageError || err instanceof FeedError || err instanceof DetectionConfigError) return err.message;
  if (err instanceof AcquisitionError) return `${path}: ${err.message}`;
  if (err instanceof CaptureFormatError) return `${path}: ${err.message}`;
  const e = err as NodeJS.ErrnoException | null;
  const file = e?.path ?? path;
  if (e?.code === 'ENOENT') return t(lang, 'cli.error.noFile', { file });
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return t(lang, 'cli.error.denied', { file });
  if (e?.code === 'EISDIR') return t(lang, 'cli.error.isDir', { file });
  return null;
}
