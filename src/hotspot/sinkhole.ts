/**
 * The sinkhole's TCP side: on the hotspot address, accept the phone's connections just long enough for
 * it to send its TLS ClientHello (with the server name) or its HTTP request line and headers (with the
 * Host), then close. Nothing is answered and nothing is forwarded; the capture on the hotspot interface
 * records what the phone sent.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** HTTP, HTTPS and the ports that messaging, mail, push and spyware uploads commonly use. */
export const SINKHOLE_PORTS = [80, 443, 8080, 8443, 5222, 5223, 5228, 993, 995, 465, 587, 853, 8000, 8888, 1883, 8883] as const;

const READ_LIMIT = 16 * 1024;
const READ_TIMEOUT_MS = 5000;

/** True once `buf` holds a whole first TLS record or the end of an HTTP request head. */
export function enoughToRead(buf: Buffer): boolean {
  if (buf.length >= READ_LIMIT) return true;
  if (buf.length >= 5 && buf[0] === 0x16 && buf[1] === 0x03) {
    const len = buf.readUInt16BE(3);
    return buf.length >= 5 + len;
  }
  // Not TLS: an HTTP head ends with an empty line; any other protocol is given until the timeout.
  return buf.includes('\r\n\r\n') || buf.includes('\n\n');
}

export interface SinkholeHandle {
  /** Ports actually listened on (a port in use by something else is skipped). */
  ports: number[];
  skipped: { port: number; reason: string }[];
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

function handle(sock: Socket): void {
  let got = Buffer.alloc(0);
  const done = (): void => {
    sock.removeAllListeners('data');
    sock.destroy();
  };
  sock.setTimeout(READ_TIMEOUT_MS, done);
  sock.on('error', () => sock.destroy());
  sock.on('data', (d: Buffer) => {
    got = Buffer.concat([got, d]);
    // The kernel has ACKed these bytes: the capture holds them. A short pause lets the ACK go out
    // before the reset, so the phone does not retransmit into a closed port.
    if (enoughToRead(got)) setTimeout(done, 50);
  });
  sock.on('end', done);
}

export async function startSinkhole(address: string, ports: readonly number[], log: (m: string) => void = () => {}): Promise<SinkholeHandle> {
  const servers: Server[] = [];
  const open = new Set<Socket>();
  let count = 0;
  const listening: number[] = [];
  const skipped: { port: number; reason: string }[] = [];
  for (const port of ports) {
    const srv = createServer((sock) => {
      count++;
      open.add(sock);
      sock.on('close', () => open.delete(sock));
      handle(sock);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ host: address, port, exclusive: true }, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      servers.push(srv);
      listening.push(port);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? String(err);
      skipped.push({ port, reason });
      log(`sinkhole: port ${port} on ${address} not available (${reason})`);
    }
  }
  return {
    ports: listening,
    skipped,
    connections: () => count,
    async close() {
      for (const s of open) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
