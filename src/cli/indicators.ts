import { Command, CommanderError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadFeedsConfig, FEEDS_FILE } from '../config/feeds.js';
import { removeFeedEverywhere, setFeedRole } from '../indicators/feed-admin.js';
import { ensureDataDir, resolveDataDir } from '../config/paths.js';
import { DEFAULT_MAX_SHRINK, importFeed, loadIndicators, updateFeeds, type FeedOutcome, type Progress, type UpdateOptions } from '../indicators/feeds.js';
import { FEED_FORMATS, FeedError, isFeedFormat, type FeedFormat } from '../indicators/types.js';
import type { Match } from '../indicators/matcher.js';
import { SqliteStore } from '../store/sqlite.js';

/**
 * `quietcheck indicators …`: keep the stalkerware indicator feeds current and look values up in them.
 * Exit codes: 0 ok, 2 bad input or a feed that failed (the previous set is kept), 1 internal error.
 */

class UsageError extends Error {}

interface CommonOpts {
  json?: boolean;
  dataDir?: string;
}
interface FetchOpts extends CommonOpts {
  timeout: string;
  maxSize: string;
  maxShrink: string;
  acceptShrink?: boolean;
  allowHttpLoopback?: boolean;
}

const DATA_DIR_HELP =
  'where quietcheck keeps its database (default: $QUIETCHECK_DATA_DIR, else $XDG_DATA_HOME/quietcheck or ~/.local/share/quietcheck)';

