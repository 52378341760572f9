#!/usr/bin/env node
import { Command } from 'commander';
import { tuneV8ForOneShotRun } from './v8-tuning.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: loading all of them (the server, the PDF
 * maker, the device check…) cost about 0.3 s of CPU before `inspect` read its first byte. In the order
 * `--help` lists them.
 */
const COMMANDS: Array<[string, () => Promise<Register>]> = [
  ['inspect', async () => (await import('./inspect.js')).registerInspect],
  ['indicators', async () => (await import('./indicators.js')).registerIndicatorCommands],
  ['analyze', async () => (await import('./analyze.js')).registerAnalyze],
  ['serve', async () => (await import('./serve.js')).registerServe],
  ['doctor', async () => (await import('./doctor.js')).registerDoctor],
  ['device', async () => (await import('./device.js')).registerDevice],
];

/** Commands that read one input and exit, for which V8 is told to compile less (see v8-tuning.ts). */
const ONE_SHOT = new Set(['inspect', 'analyze']);

const program = new Command();
program
  .name('quietcheck')
  .description(
    'Checks, without touching a phone, whether it talks to stalkerware servers.\n' +
      'It reads a capture of the phone\'s traffic, decodes DNS, TLS, QUIC, HTTP and DHCP, and matches what it saw\n' +
      'against public stalkerware indicator feeds. With an AndroidQF acquisition or a phone on USB (`device`), it also\n' +
      'checks the apps and settings of an Android phone, reading only.',
  )
  .version('0.1.0')
  .showHelpAfterError();

async function main(): Promise<void> {
  // The first argument names the command; anything else (help, a mistyped name) gets every command.
  const named = COMMANDS.find(([name]) => name === process.argv[2]);
  if (named !== undefined && ONE_SHOT.has(named[0])) tuneV8ForOneShotRun();
  for (const [, load] of named !== undefined ? [named] : COMMANDS) (await load())(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`quietcheck: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
