import { setFlagsFromString } from 'node:v8';

/**
 * V8's optimising compiler settings for a command that reads one capture and exits.
 *
 * V8's defaults suit a long-running program, where compiling hot code once pays off over hours. An
 * `inspect` of a 200 MB capture lasts about a second, and its profile showed V8's compiler threads
 * using 40% of all CPU time (compiling the decoders, several of them more than once) next to the
 * thread doing the decoding. Three settings trade a little of that compiled speed for much less
 * compiling:
 * - the interrupt budget: a function is optimised after four times as much work as by default, so
 *   code that runs for a few thousand packets stays in the baseline tier instead of being compiled;
 * - the cumulative inlining budget: half the default, so each hot function's compile does not also
 *   recompile large parts of the functions it calls;
 * - no allocation-site pretenuring: midway through a capture V8 decided that the facts (which live
 *   until the end) should be made directly in old memory, and that decision threw away the optimised
 *   code of every function making them (DNS, TLS, HTTP and QUIC facts), to be compiled again.
 * They are read by V8 each time it decides to optimise, inline or pretenure, so they take effect when
 * set here, before the engine's code runs; none changes what the code computes.
 */
const ONE_SHOT_FLAGS = ['--interrupt-budget=270336', '--max-inlined-bytecode-size-cumulative=460', '--no-allocation-site-pretenuring'];

export function tuneV8ForOneShotRun(): void {
  for (const flag of ONE_SHOT_FLAGS) setFlagsFromString(flag);
}
