#!/usr/bin/env node
import { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerInspect } from './inspect.js';
import { registerIndicatorCommands } from './indicators.js';
import { registerServe } from './serve.js';
import { registerDoctor } from './doctor.js';
import { registerDevice } from './device.js';

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

registerInspect(program);
registerIndicatorCommands(program);
registerAnalyze(program);
registerServe(program);
registerDoctor(program);
registerDevice(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`quietcheck: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
