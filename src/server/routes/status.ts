/**
 * The admin page's status: room left on the disk holding the data directory, what quietcheck keeps
 * there, and what the indicators in force cover (per stalkerware family, and how fresh the lists are).
 */
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { hasFeedsConfig } from '../../config/feeds.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { diskAdvice } from '../../checks/disk-space.js';
import { CAPTURE_FILE, UPLOAD_FILE } from '../../checks/manager.js';
import { DB_FILE } from '../../store/sqlite.js';
import type { Store } from '../../store/store.js';
import { ERROR_SCHEMA } from '../errors.js';
import { LOCAL_ALLOW_FEED, type IndicatorCache } from '../../checks/indicator-cache.js';
import type { WrongPasswordSummary } from '../login-guard.js';
import { STATUS_SCHEMA, type AdminStatusWire } from '../schemas/status.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA } as const;

/** Size of a file, 0 when it is not there (a check deleted meanwhile, no WAL yet). */
async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function captureBytes(checksDir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(checksDir);
  } catch {
    return 0;
  }
  let total = 0;
  for (const n of names) total += (await sizeOf(join(checksDir, n, CAPTURE_FILE))) + (await sizeOf(join(checksDir, n, UPLOAD_FILE)));
  return total;
}

/** What a fresh or offline box has and lacks, for the status page (stored lists only; the admin's allow-list is apart). */
function listsOverview(store: Store, dataDir: string): { block: number; allow: number; failing: string[]; neverLoaded: string[]; configured: boolean } {
  const feeds = store.listFeeds();
  const loaded = feeds.filter((f) => f.version !== null);
  return {
    block: loaded.filter((f) => f.list === 'block').length,
    allow: loaded.filter((f) => f.list === 'allow').length,
    failing: feeds.filter((f) => f.lastError !== null).map((f) => f.name),
    neverLoaded: feeds.filter((f) => f.version === null).map((f) => f.name),
    configured: hasFeedsConfig(dataDir),
  };
}

export interface StatusRoutesOptions {
  store: Store;
  indicators: IndicatorCache;
  dataDir: string;
  admin: Guard;
  /** Wrong admin passwords since the server started (see login-guard.ts). */
  wrongPasswords?: () => WrongPasswordSummary;
}

export function registerStatusRoutes(app: FastifyInstance, o: StatusRoutesOptions): void {
  const { store, indicators, dataDir, admin, wrongPasswords } = o;

  app.get(
    '/api/admin/status',
    { preHandler: admin, schema: { tags: ['admin'], summary: 'disk space, what quietcheck stores, and the indicators in force', response: { 200: STATUS_SCHEMA, ...ERRORS } } },
    async (): Promise<AdminStatusWire> => {
      const fs = await statfs(dataDir);
      const checks = store.listChecks();
      const largest = checks.reduce((m, c) => Math.max(m, c.bytes), 0);
      const db = join(dataDir, DB_FILE);
      const set = indicators.get();
      const { blocked, families } = set.indicators.familyCounts();
      const dates = set.feeds
        .filter((f) => f.name !== LOCAL_ALLOW_FEED)
        .map((f) => f.date)
        .filter((d): d is string => typeof d === 'string' && d !== '')
        .sort();
      return {
        disk: { path: dataDir, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize, largestCheckBytes: largest, ...diskAdvice(fs.bavail * fs.bsize, largest) },
        wrongPasswords: wrongPasswords?.() ?? { count: 0, last: null, lockedClients: 0 },
        storage: {
          checks: checks.length,
          captureBytes: await captureBytes(join(dataDir, 'checks')),
          databaseBytes: (await sizeOf(db)) + (await sizeOf(`${db}-wal`)) + (await sizeOf(`${db}-shm`)),
        },
        indicators: {
          total: blocked,
          families: [...families]
            .map(([family, count]) => ({ family, count }))
            .sort((a, b) => b.count - a.count || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0)),
          newestUpdate: dates.at(-1) ?? null,
          oldestUpdate: dates[0] ?? null,
          lists: listsOverview(store, dataDir),
        },
      };
    },
  );
}
