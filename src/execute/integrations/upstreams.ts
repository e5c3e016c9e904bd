// One undici Pool per backend origin (and TLS verification mode), kept alive across requests: the connection
// reuse API Gateway gets from its own fleet. Closed with the data plane.
import { Pool } from 'undici';

export class Upstreams {
  readonly #pools = new Map<string, Pool>();

  pool(origin: string, insecure: boolean): Pool {
    const key = insecure ? `insecure ${origin}` : origin;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connections: 128,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        connect: insecure ? { rejectUnauthorized: false } : undefined,
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
