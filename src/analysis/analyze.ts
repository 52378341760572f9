import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFAULT_DETECTION_CONFIG } from '../detect/config.js';
import { detect } from '../detect/index.js';
import { captureDurationSeconds } from '../detect/notes.js';
import type { CaptureMode, DetectionConfig, NoteThresholds } from '../detect/types.js';
import { computeVerdict } from '../detect/verdict.js';
import type { Indicators } from '../indicators/matcher.js';
import type { Facts } from '../engine/facts.js';
import { inspectFile, type InspectOptions } from '../engine/inspect.js';
import { quietcheckVersion, sha256File } from './provenance.js';
import type { Analysis, FeedSummary } from './types.js';
import { collectGarbage } from './collect-garbage.js';

/**
 * The pipeline of a traffic check: capture → engine (facts) → detection (findings and notes) →
 * verdict, gathered into one Analysis that the report renders in any language.
 */

export interface AnalyzeOptions {
  indicators: Indicators;
  feeds: FeedSummary[];
  config?: Partial<DetectionConfig>;
  /** How the phone was connected (a check on the checker's Wi-Fi says so in the result); default an ordinary interface. */
  mode?: CaptureMode;
  thresholds?: Partial<NoteThresholds>;
  onProgress?: InspectOptions['onProgress'];
  now?: Date;
}

/** First bytes of each connection handed to payload rules (TinyCheck's rules look within the first few hundred). */
const PAYLOAD_HEAD_BYTES = 1024;

/** Past this many packets, decoding left enough garbage to collect it before detection. */
export const LARGE_CAPTURE_PACKETS = 500_000;

/** Reads a capture, runs detection and the verdict: everything a report shows, in one object. */
export async function analyzeCapture(path: string, opts: AnalyzeOptions): Promise<Analysis> {
  const facts = inspectFile(path, { onProgress: opts.onProgress, keepHeads: payloadHeadBytes(opts.indicators) });
  // The decoder's garbage goes before detection, rather than under it (see ./collect-garbage.ts).
  if (facts.capture.packets > LARGE_CAPTURE_PACKETS) collectGarbage();
  return analyzeFacts(facts, { ...opts, pcapPath: path, captureName: basename(path) });
}

/** Payload-content rules need the first bytes of each connection; only keep them when a feed has such rules. */
export function payloadHeadBytes(indicators: Indicators): number {
  return indicators.payloadRules.length > 0 ? PAYLOAD_HEAD_BYTES : 0;
}

export interface FactsAnalysisOptions extends Omit<AnalyzeOptions, 'onProgress'> {
  /** The capture the facts were read from: its hash goes in the report so it can be checked later. */
  pcapPath: string;
  /** The name the report shows for the capture (never a full path). */
  captureName: string;
  /** The file's SHA-256 and size as its writer computed them; used when the file still has that size. */
  written?: { sha256: string; bytes: number };
}

/**
 * Detection and verdict over facts already decoded — by `analyzeCapture`, or by a live check's engine
 * while packets arrived (decoding the pcap again after Stop would make the report wait a second pass).
 */
export async function analyzeFacts(facts: Facts, opts: FactsAnalysisOptions): Promise<Analysis> {
  const fileBytes = statSync(opts.pcapPath).size;
  // A live capture hashed its file as it wrote it: reading it all again would delay the report at Stop.
  const sha256 = opts.written !== undefined && opts.written.bytes === fileBytes ? Promise.resolve(opts.written.sha256) : sha256File(opts.pcapPath);
  // Keep the hash's rejection handled while the synchronous detection runs; it is awaited below.
  sha256.catch(() => {});
  const config: DetectionConfig = { ...DEFAULT_DETECTION_CONFIG, ...opts.config };
  const { findings, allowed, notes } = detect({ facts, indicators: opts.indicators, config, feeds: opts.feeds, mode: opts.mode, now: opts.now, thresholds: opts.thresholds });
  // The bytes served the rules; a report is shared and kept, so the survivor's payloads stay out of it.
  delete facts.payloadHeads;
  const verdict = computeVerdict({ findings, notes });
  return {
    version: quietcheckVersion(),
    generatedAt: (opts.now ?? new Date()).toISOString(),
    capture: {
      name: opts.captureName,
      sha256: await sha256,
      fileBytes,
      durationSeconds: captureDurationSeconds(facts),
      packets: facts.capture.packets,
      bytes: facts.capture.bytes,
      firstSeen: facts.capture.firstSeen,
      lastSeen: facts.capture.lastSeen,
    },
    feeds: opts.feeds,
    facts,
    findings,
    allowed,
    notes,
    verdict,
  };
}
