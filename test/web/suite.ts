/**
 * What the browser tests of one describe block share: a real `quietcheck serve` on a temporary data
 * directory (with indicator lists imported first where the tests need findings) and one Chromium,
 * started before the block's tests and closed after them; the admin login on a page; an upload.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { importIndicators } from '../server/helpers.js';
import { launch, PASSWORD, serve, type Served } from './harness.js';

export interface WebSuite {
  /** The temporary folder; the data directory is its `data` subfolder. */
  readonly dir: string;
  readonly srv: Served;
  readonly browser: Browser;
}

/**
 * Registers the block's before and after hooks; the fields are there once `before` ran. `feeds`: the
 * indicator files to import into the data directory (given the temporary folder, to write one there).
 */
export function webSuite(prefix: string, opts: { feeds?: (dir: string) => string[] } = {}): WebSuite {
  const s = {} as { dir: string; srv: Served; browser: Browser };
  before(async () => {
    s.dir = mkdtempSync(join(tmpdir(), prefix));
    const dataDir = join(s.dir, 'data');
    if (opts.feeds) await importIndicators(dataDir, opts.feeds(s.dir));
    else mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    s.srv = await serve({ dataDir });
    s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.srv?.close();
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}

/** Opens `path` of the console and logs in there; the section then loads. */
export async function adminLogin(page: Page, srv: Served, path = '/admin'): Promise<void> {
  await page.goto(`${srv.url}${path}`);
  await page.locator('[data-testid=password]').fill(PASSWORD);
  await page.locator('[data-testid=login]').click();
}

/** Uploads a capture file as the kiosk's upload does; its check's id. */
export async function upload(srv: Served, file: string, lang = 'en'): Promise<string> {
  const up = await fetch(`${srv.url}/api/uploads?lang=${lang}`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.tcpdump.pcap' },
    body: readFileSync(file),
  });
  assert.equal(up.status, 201, await up.clone().text());
  return ((await up.json()) as { id: string }).id;
}
