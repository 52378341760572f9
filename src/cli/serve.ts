import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { ensureDataDir } from '../config/paths.js';
import { hashPassword, passwordProblem } from '../server/auth.js';
import { startServer } from '../server/app.js';
import { loadServeConfig, ServeConfigError, type ServeFlags } from '../server/config.js';
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
    .option('--admin-password <password>', 'the admin password, set at the first start only (env QUIETCHECK_ADMIN_PASSWORD; else asked for)')
    .addHelpText(
      'after',
      `
At the first start an admin password must be given (flag, environment, or typed when asked); there is
no default. It is stored as a scrypt hash. Later starts ignore these.

quietcheck connects nowhere except the indicator feed updates the admin starts. The API is described
at /api/docs (OpenAPI).

Examples:
  sudo quietcheck serve --interface wlan0
  QUIETCHECK_ADMIN_PASSWORD=… quietcheck serve --data-dir /var/lib/quietcheck --port 8081`,
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
