import { execFileSync } from 'node:child_process';
import { chromiumAvailable } from '../../src/report/pdf.js';

/** poppler-utils (pdfinfo, pdftotext), with which the printed reports are read back. */
export function hasPoppler(): boolean {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A skip reason for tests that print a PDF and read it back, or false when both tools are here. */
export const NO_PDF_TOOLS: string | false = chromiumAvailable() && hasPoppler() ? false : 'needs Chromium and poppler-utils (pdfinfo, pdftotext)';
