// Where accepted Event invocations wait until done: the store's unscoped `asyncevents` collection.
//
// Embedded mode: one process owns them all; a restart runs again those it had not finished.
// Scale-out: every node shares the collection, so each event is leased by the node that accepted (or claimed) it.
// A node renews its leases and claims expired ones — those of a node that stopped — in one serializable write
// every third of the lease: two nodes sweeping at once cannot both claim an event (one transaction is retried and
// then sees the other's lease), so a live node's events are never run by another, and a dead node's are resumed
// within about a lease and a third. At-least-once, as Lambda's own queue: a node that dies mid-attempt has its
// event run again.
import type { Store } from '../store/store.ts';
import type { AsyncJob, AsyncJobStore } from './async-invocations.ts';

const COLLECTION = 'asyncevents';
type Stored = Omit<AsyncJob, 'payload'> & { payload: string; owner?: string; leaseUntil?: number };

const key = (job: AsyncJob) => `${job.region}/${job.requestId}`;
const stored = (job: AsyncJob): Stored => ({ ...job, payload: job.payload.toString('base64') });
function loaded(value: Stored): AsyncJob {
  const { owner: _owner, leaseUntil: _lease, ...job } = value;
  return { ...job, payload: Buffer.from(value.payload, 'base64') };
}

/** Embedded mode: every kept event is this process's. */
export function embeddedJobStore(store: Store): AsyncJobStore {
  return {
    save: (job) => store.write((tx) => tx.put(COLLECTION, key(job), stored(job))),
    remove: async (job) => {
      await store.write((tx) => tx.delete(COLLECTION, key(job)));
    },
    loadAll: async () => (await store.read((tx) => tx.list<Stored>(COLLECTION))).map(({ value }) => loaded(value)),
  };
}

export interface LeaseSettings {
  /** This node's id (unique per process). */
  node: string;
  /** How long a lease lasts unless renewed; renewed every third of it. */
  leaseMs: number;
  now: () => number;
}

/**
 * Scale-out: `loadAll` is the sweep — it renews this node's leases and returns the events it has just claimed
 * (unleased, or leased by a node that stopped renewing). Call it every `leaseMs / 3`.
 */
export function leasedJobStore(store: Store, lease: LeaseSettings): AsyncJobStore {
  const leased = (job: AsyncJob): Stored => ({ ...stored(job), owner: lease.node, leaseUntil: lease.now() + lease.leaseMs });
  return {
    save: (job) => store.write((tx) => tx.put(COLLECTION, key(job), leased(job))),
    remove: async (job) => {
      await store.write((tx) => tx.delete(COLLECTION, key(job)));
    },
    loadAll: () =>
      store.write(async (tx) => {
        const now = lease.now();
        const claimed: AsyncJob[] = [];
        for (const { key: k, value } of await tx.list<Stored>(COLLECTION)) {
          const mine = value.owner === lease.node;
          if (!mine && value.owner !== undefined && (value.leaseUntil ?? 0) > now) continue; // another live node's
          const job = loaded(value);
          await tx.put(COLLECTION, k, leased(job));
          if (!mine) claimed.push(job);
        }
        return claimed;
      }),
  };
}
