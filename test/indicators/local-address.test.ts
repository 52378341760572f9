/**
 * Feed addresses on this machine or a local network are refused before any connection unless the
 * feed is marked local, so adding a feed cannot probe the shelter's network: a closed port and an open
 * one give the same answer, and the open one never sees a connection.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { fetchFeed, isLocalAddress } from '../../src/indicators/fetch.js';
import { FeedError } from '../../src/indicators/types.js';
import { api, asAdmin, login, removeDir, startTestServer } from '../server/helpers.js';

describe('local feed addresses', () => {
  test('which addresses are local', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:192.168.0.1', '[::1]', '224.0.0.251']) {
      assert.equal(isLocalAddress(a), true, a);
    }
    for (const a of ['1.1.1.1', '185.199.108.133', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isLocalAddress(a), false, a);
  });

  test('the admin API gives a closed and an open local port the same refusal, and never connects', async () => {
    let connections = 0;
    const open: Server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => open.listen(0, '127.0.0.1', r));
    const openPort = (open.address() as AddressInfo).port;
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const srv = await startTestServer({ loginMaxPerMinute: 100 });
    try {
      const s = await login(srv.port);
      const add = async (url: string, extra: object = {}): Promise<{ status: number; message: string }> => {
        const r = await api(srv.port, '/api/admin/feeds', { method: 'POST', headers: asAdmin(s), body: { url, format: 'lines', ...extra } });
        return { status: r.status, message: String(r.json().message).replace(url, '<url>') };
      };
      const a = await add(`https://127.0.0.1:${openPort}/list.txt`);
      const b = await add(`https://127.0.0.1:${closedPort}/list.txt`);
      assert.equal(a.status, 422);
      assert.match(a.message, /is on this machine or a local network/);
      assert.equal(a.message.replace(String(openPort), 'P'), b.message.replace(String(closedPort), 'P'));
      for (const url of [`https://localhost:${openPort}/x`, 'https://[::1]/x', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.1/x', 'https://[::ffff:127.0.0.1]/x']) {
        const r = await add(url);
        assert.equal(r.status, 422, url);
        assert.match(r.message, /is on this machine or a local network/, url);
      }
      assert.equal(connections, 0, 'nothing connected to the open port');
      // Marked local by the admin, the address is used (this port speaks no TLS, so the download fails there).
      const marked = await add(`https://127.0.0.1:${openPort}/list.txt`, { local: true });
      assert.equal(marked.status, 422);
      assert.doesNotMatch(marked.message, /local network/);
      assert.equal(connections, 1);
    } finally {
      await srv.close();
      removeDir(srv.dataDir);
      open.close();
    }
  });

  test('the library refuses a local address unless allowed', async () => {
    await assert.rejects(fetchFeed('https://127.0.0.1:9/feed.txt', { timeoutMs: 2000 }), (e: unknown) => e instanceof FeedError && /local network/.test(e.message));
    await assert.rejects(fetchFeed('https://127.0.0.1:9/feed.txt', { timeoutMs: 2000, allowLocal: true }), (e: unknown) => e instanceof FeedError && !/local network/.test(e.message));
  });
});
