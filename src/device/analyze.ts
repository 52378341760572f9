import { stat } from 'node:fs/promises';
import type { Finding, Note } from '../detect/types.js';
import type { Indicators } from '../indicators/matcher.js';
import { quietcheckVersion, sha256File } from '../analysis/provenance.js';
import type { FeedSummary, Verdict } from '../analysis/types.js';
import { readAcquisition } from './acquisition/read.js';
import { AcquisitionError } from './acquisition/source.js';
import type { DeviceFacts, DeviceInfo } from './facts.js';
import { detectDevice, type DeviceRuleConfig, type Explained } from './rules/index.js';
import { computeDeviceVerdict } from './verdict.js';

/**
 * Everything a device report shows: the acquisition, its facts, the findings and the verdict. It holds
 * message keys, not words: the renderers take the language, so one analysis reads in any of them.
 */
export interface DeviceAnalysis {
  kind: 'device';
  version: string;
  generatedAt: string;
  acquisition: {
    /** The folder's or file's name only (full paths can reveal a helper's user name). */
    name: string;
    kind: DeviceFacts['source']['kind'];
    /** SHA-256 of the .zip as given, so the copy can be checked later; null for a folder. */
    sha256: string | null;
    files: string[];
    partial: boolean;
    damage: string | null;
    problems: { file: string; message: string }[];
  };
  device: DeviceInfo;
  feeds: FeedSummary[];
  facts: DeviceFacts;
  findings: Finding[];
  explained: Explained[];
  /** What the verdict took into account beside the findings; its limits are these notes in words. */
  notes: Note[];
  verdict: Verdict;
}

export interface DeviceAnalyzeOptions {
  indicators: Indicators;
  feeds: FeedSummary[];
  keyFile?: string;
  config?: Partial<DeviceRuleConfig>;
  now?: Date;
}

export function analyzeDeviceFacts(facts: DeviceFacts, opts: DeviceAnalyzeOptions, sha256: string | null = null): DeviceAnalysis {
  const { findings, explained, notes } = detectDevice(facts, opts.indicators, opts.config, { feeds: opts.feeds, now: opts.now });
  const verdict = computeDeviceVerdict({ findings, notes });
  return {
    kind: 'device',
    version: quietcheckVersion(),
    generatedAt: (opts.now ?? new Date()).toISOString(),
    acquisition: {
      name: facts.source.name,
      kind: facts.source.kind,
      sha256,
      files: facts.source.files,
      partial: facts.source.partial,
      damage: facts.source.damage,
      problems: facts.source.problems,
    },
    device: facts.device,
    feeds: opts.feeds,
    facts,
    findings,
    explained,
    notes,
    verdict,
  };
}

/** An AndroidQF acquisition (folder, .zip, age-encrypted .zip) → findings → verdict. */
export async function analyzeAcquisition(path: string, opts: DeviceAnalyzeOptions): Promise<DeviceAnalysis> {
  const facts = await readAcquisition(path, { keyFile: opts.keyFile });
  // Nothing of an acquisition was found: not a phone's data at all. One that lacks only the list of
  // apps is reported, and its verdict is inconclusive (see computeDeviceVerdict).
  if (facts.source.files.length === 0) {
    const why = [facts.source.damage, ...facts.source.problems.map((p) => `${p.file}: ${p.message}`)].filter((x) => x).join('; ');
    throw new AcquisitionError(`no file of an AndroidQF acquisition in it (packages.json, dumpsys.txt, getprop.txt, settings_*.txt…), so nothing could be checked${why ? ` (${why})` : ''}`);
  }
  const isFile = (await stat(path)).isFile();
  return analyzeDeviceFacts(facts, opts, isFile ? await sha256File(path) : null);
}

/** True when the path is a folder or a file that is not a capture: a zip, or age-encrypted. */
export async function looksLikeAcquisition(path: string): Promise<boolean> {
  const st = await stat(path);
  if (st.isDirectory()) return true;
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(34);
    await fh.read(head, 0, 34, 0);
    const text = head.toString('latin1');
    return head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50 || text.startsWith('age-encryption.org/v1') || text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----');
  } finally {
    await fh.close();
  }
}
