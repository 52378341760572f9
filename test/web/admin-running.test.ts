/**
 * A running check stays reachable from the console: the list of checks offers Open (its live screen)
 * and Stop for a check that is still capturing; Stop ends it and its result follows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { context, shot, SIZES, SKIP_BROWSER, watch } from './harness.js';
import { adminLogin, webSuite } from './suite.js';

const probe = spawnSync('tcpdump', ['-i', 'lo', '-c', '1', '-w', '/dev/null', '--immediate-mode', 'udp port 9'], { timeout: 1500, encoding: 'utf8' });
const NO_CAPTURE = /permission|not permitted|no such/i.test(probe.stderr ?? '') ? 'tcpdump cannot capture on lo here' : false;

describe('admin console: a running check', { skip: SKIP_BROWSER || NO_CAPTURE, timeout: 300_000 }, () => {
  const web = webSuite('qc-web-running-');

  test('Open and Stop are offered while it captures; Stop finishes it', async () => {
    const r = await fetch(`${web.srv.url}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ interface: 'lo', device: `127.${10 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 250)}.9`, lang: 'en', durationSeconds: 600 }) });
    assert.equal(r.status, 201, await r.clone().text());
    const { id } = (await r.json()) as { id: string };
    const ctx = await context(web.browser, SIZES.laptop);
    const page = await ctx.newPage();
    const problems = watch(page);
    await adminLogin(page, web.srv, '/admin/checks');
    const row = page.locator(`tr[data-check="${id}"]`);
    await row.locator('[data-testid=stop-check]').waitFor();
    assert.equal(await row.locator('[data-testid=open-running]').getAttribute('href'), `/check/${id}`);
    await shot(page, 'admin-checks-running-en-1280x800');
    await row.locator('[data-testid=stop-check]').click();
    await row.locator('[data-testid=stop-check]').waitFor({ state: 'detached', timeout: 30_000 });
    for (let i = 0; i < 60; i++) {
      const state = web.srv.query<{ state: string }>('SELECT state FROM checks WHERE id = ?', id)[0]?.state;
      if (state === 'done' || state === 'failed') break;
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(web.srv.query<{ state: string }>('SELECT state FROM checks WHERE id = ?', id)[0]?.state, 'done');
    assert.deepEqual(problems, []);
    await ctx.close();
  });
});
