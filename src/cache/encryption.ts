// caching/dataEncrypted: entries of such methods are stored encrypted (AES-256-GCM, a fresh 96-bit IV per entry, the
// 128-bit tag checked on every read), so the response bytes are never held in the cache in clear. The key is random
// per process and kept only in memory: the in-process cache dies with it anyway. A remote adapter shared by several
// nodes will need a shared key (configuration of the scale-out mode).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV = 12;
const TAG = 16;

export class CacheSealer {
  readonly #key: Buffer;
  constructor(key: Buffer = randomBytes(32)) {
    if (key.length !== 32) throw new Error('the cache encryption key must be 32 bytes');
    this.#key = key;
  }

  /** iv | tag | ciphertext */
  seal(plain: Buffer): Buffer {
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The plain bytes, or undefined when the value was altered or sealed with another key. */
  open(sealed: Buffer): Buffer | undefined {
    if (sealed.length < IV + TAG) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(0, IV));
      decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
      return Buffer.concat([decipher.update(sealed.subarray(IV + TAG)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}
