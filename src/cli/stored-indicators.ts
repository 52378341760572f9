import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { indicatorSourcesFromStore, type IndicatorSources } from '../analysis/indicator-sources.js';
import { Indicators } from '../indicators/matcher.js';
import { DB_FILE, SqliteStore } from '../store/sqlite.js';

/**
 * The lists kept by `quietcheck indicators update` in the data directory. A data directory without a
 * database yields no lists (the verdict then says so) rather than creating one as a side effect.
 */
export function loadIndicatorStore(dataDir: string): IndicatorSources {
  if (!existsSync(join(dataDir, DB_FILE))) return { indicators: new Indicators(), feeds: [] };
  const store = SqliteStore.inDir(dataDir);
  try {
    return indicatorSourcesFromStore(store);
  } finally {
    store.close();
  }
}
