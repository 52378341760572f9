/**
 * The lab's web servers, run inside the "internet" namespace by `lab.ts` as
 *   ip netns exec <ns> node -e "import(url).then((m) => m.runServers(config))"
 * Importing this file does nothing (the test runner imports every file under test/).
 * Each listener answers every request, after reading its whole body, with a short text that counts the bytes
 * received — enough for GET pages, beacons and multi-megabyte uploads.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';

export interface ListenerConfig {
  address: string;
  port: number;
  tls: { cert: string; key: string; chain: string | null } | null;
  /** At most TLS 1.2, so the certificate is visible in the capture. */
  tls12: boolean;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  req.on('end', () => {
    const body = `ok ${req.method ?? '?'} ${req.url ?? '/'} received=${received}\n`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

/** Starts every listener of the JSON config file, then prints `ready` on standard output. */
export async function runServers(configPath: string): Promise<void> {
  const listeners = JSON.parse(readFileSync(configPath, 'utf8')) as ListenerConfig[];
  const servers: Server[] = [];
  for (const l of listeners) {
    const server: Server =
      l.tls === null
        ? createHttp(handle)
        : createHttps(
            {
              cert: readFileSync(l.tls.cert, 'utf8') + (l.tls.chain ? readFileSync(l.tls.chain, 'utf8') : ''),
              key: readFileSync(l.tls.key),
              ...(l.tls12 ? { maxVersion: 'TLSv1.2' as const } : {}),
            },
            handle,
          );
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(l.port, l.address, () => resolve());
    });
    servers.push(server);
  }
  process.stdout.write('ready\n');
  const stop = (): void => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
