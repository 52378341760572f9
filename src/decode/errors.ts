/**
 * Thrown by decoders on bytes that do not follow the protocol. `kind` is a short stable label
 * ("dns.name-loop", "tls.record-length") counted in the capture's `malformed` map, so a damaged packet
 * is reported and skipped instead of stopping the analysis.
 */
export class DecodeError extends Error {
  constructor(readonly kind: string, detail?: string) {
    super(detail ? `${kind}: ${detail}` : kind);
    this.name = 'DecodeError';
  }
}
