// The data plane's traffic service: which limits apply to a request (./limits.ts) and the counters that decide
// (./counters.ts). One per process, built by the server with the store as the counters' journal (or, in scale-out
// mode, with the Redis counters: ./redis-counters.ts).
import type { Store } from '../store/store.ts';
import type { Counters } from './counters.ts';
import { InProcessCounters } from './in-process-counters.ts';
import { DEFAULT_ACCOUNT_THROTTLE, Limits, type AccountThrottle } from './limits.ts';
import { storeJournal } from './usage-journal.ts';

export interface Traffic {
  readonly limits: Limits;
  readonly counters: Counters;
}

/** `counters`: another adapter (the Redis one, scale-out); in-process with the store as journal by default. */
export function createTraffic(opts: { store?: Store; accountThrottle?: AccountThrottle; flushMs?: number; counters?: Counters } = {}): Traffic {
  return {
    limits: new Limits(opts.accountThrottle ?? DEFAULT_ACCOUNT_THROTTLE),
    counters: opts.counters ?? new InProcessCounters({ journal: opts.store && storeJournal(opts.store), flushMs: opts.flushMs }),
  };
}
