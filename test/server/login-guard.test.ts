/**
 * Wrong-password limits a local attacker cannot turn against the admin: guesses from a client without
 * a device cookie lock out only such clients, the admin's browser (which logged in before) still gets
 * in with the right password, each lock is noted in the log, and the password change has its own limit.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { api, asAdmin, PASSWORD, removeDir, startTestServer } from './helpers.js';

const cookieOf = (setCookie: string | string[] | undefined, name: string): string | null => {
  const line = (Array.isArray(setCookie) ? setCookie : [setCookie ?? '']).find((c) => c.startsWith(`${name}=`));
  return line ? line.split(';')[0]! : null;
};

describe('admin password limits', () => {
  test("a local guesser locks out only clients that never logged in; the admin's browser gets in", async () => {
    const logs: string[] = [];
    const srv = await startTestServer({ loginMaxPerMinute: 3, log: (m) => logs.push(m) });
    try {
      const loginAs = (password: string, cookie?: string) =>
        api(srv.port, '/api/admin/login', { method: 'POST', body: { password }, ...(cookie ? { headers: { cookie } } : {}) });
      const first = await loginAs(PASSWORD);
      assert.equal(first.status, 200);
      const device = cookieOf(first.headers['set-cookie'], 'qc_device');
      assert.ok(device, 'the browser that logged in is remembered');

      // Another program on the same machine guesses.
      const answers: number[] = [];
      for (let i = 0; i < 12; i++) answers.push((await loginAs(`guess number ${i}`)).status);
      assert.deepEqual(answers, [401, 401, 401, ...Array(9).fill(429)]);
      const locked = await loginAs(PASSWORD);
      assert.equal(locked.status, 429, 'an unknown client is locked, even with the right password');
      assert.ok(Number(locked.headers['retry-after']) > 0);
      assert.ok(logs.some((l) => /3 wrong admin passwords within a minute from address 127\.0\.0\.1/.test(l)), logs.join('\n'));

      // The admin's browser is not, and the admin console says what happened.
      const admin = await loginAs(PASSWORD, device!);
      assert.equal(admin.status, 200, admin.text);
      const session = { cookie: cookieOf(admin.headers['set-cookie'], 'qc_admin')!, csrf: admin.json().csrfToken as string };
      const wrong = (await api(srv.port, '/api/admin/status', { headers: asAdmin(session) })).json().wrongPasswords;
      assert.equal(wrong.count, 3, 'the wrong passwords checked (refused ones were not even looked at)');
      assert.equal(wrong.lockedClients, 1);
      assert.ok(wrong.last);
      assert.equal(cookieOf(admin.headers['set-cookie'], 'qc_device'), null, 'a remembered browser keeps its cookie');
      // A forged or unknown device cookie counts with its address.
      assert.equal((await loginAs(PASSWORD, 'qc_device=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 429);
      // The remembered browser has its own limit too.
      for (let i = 0; i < 3; i++) assert.equal((await loginAs(`typo ${i} password`, device!)).status, 401);
      assert.equal((await loginAs(PASSWORD, device!)).status, 429);
    } finally {
      await srv.close();
      removeDir(srv.dataDir);
    }
  });

  test('the password change refuses a run of wrong current passwords with 429', async () => {
    const srv = await startTestServer({ loginMaxPerMinute: 3 });
    try {
      const r = await api(srv.port, '/api/admin/login', { method: 'POST', body: { password: PASSWORD } });
      const session = { cookie: cookieOf(r.headers['set-cookie'], 'qc_admin')!, csrf: r.json().csrfToken as string };
      const change = (current: string) => api(srv.port, '/api/admin/password', { method: 'POST', headers: asAdmin(session), body: { current, next: 'another long password' } });
      const answers: number[] = [];
      for (let i = 0; i < 12; i++) answers.push((await change(`wrong current ${i}`)).status);
      assert.deepEqual(answers, [403, 403, 403, ...Array(9).fill(429)]);
      assert.equal((await change(PASSWORD)).status, 429, 'no more tries for a while, right or wrong');
    } finally {
      await srv.close();
      removeDir(srv.dataDir);
    }
  });
});
