// The hash @smithy/signature-v4 asks for (its Checksum interface) on node:crypto, HMAC when given a secret: lets
// tests use the AWS SDK's own signer as an independent SigV4 implementation.
import { createHash, createHmac } from 'node:crypto';

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

export class Sha256 {
  readonly #h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
  reset(): void {}
}
