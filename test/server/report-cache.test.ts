/**
 * The rendered-report cache is bounded by bytes, not by count: many reports, or one huge one, cannot
 * grow it past its budget; the most recently read stay.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeCapture } from '../../src/analysis/analyze.js';
import { indicatorSourcesFromStore } from '../../src/analysis/indicator-sources.js';
import { ReportCache } from '../../src/server/reports.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { pcap } from '../helpers/paths.js';

describe('report cache', () => {
  test('stays within its byte budget over many reports and languages, and skips one too large to keep', async () => {
    const store = new SqliteStore(':memory:');
    const analysis = await analyzeCapture(pcap('tls-browsing-mixed.pcap'), { ...indicatorSourcesFromStore(store) });
    store.close();
    const one = await new ReportCache().render('probe', analysis, 'html', 'en');
    const size = one.bytes();
    assert.ok(size > 10_000, `an HTML report with its gzip form weighs ${size} bytes`);

    const budget = size * 10;
    const cache = new ReportCache(null, budget);
    const langs = ['en', 'fr', 'de', 'es', 'it', 'pt'] as const;
    for (let i = 0; i < 40; i++) {
      for (const lang of langs) await cache.render(`check-${i}`, analysis, 'html', lang);
      assert.ok(cache.bytes <= budget, `${cache.bytes} bytes held after ${i + 1} checks, budget ${budget}`);
    }
    assert.ok(cache.size >= 8 && cache.size <= 10, `${cache.size} reports kept`);
    // The most recent stay; the oldest went.
    assert.notEqual(cache.peek('check-39', 'html', 'pt'), undefined);
    assert.equal(cache.peek('check-0', 'html', 'en'), undefined);
    // A report read again moves to the front and survives the next ones.
    assert.notEqual(cache.peek('check-38', 'html', 'pt'), undefined);
    for (let i = 40; i < 48; i++) await cache.render(`check-${i}`, analysis, 'html', 'en');
    assert.notEqual(cache.peek('check-38', 'html', 'pt'), undefined);

    // Bigger than a quarter of the budget: sent, not kept.
    const small = new ReportCache(null, size * 3);
    const r = await small.render('huge', analysis, 'html', 'en');
    assert.equal(r.body.length > 0, true);
    assert.equal(small.peek('huge', 'html', 'en'), undefined);
    assert.equal(small.bytes, 0);
    cache.forget('check-39');
    assert.equal(cache.peek('check-39', 'html', 'pt'), undefined);
    cache.clear();
    assert.equal(cache.bytes, 0);
  });
});
