/**
 * The web UI: the files Vite built into dist/web, served at `/`. Everything else under /api stays the
 * API's. A path that names no file and has no extension is a screen of the single-page app, so it gets
 * index.html; nothing outside dist/web is ever read (no `..`, no symlink leaving the folder).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.webmanifest', '.txt', '.map']);

/** The UI's own pages may load their own scripts and styles, and nothing from anywhere else. */
const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** dist/web under the project root (the folder holding package.json), from src or dist alike. */
export function webRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'dist', 'web');
}

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gz: Buffer | null;
  etag: string;
}

export interface StaticOptions {
  root?: string;
}

export async function staticFiles(app: FastifyInstance, opts: StaticOptions): Promise<void> {
  const root = opts.root ?? webRoot();
  const cache = new Map<string, Cached>();

  const realRoot = (): string | null => {
    try {
      return realpathSync(root);
    } catch {
      return null;
    }
  };

  /** The real path of a file inside the root, or null. */
  const locate = (urlPath: string): string | null => {
    const base = realRoot();
    if (base === null) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.some((p) => p === '..' || p.startsWith('.'))) return null;
    const candidate = join(base, ...parts);
    try {
      const real = realpathSync(candidate);
      if (real !== base && !real.startsWith(base + sep)) return null;
      if (!statSync(real).isFile()) return null;
      return real;
    } catch {
      return null;
    }
  };

  const load = (file: string): Cached => {
    const st = statSync(file);
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const body = readFileSync(file);
    const ext = extname(file).toLowerCase();
    const gz = COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : null;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const entry = { mtimeMs: st.mtimeMs, size: st.size, body, gz, etag };
    cache.set(file, entry);
    return entry;
  };

  // Hooks of this plugin see only its own routes, and run after the API-wide one, which forbids caching
  // and scripts: the UI needs both, for its own files.
  app.addHook('onSend', async (_req, reply, payload) => {
    const cc = reply.getHeader('x-qc-cache');
    if (cc !== undefined) {
      reply.removeHeader('x-qc-cache');
      reply.header('cache-control', String(cc));
      reply.header('content-security-policy', UI_CSP);
    }
    return payload;
  });

  const serve = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = String(req.url).split('?')[0]!.split('#')[0]!;
    if (path === '/api' || path.startsWith('/api/')) return sendError(reply, 404, 'not-found', 'no such route');
    let file = path === '/' ? null : locate(path);
    let isIndex = false;
    if (file === null) {
      // An asset that is missing stays missing; a screen's address gets the app.
      const last = path.split('/').pop() ?? '';
      if (path !== '/' && last.includes('.')) return sendError(reply, 404, 'not-found', 'no such file');
      file = locate('/index.html');
      isIndex = true;
      if (file === null) {
        return reply
          .code(503)
          .header('x-qc-cache', 'no-store')
          .type('text/plain; charset=utf-8')
          .send('The quietcheck web interface is not built: run npm run build.\n');
      }
    }
    const ext = extname(file).toLowerCase();
    const f = load(file);
    const immutable = !isIndex && path.startsWith('/assets/');
    reply.header('x-qc-cache', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('etag', f.etag);
    reply.header('vary', 'accept-encoding');
    reply.type(TYPES[ext] ?? 'application/octet-stream');
    if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
    if (f.gz !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip');
      return reply.send(f.gz);
    }
    return reply.send(f.body);
  };

  app.get('/', { schema: { hide: true } }, serve);
  app.get('/*', { schema: { hide: true } }, serve);
}
