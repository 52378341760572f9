/**
 * A finished analysis on disk, in the check's folder, written once by whoever made it (the analysis
 * worker, or the main thread for a live check) and never parsed whole again when it is large.
 *
 * An ordinary analysis is one file, analysis.json. A very large one (a day of traffic: tens of MB of
 * facts and thousands of findings) is three: the facts exactly as the JSON report prints them
 * (report-facts.json, language-free), the findings one per line (findings.jsonl), and analysis.json
 * holding the shortened copy the HTML and PDF are rendered from (../report/digest.ts). The JSON report
 * of such a check is then sent from the files piece by piece (./report-stream.ts in the server), so
 * serving it takes a few MB whatever its size. Every file is written aside and renamed; analysis.json
 * is renamed last, so a crash never leaves a report that looks whole and is not.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAllSync } from '../engine/json-out.js';
import { shortenForReports } from '../report/digest.js';
import { writeFactsText } from '../report/json.js';
import type { Analysis, StoredPart, VerdictLevel } from '../analysis/types.js';

export const ANALYSIS_FILE = 'analysis.json';
export const FACTS_FILE = 'report-facts.json';
export const FINDINGS_FILE = 'findings.jsonl';

/**
 * Past this many bytes of facts and findings, an analysis is stored in parts and its JSON report sent
 * from them. Below it (nearly every check) the whole analysis is kept in memory as before: parsed, an
 * analysis weighs five to ten times its JSON, so this keeps each one kept under about 20 MB.
 */
export const SPLIT_BYTES = 2 * 1024 * 1024;

/** What the check's row records of a stored analysis, and the analysis itself when the caller may keep it. */
export interface StoredAnalysis {
  packets: number;
  bytes: number;
  level: VerdictLevel;
  families: string[];
  /** Size of analysis.json. */
  jsonBytes: number;
  /** What analysis.json holds (whole, or the shortened copy); absent when it was not kept (made in the worker). */
  analysis?: Analysis;
}

/** Text gathered before each write: big enough to keep system calls few, small next to the files. */
const FLUSH_AT = 1 << 20;

/** Writes what `produce` gives to `path` (owner-only), synced; returns its size and SHA-256. */
function writeStreamed(path: string, produce: (out: (s: string) => void) => void): { bytes: number; sha256: string } {
  const fd = openSync(path, 'w', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let pending = '';
  const flush = (): void => {
    hash.update(pending, 'utf8');
    bytes += writeAllSync(fd, pending);
    pending = '';
  };
  try {
    produce((s) => {
      pending += s;
      if (pending.length >= FLUSH_AT) flush();
    });
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

function writeAtomic(dir: string, name: string, text: string): number {
  const tmp = join(dir, `${name}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, join(dir, name));
  return Buffer.byteLength(text);
}

/**
 * Stores `analysis` in `dir`, split in parts when large. `splitAt` is the size
 * of facts and findings past which it is split (tests lower it).
 */
export function writeStoredAnalysis(dir: string, analysis: Analysis, keepObject: boolean, splitAt = SPLIT_BYTES): StoredAnalysis {
  const row = { packets: analysis.capture.packets, bytes: analysis.capture.bytes, level: analysis.verdict.level, families: analysis.verdict.families };
  const factsTmp = join(dir, `${FACTS_FILE}.tmp`);
  const findingsTmp = join(dir, `${FINDINGS_FILE}.tmp`);
  try {
    const facts = writeStreamed(factsTmp, (out) => writeFactsText(out, analysis.facts));
    const findings = writeStreamed(findingsTmp, (out) => {
      for (const f of analysis.findings) out(`${JSON.stringify(f)}\n`);
    });
    if (facts.bytes + findings.bytes <= splitAt) {
      rmSync(factsTmp, { force: true });
      rmSync(findingsTmp, { force: true });
      const jsonBytes = writeAtomic(dir, ANALYSIS_FILE, JSON.stringify(analysis));
      // Parts of an earlier analysis of the same check (one analysed again after a restart) go.
      rmSync(join(dir, FACTS_FILE), { force: true });
      rmSync(join(dir, FINDINGS_FILE), { force: true });
      return { ...row, jsonBytes, analysis: keepObject ? analysis : undefined };
    }
    renameSync(factsTmp, join(dir, FACTS_FILE));
    renameSync(findingsTmp, join(dir, FINDINGS_FILE));
    const files = {
      facts: { name: FACTS_FILE, ...facts } satisfies StoredPart,
      findings: { name: FINDINGS_FILE, ...findings, count: analysis.findings.length },
    };
    const short = shortenForReports(analysis, files);
    const jsonBytes = writeAtomic(dir, ANALYSIS_FILE, JSON.stringify(short));
    return { ...row, jsonBytes, analysis: keepObject ? short : undefined };
  } catch (err) {
    rmSync(factsTmp, { force: true });
    rmSync(findingsTmp, { force: true });
    throw err;
  }
}

/** Whether the parts a shortened analysis names are still there, at the sizes written. */
export function partsPresent(dir: string, a: Analysis): boolean {
  const files = a.digest?.files;
  if (files === undefined) return true;
  try {
    return statSync(join(dir, files.facts.name)).size === files.facts.bytes && statSync(join(dir, files.findings.name)).size === files.findings.bytes;
  } catch {
    return false;
  }
}