function common(cmd: Command): Command {
  return cmd
    .option('--json', 'print machine-readable JSON on standard output')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .exitOverride((err: CommanderError) => {
      // Commander exits 1 on a bad option; here 1 means a bug, so bad input gets 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
}

function fetchOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <seconds>', 'give up on a feed server that does not answer within this time', '30')
    .option('--max-size <MB>', 'refuse a feed larger than this', '64')
    .option('--max-shrink <percent>', 'refuse a new version holding this share fewer indicators than the stored one', String(DEFAULT_MAX_SHRINK * 100))
    .option('--accept-shrink', 'store a new version even when it holds far fewer indicators, or none (after reading the counts a refused update showed)')
    .addOption(new Option('--allow-http-loopback', 'tests and development only: accept http:// URLs on 127.0.0.1/localhost').hideHelp());
}

function positive(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${what} must be a positive number, not "${v}"`);
  return n;
}

function openStore(opts: CommonOpts): SqliteStore {
  return SqliteStore.inDir(ensureDataDir(resolveDataDir(opts.dataDir)));
}

function progressReporter(json: boolean | undefined): { onProgress?: (p: Progress) => void; stop: () => void } {
  if (json || !process.stderr.isTTY) return { stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{feed} {phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p) => {
      const total = p.total ?? Math.max(p.done, 1);
      if (!started) {
        bar.start(total, p.done, { feed: p.feed, phase: p.phase });
        started = true;
      }
      bar.setTotal(total);
      bar.update(p.done, { feed: p.feed, phase: p.phase });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function updateOptions(opts: FetchOpts): UpdateOptions {
  const shrink = Number(opts.maxShrink);
  if (!Number.isFinite(shrink) || shrink < 0 || shrink > 100) throw new UsageError(`--max-shrink must be a percentage from 0 to 100, not "${opts.maxShrink}"`);
  return {
    maxShrink: shrink / 100,
    acceptShrink: !!opts.acceptShrink,
    timeoutMs: positive(opts.timeout, '--timeout') * 1000,
    maxBytes: Math.floor(positive(opts.maxSize, '--max-size') * 1024 * 1024),
    allowLoopbackHttp: !!opts.allowHttpLoopback,
  };
}

function describeOutcome(o: FeedOutcome): string {
  const counts = `${o.indicators} indicators${o.rules ? `, ${o.rules} payload rules` : ''}`;
  switch (o.status) {
    case 'updated':
      return `${o.feed}: updated, ${counts}${o.previousCount ? ` (was ${o.previousCount})` : ''}${o.forced ? ' — accepted although it shrank' : ''}${skippedText(o.skipped)}`;
    case 'unchanged':
      return `${o.feed}: unchanged, ${counts}`;
    case 'fresh':
      return `${o.feed}: checked recently, ${counts} (use --force to check now)`;
    case 'failed':
      return `${o.feed}: FAILED — ${o.error}\n  ${o.version ? `keeping the previous set (${counts})` : 'no previous set: this feed is not used until an update succeeds'}`;
    case 'disabled':
      return `${o.feed}: disabled in ${FEEDS_FILE}; its indicators were removed`;
    case 'removed':
      return `${o.feed}: no longer configured; its indicators were removed`;
  }
}

function roleText(list: 'block' | 'allow' | null): string {
  if (list === 'allow') return 'role: allow-list (what it lists is never reported)';
  if (list === 'block') return 'role: block list (what it lists is reported)';
  return 'role: unknown (not stored)';
}

function skippedText(s: Record<string, number>): string {
  const e = Object.entries(s).filter(([k]) => k !== 'duplicate');
  if (e.length === 0) return '';
  return `\n  not used: ${e.map(([k, v]) => `${k} ×${v}`).join(', ')}`;
}

function print(json: boolean | undefined, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** Runs an action and maps what went wrong to the documented exit codes. */
function run<A extends unknown[]>(fn: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await fn(...args);
    } catch (e) {
      if (e instanceof UsageError || e instanceof FeedError || e instanceof ConfigError) {
        process.stderr.write(`quietcheck: ${e.message}\n`);
        code = 2;
      } else throw e;
    }
    process.exitCode = code;
  };
}

function matchText(m: Match): string {
  const who = m.family ?? '(no family)';
  const flags = [m.kind, m.tag, m.list === 'allow' ? 'ALLOW-LIST' : null, m.how === 'exact' ? null : `via ${m.value}`].filter(Boolean).join(', ');
  return `${who} — ${flags}\n  feed ${m.feed}${m.feedVersion ? ` (version ${m.feedVersion})` : ''}, ${m.source}${m.meta?.msg ? `\n  rule: ${m.meta.msg}` : ''}`;
}

export function registerIndicatorCommands(program: Command): void {
  const ind = program
    .command('indicators')
    .description('keep the public stalkerware indicator feeds up to date, and look values up in them')
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : 2))
    .addHelpText(
      'after',
      `
Indicators are domains, IP addresses, certificate and app fingerprints that public feeds (Echap's
stalkerware-indicators, Kaspersky's TinyCheck, MVT, …) link to a spyware family. quietcheck stores them
in its data directory and matches captured traffic against them. Start with:

  quietcheck indicators update          fetch the configured feeds (needs the Internet)
  quietcheck indicators list            what is stored, from when, and any feed that failed
  quietcheck indicators search thetruthspy.com
  quietcheck indicators remove <name>   remove a list and its indicators

Feeds are configured in <data dir>/${FEEDS_FILE}; without it the public defaults are used.`,
    );

  common(
    fetchOptions(
      ind
        .command('update')
        .description('download the configured feeds and replace each stored set that changed')
        .option('--feed <name...>', 'only these feeds')
        .option('--force', 'check every feed now, even those checked within their refresh interval'),
    ),
  )
    .addHelpText(
      'after',
      `
Each feed is downloaded over https (with ETag/If-Modified-Since, so an unchanged feed costs one small
request), parsed completely, and only then swapped in. If anything goes wrong — no network, a
timeout, an error page instead of the feed, a download shorter or longer than the server announced,
a file that stops in the middle of a line — the feed keeps its previous indicators and the reason is
shown here and in "indicators list". Exit code 2 when any feed failed.

A new version that holds no indicators, or more than --max-shrink percent (default ${DEFAULT_MAX_SHRINK * 100}) fewer than
the stored set, is refused the same way, with both counts shown: feeds grow, and a set that suddenly
lost a fifth is far more likely a cut-off download than a cleanup. If the feed really shrank, accept it:

  quietcheck indicators update --feed echap-ioc --accept-shrink

Every attempt is recorded with the counts before and after ("indicators history").`,
    )
    .action(
      run(async (opts: FetchOpts & { feed?: string[]; force?: boolean }) => {
        const store = openStore(opts);
        const progress = progressReporter(opts.json);
        try {
          const configs = loadFeedsConfig(ensureDataDir(resolveDataDir(opts.dataDir)));
          const outcomes = await updateFeeds(store, configs, { ...updateOptions(opts), force: !!opts.force, only: opts.feed, onProgress: progress.onProgress });
          progress.stop();
          const failed = outcomes.filter((o) => o.status === 'failed');
          print(opts.json, { feeds: outcomes, failed: failed.length }, () =>
            outcomes.length ? outcomes.map(describeOutcome).join('\n') : 'no feed is enabled',
          );
          return failed.length ? 2 : 0;
        } finally {
          progress.stop();
          store.close();
        }
      }),
    );

  common(ind.command('list').description('show every stored feed: version, when it was fetched, counts, last error')).action(
    run((opts: CommonOpts) => {
      const store = openStore(opts);
      try {
        const feeds = store.listFeeds();
        print(opts.json, feeds, () =>
          feeds.length
            ? feeds
                .map(
                  (f) =>
                    `${f.name}${f.list === 'allow' ? ' (allow-list)' : ''} [${f.format}, ${f.origin}]\n  ${f.url}\n  ` +
                    (f.version ? `version ${f.version}, fetched ${f.fetchedAt}, ${f.indicatorCount} indicators${f.ruleCount ? `, ${f.ruleCount} payload rules` : ''}` : 'never loaded') +
                    (f.lastError ? `\n  last attempt ${f.lastAttemptAt} FAILED: ${f.lastError}` : ''),
                )
                .join('\n')
            : 'no feeds stored yet: run "quietcheck indicators update" or "quietcheck indicators import <file>"',
        );
        return 0;
      } finally {
        store.close();
      }
    }),
  );

  common(
    ind
      .command('history')
      .description('every feed update attempt: when, the counts before and after, and why one was refused')
      .option('--feed <name>', 'only this feed')
      .option('--limit <n>', 'how many, newest first', '50'),
  ).action(
    run((opts: CommonOpts & { feed?: string; limit: string }) => {
      const store = openStore(opts);
      try {
        const rows = store.feedUpdates(opts.feed, Math.floor(positive(opts.limit, '--limit')));
        print(opts.json, rows, () =>
          rows.length
            ? rows
                .map((r) => `${r.at} ${r.feed}: ${r.outcome}, ${r.previousCount} → ${r.newCount ?? '?'}${r.reason ? `\n  ${r.reason}` : ''}`)
                .join('\n')
            : 'no feed update recorded yet',
        );
        return 0;
      } finally {
        store.close();
      }
    }),
  );

  common(
    fetchOptions(
      ind
        .command('import')
        .argument('<file|url>', 'a feed file, a MISP feed folder, or an https URL')
        .description('add one feed from a file or URL (kept current by later updates)')
        .addOption(new Option('--format <format>', 'the feed format, when it cannot be guessed from the name and content').choices([...FEED_FORMATS]))
        .option('--name <name>', 'the feed name shown in findings (default: import-<file name>)')
        .option('--allow-list', 'the file lists values to allow (never reported as findings), not indicators')
        .option('--local', "the URL's server is on this machine or the local network, on purpose (a local mirror); otherwise such addresses are refused")
        .option('--block-list', 'the file lists indicators to report, whatever its format usually holds'),
    ),
  )
    .addHelpText(
      'after',
      `
Formats: echap-yaml (ioc.yaml, watchware.yaml), stix2 (Echap, Amnesty, MVT bundles), mvt-index (MVT's
indicators.yaml: every feed it lists), tinycheck-iocs, tinycheck-whitelist, misp-event, misp-feed (a
folder or URL with manifest.json), suricata (.rules), hosts, lines (one domain/IP/CIDR per line), csv
(a header row: type,indicator,app or named columns), yara.

Examples:
  quietcheck indicators import ~/Downloads/ioc.yaml
  quietcheck indicators import my-own-list.txt --format lines --name helpline-list
  quietcheck indicators import office-allow.txt --format lines --allow-list

Each list is either a block list (what it lists is reported) or an allow-list (what it lists is never
reported). The role follows the format: TinyCheck's whitelist.json is an allow-list, every other
format a block list; --allow-list or --block-list says otherwise. The role is printed for each list,
and a running "quietcheck serve" uses the new set for the next check.`,
    )
    .action(
      run(async (source: string, opts: FetchOpts & { format?: string; name?: string; allowList?: boolean; blockList?: boolean; local?: boolean }) => {
        if (opts.format !== undefined && !isFeedFormat(opts.format)) throw new UsageError(`unknown format ${opts.format}`);
        if (opts.allowList && opts.blockList) throw new UsageError('give --allow-list or --block-list, not both');
        if (opts.name !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(opts.name)) throw new UsageError('--name must be lower-case letters, digits, . _ -');
        const store = openStore(opts);
        const progress = progressReporter(opts.json);
        try {
          const outcomes = await importFeed(store, source, {
            ...updateOptions(opts),
            format: opts.format as FeedFormat | undefined,
            name: opts.name,
            ...(opts.allowList ? { list: 'allow' as const } : opts.blockList ? { list: 'block' as const } : {}),
            local: !!opts.local,
            onProgress: progress.onProgress,
          });
          progress.stop();
          const failed = outcomes.filter((o) => o.status === 'failed');
          const withRole = outcomes.map((o) => ({ ...o, list: store.getFeed(o.feed)?.list ?? null }));
          print(opts.json, { feeds: withRole, failed: failed.length }, () => withRole.map((o) => `${describeOutcome(o)}\n  ${roleText(o.list)}`).join('\n'));
          return failed.length ? 2 : 0;
        } finally {
          progress.stop();
          store.close();
        }
      }),
    );

  common(
    ind
      .command('remove')
      .argument('<name>', 'the feed name, as "indicators list" shows it')
      .description('remove a list and its indicators (a configured one is also switched off in feeds.yaml)'),
  )
    .addHelpText(
      'after',
      `
A list from feeds.yaml or the public defaults is switched off there (enabled: false), so the next
update does not bring it back; an imported list is simply removed. A running "quietcheck serve" stops
using it for the next check.

Examples:
  quietcheck indicators remove import-whitelist
  quietcheck indicators remove tinycheck-iocs`,
    )
    .action(
      run((name: string, opts: CommonOpts) => {
        const dataDir = ensureDataDir(resolveDataDir(opts.dataDir));
        const store = openStore(opts);
        try {
          const r = removeFeedEverywhere(store, dataDir, name);
          print(opts.json, r, () => `${name}: removed${r.removed.length > 1 ? ` with ${r.removed.length - 1} list(s) it brought in` : ''}${r.disabledInConfig ? `; switched off in ${FEEDS_FILE}` : ''}`);
          return 0;
        } finally {
          store.close();
        }
      }),
    );

  common(
    ind
      .command('role')
      .argument('<name>', 'the feed name, as "indicators list" shows it')
      .argument('<role>', 'block (report what it lists) or allow (never report what it lists)')
      .description("change whether a list's entries are reported (block) or left out (allow)"),
  ).action(
    run((name: string, role: string, opts: CommonOpts) => {
      if (role !== 'block' && role !== 'allow') throw new UsageError('the role is block or allow');
      const dataDir = ensureDataDir(resolveDataDir(opts.dataDir));
      const store = openStore(opts);
      try {
        setFeedRole(store, dataDir, name, role);
        print(opts.json, { feed: name, list: role }, () => `${name}: ${roleText(role)}`);
        return 0;
      } finally {
        store.close();
      }
    }),
  );

  common(
    ind
      .command('search')
      .argument('<value>', 'a domain, IP address, URL, certificate or file hash, JA3/JA4, or app package name')
      .description('show every stored indicator that matches a value, with its family and feed'),
  )
    .addHelpText(
      'after',
      `
A domain matches itself and every parent: searching media.copy9.com finds indicators on copy9.com, but
notcopy9.com never matches copy9.com. An IP matches exact addresses and every network containing it.
"allowed: true" means the value is on an allow-list (such as TinyCheck's whitelist): detection will not
report it even when a feed lists it.

Examples:
  quietcheck indicators search thetruthspy.com
  quietcheck indicators search 69.64.74.239 --json
  quietcheck indicators search com.thetruth`,
    )
    .action(
      run((value: string, opts: CommonOpts) => {
        const store = openStore(opts);
        try {
          const matches = loadIndicators(store).search(value);
          print(opts.json, matches, () =>
            matches.length
              ? `${value}: ${matches.some((m) => m.allowed) ? 'on an allow-list' : 'NOT on any allow-list'}\n${matches.map(matchText).join('\n')}`
              : `${value}: no indicator matches${store.listFeeds().length ? '' : ' (no feeds stored yet: run "quietcheck indicators update")'}`,
          );
          return 0;
        } finally {
          store.close();
        }
      }),
    );

  common(ind.command('stats').description('count stored indicators per feed and kind, and time building the matcher')).action(
    run((opts: CommonOpts) => {
      const store = openStore(opts);
      try {
        const t0 = performance.now();
        const m = loadIndicators(store);
        const loadMs = performance.now() - t0;
        const s = m.stats();
        const feeds = store.listFeeds().map((f) => ({ name: f.name, list: f.list, version: f.version, indicators: f.indicatorCount, rules: f.ruleCount, kinds: f.kinds, skipped: f.skipped, lastError: f.lastError }));
        const data = { total: s.total, payloadRules: s.rules, byKind: s.byKind, feeds, matcherLoadMs: Math.round(loadMs), heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) };
        print(opts.json, data, () =>
          [
            `${s.total} indicators and ${s.rules} payload rules from ${feeds.length} feeds (matcher built in ${data.matcherLoadMs} ms)`,
            ...Object.entries(s.byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${k}: ${v}`),
            ...feeds.map((f) => `${f.name}${f.list === 'allow' ? ' (allow-list)' : ''}: ${f.indicators}${skippedText(f.skipped)}${f.lastError ? `\n  last update failed: ${f.lastError}` : ''}`),
          ].join('\n'),
        );
        return 0;
      } finally {
        store.close();
      }
    }),
  );
}
