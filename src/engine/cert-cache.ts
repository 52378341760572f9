import { certificateFacts } from '../decode/x509.js';
import type { CertificateFact } from './facts.js';

/** Distinct certificates remembered; a capture rarely has more than a few hundred. */
const MAX_ENTRIES = 20_000;

interface Entry {
  der: Buffer;
  fact: CertificateFact;
}

/**
 * Parsing X.509 is by far the most expensive thing the engine does, and the same few certificates
 * come back in every handshake with the same servers. This remembers each distinct DER once, keyed by
 * a cheap checksum and confirmed byte for byte, so a repeat costs a hash over a few bytes and a compare.
 */
export class CertificateCache {
  private readonly entries = new Map<number, Entry[]>();
  private size = 0;

  /** Facts for this DER; throws DecodeError like `certificateFacts` when it does not parse. */
  facts(der: Buffer): CertificateFact {
    const key = checksum(der);
    const bucket = this.entries.get(key);
    if (bucket !== undefined) {
      for (const e of bucket) if (e.der.equals(der)) return e.fact;
    }
    const fact = certificateFacts(der);
    if (this.size >= MAX_ENTRIES) {
      this.entries.clear();
      this.size = 0;
    }
    const entry = { der: Buffer.from(der), fact };
    if (bucket !== undefined && this.entries.has(key)) bucket.push(entry);
    else this.entries.set(key, [entry]);
    this.size++;
    return fact;
  }
}

/** Bytes at the end of a DER the bucket key is made of: they are its signature, as good as random. */
const KEY_TAIL = 64;

/**
 * FNV-1a over the length and the last bytes: the bucket key, not an identity (equality is checked on
 * all the bytes). A certificate ends with its signature, so its last bytes tell certificates apart as
 * well as all of them would, for a fraction of the reading.
 */
function checksum(b: Buffer): number {
  let h = 0x811c9dc5 ^ b.length;
  for (let i = Math.max(0, b.length - KEY_TAIL); i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}
